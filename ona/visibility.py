"""Visibility: do people outside my unit know my work? Do the decision-makers?

A person's **unit** is their team (their department when there is no team column), their
own manager and their direct reports. Visibility has three direct parts and one indirect:

1. **outside** — contacts outside the unit, each counted by the strength of the tie,
   ``c(w) = w / (w + w_typ)`` where ``w_typ`` is the median weight of the organisation's
   ties: a tie of typical weight counts half a contact, a strong one nearly a whole one, a
   single cc a small fraction. Contacts in another department count twice (they are
   outside both the team and the department).
2. **leaders** — senior leaders tied to the person, each counted by ``c(w)`` the same way.
3. **declared** — people outside the unit who declare that they know the person's work
   (``knows_work``) or advocate for them (``advocacy``, ``sponsor``), whatever layers are
   measured; only with survey answers.
4. **second-hand reach** (indirect) — senior leaders the person is not tied to but reaches
   through one colleague by two strong ties (each in the top quarter of tie weights).

Each part ``x`` goes on a 0-1 scale with diminishing returns, ``log(1 + x) / log(1 + R)``
capped at 1, where ``R`` is the 95th percentile of the part among the people who have any.
The **direct score** ``D`` is the mean of the direct parts that can be computed (without
levels there are no leaders, without survey answers no declared part). Second-hand reach
raises it by at most a quarter and never lifts anyone from zero on its own:
``visibility_score = D * (1 + I / 4)`` with ``I`` the scaled second-hand reach.

``visibility`` is the percentile (0-100) of the score: the share of the organisation
strictly less visible. Weighted contacts make the score continuous, so people rarely
share a value; only people with no direct visibility at all share 0.

The counts shown beside the score (``outside_team_ties``, ``cross_department_ties``,
``leader_ties``, ``leader_reach``, ``recognition``, ``recognition_outside_team``) count
distinct people, for reading; ``outside_contact`` and ``leader_contact`` are the weighted
parts the score uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .network import in_layers, tie_codes
from .ties import STRONG_QUANTILE, TieArrays

__all__ = ["VisibilityRules", "VisibilitySetting", "senior_leaders", "visibility_measures", "visibility_setting",
           "leader_links", "RECOGNITION_RELATIONS",
           "percentile", "scaled", "contact_strength", "unit_codes", "INDIRECT_SHARE", "VISIBILITY_PARTS"]

#: Declared relations that say the source knows or speaks for the target.
RECOGNITION_RELATIONS = ("knows_work", "advocacy", "sponsor")
#: How much second-hand reach to leaders can raise the direct score (a quarter).
INDIRECT_SHARE = 0.25
#: The columns visibility_measures adds, in order.
VISIBILITY_PARTS = ("cross_department_ties", "outside_team_ties", "outside_contact", "leader_ties",
                    "leader_contact", "leader_reach", "recognition", "recognition_outside_team",
                    "visibility_score", "visibility")


@dataclass(frozen=True)
class VisibilityRules:
    """Who the senior leaders are, and what a strong tie is, for visibility.

    Parameters
    ----------
    senior_levels : int, default 2
        Everyone in the top ``senior_levels`` levels present is a senior leader
        (:func:`senior_leaders`; fewer levels when that would be more than half).
    leaders : tuple of str or None, default None
        The senior leaders' employee_ids, instead of the levels.
    strong_quantile : float, default 0.75
        A tie is strong (for second-hand reach) when its weight is at least this quantile
        of the weights of the tied pairs (:func:`ona.ties.strong_tie_weight`).

    >>> VisibilityRules(leaders=["a", "b"]).leaders
    ('a', 'b')
    """

    senior_levels: int = 2
    leaders: tuple[str, ...] | None = None
    strong_quantile: float = STRONG_QUANTILE

    def __post_init__(self) -> None:
        if int(self.senior_levels) < 1:
            raise ConfigError(f"senior_levels must be at least 1, got {self.senior_levels!r}")
        if self.leaders is not None:
            if isinstance(self.leaders, str):
                raise ConfigError("leaders is a list of employee_ids, not one string")
            object.__setattr__(self, "leaders", tuple(str(x) for x in self.leaders))
        if not 0 < self.strong_quantile < 1:
            raise ConfigError(f"strong_quantile is a quantile between 0 and 1, got {self.strong_quantile!r}")


def percentile(values: pd.Series) -> pd.Series:
    """Mid-rank percentile (0-100) within the series.

    >>> percentile(pd.Series([0, 0, 5, 10])).tolist()
    [37.5, 37.5, 75.0, 100.0]
    """
    return values.rank(method="average", pct=True) * 100.0


def scaled(counts: pd.Series, top: float = 0.95) -> pd.Series:
    """A part on a 0-1 scale with diminishing returns: log(1 + x) / log(1 + R), capped at
    1, where R is the ``top`` quantile among the values above 0 (at least 1 when the part
    is a count of at least one).

    >>> scaled(pd.Series([0, 1, 3] * 10)).round(3).tolist()[:3]  # R = 3
    [0.0, 0.5, 1.0]
    """
    values = counts.astype(float)
    positive = values[values > 0]
    if positive.empty:
        return values * 0.0
    reference = float(positive.quantile(top))
    return (np.log1p(values) / np.log1p(reference)).clip(upper=1.0)


def contact_strength(weights: np.ndarray, typical: float) -> np.ndarray:
    """How much one contact counts, by the tie's weight: ``w / (w + typical)``.

    >>> contact_strength(np.array([1.0, 3.0, 0.1]), 1.0).round(3).tolist()
    [0.5, 0.75, 0.091]
    """
    weights = np.asarray(weights, dtype=float)
    if not typical > 0:
        return (weights > 0).astype(float)
    return weights / (weights + typical)


def senior_leaders(people: pd.DataFrame, *, levels: int = 2,
                   leaders: Iterable[str] | None = None) -> list[str]:
    """The senior leaders: ``leaders`` if given, else everyone in the top ``levels`` levels
    present in the people list (by default the top two). Leaders are a minority: when the
    top levels would take in more than half of the people, fewer levels are used (down to
    the top level alone). Empty without a level column, and when everyone is on one level.

    Parameters
    ----------
    people : DataFrame
        The people table indexed by employee_id, with a ``level`` column (a higher number
        is more senior) when leaders are to be found from it.
    levels : int, default 2
        How many of the top levels present count as senior (at least 1).
    leaders : iterable of str, optional
        The senior leaders' employee_ids, taken as given instead (each must be on the
        people list).

    Returns
    -------
    list
        The senior leaders' employee_ids: ``leaders`` as text when given, otherwise in the
        people list's order.

    Examples
    --------
    >>> people = pd.DataFrame({"level": [5, 4, 4, 1, 1, 1, 1]}, index=list("abcdefg"))
    >>> senior_leaders(people)
    ['a', 'b', 'c']
    >>> firm = pd.DataFrame({"level": [2, 2, 1, 1, 1]}, index=list("pqrst"))  # two levels
    >>> senior_leaders(firm)
    ['p', 'q']
    >>> senior_leaders(pd.DataFrame({"level": [1, 1, 1]}, index=list("xyz")))
    []
    """
    if leaders is not None:
        chosen = [str(x) for x in leaders]
        unknown = [x for x in chosen if x not in people.index]
        if unknown:
            raise ConfigError(f"senior leaders not on the people list: {', '.join(unknown[:5])}")
        return chosen
    if levels < 1:
        raise ConfigError(f"senior levels must be at least 1, got {levels}")
    if S.LEVEL not in people or people[S.LEVEL].isna().all():
        return []
    present = sorted(people[S.LEVEL].dropna().unique(), reverse=True)
    if len(present) < 2:  # one level: nobody is senior to anyone
        return []
    for count in range(min(levels, len(present)), 0, -1):
        chosen = people[S.LEVEL].isin(present[:count])
        if chosen.sum() <= len(people) / 2 or count == 1:
            return people.index[chosen].tolist()
    return []


def unit_codes(people: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Team and department codes per person position. A team is known by its department
    and its name ("Team 1" in Sales is not "Team 1" in Research); a person without a team
    is in a team of their department's people without one.

    >>> people = pd.DataFrame({"department": ["A", "A", "B"], "team": ["T", "T", "T"]})
    >>> [x.tolist() for x in unit_codes(people)]
    [[0, 0, 1], [0, 0, 1]]
    """
    dept = pd.factorize(people[S.DEPARTMENT])[0]
    if S.TEAM not in people:
        return dept.copy(), dept
    team = pd.factorize(people[S.DEPARTMENT].astype(str) + "\x00" + people[S.TEAM].astype(str))[0]
    team = np.where(people[S.TEAM].isna().to_numpy(), -1 - dept, team)
    return team, dept


