"""Work done side by side: the relationships read while the event log is aggregated, the
confidence reruns started before the tables, the output tables written over forked
processes. Each gives what doing it one after the other gives."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from concurrent.futures import CancelledError

import pandas as pd
import pytest

import ona
from ona.errors import InputError
from ona.outputs import neutralize
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


def _fails_or_writes(job: tuple[str, str]) -> str:
    kind, path = job
    if kind == "fail":
        raise ValueError("item failed")
    time.sleep(1.0)  # still running when the other item fails
    with open(path, "w") as out:
        out.write("late")
    return path


def test_an_error_in_started_work_stops_the_rest_before_it_is_raised(tmp_path):
    late = tmp_path / "late.txt"
    jobs = [("write", str(late)), ("fail", ""), ("write", str(tmp_path / "queued.txt"))]
    with pytest.raises(ValueError, match="item failed"):
        start_forked(_fails_or_writes, jobs, workers=2)()
    # the worker that was writing is stopped, not left to write after the error
    assert not mp.active_children()
    assert not late.exists() and not (tmp_path / "queued.txt").exists()
    pending = start_forked(_slow_square, range(40), workers=2)
    pending.cancel()  # from an error elsewhere: the items are dropped and the workers stopped
    assert not mp.active_children()
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


_FORKS = [0]
os.register_at_fork(before=lambda: _FORKS.__setitem__(0, _FORKS[0] + 1))


def test_small_tables_are_written_here_and_dotted_names_keep_their_pieces_apart(tmp_path):
    small = pd.DataFrame({"a": range(10), "b": ["x"] * 10})
    before = _FORKS[0]
    write_tables([(small, tmp_path / "s1", "csv", False), (small, tmp_path / "s2", "csv", False)], workers=2)
    assert _FORKS[0] == before  # below PARALLEL_WRITE_CELLS: no process started
    big = pd.DataFrame({"id": [f"p{i}" for i in range(60_000)], "x": [i / 3 for i in range(60_000)]})
    written = write_tables([(big, tmp_path / "team.v2", "csv", False)], workers=2)
    assert _FORKS[0] > before
    assert [p.name for p in written] == ["team.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s1.csv", "s2.csv", "team.csv"]
    assert (tmp_path / "team.csv").read_bytes() == neutralize(big).to_csv(index=False).encode()


def test_tables_whose_format_is_chosen_per_column_are_written_whole(tmp_path):
    times = pd.to_datetime(["2024-01-01 00:00"] * 30_000 + ["2024-01-01 09:30"] * 30_000)
    cases = {
        "categories of times": pd.DataFrame({"when": pd.Categorical(times), "v": range(60_000)}),
        "index of times": pd.DataFrame({"v": range(60_000)}, index=pd.MultiIndex.from_arrays(
            [times, range(60_000)], names=["when", "n"])),
        "durations": pd.DataFrame({"d": times - times.min(), "v": range(60_000)}),
    }
    for name, frame in cases.items():
        assert len(ona.pipeline._pieces([(frame, tmp_path / "t", "csv", True)], 2)) == 1, name
        path = write_tables([(frame, tmp_path / "t", "csv", True)], workers=2)[0]
        assert path.read_bytes() == neutralize(frame).to_csv().encode(), name
    # dates alone (a hire date) are written the same in pieces: such a table is split
    hired = pd.DataFrame({"hire_date": pd.to_datetime(["2019-11-13"] * 30_000 + [None] * 30_000),
                          "v": range(60_000)})
    assert len(ona.pipeline._pieces([(hired, tmp_path / "h", "csv", False)], 2)) > 1
    path = write_tables([(hired, tmp_path / "h", "csv", False)], workers=2)[0]
    assert path.read_bytes() == neutralize(hired).to_csv(index=False).encode()


def test_both_an_event_log_and_ties_is_reported_after_the_relationships(people_dir):
    write(people_dir, "interactions.csv", EVENTS)
    write(people_dir, "ties.csv", "source_id,target_id,layer,weight\n001,002,email,1\n")
    write(people_dir, "relationships.csv", "source_id,target_id,relation,weight\n002,001,advice,lots\n")
    with pytest.raises(InputError) as caught:
        ona.load(people_dir)
    assert caught.value.file == "relationships.csv"
    write(people_dir, "relationships.csv", RELATIONSHIPS)
    with pytest.raises(InputError, match="both an event log"):
        ona.load(people_dir)


def test_settings_with_no_reruns_at_a_head_count_give_no_confidence_columns(tmp_path):
    settings = ona.ConfidenceSettings(large=10, large_replicates=0)
    result = ona.analyze(ona.sample_path("acme"), out_dir=tmp_path, confidence=settings, show_progress=False)
    assert "hidden_confidence" not in result.people_metrics
    assert "silo_confidence" not in result.departments
    assert (tmp_path / "people_metrics.csv").exists()


def _fails_first(x: int) -> int:
    if x == 0:
        raise ValueError("the first item failed")
    time.sleep(0.5)
    return x


def test_one_item_is_waited_for_while_the_others_go_on():
    pending = start_forked(_slow_square, [3, 1, 2, 5], workers=2)
    assert pending.item(0) == 9
    assert pending() == [9, 1, 4, 25]
    failing = start_forked(_fails_first, range(6), workers=2)
    with pytest.raises(ValueError, match="first item failed"):
        failing.item(0)
    assert not mp.active_children()  # the others are stopped, as when waiting for all
    with pytest.raises(CancelledError):
        failing.item(1)
