"""Group-level views: departments and tribes, how closed they are, who connects them.

E-I index (Krackhardt & Stern 1988): ``(E - I) / (E + I)`` where ``E`` counts the ties
from a group's members to people outside it and ``I`` the ties among its members (each
pair once). -1 = every tie stays inside, +1 = every tie goes outside. Given unweighted
(ties) and weighted (tie weight).

Baseline: the E-I the group would get if ties ignored group lines, with each person
keeping their own amount of collaboration (the configuration model): with ``D`` the
group's total strength and ``W`` the total weight, expected internal weight ``D^2 / 4W``
and external ``D - D^2 / 2W``. Small groups expect most of their ties outside, so
comparing with the baseline keeps them from being flagged just for being small.

Openness = observed external share of the group's tie weight divided by the baseline's;
``openness_ties`` the same on tie counts; ``outside_share`` the share of members with any
tie outside the group, beside ``outside_share_expected``, the share the configuration
model expects (a member with ``k`` ties keeps them all inside with probability ``q^k``,
``q`` the group's share of all tie ends).

**Silo test.** Every department works mostly with itself, so every department is more
closed than chance; a silo is one far more closed than the organisation's *typical*
groups. Each group's ``silo_z`` compares its log openness with the median log openness of
the typical groups (every group shown except itself and those already found silos), in
units of ``sqrt(tau^2 + se^2)``: ``tau^2`` is how much typical groups differ from each
other beyond chance (their spread, 1.4826 x the median absolute deviation, squared,
minus their median squared standard error; never below 0) and ``se`` the group's own
sampling error (from its members' outside and inside weights, by the delta method; it
is the error the group would have if it mixed like a typical group, and it shrinks with
the number of active members). Groups are tested one at a time from the most closed
(Holm's step-down): the most closed is a **silo** when its openness is less than half
the typical groups' median openness (``SILO_RATIO``) and its ``z`` is below the one-sided
normal quantile for ``silo_alpha`` (0.05) divided by the number of groups compared
(Bonferroni: with ten departments, 2.58); it then leaves the typical groups, the next
most closed is tested the same way with one group fewer in the division, and the test
stops at the first group that is not a silo (or when three typical groups are left). A
group with no outside tie at all counts as if it had half a typical tie out. With fewer
than four groups there is nothing to compare a group with, and no group is flagged. The
rule is relative on purpose: in an organisation whose departments are all fairly closed
it still finds the few far more closed than the rest, two silos do not hide each other,
and where groups differ only by chance it flags none (about one organisation in twenty
at most, by construction).

Bridges: the members who carry most of a group's tie weight to other groups (its links
out), and for each pair of connected groups the people on most of the ties between them.

The group functions take the network, like the person functions (measured on its ties under
the default rule), or the people table with the tie arrays a run has already measured.

Minimum group size: groups with fewer than ``min_group_size`` people (5) are not shown
one by one; they are merged into one row (or one row and column of a matrix) that gives
only how many people and groups it holds — and when the small groups together still hold
fewer than the minimum, they are left out of every group view (no row, no matrix cell, no
bridges), so a one-person department never shows through the merged row.

References
----------
Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises: an
experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140 (the E-I index).
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
Journal of Statistics*, 6(2), 65-70 (the step-down of the silo test).
Newman, M. E. J. (2010). *Networks: An Introduction*. Oxford University Press, section 13.2
(the configuration model behind the expected E-I).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .network import OrgNetwork
from .ties import TieArrays, from_networkx, tie_arrays
from .tribes import NO_TRIBE, TribeResult

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["holm", "benjamini_hochberg", "GroupSettings", "bridge_people", "bridge_tables", "tribe_department_shares",
           "department_table", "department_silos", "tribe_table", "tribe_silos",
           "group_matrix", "tribe_department_table",
           "group_bridges", "ei_index", "silo_test", "tribe_labels", "links_out", "SMALL_GROUPS", "SMALL_TRIBES",
           "MIN_GROUP_SIZE", "SILO_ALPHA", "TOP_BRIDGES"]

MIN_GROUP_SIZE = 5
#: Family-wise error rate of the silo test (Bonferroni over the groups compared).
SILO_ALPHA = 0.05
#: A silo is less open than this share of the other groups' median openness (half).
SILO_RATIO = 0.5
#: Groups needed before any can be called far more closed than the others.
MIN_GROUPS_COMPARED = 4
#: Groups scored at once by the silo test (memory: this many times the groups compared).
_SILO_BLOCK = 256
TOP_BRIDGES = 3
SMALL_GROUPS = "(departments under the minimum size)"
SMALL_TRIBES = "(tribes under the minimum size)"


@dataclass(frozen=True)
class GroupSettings:
    """How groups are shown and tested.

    Parameters
    ----------
    min_group_size : int, default 5
        Groups with fewer people are merged into one row in every group view, so no small
        group's figures single anyone out.
    silo_alpha : float, default 0.05
        Error rate of the silo test (Holm step-down over the groups tested).

    >>> GroupSettings().min_group_size
    5
    """

    min_group_size: int = MIN_GROUP_SIZE
    silo_alpha: float = SILO_ALPHA

    def __post_init__(self) -> None:
        _check(self.min_group_size, self.silo_alpha)


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN stays NaN): controls the chance of any false
    finding among the comparisons at the level they are read at.

    Parameters
    ----------
    p : array of float
        The p-values (NaN for comparisons not made).

    Returns
    -------
    array of float
        The adjusted p-values, at most 1.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65-70.

    Examples
    --------
    >>> holm(np.array([0.01, 0.04, 0.03, np.nan])).round(2).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if len(ok) == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (NaN stays NaN): marking every comparison whose
    adjusted value is at most ``q`` keeps the expected share of false marks among those
    marked at most ``q``.

    Parameters
    ----------
    p : array of float
        The p-values (NaN for comparisons not made).

    Returns
    -------
    array of float
        The adjusted p-values, at most 1.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *Journal of
    the Royal Statistical Society B* 57(1), 289-300.

    Examples
    --------
    >>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, np.nan])).round(2).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if len(ok) == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    scaled = p[order] * m / np.arange(1, m + 1)
    out[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return out


def ei_index(external: float, internal: float) -> float:
    """Krackhardt and Stern's E-I index; NaN without ties.

    Parameters
    ----------
    external : float
        Ties (or tie weight) from the group's members to people outside it.
    internal : float
        Ties (or tie weight) among the group's members, each pair once.

    Returns
    -------
    float
        ``(external - internal) / (external + internal)``, from -1 (every tie inside) to +1
        (every tie outside); NaN when both are 0.

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140 (the E-I index).

    Examples
    --------
    >>> ei_index(1, 3)
    -0.5
    """
    total = external + internal
    return (external - internal) / total if total > 0 else float("nan")


def _check(min_group_size: int, silo_alpha: float = SILO_ALPHA) -> None:
    if int(min_group_size) < 1:
        raise ConfigError(f"the minimum group size must be at least 1, got {min_group_size!r}")
    if not 0 < silo_alpha < 1:
        raise ConfigError(f"the silo test's error rate must be between 0 and 1, got {silo_alpha!r}")


def _ends(ties: TieArrays) -> tuple[np.ndarray, np.ndarray]:
    """Both ends of every tie, with the tie's weight twice."""
    return np.concatenate([ties.u, ties.v]), np.concatenate([ties.w, ties.w])