def _manager_positions(people: pd.DataFrame) -> np.ndarray:
    """Position of each person's manager, -1 when there is none on the list."""
    if S.MANAGER_ID not in people:
        return np.full(len(people), -1)
    position = pd.Series(np.arange(len(people)), index=people.index.astype(str))
    return position.reindex(people[S.MANAGER_ID].astype("string").fillna("").to_numpy()) \
        .fillna(-1).astype(np.int64).to_numpy()


def leader_links(u: np.ndarray, v: np.ndarray, w: np.ndarray, person: int, is_leader: np.ndarray,
                 strong_weight: float) -> tuple[list[int], dict[int, int]]:
    """Who is behind one person's ``leader_ties`` and ``leader_reach``: the senior leaders
    tied to ``person`` directly, and each other leader reached through one colleague by two
    strong ties (weight at least ``strong_weight``), with that colleague. Positions in and
    out; ``u, v, w`` are the ties (each pair once or both ways).

    >>> u, v, w = np.array([0, 1, 0]), np.array([1, 2, 3]), np.array([5.0, 5.0, 1.0])
    >>> leader_links(u, v, w, 0, np.array([False, False, True, True]), strong_weight=4.0)
    ([3], {2: 1})
    """
    touching = (u == person) | (v == person)
    near = np.where(u[touching] == person, v[touching], u[touching])
    direct = sorted({int(x) for x in near if is_leader[x] and x != person})
    close = np.unique(near[w[touching] >= strong_weight])
    via: dict[int, int] = {}
    step = (np.isin(u, close) | np.isin(v, close)) & (w >= strong_weight)
    for a, b in sorted(zip(u[step].tolist(), v[step].tolist())):
        for colleague, leader in ((a, b), (b, a)):
            if colleague in close and is_leader[leader] and leader != person and leader not in direct:
                via.setdefault(int(leader), int(colleague))
    return direct, dict(sorted(via.items()))


