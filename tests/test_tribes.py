"""Tribe detection: planted blocks, Zachary's karate club, determinism, agreement, stability."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ona
from ona.errors import ConfigError
from ona.tribes import detect_tribes, partition_agreement, tribe_stability, tribes_with_stability

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


@pytest.mark.parametrize("method,engine", [("louvain", "igraph"), ("leiden", "igraph"),
                                           ("louvain", "python-louvain")])
def test_detection_beside_its_reruns_gives_the_same_tribes_and_stability(method, engine):
    """The pipeline's route (the detection and the reruns over the same forked processes)
    against the two public steps one after the other, on a network with shaky tribes (above
    500 people, so the runs do go to forked processes)."""
    net = _network(nx.gnp_random_graph(600, 0.012, seed=2))
    found, stability = tribes_with_stability(net, seeds=5, workers=2, method=method, engine=engine, seed=4)
    alone = detect_tribes(net, method=method, engine=engine, seed=4)
    pd.testing.assert_series_equal(found.membership, alone.membership)
    assert found.modularity == alone.modularity and found.seed == 4 and found.engine == engine
    pd.testing.assert_frame_equal(stability, tribe_stability(net, alone, seeds=5))
    assert stability["stability"].min() < 0.9  # the reruns disagree: a test that can fail
    assert tribes_with_stability(net, seeds=0, method=method, engine=engine, seed=4)[1] is None


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


UK_FACULTY = DATA / "uk_faculty"


def test_uk_faculty_tribes_recover_the_schools():
    # Known answers (dataset README): Louvain finds 5 communities with modularity
    # 0.561-0.562 and NMI 0.74-0.80 / adjusted Rand 0.67-0.73 against the schools; the
    # school partition itself has modularity 0.484.
    net = ona.load(UK_FACULTY)
    for engine in ("python-louvain", "igraph"):
        for seed in range(4):
            result = detect_tribes(net, seed=seed, engine=engine)
            assert len(result.sizes) == 5
            assert 0.5610 <= result.modularity <= 0.5625
            agreement = partition_agreement(result.membership, net.people["department"])
            assert 0.73 <= agreement["nmi"] <= 0.80 and 0.66 <= agreement["adjusted_rand"] <= 0.73
    arrays = ona.metrics.tie_arrays(net)
    schools = pd.factorize(net.people["department"])[0]
    assert arrays.undirected().modularity(schools.tolist(), weights="weight") == pytest.approx(0.4842, abs=1e-4)


def test_lazega_advice_tribes_sit_within_offices():
    # 78.5% of advice ties stay within one office (dataset README): every tribe found on
    # the advice network is mostly one office (over 80% of the members of all tribes sit
    # in their tribe's main office, at least 70% in each), and both large offices lead one.
    net = ona.load(ona.sample_path("lazega"))
    for seed in range(6):
        result = detect_tribes(net, layers=["advice"], seed=seed)
        table = pd.crosstab(result.membership, net.people["department"])
        table = table[table.sum(axis=1) >= 5]
        shares = table.div(table.sum(axis=1), axis=0)
        assert (shares.max(axis=1) >= 0.7).all() and table.max(axis=1).sum() / table.sum().sum() >= 0.8
        assert {"Boston", "Hartford"} <= set(shares.idxmax(axis=1))


@pytest.mark.slow
@pytest.mark.parametrize("people,seed", [(500, 48611), (1200, 70263)])
def test_generated_cross_department_group_is_one_tribe(tmp_path, people, seed):
    org = ona.generate_organisation(people, seed=seed, events_per_person=60)
    ona.write_organisation(org, tmp_path)
    group = org.truth["cross_department_group"]
    net = ona.load(tmp_path)
    result = detect_tribes(net, seed=0)
    tribes = result.membership.loc[group["members"]]
    assert tribes.nunique() == 1 and tribes.iloc[0] != 0
    members = net.people.loc[result.membership == tribes.iloc[0]]
    # it spans the group's departments, each with more than one member in it
    counts = members["department"].value_counts()
    assert set(group["departments"]) <= set(counts.index[counts >= 2])


def test_large_organisations_rerun_the_tribes_fewer_times():
    from ona.confidence import ConfidenceSettings
    from ona.tribes import TribeSettings
    settings = TribeSettings()
    assert settings.seeds(5_000) == 10 and settings.seeds(5_001) == 5
    assert ConfidenceSettings().large == settings.large  # one head count makes an organisation large
    assert TribeSettings(stability_seeds=3).seeds(100_000) == 3  # never more than asked
    assert TribeSettings(stability_seeds=0).seeds(100_000) == 0
    assert TribeSettings(large=100).seeds(101) == 5
    with pytest.raises(ona.ConfigError):
        TribeSettings(large_stability_seeds=-1)
    result = ona.analyze(ona.sample_path("krackhardt"),
                         tribes=TribeSettings(large=10, large_stability_seeds=2))
    assert result.people_metrics.attrs["tribes"]["stability_seeds"] == 2


def test_stability_table_by_hand():
    """Tribe 1 = people 0-3, tribe 2 = people 4-5, person 6 alone in tribe 3, person 7 without
    ties. A rerun splits tribe 1 into {0, 1, 2} and {3}, keeps tribe 2 whole and puts 6 with
    4: tribe 1 keeps 3 of its 6 pairs together, tribe 2 its 1 pair, tribe 3 has no pair (1).
    A second rerun keeps every tribe whole: the means are 0.75, 1 and 1."""
    from ona.tribes import TribeResult, _stability_table

    membership = pd.Series([1, 1, 1, 1, 2, 2, 3, 0], index=[f"p{i}" for i in range(8)], name="tribe")
    result = TribeResult(membership=membership, modularity=0.0, method="louvain", engine="igraph",
                         resolution=1.0, seed=0)
    split = np.array([5, 5, 5, 9, 7, 7, 7, -1])
    whole = np.array([0, 0, 0, 0, 1, 1, 2, -1])
    table = _stability_table(result, [split, whole])
    assert table["tribe"].tolist() == [1, 2, 3] and table["size"].tolist() == [4, 2, 1]
    assert table["stability"].tolist() == [0.75, 1.0, 1.0]
    assert table["unstable"].tolist() == [False, False, False]
    assert _stability_table(result, [split])["stability"].tolist() == [0.5, 1.0, 1.0]
    # 20,000 tribes of two: counted over the cells that hold anyone (a dense tribe x label
    # table would have 4 * 10^8 cells); a rerun keeping the pairs gives 1, one splitting them 0
    n = 40_000
    pairs = TribeResult(membership=pd.Series(np.arange(n) // 2 + 1, index=[f"q{i}" for i in range(n)], name="tribe"),
                        modularity=0.0, method="louvain", engine="igraph", resolution=1.0, seed=0)
    table = _stability_table(pairs, [np.arange(n) // 2 + 7, np.arange(n)])
    assert len(table) == n // 2 and (table["stability"] == 0.5).all()


def test_tables_can_be_made_while_the_stability_reruns_go_on():
    """``on_found`` receives the detection's own result while the reruns run, and an error
    in it stops the reruns before it is raised."""
    import multiprocessing as mp

    net = _network(nx.gnp_random_graph(600, 0.012, seed=2))
    seen = []
    found, stability = tribes_with_stability(net, seeds=4, workers=2, seed=1,
                                             on_found=lambda result: seen.append(
                                                 (result, len(mp.active_children()))))
    assert seen[0][0] is found and seen[0][1] > 0  # called while the workers were alive
    pd.testing.assert_frame_equal(stability, tribe_stability(net, found, seeds=4))

    def broken(result):
        raise RuntimeError("table failed")

    with pytest.raises(RuntimeError, match="table failed"):
        tribes_with_stability(net, seeds=20, workers=2, seed=1, on_found=broken)
    assert not mp.active_children()
    alone = []
    tribes_with_stability(net, seeds=0, on_found=alone.append)
    assert len(alone) == 1


def test_tribe_numbers_go_by_size_then_smallest_member_id_as_the_table_did():
    # the numbering against the pandas route it replaced, on random labels and ids that
    # sort differently as text and as numbers (and beyond ASCII)
    from ona.tribes import _number

    def by_pandas(labels, ids):
        frame = pd.DataFrame({"label": labels, "id": ids.astype(str)})
        frame = frame[frame["label"] >= 0]
        order = (frame.groupby("label").agg(size=("id", "size"), first=("id", "min"))
                 .sort_values(["size", "first"], ascending=[False, True]))
        number = {label: i + 1 for i, label in enumerate(order.index)}
        return np.array([number.get(x, 0) for x in labels], dtype=np.int64)

    rng = np.random.default_rng(8)
    for trial in range(200):
        n = int(rng.integers(1, 60))
        labels = rng.integers(-1, max(2, n // 4), n)
        pool = np.array([f"{x}" for x in rng.permutation(1000)[:n]] if trial % 2 else
                        [f"é{x}" if x % 3 else f"Z{x}" for x in rng.permutation(1000)[:n]], dtype=object)
        ids = pd.Index(pool)
        assert np.array_equal(_number(labels, ids), by_pandas(labels, ids)), trial
    # equal ids (networkx nodes 1 and "1" read as text) share a place, as pandas' min did
    twice = pd.Index(["x", "x", "a"])
    for labels in (np.array([2, 1, 3]), np.array([1, 2, 3]), np.array([0, 1, 1])):
        assert np.array_equal(_number(labels, twice), by_pandas(labels, twice))
