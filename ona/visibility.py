"""Visibility: do people outside my unit know my work? Do the decision-makers?

Three components, each a count per person:

1. **outside** — ``outside_team_ties + cross_department_ties``: the distinct people
   outside the person's team tied to them, where people from other departments count
   twice (they are outside both the team and the department);
2. **leaders** — ``2 * leader_ties + (leader_reach - leader_ties)``: a senior leader with a
   direct tie counts twice, one reached through a single intermediary by two strong ties
   counts once;
3. **declared** — ``recognition_outside_team``: distinct people outside the person's team
   who declare that they know the person's work (``knows_work``) or advocate for them
   (``advocacy``, ``sponsor``), whatever layers are measured. ``recognition`` counts every
   such declaration, teammates' included; teammates knowing one's work does not make one
   visible outside the unit, so the score uses the outside part.

Each count ``x`` is put on a 0-1 scale with diminishing returns,
``log(1 + x) / log(1 + P95)`` capped at 1, where P95 is the component's 95th percentile
in the organisation (at least 1): the first few outside contacts or leaders matter more
than the thirtieth, and a count is never flattened into a rank. ``visibility`` is the
percentile (0-100) of the mean of the components that can be computed — the share of the
organisation strictly less visible than the person, so the least visible are at 0 and a
crowd of people nobody knows stays at 0 however large it is. Without
levels there are no senior leaders, without survey answers there is no declared
component, and ``table.attrs`` says which were used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from . import schema as S
from .centrality import TieArrays
from .errors import ConfigError
from .network import tie_codes

__all__ = ["senior_leaders", "visibility_measures", "RECOGNITION_RELATIONS", "percentile", "scaled"]

#: Declared relations that say the source knows or speaks for the target.
RECOGNITION_RELATIONS = ("knows_work", "advocacy", "sponsor")


def percentile(values: pd.Series) -> pd.Series:
    """Mid-rank percentile (0-100) within the series.

    >>> percentile(pd.Series([0, 0, 5, 10])).tolist()
    [37.5, 37.5, 75.0, 100.0]
    """
    return values.rank(method="average", pct=True) * 100.0


def scaled(counts: pd.Series, top: float = 0.95) -> pd.Series:
    """A count on a 0-1 scale with diminishing returns: log(1 + x) / log(1 + P95), capped at 1.

    >>> scaled(pd.Series([0, 1, 3] * 10)).round(3).tolist()[:3]  # P95 = 3
    [0.0, 0.5, 1.0]
    """
    reference = max(float(counts.quantile(top)), 1.0)
    return (np.log1p(counts.astype(float)) / np.log1p(reference)).clip(upper=1.0)


def senior_leaders(people: pd.DataFrame, *, levels: int = 2,
                   leaders: Iterable[str] | None = None) -> list[str]:
    """The senior leaders: ``leaders`` if given, else everyone in the top ``levels`` levels
    present in the people list (by default the top two). Leaders are a minority: when the
    top levels would take in more than half of the people, fewer levels are used (down to
    the top level alone). Empty without a level column.

    >>> people = pd.DataFrame({"level": [5, 4, 4, 1, 1, 1, 1]}, index=list("abcdefg"))
    >>> senior_leaders(people)
    ['a', 'b', 'c']
    >>> firm = pd.DataFrame({"level": [2, 2, 1, 1, 1]}, index=list("pqrst"))  # two levels
    >>> senior_leaders(firm)
    ['p', 'q']
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
    for count in range(min(levels, len(present)), 0, -1):
        chosen = people[S.LEVEL].isin(present[:count])
        if chosen.sum() <= len(people) / 2 or count == 1:
            return people.index[chosen].tolist()
    return []