def _leader_reach(n: int, a: np.ndarray, b: np.ndarray, strong: np.ndarray, direct: np.ndarray,
                  is_leader: np.ndarray) -> np.ndarray:
    """Per person, the leaders tied to them or reached through one colleague by two strong
    ties; as sparse products, never a table of every path.

    >>> a, b = np.array([0, 1, 1, 2]), np.array([1, 0, 2, 1])  # 0-1 and 1-2, both strong
    >>> _leader_reach(3, a, b, np.ones(4, bool), np.array([False, False, True, False]),
    ...               np.array([False, False, True])).tolist()  # 0 reaches leader 2 via 1
    [1, 1, 0]
    """
    from scipy import sparse
    leaders = np.flatnonzero(is_leader)
    if not len(leaders):
        return np.zeros(n, dtype=np.int64)
    column = np.full(n, -1)
    column[leaders] = np.arange(len(leaders))
    k = len(leaders)
    to_leader = strong & is_leader[b]
    mid_to_leader = sparse.csr_matrix((np.ones(int(to_leader.sum()), dtype=np.int32),
                                       (a[to_leader], column[b[to_leader]])), shape=(n, k))
    steps = sparse.csr_matrix((np.ones(int(strong.sum()), dtype=np.int32), (a[strong], b[strong])),
                              shape=(n, n))
    reach = steps @ mid_to_leader
    reach = reach + sparse.csr_matrix((np.ones(int(direct.sum()), dtype=np.int32),
                                       (a[direct], column[b[direct]])), shape=(n, k))
    reach = reach.tocoo()
    not_self = leaders[reach.col] != reach.row  # a leader does not reach themself
    return np.bincount(reach.row[not_self], minlength=n).astype(np.int64)


