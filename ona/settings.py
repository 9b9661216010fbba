"""Every rule set of an analysis in one place, with its defaults defined once.

Each rule set is a frozen dataclass, validated when it is built, in the module whose
rules it holds:

=====================  ==========================================  ======================
rule set               what it decides                             module
=====================  ==========================================  ======================
``Weighting``          what one event weighs; mass events           :mod:`ona.interactions`
``TieRule``            which pairs count as tied                    :mod:`ona.ties`
``PathSettings``       exact or sampled path measures               :mod:`ona.centrality`
``VisibilityRules``    who the senior leaders are; a strong tie     :mod:`ona.visibility`
``RoleRules``          the role thresholds                          :mod:`ona.roles`
``HiddenTalentRules``  high performers; how low is low visibility   :mod:`ona.hidden`
``TribeSettings``      community detection and its stability        :mod:`ona.tribes`
``GroupSettings``      minimum group size; the silo test            :mod:`ona.groups`
``ConfidenceSettings`` reruns on resampled data                     :mod:`ona.confidence`
``ReviewRules``        advocates, strong and weak ties in a review  :mod:`ona.talent_review`
=====================  ==========================================  ======================

:func:`ona.analyze` takes each of them as a keyword; the command line and the dashboard
read their defaults from here (``Settings()``), and ``run.json`` records the values used
(:meth:`Settings.record`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .centrality import PathSettings
from .confidence import ConfidenceSettings
from .groups import GroupSettings
from .hidden import HiddenTalentRules
from .interactions import Weighting
from .roles import RoleRules
from .talent_review import ReviewRules
from .ties import TieRule
from .tribes import TribeSettings
from .visibility import VisibilityRules

__all__ = ["Settings", "Weighting", "TieRule", "PathSettings", "VisibilityRules", "RoleRules",
           "HiddenTalentRules", "TribeSettings", "GroupSettings", "ConfidenceSettings", "ReviewRules"]


@dataclass(frozen=True)
class Settings:
    """All the rule sets of one analysis (each at its defaults unless given).

    >>> s = Settings(tribes=TribeSettings(resolution=2.0))
    >>> s.tribes.resolution, s.groups.min_group_size
    (2.0, 5)
    >>> Settings().record()["hidden"]
    {'high_performers': 'auto', 'top_share': 0.1, 'max_visibility': 25.0}
    """

    weighting: Weighting = field(default_factory=Weighting)
    ties: TieRule = field(default_factory=TieRule)
    paths: PathSettings = field(default_factory=PathSettings)
    visibility: VisibilityRules = field(default_factory=VisibilityRules)
    roles: RoleRules = field(default_factory=RoleRules)
    hidden: HiddenTalentRules = field(default_factory=HiddenTalentRules)
    tribes: TribeSettings = field(default_factory=TribeSettings)
    groups: GroupSettings = field(default_factory=GroupSettings)
    confidence: ConfidenceSettings = field(default_factory=ConfidenceSettings)
    review: ReviewRules = field(default_factory=ReviewRules)

    def record(self) -> dict[str, dict[str, Any]]:
        """The values as plain JSON types (tuples as lists, infinity as None), one entry
        per rule set: what ``run.json`` records under ``settings``."""
        return {f.name: _plain(asdict(getattr(self, f.name))) for f in fields(self)}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
