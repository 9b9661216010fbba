"""Load an organisation from a data folder or from DataFrames into an :class:`OrgNetwork`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ConfigError, InputError
from .history import clean_history
from .interactions import Weighting, aggregate_interactions, tie_frame
from .network import OrgNetwork, TieStore, concat_ties
from .pairsum import warm_up
from .quality import QualityReport
from .read import ROW, find_input, prepare_frame, read_table
from .tiefile import COLUMNS, TieFile, spill_pair_rows
from .validate import clean_people, clean_relationships, relationship_ties

__all__ = ["load", "from_frames"]

Bound = str | date | datetime | None


def load(
    data_dir: str | Path,
    *,
    since: Bound = None,
    until: Bound = None,
    weighting: Weighting | None = None,
    on_invalid: str = "error",
    strict: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    step: Callable[[str], None] | None = None,
) -> OrgNetwork:
    """Read ``people``, and ``interactions``, ``relationships`` and ``history`` if present,
    from a folder.

    Each input may be ``.csv``, ``.csv.gz``, ``.parquet`` or ``.xlsx`` (the event log may
    also be a folder ``interactions/`` of CSV or Parquet part files).

    Parameters
    ----------
    data_dir : str or Path
        The folder.
    since, until : str, date or datetime, optional
        Keep interaction events in this window (until inclusive). Default: every event.
    weighting : Weighting, optional
        How events become tie weights (:class:`~ona.interactions.Weighting`; default
        ``Weighting()``).
    on_invalid : {"error", "drop"}, default "error"
        ``"error"`` stops at an unreadable value in the interactions or relationships;
        ``"drop"`` drops and counts such rows.
    strict : bool, default False
        Turn warnings about the people list (unknown managers) into errors.
    encoding : str, optional
        Text encoding of CSV files (default UTF-8, or UTF-16 with a BOM).
    sheet : str, optional
        The sheet to read from Excel inputs (default the first; a warning says which was
        read when a workbook has several).
    step : callable, optional
        Called with a label as each stage starts (progress display).

    Returns
    -------
    OrgNetwork
        The cleaned people table (indexed by employee_id), the tie table of every layer
        (interaction channels first, then declared relations), the quality report of rows
        read, dropped and warned about, and the event aggregation's summary (None without
        an event log or a ``ties`` file).

    Raises
    ------
    ona.errors.InputError
        A file is missing, unreadable or has a value that cannot be used; the message
        names the file, row and column.

    Examples
    --------
    >>> import ona
    >>> net = ona.load(ona.sample_path("krackhardt"))
    >>> len(net.people), net.layers
    (21, ['advice', 'friendship'])
    """
    say = step or (lambda _label: None)
    data_dir = Path(data_dir)
    people_path = find_input(data_dir, "people", required=True)
    if people_path is None:  # required: find_input has raised already
        raise InputError(data_dir, "no people file")
    interactions_path = find_input(data_dir, "interactions")
    relationships_path = find_input(data_dir, "relationships")
    quality = QualityReport()

    say("reading people")
    people = clean_people(_read(people_path, encoding, sheet, quality), people_path.name, quality,
                          strict=strict)
    ties_path = find_input(data_dir, "ties")
    both = ties_path is not None and interactions_path is not None

    def read_relationships(report: QualityReport) -> pd.DataFrame:
        assert relationships_path is not None
        statements = clean_relationships(_read(relationships_path, encoding, sheet, report),
                                         relationships_path.name, people.index, report,
                                         on_invalid=on_invalid)
        return relationship_ties(statements)

    ties = []
    summary = None
    if relationships_path is not None:
        say("reading relationships")
        if interactions_path is None or both:
            ties.append(read_relationships(quality))
    if both:
        raise InputError(data_dir, "holds both an event log (interactions) and pre-aggregated "
                                   "ties (ties)", fix="Keep one: ties is the output of ona "
                                                      "aggregate on the same events.")
    if interactions_path is not None:
        beside = _Beside(read_relationships if relationships_path is not None else None)
        events_quality = QualityReport()
        try:
            interaction_ties, summary = aggregate_interactions(
                interactions_path, people.index, weighting=weighting, since=since, until=until,
                on_invalid=on_invalid, quality=events_quality, encoding=encoding,
                step=beside.watching(say), spill_pair_rows=spill_pair_rows())
        except Exception:
            beside.result()  # the relationships' error first, as when they were read first
            raise
        declared = beside.result()
        ties.insert(0, interaction_ties)
        if declared is not None:
            ties.append(declared)
        quality.extend(beside.quality)
        quality.extend(events_quality)
    elif ties_path is not None:
        from .lake import read_ties
        if since is not None or until is not None:
            raise ConfigError("--since/--until need the event log; the ties in this folder are "
                              "already summed (run ona aggregate with the window instead)")
        say("reading ties")
        interaction_ties, summary = read_ties(ties_path, people.index, quality)
        ties.insert(0, interaction_ties)
    history = None
    history_path = find_input(data_dir, "history")
    if history_path is not None:
        say("reading history")
        history = clean_history(_read(history_path, encoding, sheet, quality), history_path.name,
                                people.index, quality, on_invalid=on_invalid)
    _warn_if_nothing_used(quality)
    return OrgNetwork(people=people, ties=_network_ties(ties, people.index), quality=quality,
                      interactions=summary, history=history)


class _Beside:
    """The relationships read, and the pair sums' compiled code loaded
    (:func:`ona.pairsum.warm_up`), in a thread while the event log is aggregated: DuckDB
    frees Python's lock while it works, so the two share the cores (at 10k people the
    relationships took 0.5 s and numba's set-up 0.8 s of the run, one core each). The
    relationships keep their own quality report, added before the events' as when they
    were read first, and their error comes first too: at the next stage of the
    aggregation, or when it ends."""

    def __init__(self, read: Callable[[QualityReport], pd.DataFrame] | None) -> None:
        self.quality = QualityReport()
        self._declared: pd.DataFrame | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._work, args=(read,), name="ona-load", daemon=True)
        self._thread.start()

    def _work(self, read: Callable[[QualityReport], pd.DataFrame] | None) -> None:
        try:
            if read is not None:
                self._declared = read(self.quality)
        except Exception as exc:  # handed to the caller by result()
            self._error = exc
            return
        try:
            warm_up()
        except Exception:  # noqa: S110 - the pair sums load the same code again, and fail there
            pass

    def watching(self, say: Callable[[str], None]) -> Callable[[str], None]:
        """``say``, raising the relationships' error first if there is one already."""
        def step(label: str) -> None:
            if self._error is not None:
                self.result()
            say(label)
        return step

    def result(self) -> pd.DataFrame | None:
        """The relationships' ties (None without them), once the thread is done."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._declared


def _read(path, encoding: str | None, sheet: str | None, quality: QualityReport) -> pd.DataFrame:
    """A table, with a warning when a workbook's other sheets were left unread."""
    frame = read_table(path, encoding=encoding, sheet=sheet)
    if frame.attrs.get("note"):
        quality.warn(frame.attrs["note"])
    return frame