@dataclass(frozen=True)
class VisibilitySetting:
    """What visibility reads that does not depend on the ties measured: each person's team,
    department and manager (positions), who the senior leaders are, and the declared
    recognition (how many name each person, and how many of those from outside their unit).
    ``declared``: whether any recognition relation is declared at all."""

    team: np.ndarray
    dept: np.ndarray
    manager: np.ndarray
    is_leader: np.ndarray
    recognition: np.ndarray
    recognition_outside: np.ndarray
    declared: bool


def visibility_setting(people: pd.DataFrame, all_ties: pd.DataFrame, leaders: Sequence[str]) -> VisibilitySetting:
    """The :class:`VisibilitySetting` of these people (:func:`visibility_measures`).

    >>> people = pd.DataFrame({"department": ["A", "A", "B"]}, index=pd.Index(["x", "y", "z"], name="employee_id"))
    >>> setting = visibility_setting(people, pd.DataFrame(columns=["kind", "layer"]), leaders=["z"])
    >>> setting.is_leader.tolist(), setting.declared
    ([False, False, True], False)
    """
    n = len(people)
    team, dept = unit_codes(people)
    manager = _manager_positions(people)
    position = pd.Series(np.arange(n), index=people.index)
    is_leader = np.zeros(n, dtype=bool)
    is_leader[position.reindex(list(leaders)).dropna().astype(int).to_numpy()] = True
    declared = all_ties.loc[in_layers(all_ties, RECOGNITION_RELATIONS)
                            & all_ties[S.KIND].eq(S.KIND_RELATIONSHIP).to_numpy(bool)] if len(all_ties) else all_ties
    recognition = np.zeros(n, dtype=np.int64)
    recognition_outside = np.zeros(n, dtype=np.int64)
    if len(declared):
        src, tgt, ids = tie_codes(declared)
        to_pos = position.reindex(ids).to_numpy()
        pairs = pd.DataFrame({"s": to_pos[src], "t": to_pos[tgt]}).dropna().astype(int).drop_duplicates()
        pairs = pairs.loc[pairs["s"] != pairs["t"]]
        s_pos, t_pos = pairs["s"].to_numpy(), pairs["t"].to_numpy()
        recognition = np.bincount(t_pos, minlength=n)
        unit = (team[s_pos] == team[t_pos]) | (manager[s_pos] == t_pos) | (manager[t_pos] == s_pos)
        recognition_outside = np.bincount(t_pos[~unit], minlength=n)
    return VisibilitySetting(team=team, dept=dept, manager=manager, is_leader=is_leader, recognition=recognition,
                             recognition_outside=recognition_outside, declared=bool(len(declared)))


