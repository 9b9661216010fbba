"""Fuzzed input files: whatever the people, event and survey files hold, the command line
answers with results (exit 0) or one clear message (exit 2) — never a traceback, never an
internal error — and every event row read is used or dropped for a counted reason."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ona
from ona.cli import main

IDS = ["E1", "E2", "E3", "E4", "007", "x y"]
CELL = st.one_of(
    st.sampled_from(IDS + ["", " ", "NaN", "null", "=1+1", "-3", "1e400", "inf", "2026-03-01",
                           "2026-03-01T09:00:00Z", "epoch", "infinity", "294000-01-01", "0044-01-01 BC",
                           "E1;E2", ";;", "E9", "😀", "é", '"', "a,b", "\x00", "\t", "5", "2.5",
                           "-1", "1" * 40]),
    st.text(alphabet=string.printable + "é😀\x00", max_size=12),
)
PEOPLE_COLUMNS = ["employee_id", "department", "name", "team", "level", "manager_id",
                  "performance", "hire_date", "survey_response", "Employee ID", "😀", ""]
EVENT_COLUMNS = ["timestamp", "channel", "sender_id", "recipient_ids", "duration_minutes", "weight", "x"]
SURVEY_COLUMNS = ["source_id", "target_id", "relation", "weight", "date"]


def _table(draw, columns, required, rows):
    header = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns)))
    header = list(dict.fromkeys(required + header)) if draw(st.booleans()) else header
    body = draw(st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=rows))
    if draw(st.booleans()) and body:  # a row with a field too few or too many
        body[-1] = body[-1][:-1] if draw(st.booleans()) else body[-1] + ["extra"]
    return header, body


def _write(path: Path, header, body, delimiter: str) -> None:
    import csv
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(body)


@st.composite
def folders(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    people = _table(draw, PEOPLE_COLUMNS, ["employee_id", "department"], 6)
    events = _table(draw, EVENT_COLUMNS, ["timestamp", "channel", "sender_id", "recipient_ids"], 8)
    survey = _table(draw, SURVEY_COLUMNS, ["source_id", "target_id", "relation"], 5) \
        if draw(st.booleans()) else None
    return delimiter, people, events, survey


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@pytest.mark.slow
@given(folders())
def test_any_input_gives_results_or_one_clear_error(tmp_path_factory, case):
    delimiter, people, events, survey = case
    folder = tmp_path_factory.mktemp("fuzz")
    _write(folder / "people.csv", *people, delimiter)
    _write(folder / "interactions.csv", *events, delimiter)
    if survey is not None:
        _write(folder / "relationships.csv", *survey, delimiter)
    code = main(["validate", str(folder)])
    assert code in (0, 2)
    if code == 0:
        net = ona.load(folder)
        if net.interactions is not None:
            quality = net.quality
            read = quality.rows_read["interactions.csv"]
            used = quality.rows_kept.get("interactions.csv", 0)
            dropped = quality.dropped_rows("interactions.csv")
            assert read == used + dropped
