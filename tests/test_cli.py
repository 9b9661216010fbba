"""The command line end to end: outputs, summaries, and clean errors. Most tests run it in
this process (fast); those about exit codes, tracebacks and signals run a real one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ona as ona_lib

from .conftest import SAMPLES, write
from .conftest import cli as ona


def ona_process(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """``python -m ona ARGS`` in a real process, without a pseudonym key in its environment."""
    env = {k: v for k, v in os.environ.items() if k != "ONA_PSEUDONYM_KEY"}
    return subprocess.run([sys.executable, "-m", "ona", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env=env)


@pytest.mark.slow
def test_analyze_sample_writes_contract_files_and_reports_drops(tmp_path):
    run = ona("analyze", str(SAMPLES / "acme"), "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    out = run.stdout
    assert "people: 300" in out and "dropped 30 rows: exact duplicate" in out
    assert "written:" in out
    table = pd.read_csv(tmp_path / "people_metrics.csv", dtype={"employee_id": str})
    people = pd.read_csv(SAMPLES / "acme" / "people.csv", dtype={"employee_id": str})
    assert list(table.columns[:9]) == ["employee_id", "department", "tribe", "degree", "in_degree",
                                       "out_degree", "strength", "in_strength", "out_strength"]
    assert table["tribe"].min() >= 1 and table["tribe"].nunique() >= 3
    assert sorted(table["employee_id"]) == sorted(people["employee_id"])
    quality = pd.read_csv(tmp_path / "data_quality.csv")
    assert quality["count"].sum() > 0
    run_record = json.loads((tmp_path / "run.json").read_text())
    assert run_record["people"] == 300 and run_record["events"]["read"] > 30000


@pytest.mark.slow
def test_generated_organisation_never_seen_before_end_to_end(tmp_path):
    data = tmp_path / "org"
    gen = ona("generate", str(data), "--people", "250", "--seed", "424242",
              "--events-per-person", "40")
    assert gen.returncode == 0, gen.stderr
    truth = json.loads((data / "truth.json").read_text())
    run = ona("analyze", str(data), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    quality = pd.read_csv(tmp_path / "out" / "data_quality.csv")
    rows = quality[(quality["file"] == "interactions.csv") & (quality["unit"] == "rows")]
    assert rows.set_index("reason")["count"].to_dict() == truth["dirty_interactions"]["expected_drops"]
    table = pd.read_csv(tmp_path / "out" / "people_metrics.csv")
    assert len(table) == 250


@pytest.mark.slow
def test_window_and_format_options(tmp_path):
    run = ona("analyze", str(SAMPLES / "acme"), "--out", str(tmp_path), "--since", "2026-05-01",
              "--until", "2026-05-31", "--format", "parquet", "--channel-weight", "chat=0.5",
              "--half-life", "30")
    assert run.returncode == 0, run.stderr
    assert "outside --since/--until" in run.stdout
    table = pd.read_parquet(tmp_path / "people_metrics.parquet")
    assert len(table) == 300
    record = json.loads((tmp_path / "run.json").read_text())
    assert record["events"]["first"].startswith("2026-05-01")
    assert record["events"]["last"] < "2026-06-01"
    assert record["weighting"]["channel_weights"] == {"chat": 0.5}


@pytest.mark.slow
def test_bad_input_gives_one_clear_line_and_no_traceback(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department
        1,Sales
        2,Sales
    """)
    write(tmp_path, "interactions.csv", """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,1,2
        not a date,email,1,2
    """)
    run = ona_process("analyze", str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "interactions.csv, row 3, column 'timestamp'" in lines[0]
    assert not (tmp_path / "out" / "people_metrics.csv").exists()


@pytest.mark.slow
def test_validate_reports_without_writing(tmp_path):
    run = ona("validate", str(SAMPLES / "lazega"))
    assert run.returncode == 0 and "usable" in run.stdout and "people: 71" in run.stdout
    run = ona("validate", str(tmp_path))
    assert run.returncode == 2 and "people.csv: not found" in run.stderr


@pytest.mark.slow
def test_bad_options_are_refused_clearly(tmp_path):
    run = ona("analyze", str(SAMPLES / "krackhardt"), "--out", str(tmp_path), "--layers", "email")
    assert run.returncode == 2 and "no ties in layer(s) email" in run.stderr
    run = ona("analyze", str(SAMPLES / "krackhardt"), "--out", str(tmp_path),
              "--channel-weight", "chat")
    assert run.returncode == 2 and "CHANNEL=NUMBER" in run.stderr
    run = ona("analyze", str(SAMPLES / "krackhardt"), "--out", str(tmp_path), "--pseudonymize")
    assert run.returncode == 2 and "ONA_PSEUDONYM_KEY" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.slow
def test_analyze_lists_the_sample_hidden_talent_first(tmp_path):
    run = ona("analyze", str(SAMPLES / "acme"), "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    truth = json.loads((SAMPLES / "acme" / "truth.json").read_text())
    hidden = pd.read_csv(tmp_path / "hidden_talent.csv", dtype={"employee_id": str})
    planted = truth["hidden_high_performers"]
    assert set(hidden["employee_id"].head(len(planted))) == set(planted)
    assert not set(hidden["employee_id"]) & set(truth["visible_high_performers"])
    assert hidden["reason"].str.contains("senior leaders").all()
    table = pd.read_csv(tmp_path / "people_metrics.csv", dtype={"employee_id": str})
    for column in ("pagerank", "betweenness", "eigenvector", "constraint", "cross_department_ties",
                   "leader_reach", "visibility", "role", "harmonic", "effective_size", "clustering"):
        assert column in table.columns and table[column].notna().all(), column
    record = json.loads((tmp_path / "run.json").read_text())
    assert record["measures"]["betweenness"] == "exact"
    assert record["tribes"]["method"] == "louvain" and record["tribes"]["stability_seeds"] == 10
    assert record["tribes"]["seed"] == 0
    assert record["hidden_talent"]["listed"] == len(hidden)


@pytest.mark.slow
def test_analyze_without_ratings_says_why_hidden_talent_is_empty(tmp_path):
    run = ona("analyze", str(SAMPLES / "lazega"), "--out", str(tmp_path), "--layers", "advice")
    assert run.returncode == 0, run.stderr
    assert "no performance ratings" in run.stdout
    hidden = pd.read_csv(tmp_path / "hidden_talent.csv")
    assert hidden.empty and "reason" in hidden.columns


@pytest.mark.slow
def test_measure_options_reach_the_measures(tmp_path):
    run = ona("analyze", str(SAMPLES / "acme"), "--out", str(tmp_path), "--exact-limit", "100",
              "--pivots", "50", "--min-tie-weight", "1", "--senior-levels", "1")
    assert run.returncode == 0, run.stderr
    record = json.loads((tmp_path / "run.json").read_text())
    assert record["measures"]["betweenness"].startswith("sampled (50 pivots")
    assert record["measures"]["tie_rule"] == {"method": "min_weight", "min_weight": 1.0}
    assert record["measures"]["senior_leaders"] == 1


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_sigterm_stops_the_workers_too(tmp_path):
    import signal
    import time
    org = ona_lib.generate_organisation(3000, seed=77, events_per_person=30)
    ona_lib.write_organisation(org, tmp_path / "data")
    process = subprocess.Popen([sys.executable, "-m", "ona", "analyze", str(tmp_path / "data"),
                                "--out", str(tmp_path / "out"), "--quiet"])
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and process.poll() is None and not workers:
        workers = _children(process.pid)  # the path measures' workers
        time.sleep(0.02)
    assert workers, "no worker process was seen"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) != 0
    def alive(pid: int) -> bool:  # a zombie waiting to be reaped is not running
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(alive(w) for w in workers)
    assert not (tmp_path / "out" / "people_metrics.csv").exists()  # nothing half written


def test_command_line_defaults_are_the_library_defaults():
    """No default is typed twice: what the command line does without options is what the
    settings dataclasses and the functions' signatures say (and so what the dashboard does)."""
    import inspect

    from ona.cli import build_parser
    from ona.compare import compare_periods
    from ona.dashboard.store import DatasetKey
    from ona.generate import generate_organisation
    from ona.talent_review import ReviewRules

    def signature(function):
        return {k: p.default for k, p in inspect.signature(function).parameters.items()}

    parser = build_parser()
    analyze = signature(ona_lib.analyze)
    args = parser.parse_args(["analyze", "DATA", "--out", "OUT"])
    weighting, paths, confidence, rule = (ona_lib.Weighting(), ona_lib.PathSettings(),
                                          ona_lib.ConfidenceSettings(), ona_lib.TieRule())
    assert (args.reference_minutes, args.max_meeting_size, args.max_recipients, args.broadcast_share) == (
        weighting.reference_minutes, weighting.max_meeting_size, weighting.max_recipients, weighting.broadcast_share)
    assert tuple(args.meeting_channels.split(",")) == weighting.meeting_channels
    assert (args.tie_rule, args.tie_significance, args.max_ties) == (rule.method, rule.significance, rule.max_ties)
    assert (args.exact_limit, args.pivots, args.seed) == (paths.exact_limit, paths.pivots, paths.seed)
    assert args.confidence == confidence.replicates
    assert args.format == analyze["fmt"]
    settings = ona_lib.Settings()
    for option, value in (("senior_levels", settings.visibility.senior_levels),
                          ("high_performers", settings.hidden.high_performers),
                          ("top_share", settings.hidden.top_share),
                          ("max_visibility", settings.hidden.max_visibility),
                          ("tribe_method", settings.tribes.method), ("resolution", settings.tribes.resolution),
                          ("stability_seeds", settings.tribes.stability_seeds),
                          ("silo_alpha", settings.groups.silo_alpha),
                          ("min_group_size", settings.groups.min_group_size)):
        assert getattr(args, option) == value, option
    review = parser.parse_args(["talent-review", "DATA", "--panel", "a", "--slate", "b", "--out", "OUT"])
    rules = ReviewRules()
    assert (review.weak_weight, review.introductions) == (rules.weak_weight, rules.introductions)
    assert tuple(review.advocate_relations.split(",")) == rules.advocate_relations
    assert tuple(review.strong_relations.split(",")) == rules.strong_relations
    compare = parser.parse_args(["compare", "DATA", "--before", "2026-01-01:2026-03-31",
                                 "--after", "2026-04-01:2026-06-30", "--out", "OUT"])
    for option in ("min_group_size", "visibility_change", "tie_change"):
        assert getattr(compare, option) == signature(compare_periods)[option], option
    generate = parser.parse_args(["generate", "OUT"])
    made = signature(generate_organisation)
    assert (generate.people, generate.seed, generate.months, generate.events_per_person) == (
        made["n_people"], made["seed"], made["months"], made["events_per_person"])
    serve = parser.parse_args(["serve", "DATA"])
    assert serve.min_group_size == DatasetKey(data_dir="x").min_group_size == settings.groups.min_group_size
