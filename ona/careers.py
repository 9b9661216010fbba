"""Sponsors, mentors and careers over time: who develops people, who has nobody, whose
manager does not know what they want, and what a departure would break.

Relations (docs/data-contract.md): ``advocacy``/``sponsor`` (source talks *about* the
target: a sponsor), ``mentor`` (source talks *with* the target), ``advice`` (source seeks
advice from the target), ``career_conversation`` (source has discussed their aspirations
with the target). A tie's date is the first date it was stated (its ``first_contact``);
a tie without a date counts as stated at the end of the history.

**Sponsor track record** (:func:`sponsor_track_record`), per person who advocated for or
mentored anyone:

- each protégé counts once per sponsor, from the first date either relation was stated;
- **promoted** = a rise in level (:func:`ona.history.promotions`) strictly after that date
  and within ``window_months`` (24). A promotion before the tie was stated is never
  counted as sponsorship of it. A protégé who leaves before being promoted counts as not
  promoted. Only ties whose whole window lies within the history are **followed** (a
  protégé promoted within a window that runs past the end is not counted either, so
  protégés and comparable people are judged over the same span);
- **comparable people** = everyone at the same level in the same department on the tie's
  date, not sponsored by this sponsor; their share promoted within the same window is the
  protégé's base rate, pulled towards the rate of everyone at that level (and that towards
  everyone's) as if ``prior_weight`` (10) more people had it, so a small group of
  comparable people who happened not to be promoted never makes a base rate of 0. The
  sponsor's **expected** promotions are the sum of the base rates;
- the test: the chance of at least as many promotions if each protégé were promoted at
  their base rate (an exact Poisson-binomial tail), corrected over the sponsors tested by
  Benjamini-Hochberg: a sponsor is marked **develops people** only when the corrected value
  is at most ``alpha`` (5%), so that of the sponsors marked, at most 5% are expected to be
  marked by chance (a screening list, where Holm's family-wise rule would miss most real
  developers among many sponsors); with fewer than ``min_proteges`` (5) protégés followed long enough, **too
  few to tell** — never a rank. The 95% interval is Wilson's for the protégés' promotion
  rate;
- reach: the share of protégés in other departments, other locations and at other levels,
  and in the sponsor's **own circle** (their direct reports or their own team);
  ``own_circle_only`` when everyone they advocate for (at least 3) is — mentoring someone
  elsewhere is not sponsoring them.

**Mentoring map** (:func:`mentoring_map`): ties of each relation by the level of the two
people; **reverse mentoring**: advice sought by someone senior from someone junior.
**Support** (:func:`support_table`): who has a mentor, a sponsor, neither — by level and
department. **Career conversations** (:func:`career_conversations`): per person who
answered the survey, whether they have discussed their aspirations with their manager,
with a senior leader, with nobody; non-respondents are unknown, never "no".
**What a departure breaks** (:func:`what_if`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .groups import MIN_GROUP_SIZE, benjamini_hochberg
from .history import level_at, promotions
from .network import OrgNetwork
from .survey import CAREER_CONVERSATION, manager_conversation, survey_coverage
from .ties import TieArrays, tie_arrays
from .visibility import senior_leaders

__all__ = ["CareerRules", "sponsor_track_record", "mentoring_map", "reverse_mentoring", "support_table",
           "career_conversations", "what_if", "WhatIf", "SPONSOR_RELATIONS", "MENTOR_RELATIONS"]

SPONSOR_RELATIONS = ("advocacy", "sponsor")
MENTOR_RELATIONS = ("mentor",)
DEVELOPS = "develops people"
TOO_FEW = "too few to tell"
NO_DIFFERENCE = "no different from comparable people"


@dataclass(frozen=True)
class CareerRules:
    """How sponsors are judged.

    Parameters
    ----------
    window_months : int, default 24
        A promotion counts within this many months after the tie was stated.
    min_proteges : int, default 5
        Fewer protégés followed long enough: "too few to tell".
    alpha : float, default 0.05
        Expected share, among the sponsors marked, of those who do no better than comparable
        people (Benjamini-Hochberg).
    prior_weight : int, default 10
        The base rate of a small group of comparable people is pulled towards the rate of
        their level (and that towards everyone's), as if this many more people had it.

    >>> CareerRules(window_months=12).min_proteges
    5
    """

    window_months: int = 24
    min_proteges: int = 5
    alpha: float = 0.05
    prior_weight: int = 10

    def __post_init__(self) -> None:
        if int(self.window_months) < 1:
            raise ConfigError(f"window_months must be at least 1, got {self.window_months!r}")
        if int(self.min_proteges) < 1 or int(self.prior_weight) < 0:
            raise ConfigError("min_proteges must be at least 1 and prior_weight at least 0")
        if not 0 < self.alpha < 1:
            raise ConfigError(f"alpha must be between 0 and 1, got {self.alpha!r}")


def _declared(network: OrgNetwork, relations: Iterable[str]) -> pd.DataFrame:
    ties = network.ties
    chosen = ties[(ties[S.KIND] == S.KIND_RELATIONSHIP) & ties[S.LAYER].isin(list(relations))]
    return pd.DataFrame({"source": chosen[S.TIE_SOURCE].astype(str).to_numpy(),
                         "target": chosen[S.TIE_TARGET].astype(str).to_numpy(),
                         "relation": chosen[S.LAYER].astype(str).to_numpy(),
                         "date": pd.to_datetime(chosen[S.FIRST_CONTACT]).to_numpy()})


def poisson_binomial_tail(p: np.ndarray, k: int) -> float:
    """P(X >= k) for X a sum of independent Bernoulli(p_i).

    >>> round(poisson_binomial_tail(np.array([0.5, 0.5]), 1), 2)
    0.75
    """
    dist = np.zeros(len(p) + 1)
    dist[0] = 1.0
    for q in p:
        dist[1:] = dist[1:] * (1 - q) + dist[:-1] * q
        dist[0] *= 1 - q
    return float(min(1.0, dist[k:].sum()))


def _wilson(successes: int, n: int, z: float = NormalDist().inv_cdf(0.975)) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _outcomes(history: pd.DataFrame, ids: pd.Series, dates: pd.Series, window: pd.DateOffset,
              end: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """For each (person, date): promoted within (date, date + window], and whether that
    whole window lies within the history (only then is the outcome known; a person who
    leaves first counts as not promoted)."""
    ups = promotions(history)
    query = pd.DataFrame({S.EMPLOYEE_ID: ids.to_numpy(), "start": pd.to_datetime(dates).to_numpy(),
                          "_order": np.arange(len(ids))})
    query["stop"] = query["start"] + window
    merged = query.merge(ups[[S.EMPLOYEE_ID, S.DATE]].rename(columns={S.DATE: "when"}), on=S.EMPLOYEE_ID)
    merged = merged[(merged["when"] > merged["start"]) & (merged["when"] <= merged["stop"])]
    promoted = np.zeros(len(query), dtype=bool)
    promoted[merged["_order"].unique()] = True
    known = (query["stop"] <= end).to_numpy()
    return promoted, known


def sponsor_track_record(network: OrgNetwork, *, rules: CareerRules | None = None) -> pd.DataFrame:
    """Who develops people: each sponsor's and mentor's protégés, how many were promoted
    within the window after the tie, against comparable people (module doc).

    Parameters
    ----------
    network : OrgNetwork
        A network with a ``history`` and dated advocacy, sponsor or mentor relations.
    rules : CareerRules, optional
        Window, minimum protégés, error rate (:class:`CareerRules`).

    Returns
    -------
    DataFrame
        One row per sponsor: employee_id, proteges, advocacy, mentor (protégés by
        relation), followed (protégés followed long enough), promoted, promotion_rate,
        expected_rate (comparable people), lift, ci_low, ci_high (Wilson 95% for the
        promotion rate), p_value, p_adjusted, verdict ("develops people", "too few to tell",
        "no different from comparable people"), other_departments, other_locations,
        other_levels, own_circle (shares of protégés), own_circle_only. Developers first,
        then by protégés followed.

    Examples
    --------
    >>> import ona
    >>> people = pd.DataFrame({"department": "Ops", "level": [3, 1, 1, 1, 1, 1, 1]},
    ...                       index=pd.Index(list("sabcdef"), name="employee_id"))
    >>> history = pd.DataFrame({"employee_id": list("sabcdef") + ["a", "b", "s"], "level": [3] + [1] * 6 + [2, 2, 3],
    ...     "date": pd.to_datetime(["2020-01-01"] * 7 + ["2021-01-01", "2021-02-01", "2022-01-01"]), "event": pd.NA,
    ...     "title": pd.NA, "department": pd.NA, "manager_id": pd.NA})
    >>> ties = pd.DataFrame({"source_id": ["s", "s"], "target_id": ["a", "b"], "layer": "advocacy",
    ...     "kind": "relationship", "weight": 1.0, "count": 1.0,
    ...     "first_contact": pd.to_datetime(["2020-06-01"] * 2), "last_contact": pd.NaT})
    >>> net = ona.OrgNetwork(people, ties, history=history.sort_values(["employee_id", "date"]))
    >>> row = sponsor_track_record(net, rules=CareerRules(window_months=12, min_proteges=2)).iloc[0]
    >>> row["employee_id"], int(row["promoted"]), round(float(row["expected_rate"]), 2)
    ('s', 2, 0.15)
    """
    rules = rules or CareerRules()
    columns = [S.EMPLOYEE_ID, "proteges", "advocacy", "mentor", "followed", "promoted", "promotion_rate",
               "expected_rate", "lift", "ci_low", "ci_high", "p_value", "p_adjusted", "verdict",
               "other_departments", "other_locations", "other_levels", "own_circle", "own_circle_only"]
    history = network.history
    if history is None or history.empty:
        raise ConfigError("the sponsor track record needs a history file (docs/data-contract.md, history)")
    ties = _declared(network, SPONSOR_RELATIONS + MENTOR_RELATIONS)
    if ties.empty:
        return pd.DataFrame(columns=columns)
    end = pd.Timestamp(history[S.DATE].max())
    ties["date"] = ties["date"].fillna(end)
    ties["advocacy"] = ties["relation"].isin(SPONSOR_RELATIONS)
    ties["mentor"] = ties["relation"].isin(MENTOR_RELATIONS)
    pairs = ties.groupby(["source", "target"], as_index=False).agg(
        date=("date", "min"), advocacy=("advocacy", "max"), mentor=("mentor", "max"))
    window = pd.DateOffset(months=int(rules.window_months))
    # every protégé's level and department when the tie was stated
    pairs["level"] = level_at(history, pairs["target"], pairs["date"]).to_numpy()
    dept_column = S.DEPARTMENT if history[S.DEPARTMENT].notna().any() else None
    people = network.people
    pairs["department"] = (level_at(history, pairs["target"], pairs["date"], S.DEPARTMENT).to_numpy()
                           if dept_column else pairs["target"].map(people[S.DEPARTMENT]).to_numpy())
    pairs["department"] = pairs["department"].where(pd.notna(pairs["department"]),
                                                    pairs["target"].map(people[S.DEPARTMENT].astype(str)))
    present = pairs["level"].notna()
    promoted, known = _outcomes(history, pairs["target"], pairs["date"], window, end)
    pairs["promoted"], pairs["known"] = promoted, known & present.to_numpy()
    base = _base_rates(history, people, pairs, window, end, rules)
    pairs["base"] = base
    table = _per_sponsor(pairs, network, rules)
    return table[columns] if len(table) else pd.DataFrame(columns=columns)


def _base_rates(history: pd.DataFrame, people: pd.DataFrame, pairs: pd.DataFrame, window: pd.DateOffset,
                end: pd.Timestamp, rules: CareerRules) -> np.ndarray:
    """Each protégé's base rate: the share promoted within the window among everyone at the
    same level and department on that date (followed over the whole window), less this
    sponsor's own protégés, pulled towards the level's rate (module doc)."""
    everyone = pd.Series(history[S.EMPLOYEE_ID].unique())
    fallback = everyone.map(people[S.DEPARTMENT].astype(str)).to_numpy()
    mine = pairs[["source", "target"]].drop_duplicates()
    rates = np.full(len(pairs), np.nan)
    for date, group in pairs.groupby("date", sort=False):
        dates = pd.Series([date] * len(everyone))
        level = level_at(history, everyone, dates).to_numpy()
        dept = level_at(history, everyone, dates, S.DEPARTMENT).to_numpy()
        dept = np.where(pd.notna(dept), dept, fallback).astype(str)
        up, known = _outcomes(history, everyone, dates, window, end)
        cohort = pd.DataFrame({"target": everyone.to_numpy(), "level": level, "dept": dept, "up": up.astype(float)})
        cohort = cohort[known & pd.notna(level)]
        cell = cohort.groupby(["level", "dept"])["up"].agg(["size", "sum"])
        by_level = cohort.groupby("level")["up"].agg(["size", "sum"])
        # this sponsor's own protégés in each cell on this date, taken out of the comparison
        own = mine[mine["source"].isin(group["source"])].merge(cohort, on="target")
        own_cell = own.groupby(["source", "level", "dept"])["up"].agg(["size", "sum"])
        own_level = own.groupby(["source", "level"])["up"].agg(["size", "sum"])
        keys = pd.MultiIndex.from_arrays([group["level"], group["department"].astype(str)])
        own_keys = pd.MultiIndex.from_arrays([group["source"], group["level"], group["department"].astype(str)])
        def looked_up(table: pd.DataFrame, column: str, where: pd.Index) -> np.ndarray:
            return table[column].reindex(where).fillna(0).to_numpy()

        n_cell = looked_up(cell, "size", keys) - looked_up(own_cell, "size", own_keys)
        k_cell = looked_up(cell, "sum", keys) - looked_up(own_cell, "sum", own_keys)
        level_keys = pd.MultiIndex.from_arrays([group["source"], group["level"]])
        n_level = (by_level["size"].reindex(group["level"]).fillna(0).to_numpy()
                   - own_level["size"].reindex(level_keys).fillna(0).to_numpy())
        k_level = (by_level["sum"].reindex(group["level"]).fillna(0).to_numpy()
                   - own_level["sum"].reindex(level_keys).fillna(0).to_numpy())
        # small cells borrow strength: the level's rate (itself pulled towards everyone's) counts
        # as ``prior_weight`` more people, so a cell of five with no promotion is not a base of 0
        overall = float(cohort["up"].mean()) if len(cohort) else 0.0
        m = float(rules.prior_weight)
        level_rate = (k_level + m * overall) / (np.maximum(n_level, 0) + m)
        rate = (k_cell + m * level_rate) / (np.maximum(n_cell, 0) + m)
        rates[pairs.index.get_indexer(group.index)] = rate
    return rates


def _per_sponsor(pairs: pd.DataFrame, network: OrgNetwork, rules: CareerRules) -> pd.DataFrame:
    people = network.people

    def attribute(column: str) -> pd.Series:
        return (people[column].astype("string") if column in people
                else pd.Series(pd.NA, index=people.index, dtype="string"))

    def differs(column: str) -> pd.Series:
        values = attribute(column)
        mine, theirs = pairs["source"].map(values), pairs["target"].map(values)
        return (mine != theirs).where(mine.notna() & theirs.notna()).astype("float")

    manager, team = attribute(S.MANAGER_ID), attribute(S.TEAM)
    own = ((pairs["target"].map(manager) == pairs["source"]).fillna(False)
           | ((pairs["target"].map(team) == pairs["source"].map(team)) & pairs["source"].map(team).notna())
           .fillna(False)).astype(bool)
    # sponsoring only one's own circle is about advocacy: mentoring someone elsewhere is not sponsoring
    own_sponsored = own.where(pairs["advocacy"].astype(bool)).astype("float")
    frame = pairs.assign(other_departments=differs(S.DEPARTMENT), other_locations=differs(S.LOCATION),
                         other_levels=differs(S.LEVEL), own_circle=own.astype(float),
                         own_sponsored=own_sponsored,
                         followed=pairs["known"] & pairs["base"].notna())
    frame["hit"] = frame["promoted"] & frame["followed"]
    frame["expected"] = frame["base"].where(frame["followed"], 0.0)
    g = frame.groupby("source", sort=True)
    table = pd.DataFrame({
        "proteges": g.size(), "advocacy": g["advocacy"].sum().astype(int), "mentor": g["mentor"].sum().astype(int),
        "followed": g["followed"].sum().astype(int), "promoted": g["hit"].sum().astype(int),
        "expected": g["expected"].sum(), "other_departments": g["other_departments"].mean(),
        "other_locations": g["other_locations"].mean(), "other_levels": g["other_levels"].mean(),
        "own_circle": g["own_circle"].mean(), "own_all": g["own_sponsored"].min(),
        "sponsored": g["advocacy"].sum()})
    table.index.name = S.EMPLOYEE_ID
    table = table.reset_index()
    n, k = table["followed"].to_numpy(), table["promoted"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        table["promotion_rate"] = np.where(n > 0, k / np.maximum(n, 1), np.nan)
        table["expected_rate"] = np.where(n > 0, table["expected"] / np.maximum(n, 1), np.nan)
        table["lift"] = np.where(table["expected"] > 0, k / table["expected"], np.where(k > 0, np.inf, np.nan))
    bounds = [_wilson(int(a), int(b)) for a, b in zip(k, n)]
    table["ci_low"] = [b[0] for b in bounds]
    table["ci_high"] = [b[1] for b in bounds]
    tested = n >= rules.min_proteges
    bases = frame[frame["followed"]].groupby("source")["base"].agg(lambda x: x.to_numpy(float))
    table["p_value"] = [poisson_binomial_tail(bases[sponsor], int(hits)) if ok else np.nan
                        for sponsor, hits, ok in zip(table[S.EMPLOYEE_ID], k, tested)]
    table["own_circle_only"] = (table["sponsored"] >= 3) & (table["own_all"] == 1.0)
    table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
    found = (table["p_adjusted"] <= rules.alpha) & (table["promotion_rate"] > table["expected_rate"])
    table["verdict"] = np.where(~tested, TOO_FEW, np.where(found, DEVELOPS, NO_DIFFERENCE))
    order = table["verdict"].map({DEVELOPS: 0, NO_DIFFERENCE: 1, TOO_FEW: 2})
    return (table.assign(_o=order).sort_values(["_o", "followed", S.EMPLOYEE_ID], ascending=[True, False, True])
            .drop(columns=["_o", "expected", "own_all", "sponsored"]).reset_index(drop=True))


def mentoring_map(network: OrgNetwork, *, by: str = S.LEVEL,
                  relations: Iterable[str] = ("mentor", "advocacy", "sponsor", "advice")) -> pd.DataFrame:
    """Declared ties of each relation by the groups of the two people (level by default):
    who mentors, sponsors and advises whom by seniority.

    Parameters
    ----------
    network : OrgNetwork
    by : str, default "level"
        The people column grouping both ends (level, title...).
    relations : iterable of str
        The relations counted (those present).

    Returns
    -------
    DataFrame
        relation, source_group, target_group, ties, and direction: ``up`` when the target's
        group is higher (levels: more senior), ``down``, ``same``. For ``advice`` the
        source seeks advice from the target: ``down`` advice is reverse mentoring.

    Examples
    --------
    >>> import ona
    >>> m = mentoring_map(ona.load(ona.sample_path("lazega")), relations=["advice"])
    >>> up = m.loc[m["direction"] == "up", "ties"].sum(); down = m.loc[m["direction"] == "down", "ties"].sum()
    >>> bool(up > down)
    True
    """
    if by not in network.people:
        raise ConfigError(f"the people file has no column {by!r} to group the mentoring map by")
    ties = _declared(network, relations)
    group = network.people[by]
    ties["source_group"] = ties["source"].map(group).to_numpy()
    ties["target_group"] = ties["target"].map(group).to_numpy()
    ties = ties.dropna(subset=["source_group", "target_group"])
    out = ties.groupby(["relation", "source_group", "target_group"], as_index=False).size().rename(
        columns={"size": "ties"})
    numeric = pd.api.types.is_numeric_dtype(group)
    if numeric:
        diff = out["target_group"].astype(float) - out["source_group"].astype(float)
        out["direction"] = np.select([diff > 0, diff < 0], ["up", "down"], "same")
    else:
        out["direction"] = np.where(out["source_group"] == out["target_group"], "same", "across")
    return out.sort_values(["relation", "source_group", "target_group"], ignore_index=True)


def reverse_mentoring(network: OrgNetwork) -> pd.DataFrame:
    """Advice sought by someone senior from someone junior (a higher level asking a lower
    one), by the two levels.

    Parameters
    ----------
    network : OrgNetwork

    Returns
    -------
    DataFrame
        source_group (the senior who asks), target_group (the junior asked), ties.

    Examples
    --------
    >>> import ona
    >>> int(reverse_mentoring(ona.load(ona.sample_path("lazega")))["ties"].sum()) > 0
    True
    """
    advice = mentoring_map(network, relations=["advice"])
    return advice.loc[advice["direction"] == "down", ["source_group", "target_group", "ties"]].reset_index(drop=True)


def support_table(network: OrgNetwork, *, min_group_size: int = MIN_GROUP_SIZE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who has a mentor (someone who talks with them), a sponsor (someone who talks about
    them), or neither.

    Parameters
    ----------
    network : OrgNetwork
    min_group_size : int, default 5
        Levels or departments with fewer people are merged into one row.

    Returns
    -------
    tuple of DataFrame
        ``people``: one row per person (employee_id, department, level, has_mentor,
        has_sponsor, neither); ``groups``: by level and by department (``by``, group,
        people, with_mentor, with_sponsor, neither, share_neither), the pipeline the next
        talent review draws from.

    Examples
    --------
    >>> import ona
    >>> people, groups = support_table(ona.load(ona.sample_path("acme")))
    >>> list(groups.columns)
    ['by', 'group', 'people', 'with_mentor', 'with_sponsor', 'neither', 'share_neither']
    """
    net_people = network.people
    mentors = _declared(network, MENTOR_RELATIONS)
    sponsors = _declared(network, SPONSOR_RELATIONS)
    out = pd.DataFrame(index=net_people.index)
    out[S.DEPARTMENT] = net_people[S.DEPARTMENT]
    if S.LEVEL in net_people:
        out[S.LEVEL] = net_people[S.LEVEL]
    out["has_mentor"] = out.index.isin(mentors["target"])
    out["has_sponsor"] = out.index.isin(sponsors["target"])
    out["neither"] = ~out["has_mentor"] & ~out["has_sponsor"]
    groups = []
    for column in [c for c in (S.LEVEL, S.DEPARTMENT) if c in out]:
        g = out.groupby(column).agg(people=("neither", "size"), with_mentor=("has_mentor", "sum"),
                                    with_sponsor=("has_sponsor", "sum"), neither=("neither", "sum"))
        small = g["people"] < min_group_size
        if small.any():
            merged = g[small].sum().to_frame(f"(under {min_group_size} people)").T
            g = pd.concat([g[~small], merged]) if merged["people"].iloc[0] >= min_group_size else g[~small]
        g["share_neither"] = g["neither"] / g["people"]
        groups.append(g.reset_index(names="group").assign(by=column))
    table = pd.concat(groups, ignore_index=True) if groups else pd.DataFrame()
    if len(table):
        table = table[["by", "group", "people", "with_mentor", "with_sponsor", "neither", "share_neither"]]
    return out.reset_index(), table


def career_conversations(network: OrgNetwork) -> pd.DataFrame:
    """Per person, whether they have discussed their career aspirations with their manager,
    with any senior leader, with anyone — among those who answered the survey (the others:
    unknown, never "no").

    Parameters
    ----------
    network : OrgNetwork
        A network whose relationships hold ``career_conversation`` (source: the person).

    Returns
    -------
    DataFrame
        employee_id, answered, with_manager, with_senior_leader, with_anyone (booleans,
        missing for people who did not answer, and for everyone when the data holds no
        ``career_conversation`` relation; with_manager missing without a manager).

    Examples
    --------
    >>> import ona
    >>> people = pd.DataFrame({"department": "A", "manager_id": [pd.NA, "m", "m"], "level": [3, 1, 1],
    ...                        "survey_response": [True, True, False]},
    ...                       index=pd.Index(["m", "a", "b"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a"], "target_id": ["m"], "layer": "career_conversation",
    ...     "kind": "relationship", "weight": 1.0, "count": 1.0, "first_contact": pd.NaT, "last_contact": pd.NaT})
    >>> career_conversations(ona.OrgNetwork(people, ties))["with_manager"].tolist()
    [<NA>, True, <NA>]
    """
    people = network.people
    talks = _declared(network, [CAREER_CONVERSATION])
    coverage = survey_coverage(network)
    answered = (coverage.answered.reindex(people.index).fillna(False).astype(bool) if coverage is not None
                else pd.Series(False, index=people.index))
    leaders = set(senior_leaders(people))
    said = talks.groupby("source")["target"].agg(set)
    partners = pd.Series([said.get(i, set()) for i in people.index], index=people.index)
    talked = manager_conversation(network)
    if talked is None:  # the survey did not ask: unknown for everyone, never "no"
        answered = pd.Series(False, index=people.index)
        talked = pd.Series("not asked", index=people.index)
    with_manager = talked.map({"yes": True, "no": False}).astype("boolean")
    out = pd.DataFrame({
        S.EMPLOYEE_ID: people.index, "answered": answered.to_numpy(),
        "with_manager": with_manager.where(answered).to_numpy(),
        "with_senior_leader": pd.array([bool(p & leaders) for p in partners], dtype="boolean"),
        "with_anyone": pd.array([bool(p) for p in partners], dtype="boolean")})
    for column in ("with_senior_leader", "with_anyone"):
        out[column] = out[column].where(out["answered"])
    return out


@dataclass
class WhatIf:
    """What a departure (of one person or several) would break.

    Attributes
    ----------
    without : the people taken out.
    lose_only_advocate : candidates whose advocates (on the panel, when one is given) are
        all among them: candidate, advocates_before.
    lose_leader_access : people whose every direct tie to a senior leader is to one of
        them: employee_id, leader_ties_before.
    lose_bridge : groups (departments, and tribes when given) whose every tie to the rest
        of the organisation is carried by them: level, group, outside_ties_before.
    lose_pair : pairs of departments whose every tie between them is carried by them.
    """

    without: list[str]
    lose_only_advocate: pd.DataFrame = field(default_factory=pd.DataFrame)
    lose_leader_access: pd.DataFrame = field(default_factory=pd.DataFrame)
    lose_bridge: pd.DataFrame = field(default_factory=pd.DataFrame)
    lose_pair: pd.DataFrame = field(default_factory=pd.DataFrame)


def what_if(network: OrgNetwork, without: Iterable[str], *, ties: TieArrays | None = None,
            panel: Iterable[str] | None = None, slate: Iterable[str] | None = None,
            tribes: pd.Series | None = None, min_group_size: int = MIN_GROUP_SIZE) -> WhatIf:
    """If these people left: the candidates who would lose their only advocate, the people
    who would lose their only ties to senior leaders, and the groups that would lose their
    only bridges.

    Parameters
    ----------
    network : OrgNetwork
    without : iterable of str
        The employee_ids leaving (a leader, a retiring panel...).
    ties : TieArrays, optional
        The ties measured (default: the network's ties that count).
    panel, slate : iterable of str, optional
        Count only advocates on the panel, for candidates on the slate (default: every
        advocate, for everyone with one).
    tribes : Series, optional
        Tribe per person (``AnalysisResult.tribes.membership``): tribes are checked too.
    min_group_size : int, default 5
        Groups under this size are not shown.

    Returns
    -------
    WhatIf

    Examples
    --------
    >>> import ona
    >>> net = ona.load(ona.sample_path("acme"))
    >>> panel = ona.read_ids(ona.sample_path("acme") / "panel.csv", net.people, "panel")
    >>> slate = ona.read_ids(ona.sample_path("acme") / "slate.csv", net.people, "slate")
    >>> out = what_if(net, panel[:1], panel=panel, slate=slate)
    >>> list(out.lose_only_advocate.columns)
    ['candidate', 'advocates_before']
    """
    people = network.people
    gone = {str(x) for x in without}
    unknown = sorted(gone - set(people.index.astype(str)))
    if unknown:
        raise ConfigError(f"not on the people list: {', '.join(unknown[:5])}")
    advocacy = _declared(network, SPONSOR_RELATIONS)
    if panel is not None:
        advocacy = advocacy[advocacy["source"].isin({str(x) for x in panel})]
    if slate is not None:
        advocacy = advocacy[advocacy["target"].isin({str(x) for x in slate})]
    by_candidate = advocacy.groupby("target")["source"].agg(lambda s: sorted(set(s)))
    losing = by_candidate[by_candidate.map(lambda a: bool(a) and set(a) <= gone)]
    losing = losing[~losing.index.isin(gone)]
    only = pd.DataFrame({"candidate": losing.index.astype(str), "advocates_before": losing.map(len).to_numpy()})
    arrays = ties if ties is not None else tie_arrays(network)
    ids = people.index.astype(str)
    out_mask = np.asarray(ids.isin(list(gone)))
    is_leader = np.asarray(ids.isin(senior_leaders(people)))
    u, v = arrays.u, arrays.v
    # direct ties to senior leaders, before and after
    lead_ends = np.concatenate([u[is_leader[v]], v[is_leader[u]]])
    lead_other = np.concatenate([v[is_leader[v]], u[is_leader[u]]])
    before = np.bincount(lead_ends, minlength=arrays.n)
    after = np.bincount(lead_ends[~out_mask[lead_other]], minlength=arrays.n)
    lost = np.flatnonzero((before > 0) & (after == 0) & ~out_mask)
    access = pd.DataFrame({S.EMPLOYEE_ID: ids[lost], "leader_ties_before": before[lost]})
    bridges, pairs = [], []
    labels = [("department", people[S.DEPARTMENT].astype(str).to_numpy())]
    if tribes is not None:
        labels.append(("tribe", tribes.reindex(people.index).astype(str).to_numpy()))
    sizes_ok = {}
    kept_tie = ~out_mask[u] & ~out_mask[v]
    for level, label in labels:
        codes, names = pd.factorize(label)
        counts = np.bincount(codes, minlength=len(names))
        sizes_ok[level] = counts >= min_group_size
        cross = codes[u] != codes[v]
        ends = np.concatenate([codes[u][cross], codes[v][cross]])
        keep = np.concatenate([kept_tie[cross], kept_tie[cross]])
        outside_before = np.bincount(ends, minlength=len(names))
        outside_after = np.bincount(ends[keep], minlength=len(names))
        broken = np.flatnonzero((outside_before > 0) & (outside_after == 0) & sizes_ok[level])
        bridges += [{"level": level, "group": names[g], "outside_ties_before": int(outside_before[g])} for g in broken]
        if level == "department":
            a, b = np.minimum(codes[u], codes[v])[cross], np.maximum(codes[u], codes[v])[cross]
            k = len(names)
            key = a * k + b
            n_before = pd.Series(1, index=key).groupby(level=0).sum()
            n_after = pd.Series(kept_tie[cross].astype(int), index=key).groupby(level=0).sum()
            for pair in n_before.index[(n_before > 0) & (n_after.reindex(n_before.index) == 0)]:
                ga, gb = pair // k, pair % k
                if sizes_ok[level][ga] and sizes_ok[level][gb]:
                    pairs.append({"department_a": names[ga], "department_b": names[gb],
                                  "ties_before": int(n_before[pair])})
    return WhatIf(without=sorted(gone), lose_only_advocate=only, lose_leader_access=access,
                  lose_bridge=pd.DataFrame(bridges, columns=["level", "group", "outside_ties_before"]),
                  lose_pair=pd.DataFrame(pairs, columns=["department_a", "department_b", "ties_before"]))
