"""Work done side by side: the relationships read while the event log is aggregated, the
confidence reruns started before the tables, the output tables written over forked
processes. Each gives what doing it one after the other gives."""

from __future__ import annotations

import os
import time
from concurrent.futures import CancelledError

import pandas as pd
import pytest

import ona
from ona.errors import InputError
from ona.pipeline import write_tables
from ona.quality import QualityReport
from ona.workers import Pending, map_forked, start_forked

from .conftest import write

EVENTS = """
timestamp,channel,sender_id,recipient_ids
2024-03-01T09:00,email,001,002;003
2024-03-01T10:00,email,002,001
2024-03-01T10:00,email,002,001
2024-03-02T11:00,chat,003,004;999
"""

RELATIONSHIPS = """
source_id,target_id,relation,weight
002,001,advice,
002,001,advice,
999,001,advice,
003,004,mentor,2
"""


def test_relationships_read_beside_the_events_keep_their_place_in_the_report(people_dir):
    write(people_dir, "interactions.csv", EVENTS)
    write(people_dir, "relationships.csv", RELATIONSHIPS)
    net = ona.load(people_dir)
    # people, then relationships, then events: the order in which they were read before
    assert list(net.quality.rows_read) == ["people.csv", "relationships.csv", "interactions.csv"]
    assert [(d.file, d.reason, d.count) for d in net.quality.drops] == [
        ("relationships.csv", "duplicate_row", 1), ("relationships.csv", "unknown_source", 1),
        ("interactions.csv", "duplicate_row", 1), ("interactions.csv", "unknown_recipient", 1)]
    assert net.quality.rows_kept["relationships.csv"] == 2
    # interaction layers first, then the declared ones
    assert net.layers == ["chat", "email", "advice", "mentor"]
    declared = net.ties[net.ties["layer"].isin(["advice", "mentor"])]
    assert declared[["source_id", "target_id", "layer", "weight"]].astype(str).values.tolist() == [
        ["002", "001", "advice", "1.0"], ["003", "004", "mentor", "2.0"]]


def test_a_relationships_error_comes_first_as_when_read_first(people_dir):
    write(people_dir, "relationships.csv", "source_id,target_id,relation,weight\n002,001,advice,lots\n")
    # the event log is bad too: the relationships' error is the one reported
    write(people_dir, "interactions.csv", "timestamp,channel,sender_id,recipient_ids\nnot a time,email,001,002\n")
    with pytest.raises(InputError) as caught:
        ona.load(people_dir)
    assert (caught.value.file, caught.value.column) == ("relationships.csv", "weight")
    # with a good log the relationships' error is raised all the same
    write(people_dir, "interactions.csv", EVENTS)
    with pytest.raises(InputError) as caught:
        ona.load(people_dir)
    assert caught.value.file == "relationships.csv"
    # and with good relationships the log's error is reported
    write(people_dir, "relationships.csv", RELATIONSHIPS)
    write(people_dir, "interactions.csv", "timestamp,channel,sender_id,recipient_ids\nnot a time,email,001,002\n")
    with pytest.raises(InputError) as caught:
        ona.load(people_dir)
    assert os.path.basename(caught.value.file) == "interactions.csv"


def test_quality_reports_extend_in_order():
    first, second = QualityReport(), QualityReport()
    first.read("a.csv", 3)
    first.drop("a.csv", "duplicate_row", 1)
    second.read("b.csv", 5)
    second.kept("b.csv", 4)
    second.drop("b.csv", "self_tie", 1)
    second.warn("b: a warning")
    first.extend(second)
    assert first.rows_read == {"a.csv": 3, "b.csv": 5} and first.rows_kept == {"b.csv": 4}
    assert [d.reason for d in first.drops] == ["duplicate_row", "self_tie"]
    assert first.warnings == ["b: a warning"]


def _slow_square(x: int) -> int:
    time.sleep(0.05 * (3 - x % 3))  # later items finish first: the order is kept anyway
    return x * x


def _pid(_x: int) -> int:
    time.sleep(0.2)
    return os.getpid()


def test_started_work_runs_on_forked_processes_and_keeps_order():
    pending = start_forked(_slow_square, range(6), workers=2)
    assert isinstance(pending, Pending)
    assert pending() == [0, 1, 4, 9, 16, 25]
    assert start_forked(_slow_square, range(4), workers=2).then(sum)() == 14
    pids = map_forked(_pid, range(4), workers=2)
    assert os.getpid() not in pids and len(set(pids)) == 2
    # one worker: done in this process before start_forked returns
    local = start_forked(_pid, [0], workers=1)
    assert local() == [os.getpid()]


def _fails(x: int) -> int:
    if x == 2:
        raise ValueError("item 2")
    return x


def test_an_error_in_started_work_reaches_the_caller_and_cancel_drops_the_rest():
    with pytest.raises(ValueError, match="item 2"):
        start_forked(_fails, range(4), workers=2)()
    pending = start_forked(_slow_square, range(40), workers=2)
    pending.cancel()  # returns at once; the items not started are dropped
    with pytest.raises(CancelledError):
        pending()


def test_tables_written_over_forked_processes_are_the_same_files(tmp_path):
    big = pd.DataFrame({"id": [f"p{i:05d}" for i in range(30_000)], "x": range(30_000),
                        "name": ["=cmd" if i % 7 == 0 else f"n{i}" for i in range(30_000)],
                        "y": [i / 7 for i in range(30_000)]})
    big["flag"] = big["x"] % 3 == 0
    big["score"] = pd.array([None if i % 11 == 0 else i for i in range(30_000)], dtype="Int64")
    big["team"] = pd.Categorical([f"t{i % 5}" for i in range(30_000)])
    small = pd.DataFrame({"a": [1.5, None], "b": ["+x", "y"]}, index=pd.Index(["r1", "r2"], name="row"))
    # times all at midnight in the first half: pandas writes dates alone only if every one is
    dated = pd.DataFrame({"when": pd.to_datetime(["2024-01-01 00:00"] * 20_000 + ["2024-01-01 09:30"] * 20_000),
                          "v": range(40_000)})
    tables = [(small, "small", "csv", True), (big, "big", "csv", False), (big.head(10), "head", "parquet", False),
              (dated, "dated", "csv", False)]
    pieces = ona.pipeline._pieces([(f, tmp_path / n, fmt, i) for f, n, fmt, i in tables], 2)
    assert sum(1 for p in pieces if p[0] == 1) > 1   # the big table goes in pieces
    assert sum(1 for p in pieces if p[0] == 3) == 1  # the dated one whole
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    assert big.size >= ona.pipeline.PARALLEL_WRITE_CELLS  # this many cells are written in parallel
    parallel = write_tables([(f, two / n, fmt, i) for f, n, fmt, i in tables], workers=2)
    single = write_tables([(f, one / n, fmt, i) for f, n, fmt, i in tables], workers=1)
    assert [p.name for p in parallel] == ["small.csv", "big.csv", "head.parquet", "dated.csv"]
    for a, b in zip(single, parallel):
        assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in two.iterdir()) == ["big.csv", "dated.csv", "head.parquet", "small.csv"]
    assert "'=cmd" in (two / "big.csv").read_text()  # spreadsheet safety kept in the workers
