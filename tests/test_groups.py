"""Departments: E-I index and its baseline by hand, silo flags on planted silos, group size."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ona
from ona.groups import (
    SMALL_GROUPS,
    SMALL_TRIBES,
    department_table,
    group_bridges,
    group_matrix,
    tribe_department_table,
    tribe_table,
)
from ona.metrics import tie_arrays


def _arrays(graph: nx.Graph, n: int) -> ona.centrality.TieArrays:
    u, v = zip(*graph.edges())
    return ona.centrality.TieArrays(n=n, u=np.array(u), v=np.array(v), w=np.ones(len(u)),
                                    s=np.array([], int), t=np.array([], int), ws=np.array([]))


def test_ei_index_and_baseline_by_hand():
    # Ten people who all work with each other, five in A and five in B: each department
    # has 10 ties inside and 25 to the other: E-I = (25 - 10) / 35. Baseline: each person
    # has 9 ties, D = 45 of 2W = 90 tie ends: expected inside 45^2 / (4 * 45) = 11.25,
    # outside 45 - 22.5 = 22.5: E-I = 11.25 / 33.75.
    people = pd.DataFrame({"department": list("AAAAABBBBB")})
    table = department_table(people, _arrays(nx.complete_graph(10), 10)).set_index("department")
    assert table.loc["A", "ei_index"] == pytest.approx(15 / 35)
    assert table.loc["A", "ei_expected"] == pytest.approx(11.25 / 33.75)
    assert table.loc["A", "insularity"] == pytest.approx(10 / 35)
    assert not table["silo"].any()


def test_small_departments_are_merged_not_shown(tmp_path):
    people = pd.DataFrame({"department": ["A"] * 6 + ["B"] * 3 + ["C"] * 2})
    table = department_table(people, _arrays(nx.path_graph(11), 11))
    assert table["department"].tolist()[0] == "A"
    last = table.iloc[-1]
    assert last["department"] == f"{SMALL_GROUPS}: 2 departments" and last["size"] == 5
    assert pd.isna(last["ei_index"]) and not last["silo"]


@pytest.mark.slow
def test_planted_silos_are_the_most_closed_and_the_only_ones_flagged(generated):
    folder, truth = generated
    result = ona.analyze(folder)
    table = result.departments
    silos = set(truth["silo_departments"])
    assert set(table.loc[table["silo"], "department"]) == silos
    assert set(table["department"].head(len(silos))) == silos  # most closed first
    shown = table[~table["department"].str.startswith(SMALL_GROUPS)]
    assert (shown["ei_index_weighted"] < shown["ei_expected_weighted"]).all()
    assert table["tribes"].str.len().gt(0).sum() >= len(shown) - 1


def test_lazega_offices_keep_to_themselves_and_providence_is_too_small():
    net = ona.load(ona.sample_path("lazega"))
    arrays = tie_arrays(net, layers=["advice"])
    table = department_table(net.people, arrays).set_index("department")
    assert {"Boston", "Hartford"} <= set(table.index)
    assert "Providence" not in table.index  # 4 lawyers: under the minimum group size
    for office in ("Boston", "Hartford"):
        assert table.loc[office, "ei_index"] < table.loc[office, "ei_expected"]


def _two_teams():
    """A and B, six people each, all tied within; only a0 reaches B (a0-b0 weight 2,
    a0-b1 weight 1)."""
    ids = [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(6)]
    people = pd.DataFrame({"department": ["A"] * 6 + ["B"] * 6}, index=pd.Index(ids, name="employee_id"))
    graph = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
    u, v = zip(*graph.edges())
    u, v = list(u) + [0, 0], list(v) + [6, 7]
    w = [1.0] * graph.number_of_edges() + [2.0, 1.0]
    arrays = ona.centrality.TieArrays(n=12, u=np.array(u), v=np.array(v), w=np.array(w),
                                      s=np.array([], int), t=np.array([], int), ws=np.array([]))
    return people, arrays


def _partition(people, labels):
    membership = pd.Series(labels, index=people.index, name="tribe")
    return ona.tribes.TribeResult(membership=membership, modularity=0.0, method="louvain",
                                  engine="igraph", resolution=1.0, seed=0)


def test_a_silo_s_only_link_out_is_named():
    people, arrays = _two_teams()
    table = department_table(people, arrays, min_group_size=5).set_index("department")
    assert table.loc["A", "people_with_outside_ties"] == 1
    assert table.loc["A", "bridges"] == "a0 (100%)"
    assert table.loc["B", "people_with_outside_ties"] == 2
    assert table.loc["B", "bridges"] == "b0 (67%); b1 (33%)"
    assert table.loc["A", "ei_index"] == pytest.approx((2 - 15) / 17)


def test_department_matrix_and_pair_bridges_by_hand():
    people, arrays = _two_teams()
    matrix = group_matrix(people, arrays)
    assert matrix.loc["A", "A"] == 15 and matrix.loc["B", "B"] == 15
    assert matrix.loc["A", "B"] == matrix.loc["B", "A"] == 3
    counts = group_matrix(people, arrays, weighted=False)
    assert counts.loc["A", "B"] == 2
    pairs = group_bridges(people, arrays)
    assert pairs.to_dict("records") == [{"group_a": "A", "group_b": "B", "ties": 2, "weight": 3.0,
                                         "people_a": 1, "people_b": 2,
                                         "bridges": "a0 (100%); b0 (67%); b1 (33%)"}]
    # the same carriers, one row each (tidy), with the shares of the pair's weight
    tidy = ona.bridge_people(people, arrays)
    assert tidy[["employee_id", "group", "weight", "share"]].values.tolist() == [
        ["a0", "A", 3.0, 1.0], ["b0", "B", 2.0, 2 / 3], ["b1", "B", 1.0, 1 / 3]]
    assert set(tidy[["group_a", "group_b"]].itertuples(index=False)) == {("A", "B")}
    assert ona.bridge_people(people, arrays, top=1)["employee_id"].tolist() == ["a0"]


def test_tribe_table_by_hand_and_small_tribes_merged():
    people, arrays = _two_teams()
    labels = [1] * 6 + [2] * 6
    stability = pd.DataFrame({"tribe": [1, 2], "size": [6, 6], "stability": [1.0, 0.4],
                              "unstable": [False, True]})
    table = tribe_table(people, arrays, _partition(people, labels), stability=stability)
    first = table.iloc[0]
    assert first["tribe"] == 1 and first["size"] == 6 and first["top_departments"] == "A (100%)"
    assert first["internal_share"] == pytest.approx(15 / 18)
    assert first["bridges"] == "a0 (100%)" and first["stability"] == 1.0
    assert table.iloc[1]["unstable"]
    # split B into tribes of 4 and 2: both under 5, merged into one row
    labels = [1] * 6 + [2] * 4 + [3] * 2
    table = tribe_table(people, arrays, _partition(people, labels))
    assert len(table) == 2 and table.iloc[1]["top_departments"] == ""
    assert table.iloc[1]["tribe"] == f"{SMALL_TRIBES}: 2 tribes" and table.iloc[1]["size"] == 6
    crosstab = tribe_department_table(people, _partition(people, labels))
    assert crosstab.index.tolist() == ["1", SMALL_TRIBES]
    assert crosstab.loc[SMALL_TRIBES, "B"] == 6 and crosstab.loc["1", "A"] == 6


def test_uk_faculty_schools_are_insular_and_the_two_person_school_is_left_out():
    # 81.4% of ties stay within a school (dataset README); school 4 has two people: under
    # the minimum group size even as the "small groups" row, so it is in no group view
    net = ona.load(Path(__file__).parent / "data" / "uk_faculty")
    arrays = tie_arrays(net)
    matrix = group_matrix(net.people, arrays, weighted=False)
    assert list(matrix.index) == ["School 1", "School 2", "School 3"]
    table = department_table(net.people, arrays).set_index("department")
    assert list(table.index) == ["School 1", "School 2", "School 3"] or set(table.index) == {
        "School 1", "School 2", "School 3"}
    assert (table.loc[["School 1", "School 2", "School 3"], "ei_index"] < 0).all()
    shown = net.people["department"].ne("School 4").to_numpy()
    among = int((shown[arrays.u] & shown[arrays.v]).sum())
    assert matrix.to_numpy().sum() - np.triu(matrix.to_numpy(), 1).sum() == among
    assert np.trace(matrix.to_numpy()) / among > 0.75


@pytest.mark.slow
def test_analysis_writes_every_group_view(generated, tmp_path):
    folder, truth = generated
    result = ona.analyze(folder, tmp_path)
    names = {p.name for p in result.files}
    assert {"tribes.csv", "departments.csv", "department_matrix.csv", "tribe_departments.csv",
            "bridges.csv"} <= names
    tribes = pd.read_csv(tmp_path / "tribes.csv")
    people = pd.read_csv(tmp_path / "people_metrics.csv", dtype={"employee_id": str})
    shown = tribes[pd.to_numeric(tribes["tribe"], errors="coerce").notna()]
    assert (shown["size"] >= 5).all() and shown["stability"].between(0, 1).all()
    assert tribes["size"].sum() == (people["tribe"] > 0).sum()
    # the planted group's tribe spans its departments
    group_tribe = people.set_index("employee_id").loc[truth["cross_department_group"]["members"], "tribe"]
    assert group_tribe.nunique() == 1
    row = shown[shown["tribe"].astype(int) == group_tribe.iloc[0]].iloc[0]
    assert row["departments"] >= 4
    # the silos' few links out are named
    departments = pd.read_csv(tmp_path / "departments.csv").set_index("department")
    for silo in truth["silo_departments"]:
        assert departments.loc[silo, "bridges"].count("%") >= 1
    bridges = pd.read_csv(tmp_path / "bridges.csv")
    assert set(bridges["level"]) == {"department", "tribe"}
    carriers = pd.read_csv(tmp_path / "bridge_people.csv", dtype={"employee_id": str})
    assert set(carriers["level"]) == {"department", "tribe"}
    by_pair = carriers.groupby(["level", "group_a", "group_b", "group"])["share"].sum()
    assert (by_pair <= 1 + 1e-9).all() and carriers.groupby(["level", "group_a", "group_b"]).size().max() <= 10
    shares = pd.read_csv(tmp_path / "tribe_department_shares.csv")
    crosstab = pd.read_csv(tmp_path / "tribe_departments.csv", index_col=0)
    assert shares["people"].sum() == crosstab.to_numpy().sum()
    assert np.allclose(shares.groupby("tribe")["share_of_tribe"].sum(), 1.0)
    record = json.loads((tmp_path / "run.json").read_text())
    assert 0 < record["tribes"]["agreement_with_departments"]["nmi"] <= 1
    matrix = pd.read_csv(tmp_path / "department_matrix.csv", index_col=0)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()


def test_group_functions_take_the_network_like_the_person_functions():
    net = ona.load(ona.sample_path("acme"))
    ties = ona.tie_arrays(net)
    pd.testing.assert_frame_equal(ona.department_table(net), ona.department_table(net.people, ties))
    pd.testing.assert_frame_equal(ona.group_matrix(net), ona.group_matrix(net.people, ties))
    pd.testing.assert_frame_equal(ona.group_bridges(net), ona.group_bridges(net.people, ties))
    with pytest.raises(ona.ConfigError, match="pass its ties too"):
        ona.department_table(net.people)


def test_group_and_tribe_functions_take_any_networkx_graph():
    """Zachary's karate club as a plain networkx graph: the club split as the department;
    the cross-club weight and the head counts are what networkx itself says."""
    graph = nx.karate_club_graph()
    nx.set_node_attributes(graph, {n: d["club"] for n, d in graph.nodes(data=True)}, "department")
    crossing = sum(d.get("weight", 1) for a, b, d in graph.edges(data=True)
                   if graph.nodes[a]["club"] != graph.nodes[b]["club"])
    matrix = ona.group_matrix(graph)
    assert matrix.loc["Mr. Hi", "Officer"] == matrix.loc["Officer", "Mr. Hi"] == crossing
    table = ona.department_table(graph).set_index("department")
    assert table["size"].sum() == 34 and set(table.index) == {"Mr. Hi", "Officer"}
    carriers = ona.bridge_people(graph)
    assert np.isclose(carriers.loc[carriers["group"] == "Mr. Hi", "weight"].sum(), crossing)
    tribes = ona.detect_tribes(graph, seed=0)
    assert tribes.membership.index.tolist() == [str(n) for n in graph.nodes]
    assert 2 <= tribes.membership.nunique() <= 6 and tribes.modularity > 0.3


@pytest.mark.slow
def test_tribe_silos_are_the_tribe_table_s_flags(unseen_closed_result):
    # the confidence reruns take the flags without the rest of the table: the same flags,
    # the merged small tribes included
    from ona.groups import tribe_silos
    result = unseen_closed_result
    people, ties, tribes = result.network.people, result.ties, result.tribes
    for size in (5, 40):
        table = tribe_table(people, ties, tribes, min_group_size=size)
        assert tribe_silos(people, ties, tribes, min_group_size=size) == dict(zip(table["tribe"], table["silo"]))
    flags = tribe_silos(people, ties, tribes)
    assert any(flags.values()) and not all(flags.values())
    merged = tribe_silos(people, ties, tribes, min_group_size=40)
    assert any(str(t).startswith(SMALL_TRIBES) for t in merged)


def test_tribe_labels_by_hand():
    # tribe 1: Ops 2, Eng 2, HR 1 of 5 (share 0.2: all three; equal counts by name);
    # tribe 2: five departments of one each (share 0.2 of 5: all, so "+ others");
    # tribes 3 and 4: the same make-up, numbered apart; tribe 5: no department known
    from ona.groups import tribe_labels
    from ona.tribes import TribeResult
    depts = (["Ops", "Eng", "Ops", "Eng", "HR"] + ["A", "B", "C", "D", "E"] + ["X", "X"] + ["X", "X"]
             + [None, None])
    tribe = [1] * 5 + [2] * 5 + [3] * 2 + [4] * 2 + [5] * 2
    people = pd.DataFrame({"department": pd.array(depts, dtype="str")},
                          index=pd.Index([f"p{i:02d}" for i in range(len(depts))], name="employee_id"))
    result = TribeResult(membership=pd.Series(tribe, index=people.index), modularity=0.0, method="louvain",
                         engine="igraph", resolution=1.0, seed=0)
    assert tribe_labels(people, result) == {1: "Eng + Ops + HR (5)", 2: "A + B + C + others (5)",
                                            3: "X (2)", 4: "X #2 (2)", 5: " (2)"}