def _mixing(codes: np.ndarray, n_groups: int, ties: TieArrays, ids: pd.Index,
            top: int = TOP_BRIDGES) -> pd.DataFrame:
    """Per group code (-1 = outside every group): ties in and out, E-I with its baseline,
    insularity, openness and the members carrying the ties out."""
    cu, cv = codes[ties.u], codes[ties.v]
    inside = (cu == cv) & (cu >= 0)
    crossing = cu != cv

    def count(weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        def tally(group: np.ndarray, mask: np.ndarray) -> np.ndarray:
            mask = mask & (group >= 0)
            return np.bincount(group[mask], weights=None if weights is None else weights[mask],
                               minlength=n_groups).astype(float)
        return tally(cu, inside), tally(cu, crossing) + tally(cv, crossing)

    internal_n, external_n = count(None)
    internal_w, external_w = count(ties.w)
    ends, weights = _ends(ties)
    strength = np.bincount(ends, weights=weights, minlength=ties.n)
    degree = np.bincount(ends, minlength=ties.n).astype(float)
    member = codes >= 0
    group_strength = np.bincount(codes[member], weights=strength[member], minlength=n_groups)
    group_degree = np.bincount(codes[member], weights=degree[member], minlength=n_groups)

    def expected(totals: np.ndarray, grand: float) -> tuple[np.ndarray, np.ndarray]:
        if grand <= 0:
            return np.zeros_like(totals), np.zeros_like(totals)
        exp_internal = totals ** 2 / (4 * grand)
        return exp_internal, totals - 2 * exp_internal

    exp_in_w, exp_out_w = expected(group_strength, float(ties.w.sum()))
    exp_in_n, exp_out_n = expected(group_degree, float(len(ties.u)))
    table = pd.DataFrame({
        "size": np.bincount(codes[member], minlength=n_groups),
        "internal_ties": internal_n, "external_ties": external_n,
        "ei_index": [ei_index(e, i) for e, i in zip(external_n, internal_n)],
        "ei_expected": [ei_index(e, i) for e, i in zip(exp_out_n, exp_in_n)],
        "internal_weight": internal_w, "external_weight": external_w,
        "ei_index_weighted": [ei_index(e, i) for e, i in zip(external_w, internal_w)],
        "ei_expected_weighted": [ei_index(e, i) for e, i in zip(exp_out_w, exp_in_w)],
    })
    with np.errstate(invalid="ignore", divide="ignore"):
        table["insularity"] = internal_w / (internal_w + external_w)
        expected_share = exp_out_w / (exp_in_w + exp_out_w)
        table["openness"] = (external_w / (internal_w + external_w)) / expected_share
        table["openness_ties"] = (external_n / (internal_n + external_n)) / (exp_out_n / (exp_in_n + exp_out_n))
    # links out: each member's tie weight to people outside their group
    out_end = np.concatenate([ties.u[crossing], ties.v[crossing]])
    out_w = np.concatenate([ties.w[crossing], ties.w[crossing]])
    person_out = np.bincount(out_end, weights=out_w, minlength=ties.n)
    carriers = np.flatnonzero((person_out > 0) & member)
    table["people_with_outside_ties"] = np.bincount(codes[carriers], minlength=n_groups)
    # the same as a share of members, beside what random mixing would give
    inside_share = np.where(float(len(ties.u)) > 0, group_degree / max(2.0 * len(ties.u), 1.0), 0.0)
    q = inside_share[np.maximum(codes, 0)]
    any_out = np.where(member & (degree > 0), 1.0 - q ** degree, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["outside_share"] = table["people_with_outside_ties"] / table["size"]
        table["outside_share_expected"] = (np.bincount(codes[member], weights=any_out[member],
                                                       minlength=n_groups) / table["size"])
    # sampling error of log openness, from members' outside and inside weights
    person_in = strength - person_out
    typical = float(np.median(ties.w)) if len(ties.w) else 1.0
    table["log_openness"], table["log_openness_se"] = _log_openness(
        codes, member, person_out, person_in, expected_share, n_groups, typical)
    table["bridges"] = (_top_people(codes[carriers], carriers, person_out[carriers], external_w, n_groups, ids, top)
                        if top > 0 else [""] * n_groups)
    return table


def _top_people(group: np.ndarray, person: np.ndarray, weight: np.ndarray, totals: np.ndarray,
                n_groups: int, ids: pd.Index, top: int) -> list[str]:
    """'id (share%); ...' for the ``top`` people of each group by weight."""
    frame = pd.DataFrame({"group": group, "person": person, "weight": weight})
    frame = frame.sort_values(["group", "weight", "person"], ascending=[True, False, True])
    frame = frame.groupby("group", sort=False).head(top)
    text = [""] * n_groups
    names = ids.astype(str).to_numpy()
    for g, rows in frame.groupby("group", sort=False):
        total = totals[g]
        text[int(g)] = "; ".join(f"{names[p]} ({w / total:.0%})"
                                 for p, w in zip(rows["person"], rows["weight"]))
    return text


def _log_openness(codes: np.ndarray, member: np.ndarray, outside: np.ndarray, inside: np.ndarray,
                  expected_share: np.ndarray, n_groups: int, typical: float) -> tuple[np.ndarray, np.ndarray]:
    """Log openness per group, and the standard error it would have if the group mixed like
    a typical one (its noise under the null of the silo test).

    The observed external share is ``r = sum(a) / sum(b)`` with ``a`` a member's outside
    weight and ``b`` their outside weight plus half their inside weight (inside ties have
    two members); a group with nothing outside counts half a typical tie out. By the delta
    method over members, ``se(log r) = c * sqrt(sum(b^2)) / sum(b)``: it shrinks with the
    number of active members; ``c`` is how much members' outside shares vary around their
    group's, pooled over the organisation.
    """
    g = codes[member]
    a, b = outside[member], outside[member] + inside[member] / 2.0
    sum_a = np.bincount(g, weights=a, minlength=n_groups)
    sum_b = np.bincount(g, weights=b, minlength=n_groups)
    sum_b2 = np.bincount(g, weights=b ** 2, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(sum_b > 0, sum_a / sum_b, 0.0)
        fitted = raw[g] * b
        dispersion = float(np.sqrt(((a - fitted) ** 2).sum() / (fitted ** 2).sum())) if (fitted > 0).any() else 1.0
        floor = 0.5 * typical
        ratio = np.maximum(sum_a, floor) / np.maximum(sum_b, floor)
        log_open = np.log(ratio) - np.log(expected_share)
        se = dispersion * np.sqrt(sum_b2) / sum_b
    return log_open, np.where(np.isfinite(se), se, np.nan)


def silo_test(log_openness: np.ndarray, se: np.ndarray, *, alpha: float = SILO_ALPHA,
              ratio: float = SILO_RATIO) -> tuple[np.ndarray, np.ndarray, float]:
    """The silo test of the module doc on groups' log openness and its standard error:
    each group's z against the typical groups, whether it is a silo, and the critical z
    of the first step (Bonferroni over all groups compared).

    >>> z, silo, critical = silo_test(np.log([0.9, 1.0, 1.1, 0.95, 1.05, 0.05]), np.full(6, 0.05))
    >>> silo.tolist(), round(critical, 2)
    ([False, False, False, False, False, True], 2.39)
    >>> silo_test(np.log([0.9, 1.0, 1.1, 0.95, 1.05, 0.6]), np.full(6, 0.01))[1].tolist()  # closed, not far
    [False, False, False, False, False, False]
    >>> silo_test(np.log([0.9, 1.0, 1.1, 0.95, 1.05, 0.3, 0.02]), np.full(7, 0.05))[1].tolist()  # two silos
    [False, False, False, False, False, True, True]
    """
    x = np.asarray(log_openness, dtype=float)
    se = np.nan_to_num(np.asarray(se, dtype=float), nan=0.0)
    k = len(x)
    z = np.full(k, np.nan)
    silo = np.zeros(k, dtype=bool)
    normal = NormalDist()
    critical = normal.inv_cdf(1.0 - alpha / max(k, 1)) if k else float("nan")
    if k < MIN_GROUPS_COMPARED:
        return z, silo, critical

    def against_typical(open_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each open group's z and the median of the others, a block of groups at a time:
        row ``j`` of ``others`` is every open group but the ``j``-th, and numpy's median
        along a row is the median of that row alone (the same partition and mean of the
        middle two). Blocks of :data:`_SILO_BLOCK` rows keep the memory in proportion to
        the groups, not their square."""
        g = len(open_)
        median, spread, se_median = np.empty(g), np.empty(g), np.empty(g)
        for lo in range(0, g, _SILO_BLOCK):
            rows = np.arange(lo, min(lo + _SILO_BLOCK, g))
            # position j of row r: j, or j + 1 from the row's own group on
            at = np.arange(g - 1)[None, :]
            others = open_[at + (at >= rows[:, None])]
            block = np.median(x[others], axis=1)
            median[rows] = block
            spread[rows] = 1.4826 * np.median(np.abs(x[others] - block[:, None]), axis=1)
            se_median[rows] = np.median(se[others] ** 2, axis=1)
        # squares of single numbers taken as Python takes them (C's pow, which can differ
        # from x * x, and from numpy's vectorised pow, in the last bit): every z is the
        # same to the last bit as group by group
        def squares(values: np.ndarray) -> np.ndarray:
            return np.array([v ** 2 for v in values.tolist()], dtype=float)

        between = np.maximum(squares(spread) - se_median, 0.0)
        return (x[open_] - median) / np.maximum(np.sqrt(between + squares(se[open_])), 1e-3), median

    while True:
        open_ = np.flatnonzero(~silo)
        values, medians = against_typical(open_)
        z[open_] = values
        if len(open_) <= MIN_GROUPS_COMPARED - 1:
            break
        at = int(np.lexsort((open_, values))[0])  # the lowest z, the first group on equal ones
        worst, value, median = int(open_[at]), float(values[at]), float(medians[at])
        step_critical = normal.inv_cdf(1.0 - alpha / (k - int(silo.sum())))
        if not (value < -step_critical and x[worst] < median + np.log(ratio)):
            break
        silo[worst] = True
    return z, silo, critical


def _silo_flags(table: pd.DataFrame, shown: pd.Series, alpha: float) -> tuple[pd.Series, pd.Series, dict]:
    """Silo flag and z per row (groups not shown: no flag), and a note of the test."""
    z = pd.Series(np.nan, index=table.index)
    silo = pd.Series(False, index=table.index)
    rows = table.index[shown.to_numpy() & np.isfinite(table["log_openness"].to_numpy())]
    values, flags, critical = silo_test(table.loc[rows, "log_openness"].to_numpy(),
                                        table.loc[rows, "log_openness_se"].to_numpy(), alpha=alpha)
    z.loc[rows] = values
    silo.loc[rows] = flags
    note = {"silo_test": "log openness against the typical groups (median, between-group spread), Holm step-down",
            "silo_alpha": alpha, "groups_compared": int(len(rows)),
            "silo_critical_z": round(float(critical), 4) if np.isfinite(critical) else None,
            "median_openness": float(np.exp(np.median(table.loc[rows, "log_openness"]))) if len(rows) else None}
    if len(rows) < MIN_GROUPS_COMPARED:
        note["silo_note"] = (f"only {len(rows)} groups of at least the minimum size: too few to "
                             "tell whether one is far more closed than the others")
    return silo, z, note


def _merge_small(table: pd.DataFrame, shown: pd.Series, label_column: str, label: str,
                 kind: str, min_group_size: int) -> pd.DataFrame:
    """The groups shown, and one row for the small ones together — left out as well when
    they add up to fewer than the minimum group size, so no small group shows through."""
    small = table.loc[~shown]
    table = table.loc[shown].reset_index(drop=True)
    if small.empty or int(small["size"].sum()) < min_group_size:
        return table
    merged: dict[str, object] = {c: np.nan for c in table.columns}
    merged.update({label_column: f"{label}: {len(small)} {kind}", "size": int(small["size"].sum()),
                   "silo": False})
    for column in ("tribes", "top_departments", "bridges"):
        if column in merged:
            merged[column] = ""
    return pd.concat([table, pd.DataFrame([merged]).astype({"silo": bool})], ignore_index=True)


def _people_and_ties(where: OrgNetwork | pd.DataFrame | nx.Graph,
                     ties: TieArrays | None) -> tuple[pd.DataFrame, TieArrays]:
    """Group functions take the network (measured on its ties under the default rule, as
    the person functions are), the people table with the tie arrays already measured, or
    any networkx graph (:func:`ona.ties.from_networkx`: node attributes as the people
    table, every edge a tie)."""
    if isinstance(where, OrgNetwork):
        return where.people, ties if ties is not None else tie_arrays(where)
    if not isinstance(where, pd.DataFrame) and hasattr(where, "nodes") and hasattr(where, "edges"):
        return from_networkx(where)
    if ties is None:
        raise ConfigError("with a people table, pass its ties too (ona.tie_arrays(network)), "
                          "or pass the network itself")
    return where, ties


def department_table(network: OrgNetwork | pd.DataFrame | nx.Graph, ties: TieArrays | None = None, *,
                     tribes: TribeResult | None = None,
                     min_group_size: int = MIN_GROUP_SIZE, silo_alpha: float = SILO_ALPHA,
                     top: int = TOP_BRIDGES) -> pd.DataFrame:
    """One row per department: size, ties inside and out, E-I (unweighted and weighted)
    with the random-mixing baseline, insularity, openness, silo flag, links out, tribes
    spanned.

    ``insularity`` is the share of the department's tie weight that stays inside (0-1).
    ``people_with_outside_ties`` counts members with any tie outside the department;
    ``bridges`` names up to ``top`` members carrying most of its outside tie weight, each
    with their share of it (for a silo: its few links out). ``tribes`` lists the tribes
    holding at least 10% of the department's members, with their shares.

    Parameters
    ----------
    network : OrgNetwork, DataFrame or networkx graph
        The network, its people table with ``ties``, or any networkx graph (node
        attributes as the people table, :func:`ona.ties.from_networkx`).
    ties : TieArrays, optional
        The ties measured (default: the network's ties that count).
    tribes : TribeResult, optional
        Tribes found on the same people; adds the ``tribes`` column.
    min_group_size : int, default 5
        Departments under this size are merged into one row (left out when together they
        are still under it).
    silo_alpha : float, default 0.05
        Error rate of the silo test.
    top : int, default 3
        Members named in ``bridges`` per department.

    Returns
    -------
    DataFrame
        One row per department: department, size, internal_ties, external_ties, ei_index,
        ei_expected, internal_weight, external_weight, ei_index_weighted,
        ei_expected_weighted, insularity, openness, openness_ties, people_with_outside_ties,
        outside_share, outside_share_expected, log_openness, log_openness_se, bridges,
        tribes (with ``tribes``), silo and silo_z; silos first, then the least open. The
        merged small departments come last. ``attrs`` holds ``min_group_size`` and the
        silo test's settings and outcome.

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140 (the E-I index).
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65-70 (the step-down of the silo test).

    Examples
    --------
    >>> people = pd.DataFrame({"department": list("AAAAABBBBB")})
    >>> t = TieArrays(n=10, u=np.array([0, 1, 2, 3, 5, 6, 7, 8, 4]),
    ...               v=np.array([1, 2, 3, 4, 6, 7, 8, 9, 5]), w=np.ones(9),
    ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
    >>> table = department_table(people, t)
    >>> table.loc[table["department"] == "A", ["internal_ties", "external_ties", "ei_index", "bridges"]].values.tolist()
    [[4.0, 1.0, -0.6, '4 (100%)']]
    """
    people, ties = _people_and_ties(network, ties)
    table, note = _departments(people, ties, tribes, min_group_size, silo_alpha, top)
    table.attrs.update({"min_group_size": min_group_size, **note})
    return table


def _departments(people: pd.DataFrame, ties: TieArrays, tribes: TribeResult | None, min_group_size: int,
                 silo_alpha: float, top: int) -> tuple[pd.DataFrame, dict]:
    """:func:`department_table`'s rows in its order (silos first, then the least open; the
    merged small departments last), and the silo test's note."""
    _check(min_group_size, silo_alpha)
    dept_codes, names = pd.factorize(people[S.DEPARTMENT].astype(str))
    table = _mixing(dept_codes, len(names), ties, people.index, top)
    table.insert(0, "department", names)
    if tribes is not None:
        table["tribes"] = _tribes_spanned(people, dept_codes, names, tribes)
    shown = table["size"] >= min_group_size
    table["silo"], table["silo_z"], note = _silo_flags(table, shown, silo_alpha)
    order = table.sort_values(["silo", "openness"], ascending=[False, True], kind="stable").index
    table, shown = table.loc[order], shown.loc[order]
    return _merge_small(table, shown, "department", SMALL_GROUPS, "departments", min_group_size), note


def tribe_table(people: pd.DataFrame, ties: TieArrays, tribes: TribeResult, *,
                stability: pd.DataFrame | None = None, min_group_size: int = MIN_GROUP_SIZE,
                silo_alpha: float = SILO_ALPHA, top: int = TOP_BRIDGES) -> pd.DataFrame:
    """One row per tribe: size, its top departments with shares, internal tie share, E-I
    against its baseline, silo flag (the department rule applied among tribes), the
    members who bridge it to other tribes, and stability when given
    (:func:`ona.tribes.tribe_stability`).

    ``top_departments``: up to three departments with the largest shares of the tribe's
    members; ``departments`` counts the departments with any member in it.
    ``internal_share`` is the share of the tribe's tie weight that stays inside.

    Parameters
    ----------
    people : DataFrame
        The people table (indexed by employee_id, with ``department``), in the order of
        the positions in ``ties``.
    ties : TieArrays
        The ties the tribes were found on.
    tribes : TribeResult
        The tribes (:func:`ona.tribes.detect_tribes`).
    stability : DataFrame, optional
        The output of :func:`ona.tribes.tribe_stability`; adds ``stability`` and
        ``unstable``.
    min_group_size : int, default 5
        Tribes under this size are merged into one row (left out when together they are
        still under it).
    silo_alpha : float, default 0.05
        Error rate of the silo test.
    top : int, default 3
        Members named in ``bridges`` per tribe.

    Returns
    -------
    DataFrame
        One row per tribe, in tribe order: tribe, label (:func:`tribe_labels`), size,
        top_departments, departments, the tie counts and weights, E-I and expected E-I as
        in :func:`department_table`, internal_share, openness, the outside shares, bridges,
        stability and unstable (with ``stability``), silo and silo_z. The merged small
        tribes come last. ``attrs`` holds ``min_group_size``, the silo test's settings and
        outcome, and ``without_ties`` (people in no tribe).

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140 (the E-I index).
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65-70 (the step-down of the silo test).

    Examples
    --------
    >>> import ona
    >>> net = ona.load(ona.sample_path("krackhardt"))
    >>> ties = ona.metrics.tie_arrays(net, layers=["advice"])
    >>> result = ona.detect_tribes(net, layers=["advice"], seed=1, ties=ties)
    >>> table = tribe_table(net.people, ties, result, min_group_size=1)
    >>> int(table["size"].sum()) == len(net.people)
    True
    """
    _check(min_group_size, silo_alpha)
    membership, numbers, codes = _tribe_codes(people, tribes)
    table = _mixing(codes, len(numbers), ties, people.index, top)
    table = table.rename(columns={"insularity": "internal_share"})
    table.insert(0, "tribe", numbers.astype(object))
    dept = people[S.DEPARTMENT].astype(str).to_numpy()
    top_depts, spans = [], []
    frame = pd.DataFrame({"code": codes, "dept": dept})
    frame = frame[frame["code"] >= 0]
    for code in range(len(numbers)):
        shares = frame.loc[frame["code"] == code, "dept"].value_counts(normalize=True)
        shares = shares.sort_index().sort_values(ascending=False, kind="stable")
        top_depts.append("; ".join(f"{d} ({s:.0%})" for d, s in shares.head(3).items()))
        spans.append(len(shares))
    table.insert(2, "top_departments", top_depts)
    table.insert(3, "departments", spans)
    names = tribe_labels(people, tribes)
    table.insert(1, "label", [names.get(int(t), "") for t in numbers])
    if stability is not None:
        got = stability.set_index("tribe").reindex(numbers)
        table["stability"] = got["stability"].to_numpy()
        table["unstable"] = got["unstable"].fillna(False).astype(bool).to_numpy()
    shown = table["size"] >= min_group_size
    table["silo"], table["silo_z"], note = _silo_flags(table, shown, silo_alpha)
    table = _merge_small(table, shown, "tribe", SMALL_TRIBES, "tribes", min_group_size)
    table.attrs.update({"min_group_size": min_group_size, **note,
                        "without_ties": int((membership == NO_TRIBE).sum())})
    return table


def tribe_silos(people: pd.DataFrame, ties: TieArrays, tribes: TribeResult, *,
                min_group_size: int = MIN_GROUP_SIZE, silo_alpha: float = SILO_ALPHA) -> dict:
    """Per tribe, whether it is flagged a silo: :func:`tribe_table`'s ``silo`` by its
    ``tribe`` (the merged small tribes under their row's name, never flagged), without
    the rest of the table. The confidence reruns need only this.

    >>> import ona
    >>> net = ona.load(ona.sample_path("krackhardt"))
    >>> ties = ona.metrics.tie_arrays(net, layers=["advice"])
    >>> result = ona.detect_tribes(net, layers=["advice"], seed=1, ties=ties)
    >>> table = tribe_table(net.people, ties, result, min_group_size=1)
    >>> tribe_silos(net.people, ties, result, min_group_size=1) == dict(zip(table["tribe"], table["silo"]))
    True
    """
    _check(min_group_size, silo_alpha)
    _, numbers, codes = _tribe_codes(people, tribes)
    table = _mixing(codes, len(numbers), ties, people.index, top=0)
    table.insert(0, "tribe", numbers.astype(object))
    shown = table["size"] >= min_group_size
    table["silo"], table["silo_z"], _ = _silo_flags(table, shown, silo_alpha)
    table = _merge_small(table, shown, "tribe", SMALL_TRIBES, "tribes", min_group_size)
    return dict(zip(table["tribe"], table["silo"]))


def department_silos(people: pd.DataFrame, ties: TieArrays, *, min_group_size: int = MIN_GROUP_SIZE,
                     silo_alpha: float = SILO_ALPHA) -> dict:
    """Per department, whether it is flagged a silo: :func:`department_table`'s ``silo`` by
    its ``department``, in the table's order (the merged small departments last, under
    their row's name, never flagged), without the rest of the table (its bridges and
    tribes). The confidence reruns need only this.

    >>> import ona
    >>> net = ona.load(ona.sample_path("acme"))
    >>> ties = ona.metrics.tie_arrays(net)
    >>> table = department_table(net.people, ties)
    >>> flags = department_silos(net.people, ties)
    >>> list(flags.items()) == list(zip(table["department"], table["silo"]))
    True
    """
    table, _ = _departments(people, ties, None, min_group_size, silo_alpha, top=0)
    return dict(zip(table["department"], table["silo"]))


def _tribe_codes(people: pd.DataFrame, tribes: TribeResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per person their tribe number (``NO_TRIBE`` when in none), the tribe numbers in
    order, and per person the position of their tribe among them (-1 when in none)."""
    membership = tribes.membership.reindex(people.index).fillna(NO_TRIBE).astype(np.int64).to_numpy()
    numbers = np.sort(np.unique(membership[membership != NO_TRIBE]))
    codes = np.searchsorted(numbers, membership)
    codes = np.where(membership == NO_TRIBE, -1, codes)
    return membership, numbers, codes


def links_out(network: OrgNetwork | pd.DataFrame | nx.Graph, ties: TieArrays | None = None,
              by: str | pd.Series = S.DEPARTMENT, *, min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Who carries each group's ties to the rest of the organisation: one row per group and
    member with any tie outside it — group, employee_id, outside_weight, and share of the
    group's outside weight (the shares of a group add up to 1), largest first. Groups under
    the minimum size are left out.

    >>> people = pd.DataFrame({"department": list("AAAAABBBBB")}, index=list("abcdefghij"))
    >>> t = TieArrays(n=10, u=np.array([0, 0, 1]), v=np.array([5, 6, 2]), w=np.array([3., 1., 5.]),
    ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
    >>> links_out(people, t).query("group == 'A'")[["employee_id", "share"]].values.tolist()
    [['a', 1.0]]
    """
    people, ties = _people_and_ties(network, ties)
    _check(min_group_size)
    labels, small = _labels(people, by, min_group_size)
    codes, names = _factorize(labels.where(labels != small))
    cu, cv = codes[ties.u], codes[ties.v]
    crossing = (cu != cv)
    ends = np.concatenate([ties.u[crossing & (cu >= 0)], ties.v[crossing & (cv >= 0)]])
    weights = np.concatenate([ties.w[crossing & (cu >= 0)], ties.w[crossing & (cv >= 0)]])
    out = np.bincount(ends, weights=weights, minlength=ties.n)
    carriers = np.flatnonzero(out > 0)
    frame = pd.DataFrame({"group": names[codes[carriers]], S.EMPLOYEE_ID: people.index[carriers].astype(str),
                          "outside_weight": out[carriers]})
    frame["share"] = frame["outside_weight"] / frame.groupby("group")["outside_weight"].transform("sum")
    return frame.sort_values(["group", "outside_weight", S.EMPLOYEE_ID], ascending=[True, False, True],
                             ignore_index=True)


def tribe_labels(people: pd.DataFrame, tribes: TribeResult, *, share: float = 0.2) -> dict[int, str]:
    """A readable name for each tribe from its make-up: the departments holding at least
    ``share`` of its members (the largest one when none does), largest first, and its size
    — "Engineering + Operations (24)"; a number is added when two tribes would share a name.

    >>> people = pd.DataFrame({"department": ["Eng"] * 3 + ["Ops"] * 2 + ["Eng"] * 2})
    >>> result = TribeResult(membership=pd.Series([1, 1, 1, 1, 1, 2, 2]), modularity=0.0,
    ...                      method="louvain", engine="python-louvain", resolution=1.0, seed=0)
    >>> tribe_labels(people, result)
    {1: 'Eng + Ops (5)', 2: 'Eng (2)'}
    """
    membership = tribes.membership.reindex(people.index)
    frame = pd.DataFrame({"tribe": membership.to_numpy(), "dept": people[S.DEPARTMENT].astype(str).to_numpy()})
    frame = frame[frame["tribe"] != NO_TRIBE]
    sizes = frame.groupby("tribe", sort=True).size()
    # every tribe's departments, most members first, then by name (one table for all tribes)
    counts = frame.groupby(["tribe", "dept"]).size().rename("n").reset_index()
    counts = counts.sort_values(["tribe", "n", "dept"], ascending=[True, False, True], kind="stable")
    by_tribe = dict(iter(counts.groupby("tribe", sort=False)[["dept", "n"]]))
    labels: dict[int, str] = {}
    seen: dict[str, int] = {}
    for tribe, size in sizes.items():
        rows = by_tribe.get(tribe)
        depts = rows["dept"].tolist() if rows is not None else []
        held = rows["n"].tolist() if rows is not None else []
        big = [d for d, c in zip(depts, held) if c >= share * size]
        names = (big or depts[:1])[:3]
        text = " + ".join(names) + (" + others" if len(big) > 3 else "")
        base = f"{text} ({size})"
        seen[base] = seen.get(base, 0) + 1
        labels[int(tribe)] = base if seen[base] == 1 else f"{text} #{seen[base]} ({size})"
    return labels


def _labels(people: pd.DataFrame, by: str | pd.Series, min_group_size: int) -> tuple[pd.Series, str]:
    """Group label per person (small groups share one label; people in no tribe: NaN)."""
    if isinstance(by, pd.Series):
        labels = by.reindex(people.index)
        labels = labels.where(labels != NO_TRIBE).astype("Int64").astype(str).where(labels != NO_TRIBE)
        small_label = SMALL_TRIBES
    elif by in people.columns:
        labels = people[by].astype(str)
        small_label = SMALL_GROUPS if by == S.DEPARTMENT else "(groups under the minimum size)"
    else:
        raise ConfigError(f"cannot group people by {by!r}: there is no such column in the people table")
    sizes = labels.value_counts()
    small = sizes.index[sizes < min_group_size]
    merged = labels.where(~labels.isin(small), small_label)
    if sizes[small].sum() < min_group_size:  # even together too few to show: left out
        merged = merged.where(merged != small_label)
    return merged, small_label


def _factorize(labels: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and names with numbers in numeric order, names alphabetically and the merged
    small groups last; missing labels get -1."""
    present = labels.dropna().unique().tolist()

    def key(x: str) -> tuple:
        return (x.startswith("("), not x.isdigit(), int(x) if x.isdigit() else 0, x)

    names = np.array(sorted(present, key=key), dtype=object)
    position = {name: i for i, name in enumerate(names)}
    codes = labels.map(position).fillna(-1).astype(np.int64).to_numpy()
    return codes, names


def group_matrix(network: OrgNetwork | pd.DataFrame | nx.Graph, ties: TieArrays | None = None,
                 by: str | pd.Series = S.DEPARTMENT, *,
                 weighted: bool = True, min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Group x group tie matrix: who works with whom, group to group.

    ``by`` is a people column (``department`` by default) or a tribe membership Series.
    Each cell is the total tie weight (``weighted``) or the number of ties between the
    two groups; the diagonal holds the ties inside each group (each tie once); the matrix
    is symmetric. Groups under ``min_group_size`` share one row and column; people
    without a tribe are left out.

    Parameters
    ----------
    network : OrgNetwork, DataFrame or networkx graph
        The network, its people table with ``ties``, or any networkx graph (node
        attributes as the people table, :func:`ona.ties.from_networkx`).
    ties : TieArrays, optional
        The ties measured (default: the network's ties that count).
    by : str or Series, default "department"
        A people column, or a tribe number per person (tribe 0, no tribe, left out).
    weighted : bool, default True
        Sum tie weights; otherwise count ties.
    min_group_size : int, default 5
        Groups under this size share one row and column (left out when together they are
        still under it).

    Returns
    -------
    DataFrame
        Square and symmetric, with the groups as index and columns (both named after
        ``by``, or ``tribe``): numbers in numeric order, names in alphabetical order, the
        merged small groups last.

    Examples
    --------
    >>> people = pd.DataFrame({"department": list("AAAAABBBBB")})
    >>> t = TieArrays(n=10, u=np.array([0, 1, 4]), v=np.array([1, 2, 5]), w=np.array([2., 1., 3.]),
    ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
    >>> group_matrix(people, t).values.tolist()
    [[3.0, 3.0], [3.0, 0.0]]
    """
    people, ties = _people_and_ties(network, ties)
    _check(min_group_size)
    labels, _ = _labels(people, by, min_group_size)
    codes, names = _factorize(labels)
    k = len(names)
    cu, cv = codes[ties.u], codes[ties.v]
    keep = (cu >= 0) & (cv >= 0)
    w = ties.w[keep] if weighted else np.ones(int(keep.sum()))
    a, b = cu[keep], cv[keep]
    matrix = np.bincount(a * k + b, weights=w, minlength=k * k).reshape(k, k)
    matrix = matrix + matrix.T - np.diag(np.diag(matrix))
    name = by if isinstance(by, str) else "tribe"
    return pd.DataFrame(matrix, index=pd.Index(names, name=name), columns=pd.Index(names, name=name))


def tribe_department_table(people: pd.DataFrame, tribes: TribeResult, *,
                           min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Tribe x department cross-table: how many members of each department are in each
    tribe. Departments and tribes under ``min_group_size`` are merged into one row or
    column each; people without ties (no tribe) are left out.

    Parameters
    ----------
    people : DataFrame
        The people table (indexed by employee_id, with ``department``).
    tribes : TribeResult
        The tribes (:func:`ona.tribes.detect_tribes`).
    min_group_size : int, default 5
        Tribes and departments under this size are merged (left out when together they
        are still under it).

    Returns
    -------
    DataFrame
        Head counts, one row per tribe (index ``tribe``, as text) and one column per
        department (columns named ``department``); tribes in numeric order, departments in
        alphabetical order, the merged small groups last.

    Examples
    --------
    >>> import ona
    >>> net = ona.load(ona.sample_path("krackhardt"))
    >>> result = ona.detect_tribes(net, layers=["advice"], seed=1)
    >>> int(tribe_department_table(net.people, result, min_group_size=1).to_numpy().sum())
    21
    """
    _check(min_group_size)
    tribe, _ = _labels(people, tribes.membership, min_group_size)
    dept, _ = _labels(people, S.DEPARTMENT, min_group_size)
    keep = tribe.notna()
    table = pd.crosstab(tribe[keep], dept[keep])
    table = table.loc[_factorize(pd.Series(table.index))[1], _factorize(pd.Series(table.columns))[1]]
    table.index.name, table.columns.name = "tribe", S.DEPARTMENT
    return table


def bridge_people(network: OrgNetwork | pd.DataFrame | nx.Graph, ties: TieArrays | None = None,
                  by: str | pd.Series = S.DEPARTMENT, *, top: int | None = None,
                  min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Who carries the ties between each pair of connected groups: one row per pair and
    person (a tidy table an analyst can filter).

    Parameters
    ----------
    network : OrgNetwork, DataFrame or networkx graph
        The network, its people table with ``ties``, or any networkx graph (node
        attributes as the people table, :func:`ona.ties.from_networkx`).
    ties : TieArrays, optional
        The ties measured (default: the network's ties that count).
    by : str or Series, default "department"
        A people column, or a label per person (tribes).
    top : int, optional
        Keep each pair's ``top`` heaviest carriers (default: all).
    min_group_size : int, default 5
        Groups under this size are merged (their members are not shown by group).

    Returns
    -------
    DataFrame
        group_a, group_b (the pair, in the order of :func:`group_bridges`), employee_id,
        group (the person's side), weight (their tie weight to the other side) and share (of
        the pair's weight: each side's shares add up to 1), heaviest pair first, then
        heaviest carrier first.

    Examples
    --------
    >>> people = pd.DataFrame({"department": list("AAAAABBBBB")})
    >>> t = TieArrays(n=10, u=np.array([0, 0, 1]), v=np.array([5, 6, 7]), w=np.array([2., 1., 1.]),
    ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
    >>> bridge_people(people, t)[["employee_id", "group", "share"]].values.tolist()
    [['0', 'A', 0.75], ['5', 'B', 0.5], ['1', 'A', 0.25], ['6', 'B', 0.25], ['7', 'B', 0.25]]
    """
    people, ties = _people_and_ties(network, ties)
    _check(min_group_size)
    return _bridge_people(people, _carriers(people, ties, by, min_group_size), top)


def bridge_tables(people: pd.DataFrame, ties: TieArrays, by: str | pd.Series = S.DEPARTMENT, *,
                  top: int = TOP_BRIDGES, top_people: int | None = None,
                  min_group_size: int = MIN_GROUP_SIZE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`group_bridges` (``top``) and :func:`bridge_people` (``top_people``) of one
    grouping, from one tally of the ties across groups (``ona analyze`` needs both).

    >>> people = pd.DataFrame({"department": list("AAAAABBBBB")})
    >>> t = TieArrays(n=10, u=np.array([0, 0, 1]), v=np.array([5, 6, 7]), w=np.array([2., 1., 1.]),
    ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
    >>> bridges, carriers = bridge_tables(people, t)
    >>> bridges.equals(group_bridges(people, t)), carriers.equals(bridge_people(people, t))
    (True, True)
    """
    _check(min_group_size)
    carried = _carriers(people, ties, by, min_group_size)
    return _group_bridges(people, carried, top), _bridge_people(people, carried, top_people)


def _bridge_people(people: pd.DataFrame, carried: tuple, top: int | None) -> pd.DataFrame:
    """:func:`bridge_people` from :func:`_carriers`' tables."""
    columns = ["group_a", "group_b", S.EMPLOYEE_ID, "group", "weight", "share"]
    per_person, _, codes, names = carried
    if per_person is None:
        return pd.DataFrame(columns=columns)
    if top is not None:
        per_person = per_person.groupby("pair", sort=False).head(top).reset_index(drop=True)
    k = len(names)
    ids = people.index.astype(str).to_numpy()
    pairs = per_person["pair"].to_numpy()
    person = per_person["person"].to_numpy()
    return pd.DataFrame({"group_a": names[pairs // k], "group_b": names[pairs % k], S.EMPLOYEE_ID: ids[person],
                         "group": names[codes[person]], "weight": per_person["w"].to_numpy(),
                         "share": per_person["share"].to_numpy()}, columns=columns)


def _carriers(people: pd.DataFrame, ties: TieArrays, by: str | pd.Series, min_group_size: int
              ) -> tuple[pd.DataFrame | None, pd.DataFrame | None, np.ndarray, np.ndarray]:
    """Per pair of groups (coded ``a * k + b``) and person on it, their tie weight to the
    other side, share and the pair's weight, heaviest pair and carrier first; per pair its
    ties (``size``) and weight (``sum``); the group code per person and the group names.
    None for both tables without a tie across groups."""
    labels, _ = _labels(people, by, min_group_size)
    codes, names = _factorize(labels)
    cu, cv = codes[ties.u], codes[ties.v]
    cross = (cu >= 0) & (cv >= 0) & (cu != cv)
    u, v, w = ties.u[cross], ties.v[cross], ties.w[cross]
    if len(u) == 0:
        return None, None, codes, names
    a, b = np.minimum(cu[cross], cv[cross]), np.maximum(cu[cross], cv[cross])
    k = len(names)
    pair = a * k + b
    ends = pd.DataFrame({"pair": np.concatenate([pair, pair]), "person": np.concatenate([u, v]),
                         "w": np.concatenate([w, w])})
    per_person = ends.groupby(["pair", "person"], as_index=False)["w"].sum()
    pairs = pd.Series(w).groupby(pair).agg(["size", "sum"])
    totals = pairs["sum"]
    per_person["share"] = per_person["w"].to_numpy() / totals.reindex(per_person["pair"]).to_numpy()
    per_person["pair_weight"] = totals.reindex(per_person["pair"]).to_numpy()
    per_person = per_person.sort_values(["pair_weight", "pair", "w", "person"],
                                        ascending=[False, True, False, True], ignore_index=True)
    return per_person, pairs, codes, names


def group_bridges(network: OrgNetwork | pd.DataFrame | nx.Graph, ties: TieArrays | None = None,
                  by: str | pd.Series = S.DEPARTMENT, *,
                  top: int = TOP_BRIDGES, min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """For each pair of connected groups, the ties between them and the people who carry
    most of them.

    One row per pair: group_a, group_b, ties, weight, people_a and people_b (members of
    each side with a tie to the other), and ``bridges``: the ``top`` carriers from either
    side with the share of the pair's tie weight they are on (each side's shares add up
    to 100%), as text for reading; :func:`bridge_people` gives the same as one row per
    person. Sorted by weight, heaviest first. ``by`` as in :func:`group_matrix`.

    Parameters
    ----------
    network : OrgNetwork, DataFrame or networkx graph
        The network, its people table with ``ties``, or any networkx graph (node
        attributes as the people table, :func:`ona.ties.from_networkx`).
    ties : TieArrays, optional
        The ties measured (default: the network's ties that count).
    by : str or Series, default "department"
        A people column, or a tribe number per person (tribe 0, no tribe, left out).
    top : int, default 3
        Carriers named in ``bridges`` per pair.
    min_group_size : int, default 5
        Groups under this size are merged (their members are not shown by group).

    Returns
    -------
    DataFrame
        One row per connected pair of groups: group_a, group_b, ties, weight, people_a,
        people_b and bridges, heaviest first; empty (with these columns) when no tie
        crosses groups.

    Examples
    --------
    >>> people = pd.DataFrame({"department": list("AAAAABBBBB")})
    >>> t = TieArrays(n=10, u=np.array([0, 0, 1]), v=np.array([5, 6, 7]), w=np.array([2., 1., 1.]),
    ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
    >>> group_bridges(people, t)[["group_a", "group_b", "ties", "bridges"]].values.tolist()
    [['A', 'B', 3, '0 (75%); 5 (50%); 1 (25%)']]
    """
    people, ties = _people_and_ties(network, ties)
    _check(min_group_size)
    return _group_bridges(people, _carriers(people, ties, by, min_group_size), top)


def _group_bridges(people: pd.DataFrame, carried: tuple, top: int) -> pd.DataFrame:
    """:func:`group_bridges` from :func:`_carriers`' tables."""
    columns = ["group_a", "group_b", "ties", "weight", "people_a", "people_b", "bridges"]
    carriers, pairs, codes, names = carried
    if carriers is None or pairs is None:
        return pd.DataFrame(columns=columns)
    k = len(names)
    # on the integer pair codes: members of group a carrying the pair, and of either side
    on_a = pd.Series(codes[carriers["person"].to_numpy()] == carriers["pair"].to_numpy() // k)
    counts = on_a.groupby(carriers["pair"].to_numpy()).agg(["sum", "size"])
    named = carriers.groupby("pair", sort=False).head(top)
    ids = people.index.astype(str).to_numpy()
    label = pd.Series([f"{i} ({s:.0%})" for i, s in zip(ids[named["person"].to_numpy()], named["share"])],
                      index=named.index)
    text = label.groupby(named["pair"].to_numpy(), sort=False).agg("; ".join)
    group_a, group_b = names[(pairs.index // k).to_numpy()], names[(pairs.index % k).to_numpy()]
    out = pd.DataFrame({
        "group_a": group_a, "group_b": group_b,
        "ties": pairs["size"].to_numpy(), "weight": pairs["sum"].to_numpy(),
        "people_a": counts["sum"].reindex(pairs.index).to_numpy(),
        "people_b": (counts["size"] - counts["sum"]).reindex(pairs.index).to_numpy(),
        "bridges": text.reindex(pairs.index).to_numpy()})
    return out.sort_values(["weight", "group_a", "group_b"], ascending=[False, True, True],
                           ignore_index=True)


def tribe_department_shares(people: pd.DataFrame | OrgNetwork, tribes: TribeResult, *,
                            min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """The make-up of each tribe as a tidy table: one row per tribe and department with
    members in it.

    Returns tribe (as text, like the cross-table), department, people, share_of_tribe (of
    the tribe's members, adding up to 1 per tribe) and share_of_department (of the
    department's members with ties), largest tribe first, then largest share. Groups under
    ``min_group_size`` are merged as in :func:`tribe_department_table`; people without ties
    are left out.

    Parameters
    ----------
    people : DataFrame or OrgNetwork
        The people table (indexed by employee_id, with ``department``), or the network.
    tribes : TribeResult
        The tribes (:func:`ona.tribes.detect_tribes`).
    min_group_size : int, default 5
        Tribes and departments under this size are merged, as in
        :func:`tribe_department_table`.

    Returns
    -------
    DataFrame
        Columns tribe, department, people, share_of_tribe and share_of_department, one row
        per tribe and department with members in it.

    Examples
    --------
    >>> people = pd.DataFrame({"department": list("AAABBB")}, index=list("abcdef"))
    >>> from ona.tribes import TribeResult
    >>> tribes = TribeResult(membership=pd.Series([1, 1, 1, 1, 2, 2], index=people.index), modularity=0.2,
    ...                      method="louvain", engine="python-louvain", resolution=1.0, seed=0)
    >>> shares = tribe_department_shares(people, tribes, min_group_size=1)
    >>> shares[["tribe", "department", "share_of_tribe"]].values.tolist()
    [['1', 'A', 0.75], ['1', 'B', 0.25], ['2', 'B', 1.0]]
    """
    if isinstance(people, OrgNetwork):
        people = people.people
    counts = tribe_department_table(people, tribes, min_group_size=min_group_size)
    long = counts.stack().rename("people").reset_index()
    long = long[long["people"] > 0].copy()
    long["people"] = long["people"].astype(int)
    long["share_of_tribe"] = long["people"] / long.groupby("tribe")["people"].transform("sum")
    long["share_of_department"] = long["people"] / long.groupby(S.DEPARTMENT)["people"].transform("sum")
    size = long.groupby("tribe")["people"].transform("sum")
    long = long.assign(_size=size).sort_values(["_size", "tribe", "people", S.DEPARTMENT],
                                                ascending=[False, True, False, True], kind="stable")
    return long.drop(columns="_size").reset_index(drop=True)


def _tribes_spanned(people: pd.DataFrame, dept_codes: np.ndarray, names: pd.Index,
                    tribes: TribeResult, floor: float = 0.10) -> list[str]:
    membership = tribes.membership.reindex(people.index).to_numpy()
    frame = pd.DataFrame({"dept": dept_codes, "tribe": membership})
    frame = frame[frame["tribe"] != NO_TRIBE]
    shares = pd.crosstab(frame["dept"], frame["tribe"], normalize="index")
    out = []
    for code in range(len(names)):
        if code not in shares.index:
            out.append("")
            continue
        row = shares.loc[code]
        row = row[row >= floor].sort_values(ascending=False)
        out.append("; ".join(f"{int(t)} ({share:.0%})" for t, share in row.items()))
    return out