def _both_ways(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([a, b]), np.concatenate([b, a])


def visibility_measures(people: pd.DataFrame, ties: TieArrays, all_ties: pd.DataFrame, *,
                        leaders: Sequence[str], strong_quantile: float = 0.75) -> tuple[pd.DataFrame, dict]:
    """The visibility parts and score for every person (rows in the order of ``people``).

    Parameters
    ----------
    people : the people table (index employee_id) — positions match ``ties``.
    ties : the chosen layers' ties (:class:`~ona.centrality.TieArrays`).
    all_ties : the whole tie table (for declared recognition, whatever the layers).
    leaders : employee_ids of the senior leaders.
    strong_quantile : a tie is strong when its weight is at least this quantile of the
        weights of all ties measured (0.75: the strongest quarter).

    Returns the frame (cross_department_ties, outside_team_ties, leader_ties,
    leader_reach, recognition, recognition_outside_team, visibility) and a note of what
    was used.
    """
    n = len(people)
    a, b = _both_ways(ties.u, ties.v)
    dept = pd.factorize(people[S.DEPARTMENT])[0]
    # a team is known by its department and its name ("Team 1" in Sales is not "Team 1" in Research)
    team = (pd.factorize(people[S.DEPARTMENT].astype(str) + "\x00" + people[S.TEAM].astype(str))[0]
            if S.TEAM in people else dept)
    team = np.where(people[S.TEAM].isna().to_numpy(), -1 - dept, team) if S.TEAM in people else team
    out = pd.DataFrame(index=people.index)
    out["cross_department_ties"] = np.bincount(a[dept[a] != dept[b]], minlength=n)
    out["outside_team_ties"] = np.bincount(a[team[a] != team[b]], minlength=n)

    position = pd.Series(np.arange(n), index=people.index)
    is_leader = np.zeros(n, dtype=bool)
    is_leader[position.reindex(list(leaders)).dropna().astype(int).to_numpy()] = True
    direct = is_leader[b]
    out["leader_ties"] = np.bincount(a[direct], minlength=n)
    if len(ties.w):
        threshold = float(np.quantile(ties.w, strong_quantile))
    else:
        threshold = np.inf
    strong = np.concatenate([ties.w, ties.w]) >= threshold
    sa, sb = a[strong], b[strong]
    to_leader = pd.DataFrame({"mid": sa[is_leader[sb]], "leader": sb[is_leader[sb]]})
    via = pd.DataFrame({"person": sa, "mid": sb}).merge(to_leader, on="mid")[["person", "leader"]]
    reach = pd.concat([pd.DataFrame({"person": a[direct], "leader": b[direct]}), via],
                      ignore_index=True).drop_duplicates()
    reach = reach.loc[reach["person"] != reach["leader"]]
    out["leader_reach"] = np.bincount(reach["person"].to_numpy(int), minlength=n)

    declared = all_ties.loc[all_ties[S.KIND].eq(S.KIND_RELATIONSHIP)
                            & all_ties[S.LAYER].isin(RECOGNITION_RELATIONS)]
    recognition = np.zeros(n, dtype=np.int64)
    recognition_outside = np.zeros(n, dtype=np.int64)
    if not declared.empty:
        src, tgt, ids = tie_codes(declared)
        to_pos = position.reindex(ids).to_numpy()
        pairs = pd.DataFrame({"s": to_pos[src], "t": to_pos[tgt]}).dropna().astype(int).drop_duplicates()
        pairs = pairs.loc[pairs["s"] != pairs["t"]]
        recognition = np.bincount(pairs["t"].to_numpy(), minlength=n)
        outside = team[pairs["s"].to_numpy()] != team[pairs["t"].to_numpy()]
        recognition_outside = np.bincount(pairs["t"].to_numpy()[outside], minlength=n)
    out["recognition"] = recognition
    out["recognition_outside_team"] = recognition_outside

    counts = {"outside": out["outside_team_ties"] + out["cross_department_ties"]}
    if is_leader.any():
        counts["leaders"] = out["leader_ties"] + out["leader_reach"]
    if not declared.empty:
        counts["declared"] = out["recognition_outside_team"]
    mean = pd.concat({k: scaled(v) for k, v in counts.items()}, axis=1).mean(axis=1)
    # the share of the organisation strictly less visible: 0 for the least visible, and
    # people with equal scores share the lower value (so a crowd at zero stays at zero)
    out["visibility"] = (mean.rank(method="min") - 1) / max(n - 1, 1) * 100.0
    note = {"visibility_components": list(counts), "senior_leaders": int(is_leader.sum()),
            "strong_tie_weight": threshold if np.isfinite(threshold) else None}
    return out, note
