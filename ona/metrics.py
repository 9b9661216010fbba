"""Per-person network measures. Every person on the people list gets a row; no ties = zeros.

Which ties count: the tie rule of :mod:`ona.ties` (by default the pairs whose interaction
weight is above chance, or declared), on the chosen layers combined (default: every
interaction channel, or every declared relation without an event log). The pair's
weight is the sum of both. Directed measures (in/out degree and strength, PageRank) use
the directed ties of the pairs kept. docs/metrics.md gives each formula.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import schema as S
from .centrality import PathSettings, centrality_measures
from .network import OrgNetwork, declared_ties, default_layers, stored_ties
from .roles import RoleRules, assign_roles
from .ties import STRONG_QUANTILE, TieArrays, TieRule, pair_weights, tie_arrays
from .visibility import senior_leaders, visibility_measures

__all__ = ["degree_metrics", "people_metrics", "tie_arrays", "pair_weights", "DEGREE_COLUMNS"]

DEGREE_COLUMNS = ("degree", "in_degree", "out_degree", "strength", "in_strength", "out_strength")


def degree_metrics(network: OrgNetwork, *, layers: Iterable[str] | None = None,
                   rule: TieRule | None = None, min_weight: float | None = None) -> pd.DataFrame:
    """Degree and strength of everyone, over the ties that count (see the module doc).

    - ``degree``: distinct people tied to the person in either direction.
    - ``out_degree`` / ``in_degree``: distinct people the person reaches out to /
      who reach out to the person (or, for declared relations, name / are named by).
    - ``strength``: total weight of the person's ties in both directions;
      ``out_strength`` / ``in_strength`` the directed parts.

    Parameters
    ----------
    network : OrgNetwork
        The network measured.
    layers : iterable of str, optional
        The layers measured (default: every interaction channel, or every declared
        relation without an event log).
    rule : TieRule, optional
        Which pairs count as tied (:class:`~ona.ties.TieRule`; default the pairs above
        chance). Not with ``min_weight``.
    min_weight : float, optional
        A shortcut for the fixed cut-off rule with this weight.

    Returns
    -------
    DataFrame
        One row per person on the people list, in its order, indexed by employee_id:
        degree, in_degree, out_degree (integers), strength, in_strength, out_strength
        (floats); zeros for people without ties.

    Examples
    --------
    >>> people = pd.DataFrame({"department": ["A", "A", "B"]},
    ...                       index=pd.Index(["a", "b", "c"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a", "b"], "target_id": ["b", "a"],
    ...                      "layer": "email", "kind": "interaction",
    ...                      "weight": [1.5, 0.5], "count": [1.0, 1.0]})
    >>> degree_metrics(OrgNetwork(people, ties))[["degree", "in_degree", "strength"]]
                 degree  in_degree  strength
    employee_id
    a                 1          1       2.0
    b                 1          1       2.0
    c                 0          0       0.0
    """
    arrays = tie_arrays(network, layers=layers, rule=rule, min_weight=min_weight)
    return _degrees(arrays, network.people.index)


def _degrees(ties: TieArrays, index: pd.Index) -> pd.DataFrame:
    n = ties.n
    ends = np.concatenate([ties.u, ties.v])
    end_w = np.concatenate([ties.w, ties.w])
    out = pd.DataFrame(index=index)
    out["degree"] = np.bincount(ends, minlength=n).astype(np.int64)
    out["in_degree"] = np.bincount(ties.t, minlength=n).astype(np.int64)
    out["out_degree"] = np.bincount(ties.s, minlength=n).astype(np.int64)
    out["strength"] = np.bincount(ends, weights=end_w, minlength=n).astype(float)
    out["in_strength"] = np.bincount(ties.t, weights=ties.ws, minlength=n).astype(float)
    out["out_strength"] = np.bincount(ties.s, weights=ties.ws, minlength=n).astype(float)
    out.index.name = S.EMPLOYEE_ID
    return out


def people_metrics(network: OrgNetwork, *, layers: Iterable[str] | None = None,
                   rule: TieRule | None = None, min_weight: float | None = None,
                   senior_levels: int = 2,
                   leaders: Iterable[str] | None = None, strong_quantile: float = STRONG_QUANTILE,
                   paths: PathSettings = PathSettings(),
                   roles: RoleRules = RoleRules(), ties: TieArrays | None = None) -> pd.DataFrame:
    """The ``people_metrics`` table: employee_id, department, every measure, a role, then
    the people attributes. One row per person on the people list, in its order.

    Parameters
    ----------
    network : OrgNetwork
        The network measured.
    layers : iterable of str, optional
        The layers measured (default: every interaction channel, or every declared
        relation without an event log).
    rule : TieRule, optional
        Which pairs count as tied (:class:`~ona.ties.TieRule`; by default
        the pairs above chance). Not with ``min_weight``.
    min_weight : float, optional
        A shortcut for the fixed cut-off rule with this weight.
    senior_levels : int, default 2
        The senior leaders for visibility: everyone in the top ``senior_levels`` levels
        present (2), unless ``leaders`` are given.
    leaders : iterable of str, optional
        The senior leaders' employee_ids, used instead of ``senior_levels`` (each must be
        on the people list).
    strong_quantile : float, default 0.75
        A strong tie (for reach through an intermediary) is in this top
        quantile of tie weights (0.75).
    paths : PathSettings, default PathSettings()
        Exact or sampled path measures (:class:`~ona.centrality.PathSettings`).
    roles : RoleRules, default RoleRules()
        The role thresholds (:class:`~ona.roles.RoleRules`).
    ties : TieArrays, optional
        The ties that count, if already built by :func:`tie_arrays` with the same
        layers and rule (saves building them twice on large networks).

    Returns
    -------
    DataFrame
        Indexed by employee_id: department; degree, in_degree, out_degree, strength,
        in_strength, out_strength; pagerank, betweenness, harmonic, eigenvector, constraint,
        effective_size, clustering; the visibility counts, parts, ``visibility_score`` and
        ``visibility`` (percentile 0-100); ``role``; then the other people columns.

        ``table.attrs`` records how the measures were computed (layers, thresholds,
        exact or sampled, the visibility components used).

    References
    ----------
    Brin, S. and Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.
    *Computer Networks and ISDN Systems*, 30(1-7), 107-117 (PageRank).
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
    University Press (constraint, effective size).
    Coscia, M. and Neffke, F. M. H. (2017). Network backboning with noisy data. *Proceedings
    of the 33rd IEEE International Conference on Data Engineering*, 425-436 (the default tie
    rule).

    Examples
    --------
    >>> import ona
    >>> table = people_metrics(ona.load(ona.sample_path("krackhardt")), layers=["advice"])
    >>> int(table.loc["2", "in_degree"]), len(table), table["in_degree"].idxmax()
    (18, 21, '2')
    """
    chosen = list(layers) if layers is not None else default_layers(stored_ties(network))
    arrays = ties if ties is not None else tie_arrays(network, layers=chosen, rule=rule,
                                                      min_weight=min_weight)
    people = network.people
    measures = _degrees(arrays, people.index)
    central, how = centrality_measures(arrays, paths)
    central.index = people.index
    top = senior_leaders(people, levels=senior_levels, leaders=leaders)
    visible, note = visibility_measures(people, arrays, declared_ties(network), leaders=top,
                                        strong_quantile=strong_quantile)
    table = pd.concat([people[[S.DEPARTMENT]], measures, central, visible], axis=1)
    table["role"] = assign_roles(table, roles)
    attributes = people.drop(columns=[S.DEPARTMENT])
    table = pd.concat([table, attributes], axis=1)
    table.index.name = S.EMPLOYEE_ID
    table.attrs.update({"layers": chosen, "tie_rule": arrays.rule.record(),
                        "tie_rule_text": arrays.rule.describe(), "ties": int(len(arrays.u)),
                        "pairs_seen": arrays.pairs_seen,
                        "senior_levels": senior_levels, "strong_quantile": strong_quantile,
                        **how, **note})
    return table
