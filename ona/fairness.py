"""Is visibility fair? Network access by group, compared like for like.

For each attribute named (a column of the people file: location, gender, remote...), each
group of it against a reference group (the largest, unless chosen), and each outcome (the
visibility measures, leader ties and reach, declared recognition, advocates, being on the
hidden-talent list), ona compares people **at the same level and in the same department**:

- **Strata**: level × department cells (department alone without a level column).
- **Privacy first**: a cell (group × stratum) with fewer than ``min_group_size`` people is
  suppressed: its people are left out of the comparison, and the table says how many. A
  group with fewer than ``min_group_size`` people left is not compared at all. Results are
  group-level only; no person's attribute is shown next to their measures.
- **Adjusted difference**: within each stratum holding both groups, the difference of the
  group's mean and the reference's mean; the strata are combined with the weights
  ``n_g × n_r / (n_g + n_r)`` (the Mantel-Haenszel weights for a difference of means:
  strata with many people on both sides count most). A confound — a group concentrated at
  lower levels, with no gap within levels — gives a large raw difference and an adjusted
  one near zero. The **raw** difference (all the group's people against all the
  reference's) stands beside it, so the user sees what the adjustment did.
- **Interval**: a stratified bootstrap (people resampled with replacement within each
  group × stratum cell, ``bootstrap`` times), the 2.5th and 97.5th percentiles.
- **Test**: a permutation test within strata: the group labels are shuffled inside each
  stratum ``permutations`` times (vectorised: one matrix product per stratum), which keeps
  every stratum's make-up. The p-value reads the observed difference against the spread
  of the shuffled ones as normal (so values below 1 / permutations can be told apart, as
  the correction needs); the plain permutation p-value (share of shuffles at least as far
  from zero) is given too.
- **Correction**: Holm's step-down over every comparison made in the run (attributes ×
  groups × outcomes × populations), so the chance of any false finding in a run is at
  most ``alpha`` (5%). A finding is a comparison whose corrected p-value is at most
  ``alpha``.
- **Populations**: everyone, and high performers only (the hidden-talent rule); being on
  the hidden-talent list is compared among high performers only.

A network gap is a signal to look into, not a verdict on anyone: docs/fairness.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .groups import MIN_GROUP_SIZE, holm
from .talent_review import ReviewRules

if TYPE_CHECKING:
    from .pipeline import AnalysisResult

__all__ = ["fairness", "outcome_table", "FairnessSettings", "fairness_table", "stratified_gap", "OUTCOMES"]

#: outcome -> (people_metrics column, what one unit is, what is compared), in plain words
OUTCOMES: dict[str, tuple[str, str, str]] = {
    "visibility": ("visibility", "visibility percentile points", "visibility"),
    "outside_team_ties": ("outside_team_ties", "ties outside their team", "ties outside the team"),
    "cross_department_ties": ("cross_department_ties", "ties outside their department",
                              "ties outside the department"),
    "leader_ties": ("leader_ties", "direct ties to senior leaders", "direct ties to senior leaders"),
    "leader_reach": ("leader_reach", "senior leaders reached directly or through one close colleague",
                     "reach to senior leaders"),
    "recognition": ("recognition", "people who say they know their work", "recognition in the survey"),
    "advocates": ("advocates", "advocates named in the survey", "advocates"),
    "hidden": ("hidden", "chance of being on the hidden-talent list", "the chance of being on the hidden-talent list"),
}
#: outcomes compared among high performers only
HIGH_PERFORMER_ONLY = ("hidden",)
EVERYONE = "everyone"
HIGH_PERFORMERS = "high performers"


@dataclass(frozen=True)
class FairnessSettings:
    """How groups are compared.

    Parameters
    ----------
    permutations : int, default 1000
        Shuffles of the group labels within strata for the test.
    bootstrap : int, default 1000
        Stratified resamples for the 95% interval.
    alpha : float, default 0.05
        The chance of any false finding in a run (Holm's correction over every comparison).
    min_group_size : int, default 5
        Cells (group × stratum) under this size are suppressed and their people left out.
    strata : tuple of str, default ("level", "department")
        People columns whose combinations are the strata (those present are used).
    reference : mapping of attribute to group, optional
        The group every other is compared with (default: the largest).
    outcomes : tuple of str, default every outcome in :data:`OUTCOMES` present
    high_performers : bool, default True
        Also compare among high performers only.
    seed : int, default 0

    >>> FairnessSettings(permutations=200).alpha
    0.05
    """

    permutations: int = 1000
    bootstrap: int = 1000
    alpha: float = 0.05
    min_group_size: int = MIN_GROUP_SIZE
    strata: tuple[str, ...] = (S.LEVEL, S.DEPARTMENT)
    reference: Mapping[str, str] = field(default_factory=dict)
    outcomes: tuple[str, ...] = tuple(OUTCOMES)
    high_performers: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if int(self.permutations) < 100 or int(self.bootstrap) < 100:
            raise ConfigError("permutations and bootstrap must be at least 100 each "
                              f"(got {self.permutations} and {self.bootstrap})")
        if not 0 < self.alpha < 1:
            raise ConfigError(f"alpha must be between 0 and 1, got {self.alpha!r}")
        if int(self.min_group_size) < 1:
            raise ConfigError(f"the minimum group size must be at least 1, got {self.min_group_size!r}")
        unknown = sorted(set(self.outcomes) - set(OUTCOMES))
        if unknown:
            raise ConfigError(f"unknown outcomes {', '.join(unknown)}; the outcomes are {', '.join(OUTCOMES)}")


@dataclass
class Gap:
    """One comparison of a group with the reference, for several outcomes at once."""

    adjusted: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray
    permutation_p: np.ndarray
    strata: int
    people_group: int
    people_reference: int


def stratified_gap(values: np.ndarray, in_group: np.ndarray, stratum: np.ndarray, *,
                   permutations: int = 1000, bootstrap: int = 1000,
                   rng: np.random.Generator | None = None) -> Gap:
    """The stratified difference (group minus reference) of each column of ``values``,
    with its bootstrap interval and within-strata permutation test (module doc).

    ``values`` is people × outcomes, ``in_group`` True for the group and False for the
    reference, ``stratum`` a stratum code per person. Only strata holding both sides count.

    >>> v = np.array([[3.], [3.], [1.], [1.], [5.], [5.], [3.], [3.]])
    >>> g = np.array([True, True, False, False, True, True, False, False])
    >>> s = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> gap = stratified_gap(v, g, s, rng=np.random.default_rng(0))
    >>> float(gap.adjusted[0]), gap.strata
    (2.0, 2)
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    k = values.shape[1]
    codes, stratum = np.unique(stratum, return_inverse=True)
    n_g = np.bincount(stratum, weights=in_group, minlength=len(codes))
    n_all = np.bincount(stratum, minlength=len(codes)).astype(float)
    n_r = n_all - n_g
    both = np.flatnonzero((n_g > 0) & (n_r > 0))
    empty = np.full(k, np.nan)
    if len(both) == 0:
        return Gap(empty, empty, empty, empty, empty, 0, 0, 0)
    weight = n_g[both] * n_r[both] / n_all[both]
    total_w = weight.sum()
    order = np.argsort(stratum, kind="stable")
    starts = np.concatenate([[0], np.cumsum(n_all)[:-1]]).astype(int)
    observed = np.zeros(k)
    perm = np.zeros((permutations, k))
    boot = np.zeros((bootstrap, k))
    for w, s in zip(weight, both):
        rows = order[starts[s]:starts[s] + int(n_all[s])]
        y = values[rows]
        g = in_group[rows].astype(bool)
        ng, nr = int(n_g[s]), int(n_r[s])
        total = y.sum(axis=0)
        sum_g = y[g].sum(axis=0)
        observed += w * (sum_g / ng - (total - sum_g) / nr)
        # shuffles: the ng smallest of random keys form the group (one matrix product)
        keys = rng.random((permutations, ng + nr))
        chosen = keys <= np.partition(keys, ng - 1, axis=1)[:, ng - 1:ng]
        shuffled = chosen.astype(float) @ y
        perm += w * (shuffled / ng - (total - shuffled) / nr)
        # stratified bootstrap: each side resampled with replacement
        pick_g = rng.multinomial(ng, np.full(ng, 1.0 / ng), size=bootstrap) @ y[g] / ng
        pick_r = rng.multinomial(nr, np.full(nr, 1.0 / nr), size=bootstrap) @ y[~g] / nr
        boot += w * (pick_g - pick_r)
    observed /= total_w
    perm /= total_w
    boot /= total_w
    spread = perm.std(axis=0)
    z = np.divide(np.abs(observed), spread, out=np.zeros(k), where=spread > 0)
    p_value = np.where(spread > 0, 2 * (1 - np.vectorize(NormalDist().cdf)(z)), 1.0)
    permutation_p = (1 + (np.abs(perm) >= np.abs(observed) - 1e-12).sum(axis=0)) / (permutations + 1)
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    return Gap(observed, low, high, p_value, permutation_p, len(both),
               int(n_g[both].sum()), int(n_r[both].sum()))


def _strata(people: pd.DataFrame, columns: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    used = [c for c in columns if c in people and people[c].notna().any()]
    if not used:
        return np.zeros(len(people), dtype=np.int64), []
    keys = people[used].astype(str).agg("\x1f".join, axis=1) if len(used) > 1 else people[used[0]].astype(str)
    missing = people[used].isna().any(axis=1).to_numpy()
    codes = pd.factorize(keys)[0].astype(np.int64)
    codes[missing] = -1
    return codes, used


def fairness_table(people: pd.DataFrame, by: Iterable[str], *,
                   settings: FairnessSettings | None = None,
                   high_performer: pd.Series | None = None) -> pd.DataFrame:
    """Compare the groups of each attribute in ``by`` on every outcome, like for like.

    Parameters
    ----------
    people : DataFrame
        One row per person: the attributes, the strata columns (level, department) and the
        outcome columns of :data:`OUTCOMES` that exist (``people_metrics`` with
        ``advocates`` and ``hidden`` added by :func:`ona.fairness`).
    by : iterable of str
        The attributes compared (only these are read).
    settings : FairnessSettings, optional
        How to compare (the defaults when None).
    high_performer : Series of bool, optional
        Who is a high performer (for the high-performers population and ``hidden``).

    Returns
    -------
    DataFrame
        One row per attribute × group × population × outcome: attribute, group, reference,
        population, outcome, within (the strata columns used: never the attribute itself),
        people_group, people_reference (people compared), strata (strata holding both), left_out (people in
        suppressed cells), group_mean and reference_mean (raw), raw_difference,
        adjusted_difference, ci_low, ci_high, p_value, permutation_p, p_adjusted, finding,
        sentence. ``attrs`` records the settings, the comparisons made and the strata used.

    >>> rng = np.random.default_rng(1)
    >>> people = pd.DataFrame({"level": np.repeat([1, 2], 40), "department": "Ops",
    ...                        "site": np.tile(["A", "B"], 40)})
    >>> people["leader_ties"] = np.where(people["site"] == "B", 1.0, 3.0) + rng.normal(0, 0.5, 80)
    >>> table = fairness_table(people, ["site"], settings=FairnessSettings(outcomes=("leader_ties",)))
    >>> row = table.iloc[0]
    >>> row["group"], row["reference"], round(row["adjusted_difference"]), bool(row["finding"])
    ('B', 'A', -2, True)
    """
    settings = settings or FairnessSettings()
    by = [str(x) for x in by]
    if not by:
        raise ConfigError("name at least one attribute to compare by (for example --by location)")
    missing = [c for c in by if c not in people]
    if missing:
        raise ConfigError(f"the people file has no column {', '.join(missing)}; the columns are "
                          f"{', '.join(map(str, people.columns))}")
    outcomes = [o for o in settings.outcomes if OUTCOMES[o][0] in people]
    high = (high_performer.reindex(people.index).fillna(False).astype(bool).to_numpy()
            if high_performer is not None else np.zeros(len(people), dtype=bool))
    populations = [(EVERYONE, np.ones(len(people), dtype=bool))]
    if settings.high_performers and high.any():
        populations.append((HIGH_PERFORMERS, high))
    rng = np.random.default_rng(settings.seed)
    rows = []
    for attribute in by:
        # the strata never include the attribute compared (comparing by level: within departments)
        stratum, used = _strata(people, [c for c in settings.strata if c != attribute])
        labels = people[attribute].astype("string").str.strip()
        labels = labels.where(labels != "").to_numpy(dtype=object)
        for population, member in populations:
            chosen = [o for o in outcomes if population == HIGH_PERFORMERS or o not in HIGH_PERFORMER_ONLY]
            if not chosen:
                continue
            found = _compare(people, labels, attribute, population, member & (stratum >= 0), stratum,
                             chosen, settings, rng)
            rows += [{**r, "within": ", ".join(used)} for r in found]
    table = pd.DataFrame(rows, columns=_COLUMNS)
    tested = table["p_value"].notna().to_numpy()
    table["p_adjusted"] = holm(table["p_value"].to_numpy())
    table["finding"] = tested & (table["p_adjusted"] <= settings.alpha)
    table["sentence"] = [_sentence(r, [x for x in str(r.within).split(", ") if x])
                         for r in table.itertuples()]
    table.attrs.update({"comparisons": int(tested.sum()), "alpha": settings.alpha,
                        "permutations": settings.permutations, "bootstrap": settings.bootstrap,
                        "strata": list(settings.strata), "min_group_size": settings.min_group_size,
                        "correction": "Holm step-down over every comparison", "attributes": by})
    return table


_COLUMNS = ["attribute", "group", "reference", "population", "outcome", "within", "people_group",
            "people_reference", "strata", "left_out", "group_mean", "reference_mean", "raw_difference",
            "adjusted_difference", "ci_low", "ci_high", "p_value", "permutation_p"]


def _compare(people: pd.DataFrame, labels: np.ndarray, attribute: str, population: str,
             member: np.ndarray, stratum: np.ndarray, outcomes: list[str], settings: FairnessSettings,
             rng: np.random.Generator) -> list[dict]:
    """Every group of one attribute against its reference, in one population."""
    known = member & pd.notna(labels)
    sizes = pd.Series(labels[known]).value_counts()
    if sizes.empty:
        return []
    reference = settings.reference.get(attribute)
    if reference is None:
        reference = str(sorted(sizes.index, key=lambda g: (-sizes[g], str(g)))[0])
    elif reference not in sizes.index:
        raise ConfigError(f"the reference group {reference!r} is not a value of {attribute} "
                          f"(values: {', '.join(map(str, sizes.index))})")
    values = np.column_stack([pd.to_numeric(people[OUTCOMES[o][0]], errors="coerce").to_numpy(float)
                              for o in outcomes])
    if "hidden" in outcomes:
        values[:, outcomes.index("hidden")] *= 100.0  # percentage points
    # privacy: cells (group x stratum) under the minimum are suppressed
    cell = pd.DataFrame({"label": labels[known], "stratum": stratum[known]})
    cell_size = cell.groupby(["label", "stratum"])["label"].transform("size").to_numpy()
    kept = np.zeros(len(people), dtype=bool)
    kept[np.flatnonzero(known)[cell_size >= settings.min_group_size]] = True
    left_out = pd.Series(labels[known & ~kept]).value_counts()
    out = []
    for group in sorted(sizes.index, key=str):
        if group == reference:
            continue
        pair = kept & ((labels == group) | (labels == reference))
        in_group = (labels[pair] == group)
        n_group, n_ref = int(in_group.sum()), int((~in_group).sum())
        base = {"attribute": attribute, "group": group, "reference": reference, "population": population,
                "left_out": int(left_out.get(group, 0) + left_out.get(reference, 0))}
        if n_group < settings.min_group_size or n_ref < settings.min_group_size:
            for o in outcomes:
                out.append({**base, "outcome": o, "people_group": n_group, "people_reference": n_ref,
                            "strata": 0})
            continue
        y = values[pair]
        gap = stratified_gap(np.nan_to_num(y), in_group, stratum[pair], permutations=settings.permutations,
                             bootstrap=settings.bootstrap, rng=rng)
        everyone_g = known & (labels == group)
        everyone_r = known & (labels == reference)
        raw_g, raw_r = np.nanmean(values[everyone_g], axis=0), np.nanmean(values[everyone_r], axis=0)
        for j, o in enumerate(outcomes):
            compared = gap.strata > 0 and gap.people_group >= settings.min_group_size
            out.append({**base, "outcome": o, "people_group": gap.people_group,
                        "people_reference": gap.people_reference,
                        "strata": gap.strata, "group_mean": raw_g[j], "reference_mean": raw_r[j],
                        "raw_difference": raw_g[j] - raw_r[j],
                        "adjusted_difference": gap.adjusted[j] if compared else np.nan,
                        "ci_low": gap.ci_low[j] if compared else np.nan,
                        "ci_high": gap.ci_high[j] if compared else np.nan,
                        "p_value": gap.p_value[j] if compared else np.nan,
                        "permutation_p": gap.permutation_p[j] if compared else np.nan})
    return out


def _number(x: float) -> str:
    return f"{abs(x):.1f}" if abs(x) < 10 else f"{abs(x):.0f}"


def _sentence(row, strata: list[str]) -> str:
    like = {(S.LEVEL, S.DEPARTMENT): "At the same level and in the same department",
            (S.LEVEL,): "At the same level", (S.DEPARTMENT,): "In the same department"}.get(
        tuple(strata), "Within the same " + " and ".join(strata) if strata else "Across the organisation")
    who = f"people with {row.attribute} {row.group}"
    ref = f"people with {row.attribute} {row.reference}"
    among = " among high performers" if row.population == HIGH_PERFORMERS else ""
    _, unit, noun = OUTCOMES[row.outcome]
    if pd.isna(row.p_value):
        return (f"{who.capitalize()}{among}: too few people to compare with {ref} like for like "
                f"(groups under the minimum size are not shown).")
    if not row.finding:
        return f"{like}, {who}{among} and {ref}: no difference in {noun} beyond chance."
    d = row.adjusted_difference
    if row.outcome == "visibility":
        what = f"a visibility {_number(d)} percentile points {'higher' if d > 0 else 'lower'}"
    elif row.outcome == "hidden":
        what = (f"a chance of being on the hidden-talent list {_number(d)} percentage points "
                f"{'higher' if d > 0 else 'lower'}")
    else:
        what = f"{_number(d)} {'more' if d > 0 else 'fewer'} {unit}"
    sure = row.ci_low * row.ci_high > 0
    low, high = sorted((abs(row.ci_low), abs(row.ci_high)))
    interval = f" (95% interval {_number(low)}–{_number(high)})" if sure else ""
    raw = (f"; before comparing like for like the difference was {row.raw_difference:+.1f}"
           if np.sign(row.raw_difference) != np.sign(d) or abs(row.raw_difference) > 2 * abs(d) else "")
    return f"{like}, {who}{among} have {what} than {ref}{interval}{raw}; this is unlikely to be chance."


def outcome_table(result: AnalysisResult, by: Iterable[str]) -> tuple[pd.DataFrame, pd.Series]:
    """The people of an analysis with only what a comparison needs: the attributes in
    ``by``, the strata columns, every outcome (``advocates``: distinct people who named the
    person in an advocacy or sponsor relation; ``hidden``: on the hidden-talent list), and
    who is a high performer (the analysis's rule). No names, no ids beyond the index."""
    from .hidden import high_performers as find_high_performers
    table = result.people_metrics
    by = [str(x) for x in by]
    missing = [c for c in by if c not in table]
    if missing:
        raise ConfigError(f"the people file has no column {', '.join(missing)} (after pseudonymisation, keep it "
                          f"with --keep-column); the columns are: {', '.join(map(str, result.network.people.columns))}")
    keep = list(dict.fromkeys(by + [c for c in (S.LEVEL, S.DEPARTMENT) if c in table]
                              + [column for column, _, _ in OUTCOMES.values() if column in table]))
    people = table[keep].copy()
    ties = result.network.ties
    declared = ties[(ties[S.KIND] == S.KIND_RELATIONSHIP) & ties[S.LAYER].isin(ReviewRules().advocate_relations)]
    counts = declared.drop_duplicates([S.TIE_SOURCE, S.TIE_TARGET]).groupby(S.TIE_TARGET).size()
    if len(declared):
        people["advocates"] = counts.reindex(people.index).fillna(0).to_numpy(float)
    has_ratings = S.PERFORMANCE in table and table[S.PERFORMANCE].notna().any()
    high = (find_high_performers(table[S.PERFORMANCE]) if has_ratings
            else pd.Series(False, index=table.index))
    if has_ratings:
        listed = set(result.hidden_talent[S.EMPLOYEE_ID].astype(str)) if len(result.hidden_talent) else set()
        people["hidden"] = people.index.astype(str).isin(listed).astype(float)
    return people, high


def fairness(result: AnalysisResult, by: Iterable[str], *,
             settings: FairnessSettings | None = None) -> pd.DataFrame:
    """Is access fair? Every group of each attribute in ``by`` against its reference, on
    every outcome, at the same level and in the same department (module doc).

    Parameters
    ----------
    result : AnalysisResult
        An analysis (:func:`ona.analyze`).
    by : iterable of str
        People-file columns to compare by (only these are read), e.g. ``["location"]``.
    settings : FairnessSettings, optional
        Permutations, bootstrap, error rate, minimum group size, strata, reference groups
        (:class:`FairnessSettings`; the defaults when None).

    Returns
    -------
    DataFrame
        As :func:`fairness_table`: one row per comparison, group-level only, with a plain
        sentence each.

    Examples
    --------
    >>> import ona
    >>> result = ona.analyze(ona.sample_path("acme"), confidence=ona.ConfidenceSettings(replicates=0),
    ...                      tribes=ona.TribeSettings(stability_seeds=0))
    >>> table = ona.fairness(result, ["location"], settings=ona.FairnessSettings(permutations=200, bootstrap=200))
    >>> sorted(table["outcome"].unique())[:3]
    ['advocates', 'cross_department_ties', 'hidden']
    """
    people, high = outcome_table(result, by)
    return fairness_table(people, by, settings=settings, high_performer=high)
