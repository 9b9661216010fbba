"""The data behind the dashboard: analysed once per dataset, then only read.

A dataset is identified by its folder and options; :func:`get_dataset` analyses it on
first use and keeps the result (an LRU cache of a few datasets per process). Callbacks
read from it and never change it, so several users and several worker processes are
safe (each worker analyses the data once).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import figures
from ..errors import OnaError
from ..groups import MIN_GROUP_SIZE, GroupSettings, links_out
from ..names import display_names
from ..pipeline import AnalysisResult, analyze
from ..talent_review import ReviewRules, read_ids, resolve_rules
from ..ties import TieArrays
from ..visibility import senior_leaders

__all__ = ["DatasetKey", "Dataset", "get_dataset", "person_labels"]


@dataclass(frozen=True)
class DatasetKey:
    """What identifies one analysed dataset (hashable: the cache key)."""

    data_dir: str
    since: str | None = None
    until: str | None = None
    pseudonymize: bool = False
    min_group_size: int = MIN_GROUP_SIZE


@dataclass
class Dataset:
    """An analysed dataset, or the error that stopped its analysis; the group-level
    figures are drawn once with it."""

    key: DatasetKey
    result: AnalysisResult | None = None
    error: str | None = None
    rules: ReviewRules | None = None
    leaders: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    default_panel: list[str] = field(default_factory=list)
    default_slate: list[str] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)

    @property
    def analysed(self) -> AnalysisResult:
        """The analysis, for pages that have checked :attr:`error` first."""
        if self.result is None:
            raise RuntimeError(self.error or "the dataset was not analysed")
        return self.result

    @property
    def ties(self) -> TieArrays:
        """The ties the analysis measured (pages that have checked :attr:`error` first)."""
        ties = self.analysed.ties
        if ties is None:  # analyze always keeps them
            raise RuntimeError("the analysis kept no ties")
        return ties

    @property
    def name(self) -> str:
        return Path(self.key.data_dir).name

    def label(self, pid: str) -> str:
        return self.labels.get(pid, pid)


def _defaults(folder: Path, people: pd.DataFrame, role: str) -> list[str]:
    for suffix in (".csv", ".xlsx", ".parquet"):
        path = folder / f"{role}{suffix}"
        if path.exists():
            try:
                return read_ids(path, people, role)
            except OnaError:
                return []
    return []


def person_labels(people: pd.DataFrame, pseudonymized: bool = False) -> dict[str, str]:
    """How a person is shown (:func:`ona.names.display_names`)."""
    return display_names(people, pseudonymized)


@functools.lru_cache(maxsize=4)
def get_dataset(key: DatasetKey) -> Dataset:
    """Analyse the dataset once (cached); an error in the data is kept as a message."""
    try:
        result = analyze(key.data_dir, since=key.since, until=key.until, pseudonymize_ids=key.pseudonymize,
                         groups=GroupSettings(min_group_size=key.min_group_size))
    except OnaError as exc:
        return Dataset(key=key, error=str(exc))
    net = result.network
    ties = result.ties
    if ties is None:  # analyze always keeps them
        return Dataset(key=key, error="the analysis kept no ties")
    people = net.people
    labels = person_labels(people, net.pseudonymized)
    leaders = set(senior_leaders(people))
    folder = Path(key.data_dir)
    panel = slate = []
    if not key.pseudonymize:
        panel = _defaults(folder, people, "panel")
        slate = _defaults(folder, people, "slate")
    drawn = {
        "departments": figures.department_heatmap(result.department_matrix),
        "tribes": (figures.tribe_map(result.people_metrics, ties, result.tribe_table,
                                     min_group_size=key.min_group_size)
                   if len(result.tribe_table) <= 12 else figures.tribe_bars(result.tribe_table)),
        "ei": figures.ei_chart(result.departments),
        "tribe_departments": figures.tribe_department_heatmap(result.tribe_departments),
        "hidden": figures.hidden_talent_scatter(result.people_metrics, result.hidden_talent, labels),
    }
    tables = {"links_out": links_out(people, ties, min_group_size=key.min_group_size)}
    return Dataset(key=key, result=result, rules=resolve_rules(net), leaders=leaders,
                   labels=labels, default_panel=panel, default_slate=slate, figures=drawn,
                   tables=tables)