def visibility_measures(people: pd.DataFrame, ties: TieArrays, all_ties: pd.DataFrame, *,
                        leaders: Sequence[str], strong_quantile: float = STRONG_QUANTILE,
                        fixed: VisibilitySetting | None = None) -> tuple[pd.DataFrame, dict]:
    """The visibility parts and score for every person (rows in the order of ``people``).

    Parameters
    ----------
    people : the people table (index employee_id) — positions match ``ties``.
    ties : the chosen layers' ties (:class:`~ona.ties.TieArrays`).
    all_ties : the whole tie table (for declared recognition, whatever the layers).
    leaders : employee_ids of the senior leaders.
    strong_quantile : a tie is strong when its weight is at least this quantile of the
        weights of all ties measured (0.75: the strongest quarter); used for second-hand
        reach.
    fixed : what does not depend on ``ties`` (:func:`visibility_setting` of the same
        people, all_ties and leaders), when already worked out: the confidence reruns
        measure visibility again on resampled ties and work it out once.

    Returns the frame (the columns of :data:`VISIBILITY_PARTS`) and a note of what was used.

    >>> people = pd.DataFrame({"department": ["A", "A", "B"], "team": ["a", "a", "b"]},
    ...                       index=pd.Index(["x", "y", "z"], name="employee_id"))
    >>> arrays = TieArrays(n=3, u=np.array([0, 0]), v=np.array([1, 2]), w=np.array([4.0, 1.0]),
    ...                    s=np.array([0, 0]), t=np.array([1, 2]), ws=np.array([4.0, 1.0]))
    >>> frame, note = visibility_measures(people, arrays, pd.DataFrame(columns=["kind", "layer"]),
    ...                                   leaders=[])
    >>> # typical weight = median(4, 1) = 2.5; x-z counts 2 * 1 / (1 + 2.5) (another department)
    >>> frame["outside_contact"].round(3).tolist(), frame["visibility"].tolist()
    ([0.571, 0.0, 0.571], [50.0, 0.0, 50.0])
    """
    if not 0 < strong_quantile < 1:
        raise ConfigError(f"the strong-tie quantile must be between 0 and 1, got {strong_quantile!r}")
    fixed = fixed if fixed is not None else visibility_setting(people, all_ties, leaders)
    n = len(people)
    team, dept, manager, is_leader = fixed.team, fixed.dept, fixed.manager, fixed.is_leader
    a = np.concatenate([ties.u, ties.v])
    b = np.concatenate([ties.v, ties.u])
    w = np.concatenate([ties.w, ties.w])
    typical = float(np.median(ties.w)) if len(ties.w) else 1.0
    strength = contact_strength(w, typical)
    # the unit: same team, or one's own manager or direct report
    same_unit = (team[a] == team[b]) | (manager[a] == b) | (manager[b] == a)
    other_dept = dept[a] != dept[b]
    outside = ~same_unit
    out = pd.DataFrame(index=people.index)
    out["cross_department_ties"] = np.bincount(a[other_dept], minlength=n)
    out["outside_team_ties"] = np.bincount(a[outside], minlength=n)
    outside_weight = strength[outside] * np.where(other_dept[outside], 2.0, 1.0)
    out["outside_contact"] = np.bincount(a[outside], weights=outside_weight,
                                         minlength=n)

    direct = is_leader[b] & (a != b)
    out["leader_ties"] = np.bincount(a[direct], minlength=n)
    out["leader_contact"] = np.bincount(a[direct], weights=strength[direct], minlength=n)
    threshold = float(np.quantile(ties.w, strong_quantile)) if len(ties.w) else np.inf
    out["leader_reach"] = _leader_reach(n, a, b, w >= threshold, direct, is_leader)

    recognition, recognition_outside = fixed.recognition, fixed.recognition_outside
    out["recognition"] = recognition
    out["recognition_outside_team"] = recognition_outside

    parts = {"outside": out["outside_contact"]}
    if is_leader.any():
        parts["leaders"] = out["leader_contact"]
    if fixed.declared:
        parts["declared"] = out["recognition_outside_team"]
    direct_score = pd.concat({k: scaled(v) for k, v in parts.items()}, axis=1).mean(axis=1)
    second_hand = scaled(out["leader_reach"] - out["leader_ties"]) if is_leader.any() else 0.0
    out["visibility_score"] = direct_score * (1.0 + INDIRECT_SHARE * second_hand)
    # the share of the organisation strictly less visible: 0 for the least visible, and
    # people with equal scores share the lower value (so a crowd at zero stays at zero)
    out["visibility"] = (out["visibility_score"].rank(method="min") - 1) / max(n - 1, 1) * 100.0
    note = {"visibility_components": list(parts) + (["second-hand reach"] if is_leader.any() else []),
            "senior_leaders": int(is_leader.sum()),
            "typical_tie_weight": typical if len(ties.w) else None,
            "strong_tie_weight": threshold if np.isfinite(threshold) else None}
    return out, note
