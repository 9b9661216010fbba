"""Tribe detection: planted blocks, Zachary's karate club, determinism, agreement, stability."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

import ona
from ona.errors import ConfigError
from ona.tribes import detect_tribes, partition_agreement, tribe_stability

from .conftest import REFERENCE

DATA = REFERENCE.parent


def _network(graph: nx.Graph, departments=None, weight=None) -> ona.OrgNetwork:
    people = pd.DataFrame({"department": departments or "D"},
                          index=pd.Index([str(n) for n in graph.nodes()], name="employee_id"))
    edges = list(graph.edges(data=True))
    ties = pd.DataFrame({"source_id": [str(u) for u, _, _ in edges],
                         "target_id": [str(v) for _, v, _ in edges],
                         "layer": "collaboration", "kind": "relationship",
                         "weight": [d.get(weight, 1.0) if weight else 1.0 for *_, d in edges],
                         "count": 1.0, "first_contact": pd.NaT, "last_contact": pd.NaT})
    return ona.OrgNetwork(people, ties)


@pytest.fixture(scope="module")
def blocks():
    graph = nx.stochastic_block_model([40, 40, 40], [[0.3, 0.01, 0.01], [0.01, 0.3, 0.01],
                                                     [0.01, 0.01, 0.3]], seed=7)
    truth = [graph.nodes[n]["block"] for n in graph.nodes()]
    return _network(graph), truth


@pytest.mark.parametrize("method,engine", [("louvain", "python-louvain"), ("louvain", "igraph"),
                                           ("leiden", "igraph")])
def test_planted_blocks_are_found(blocks, method, engine):
    net, truth = blocks
    result = detect_tribes(net, method=method, engine=engine, seed=3)
    assert len(result.sizes) == 3
    agreement = partition_agreement(result.membership, truth)
    assert agreement["adjusted_rand"] > 0.95 and agreement["nmi"] > 0.9
    assert result.provenance()["method"] == method and result.engine == engine


def test_same_seed_same_tribes_and_numbering_by_size(blocks):
    net, _ = blocks
    one = detect_tribes(net, seed=11)
    two = detect_tribes(net, seed=11)
    pd.testing.assert_series_equal(one.membership, two.membership)
    sizes = one.sizes
    assert list(sizes.index) == [1, 2, 3] and sizes.is_monotonic_decreasing


def test_karate_club_modularity_and_factions():
    nodes = pd.read_csv(DATA / "karate" / "nodes.csv")
    edges = pd.read_csv(DATA / "karate" / "edges_interaction.csv")
    graph = nx.Graph()
    graph.add_nodes_from(nodes["id"])
    graph.add_edges_from(zip(edges["source"], edges["target"]))
    net = _network(graph, departments=nodes["faction"].tolist())
    for seed in range(5):
        result = detect_tribes(net, seed=seed)
        assert 0.37 <= result.modularity <= 0.4198 + 1e-9  # the known optimum
        assert 2 <= len(result.sizes) <= 4
        assert result.membership["1"] != result.membership["34"]  # Mr Hi and John A apart
        assert partition_agreement(result.membership, nodes["faction"])["nmi"] > 0.5


def test_people_without_ties_have_no_tribe():
    graph = nx.complete_graph(4)
    graph.add_node(9)
    result = detect_tribes(_network(graph))
    assert result.membership["9"] == 0 and (result.membership.drop("9") == 1).all()


def test_stability_separates_real_groups_from_noise(blocks):
    net, _ = blocks
    clear = tribe_stability(net, detect_tribes(net, seed=0), seeds=5)
    assert (clear["stability"] > 0.95).all() and not clear["unstable"].any()
    noise = _network(nx.gnp_random_graph(150, 0.04, seed=2))
    shaky = tribe_stability(noise, detect_tribes(noise, seed=0), seeds=5)
    assert shaky["stability"].mean() < clear["stability"].mean() - 0.2


def test_partition_agreement_by_hand():
    # contingency [[2, 1, 0], [0, 1, 2]]: sum C(n_ij, 2) = 2, rows 6, columns 3, C(6, 2) = 15
    # ARI = (2 - 6*3/15) / ((6 + 3)/2 - 6*3/15) = 0.8 / 3.3
    got = partition_agreement([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    assert got["adjusted_rand"] == pytest.approx(0.8 / 3.3)
    assert partition_agreement(list("aabb"), list("xxyy")) == {"nmi": 1.0, "adjusted_rand": 1.0}


def test_bad_options_are_refused(blocks):
    net, _ = blocks
    with pytest.raises(ConfigError):
        detect_tribes(net, method="girvan")
    with pytest.raises(ConfigError):
        detect_tribes(net, method="leiden", engine="python-louvain")
    with pytest.raises(ConfigError):
        detect_tribes(net, resolution=0)
