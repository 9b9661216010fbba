"""The Excel workbook, the Gephi files (read back with networkx) and the period comparison."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import openpyxl
import pytest

import ona
from ona.cli import main

from .conftest import write


@pytest.fixture(scope="module")
def acme_result():
    return ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))


def test_workbook_holds_every_table(acme_result, tmp_path: Path) -> None:
    acme = ona.sample_path("acme")
    review = ona.review(acme, acme / "panel.csv", acme / "slate.csv").review
    path = ona.write_workbook(acme_result, tmp_path / "results", review=review)
    assert path.name == "results.xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["About", "People", "Hidden talent", "Tribes", "Departments",
                               "Department matrix", "Tribe x department", "Bridges", "Bridge people",
                               "Tribe x department shares", "Data quality",
                               "Review candidates", "Review matrix", "Review panel", "Review ties",
                               "Introductions"]
    # header row + one row per person / tribe / candidate
    assert book["People"].max_row == 1 + len(acme_result.people_metrics)
    assert book["Tribes"].max_row == 1 + len(acme_result.tribe_table)
    assert book["Review candidates"].max_row == 1 + len(review.candidates)
    # for people: who first, readable headers, numbers rounded, the header frozen
    header = [c.value for c in next(book["People"].iter_rows(max_row=1))]
    assert header[:4] == ["employee id", "name", "title", "department"]
    sheet = openpyxl.load_workbook(path)["People"]
    assert sheet.freeze_panes == "A2"
    visibility = header.index("visibility") + 1
    assert all(round(c.value, 2) == c.value for c in next(sheet.iter_cols(min_col=visibility, max_col=visibility,
                                                                          min_row=2)))
    about = {r[0]: r[1] for r in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["people"] == str(len(acme_result.people_metrics))


@pytest.mark.slow
@pytest.mark.parametrize("fmt, reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_gephi_files_read_back(acme_result, tmp_path: Path, fmt, reader) -> None:
    path = ona.write_graph(acme_result, tmp_path / f"network.{fmt}")
    graph = reader(path)
    ties = acme_result.ties
    assert graph.number_of_nodes() == len(acme_result.people_metrics)
    assert graph.number_of_edges() == len(ties.u)
    total = sum(d["weight"] for _, _, d in graph.edges(data=True))
    assert total == pytest.approx(float(ties.w.sum()))
    person = acme_result.people_metrics.index[0]
    node = graph.nodes[str(person)]
    row = acme_result.people_metrics.loc[person]
    assert node["department"] == row["department"]
    assert int(node["tribe"]) == int(row["tribe"])
    assert float(node["betweenness"]) == pytest.approx(float(row["betweenness"]))


@pytest.mark.slow
def test_analyze_command_exports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(ona.sample_path("krackhardt")), "--out", str(out), "--quiet",
                 "--stability-seeds", "0", "--export", "xlsx,gexf,graphml"]) == 0
    assert {"ona_results.xlsx", "network.gexf", "network.graphml"} <= {p.name for p in out.iterdir()}
    assert nx.read_gexf(out / "network.gexf").number_of_nodes() == 21
    assert main(["analyze", str(ona.sample_path("krackhardt")), "--out", str(out), "--quiet",
                 "--export", "pdf"]) == 2


@pytest.mark.slow
def test_analyze_with_a_review_puts_it_in_the_workbook(tmp_path: Path) -> None:
    acme = ona.sample_path("acme")
    out = tmp_path / "out"
    assert main(["analyze", str(acme), "--out", str(out), "--quiet", "--stability-seeds", "0",
                 "--panel", str(acme / "panel.csv"), "--slate", str(acme / "slate.csv"),
                 "--export", "xlsx"]) == 0
    book = openpyxl.load_workbook(out / "ona_results.xlsx", read_only=True)
    slate = (acme / "slate.csv").read_text().strip().splitlines()[1:]
    assert book["Review candidates"].max_row == 1 + len(slate)
    assert (out / "review" / "talent_review.csv").exists()
    assert main(["analyze", str(acme), "--out", str(out), "--panel", str(acme / "panel.csv")]) == 2


# --- period over period ---------------------------------------------------------------------

PEOPLE = """
employee_id,department,team,level
a1,Sales,S,1
a2,Sales,S,1
a3,Sales,S,1
b1,Ops,O,1
b2,Ops,O,1
b3,Ops,O,1
c1,Legal,L,1
c2,Legal,L,1
c3,Legal,L,1
"""


def _events(rows: list[tuple[str, str, str, int]]) -> str:
    """CSV of one-to-one emails: (date, sender, recipient, how many)."""
    lines = ["timestamp,channel,sender_id,recipient_ids"]
    for day, s, r, k in rows:
        lines += [f"{day}T{9 + i:02d}:00:00,email,{s},{r}" for i in range(k)]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_period_comparison_by_hand(tmp_path: Path) -> None:
    # January (31 days): Sales works with Ops (a1-b1, 6 emails); inside teams 4 emails a pair.
    # March (31 days): Sales turns to Legal (a1-c1, 6 emails) and a2 becomes the bridge to
    # Ops (a2-b2, 3 emails, half the old Sales-Ops weight); Ops-Legal starts (b3-c3, 2).
    inside = [("a1", "a2"), ("a2", "a3"), ("b1", "b2"), ("b2", "b3"), ("c1", "c2"), ("c2", "c3")]
    jan = [("2026-01-10", s, r, 4) for s, r in inside] + [("2026-01-12", "a1", "b1", 6)]
    mar = [("2026-03-10", s, r, 4) for s, r in inside] + [
        ("2026-03-12", "a1", "c1", 6), ("2026-03-13", "a2", "b2", 3), ("2026-03-14", "b3", "c3", 2)]
    write(tmp_path, "people.csv", PEOPLE)
    (tmp_path / "interactions.csv").write_text(_events(jan + mar))
    # every contact is a tie here (nine people: random mixing would put everyone in touch,
    # so the default above-chance rule keeps only the strongest pairs)
    result = ona.compare_periods(tmp_path, ("2026-01-01", "2026-01-31"), ("2026-03-01", "2026-03-31"),
                                 min_group_size=1, rule=ona.TieRule("all"))
    assert result.periods["before"]["days"] == result.periods["after"]["days"] == 31
    ties = result.department_ties.set_index(["department_a", "department_b"])
    per30 = 30 / 31
    assert ties.loc[("Ops", "Sales"), "weight_per_30_days_before"] == pytest.approx(6 * per30)
    assert ties.loc[("Ops", "Sales"), "weight_per_30_days_after"] == pytest.approx(3 * per30)
    assert ties.loc[("Ops", "Sales"), "status"] == "faded"  # halved
    assert ties.loc[("Legal", "Sales"), "status"] == "new"
    assert ties.loc[("Legal", "Ops"), "status"] == "new"
    assert ties.loc[("Sales", "Sales"), "status"] == "steady"
    people = result.people
    assert people.loc["a1", "cross_department_ties_before"] == 1
    assert people.loc["a1", "cross_department_ties_after"] == 1
    assert people.loc["a2", "cross_department_ties_before"] == 0
    assert people.loc["a2", "cross_department_ties_after"] == 1
    assert people.loc["a2", "status"] == "more visible"
    assert people.loc["b1", "status"] == "less visible"  # lost its only outside tie
    # the command line writes both tables
    out = tmp_path / "cmp"
    assert main(["compare", str(tmp_path), "--before", "2026-01-01:2026-01-31",
                 "--after", "2026-03-01:2026-03-31", "--out", str(out), "--min-group-size", "1",
                 "--tie-rule", "all"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["compare_department_ties.csv", "compare_people.csv"]
    assert main(["compare", str(tmp_path), "--before", "2026-01-01", "--after",
                 "2026-03-01:2026-03-31", "--out", str(out)]) == 2


def test_period_comparison_equal_periods_are_steady(tmp_path: Path) -> None:
    inside = [("a1", "b1"), ("b1", "c1"), ("a2", "a3")]
    rows = [(day, s, r, 3) for day in ("2026-01-05", "2026-02-05") for s, r in inside]
    write(tmp_path, "people.csv", PEOPLE)
    (tmp_path / "interactions.csv").write_text(_events(rows))
    result = ona.compare_periods(tmp_path, ("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-03-03"),
                                 min_group_size=1)
    assert set(result.department_ties["status"]) == {"steady"}
    assert np.allclose(result.department_ties["change"], 0)
    assert set(result.people["status"]) <= {"steady", "no ties"}
