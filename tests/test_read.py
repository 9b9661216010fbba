"""Reading files: every format gives the same table; every unreadable file one clear error."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

import ona
from ona.errors import InputError
from ona.read import find_input, read_table

from .conftest import PEOPLE, write


def _people_frame() -> pd.DataFrame:
    return pd.read_csv(pd.io.common.StringIO(PEOPLE.strip()), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet", ".xlsx"])
def test_every_format_loads_the_same_people(tmp_path, suffix):
    frame = _people_frame()
    path = tmp_path / f"people{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".csv.gz":
        with gzip.open(path, "wt") as fh:
            frame.to_csv(fh, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)
    net = ona.load(tmp_path)
    assert list(net.people.index) == ["001", "002", "003", "004"]  # leading zeros kept
    assert net.people.loc["002", "manager_id"] == "001"
    assert net.people["level"].tolist() == [3, 1, 1, 1]
    assert net.people.loc["003", "performance"] == 5.0


def test_numeric_ids_in_parquet_do_not_become_floats(tmp_path):
    pd.DataFrame({"employee_id": [10, 11], "department": ["A", "B"],
                  "manager_id": [None, 10]}).to_parquet(tmp_path / "people.parquet")
    net = ona.load(tmp_path)
    assert list(net.people.index) == ["10", "11"]
    assert net.people.loc["11", "manager_id"] == "10"


def test_headers_are_normalised_and_semicolon_files_read(tmp_path):
    write(tmp_path, "people.csv", """
        Employee ID;Department;Job Title
        7;Sales;Rep
    """)
    table = read_table(tmp_path / "people.csv")
    assert list(table.columns) == ["employee_id", "department", "job_title", "_row"]
    assert table.iloc[0]["employee_id"] == "7"


def test_utf16_file_with_byte_order_mark_is_read(tmp_path):
    text = "employee_id,department\nA1,Zürich office\n"
    (tmp_path / "people.csv").write_bytes(text.encode("utf-16"))
    net = ona.load(tmp_path)
    assert net.people.loc["A1", "department"] == "Zürich office"


def test_wrong_encoding_names_file_and_row_and_what_to_do(tmp_path):
    (tmp_path / "people.csv").write_bytes(
        "employee_id,department\n1,Sales\n2,Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        ona.load(tmp_path)
    message = str(err.value)
    assert "people.csv" in message and "row 3" in message and "UTF-8" in message
    assert "--encoding" in message
    # and with the encoding given, it loads
    assert ona.load(tmp_path, encoding="latin-1").people.loc["2", "department"] == "Café"


def test_empty_file_is_a_clear_error(tmp_path):
    (tmp_path / "people.csv").write_text("")
    with pytest.raises(InputError, match=r"people\.csv: is empty"):
        ona.load(tmp_path)


def test_header_only_people_file_is_a_clear_error(tmp_path):
    write(tmp_path, "people.csv", "employee_id,department")
    with pytest.raises(InputError, match="has a header but no people"):
        ona.load(tmp_path)


def test_damaged_parquet_and_excel_are_clear_errors(tmp_path):
    (tmp_path / "people.parquet").write_bytes(b"not a parquet file at all")
    with pytest.raises(InputError, match=r"people\.parquet: cannot be read as Parquet"):
        ona.load(tmp_path)
    (tmp_path / "people.parquet").unlink()
    (tmp_path / "people.xlsx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InputError, match=r"people\.xlsx: cannot be read"):
        ona.load(tmp_path)


def test_ragged_csv_names_the_row(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department
        1,Sales
        2,Sales,extra,fields
    """)
    with pytest.raises(InputError, match=r"people\.csv, row 3: has 4 fields on this row where the header has 2"):
        ona.load(tmp_path)


def test_two_candidate_files_are_ambiguous(people_dir):
    _people_frame().to_parquet(people_dir / "people.parquet")
    with pytest.raises(InputError, match="more than one 'people' input"):
        find_input(people_dir, "people")


def test_missing_people_file_and_folder(tmp_path):
    with pytest.raises(InputError, match=r"people\.csv: not found"):
        ona.load(tmp_path)
    with pytest.raises(InputError, match="is not a folder"):
        ona.load(tmp_path / "nowhere")


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    (tmp_path / "people.csv").write_text("employee_id,department\n1,Sales\n\n,Sales\n")
    with pytest.raises(InputError) as err:
        ona.load(tmp_path)
    assert err.value.rows == [4]  # the spreadsheet row of the empty id
