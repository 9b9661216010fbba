"""Departments: E-I index and its baseline by hand, silo flags on planted silos, group size."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ona
from ona.groups import SMALL_GROUPS, department_table
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
