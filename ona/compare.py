"""Period over period: who became more or less visible, which ties between departments grew
or faded (a new executive, a new boss, a reorganisation: the organisation through new eyes).

Both periods are measured the same way (same people list, layers and thresholds). Tie
weights are put on the same footing by dividing by the period's length in days and
multiplying by 30 (**weight per 30 days**), so a three-month period compares fairly with a
one-month one.

Rules
-----
- A person is **more visible** when their visibility percentile rose by at least
  ``visibility_change`` points (default 15), **less visible** when it fell by as much,
  otherwise **steady**. People without ties in either period are ``no ties``.
- A pair of departments' tie is **new** when it had no weight before, **gone** when it
  has none after, **grew** when the weight per 30 days rose by at least ``tie_change``
  (default 0.5, i.e. +50%), **faded** when it fell by at least ``tie_change / (1 +
  tie_change)`` (-33% for 0.5: the same ratio the other way), otherwise **steady**.
  Departments under the minimum group size are merged into one, as in every group view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .groups import MIN_GROUP_SIZE, group_matrix
from .interactions import parse_window_bound
from .metrics import people_metrics
from .network import OrgNetwork, default_layers
from .outputs import OutputFolder, write_table
from .ties import TieRule, tie_arrays

__all__ = ["compare_periods", "PeriodComparison", "Period", "VISIBILITY_CHANGE", "TIE_CHANGE"]

Bound = str | date | datetime | None
Period = tuple[Bound, Bound]
VISIBILITY_CHANGE = 15.0
TIE_CHANGE = 0.5
_KEEP = ("degree", "cross_department_ties", "leader_ties", "leader_reach", "betweenness", "visibility")


@dataclass
class PeriodComparison:
    """What :func:`compare_periods` found.

    people : one row per person: each measure before and after, the visibility change and
        a status (more visible, less visible, steady, no ties), biggest movers first.
    department_ties : one row per pair of departments (inside a department too): tie weight
        per 30 days before and after, the change and a status (new, gone, grew, faded,
        steady), biggest changes first.
    periods : the two periods as given, with their length in days.
    """

    people: pd.DataFrame
    department_ties: pd.DataFrame
    periods: dict = field(default_factory=dict)

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write compare_people.csv and compare_department_ties.csv (complete or not at all)."""
        with OutputFolder(out_dir) as folder:
            staged = [write_table(self.people.reset_index(), folder.path("compare_people"), "csv"),
                      write_table(self.department_ties, folder.path("compare_department_ties"), "csv")]
            paths = [folder.final(p) for p in staged]
        return paths


def compare_periods(
    source: str | Path,
    before: Period,
    after: Period,
    *,
    layers: list[str] | None = None,
    rule: TieRule | None = None,
    min_weight: float | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    visibility_change: float = VISIBILITY_CHANGE,
    tie_change: float = TIE_CHANGE,
    pseudonymize_ids: bool = False,
    pseudonym_key: str | None = None,
    drop_columns: list[str] | tuple[str, ...] = (),
    keep_columns: list[str] | tuple[str, ...] = (),
    **load_options,
) -> PeriodComparison:
    """Measure a data folder in two time windows and compare them (rules in the module doc).

    ``before`` and ``after`` are ``(since, until)`` pairs of ISO dates (until inclusive).
    With ``pseudonymize_ids`` both periods carry the same keyed pseudonyms and only the
    allowed people columns (:func:`ona.pseudonymize.pseudonymize`).

    Parameters
    ----------
    source : str or Path
        The data folder (as for :func:`ona.load`).
    before, after : tuple of (str, date or datetime)
        The two periods as ``(since, until)``, each with both ends.
    layers : list of str, optional
        The layers measured (default: the default layers of either period); each period
        is measured on those it has.
    rule : TieRule, optional
        Which pairs count as tied (default: the pairs above chance). Not with ``min_weight``.
    min_weight : float, optional
        A shortcut for the fixed cut-off rule with this weight.
    min_group_size : int, default 5
        Departments under this size are merged into one.
    visibility_change : float, default 15.0
        Percentile points of visibility that make a person more or less visible (above 0).
    tie_change : float, default 0.5
        Relative change that makes a tie between departments grow or fade (above 0).
    pseudonymize_ids : bool, default False
        Replace ids with keyed pseudonyms in both periods.
    pseudonym_key : str, optional
        The key (default: the ``ONA_PSEUDONYM_KEY`` environment variable).
    drop_columns, keep_columns : list or tuple of str, default ()
        People columns to leave out of, or keep in, the pseudonymised networks.
    **load_options
        Passed on to :func:`ona.load` for both periods (``weighting``, ``on_invalid``,
        ``strict``, ``encoding``, ``sheet``, ``step``).

    Returns
    -------
    PeriodComparison
        ``people``: each person's degree, cross_department_ties, leader_ties, leader_reach,
        betweenness and visibility before and after, visibility_change and status, biggest
        movers first (indexed by employee_id); ``department_ties``: per pair of departments
        the weight per 30 days before and after, change, ratio, status and whether it is
        inside one department, biggest changes first; ``periods``: since, until and days of
        each period.

    Examples
    --------
    >>> import ona
    >>> c = ona.compare_periods(ona.sample_path("acme"), ("2026-01-01", "2026-03-31"),
    ...                         ("2026-04-01", "2026-06-30"))
    >>> sorted(c.people["status"].unique())[:2], c.periods["before"]["days"]
    (['less visible', 'more visible'], 90)
    """
    from .load import load
    from .pseudonymize import pseudonymize, resolve_key
    if visibility_change <= 0 or tie_change <= 0:
        raise ConfigError("visibility_change and tie_change must be > 0")
    if pseudonymize_ids:
        pseudonym_key = resolve_key(pseudonym_key)
    nets, days = [], []
    for name, (since, until) in (("before", before), ("after", after)):
        start = parse_window_bound(since, end=False)
        stop = parse_window_bound(until, end=True)
        if start is None or stop is None:
            raise ConfigError(f"the {name} period needs both a start and an end date, got "
                              f"{since!r} to {until!r}")
        net = load(source, since=since, until=until, **load_options)
        if pseudonymize_ids:
            net = pseudonymize(net, pseudonym_key, drop_columns=drop_columns, keep_columns=keep_columns)
        nets.append(net)
        days.append(max(1, (stop - start).days))
    return compare_networks(nets[0], nets[1], days=(days[0], days[1]), layers=layers,
                            rule=rule, min_weight=min_weight, min_group_size=min_group_size,
                            visibility_change=visibility_change, tie_change=tie_change,
                            periods={"before": {"since": str(before[0]), "until": str(before[1]),
                                                "days": days[0]},
                                     "after": {"since": str(after[0]), "until": str(after[1]),
                                               "days": days[1]}})


