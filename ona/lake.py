"""The aggregation as its own step, for event logs too large to keep next to the analysis.

The stage that grows first is the event aggregation: its work is linear in events and
recipients (tens of millions of rows a year for a large employer), while everything after
it works on the tie table (people x their contacts). So the aggregation can run where the
events live, for example DuckDB over a partitioned Parquet data lake (``ona aggregate``),
and hand on one compact file of ties; ``ona analyze`` reads a ``ties.parquet`` in a data
folder instead of an event log. The same SQL, with the same weighting rule, is what a
Spark job would run (README, design).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import schema as S
from .errors import CellProblem, ConfigError, InputError
from .interactions import InteractionSummary, Weighting, aggregate_interactions
from .quality import QualityReport
from .read import read_table, suffix_of
from .validate import clean_people

__all__ = ["aggregate_to_file", "read_ties"]

_META = b"ona.interactions"


def aggregate_to_file(events: str | Path, people: str | Path, out: str | Path, *,
                      weighting: Weighting | None = None, since=None, until=None,
                      on_invalid: str = "error", step=None, engine: str = "duckdb",
                      spark=None) -> tuple[Path, QualityReport]:
    """Aggregate an event log (a file, or a folder of part files in any partition layout)
    into ``out`` (a Parquet tie table with the event counts in its metadata).

    >>> import ona, tempfile, pathlib
    >>> acme = ona.sample_path("acme")
    >>> path, quality = aggregate_to_file(acme / "interactions.csv", acme / "people.csv",
    ...                                   pathlib.Path(tempfile.mkdtemp()) / "ties.parquet")
    >>> read_ties(path, ona.load(acme).people.index)[0].columns.tolist()[:3]
    ['source_id', 'target_id', 'layer']
    """
    if Path(out).suffix.lower() != ".parquet":  # before the long work, not after it
        raise ConfigError(f"the tie table is written as Parquet: name the output file .parquet "
                          f"(got {Path(out).name!r}), e.g. ties.parquet")
    quality = QualityReport()
    people_path = Path(people)
    table = clean_people(read_table(people_path), people_path.name, quality)
    if engine == "spark":
        from .spark_job import aggregate_spark
        ties, summary = aggregate_spark(events, table.index, weighting=weighting, since=since, until=until,
                                        on_invalid=on_invalid, quality=quality, spark=spark)
    elif engine == "duckdb":
        ties, summary = aggregate_interactions(events, table.index, weighting=weighting, since=since,
                                               until=until, on_invalid=on_invalid, quality=quality,
                                               step=step)
    else:
        raise ConfigError(f"the engine is duckdb or spark, got {engine!r}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame = ties.drop(columns=[S.KIND])
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {"events_read": summary.events_read, "events_used": summary.events_used,
            "first_event": str(summary.first_event) if summary.first_event is not None else None,
            "last_event": str(summary.last_event) if summary.last_event is not None else None,
            "channels": list(summary.channels), "large_meetings": summary.large_meetings,
            "mass_messages": summary.mass_messages, "broadcasters": list(summary.broadcasters),
            "dropped": quality.drops_frame()[["file", "reason", "unit", "count"]].to_dict("records")}
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}),
                                           _META: json.dumps(meta, default=str).encode()})
    pq.write_table(arrow, out)
    return out, quality


def read_ties(path: str | Path, people_ids: pd.Index,
              quality: QualityReport | None = None) -> tuple[pd.DataFrame, InteractionSummary]:
    """A pre-aggregated tie table (``ties.parquet`` from ``ona aggregate``, or a CSV with
    the same columns) as interaction ties. Ties naming someone not on the people list are
    dropped and counted (``unknown_id``)."""
    path = Path(path)
    quality = quality if quality is not None else QualityReport()
    label = path.name
    meta: dict = {}
    if suffix_of(path) == ".parquet":
        file = pq.ParquetFile(path)
        raw = (file.schema_arrow.metadata or {}).get(_META)
        meta = json.loads(raw) if raw else {}
        frame = file.read().to_pandas()
        frame.insert(0, "_row", np.arange(1, len(frame) + 1))
    else:
        frame = read_table(path)
    needed = (S.TIE_SOURCE, S.TIE_TARGET, S.LAYER, S.TIE_WEIGHT)
    for column in needed:
        if column not in frame.columns:
            raise InputError(path, f"has no {column} column (a tie table from ona aggregate has "
                                   f"{', '.join(c for c in S.TIE_COLUMNS if c != S.KIND)})",
                             column=column, fix="Aggregate the events again with ona aggregate.")
    quality.read(label, len(frame))
    weight = pd.to_numeric(frame[S.TIE_WEIGHT], errors="coerce")
    bad = weight.isna() | (weight < 0)
    if bad.any():
        rows = frame.loc[bad, "_row"].head(5).tolist()
        raise InputError(path, "has a weight that is not a number >= 0", column=S.TIE_WEIGHT,
                         cells=[CellProblem(int(r)) for r in rows], total=int(bad.sum()))
    src = frame[S.TIE_SOURCE].astype(str)
    tgt = frame[S.TIE_TARGET].astype(str)
    known = src.isin(people_ids) & tgt.isin(people_ids)
    quality.drop(label, "unknown_id", int((~known).sum()))
    out = pd.DataFrame({S.TIE_SOURCE: src[known].to_numpy(), S.TIE_TARGET: tgt[known].to_numpy(),
                        S.LAYER: frame.loc[known, S.LAYER].astype(str).str.lower().to_numpy(),
                        S.KIND: S.KIND_INTERACTION,
                        S.TIE_WEIGHT: weight[known].to_numpy(float)})
    out[S.TIE_COUNT] = (pd.to_numeric(frame.loc[known, S.TIE_COUNT], errors="coerce").to_numpy(float)
                        if S.TIE_COUNT in frame else 1.0)
    for column in (S.FIRST_CONTACT, S.LAST_CONTACT):
        out[column] = (pd.to_datetime(frame.loc[known, column], errors="coerce").to_numpy()
                       if column in frame else pd.NaT)
    quality.kept(label, len(out))
    known = set(pd.Index(people_ids).astype(str))
    first = pd.Timestamp(meta["first_event"]) if meta.get("first_event") else out[S.FIRST_CONTACT].min()
    last = pd.Timestamp(meta["last_event"]) if meta.get("last_event") else out[S.LAST_CONTACT].max()
    summary = InteractionSummary(events_read=int(meta.get("events_read", 0)),
                                 events_used=int(meta.get("events_used", 0)),
                                 first_event=first if pd.notna(first) else None,
                                 last_event=last if pd.notna(last) else None,
                                 channels=tuple(meta.get("channels") or sorted(out[S.LAYER].unique())),
                                 large_meetings=int(meta.get("large_meetings", 0)),
                                 mass_messages=int(meta.get("mass_messages", 0)),
                                 broadcasters=tuple(row for row in meta.get("broadcasters", [])
                                                    if str(row.get(S.EMPLOYEE_ID)) in known))
    return out, summary

