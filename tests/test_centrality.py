"""Centrality: hand values on the Krackhardt kite, agreement with networkx, sampling, real data."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

import ona
from ona.centrality import PathSettings

from .conftest import REFERENCE

DATA = REFERENCE.parent

KITE = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike", "Jane"]


def _network(edges, people, weights=None, kind="relationship", layer="collaboration"):
    """An OrgNetwork from an edge list (each edge stated once)."""
    frame = pd.DataFrame({"department": "D"}, index=pd.Index(people, name="employee_id"))
    ties = pd.DataFrame({"source_id": [str(u) for u, _ in edges], "target_id": [str(v) for _, v in edges],
                         "layer": layer, "kind": kind,
                         "weight": weights if weights is not None else 1.0, "count": 1.0,
                         "first_contact": pd.NaT, "last_contact": pd.NaT})
    return ona.OrgNetwork(frame, ties)


@pytest.fixture(scope="module")
def kite():
    g = nx.krackhardt_kite_graph()
    names = dict(enumerate(KITE))
    net = _network([(names[u], names[v]) for u, v in g.edges()], KITE)
    return ona.people_metrics(net)


def test_kite_values_worked_by_hand(kite):
    # Diane has the most ties; Jane one.
    assert kite.loc["Diane", "degree"] == 6 and kite.loc["Jane", "degree"] == 1
    # Every path from Ike or Jane to the other 7 runs through Heather: 2 x 7 = 14 pairs of
    # the 36; Ike lies on the 7 paths from Jane.
    assert kite.loc["Heather", "betweenness"] == pytest.approx(14 / 36)
    assert kite.loc["Ike", "betweenness"] == pytest.approx(8 / 36)
    assert kite.loc["Jane", "betweenness"] == 0
    # Andre's contacts Beverly, Carol, Diane, Fernando share 4 of 6 possible ties.
    assert kite.loc["Andre", "clustering"] == pytest.approx(4 / 6)
    # Jane's one contact: fully constrained, effective size 1. Ike's two contacts
    # (Heather, Jane) are not tied to each other: effective size 2.
    assert kite.loc["Jane", "constraint"] == pytest.approx(1.0)
    assert kite.loc["Jane", "effective_size"] == pytest.approx(1.0)
    assert kite.loc["Ike", "effective_size"] == pytest.approx(2.0)
    # Harmonic closeness of Jane: distances 1 (Ike), 2 (Heather), 3 (Fernando, Garth),
    # 4 (Andre, Beverly, Carol, Diane, Ed): (1 + 1/2 + 2/3 + 5/4) / 9.
    assert kite.loc["Jane", "harmonic"] == pytest.approx((1 + 1 / 2 + 2 / 3 + 5 / 4) / 9)
    assert kite["eigenvector"].idxmax() == "Diane" and kite["eigenvector"].max() == pytest.approx(1.0)
    assert kite.loc["Jane", "role"] == "peripheral"


def test_measures_agree_with_networkx_on_a_weighted_graph():
    rng = np.random.default_rng(3)
    g = nx.gnm_random_graph(80, 260, seed=3, directed=True)
    edges = list(g.edges())
    weights = rng.uniform(2.0, 9.0, size=len(edges))
    net = _network(edges, [str(i) for i in range(80)], weights=weights, kind="interaction",
                   layer="email")
    table = ona.people_metrics(net, rule=ona.TieRule("all")).set_index(pd.Index(range(80)))  # every tie
    und = nx.Graph()
    und.add_nodes_from(range(80))
    for (u, v), w in zip(edges, weights):
        if und.has_edge(u, v):
            und[u][v]["weight"] += w
        else:
            und.add_edge(u, v, weight=w)
    for _u, _v, d in und.edges(data=True):
        d["distance"] = 1 / d["weight"]
    di = nx.DiGraph()
    di.add_nodes_from(range(80))
    di.add_weighted_edges_from((u, v, w) for (u, v), w in zip(edges, weights))

    def check(column, expected, **kw):
        got = table[column].to_numpy()
        want = np.array([expected[i] for i in range(80)])
        np.testing.assert_allclose(got, want, **kw)

    check("betweenness", nx.betweenness_centrality(und, weight="distance"), atol=1e-12)
    check("harmonic", {k: v / 79 for k, v in nx.harmonic_centrality(und, distance="distance").items()})
    check("pagerank", nx.pagerank(di, weight="weight", tol=1e-10), atol=1e-6)
    eig = nx.eigenvector_centrality(und, weight="weight", max_iter=5000, tol=1e-12)
    top = max(eig.values())
    check("eigenvector", {k: v / top for k, v in eig.items()}, atol=1e-5)
    check("constraint", {k: (v if d else 1.0) for (k, v), d in
                         zip(nx.constraint(und, weight="weight").items(), dict(und.degree()).values())})
    check("effective_size", nx.effective_size(und))
    check("clustering", nx.clustering(und))
    check("in_degree", dict(di.in_degree()))
    check("strength", dict(und.degree(weight="weight")))


def test_sampled_path_measures_track_the_exact_ones():
    g = nx.powerlaw_cluster_graph(600, 4, 0.3, seed=5)  # hubs and clusters, like an org
    net = _network(list(g.edges()), [str(i) for i in range(600)])
    exact = ona.people_metrics(net)
    sampled = ona.people_metrics(net, paths=PathSettings(exact_limit=100, pivots=150, seed=1))
    again = ona.people_metrics(net, paths=PathSettings(exact_limit=100, pivots=150, seed=1))
    assert exact.attrs["betweenness"] == "exact"
    assert sampled.attrs["betweenness"].startswith("sampled (150 pivots")
    assert spearmanr(exact["betweenness"], sampled["betweenness"]).statistic > 0.9
    assert spearmanr(exact["harmonic"], sampled["harmonic"]).statistic > 0.95
    np.testing.assert_allclose(exact["harmonic"], sampled["harmonic"], rtol=0.1)
    pd.testing.assert_series_equal(sampled["betweenness"], again["betweenness"])  # same seed


def test_one_dijkstra_per_source_gives_igraph_and_networkx_betweenness():
    # a grid with ties of two weights and some diagonals: many shortest paths of equal
    # length, where the counts of paths (sigma) matter
    from ona.centrality import path_task, tie_lengths
    grid = nx.convert_node_labels_to_integers(nx.grid_2d_graph(7, 9))
    rng = np.random.default_rng(4)
    for _ in range(12):
        u, v = rng.choice(grid.number_of_nodes(), size=2, replace=False)
        grid.add_edge(int(u), int(v))
    grid.add_edge(63, 64)  # a pair apart from the rest: unreachable from the grid
    edges = list(grid.edges())
    length, _ = tie_lengths(rng.choice([1.0, 2.0], size=len(edges)))
    n = grid.number_of_nodes()
    payload = (n, edges, length)
    sources = list(range(0, n, 3))
    _, _, both = path_task(payload, ("paths", sources, sources[::2]))
    _, _, between = path_task(payload, ("betweenness", sources))  # igraph
    _, _, inverse = path_task(payload, ("harmonic", sources[::2]))
    np.testing.assert_allclose(both[0], between, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(both[1], inverse, rtol=1e-12)
    for (u, v), d in zip(edges, length):
        grid[u][v]["length"] = d
    _, _, everyone = path_task(payload, ("paths", list(range(n)), []))
    expected = nx.betweenness_centrality(grid, weight="length", normalized=False)
    np.testing.assert_allclose(everyone[0], [expected[i] for i in range(n)], rtol=1e-9, atol=1e-9)
    assert everyone[0].max() > 0 and everyone[0][63] == 0 and not everyone[1].any()


def test_dependencies_on_a_diamond_worked_by_hand():
    # 0 reaches 3 by two paths of equal length, through 1 and through 2: each carries half;
    # 4 hangs off 3, so the paths 0-4 add another half to 1 and 2 and a whole one to 3
    from ona.centrality import dag_arrays, source_dependencies
    degree, heads, lengths = dag_arrays(6, [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)], None)
    dist = np.array([0.0, 1.0, 1.0, 2.0, 3.0, np.inf])
    assert source_dependencies(dist, degree, heads, lengths).tolist() == [0.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    # from 5, who has no ties, no one is between
    dist = np.array([np.inf] * 5 + [0.0])
    assert source_dependencies(dist, degree, heads, lengths).tolist() == [0.0] * 6
    # the compiled route (ona.brandes) gives the same, and 1/distance from source 0
    from ona.brandes import path_sums
    between, inverse = path_sums([0, 5], [0], degree, heads, lengths)
    assert between.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    assert inverse.tolist() == [0.0, 1.0, 1.0, 0.5, 1 / 3, 0.0]


def test_compiled_path_sums_when_a_tie_in_distance_is_then_beaten():
    # from 0, person 3 is first reached at 6 through 1 and through 2 alike (a tie), then at
    # 3 through 4: 1 and 2 end on no shortest path, though the search once counted them
    # as 3's parents; 4 carries the paths to 3 and 5, and 3 the path to 5
    from ona.brandes import path_sums
    from ona.centrality import dag_arrays
    edges = [(0, 1), (0, 2), (1, 3), (2, 3), (0, 4), (4, 3), (3, 5)]
    dag = dag_arrays(6, edges, [1.0, 1.0, 5.0, 5.0, 2.0, 1.0, 1.0])
    between, inverse = path_sums([0], [0], *dag)
    assert between.tolist() == [0.0, 0.0, 0.0, 1.0, 2.0, 0.0]
    assert inverse.tolist() == [0.0, 1.0, 1.0, 1 / 3, 0.5, 0.25]


def test_compiled_path_sums_equal_the_scipy_route():
    # a clustered network with whole-number lengths of a few sizes (many equal distances)
    from scipy.sparse.csgraph import dijkstra

    from ona.brandes import path_sums
    from ona.centrality import _inverse_sums, dag_arrays, length_matrix, source_dependencies
    g = nx.powerlaw_cluster_graph(400, 3, 0.4, seed=2)
    g.add_edge(400, 401)  # a pair apart from the rest
    edges = list(g.edges())
    length = np.random.default_rng(0).choice([3.0, 4.0, 6.0], size=len(edges)).tolist()
    dag = dag_arrays(402, edges, length)
    sources = list(range(0, 402, 7)) + [400]
    dist = dijkstra(length_matrix(402, edges, length), directed=False, indices=sources)
    expected = sum(source_dependencies(row, *dag) for row in dist)
    between, inverse = path_sums(sources, sources[::2], *dag)
    np.testing.assert_allclose(between, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(inverse, _inverse_sums(dist[::2]), rtol=1e-12)
    assert between.max() > 1 and between[400] == 0


def _brandes_settling_far_ids_first(n, dag, sources, harmonic):
    """Brandes in plain Python, settling people at one distance highest id first (the
    compiled search's heap settles them in an order of its own), each person's back pass
    adding their children in the order of their ties, as the compiled code does."""
    degree, heads, lengths = dag
    start = np.concatenate([[0], np.cumsum(degree)])
    between, inverse = np.zeros(n), np.zeros(n)
    for s in sources:
        dist, sigma = np.full(n, np.inf), np.zeros(n)
        dist[s], sigma[s] = 0.0, 1.0
        done, order = np.zeros(n, dtype=bool), []
        while True:
            open_ = [v for v in range(n) if not done[v] and np.isfinite(dist[v])]
            if not open_:
                break
            v = max(open_, key=lambda x: (-dist[x], x))  # nearest first, then the highest id
            done[v] = True
            order.append(v)
            for k in range(start[v], start[v + 1]):
                w, nd = heads[k], dist[v] + lengths[k]
                if nd < dist[w]:
                    dist[w], sigma[w] = nd, sigma[v]
                elif nd == dist[w] and not done[w]:
                    sigma[w] += sigma[v]
        y = np.zeros(n)
        for v in reversed(order):
            total = 1.0 / sigma[v]
            for k in range(start[v], start[v + 1]):
                if dist[v] + lengths[k] == dist[heads[k]]:
                    total += y[heads[k]]
            y[v] = total
            if v != s:
                between[v] += sigma[v] * total - 1.0
        if s in harmonic:
            for v in order[1:]:
                inverse[v] += 1.0 / dist[v]
    return between, inverse


def test_compiled_path_sums_do_not_depend_on_which_of_equally_near_people_is_settled_first():
    # a grid with lengths of two sizes: many people at one distance, many shortest paths;
    # the sums must be the same to the last bit whatever order the heap settles them in
    from ona.brandes import path_sums
    from ona.centrality import dag_arrays
    g = nx.convert_node_labels_to_integers(nx.grid_2d_graph(9, 9))
    edges = list(g.edges())
    length = np.random.default_rng(4).choice([2.0, 4.0], size=len(edges)).tolist()
    dag = dag_arrays(81, edges, length)
    sources = [0, 8, 40, 44, 80]
    between, inverse = path_sums(sources, [0, 40], *dag)
    expected_between, expected_inverse = _brandes_settling_far_ids_first(81, dag, sources, {0, 40})
    assert between.tolist() == expected_between.tolist()
    assert inverse.tolist() == expected_inverse.tolist()
    assert between.max() > 10


def test_padgett_medici_have_the_highest_betweenness():
    nodes = pd.read_csv(DATA / "padgett" / "nodes.csv")
    edges = pd.read_csv(DATA / "padgett" / "edges_marriage.csv")
    names = dict(zip(nodes["id"], nodes["family"]))
    net = _network([(names[s], names[t]) for s, t in zip(edges["source"], edges["target"])],
                   nodes["family"].tolist())
    table = ona.people_metrics(net)
    assert table["betweenness"].idxmax() == "Medici"
    assert table.loc["Medici", "betweenness"] == pytest.approx(47.5 / (15 * 14 / 2))  # 0.452
    assert table.loc["Medici", "degree"] == 6
    assert table.loc["Pucci", "degree"] == 0 and table.loc["Pucci", "betweenness"] == 0
    assert table["betweenness"].nlargest(3).index.tolist() == ["Medici", "Guadagni", "Albizzi"]


def test_krackhardt_advice_pagerank_matches_reference():
    table = ona.people_metrics(ona.load(ona.sample_path("krackhardt")), layers=["advice"])
    ref = pd.read_csv(REFERENCE / "krackhardt_advice.csv", dtype={"id": str}).set_index("id")
    np.testing.assert_allclose(table["pagerank"], ref["pagerank"].reindex(table.index), atol=1e-6)
    assert table["pagerank"].idxmax() == ref["pagerank"].idxmax() == "21"
    assert table["in_degree"].idxmax() == "2"  # VP 2, the most sought for advice


def test_people_with_no_ties_get_zeros(kite):
    net = _network([("a", "b")], ["a", "b", "c"])
    table = ona.people_metrics(net)
    row = table.loc["c"]
    for column in ("degree", "strength", "betweenness", "harmonic", "eigenvector",
                   "effective_size", "clustering", "cross_department_ties", "leader_reach",
                   "recognition", "visibility"):
        assert row[column] == 0 or column == "visibility", column
    # PageRank is a share of random surfers: an isolate keeps only the teleport share,
    # the lowest of all
    assert row["pagerank"] == table["pagerank"].min() < table.loc["b", "pagerank"]
    assert row["visibility"] == table["visibility"].min()
    assert row["constraint"] == 1.0  # no brokerage opportunity at all: fully constrained
    assert row["role"] == "peripheral"


@pytest.mark.parametrize("make, message", [
    (lambda: PathSettings(pivots=0), "pivots must be at least 1"),
    (lambda: PathSettings(exact_limit=-1), "exact_limit must be 0 or more"),
    (lambda: ona.RoleRules(spanner_betweenness=150), "percentile between 0 and 100"),
    (lambda: ona.RoleRules(peripheral_max_ties=-1), "peripheral_max_ties must be 0 or more"),
])
def test_settings_are_checked_when_made(make, message):
    with pytest.raises(ona.ConfigError, match=message):
        make()
