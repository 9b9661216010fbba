"""Aggregate interaction events (email, meetings, chat, ...) into weighted ties, in DuckDB.

Event logs are large (tens of millions of rows), so they never pass through pandas
row by row: DuckDB reads the CSV or Parquet files directly, validates, explodes the
recipient lists and sums the weights, spilling to disk when memory runs short.

The stages are written so that 30M events fit in DuckDB's memory cap rather than spill
(measured at 100k people: 282 s before, 162 s after): a Parquet log is a view, read once
into a table of parsed cells that also records which checks each row fails (a CSV log
is parsed once); exact duplicates are found by a hash of the cells, compared cell by
cell only where hashes are shared, and deleted in place; each event's recipient list is
split, trimmed and made distinct with list functions (only where it needs it), so only
the distinct recipients are unnested and joined to the people list; the per-event
counts are whole numbers, kept in that one table of events (no second copy of the events,
and columns dropped as soon as they are no longer needed). At 100k people (30M events)
this took the aggregation from 194 s to 141 s, with the same tie table.

The pair sums leave DuckDB: the kept events and their recipients are fetched as arrays and
each person's ties are summed in one compiled pass (:mod:`ona.pairsum`), instead of a
grouping of every pair row (150M at 100k people, in slices of senders to fit DuckDB's
memory). The same tie table, bit for bit at 10k and 100k people; the aggregation at 100k
took 106 s against 141-157 s.

The weighting rule
------------------
For an event with sender (or organiser) ``s``, channel ``c`` and ``n`` distinct
listed recipients other than ``s`` (people outside the people list count toward
``n``: a mass email is a mass email whoever is on it):

- **messages** (every channel not in ``meeting_channels``): each recipient ``r``
  gets a directed tie ``s -> r`` of weight ``w_c * decay / n``. A one-to-one
  message weighs ``w_c``; a message to 100 people weighs ``w_c / 100`` per pair;
  whatever its size, an event gives the sender ``w_c`` in all.
- **meetings and calls**: all ``m = n + 1`` participants meet each other. Each pair
  gets ``p = w_c * d * decay / (m - 1)`` where ``d = min(duration, max_minutes) /
  reference_minutes`` (a missing duration counts as ``default_minutes``). The
  organiser's ties are directed ``s -> attendee`` with weight ``p``; two attendees
  get ``p / 2`` in each direction, so the undirected strength of every pair is
  ``p``. Every participant thus receives ``w_c * d`` in all from the meeting.
- **mass events** make no ties: a meeting with more than ``max_meeting_size`` (50)
  participants, or a message to more than ``max_recipients`` (50) recipients. Sitting in
  an all-hands or reading an announcement is not collaboration, and counting it made the
  people who send announcements the centre of the network. They are counted per sender
  and reported.
- **broadcasters**: a sender whose messages are spread so evenly over so many people
  that their effective number of recipients — ``(sum of w)^2 / sum of w^2`` over the
  people their messages reach, with ``w`` the message weight each received — is at least
  ``broadcast_share`` (a quarter) of the people list and more than ``max_recipients``.
  Nobody holds a conversation with a quarter of an organisation; such a sender is
  announcing. Their messages make no ties (messages *to* them and their meetings still
  do); they are reported with the senders of mass events.
- **event weight** (optional ``weight`` column, default 1): multiplies everything the
  event gives. Imports of tools that already measure a pair's collaboration (a Viva
  Insights person-to-person export's hours or tie score) carry it here.
- **recency decay** (optional): ``decay = 0.5 ** (age_days / half_life_days)``, the
  age measured back from the end of the window (``until``) or else the last event.
- ``count`` is the number of events behind a directed tie; a co-attended meeting
  counts 1/2 in each direction, so the undirected count is the number of events.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import numpy as np
import pandas as pd

from . import schema as S
from .errors import CellProblem, ConfigError, InputError
from .pairsum import MAX_LAYERS, PairLayout, arrange, recipient_lists, sum_pairs
from .quality import QualityReport
from .read import (
    ROW,
    detect_encoding,
    encoding_error,
    normalise_header,
    open_binary,
    part_files,
    read_table,
    sniff_delimiter,
    suffix_of,
)
from .tiefile import TieFile

__all__ = ["Weighting", "aggregate_interactions", "AGGREGATION_STAGES", "InteractionSummary", "MEMORY_ENV",
           "THREADS_ENV", "default_memory_limit"]

#: Decimal places of summed tie weights. A sum of many floating-point terms differs in its
#: last bits with the order the engine adds them in (DuckDB and Spark add in parallel), so
#: weights that are equal in arithmetic, such as 1 + 0.5 + 0.5 and 0.5 + 1 + 0.5, could
#: compare unequal and change which of two equal ties counts as stronger from one run to
#: the next (measured: 37 of 240k tied pairs at 10k people). Rounded to 10 decimal places,
#: far below any weight the rule gives, the same log gives the same ties on every run.
WEIGHT_DECIMALS = 10


def settle_weights(weights: np.ndarray) -> np.ndarray:
    """Summed tie weights rounded to :data:`WEIGHT_DECIMALS` places, in place.

    >>> settle_weights(np.array([0.1 + 0.2, 0.3])).tolist()
    [0.3, 0.3]
    """
    return np.round(weights, WEIGHT_DECIMALS, out=weights)


#: Environment variables that set DuckDB's memory limit (e.g. "4GB") and thread count.
MEMORY_ENV = "ONA_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "ONA_DUCKDB_THREADS"


@dataclass(frozen=True)
class Weighting:
    """How events become tie weights (see the module docstring for the rule).

    Parameters
    ----------
    channel_weights : weight ``w_c`` per channel; channels not listed get
        ``default_channel_weight``. Channel names are lower-cased.
    default_channel_weight : weight of a channel not in ``channel_weights`` (1.0).
    meeting_channels : channels whose events are gatherings (default meeting, call).
    reference_minutes : the duration that weighs 1 (30 minutes).
    default_minutes : duration assumed when a meeting has none (30 minutes).
    max_minutes : longer meetings count as this long (480, a working day).
    max_meeting_size : meetings of more participants are mass events: no ties (50).
    max_recipients : messages to more recipients are mass events: no ties (50).
    broadcast_share : a sender whose messages reach an effective number of people of at
        least this share of the people list is a broadcaster (0.25; see the module doc).
    half_life_days : recency decay half-life in days; None for no decay.

    Examples
    --------
    >>> Weighting(channel_weights={"Chat": 0.5}).weight_of("chat")
    0.5
    >>> Weighting().weight_of("email")
    1.0
    """

    channel_weights: Mapping[str, float] = field(default_factory=dict)
    default_channel_weight: float = 1.0
    meeting_channels: Sequence[str] = S.MEETING_CHANNELS
    reference_minutes: float = 30.0
    default_minutes: float = 30.0
    max_minutes: float = 480.0
    max_meeting_size: int = 50
    max_recipients: int = 50
    broadcast_share: float = 0.25
    half_life_days: float | None = None

    def __post_init__(self) -> None:
        weights = {str(k).strip().lower(): float(v) for k, v in self.channel_weights.items()}
        for name, value in weights.items():
            if not math.isfinite(value) or value < 0:
                raise ConfigError(f"channel weight for {name!r} must be a number >= 0, got {value!r}")
        object.__setattr__(self, "channel_weights", weights)
        object.__setattr__(self, "meeting_channels",
                           tuple(str(c).strip().lower() for c in self.meeting_channels))
        for name in ("reference_minutes", "default_minutes", "max_minutes"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"{name} must be > 0, got {getattr(self, name)!r}")
        if self.max_meeting_size < 2:
            raise ConfigError(f"max_meeting_size must be at least 2, got {self.max_meeting_size!r}")
        if self.max_recipients < 1:
            raise ConfigError(f"max_recipients must be at least 1, got {self.max_recipients!r}")
        if not 0 < self.broadcast_share <= 1:
            raise ConfigError(f"broadcast_share must be in (0, 1], got {self.broadcast_share!r}")
        if self.half_life_days is not None and not self.half_life_days > 0:
            raise ConfigError(f"half_life_days must be > 0, got {self.half_life_days!r}")

    def weight_of(self, channel: str) -> float:
        return self.channel_weights.get(channel.strip().lower(), self.default_channel_weight)


@dataclass(frozen=True)
class InteractionSummary:
    """What the aggregation saw: events used, their period, channels, mass events and
    broadcasters.

    broadcasters : one dict per sender of mass events or broadcaster (see the module doc):
        ``employee_id``, ``mass_events``, ``messages`` (all messages sent),
        ``effective_recipients``, ``broadcaster`` (their messages make no ties).
    """

    events_read: int = 0
    events_used: int = 0
    first_event: pd.Timestamp | None = None
    last_event: pd.Timestamp | None = None
    channels: tuple[str, ...] = ()
    large_meetings: int = 0
    mass_messages: int = 0
    broadcasters: tuple[dict, ...] = ()

    def broadcasters_frame(self) -> pd.DataFrame:
        """The senders of mass events and the broadcasters, most mass events first."""
        columns = [S.EMPLOYEE_ID, "mass_events", "messages", "effective_recipients", "broadcaster"]
        frame = pd.DataFrame(list(self.broadcasters), columns=columns)
        return frame.sort_values(["broadcaster", "mass_events", S.EMPLOYEE_ID],
                                 ascending=[False, False, True], ignore_index=True)


@dataclass(frozen=True)
class _Part:
    file: Path
    # SQL producing f, r, ts_raw, channel, sender, recip, dur_raw, w_raw; empty for the
    # files of a Parquet dataset after the first, whose one scan covers them all
    select: str


Source: TypeAlias = str | Path | pd.DataFrame


def duckdb_connection(spill: str, *, memory_limit: str | None = None,
                      threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for ona's work: its memory limit (``memory_limit``, else the
    environment variable ``ONA_DUCKDB_MEMORY_LIMIT``, else :func:`default_memory_limit`),
    its threads (``threads``, else ``ONA_DUCKDB_THREADS``, else every core), spilling to
    the folder ``spill``, rows in no promised order.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     duckdb_connection(folder).execute("SELECT 1 + 1").fetchall()
    [(2,)]
    """
    config: dict[str, Any] = {"preserve_insertion_order": False, "temp_directory": spill,
                              "memory_limit": str(memory_limit or os.environ.get(MEMORY_ENV)
                                                  or default_memory_limit())}
    threads = threads or int(os.environ.get(THREADS_ENV) or 0) or None
    if threads:
        config["threads"] = int(threads)
    return duckdb.connect(config=config)


