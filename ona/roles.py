"""Network roles in the spirit of Rob Cross's research: one role per person.

Rules, checked in this order (percentiles are within the organisation, mid-rank):

1. ``boundary spanner`` — brokers between groups: betweenness at or above the
   ``spanner_betweenness`` percentile (90) and cross-department ties at or above the
   ``spanner_cross`` percentile (75);
2. ``central connector`` — many people rely on them: degree at or above the
   ``connector_degree`` percentile (90) and more than ``peripheral_max_ties`` ties;
3. ``peripheral`` — at the edge of the network: degree at or below the
   ``peripheral_degree`` percentile (10), or at most ``peripheral_max_ties`` ties (1);
4. ``member`` — everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ConfigError
from .visibility import percentile

__all__ = ["RoleRules", "assign_roles", "ROLES"]

ROLES = ("boundary spanner", "central connector", "peripheral", "member")


@dataclass(frozen=True)
class RoleRules:
    """Thresholds of the role rules (percentiles 0-100)."""

    spanner_betweenness: float = 90.0
    spanner_cross: float = 75.0
    connector_degree: float = 90.0
    peripheral_degree: float = 10.0
    peripheral_max_ties: int = 1

    def __post_init__(self) -> None:
        for name in ("spanner_betweenness", "spanner_cross", "connector_degree", "peripheral_degree"):
            value = getattr(self, name)
            if not 0 <= value <= 100:
                raise ConfigError(f"{name} is a percentile between 0 and 100, got {value!r}")
        if self.peripheral_max_ties < 0:
            raise ConfigError(f"peripheral_max_ties must be 0 or more, got {self.peripheral_max_ties!r}")


def assign_roles(metrics: pd.DataFrame, rules: RoleRules = RoleRules()) -> pd.Series:
    """One role per row of a frame with degree, betweenness and cross_department_ties.

    Parameters
    ----------
    metrics : DataFrame
        One row per person with columns ``degree``, ``betweenness`` and
        ``cross_department_ties`` (the percentiles are taken over these rows).
    rules : RoleRules, default RoleRules()
        The thresholds (:class:`RoleRules`; the rules in the module doc).

    Returns
    -------
    Series
        Named ``role``, on the index of ``metrics``: the first rule that applies,
        ``"boundary spanner"``, ``"central connector"``, ``"peripheral"`` or ``"member"``.

    Examples
    --------
    >>> m = pd.DataFrame({"degree": [9, 8, 1, 3, 3, 3, 3, 3, 3, 3],
    ...                   "betweenness": [0.1, 0.9, 0, 0, 0, 0, 0, 0, 0, 0],
    ...                   "cross_department_ties": [0, 5, 0, 0, 0, 0, 0, 0, 0, 0]})
    >>> assign_roles(m).tolist()[:4]
    ['central connector', 'boundary spanner', 'peripheral', 'member']
    """
    degree = percentile(metrics["degree"])
    spanner = (percentile(metrics["betweenness"]) >= rules.spanner_betweenness) & \
        (percentile(metrics["cross_department_ties"]) >= rules.spanner_cross) & \
        (metrics["betweenness"] > 0)
    connector = (degree >= rules.connector_degree) & (metrics["degree"] > rules.peripheral_max_ties)
    peripheral = (degree <= rules.peripheral_degree) | (metrics["degree"] <= rules.peripheral_max_ties)
    role = np.select([spanner, connector, peripheral], list(ROLES[:3]), default=ROLES[3])
    return pd.Series(role, index=metrics.index, name="role")
