"""Safe with sensitive HR data: every row of the audit (issue: safe with sensitive HR data)
with its payload — formula injection, bounded uploads, pseudonymisation by allow-list,
small groups, complete outputs, impossible values, sessions."""

from __future__ import annotations

import base64
import gzip
import io
import os
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest

import ona
from ona.errors import ConfigError, InputError, OnaError
from ona.outputs import FORMULA_STARTS, OutputFolder, neutralize

# tab and carriage return cannot be in names: control characters are refused on input
EVIL = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]


def _org(folder: Path, names=None, extra_columns: dict | None = None, titles=None) -> Path:
    """Eight people in two departments with a little email; names and titles as given
    (titles default to the names)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"E{i}" for i in range(8)]
    names = names or [f"Person {i}" for i in range(8)]
    people = pd.DataFrame({"employee_id": ids, "name": names,
                           "department": ["A"] * 4 + ["B"] * 4, "team": ["A1"] * 4 + ["B1"] * 4,
                           "title": titles or names, "level": [3, 1, 1, 1, 2, 1, 1, 1],
                           "performance": [5, 4, 3, 5, 3, 4, 5, 3]})
    for column, values in (extra_columns or {}).items():
        people[column] = values
    people.to_csv(folder / "people.csv", index=False)
    rows = ["timestamp,channel,sender_id,recipient_ids"]
    pairs = [(0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (6, 7), (7, 4), (0, 4), (1, 5)]
    for k, (a, b) in enumerate(pairs * 3):
        rows.append(f"2026-03-{1 + k % 27:02d}T09:{k % 60:02d}:00Z,email,E{a},E{b}")
    (folder / "interactions.csv").write_text("\n".join(rows) + "\n")
    (folder / "relationships.csv").write_text("source_id,target_id,relation\nE0,E1,advocacy\nE4,E5,knows_work\n")
    return folder


def _text_cells(path: Path) -> list[str]:
    """Every text cell of a CSV or workbook output."""
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return [str(c) for c in frame.columns] + [v for v in frame.to_numpy().ravel() if isinstance(v, str)]
    book = openpyxl.load_workbook(path)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name}!{sheet.title}{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


@pytest.mark.slow
def test_no_output_cell_can_run_as_a_formula(tmp_path):
    data = _org(tmp_path / "data", names=EVIL + ["Plain Name", "Another", "Third", "Fourth"])
    out = tmp_path / "out"
    result = ona.analyze(data, out, panel=["E0", "E4"], slate=["E1", "E2", "E5"], exports=["xlsx"])
    review_out = tmp_path / "review"
    ona.review(data, "E0,E4", "E1,E2,E5", review_out)
    files = [p for p in list(out.rglob("*")) + list(review_out.rglob("*"))
             if p.suffix in (".csv", ".xlsx")]
    assert len(files) > 10
    for path in files:
        for text in _text_cells(path):
            assert not text.startswith(FORMULA_STARTS), f"{path.name}: {text!r}"
    people = pd.read_csv(out / "people_metrics.csv", dtype=str)
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in set(people["name"])  # readable, inert
    assert pd.to_numeric(people["performance"]).notna().all()  # numbers stay numbers
    assert result.people_metrics.loc["E0", "name"] == EVIL[0]  # the data itself is not changed


def test_neutralize_leaves_numbers_and_safe_text_alone():
    frame = pd.DataFrame({"a": ["=1", "ok", "\tx"], "b": [-1.5, 2.0, 3.0]}, index=["@x", "y", "z"])
    safe = neutralize(frame)
    assert safe["a"].tolist() == ["'=1", "ok", "'\tx"] and safe["b"].tolist() == [-1.5, 2.0, 3.0]
    assert safe.index.tolist()[0] == "'@x" and frame.loc["@x", "a"] == "=1"


# -- uploads ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    from ona.dashboard.store import Dataset, DatasetKey
    folder = _org(tmp_path_factory.mktemp("upload"))
    return Dataset(key=DatasetKey(str(folder)), result=ona.analyze(folder))


def _encoded(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def test_uploads_are_bounded_before_they_are_read(dataset):
    from ona.dashboard.pages.review import UPLOAD_LIMIT, ids_from_upload
    big = b"E1\n" * (UPLOAD_LIMIT // 3 + 10)
    with pytest.raises(OnaError, match="larger than 5 MB"):
        ids_from_upload(dataset, _encoded(big), "panel.csv", "panel")
    bomb = gzip.compress(b"0" * 50_000_000)
    with pytest.raises(OnaError, match="compressed files are not accepted"):
        ids_from_upload(dataset, _encoded(bomb), "panel.csv.gz", "panel")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)
    with pytest.raises(OnaError, match="unpacks to more"):
        ids_from_upload(dataset, _encoded(buffer.getvalue()), "panel.xlsx", "panel")


def test_upload_names_and_messages_never_show_server_paths(dataset):
    from ona.dashboard.pages.review import ids_from_upload
    for name in (".", "..", "a\x00b.csv", "x" * 300 + ".csv", "../../etc/passwd.csv"):
        try:
            ids, missing = ids_from_upload(dataset, _encoded(b"E1\nE9\n"), name, "panel")
        except OnaError as exc:
            assert "/tmp" not in str(exc) and "\x00" not in str(exc)
        else:
            assert ids == ["E1"] and missing == ["E9"]
    with pytest.raises(OnaError) as caught:
        ids_from_upload(dataset, _encoded(b"a,b\n1,2\n"), "panel.csv", "panel")
    assert "/tmp" not in str(caught.value) and "panel.csv" in str(caught.value)


def test_upload_takes_ids_or_names_with_or_without_a_header(dataset):
    from ona.dashboard.pages.review import ids_from_upload
    assert ids_from_upload(dataset, _encoded(b"E1\nE2\n"), "p.csv", "panel") == (["E1", "E2"], [])
    assert ids_from_upload(dataset, _encoded(b"name\nPerson 3\nperson 4\n"), "p.csv", "panel") == (["E3", "E4"], [])
    assert ids_from_upload(dataset, _encoded(b"Person 3\nNobody\n"), "p.txt", "panel") == (["E3"], ["Nobody"])


def test_a_headerless_panel_file_keeps_its_first_id(tmp_path):
    data = _org(tmp_path)
    (tmp_path / "panel.csv").write_text("E0\nE4\n")
    result = ona.review(data, tmp_path / "panel.csv", "E1,E5")
    assert result.review.panel["panel_id"].tolist() == ["E0", "E4"]
    (tmp_path / "bad.csv").write_text("E0\nE99\n")
    with pytest.raises(InputError, match="row 2"):
        ona.review(data, tmp_path / "bad.csv", "E1")


# -- pseudonymisation ---------------------------------------------------------------------

@pytest.mark.slow
def test_pseudonymised_outputs_carry_no_name_email_or_id(tmp_path, monkeypatch):
    monkeypatch.setenv("ONA_PSEUDONYM_KEY", "a-test-key-long-enough")
    extra = {"FirstName": [f"First{i}" for i in range(8)], "LastName": [f"Last{i}" for i in range(8)],
             "E-mail": [f"p{i}@corp.example" for i in range(8)],
             "Work Email": [f"w{i}@corp.example" for i in range(8)],
             "Manager Name": [f"Boss{i}" for i in range(8)]}
    data = _org(tmp_path / "data", names=[f"Secret{i} Name" for i in range(8)], extra_columns=extra,
                titles=["Lead"] + ["Specialist"] * 7)
    out = tmp_path / "out"
    ona.analyze(data, out, pseudonymize_ids=True, exports=["xlsx", "gexf", "graphml"],
                panel=["E0", "E4"], slate=["E1", "E5"])
    ona.review(data, "E0,E4", "E1,E5", tmp_path / "review", pseudonymize_ids=True)
    ona.compare_periods(data, ("2026-03-01", "2026-03-14"), ("2026-03-15", "2026-03-31"),
                        pseudonymize_ids=True).write(tmp_path / "compare")
    secrets = ([f"Secret{i}" for i in range(8)] + [f"First{i}" for i in range(8)]
               + [f"Last{i}" for i in range(8)] + ["corp.example"] + [f"Boss{i}" for i in range(8)])
    ids = [f"E{i}" for i in range(8)]
    checked = 0
    for path in [p for p in tmp_path.rglob("*") if p.is_file() and "data" not in p.parts]:
        if path.suffix == ".xlsx":
            text = " ".join(_text_cells(path))
        else:
            text = path.read_text(errors="replace")
        for secret in secrets:
            assert secret not in text, f"{path.name} holds {secret}"
        tokens = set(text.replace(",", " ").replace('"', " ").replace(">", " ").replace("<", " ").split())
        assert not tokens & set(ids), f"{path.name} holds an id"
        checked += 1
    assert checked >= 15


def test_a_column_can_be_kept_on_request_but_never_a_name():
    people = pd.DataFrame({"department": ["A", "A"], "grade": ["x", "y"], "name": ["Ann", "Bo"]},
                          index=pd.Index(["1", "2"], name="employee_id"))
    ties = pd.DataFrame(columns=["source_id", "target_id", "layer", "kind", "weight", "count"])
    net = ona.OrgNetwork(people, ties)
    assert list(ona.pseudonymize(net, "key-of-enough-length", keep_columns=["Grade"]).people.columns) == [
        "department", "grade"]
    with pytest.raises(ConfigError, match="identify people"):
        ona.pseudonymize(net, "key-of-enough-length", keep_columns=["name"])


# -- small groups ---------------------------------------------------------------------------

def test_a_group_under_the_minimum_never_shows_through_the_merged_row():
    from ona.groups import department_table, group_bridges, group_matrix, tribe_department_table
    from ona.ties import TieArrays
    people = pd.DataFrame({"department": ["A"] * 6 + ["B"] * 6 + ["Solo"]})
    g = nx.path_graph(13)
    u, v = map(np.array, zip(*g.edges()))
    ties = TieArrays(n=13, u=u, v=v, w=np.ones(len(u)), s=np.array([], int), t=np.array([], int),
                     ws=np.array([]))
    table = department_table(people, ties)
    assert table["department"].tolist() == ["A", "B"] or set(table["department"]) == {"A", "B"}
    assert int(table["size"].sum()) == 12
    assert list(group_matrix(people, ties).index) == ["A", "B"]
    bridges = group_bridges(people, ties)
    assert set(bridges["group_a"]) | set(bridges["group_b"]) == {"A", "B"}
    assert not bridges["bridges"].str.contains("12").any()  # the solo member is nowhere
    assert "12" not in set(ona.bridge_people(people, ties)["employee_id"])
    tribes = ona.TribeResult(membership=pd.Series([1] * 6 + [2] * 6 + [3]), modularity=0.0,
                             method="louvain", engine="python-louvain", resolution=1.0, seed=0)
    crosstab = tribe_department_table(people, tribes)
    assert int(crosstab.to_numpy().sum()) == 12 and "Solo" not in crosstab.columns
    assert "Solo" not in set(ona.tribe_department_shares(people, tribes)["department"])


# -- complete outputs -----------------------------------------------------------------------

def test_a_failed_run_leaves_the_previous_results_and_no_partial_files(tmp_path):
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        folder.path("people_metrics.csv").write_text("first run\n")
        folder.path("run.json").write_text("{}\n")
    with pytest.raises(RuntimeError):
        with OutputFolder(out) as folder:
            folder.path("people_metrics.csv").write_text("half of the second")
            raise RuntimeError("stopped")
    assert (out / "people_metrics.csv").read_text() == "first run\n"
    assert sorted(p.name for p in out.iterdir()) == ["people_metrics.csv", "run.json"]


@pytest.mark.slow
def test_a_second_run_into_the_same_folder_is_refused_while_one_writes(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".ona-writing.lock").write_text(str(os.getppid()))  # a live process holds it
    with pytest.raises(ConfigError, match="another ona run"):
        ona.analyze(_org(tmp_path / "data"), out)
    (out / ".ona-writing.lock").write_text("999999999")  # a run that died: taken over
    result = ona.analyze(tmp_path / "data", out)
    assert (out / "run.json").exists() and not (out / ".ona-writing.lock").exists()
    assert result.files[-1] == out / "run.json"


# -- values no one could mean ------------------------------------------------------------------

@pytest.mark.parametrize("stamp", ["infinity", "-infinity", "epoch", "now", "294000-01-01",
                                   "0044-03-15 BC", "1969-12-31T23:59:59Z", "2999-01-01"])
def test_impossible_timestamps_are_errors_naming_the_row(tmp_path, stamp):
    data = _org(tmp_path)
    with open(data / "interactions.csv", "a") as fh:
        fh.write(f"{stamp},email,E0,E1\n")
    with pytest.raises(InputError) as caught:
        ona.load(data)
    assert "row 32" in str(caught.value) and "timestamp" in str(caught.value)
    net = ona.load(data, on_invalid="drop")
    assert dict((d.reason, d.count) for d in net.quality.drops)["invalid_value"] == 1


@pytest.mark.parametrize("column,value,problem", [
    ("performance", "inf", "is not a number .finite"), ("performance", "1e400", "is not a number .finite"),
    ("level", "1e30", "whole number"), ("employee_id", "E\x00X", "control character"),
    ("name", "Ann\x07", "control character")])
def test_impossible_people_values_are_errors_naming_the_cell(tmp_path, column, value, problem):
    data = _org(tmp_path)
    people = pd.read_csv(data / "people.csv", dtype=str)
    people.loc[2, column] = value
    people.to_csv(data / "people.csv", index=False)
    with pytest.raises(InputError, match=problem) as caught:
        ona.load(data)
    assert "row 4" in str(caught.value)


def test_malformed_tables_are_clear_errors(tmp_path):
    data = _org(tmp_path)
    text = (data / "people.csv").read_text().splitlines()
    (data / "people.csv").write_text("\n".join([text[0] + ",department"] + [t + ",X" for t in text[1:]]) + "\n")
    with pytest.raises(InputError, match="two columns that both mean 'department'"):
        ona.load(data)
    (data / "people.csv").write_text("\n".join(text[:3] + [text[3].rsplit(",", 2)[0]] + text[4:]) + "\n")
    with pytest.raises(InputError, match="row 4.*fields"):
        ona.load(data)
    (data / "people.csv").write_text("\n".join(text) + "\n")
    events = (data / "interactions.csv").read_text().splitlines()
    doubled = [events[0] + ",sender_id"] + [e + ",x" for e in events[1:]]
    (data / "interactions.csv").write_text("\n".join(doubled) + "\n")
    with pytest.raises(InputError, match="two columns that both mean 'sender_id'"):
        ona.load(data)
    huge = f'2026-03-02T09:00:00Z,email,E0,"{"E1;" * 3_500_000}"'
    (data / "interactions.csv").write_text("\n".join([*events[:5], huge, *events[5:]]) + "\n")
    with pytest.raises(InputError, match="row 6"):
        ona.load(data)


def test_a_utf16_semicolon_file_reads_as_columns(tmp_path):
    data = _org(tmp_path)
    people = pd.read_csv(data / "people.csv", dtype=str)
    (data / "people.csv").write_bytes(people.to_csv(index=False, sep=";").encode("utf-16"))
    assert len(ona.load(data).people) == 8


def test_workbooks_say_which_sheet_and_refuse_uncomputed_formulas(tmp_path):
    data = _org(tmp_path)
    people = pd.read_csv(data / "people.csv", dtype=str)
    (data / "people.csv").unlink()
    with pd.ExcelWriter(data / "people.xlsx") as writer:
        people.to_excel(writer, sheet_name="Staff", index=False)
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Notes", index=False)
    net = ona.load(data)
    assert any("read 'Staff'" in w and "--sheet" in w for w in net.quality.warnings)
    with pytest.raises(InputError, match="no sheet 'Other'"):
        ona.load(data, sheet="Other")
    book = openpyxl.load_workbook(data / "people.xlsx")
    book["Staff"]["H3"] = "=1+1"  # a formula with no saved value
    book.save(data / "people.xlsx")
    with pytest.raises(InputError, match="formula.*no saved value"):
        ona.load(data)


def test_a_file_whose_rows_are_all_dropped_is_a_warning(tmp_path):
    data = _org(tmp_path)
    (data / "interactions.csv").write_text("timestamp,channel,sender_id,recipient_ids\n"
                                           "2026-03-01T09:00:00Z,email,X1,E0\n2026-03-01T09:00:00Z,email,X2,E1\n")
    net = ona.load(data)
    assert any("all 2 rows were dropped" in w for w in net.quality.warnings)


@pytest.mark.slow
def test_command_line_errors_exit_2_without_a_traceback(tmp_path, capsys):
    from ona.cli import main
    data = _org(tmp_path)
    people = pd.read_csv(data / "people.csv", dtype=str)
    people.columns = ["employee_id", "😀", "department", "team", "title", "level", "performance"]
    people.to_csv(data / "people.csv", index=False)
    assert main(["analyze", str(data), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    people["level"] = ["1e30"] * 8
    people.to_csv(data / "people.csv", index=False)
    assert main(["analyze", str(data), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err and "level" in err


# -- figures -------------------------------------------------------------------------------

def test_department_names_are_text_in_charts(tmp_path):
    data = _org(tmp_path)
    people = pd.read_csv(data / "people.csv", dtype=str)
    people["department"] = ["<a href='http://evil.example'>A</a>"] * 4 + ["B"] * 4
    people.to_csv(data / "people.csv", index=False)
    result = ona.analyze(data, groups=ona.GroupSettings(min_group_size=1),
                         confidence=ona.ConfidenceSettings(replicates=0))
    for fig in (ona.department_heatmap(result.department_matrix), ona.ei_chart(result.departments)):
        dumped = fig.to_json()
        assert "<a href" not in dumped and "&lt;a href" in dumped