def default_memory_limit(most_mb: int = 3072) -> str:
    """DuckDB's memory limit unless one is set: 40% of physical memory, at most ``most_mb``
    (3 GB) and at least 1 GB. Measured at 10M events (benchmarks/): a 4 GB limit is as fast as DuckDB's
    own default of 80% of memory, with a 2 GB lower peak. At 30M events (100k people) the
    checks, de-duplication, recipients and weights took 44-45 s with 3 GB against 41 s with
    4 GB, and the process's peak in them fell from 4.3 to 3.2 GB: the 3 GB keep
    ``ona analyze`` at 100k people within 4 GB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return f"{most_mb}MB"
    megabytes = int(min(most_mb, max(1024, 0.4 * total / 1024 ** 2)))
    return f"{megabytes}MB"


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def parse_window_bound(value: str | date | datetime | None, *, end: bool) -> pd.Timestamp | None:
    """A --since/--until bound as a timestamp; a bare date as ``until`` covers that whole day.

    >>> parse_window_bound("2024-03-31", end=True)
    Timestamp('2024-04-01 00:00:00')
    >>> parse_window_bound("2024-03-01", end=False)
    Timestamp('2024-03-01 00:00:00')
    """
    if value is None or value == "":
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ConfigError(f"{'--until' if end else '--since'} must be an ISO date such as "
                          f"2024-03-31, got {value!r}") from None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    is_bare_date = isinstance(value, date) and not isinstance(value, datetime) or \
        (isinstance(value, str) and len(value.strip()) == 10)
    if end and is_bare_date:
        stamp = stamp + timedelta(days=1)
    return stamp


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> tuple:
    """The first row of a query (the whole result is fetched, as DuckDB requires)."""
    return con.execute(sql, params or []).fetchall()[0]


def _describe(con: duckdb.DuckDBPyConnection, relation_sql: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {relation_sql}").fetchall()]


def _column_map(columns: list[str], file: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for raw in columns:
        norm = normalise_header(raw)
        if norm in mapping:
            raise InputError(file, f"has two columns that both mean '{norm}' "
                                   f"({mapping[norm]!r} and {raw!r})",
                             fix="Rename or remove one of them.")
        mapping[norm] = raw
    found = ", ".join(columns)
    for required in S.INTERACTIONS_REQUIRED:
        if required not in mapping:
            raise InputError(file, f"missing required column (found: {found})", column=required,
                             fix="Add the column, or rename the one that holds it.")
    return mapping


def _select(mapping: dict[str, str], index: int | str, source: str, row_expr: str,
            cast: bool) -> str:
    """SQL reading one source into the common columns; ``index`` is the part's number in
    the list of files (or an SQL expression giving it per row)."""
    def col(name: str) -> str:
        if name not in mapping:
            return "NULL::VARCHAR"
        ident = _q(mapping[name])
        return f"CAST({ident} AS VARCHAR)" if cast else ident
    return (f"SELECT {index} AS f, {row_expr} AS r, {col(S.TIMESTAMP)} AS ts_raw, "
            f"{col(S.CHANNEL)} AS channel, {col(S.SENDER_ID)} AS sender, "
            f"{col(S.RECIPIENT_IDS)} AS recip, {col(S.DURATION_MINUTES)} AS dur_raw, "
            f"{col(S.WEIGHT)} AS w_raw "
            f"FROM {source}")


def _csv_source(path: Path, encoding: str | None) -> str:
    """A DuckDB read_csv call with the header read here, not sniffed.

    DuckDB's sniffer, given a file whose rows have more fields than its header, can take
    a data row for the header and read nothing. Giving it the columns and turning
    detection off makes such a row an error that names the row instead.
    """
    import csv
    import io
    enc = detect_encoding(path, encoding)
    duck_enc = {"utf-8-sig": "utf-8", "utf-8": "utf-8", "utf8": "utf-8", "utf-16": "utf-16",
                "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1"}.get(enc.lower())
    if duck_enc is None:
        raise ConfigError(f"{path}: interaction logs are read as UTF-8, UTF-16 or latin-1, not "
                          f"{enc!r}; convert the file to UTF-8.")
    try:
        with open_binary(path) as fh:
            first = io.TextIOWrapper(fh, encoding=enc, newline="").readline()
    except UnicodeDecodeError:
        raise encoding_error(path, enc) from None
    delim = sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delim), [])
    if not [h for h in header if h.strip()]:
        raise InputError(path, "has no header row", fix="The first row must name the columns.")
    seen: dict[str, str] = {}
    for raw in header:
        norm = normalise_header(raw)
        if norm and norm in seen:
            raise InputError(path, f"has two columns that both mean '{norm}' ({seen[norm]!r} and "
                                   f"{raw!r})", fix="Rename or remove one of them.")
        seen[norm] = raw
    columns = ", ".join(f"{_lit(name)}: 'VARCHAR'" for name in header)
    return (f"read_csv({_lit(str(path))}, header=true, auto_detect=false, "
            f"columns={{{columns}}}, delim={_lit(delim)}, quote='\"', escape='\"', "
            f"encoding={_lit(duck_enc)})")


def _parts(con: duckdb.DuckDBPyConnection, source: Source, encoding: str | None,
           label: str) -> list[_Part]:
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [normalise_header(c) for c in frame.columns]
        if ROW not in frame.columns:
            frame[ROW] = range(len(frame))
        for column in frame.columns:
            if column != ROW:
                frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
        con.register("interactions_frame_0", frame)
        mapping = _column_map([c for c in frame.columns if c != ROW], Path(label))
        return [_Part(Path(label), _select(mapping, 0, "interactions_frame_0", _q(ROW), cast=True))]
    path = Path(source)
    files = part_files(path)
    if len(files) > 1 and all(suffix_of(f) == ".parquet" for f in files):
        return _parquet_dataset(con, files, encoding)
    parts: list[_Part] = []
    for index, file in enumerate(files):
        suffix = suffix_of(file)
        if suffix in (".csv", ".csv.gz"):
            if file.stat().st_size == 0:
                raise InputError(file, "is empty", fix="Export the log again with its header row.")
            relation = _csv_source(file, encoding)
            row_expr, cast = "ordinality + 1", False
        elif suffix == ".parquet":
            relation = f"read_parquet({_lit(str(file))})"
            row_expr, cast = "file_row_number + 1", True
        elif suffix in (".xlsx", ".xlsm"):
            frame = read_table(file)
            name = f"interactions_frame_{index}"
            con.register(name, frame)
            mapping = _column_map([c for c in frame.columns if c != ROW], file)
            parts.append(_Part(file, _select(mapping, index, name, _q(ROW), cast=False)))
            continue
        else:
            raise InputError(file, f"has an ending ona does not read ({suffix})",
                             fix="Use .csv, .csv.gz, .parquet or .xlsx.")
        try:
            columns = _describe(con, relation)
        except duckdb.Error as exc:
            raise _read_error(file, exc, encoding) from None
        mapping = _column_map(columns, file)
        # Parquet numbers its rows in parallel scans; CSV rows are counted in order
        numbered = (f"read_parquet({_lit(str(file))}, file_row_number=true)" if suffix == ".parquet"
                    else f"{relation} WITH ORDINALITY")
        parts.append(_Part(file, _select(mapping, index, numbered, row_expr, cast)))
    return parts


def _parquet_dataset(con: duckdb.DuckDBPyConnection, files: list[Path],
                     encoding: str | None) -> list[_Part]:
    """Many Parquet part files (a partitioned data lake) as one DuckDB scan: one relation
    instead of a union of thousands, each row still traced to its file and row."""
    listing = "[" + ", ".join(_lit(str(f)) for f in files) + "]"
    relation = (f"read_parquet({listing}, filename=true, file_row_number=true, "
                f"union_by_name=true, hive_partitioning=false)")
    try:
        columns = [c for c in _describe(con, relation) if c not in ("filename", "file_row_number")]
    except duckdb.Error as exc:
        raise _read_error(files[0], exc, encoding) from None
    mapping = _column_map(columns, files[0])
    select = _select(mapping, f"list_position({listing}, filename) - 1", relation,
                     "file_row_number + 1", cast=True)
    return [_Part(f, select if i == 0 else "") for i, f in enumerate(files)]


def _read_error(file: Path, exc: Exception, encoding: str | None) -> InputError:
    text = str(exc)
    lowered = text.lower()
    if "invalid unicode" in lowered or "not utf-8 encoded" in lowered:
        return encoding_error(file, detect_encoding(file, encoding))
    if "empty file" in text.lower():
        return InputError(file, "is empty", fix="Export the log again with its header row.")
    if "maximum line size" in lowered:
        import re
        found = re.search(r"line(?: number)?:?\s*(\d+)", text, re.IGNORECASE)
        return InputError(file, "has a row longer than DuckDB reads (2 MB)",
                          cells=[CellProblem(int(found.group(1)))] if found else (),
                          fix="A field is far too long, or a quote is not closed; check that row.")
    row = _first_ragged_row(file, encoding)
    if row is not None:
        return InputError(file, "is not a well-formed CSV table", cells=[CellProblem(row)],
                          fix="This row has a different number of fields than the header; "
                              "check for unbalanced quotes or extra separators.")
    first = text.strip().splitlines()[0][:200] if text.strip() else type(exc).__name__
    return InputError(file, f"cannot be read ({first})")


def _first_ragged_row(file: Path, encoding: str | None) -> int | None:
    import csv
    import io
    if suffix_of(file) not in (".csv", ".csv.gz"):
        return None
    enc = detect_encoding(file, encoding)
    try:
        with open_binary(file) as fh:
            stream = io.TextIOWrapper(fh, encoding=enc, errors="replace", newline="")
            first = stream.readline()
            delim = sniff_delimiter(first)
            width = len(next(csv.reader([first], delimiter=delim)))
            for number, fields in enumerate(csv.reader(stream, delimiter=delim), start=2):
                if fields and len(fields) != width:
                    return number
    except csv.Error:
        return None
    return None


def _run(con: duckdb.DuckDBPyConnection, sql: str, parts: list[_Part], encoding: str | None,
         params: Sequence[Any] | None = None) -> duckdb.DuckDBPyConnection:
    try:
        return con.execute(sql, params or [])
    except duckdb.InvalidInputException as exc:
        # a problem met while scanning a file: name the file
        file = parts[0].file
        for part in parts:
            if str(part.file) in str(exc):
                file = part.file
        raise _read_error(file, exc, encoding) from None


def _run_one(con: duckdb.DuckDBPyConnection, sql: str, parts: list[_Part], encoding: str | None) -> tuple:
    """The first row of a query that reads the log (:func:`_run`)."""
    return _run(con, sql, parts, encoding).fetchall()[0]


def _latest() -> str:
    """The last moment accepted for an event: the end of next year."""
    return f"{date.today().year + 1}-12-31 23:59:59"


#: A timestamp without a time zone or offset (``2024-03-01``, ``2024-03-01T09:30``,
#: ``2024-03-01 09:30:00.5``): read as a plain timestamp, which is three times faster than
#: reading it with time zones (measured at 3M events: 0.2 s against 0.75 s) and gives the same
#: instant, as ona reads times without a zone as UTC. Anything else (``Z``, ``+02:00``, a
#: zone name) is read with its zone and converted to UTC.
PLAIN_TIMESTAMP = "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?"

#: A control character (C0 or DEL), as a regular expression.
_CONTROL = "[\\x00-\\x1f\\x7f]"

_CHECKS = (
    # words DuckDB would read as times ('epoch', 'infinity', 'now') are not timestamps
    ("ts_raw IS NOT NULL AND (ts IS NULL OR NOT (plain OR regexp_matches(ts_raw, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')))",
     S.TIMESTAMP, "ts_raw", "is not an ISO 8601 timestamp (such as 2024-03-01T09:30:00Z)",
     "Write timestamps in ISO 8601, or pass --drop-invalid to drop such rows."),
    ("ts IS NOT NULL AND (NOT isfinite(ts) OR ts < TIMESTAMP '1970-01-01' OR ts > TIMESTAMP '@LATEST@')",
     S.TIMESTAMP, "ts_raw", "is not between 1970 and the end of next year",
     "Check the date (a typo in the year?), or pass --drop-invalid to drop such rows."),
    ("ts_raw IS NULL", S.TIMESTAMP, "ts_raw", "is empty",
     "Every event needs a timestamp; fill it in or pass --drop-invalid to drop such rows."),
    ("channel IS NULL", S.CHANNEL, "channel", "is empty",
     "Name the channel (email, meeting, chat, call, ...) or pass --drop-invalid."),
    ("sender IS NULL", S.SENDER_ID, "sender", "is empty",
     "Every event needs a sender or organiser; fill it in or pass --drop-invalid."),
    ("regexp_matches(sender, '[\\x00-\\x1f\\x7f]')", S.SENDER_ID, "sender",
     "holds a control character (such as NUL or a line break)",
     "Ids must be plain text; remove it or pass --drop-invalid."),
    ("regexp_matches(recip, '[\\x00-\\x1f\\x7f]')", S.RECIPIENT_IDS, "recip",
     "holds a control character (such as NUL or a line break)",
     "Ids must be plain text; remove it or pass --drop-invalid."),
    ("dur_raw IS NOT NULL AND (dur IS NULL OR dur < 0 OR NOT isfinite(dur))", S.DURATION_MINUTES,
     "dur_raw", "is not a number of minutes >= 0",
     "Write durations as minutes (for example 30), leave them empty, or pass --drop-invalid."),
    ("w_raw IS NOT NULL AND (ew IS NULL OR ew < 0 OR NOT isfinite(ew))", S.WEIGHT,
     "w_raw", "is not a number >= 0",
     "Write event weights as numbers (for example 1.5), leave them empty, or pass --drop-invalid."),
)

#: The check of :data:`_CHECKS` for a control character in the sender.
_SENDER_CONTROL = 5

#: An event that passes every check in :data:`_CHECKS` but the two on control characters,
#: written as one condition: where it holds (nearly every row of a clean log) and neither id
#: column holds a control character, the event fails no check and the nine tests of the bit
#: mask are not evaluated (measured at 3M events: the copy in :func:`_check_events` 2.25 s
#: against 2.57 s). Where it does not hold, or is NULL, the full mask is computed.
_CLEAN = ("ts_raw IS NOT NULL AND plain AND ts IS NOT NULL AND isfinite(ts) "
          "AND ts >= TIMESTAMP '1970-01-01' AND ts <= TIMESTAMP '@LATEST@' "
          "AND channel IS NOT NULL AND sender IS NOT NULL "
          "AND (dur_raw IS NULL OR (dur >= 0 AND isfinite(dur))) "
          "AND (w_raw IS NULL OR (ew >= 0 AND isfinite(ew))) "
          "AND NOT coalesce(regexp_matches(sender, '[\\x00-\\x1f\\x7f]') "
          "OR regexp_matches(recip, '[\\x00-\\x1f\\x7f]'), false)")


def aggregate_interactions(
    source: Source,
    people_ids: Sequence[str] | pd.Index,
    *,
    weighting: Weighting | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    on_invalid: str = "error",
    quality: QualityReport | None = None,
    encoding: str | None = None,
    label: str | None = None,
    step: Callable[[str], None] | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    spill_pair_rows: int | None = None,
) -> tuple[pd.DataFrame | TieFile, InteractionSummary]:
    """Turn an interaction event log into directed weighted ties, one per (source, target, channel).

    Parameters
    ----------
    source : str, Path or DataFrame
        A CSV/CSV.gz/Parquet/Excel file, a folder of CSV or Parquet part files, or a
        DataFrame with the contract's interaction columns.
    people_ids : sequence of str or Index
        The employee_ids on the people list; events and recipients outside it
        are dropped and counted.
    weighting : Weighting, optional
        The weighting rule's settings (:class:`Weighting`; default ``Weighting()``).
    since, until : str, date or datetime, optional
        Keep events from ``since`` (inclusive) up to ``until`` (inclusive;
        a bare date covers that whole day). Default: every event.
    on_invalid : {"error", "drop"}, default "error"
        ``"error"`` (default) stops at a value that cannot be read;
        ``"drop"`` drops such rows and counts them as ``invalid_value``.
    quality : QualityReport, optional
        The report that receives row counts; a new one is made if omitted.
    encoding : str, optional
        Text encoding of CSV files (default UTF-8, or UTF-16 with a byte-order mark).
    label : str, optional
        The name of the input in messages and in the quality report (default: the file or
        folder name, or ``"interactions DataFrame"``).
    step : callable, optional
        Called with a short label as each stage starts (for progress bars).
    memory_limit : str, optional
        DuckDB's memory limit (e.g. ``"4GB"``); otherwise the environment variable
        ``ONA_DUCKDB_MEMORY_LIMIT``, otherwise :func:`default_memory_limit`. Past the limit
        DuckDB spills to a temporary folder.
    threads : int, optional
        DuckDB's threads (e.g. 2); otherwise the environment variable ``ONA_DUCKDB_THREADS``,
        otherwise every core.
    spill_pair_rows : int, optional
        Past this many pair rows (:data:`ona.tiefile.SPILL_PAIR_ROWS`) the ties are written
        to files as they are summed and come back as a :class:`ona.tiefile.TieFile`, not a
        DataFrame (:func:`ona.load` does this for large logs). None (default): a DataFrame.

    Returns
    -------
    ties : DataFrame or TieFile
        The tie columns (source_id, target_id, layer = channel,
        kind = "interaction", weight, count, first_contact, last_contact).
    summary : InteractionSummary
        What the aggregation saw (:class:`InteractionSummary`).

    Examples
    --------
    >>> log = pd.DataFrame({"timestamp": ["2024-01-01T09:00", "2024-01-01T10:00"],
    ...                     "channel": ["email", "email"], "sender_id": ["a", "a"],
    ...                     "recipient_ids": ["b", "b;c"]})
    >>> ties, summary = aggregate_interactions(log, ["a", "b", "c"])
    >>> ties[["source_id", "target_id", "weight", "count"]].to_dict("records")
    [{'source_id': 'a', 'target_id': 'b', 'weight': 1.5, 'count': 2.0},
     {'source_id': 'a', 'target_id': 'c', 'weight': 0.5, 'count': 1.0}]
    """
    weighting = weighting or Weighting()
    quality = quality if quality is not None else QualityReport()
    if on_invalid not in ("error", "drop"):
        raise ConfigError(f"on_invalid must be 'error' or 'drop', got {on_invalid!r}")
    start = parse_window_bound(since, end=False)
    stop = parse_window_bound(until, end=True)
    if start is not None and stop is not None and start >= stop:
        raise ConfigError(f"--since ({since}) must be before --until ({until})")
    label = label or (Path(source).name if not isinstance(source, pd.DataFrame)
                      else "interactions DataFrame")
    say = step or (lambda _label: None)

    with tempfile.TemporaryDirectory(prefix="ona-duckdb-") as spill:
        con = duckdb_connection(spill, memory_limit=memory_limit, threads=threads)
        try:
            job = _Job(con=con, source=source, weighting=weighting, quality=quality, label=label,
                       start=start, stop=stop, on_invalid=on_invalid, encoding=encoding,
                       spill=spill_pair_rows, own_threads=not _threads_chosen(threads))
            return _aggregate(job, people_ids, say)
        finally:
            con.close()


@dataclass
class _Job:
    """One aggregation of an event log: the DuckDB connection, the rules, and what one stage
    hands to the next (the rest passes through DuckDB's temporary tables)."""

    con: duckdb.DuckDBPyConnection
    source: Source
    weighting: Weighting
    quality: QualityReport
    label: str
    start: pd.Timestamp | None = None
    stop: pd.Timestamp | None = None
    on_invalid: str = "error"
    encoding: str | None = None
    parts: list[_Part] = field(default_factory=list)
    n_read: int = 0
    n_unreadable: int = 0
    large: int = 0
    mass_messages: int = 0
    spill: int | None = None
    own_threads: bool = False  # DuckDB's threads are ona's to choose (none were given)
    ties: pd.DataFrame | TieFile | None = None
    summary: InteractionSummary | None = None


def _set_up(con: duckdb.DuckDBPyConnection, people_ids: Iterable[str]) -> None:
    """UTC, no DuckDB progress bar, and the people as integer codes in id order: joins and
    sums run on integers, the output stays in id order."""
    con.execute("SET TimeZone='UTC'")
    try:
        con.execute("SET enable_progress_bar = false")  # ona draws its own progress
    except duckdb.Error:  # in Jupyter without ipywidgets DuckDB refuses to change the setting
        pass
    ids = pd.DataFrame({"pid": pd.Index(people_ids).astype("str").unique()})
    con.register("people_ids_frame", ids)
    con.execute("""CREATE TEMP TABLE people AS
                   SELECT pid, (row_number() OVER (ORDER BY pid) - 1)::INTEGER AS idx
                   FROM (SELECT DISTINCT pid FROM people_ids_frame)""")


def _read_events(job: _Job) -> None:
    """Every part of the log as one table of text cells with their file and row (``ev``).

    Parquet logs and DataFrames are a view, not a table: the log is read again by the checks
    and by the de-duplication rather than held in full (at 30M events, a table of every
    cell made DuckDB spill). CSV text is parsed once into a table, as parsing it three
    times costs more than holding it."""
    con, quality, label = job.con, job.quality, job.label
    parts = _parts(con, job.source, job.encoding, label)
    union = " UNION ALL ".join(p.select for p in parts if p.select)
    kind = "VIEW" if all(suffix_of(p.file) == ".parquet" for p in parts) or \
        isinstance(job.source, pd.DataFrame) else "TABLE"
    _run(con, f"""
        CREATE TEMP {kind} ev AS
        SELECT f, r, ts_raw, plain,
               CASE WHEN plain THEN try_cast(ts_raw AS TIMESTAMP)
                    ELSE try_cast(ts_raw AS TIMESTAMPTZ)::TIMESTAMP END AS ts,
               channel, sender, recip, dur_raw, try_cast(dur_raw AS DOUBLE) AS dur,
               w_raw, try_cast(w_raw AS DOUBLE) AS ew
        FROM (SELECT *, regexp_full_match(ts_raw, {_lit(PLAIN_TIMESTAMP)}) AS plain
              FROM (SELECT f, r, nullif({_trimmed('ts_raw')}, '') AS ts_raw,
                     nullif(lower(trim(channel)), '') AS channel,
                     nullif(trim(sender), '') AS sender, recip,
                     nullif(trim(dur_raw), '') AS dur_raw, nullif(trim(w_raw), '') AS w_raw
              FROM ({union})))
    """, parts, job.encoding)
    job.parts = parts
    job.n_read = _run_one(con, "SELECT count(*) FROM ev", parts, job.encoding)[0]
    quality.read(label, job.n_read)


def _trimmed(text: str) -> str:
    """SQL for ``trim(text)`` that calls ``trim`` only where it could change something: text
    that starts or ends with a space, or holds any character beyond ASCII (DuckDB's ``trim``
    also takes Unicode spaces such as U+00A0 off the ends). The same strings; at 3M events
    0.10 s against 0.26 s for the timestamps, as ``trim`` copies every string longer than
    12 bytes. For long text only: on short ids ``trim`` is the cheaper."""
    return (f"CASE WHEN starts_with({text}, ' ') OR ends_with({text}, ' ') OR strlen({text}) <> length({text}) "
            f"THEN trim({text}) ELSE {text} END")


def _recipient_lists() -> tuple[str, str]:
    """SQL for an event's recipient entries (``l``: split, trimmed, empty ones left out) and,
    given ``l``, its distinct entries (``d``).

    Only lists that hold a space, an empty entry or a character beyond ASCII (``trim`` also
    takes Unicode spaces such as U+00A0 off an entry) need trimming: most do not, and the
    list functions are the costly part. A list of one entry is distinct as it is."""
    sep = _lit(S.RECIPIENT_SEPARATOR)
    untidy = (f"recip = '' OR contains(recip, ' ') OR contains(recip, {sep} || {sep}) "
              f"OR starts_with(recip, {sep}) OR ends_with(recip, {sep}) OR strlen(recip) <> length(recip)")
    tidy = (f"CASE WHEN {untidy} THEN list_filter(list_transform(string_split(recip, {sep}), "
            f"lambda x: trim(x)), lambda x: x <> '') ELSE string_split(recip, {sep}) END")
    return tidy, _DISTINCT


#: An entry list without repeats: each entry kept where it first appears, for lists of up
#: to 64 entries. Half the time of ``list_distinct`` on recipient lists (measured at 3M events:
#: 0.44 s against 0.85 s with the splitting), but its work grows with the square of a list's
#: length (an all-staff message to 3,000 people made the accuracy benchmark's scenario six
#: times slower), so longer lists go to ``list_distinct``, whose work grows with the length.
_DISTINCT = ("CASE WHEN len(l) < 2 THEN l "
             "WHEN len(l) <= 64 THEN list_filter(l, lambda x, i: list_position(l, x) = i) "
             "ELSE list_distinct(l) END")


def _check_events(job: _Job) -> None:
    """The log copied once into ``evd``: typed cells, a 64-bit hash of them, one bit per
    failed check in ``bad``, the sender's position on the people list (``sidx``, NULL if
    unknown) and the counts of the recipient list (entries, distinct entries, the sender
    among them). Unreadable timestamps, durations and weights are then an error naming the
    cells, or dropped and counted. One pass over the log: the checks and the copy share the
    parsing of the timestamps, the costliest part of reading it, and ``evd`` is the only
    table of events (a second one, at 30M events, made DuckDB spill to disk)."""
    con, quality, label = job.con, job.quality, job.label
    conditions = [c[0].replace("@LATEST@", _latest()) for c in _CHECKS]
    clean = _CLEAN.replace('@LATEST@', _latest())
    # a sender on the people list holds no control character when no id on it does: the
    # sender's test is then made after the look-up, on the unknown senders only
    later = _one(con, f"SELECT NOT coalesce(bool_or(regexp_matches(pid, {_lit(_CONTROL)})), false) "
                      "FROM people")[0]
    sender_bit = 0
    if later:
        sender_bit = 1 << _SENDER_CONTROL
        conditions[_SENDER_CONTROL] = "false"
        clean = clean.replace(f"regexp_matches(sender, {_lit(_CONTROL)}) OR ", "")
    # a check on an empty cell is NULL: not failed
    bits = " + ".join(f"(coalesce({c}, false)::INTEGER << {i})" for i, c in enumerate(conditions))
    bits = f"CASE WHEN {clean} THEN 0 ELSE {bits} END"
    bad = (f"bad + CASE WHEN p.idx IS NULL AND coalesce(regexp_matches(e.sender, {_lit(_CONTROL)}), false) "
           f"THEN {sender_bit} ELSE 0 END" if later else "bad")
    tidy, distinct = _recipient_lists()
    _run(con, f"""
        CREATE TEMP TABLE evd AS
        SELECT ts, channel, sender, recip, dur, ew, hash(ts, channel, sender, recip, dur, ew) AS h,
               ({bad})::INTEGER AS bad,
               p.idx AS sidx, len(l)::INTEGER AS n_entries, len(d)::INTEGER AS n_distinct,
               coalesce(list_contains(d, sender), false)::INTEGER AS n_self
        FROM (SELECT *, {distinct} AS d
              FROM (SELECT *, {tidy} AS l
                    FROM (SELECT ts, channel, sender, {_trimmed("coalesce(recip, '')")} AS recip, dur, ew,
                                 ({bits})::INTEGER AS bad
                          FROM ev))) e
        LEFT JOIN people p ON p.pid = e.sender
    """, job.parts, job.encoding)
    job.n_unreadable = _check_values(con, job.parts, job.on_invalid, quality, label, job.encoding)


def _remove_duplicates(job: _Job) -> None:
    """Exact duplicate events dropped and counted (``evd``; its row id is the event's
    number), then those outside the window.

    Exact duplicates are found in two steps: a 64-bit hash of each event's cells, and an
    exact comparison of the cells only among the events whose hash is shared. Events with
    a hash of their own cannot have a duplicate, and hashing keeps the long recipient lists
    out of the large grouping, and the duplicates are deleted in place rather than the
    events copied."""
    con = job.con
    con.execute("CREATE TEMP TABLE shared AS SELECT h FROM evd GROUP BY h HAVING count(*) > 1")
    # among events of a shared hash, all but the first of each set of identical cells
    con.execute("""
        DELETE FROM evd WHERE rowid IN (
            SELECT id FROM (
                SELECT evd.rowid AS id,
                       row_number() OVER (PARTITION BY ts, channel, sender, recip, dur, ew
                                          ORDER BY evd.rowid) AS copy
                FROM evd SEMI JOIN shared USING (h))
            WHERE copy > 1)
    """)
    con.execute("DROP TABLE shared")
    con.execute("ALTER TABLE evd DROP COLUMN h")  # a dropped column's memory is freed at once
    con.execute("ALTER TABLE evd DROP COLUMN bad")
    quality, label = job.quality, job.label
    n_distinct = _one(con, "SELECT count(*) FROM evd")[0]
    n_valid_rows = job.n_read - job.n_unreadable
    quality.drop(label, "duplicate_row", n_valid_rows - n_distinct)

    start, stop = job.start, job.stop
    if start is not None or stop is not None:
        cond = []
        params: list[Any] = []
        if start is not None:
            cond.append("ts < ?")
            params.append(start.to_pydatetime())
        if stop is not None:
            cond.append("ts >= ?")
            params.append(stop.to_pydatetime())
        where = " OR ".join(cond)
        outside = _one(con, f"SELECT count(*) FROM evd WHERE {where}", params)[0]
        quality.drop(label, "outside_window", outside)
        con.execute(f"DELETE FROM evd WHERE {where}", params)


#: An event's known recipients (over ``evd`` joined to ``nu``): its distinct entries less the
#: sender and those not on the people list.
_N_VALID = "(n_distinct - n_self - coalesce(nu.n_unknown, 0))"


def _explode_recipients(job: _Job) -> None:
    """One row per distinct recipient of a known sender who is on the people list and is
    not the sender (``valid``), and per event the number of its recipients who are not on
    the list (``nu``, only events that have any); every drop reason counted.

    The distinct entries are made again from ``evd`` and unnested (no list is stored, and
    no grouping of the exploded rows): the unknown recipients are counted per event and
    deleted, so an event's known recipients are its distinct entries less the sender and
    the unknown ones."""
    con, quality, label = job.con, job.quality, job.label
    tidy, distinct = _recipient_lists()
    # the list made distinct again only where it has repeats (few do; evd counted them)
    con.execute(f"""
        CREATE TEMP TABLE valid AS
        SELECT x.eid, p.idx AS ridx
        FROM (SELECT eid, sender,
                     unnest(CASE WHEN len(l) = n_distinct THEN l ELSE {distinct} END) AS rid
              FROM (SELECT rowid AS eid, sender, n_distinct, {tidy} AS l
                    FROM evd WHERE sidx IS NOT NULL)) x
        LEFT JOIN people p ON p.pid = x.rid
        WHERE x.rid <> x.sender
    """)
    con.execute("CREATE TEMP TABLE nu AS SELECT eid, count(*)::INTEGER AS n_unknown "
                "FROM valid WHERE ridx IS NULL GROUP BY eid")
    con.execute("DELETE FROM valid WHERE ridx IS NULL")
    con.execute("ALTER TABLE evd DROP COLUMN recip")
    con.execute("ALTER TABLE evd DROP COLUMN sender")
    counts = _one(con, f"""
        SELECT count(*) FILTER (WHERE n_entries = 0),
               count(*) FILTER (WHERE n_entries > 0 AND sidx IS NULL),
               coalesce(sum(n_entries - n_distinct) FILTER (WHERE n_entries > 0 AND sidx IS NOT NULL), 0),
               coalesce(sum(n_self) FILTER (WHERE n_entries > 0 AND sidx IS NOT NULL), 0),
               coalesce(sum(n_unknown) FILTER (WHERE n_entries > 0 AND sidx IS NOT NULL), 0),
               count(*) FILTER (WHERE n_entries > 0 AND sidx IS NOT NULL AND {_N_VALID} = 0),
               count(*) FILTER (WHERE sidx IS NOT NULL AND {_N_VALID} > 0)
        FROM evd LEFT JOIN nu ON nu.eid = evd.rowid
    """)
    empty, unknown_sender, repeated, self_entries, unknown_entries, no_valid, kept = counts
    quality.drop(label, "empty_recipients", empty)
    quality.drop(label, "unknown_sender", unknown_sender)
    quality.drop(label, "repeated_recipient", int(repeated), unit="recipient entries")
    quality.drop(label, "self_tie", int(self_entries), unit="recipient entries")
    quality.drop(label, "unknown_recipient", int(unknown_entries), unit="recipient entries")
    quality.drop(label, "no_valid_recipient", no_valid)
    quality.kept(label, kept)


def _weigh_events(job: _Job) -> None:
    """Each kept event's weight per recipient (``kept``, docs/weighting.md); mass events counted."""
    con, weighting, quality, label = job.con, job.weighting, job.quality, job.label
    weights = pd.DataFrame({
        "channel": list(weighting.channel_weights) or ["\x00"],
        "w": list(weighting.channel_weights.values()) or [weighting.default_channel_weight],
    })
    con.register("channel_weight_frame", weights)
    meetings = ", ".join(_lit(c) for c in weighting.meeting_channels) or "NULL"
    stop = job.stop
    ref_sql = "?" if stop is not None else "(SELECT max(ts) FROM events WHERE n_valid > 0)"
    decay = ("1.0" if weighting.half_life_days is None else
             f"pow(0.5, greatest(epoch({ref_sql}) - epoch(ts), 0) / 86400.0 / "
             f"{float(weighting.half_life_days)!r})")
    params = [stop.to_pydatetime()] if (stop is not None and weighting.half_life_days) else []
    # the events of known senders with their number of known recipients
    events = (f"(SELECT evd.rowid AS eid, evd.*, {_N_VALID} AS n_valid "
              "FROM evd LEFT JOIN nu ON nu.eid = evd.rowid WHERE sidx IS NOT NULL)")
    con.execute(f"""
        CREATE TEMP TABLE kept AS
        WITH events AS {events}
        SELECT e.eid, e.ts, e.channel, e.sidx,
               e.channel IN ({meetings}) AS is_meeting,
               e.n_distinct - e.n_self + 1 AS participants, e.n_valid,
               coalesce(cw.w, {float(weighting.default_channel_weight)!r})
                 * CASE WHEN e.channel IN ({meetings})
                        THEN least(coalesce(e.dur, {float(weighting.default_minutes)!r}),
                                   {float(weighting.max_minutes)!r})
                             / {float(weighting.reference_minutes)!r}
                        ELSE 1.0 END
                 * coalesce(e.ew, 1.0) * {decay} / (e.n_distinct - e.n_self) AS pw
        FROM events e LEFT JOIN channel_weight_frame cw ON cw.channel = e.channel
        WHERE e.n_valid > 0
    """, params)
    con.execute("DROP TABLE evd")
    con.execute("DROP TABLE nu")
    large, mass_messages = _one(con, f"""
        SELECT count(*) FILTER (WHERE is_meeting AND participants > {int(weighting.max_meeting_size)}),
               count(*) FILTER (WHERE NOT is_meeting AND participants - 1 > {int(weighting.max_recipients)})
        FROM kept""")
    job.large, job.mass_messages = int(large), int(mass_messages)
    warn_mass_events(quality, label, weighting, int(large), int(mass_messages))


def _sum_ties(job: _Job) -> None:
    """Pairs summed per channel into the tie table; broadcasters taken out and reported."""
    con, weighting, quality, label = job.con, job.weighting, job.quality, job.label
    channels = [r[0] for r in con.execute(
        "SELECT DISTINCT channel FROM kept ORDER BY channel").fetchall()]
    if len(channels) > MAX_LAYERS:  # each channel is a layer of the tie table
        raise InputError(label, f"names {len(channels):,} different channels; ona can hold at most "
                         f"{MAX_LAYERS:,}", column=S.CHANNEL,
                         fix="Map the channel column to a few kinds (email, meeting, chat, call, ...).")
    con.execute("""CREATE TEMP TABLE chan AS
                   SELECT channel, (row_number() OVER (ORDER BY channel) - 1)::INTEGER AS code
                   FROM (SELECT DISTINCT channel FROM kept)""")
    con.execute(f"""CREATE TEMP TABLE k AS
        SELECT kept.eid, kept.sidx, kept.ts, kept.pw, kept.is_meeting, chan.code
        FROM kept JOIN chan USING (channel)
        WHERE NOT (CASE WHEN is_meeting THEN participants > {int(weighting.max_meeting_size)}
                        ELSE participants - 1 > {int(weighting.max_recipients)} END)""")
    # what the report needs from every kept event, then only the events that make ties
    con.execute(f"""CREATE TEMP TABLE sender_counts AS
        SELECT sidx,
               count(*) FILTER (WHERE CASE WHEN is_meeting
                                           THEN participants > {int(weighting.max_meeting_size)}
                                           ELSE participants - 1 > {int(weighting.max_recipients)} END) AS mass,
               count(*) FILTER (WHERE NOT is_meeting) AS messages
        FROM kept GROUP BY sidx""")
    stats = _one(con, "SELECT count(*), min(ts), max(ts) FROM kept")
    con.execute("DROP TABLE kept")
    ids = [r[0] for r in con.execute("SELECT pid FROM people ORDER BY idx").fetchall()]
    # event numbers are row numbers of the log: 32-bit below 2**31 events, which at 100k
    # people takes 0.4 GB off the fetch of the recipient rows, the pair sums' peak
    eid = "eid::INTEGER AS eid" if job.n_read < 2 ** 31 else "eid"
    events = con.execute(f"SELECT {eid}, sidx, code, pw, epoch_us(ts) AS ts, is_meeting FROM k").fetchnumpy()
    con.execute("DROP TABLE k")
    rows = con.execute(f"SELECT {eid}, ridx FROM valid").fetchnumpy()
    con.execute("DROP TABLE valid")
    senders = con.execute("SELECT sidx, mass, messages FROM sender_counts").fetchnumpy()
    threads = _threads(con)
    # DuckDB is done: closing it gives back the memory it keeps after its tables are dropped
    # (at 100k people 0.9 GB, which the pair sums' peak would otherwise include)
    con.close()
    rec_ptr, rec = recipient_lists(_plain(events["eid"]), _plain(rows["eid"]), _plain(rows["ridx"]))
    del rows
    layout = arrange(people=len(ids), layers=len(channels), sender=_plain(events["sidx"]),
                     layer=_plain(events["code"]), weight=_plain(events["pw"]), ts=_plain(events["ts"]),
                     meeting=_plain(events["is_meeting"]), rec_ptr=rec_ptr, rec=rec, threads=threads)
    del events, rec_ptr, rec  # freed before the tie table is made
    ties: pd.DataFrame | TieFile
    if job.spill is not None and int(layout.work.sum()) > job.spill:
        ties, spread = _ties_to_file(layout, threads, ids, channels, weighting)
    else:
        ties = tie_frame(sum_pairs(layout, threads), ids, channels)
        del layout
        ties, spread = _drop_broadcasters(ties, weighting, len(ids))
    report = _broadcast_report(senders, spread, ids)
    warn_broadcasters(quality, label, len(spread))
    summary = InteractionSummary(
        events_read=int(job.n_read), events_used=int(stats[0]),
        first_event=pd.Timestamp(stats[1]) if stats[1] is not None else None,
        last_event=pd.Timestamp(stats[2]) if stats[2] is not None else None,
        channels=tuple(channels), large_meetings=job.large, mass_messages=job.mass_messages,
        broadcasters=report)
    job.ties, job.summary = ties, summary


def _ties_to_file(layout: PairLayout, threads: int, ids: list[str], channels: list[str],
                  weighting: Weighting) -> tuple[TieFile, dict[int, float]]:
    """The pair sums written to a :class:`ona.tiefile.TieFile` chunk by chunk, each chunk
    settled and its broadcasters' message ties taken out as :func:`tie_frame` and
    :func:`_drop_broadcasters` do to the whole table (a chunk holds whole sources): the
    same rows and values, and the table is never in memory."""
    out = TieFile(ids, channels)
    message = _message_layers(channels, weighting)
    spread: dict[int, float] = {}

    def write(chunk: dict[str, np.ndarray]) -> None:
        chunk = {**chunk, "w": settle_weights(chunk["w"].copy())}
        drop, found = _broadcaster_rows(chunk["s"], chunk["t"], chunk["layer"], chunk["w"], message,
                                        weighting, len(ids))
        if drop is not None:
            chunk = {name: column[~drop] for name, column in chunk.items()}
            spread.update(found)
        out.append(chunk)

    sum_pairs(layout, threads, sink=write)
    out.done()
    return out, spread


#: The stages of an aggregation, in order, as the progress bar names them.
_STAGES = (("reading events", _read_events), ("checking events", _check_events),
           ("removing duplicates", _remove_duplicates), ("exploding recipients", _explode_recipients),
           ("weighting ties", _weigh_events), ("summing ties", _sum_ties))
AGGREGATION_STAGES = tuple(name for name, _ in _STAGES)

#: The stages DuckDB runs with :data:`WIDE_THREADS` threads a core when ona chooses its
#: threads (neither ``threads`` nor ``ONA_DUCKDB_THREADS`` given): more threads than cores,
#: which the system shares out, so that no core waits.
#:
#: - The check reads a Parquet log one row group per thread. A log of a few large row
#:   groups (pyarrow writes up to a million rows to one by default) leaves a core idle at
#:   the end of the scan: at 3M events in row groups of 1M, 1M, 0.9M and 18k rows, the last
#:   0.6-1.2 s ran on one core of two. A log of many row groups (30M events in 30) is
#:   shared evenly either way, and gains nothing.
#: - DuckDB groups the de-duplication's hashes into as many partitions as it has threads:
#:   with two it took 0.35-0.45 s at 3M events, with four 0.14 s on the same two cores.
#:   ``ona.load`` alone at 30M events took 67.6 s with the de-duplication wide against
#:   73.2 s without, and the peak was no higher (3,653 against 3,749 MiB; it varies by
#:   about 0.15 GiB from run to run).
#:
#: Measured on 2 cores, the whole of ``ona analyze`` at 3M events (``farm-bench``, start-up
#: included, against the de-duplication alone wide): the median of the pairs' ratios 0.967
#: (``-n 6``) and 0.984 (``-n 8``). The other stages gained nothing from more threads and
#: keep one a core, as do the pair sums. A count of threads that was given is a limit on
#: the cores used, and is kept in every stage.
_WIDE_STAGES = ("checking events", "removing duplicates")
WIDE_THREADS = 2


def _aggregate(job: _Job, people_ids: Iterable[str],
               say: Callable[[str], None]) -> tuple[pd.DataFrame | TieFile, InteractionSummary]:
    _set_up(job.con, people_ids)
    cores = _threads(job.con)
    for name, stage in _STAGES:
        say(name)
        if not (job.own_threads and name in _WIDE_STAGES):
            stage(job)
            continue
        job.con.execute(f"SET threads = {WIDE_THREADS * cores}")
        try:
            stage(job)
        finally:
            job.con.execute(f"SET threads = {cores}")
    assert job.ties is not None and job.summary is not None  # the last stage sets them
    return job.ties, job.summary


def warn_mass_events(quality: QualityReport, label: str, weighting: Weighting, large: int, mass_messages: int) -> None:
    """The warning for mass events (the same words whichever engine summed the log)."""
    if large or mass_messages:
        kinds = ([f"{large:,} meeting{'s' if large != 1 else ''} of more than "
                  f"{weighting.max_meeting_size} participants"] if large else []) + \
                ([f"{mass_messages:,} message{'s' if mass_messages != 1 else ''} to more than "
                  f"{weighting.max_recipients} recipients"] if mass_messages else [])
        quality.warn(f"{label}: {' and '.join(kinds)}: mass events, which make no ties "
                     "(see max_meeting_size, max_recipients)")


def warn_broadcasters(quality: QualityReport, label: str, count: int) -> None:
    """The warning for broadcasters (the same words whichever engine summed the log)."""
    if count:
        quality.warn(f"{label}: {count:,} broadcaster{'s' if count > 1 else ''} "
                     "(messages spread evenly over a quarter of the organisation or more): "
                     "their messages make no ties (see broadcast_share)")


def _drop_broadcasters(ties: pd.DataFrame, weighting: Weighting,
                       people: int) -> tuple[pd.DataFrame, dict[int, float]]:
    """The tie table without the message ties of broadcasters (the module doc), and the
    broadcasters' id codes with their effective number of recipients."""
    layer = ties[S.LAYER]
    message = _message_layers(np.asarray(layer.cat.categories, dtype=object), weighting)
    drop, spread = _broadcaster_rows(ties[S.TIE_SOURCE].array.codes, ties[S.TIE_TARGET].array.codes,
                                     layer.array.codes, ties[S.TIE_WEIGHT].to_numpy(), message,
                                     weighting, people)
    if drop is None:
        return ties, {}
    return ties.loc[~drop].reset_index(drop=True), spread


def _message_layers(channels: Any, weighting: Weighting) -> np.ndarray:
    """Per channel code: whether it carries messages (not meetings)."""
    return ~np.isin(np.asarray(channels, dtype=object), list(weighting.meeting_channels))


def _broadcaster_rows(src: np.ndarray, tgt: np.ndarray, layer: np.ndarray, w: np.ndarray,
                      message_layers: np.ndarray, weighting: Weighting,
                      people: int) -> tuple[np.ndarray | None, dict[int, float]]:
    """The rows (ties in (source, target, layer) order, every tie of each source present)
    that are message ties of broadcasters, as a mask (None if there are none), and the
    broadcasters' codes with their effective number of recipients. A part of a table that
    holds whole sources gives the same rows and figures as the table."""
    message = message_layers[layer]
    if not message.any():
        return None, {}
    src = src[message]
    tgt = tgt[message]
    w = w[message]
    # per (sender, recipient) over the message channels; the table is sorted by sender, recipient
    key = src.astype(np.int64) * people + tgt
    boundary = np.empty(len(key), dtype=bool)
    boundary[:1] = True
    np.not_equal(key[1:], key[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    pair_w = np.add.reduceat(w, starts)
    pair_s = src[starts]
    total = np.bincount(pair_s, weights=pair_w, minlength=people)
    squares = np.bincount(pair_s, weights=pair_w ** 2, minlength=people)
    with np.errstate(invalid="ignore", divide="ignore"):
        effective = np.where(squares > 0, total ** 2 / squares, 0.0)
    cut = max(weighting.broadcast_share * people, float(weighting.max_recipients) + 1)
    flagged = np.flatnonzero(effective >= cut)
    if not len(flagged):
        return None, {}
    drop = np.zeros(len(layer), dtype=bool)
    drop[np.flatnonzero(message)[np.isin(src, flagged)]] = True
    return drop, {int(i): float(effective[i]) for i in flagged}


def _broadcast_report(senders: Mapping[str, Any], spread: dict[int, float],
                      ids: list[str]) -> tuple[dict, ...]:
    """One record per sender of mass events or broadcaster (``senders``: the columns of
    ``sender_counts``)."""
    sidx, mass_events, messages = (_plain(senders[c]) for c in ("sidx", "mass", "messages"))
    pick = (mass_events > 0) | np.isin(sidx, list(spread))
    rows = zip(sidx[pick].tolist(), mass_events[pick].tolist(), messages[pick].tolist())
    return tuple({S.EMPLOYEE_ID: ids[s], "mass_events": int(mass), "messages": int(messages),
                  "effective_recipients": round(spread[s], 1) if s in spread else None,
                  "broadcaster": s in spread}
                 for s, mass, messages in sorted(rows))


def _plain(column: Any) -> np.ndarray:
    """A column DuckDB fetched as a numpy array (never masked: the columns read have no NULL)."""
    return np.asarray(column.data if isinstance(column, np.ma.MaskedArray) else column)


def _threads_chosen(threads: int | None) -> bool:
    """Whether DuckDB's threads were given (``threads`` or ``ONA_DUCKDB_THREADS``)."""
    return bool(threads or int(os.environ.get(THREADS_ENV) or 0))


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    """The threads DuckDB was given (``ONA_DUCKDB_THREADS`` or every core): the pair sums use as many."""
    return max(1, int(_one(con, "SELECT current_setting('threads')")[0]))


def tie_frame(sums: dict[str, np.ndarray], ids: list[str], channels: list[str]) -> pd.DataFrame:
    """The pair sums (:func:`ona.pairsum.pair_sums`) as a tie table: ids as categoricals over
    the people list (4 bytes a row instead of a string), layer and kind as categoricals."""
    n = len(sums["s"])
    id_type = pd.CategoricalDtype(ids)
    columns_out = {
        S.TIE_SOURCE: pd.Categorical.from_codes(sums.pop("s"), dtype=id_type),
        S.TIE_TARGET: pd.Categorical.from_codes(sums.pop("t"), dtype=id_type),
        S.LAYER: pd.Categorical.from_codes(sums.pop("layer"), categories=channels),
        S.KIND: pd.Categorical.from_codes(np.zeros(n, dtype=np.int8),
                                          categories=[S.KIND_INTERACTION]),
        S.TIE_WEIGHT: settle_weights(sums.pop("w")), S.TIE_COUNT: sums.pop("c"),
        S.FIRST_CONTACT: sums.pop("first").view("datetime64[us]"),
        S.LAST_CONTACT: sums.pop("last").view("datetime64[us]"),
    }
    return pd.DataFrame(columns_out, copy=False)  # the arrays are ours: no second copy


def _check_values(con, parts: list[_Part], on_invalid: str, quality: QualityReport,
                  label: str, encoding: str | None = None) -> int:
    """Stop at the first kind of unreadable value, naming its cells; or (``drop``) delete the
    rows with any from ``evd`` and count them. Returns how many were dropped. The failed
    checks are the bits of ``evd.bad`` (:func:`_check_events`); the cells named in an error
    are read again from the log (``ev``), with their file and row."""
    totals = _one(con, "SELECT " + ", ".join(f"count(*) FILTER (WHERE bad & {1 << i} <> 0)"
                                              for i in range(len(_CHECKS))) + " FROM evd")
    if not any(totals):
        return 0
    if on_invalid == "drop":
        bad = _one(con, "SELECT count(*) FROM evd WHERE bad <> 0")[0]
        con.execute("DELETE FROM evd WHERE bad <> 0")
        quality.drop(label, "invalid_value", bad)
        return int(bad)
    for (cond, column, expr, problem, fix), total in zip(_CHECKS, totals):
        if not total:
            continue
        cond = cond.replace("@LATEST@", _latest())
        rows = _run(con, f"SELECT f, r, {expr} FROM ev WHERE {cond} ORDER BY f, r LIMIT 5",
                    parts, encoding).fetchall()
        file = parts[rows[0][0]].file
        in_file = [CellProblem(int(r), v) for f, r, v in rows if f == rows[0][0]]
        raise InputError(file, problem, column=column, cells=in_file, total=int(total), fix=fix)
    return 0  # not reached: a total above 0 raised