def compare_networks(first: OrgNetwork, second: OrgNetwork, *, days: tuple[int, int] = (30, 30),
                     layers: list[str] | None = None, rule: TieRule | None = None,
                     min_weight: float | None = None,
                     min_group_size: int = MIN_GROUP_SIZE,
                     visibility_change: float = VISIBILITY_CHANGE, tie_change: float = TIE_CHANGE,
                     periods: dict | None = None) -> PeriodComparison:
    """Compare two networks of the same people (two periods already loaded)."""
    if layers is None:
        chosen = sorted(set(default_layers(first.ties)) | set(default_layers(second.ties)))
    else:
        chosen = list(layers)
    tables, matrices = [], []
    for net, span in zip((first, second), days):
        present = [x for x in chosen if x in set(net.layers)]
        arrays = tie_arrays(net, layers=present, rule=rule, min_weight=min_weight)
        tables.append(people_metrics(net, layers=present, ties=arrays))
        matrices.append(group_matrix(net.people, arrays, min_group_size=min_group_size) * 30.0 / span)
    people = _people(tables[0], tables[1], visibility_change)
    ties = _department_ties(matrices[0], matrices[1], tie_change)
    return PeriodComparison(people, ties, periods or {"before": {"days": days[0]},
                                                     "after": {"days": days[1]}})


def _people(a: pd.DataFrame, b: pd.DataFrame, threshold: float) -> pd.DataFrame:
    out = pd.DataFrame(index=a.index.union(b.index))
    out.index.name = S.EMPLOYEE_ID
    out[S.DEPARTMENT] = b[S.DEPARTMENT].reindex(out.index).fillna(a[S.DEPARTMENT].reindex(out.index))
    for column in _KEEP:
        out[column + "_before"] = a[column].reindex(out.index)
        out[column + "_after"] = b[column].reindex(out.index)
    out["visibility_change"] = out["visibility_after"] - out["visibility_before"]
    no_ties = (out["degree_before"].fillna(0) == 0) & (out["degree_after"].fillna(0) == 0)
    out["status"] = np.select(
        [no_ties, out["visibility_change"] >= threshold, out["visibility_change"] <= -threshold],
        ["no ties", "more visible", "less visible"], default="steady")
    order = out["visibility_change"].abs().fillna(0).sort_values(ascending=False, kind="stable").index
    return out.loc[order]


def _department_ties(a: pd.DataFrame, b: pd.DataFrame, change: float) -> pd.DataFrame:
    names = sorted(set(a.index) | set(b.index))
    a = a.reindex(index=names, columns=names, fill_value=0.0)
    b = b.reindex(index=names, columns=names, fill_value=0.0)
    i, j = np.triu_indices(len(names))
    frame = pd.DataFrame({"department_a": np.array(names, dtype=object)[i],
                          "department_b": np.array(names, dtype=object)[j],
                          "weight_per_30_days_before": a.to_numpy()[i, j],
                          "weight_per_30_days_after": b.to_numpy()[i, j]})
    before, after = frame["weight_per_30_days_before"], frame["weight_per_30_days_after"]
    frame = frame.loc[(before > 0) | (after > 0)].copy()
    before, after = frame["weight_per_30_days_before"], frame["weight_per_30_days_after"]
    frame["change"] = after - before
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(before > 0, after / before, np.inf)
    frame["ratio"] = ratio
    frame["status"] = np.select(
        [before == 0, after == 0, ratio >= 1 + change, ratio <= 1 / (1 + change)],
        ["new", "gone", "grew", "faded"], default="steady")
    frame["inside"] = frame["department_a"] == frame["department_b"]
    return frame.sort_values("change", key=lambda c: c.abs(), ascending=False,
                             kind="stable").reset_index(drop=True)
