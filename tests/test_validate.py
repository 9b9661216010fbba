"""Validation of the people and relationships tables: errors name file, row and column."""

from __future__ import annotations

import pytest

import ona
from ona.errors import InputError

from .conftest import write


def _error(folder, **kwargs) -> InputError:
    with pytest.raises(InputError) as err:
        ona.load(folder, **kwargs)
    return err.value


def test_missing_required_column_suggests_the_close_one(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,departmnt
        1,Sales
    """)
    err = _error(tmp_path)
    assert err.file == "people.csv" and err.column == "department"
    assert "Is it 'departmnt'?" in str(err)


def test_empty_employee_id_names_the_rows(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department
        1,Sales
        ,Sales
        3,Sales
        ,Research
    """)
    err = _error(tmp_path)
    assert err.column == "employee_id" and err.rows == [3, 5] and err.total == 2
    assert "people.csv, column 'employee_id': is empty in 2 rows (row 3 (empty); row 5 (empty))" in str(err)


def test_duplicate_employee_id_with_different_details_is_an_error(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department
        1,Sales
        2,Sales
        1,Research
    """)
    err = _error(tmp_path)
    assert err.rows == [2, 4] and err.column == "employee_id"
    assert "'1' appears on more than one row" in str(err)


def test_exact_duplicate_people_rows_are_dropped_and_counted(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department
        1,Sales
        2,Sales
        1,Sales
    """)
    net = ona.load(tmp_path)
    assert list(net.people.index) == ["1", "2"]
    assert net.quality.dropped_rows("people.csv") == 1


@pytest.mark.parametrize("column,value,problem", [
    ("level", "senior", "is not a whole number"),
    ("level", "2.5", "is not a whole number"),
    ("performance", "great", "is not a number"),
    ("hire_date", "31/12/2020", "is not an ISO 8601 date"),
])
def test_unreadable_people_values_name_row_and_column(tmp_path, column, value, problem):
    write(tmp_path, "people.csv", f"""
        employee_id,department,{column}
        1,Sales,
        2,Sales,{value}
    """)
    err = _error(tmp_path)
    assert (err.file, err.rows, err.column) == ("people.csv", [3], column)
    assert problem in str(err) and repr(value) in str(err)


def test_manager_pointing_nowhere_is_a_warning_or_with_strict_an_error(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department,manager_id
        1,Sales,
        2,Sales,1
        3,Sales,99
        4,Sales,4
    """)
    net = ona.load(tmp_path)
    assert net.people.loc["3", "manager_id"] is None or net.people["manager_id"].isna()["3"]
    assert net.people.loc["2", "manager_id"] == "1"
    warnings = " ".join(net.quality.warnings)
    assert "column 'manager_id'" in warnings and "row 4" in warnings and "row 5" in warnings
    err = _error(tmp_path, strict=True)
    assert (err.column, err.rows) == ("manager_id", [4])


def test_empty_department_becomes_unassigned_with_a_warning(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department
        1,Sales
        2,
    """)
    net = ona.load(tmp_path)
    assert net.people.loc["2", "department"] == "Unassigned"
    assert any("row 3" in w for w in net.quality.warnings)


def test_extra_people_columns_are_kept_as_attributes(tmp_path):
    write(tmp_path, "people.csv", """
        employee_id,department,age,cost_centre
        1,Sales,41,0042
        2,Sales,35,0043
    """)
    people = ona.load(tmp_path).people
    assert people["age"].tolist() == [41, 35]             # numbers become numbers
    assert people["cost_centre"].tolist() == ["0042", "0043"]  # id-like codes stay text


def test_relationship_rows_dropped_by_reason(people_dir):
    write(people_dir, "relationships.csv", """
        source_id,target_id,relation,weight
        002,001,advice,
        002,001,advice,
        002,001,Advocacy,2
        999,001,advice,
        002,999,advice,
        003,003,mentor,
        003,004,knows work,
    """)
    net = ona.load(people_dir)
    counts = {d.reason: d.count for d in net.quality.drops}
    assert counts == {"duplicate_row": 1, "unknown_source": 1, "unknown_target": 1, "self_tie": 1}
    ties = net.ties.set_index(["source_id", "target_id", "layer"])
    assert ties.loc[("002", "001", "advocacy"), "weight"] == 2.0
    assert ties.loc[("002", "001", "advice"), "weight"] == 1.0
    assert ("003", "004", "knows_work") in ties.index
    assert net.quality.rows_read["relationships.csv"] == 7
    assert net.quality.rows_kept["relationships.csv"] == 3


def test_relationship_statements_of_one_pair_combine(people_dir):
    write(people_dir, "relationships.csv", """
        source_id,target_id,relation,weight,date
        002,001,advice,1,2024-01-01
        002,001,advice,3,2024-07-01
    """)
    tie = ona.load(people_dir).ties.iloc[0]
    assert (tie["weight"], tie["count"]) == (3.0, 2.0)
    assert str(tie["first_contact"].date()) == "2024-01-01"
    assert str(tie["last_contact"].date()) == "2024-07-01"


def test_relationship_bad_weight_is_an_error_or_dropped(people_dir):
    write(people_dir, "relationships.csv", """
        source_id,target_id,relation,weight
        002,001,advice,1
        002,003,advice,-1
        002,004,advice,lots
    """)
    err = _error(people_dir)
    assert (err.file, err.column, err.rows, err.total) == ("relationships.csv", "weight", [3, 4], 2)
    net = ona.load(people_dir, on_invalid="drop")
    assert {d.reason: d.count for d in net.quality.drops} == {"invalid_value": 2}
    assert len(net.ties) == 1


def test_relationship_empty_relation_names_the_row(people_dir):
    write(people_dir, "relationships.csv", """
        source_id,target_id,relation
        002,001,advice
        002,003,
    """)
    err = _error(people_dir)
    assert (err.column, err.rows) == ("relation", [3])
