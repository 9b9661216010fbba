"""The event aggregation as a PySpark job: the same weighting rule (docs/weighting.md), the
same row accounting by reason and the same tie table as the DuckDB path
(:func:`ona.interactions.aggregate_interactions`), for event logs that live in a data lake.

Locally it starts Spark in ``local[*]``; on a cluster the same command runs under
``spark-submit`` (the ``ona`` script is a Python file Spark can run) and reads any path
Spark reads (HDFS, S3, ABFS, local)::

    ona aggregate EVENTS --people PEOPLE --out ties.parquet --engine spark
    spark-submit --master yarn "$(which ona)" aggregate s3a://lake/events/ --people people.csv \
        --out ties.parquet --engine spark

It writes the tie table for ``ona analyze`` (``ties.parquet`` in a data folder). Optional:
``pip install "ona[spark]"`` and a Java runtime (17 or newer).

Stages, as statements over temporary views (the names match the DuckDB path):
``ev`` the events as text with their file; the checks of unreadable values (dropped and
counted as ``invalid_value`` with ``on_invalid="drop"``; otherwise an error naming the file,
the column and the first values); ``evd`` exact duplicates removed, then the window;
``ent``/``evs`` one row per listed recipient and per event its counts (every drop reason
counted); ``kept`` each event's weight per recipient; the pairs (sender to each recipient,
and each pair of participants of a meeting at half weight) summed per channel. Broadcasters
are then taken out exactly as on the DuckDB path.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError, InputError
from .interactions import (
    InteractionSummary,
    Weighting,
    _column_map,
    _drop_broadcasters,
    default_memory_limit,
    parse_window_bound,
    settle_weights,
    warn_broadcasters,
    warn_mass_events,
)
from .quality import QualityReport

__all__ = ["aggregate_spark", "spark_session", "spark_mapper"]


#: Environment variable with the driver's memory in local mode (e.g. "8g"; default: DuckDB's cap).
SPARK_MEMORY_ENV = "ONA_SPARK_DRIVER_MEMORY"


def spark_session(master: str | None = None):
    """A Spark session: the active one (under ``spark-submit``), or ``local[*]`` here, with
    UTC as its time zone (and in local mode the driver's memory of :data:`SPARK_MEMORY_ENV`,
    by default :func:`ona.interactions.default_memory_limit`)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigError('the Spark engine needs PySpark and a Java runtime: pip install "ona[spark]"') from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        active.conf.set("spark.sql.session.timeZone", "UTC")
        return active
    builder = SparkSession.builder.appName("ona aggregate")
    if master is not None or not os.environ.get("PYSPARK_GATEWAY_PORT"):  # spark-submit sets its own master
        builder = builder.master(master or "local[*]")
        if (master or "local").startswith("local"):  # the workers run this Python, with ona installed
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
            # in local mode the driver's JVM does all the work: Spark's 1 GB default ran out of
            # memory summing 10M events; 40% of RAM, at most 4 GB (DuckDB's rule, with its earlier cap)
            memory = os.environ.get(SPARK_MEMORY_ENV) or default_memory_limit(4096)
            builder = builder.config("spark.driver.memory", _jvm_size(memory))
            # the tie table comes back to this process whole (at 10M events it was over Spark's
            # 1 GB default for collected results); the memory above is the bound
            builder = builder.config("spark.driver.maxResultSize", "0")
    builder = (builder.config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.adaptive.enabled", "true")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _jvm_size(size: str) -> str:
    """A memory size as the JVM writes it ("4096MB" or "4GB" as "4096m", "4g").

    >>> _jvm_size("4096MB"), _jvm_size("8g")
    ('4096m', '8g')
    """
    text = size.strip().lower()
    return text[:-1] if text.endswith(("kb", "mb", "gb", "tb")) else text


def _lit(text: str) -> str:
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


#: Unicode spaces (category Zs) at either end of a cell, as a Java regular expression.
_ENDS_SPACES = r"^[\p{Zs}]+|[\p{Zs}]+$"


def _trim(text: str) -> str:
    """Spark SQL for DuckDB's ``trim(text)``: the Unicode spaces (category Zs: the plain
    space, U+00A0, U+3000, ...) taken off both ends. Spark's own ``trim`` takes off the
    plain space only, so an id wrapped in U+00A0 read differently on the two engines."""
    return f"regexp_replace({text}, {_lit(_ENDS_SPACES)}, '')"


def _files(source: str | Path) -> list[str]:
    path = Path(source)
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*") if p.is_file() and
                       (p.suffix.lower() in (".csv", ".parquet") or p.name.lower().endswith(".csv.gz")))
        if not files:
            raise InputError(path, "holds no CSV or Parquet part files")
        return files
    return [str(path)]


