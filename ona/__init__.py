"""ona: organisational network analysis.

Load people, collaboration metadata and declared relationships into a network, and
ask who the decision-makers know, who is visible, and where the silos are.

>>> import ona
>>> net = ona.load(ona.sample_path("acme"))
>>> table = ona.people_metrics(net)
>>> len(table) == len(net.people)
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .brief import write_brief
from .centrality import PathSettings
from .compare import PeriodComparison, compare_periods
from .confidence import ConfidenceSettings
from .errors import ConfigError, InputError, OnaError
from .export import network_graph, write_graph, write_workbook
from .fairness import FairnessSettings, fairness
from .figures import (
    department_heatmap,
    ego_network,
    ei_chart,
    hidden_talent_scatter,
    review_matrix,
    tribe_department_heatmap,
    tribe_map,
    visibility_parts,
)
from .generate import GeneratedOrg, generate_organisation, write_organisation
from .groups import (
    GroupSettings,
    bridge_people,
    department_table,
    ei_index,
    group_bridges,
    group_matrix,
    tribe_department_shares,
    tribe_department_table,
    tribe_table,
)
from .hidden import HiddenTalentRules, hidden_talent, high_performers
from .interactions import InteractionSummary, Weighting, aggregate_interactions
from .load import from_frames, load
from .metrics import degree_metrics, people_metrics
from .network import OrgNetwork, build_graph, default_layers, select_ties
from .pipeline import AnalysisResult, ReviewResult, analyze, review
from .pseudonymize import pseudonym_map, pseudonymize
from .quality import QualityReport
from .roles import RoleRules, assign_roles
from .settings import Settings
from .sources import Imported, match_people, read_edge_list, read_ics, read_slack_export, read_viva_p2p
from .survey import SurveyCoverage, survey_coverage
from .talent_review import ReviewRules, TalentReview, find_people, read_ids, resolve_rules, talent_review
from .ties import TieArrays, TieRule, backbone, strong_tie_weight, tie_arrays
from .tribes import (
    TribeResult,
    TribeSettings,
    detect_tribes,
    partition_agreement,
    tribe_stability,
    tribes_with_stability,
)
from .visibility import VisibilityRules, senior_leaders

__version__ = "0.1.0"

__all__ = [
    # settings: one frozen dataclass per rule set (ona.settings)
    "Settings", "VisibilityRules", "HiddenTalentRules", "TribeSettings", "GroupSettings",
    # load: a data folder, DataFrames, or another tool's export
    "load", "from_frames", "sample_path", "OrgNetwork", "QualityReport", "Weighting",
    "aggregate_interactions", "InteractionSummary",
    "read_viva_p2p", "read_edge_list", "read_slack_export", "read_ics", "match_people", "Imported",
    # build
    "build_graph", "default_layers", "select_ties", "tie_arrays", "TieRule", "TieArrays", "backbone",
    "strong_tie_weight",
    # measure
    "people_metrics", "degree_metrics", "PathSettings", "senior_leaders", "RoleRules", "assign_roles",
    # tribes and silos
    "detect_tribes", "tribe_stability", "tribes_with_stability", "partition_agreement", "TribeResult",
    "department_table",
    "ei_index", "tribe_table", "group_matrix", "group_bridges", "bridge_people", "tribe_department_table",
    "tribe_department_shares",
    # talent review
    "review", "ReviewResult", "talent_review", "TalentReview", "ReviewRules", "read_ids",
    "find_people", "resolve_rules", "write_brief", "survey_coverage", "SurveyCoverage",
    # hidden talent; fairness of access by group
    "hidden_talent", "high_performers", "fairness", "FairnessSettings",
    # the whole analysis, periods, exports
    "analyze", "AnalysisResult", "ConfidenceSettings", "compare_periods", "PeriodComparison", "write_workbook",
    "write_graph", "network_graph",
    # figures (plotly)
    "department_heatmap", "tribe_map", "tribe_department_heatmap", "ei_chart", "ego_network",
    "visibility_parts", "review_matrix", "hidden_talent_scatter",
    # privacy, generated organisations, errors
    "pseudonymize", "pseudonym_map", "generate_organisation", "write_organisation", "GeneratedOrg",
    "OnaError", "InputError", "ConfigError",
]

# the bundled samples ship inside the package (``sample_data/`` in a checkout links here)
_SAMPLES = Path(str(resources.files(__name__).joinpath("samples")))


def sample_path(name: str = "acme") -> Path:
    """Folder of a bundled sample organisation: ``acme`` (generated, 300 people),
    ``krackhardt`` (21 managers) or ``lazega`` (71 lawyers).

    Parameters
    ----------
    name : str, default "acme"
        The sample's name: ``"acme"``, ``"krackhardt"`` or ``"lazega"``.

    Returns
    -------
    Path
        The sample's folder inside the installed package, ready for :func:`ona.load`.

    Raises
    ------
    ona.errors.ConfigError
        There is no sample of that name; the message lists the samples available.

    Examples
    --------
    >>> sample_path("krackhardt").name
    'krackhardt'
    """
    path = _SAMPLES / name
    if not path.is_dir():
        available = sorted(p.name for p in _SAMPLES.iterdir() if p.is_dir()) if _SAMPLES.is_dir() else []
        raise ConfigError(f"no sample organisation {name!r}; available: {', '.join(available) or 'none'}")
    return path