def _warn_if_nothing_used(quality: QualityReport) -> None:
    """A file whose rows were all dropped is worth a warning: the analysis runs without it."""
    for file, read in quality.rows_read.items():
        if read and quality.rows_kept.get(file) == 0:
            quality.warn(f"{file}: all {read:,} rows were dropped (see the reasons above); the "
                         "analysis runs as if the file were not there")


def from_frames(
    people: pd.DataFrame,
    interactions: pd.DataFrame | None = None,
    relationships: pd.DataFrame | None = None,
    *,
    since: Bound = None,
    until: Bound = None,
    weighting: Weighting | None = None,
    on_invalid: str = "error",
    strict: bool = False,
) -> OrgNetwork:
    """Build an :class:`OrgNetwork` from DataFrames with the contract's columns.

    The same checks as :func:`load` apply; in messages a "row" is the position in the
    DataFrame, counted from 0.

    Parameters
    ----------
    people : DataFrame
        The people table (``employee_id``, ``department`` and any attributes), with
        ``employee_id`` as a column or as the named index.
    interactions : DataFrame, optional
        The event log (``timestamp``, ``channel``, ``sender_id``, ``recipient_ids``, ...);
        None (default) for no interactions.
    relationships : DataFrame, optional
        Declared ties (``source_id``, ``target_id``, ``relation``, ...); None (default) for
        none.
    since, until : str, date or datetime, optional
        Keep interaction events in this window (until inclusive). Default: every event.
    weighting : Weighting, optional
        How events become tie weights (:class:`~ona.interactions.Weighting`; default
        ``Weighting()``).
    on_invalid : {"error", "drop"}, default "error"
        ``"error"`` stops at an unreadable value in the interactions or relationships;
        ``"drop"`` drops and counts such rows.
    strict : bool, default False
        Turn warnings about the people list (unknown managers) into errors.

    Returns
    -------
    OrgNetwork
        As :func:`load`: the cleaned people, the ties of every layer, the quality report and
        the event aggregation's summary (None without ``interactions``).

    Examples
    --------
    >>> people = pd.DataFrame({"employee_id": ["a", "b", "c"], "department": ["X", "X", "Y"]})
    >>> log = pd.DataFrame({"timestamp": ["2024-05-01T09:00"], "channel": ["email"],
    ...                     "sender_id": ["a"], "recipient_ids": ["b;c"]})
    >>> net = from_frames(people, log)
    >>> net.ties[["source_id", "target_id", "weight"]].to_dict("records")
    [{'source_id': 'a', 'target_id': 'b', 'weight': 0.5}, {'source_id': 'a', 'target_id': 'c', 'weight': 0.5}]
    """
    quality = QualityReport()
    clean = clean_people(_prepare(people), "people DataFrame", quality, strict=strict)
    ties = []
    summary = None
    if relationships is not None:
        statements = clean_relationships(_prepare(relationships), "relationships DataFrame",
                                         clean.index, quality, on_invalid=on_invalid)
        ties.append(relationship_ties(statements))
    if interactions is not None:
        interaction_ties, summary = aggregate_interactions(
            _prepare(interactions), clean.index, weighting=weighting, since=since, until=until,
            on_invalid=on_invalid, quality=quality, label="interactions DataFrame")
        ties.insert(0, interaction_ties)
    return OrgNetwork(people=clean, ties=_network_ties(ties, clean.index), quality=quality,
                      interactions=summary)


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=frame.index.name is None)
    frame = frame.drop(columns=[ROW], errors="ignore")
    return prepare_frame(frame.copy(), Path("DataFrame"), first_row=0)


def _network_ties(parts: list[Any], people_ids: pd.Index) -> pd.DataFrame | TieStore:
    """The tie table of the network: the parts joined (:func:`ona.network.concat_ties`), or,
    when the aggregation kept the interaction ties in files (the first part a
    :class:`ona.tiefile.TieFile` with rows), a :class:`ona.network.TieStore` over them."""
    if parts and isinstance(parts[0], TieFile):
        file = parts[0]
        if len(file):
            declared = parts[1] if len(parts) > 1 else None
            return TieStore(file, declared, people_ids)
        parts = [tie_frame({name: file.read(name) for name in COLUMNS}, file.ids, file.channels)] + parts[1:]
    return concat_ties(parts, people_ids)