def _read(spark, files: list[str]):
    """Every file as text columns named as the contract names them, with its file number."""
    from pyspark.sql import functions as F
    frames = []
    for number, file in enumerate(files):
        if file.lower().endswith(".parquet"):
            frame = spark.read.parquet(file)
        else:
            frame = (spark.read.option("header", True).option("inferSchema", False)
                     .option("mode", "PERMISSIVE").csv(file))
        mapping = _column_map(list(frame.columns), Path(file))

        def col(name: str, mapping: dict[str, str] = mapping):
            return (F.col(f"`{mapping[name]}`").cast("string") if name in mapping
                    else F.lit(None).cast("string"))
        frames.append(frame.select(F.lit(number).alias("f"), col(S.TIMESTAMP).alias("ts_raw"),
                                   col(S.CHANNEL).alias("channel"), col(S.SENDER_ID).alias("sender"),
                                   col(S.RECIPIENT_IDS).alias("recip"), col(S.DURATION_MINUTES).alias("dur_raw"),
                                   col(S.WEIGHT).alias("w_raw")))
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


_CHECKS = (
    ("ts_raw IS NOT NULL AND (ts IS NULL OR NOT ts_raw RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2}')",
     S.TIMESTAMP, "ts_raw", "is not an ISO 8601 timestamp (such as 2024-03-01T09:30:00Z)"),
    ("ts IS NOT NULL AND (ts < TIMESTAMP '1970-01-01 00:00:00' OR ts > TIMESTAMP '@LATEST@')",
     S.TIMESTAMP, "ts_raw", "is not between 1970 and the end of next year"),
    ("ts_raw IS NULL", S.TIMESTAMP, "ts_raw", "is empty"),
    ("channel IS NULL", S.CHANNEL, "channel", "is empty"),
    ("sender IS NULL", S.SENDER_ID, "sender", "is empty"),
    ("sender RLIKE '[\\\\x00-\\\\x1f\\\\x7f]'", S.SENDER_ID, "sender",
     "holds a control character (such as NUL or a line break)"),
    ("recip RLIKE '[\\\\x00-\\\\x1f\\\\x7f]'", S.RECIPIENT_IDS, "recip",
     "holds a control character (such as NUL or a line break)"),
    ("dur_raw IS NOT NULL AND (dur IS NULL OR dur < 0 OR isnan(dur) OR abs(dur) = double('inf'))",
     S.DURATION_MINUTES, "dur_raw", "is not a number of minutes >= 0"),
    ("w_raw IS NOT NULL AND (ew IS NULL OR ew < 0 OR isnan(ew) OR abs(ew) = double('inf'))",
     S.WEIGHT, "w_raw", "is not a number >= 0"),
)


def _one(spark, sql: str) -> tuple:
    return tuple(spark.sql(sql).collect()[0])


def aggregate_spark(source: str | Path, people_ids: Sequence[str] | pd.Index, *,
                    weighting: Weighting | None = None, since=None, until=None, on_invalid: str = "error",
                    quality: QualityReport | None = None, label: str | None = None,
                    spark=None) -> tuple[pd.DataFrame, InteractionSummary]:
    """Turn an event log into directed weighted ties with Spark: the same result, row
    accounting and summary as :func:`ona.interactions.aggregate_interactions`.

    Parameters
    ----------
    source : str or Path
        A CSV/CSV.gz/Parquet file or a folder of part files (any path Spark reads).
    people_ids : sequence of str
        The employee_ids on the people list.
    weighting : Weighting, optional
        The weighting rule's settings (default ``Weighting()``).
    since, until : str, date or datetime, optional
        Keep events in this window (until inclusive).
    on_invalid : {"error", "drop"}, default "error"
        Stop at an unreadable value (naming the file, the column and the first values), or
        drop and count such rows.
    quality : QualityReport, optional
        Receives the row counts.
    label : str, optional
        The input's name in messages and the report (default: the file or folder name).
    spark : SparkSession, optional
        Default: :func:`spark_session`.

    Returns
    -------
    tuple of (DataFrame, InteractionSummary)
        The tie table and what the aggregation saw, as on the DuckDB path.

    Examples
    --------
    Needs a Java runtime, so shown rather than run as a doctest (tests/test_spark.py runs it)::

        acme = ona.sample_path("acme")
        ties, summary = aggregate_spark(acme / "interactions.csv", ona.load(acme).people.index,
                                        on_invalid="drop")
    """
    weighting = weighting or Weighting()
    quality = quality if quality is not None else QualityReport()
    if on_invalid not in ("error", "drop"):
        raise ConfigError(f"on_invalid must be 'error' or 'drop', got {on_invalid!r}")
    start = parse_window_bound(since, end=False)
    stop = parse_window_bound(until, end=True)
    label = label or Path(source).name
    spark = spark or spark_session()
    files = _files(source)

    ids = sorted(set(pd.Index(people_ids).astype(str)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        people = spark.createDataFrame(pd.DataFrame({"pid": ids, "idx": np.arange(len(ids), dtype=np.int32)}))
    people.createOrReplaceTempView("people")
    raw = _read(spark, files)
    raw.createOrReplaceTempView("raw")
    ev = spark.sql(f"""
        SELECT f, ts_raw, try_cast(ts_raw AS TIMESTAMP) AS ts, channel, sender, recip, dur_raw,
               try_cast(dur_raw AS DOUBLE) AS dur, w_raw, try_cast(w_raw AS DOUBLE) AS ew
        FROM (SELECT f, nullif({_trim('ts_raw')}, '') AS ts_raw, nullif(lower({_trim('channel')}), '') AS channel,
                     nullif({_trim('sender')}, '') AS sender, recip, nullif({_trim('dur_raw')}, '') AS dur_raw,
                     nullif({_trim('w_raw')}, '') AS w_raw FROM raw)
    """).cache()
    ev.createOrReplaceTempView("ev")
    n_read = ev.count()
    quality.read(label, n_read)

    latest = f"{date.today().year + 1}-12-31 23:59:59"
    conditions = [c[0].replace("@LATEST@", latest) for c in _CHECKS]
    totals = _one(spark, "SELECT " + ", ".join(f"count_if({c})" for c in conditions) + " FROM ev")
    if any(totals):
        if on_invalid == "drop":
            any_bad = " OR ".join(f"coalesce({c}, false)" for c in conditions)
            bad = _one(spark, f"SELECT count_if({any_bad}) FROM ev")[0]
            quality.drop(label, "invalid_value", int(bad))
            ev = spark.sql(f"SELECT * FROM ev WHERE NOT ({any_bad})").cache()
            ev.createOrReplaceTempView("ev")
        else:
            for (cond, column, expr, problem), total in zip(_CHECKS, totals):
                if total:
                    rows = spark.sql(f"SELECT f, {expr} AS v FROM ev WHERE {cond.replace('@LATEST@', latest)} "
                                     "LIMIT 5").collect()
                    values = ", ".join(repr(r["v"]) for r in rows)
                    raise InputError(files[rows[0]["f"]], f"{problem} (values {values}; the Spark engine does not "
                                     "number rows: ona validate on the file names them)", column=column,
                                     total=int(total),
                                     fix="Fix the values, or pass --drop-invalid to drop such rows.")

    evd = spark.sql(f"""
        SELECT monotonically_increasing_id() AS eid, ts, channel, sender, recip, dur, ew
        FROM (SELECT DISTINCT ts, channel, sender, {_trim("coalesce(recip, '')")} AS recip, dur, ew FROM ev)
    """).cache()
    evd.createOrReplaceTempView("evd")
    n_distinct = evd.count()
    quality.drop(label, "duplicate_row", int(ev.count() - n_distinct))
    if start is not None or stop is not None:
        outside = []
        if start is not None:
            outside.append(f"ts < TIMESTAMP {_lit(str(start))}")
        if stop is not None:
            outside.append(f"ts >= TIMESTAMP {_lit(str(stop))}")
        where = " OR ".join(outside)
        quality.drop(label, "outside_window", int(_one(spark, f"SELECT count_if({where}) FROM evd")[0]))
        evd = spark.sql(f"SELECT * FROM evd WHERE NOT ({where})").cache()
        evd.createOrReplaceTempView("evd")

    ent = spark.sql(f"""
        WITH x AS (SELECT eid, sender, {_trim('rid')} AS rid
                   FROM evd LATERAL VIEW explode(split(recip, {_lit(S.RECIPIENT_SEPARATOR)}, -1)) t AS rid)
        SELECT x.eid, first(p.idx) AS ridx, (x.rid = first(x.sender)) AS is_self,
               first(p.idx) IS NOT NULL AS known, count(*) AS times
        FROM x LEFT JOIN people p ON p.pid = x.rid
        WHERE x.rid <> ''
        GROUP BY x.eid, x.rid
    """).cache()
    ent.createOrReplaceTempView("ent")
    evs = spark.sql("""
        SELECT e.eid, e.ts, e.channel, sp.idx AS sidx, e.dur, e.ew, sp.idx IS NOT NULL AS sender_known,
               coalesce(st.n_entries, 0) AS n_entries, coalesce(st.n_listed, 0) AS n_listed,
               coalesce(st.n_valid, 0) AS n_valid, coalesce(st.n_self, 0) AS n_self,
               coalesce(st.n_unknown, 0) AS n_unknown, coalesce(st.n_repeat, 0) AS n_repeat
        FROM evd e
        LEFT JOIN people sp ON sp.pid = e.sender
        LEFT JOIN (SELECT eid, count(*) AS n_entries, count_if(NOT is_self) AS n_listed,
                          count_if(NOT is_self AND known) AS n_valid, count_if(is_self) AS n_self,
                          count_if(NOT is_self AND NOT known) AS n_unknown, sum(times - 1) AS n_repeat
                   FROM ent GROUP BY eid) st ON st.eid = e.eid
    """).cache()
    evs.createOrReplaceTempView("evs")
    empty, unknown_sender, repeated, self_entries, unknown_entries, no_valid, kept_n = _one(spark, """
        SELECT count_if(n_entries = 0), count_if(n_entries > 0 AND NOT sender_known),
               coalesce(sum(CASE WHEN n_entries > 0 AND sender_known THEN n_repeat END), 0),
               coalesce(sum(CASE WHEN n_entries > 0 AND sender_known THEN n_self END), 0),
               coalesce(sum(CASE WHEN n_entries > 0 AND sender_known THEN n_unknown END), 0),
               count_if(n_entries > 0 AND sender_known AND n_valid = 0),
               count_if(sender_known AND n_valid > 0)
        FROM evs""")
    quality.drop(label, "empty_recipients", int(empty))
    quality.drop(label, "unknown_sender", int(unknown_sender))
    quality.drop(label, "repeated_recipient", int(repeated), unit="recipient entries")
    quality.drop(label, "self_tie", int(self_entries), unit="recipient entries")
    quality.drop(label, "unknown_recipient", int(unknown_entries), unit="recipient entries")
    quality.drop(label, "no_valid_recipient", int(no_valid))
    quality.kept(label, int(kept_n))

    meetings = ", ".join(_lit(c) for c in weighting.meeting_channels) or "NULL"
    cases = " ".join(f"WHEN {_lit(c)} THEN {float(w)!r}" for c, w in weighting.channel_weights.items())
    channel_w = f"CASE e.channel {cases} ELSE {float(weighting.default_channel_weight)!r} END" if cases else \
        f"{float(weighting.default_channel_weight)!r}"
    if weighting.half_life_days is None:
        decay = "1.0"
    else:
        ref = (f"TIMESTAMP {_lit(str(stop))}" if stop is not None else
               "(SELECT max(ts) FROM evs WHERE sender_known AND n_valid > 0)")
        decay = (f"pow(0.5, greatest(unix_micros({ref}) - unix_micros(e.ts), 0) / 1e6 / 86400.0 / "
                 f"{float(weighting.half_life_days)!r})")
    kept = spark.sql(f"""
        SELECT e.eid, e.ts, e.channel, e.sidx, e.channel IN ({meetings}) AS is_meeting,
               e.n_listed + 1 AS participants,
               {channel_w}
                 * CASE WHEN e.channel IN ({meetings})
                        THEN least(coalesce(e.dur, {float(weighting.default_minutes)!r}),
                                   {float(weighting.max_minutes)!r}) / {float(weighting.reference_minutes)!r}
                        ELSE 1.0 END
                 * coalesce(e.ew, 1.0) * {decay} / e.n_listed AS pw
        FROM evs e WHERE e.sender_known AND e.n_valid > 0
    """).cache()
    kept.createOrReplaceTempView("kept")
    mass_case = (f"CASE WHEN is_meeting THEN participants > {int(weighting.max_meeting_size)} "
                 f"ELSE participants - 1 > {int(weighting.max_recipients)} END")
    large, mass_messages, used, first, last = _one(spark, f"""
        SELECT count_if(is_meeting AND participants > {int(weighting.max_meeting_size)}),
               count_if(NOT is_meeting AND participants - 1 > {int(weighting.max_recipients)}),
               count(*), min(ts), max(ts)
        FROM kept""")
    warn_mass_events(quality, label, weighting, int(large), int(mass_messages))
    channels = [r[0] for r in spark.sql("SELECT DISTINCT channel FROM kept ORDER BY channel").collect()]
    spark.createDataFrame([(c, i) for i, c in enumerate(channels)], "channel string, code int"
                          ).createOrReplaceTempView("chan")
    spark.sql("SELECT ent.eid, ent.ridx FROM ent JOIN kept ON ent.eid = kept.eid "
              "WHERE ent.known AND NOT ent.is_self").createOrReplaceTempView("valid")
    pairs = spark.sql(f"""
        WITH k AS (SELECT kept.*, chan.code FROM kept JOIN chan ON kept.channel = chan.channel
                   WHERE NOT ({mass_case})),
        pairs AS (
            SELECT k.sidx AS s, v.ridx AS t, k.code AS layer, k.pw AS w, 1.0D AS c, k.ts
            FROM k JOIN valid v ON v.eid = k.eid
            UNION ALL
            SELECT a.ridx, b.ridx, k.code, k.pw / 2, 0.5D, k.ts
            FROM k JOIN valid a ON a.eid = k.eid JOIN valid b ON b.eid = k.eid AND a.ridx <> b.ridx
            WHERE k.is_meeting)
        SELECT s, t, layer, sum(w) AS w, sum(c) AS c, min(ts) AS first_ts, max(ts) AS last_ts
        FROM pairs GROUP BY s, t, layer
    """)
    with warnings.catch_warnings():  # PySpark 4.x warns about pandas 3, which it reads fine here
        warnings.simplefilter("ignore", FutureWarning)
        table = pairs.toPandas()
    table = table.sort_values(["s", "t", "layer"], kind="stable", ignore_index=True)
    id_type = pd.CategoricalDtype(ids)
    n = len(table)
    ties = pd.DataFrame({
        S.TIE_SOURCE: pd.Categorical.from_codes(table["s"].to_numpy(np.int32), dtype=id_type),
        S.TIE_TARGET: pd.Categorical.from_codes(table["t"].to_numpy(np.int32), dtype=id_type),
        S.LAYER: pd.Categorical.from_codes(table["layer"].to_numpy(np.int16), categories=channels),
        S.KIND: pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[S.KIND_INTERACTION]),
        S.TIE_WEIGHT: settle_weights(table["w"].to_numpy(float, copy=True)), S.TIE_COUNT: table["c"].to_numpy(float),
        S.FIRST_CONTACT: pd.to_datetime(table["first_ts"]).to_numpy("datetime64[us]"),
        S.LAST_CONTACT: pd.to_datetime(table["last_ts"]).to_numpy("datetime64[us]"),
    })
    ties, spread = _drop_broadcasters(ties, weighting, len(ids))
    warn_broadcasters(quality, label, len(spread))
    spread_list = ", ".join(str(int(s)) for s in sorted(spread)) or "-1"
    rows = spark.sql(f"""
        SELECT sidx, count_if({mass_case}) AS mass, count_if(NOT is_meeting) AS messages
        FROM kept GROUP BY sidx HAVING mass > 0 OR sidx IN ({spread_list}) ORDER BY sidx""").collect()
    senders = tuple({S.EMPLOYEE_ID: ids[r["sidx"]], "mass_events": int(r["mass"]), "messages": int(r["messages"]),
                     "effective_recipients": round(spread[r["sidx"]], 1) if r["sidx"] in spread else None,
                     "broadcaster": r["sidx"] in spread} for r in rows)
    summary = InteractionSummary(
        events_read=int(n_read), events_used=int(used),
        first_event=pd.Timestamp(first) if first is not None else None,
        last_event=pd.Timestamp(last) if last is not None else None,
        channels=tuple(channels), large_meetings=int(large), mass_messages=int(mass_messages),
        broadcasters=senders)
    for view in ("ev", "evd", "ent", "evs", "kept"):
        spark.catalog.dropTempView(view)
    return ties, summary


def spark_mapper(spark, *, slices: int | None = None):
    """A mapper for :func:`ona.centrality.centrality_measures` that sends the batches of path
    sources to Spark's executors: the graph travels once as a broadcast, each executor
    rebuilds it and sums its batches (:func:`ona.centrality.path_task`), the driver adds
    them up. The same sources give the same measures as the local run.

    Parameters
    ----------
    spark : SparkSession
    slices : int, optional
        Partitions of the batches (default: one per batch).

    Returns
    -------
    callable
        ``mapper(function, payload, tasks)`` -> the results of ``function(payload, task)``.

    Examples
    --------
    Shown rather than run as a doctest (tests/test_spark.py runs it)::

        frame, how = centrality_measures(ona.tie_arrays(net), mapper=spark_mapper(spark_session()))
    """
    def mapper(function, payload, tasks):
        if not tasks:
            return []
        shared = spark.sparkContext.broadcast(payload)
        try:
            rdd = spark.sparkContext.parallelize(list(tasks), slices or len(tasks))
            return rdd.map(lambda task: function(shared.value, task)).collect()
        finally:
            shared.unpersist()
    return mapper
