"""Centrality and brokerage on the tie arrays, computed in compiled code (igraph, scipy, numba).

networkx stays the public graph type; igraph and scipy are used inside because the
path-based measures (betweenness, closeness) are one to two orders of magnitude faster in
C. Every measure here is checked against networkx in tests/test_centrality.py.

Path measures treat a strong tie as a short distance: the length of a tie is
``1 / weight``. Betweenness and harmonic closeness are exact up to ``exact_limit``
people and estimated from randomly chosen source people ("pivots") beyond (Brandes &
Pich 2007): betweenness summed over the sampled sources is scaled by ``n / pivots``;
harmonic closeness is the mean of 1/distance over the sampled sources. The benchmark
(benchmarks/bench_paths.py) reports the rank correlation of the estimates with the exact
values. The sources are shared out to forked processes (igraph holds the GIL).
Where the harmonic sources are among the betweenness sources (always, by default), one
Dijkstra per source gives both, compiled with numba (:mod:`ona.brandes`): betweenness by
Brandes' accumulation back along the shortest paths, closeness from the same distances.
:func:`source_dependencies` is the same computation in numpy and scipy (Brandes' two
passes as sparse triangular solves), kept as the reference the compiled one is tested
against; both are equal to igraph's to the last bit where measured.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
Mathematical Sociology*, 25(2), 163-177.
Brandes, U. and Pich, C. (2007). Centrality estimation in large networks. *International
Journal of Bifurcation and Chaos*, 17(7), 2303-2318.
Marchiori, M. and Latora, V. (2000). Harmony in the small-world. *Physica A*, 285(3-4),
539-546 (harmonic closeness).
Brin, S. and Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.
*Computer Networks and ISDN Systems*, 30(1-7), 107-117 (PageRank).
Bonacich, P. (1987). Power and centrality: a family of measures. *American Journal of
Sociology*, 92(5), 1170-1182 (eigenvector centrality).
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
University Press (constraint, effective size).
Watts, D. J. and Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks.
*Nature*, 393, 440-442 (clustering).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from .burt import constraint as burt_constraint
from .errors import ConfigError
from .ties import CORE_TIES, PATH_TIES, TieArrays, edge_list
from .workers import Pending, start_forked

__all__ = ["TieArrays", "PathSettings", "centrality_measures", "path_task"]


#: Sampled sources for betweenness beyond the exact limit (README: accuracy against exact).
DEFAULT_PIVOTS = 1000


@dataclass(frozen=True)
class PathSettings:
    """Exact or sampled path measures, and how many processes compute them.

    exact_limit : up to this many people, betweenness and harmonic closeness are exact
        (every person is a source); beyond it they are estimated from sampled sources.
    pivots : sampled sources for betweenness; by default 1,000 (measured accuracy at 10k
        people: rank correlation 0.98 with exact betweenness, 0.99 with 2,000; README,
        benchmarks/bench_metrics.py).
    harmonic_pivots : sampled sources for harmonic closeness; by default half of pivots.
    seed : seed of the sample (the same seed, the same estimate).
    workers : processes sharing the sources (default: every core). igraph holds the GIL,
        so the work is split over forked processes; where fork is not available it runs
        in this process.
    core_ties : constraint, clustering and effective size run on the core network of each
        person's ``core_ties`` strongest ties (:meth:`ona.ties.TieArrays.core`, default 40;
        0 = every tie).
    path_ties : betweenness and harmonic closeness run over each person's ``path_ties``
        strongest ties (default 20; 0 = every tie): weak ties are not on shortest paths.
    """

    exact_limit: int = 2500
    pivots: int | None = None
    harmonic_pivots: int | None = None
    seed: int = 0
    workers: int | None = None
    core_ties: int = CORE_TIES
    path_ties: int = PATH_TIES

    def __post_init__(self) -> None:
        for name in ("exact_limit", "core_ties", "path_ties"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be 0 or more, got {getattr(self, name)!r}")
        for name in ("pivots", "harmonic_pivots", "workers"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be at least 1, got {value!r}")

    def sources(self, n: int) -> tuple[list[int], list[int], bool]:
        """Sources for betweenness and for harmonic closeness, and whether exact."""
        if n <= self.exact_limit:
            everyone = list(range(n))
            return everyone, everyone, True
        k = self.pivots or DEFAULT_PIVOTS
        h = self.harmonic_pivots or max(1, k // 2)
        rng = np.random.default_rng(self.seed)
        order = rng.permutation(n)
        return sorted(order[:min(k, n)].tolist()), sorted(order[:min(h, n)].tolist()), False


def centrality_measures(ties: TieArrays, settings: PathSettings = PathSettings(), *,
                        mapper: Callable | None = None) -> tuple[pd.DataFrame, dict]:
    """PageRank, betweenness, eigenvector, harmonic closeness, constraint, effective size
    and clustering for every person position. Returns the frame and a note of the methods.

    PageRank and eigenvector use every tie; the others the core network of each person's
    strongest ties (``settings.core_ties``): weak ties are not on shortest paths, so paths
    are the same on the core, and a person's structural position is read from their main
    contacts rather than from hundreds of one-off messages (docs/metrics.md).

    The path measures are sums over independent sources, computed in batches: over forked
    workers here, or by ``mapper(function, payload, tasks)`` — for example Spark's
    executors (:func:`ona.spark_job.spark_mapper`) — with the same sources and so the same
    result (:func:`path_task`).

    >>> arrays = TieArrays(n=3, u=np.array([0, 1]), v=np.array([1, 2]), w=np.array([1.0, 1.0]),
    ...                    s=np.array([0, 1]), t=np.array([1, 2]), ws=np.array([1.0, 1.0]))
    >>> frame, how = centrality_measures(arrays)
    >>> frame["betweenness"].tolist(), how["betweenness"]
    ([0.0, 1.0, 0.0], 'exact')
    """
    n = ties.n
    out = pd.DataFrame(index=range(n))
    core = ties.core(settings.core_ties, directed=False)
    # each person's strongest ties are among their core ties: prune the smaller table
    within = core if 0 < settings.path_ties <= settings.core_ties else ties
    paths = within.core(settings.path_ties, directed=False)
    length, unit = tie_lengths(paths.w)
    between_sources, harmonic_sources, exact = settings.sources(n)
    # the path measures start on the forked workers, and the others are computed here
    # meanwhile (the workers leave this process's core idle at times)
    pending = _start_path_sums(n, _ends(paths), length, between_sources, harmonic_sources, settings.workers,
                               mapper=mapper)
    try:
        und = core.shared_graph()  # built while the workers search (the tribes reuse it)
        out["pagerank"] = pagerank(ties.s, ties.t, ties.ws, n)
        eigen = eigenvector(ties.u, ties.v, ties.w, n)
        degree = np.asarray(und.degree(), dtype=float)
        clustering = np.asarray(und.transitivity_local_undirected(mode="zero"), dtype=float)
        # compiled (ona.burt): igraph's took 15 s at 100k people
        constraint = burt_constraint(*dag_arrays(n, np.column_stack([core.u, core.v]), core.w))
    except BaseException:
        pending.cancel()
        raise
    between, inverse_sum, counted = pending()
    inverse_sum = inverse_sum / unit
    if exact:
        how = {"betweenness": "exact", "harmonic": "exact"}
    else:
        between = between * (n / len(between_sources))
        how = {"betweenness": f"sampled ({len(between_sources)} pivots, seed {settings.seed})",
               "harmonic": f"sampled ({len(harmonic_sources)} pivots, seed {settings.seed})"}
    pairs = (n - 1) * (n - 2) / 2
    out["betweenness"] = between / pairs if pairs > 0 else 0.0
    # mean of 1/distance over the others measured (all of them when exact)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["harmonic"] = np.where(counted > 0, inverse_sum / np.maximum(counted, 1), 0.0)
    out["eigenvector"] = eigen
    out["constraint"] = np.where(degree > 0, constraint, 1.0)
    out["effective_size"] = degree - clustering * np.maximum(degree - 1, 0)
    out["clustering"] = clustering
    return out, how


def pagerank(source: np.ndarray, target: np.ndarray, weight: np.ndarray, n: int, *,
             damping: float = 0.85, tol: float = 1e-13, max_iter: int = 2000) -> np.ndarray:
    """Weighted PageRank of a directed graph by power iteration on a sparse matrix: a walker
    follows an out-tie in proportion to its weight, jumps anywhere with probability
    1 - damping, and jumps anywhere from a person with no out-tie. Sums to 1.

    >>> # 2 has no out-tie: x2 = (0.15 + 0.85 x2) / 3, so x2 = 0.15 / 2.15
    >>> pagerank(np.array([0, 1]), np.array([1, 0]), np.array([1.0, 1.0]), 3).round(4).tolist()
    [0.4651, 0.4651, 0.0698]
    """
    if n == 0:
        return np.zeros(0)
    from scipy import sparse
    out_w = np.bincount(source, weights=weight, minlength=n)
    keep = out_w[source] > 0
    step = sparse.csr_matrix((weight[keep] / out_w[source[keep]], (target[keep], source[keep])), shape=(n, n))
    dangling = out_w == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = damping * (step @ x) + (damping * x[dangling].sum() + 1.0 - damping) / n
        new /= new.sum()
        if np.abs(new - x).sum() < tol:
            return new
        x = new
    return x


def eigenvector(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """Eigenvector centrality of an undirected weighted graph: the leading eigenvector of
    the adjacency matrix (ARPACK, through scipy), scaled so the highest is 1; zeros without
    ties. On a network of separate parts it concentrates on the part with the largest
    eigenvalue.

    >>> eigenvector(np.array([0, 0]), np.array([1, 2]), np.array([1.0, 1.0]), 3).round(4).tolist()
    [1.0, 0.7071, 0.7071]
    """
    if len(w) == 0 or n == 0:
        return np.zeros(n)
    from scipy import sparse
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh
    adjacency = sparse.csr_matrix((np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))),
                                  shape=(n, n))
    if n < 3:
        values, vectors = np.linalg.eigh(adjacency.toarray())
        vector = vectors[:, -1]
    else:
        start = np.asarray(adjacency.sum(axis=1)).ravel() + 1e-9
        try:
            _, vectors = eigsh(adjacency, k=1, which="LA", v0=start, tol=1e-10, maxiter=5000)
        except ArpackNoConvergence as exc:  # the best estimate found
            vectors = exc.eigenvectors
        vector = vectors[:, 0]
    vector = np.abs(vector)
    top = vector.max()
    return vector / top if top > 0 else vector


def path_betweenness(ties: TieArrays, sources: list[int], *, workers: int | None = None,
                     core_ties: int = PATH_TIES) -> np.ndarray:
    """Betweenness of every person from the given sources (every person: exact), scaled by
    n / sources and divided by (n - 1)(n - 2) / 2, as in :func:`centrality_measures`.

    >>> arrays = TieArrays(n=3, u=np.array([0, 1]), v=np.array([1, 2]), w=np.array([1.0, 1.0]),
    ...                    s=np.array([0, 1]), t=np.array([1, 2]), ws=np.array([1.0, 1.0]))
    >>> path_betweenness(arrays, [0, 1, 2]).tolist()
    [0.0, 1.0, 0.0]
    """
    n = ties.n
    core = ties.core(core_ties, directed=False)
    length, _ = tie_lengths(core.w)
    between, _, _ = _path_sums(n, _ends(core), length, list(sources), [], workers)
    if sources and len(sources) < n:
        between = between * (n / len(sources))
    pairs = (n - 1) * (n - 2) / 2
    return between / pairs if pairs > 0 else np.zeros(n)


def tie_lengths(weights: np.ndarray) -> tuple[list[float] | None, float]:
    """Tie lengths ``1 / weight`` as whole numbers of a small unit, and the unit.

    Sums of whole numbers are exact in floating point, so two paths of equal length compare
    equal whichever order their ties are added in: people in identical positions get
    identical betweenness, instead of one taking all the credit by rounding accident. The
    unit is a billionth of the median length, or coarser when needed so that a path through
    every person still sums exactly (below 2**52 units).

    >>> lengths, unit = tie_lengths(np.array([1.0, 2.0, 4.0]))
    >>> lengths, unit
    ([2000000000.0, 1000000000.0, 500000000.0], 5e-10)
    """
    if not len(weights):
        return None, 1.0
    raw = 1.0 / np.asarray(weights, dtype=float)
    unit = max(float(np.median(raw)) / 1e9, float(raw.max()) * (len(raw) + 1) / 2.0 ** 52)
    return np.maximum(np.rint(raw / unit), 1.0).tolist(), unit


# -- path sums over sources, shared out to forked processes ------------------------------

_SHARED: dict = {}
_CHUNK = 64  # sources per task: a distance block is CHUNK x n floats


def _task(task: tuple) -> tuple[str, list[int], np.ndarray]:
    kind, chunk = task[0], task[1]
    if kind == "betweenness":
        length = "length" if _SHARED["length"] is not None else None
        return kind, chunk, np.asarray(_SHARED["graph"].betweenness(directed=False, weights=length,
                                                                    sources=chunk), dtype=float)
    if kind == "harmonic":
        # scipy's Dijkstra gives the same distances as igraph's (the lengths are whole
        # numbers), as an array rather than lists of Python floats
        from scipy.sparse.csgraph import dijkstra
        return kind, chunk, _inverse_sums(dijkstra(_SHARED["matrix"], directed=False, indices=chunk))
    # "paths": betweenness and the sums of 1/distance from the sources of the chunk that are
    # also harmonic sources (task[2]), from one compiled Dijkstra per source (ona.brandes;
    # the same sums as scipy's Dijkstra with source_dependencies, in a third less time)
    from .brandes import path_sums
    between, inverse = path_sums(chunk, task[2], *_SHARED["dag"])
    between /= 2  # undirected: each pair is counted from both of its ends
    return kind, chunk, np.stack([between, inverse])


def _inverse_sums(dist: np.ndarray) -> np.ndarray:
    """Per person, the sum of 1/distance over the rows (sources) of ``dist``: unreachable
    people and the source itself add nothing."""
    with np.errstate(divide="ignore"):
        inverse = np.where(np.isfinite(dist) & (dist > 0), 1.0 / dist, 0.0)
    return inverse.sum(axis=0)


def dag_arrays(n: int, edges: list[tuple[int, int]] | np.ndarray, length: list[float] | np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every tie in both directions, grouped by the person it leaves: each person's number
    of ties, the person each tie reaches and its length (1 without lengths), for the path
    code (:func:`source_dependencies`, :mod:`ona.brandes`) and, with the tie weights in
    place of lengths, Burt's constraint (:mod:`ona.burt`).

    >>> degree, heads, lengths = dag_arrays(3, [(0, 1), (1, 2)], [2.0, 1.0])
    >>> degree.tolist(), heads.tolist(), lengths.tolist()
    ([1, 2, 1], [1, 2, 0, 1], [2.0, 1.0, 2.0, 1.0])
    """
    ends = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    lengths = np.asarray(length, dtype=float) if length is not None else np.ones(len(ends))
    tails = np.concatenate([ends[:, 0], ends[:, 1]])
    order = np.argsort(tails, kind="stable")
    heads = np.concatenate([ends[:, 1], ends[:, 0]])[order]
    return np.bincount(tails, minlength=n), heads, np.concatenate([lengths, lengths])[order]


def source_dependencies(dist: np.ndarray, degree: np.ndarray, heads: np.ndarray,
                        lengths: np.ndarray) -> np.ndarray:
    """Brandes' dependency of every person on one source's shortest paths, from the
    source's distances (``dist``, infinite where unreachable; the ties as
    :func:`dag_arrays`): the share of the shortest paths from the source to everyone else
    that pass through the person. Summed over sources and halved, it is betweenness.

    The lengths are whole numbers (:func:`tie_lengths`), so a tie is on a shortest path
    exactly when the distance at its start plus its length equals the distance at its end.
    Ranked by distance, those ties form a triangular system, and Brandes' two passes are two
    sparse triangular solves: the number of shortest paths ``sigma`` (each the sum over the
    ties arriving), then ``y = (1 + delta) / sigma`` (``1 / sigma`` plus the sum over the
    ties leaving). The same sums as igraph's, measured equal to the last bit on networks of
    10k and 100k people; one Dijkstra per source then also gives harmonic closeness.

    Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology*, 25(2), 163-177.

    >>> degree, heads, lengths = dag_arrays(4, [(0, 1), (0, 2), (1, 3), (2, 3)], None)
    >>> source_dependencies(np.array([0.0, 1.0, 1.0, 2.0]), degree, heads, lengths).tolist()
    [0.0, 0.5, 0.5, 0.0]
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import spsolve_triangular
    n = len(dist)
    reached = np.isfinite(dist)
    at = np.where(reached, dist, np.nan)  # NaN never compares equal: no tie from the unreached
    on = np.repeat(at, degree) + lengths == at[heads]
    nodes = np.flatnonzero(reached)
    order = nodes[np.argsort(dist[nodes])]  # the source first (every length is positive)
    m = len(order)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(m)
    start = rank[np.repeat(np.arange(n), degree)[on]]
    end = rank[heads[on]]
    # the ties on shortest paths as an upper triangular matrix (row: start, column: end),
    # minus the identity; its transpose is the lower triangular one of the first pass
    by_start = np.argsort(start, kind="stable")
    indptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(start, minlength=m), out=indptr[1:])
    up = csr_matrix((np.full(len(start), -1.0), end[by_start], indptr), shape=(m, m))
    first = np.zeros(m)
    first[0] = 1.0
    sigma = spsolve_triangular(up.T, first, lower=True, unit_diagonal=True, overwrite_b=True)
    y = spsolve_triangular(up, 1.0 / sigma, lower=False, unit_diagonal=True, overwrite_b=True)
    delta = sigma * y - 1.0
    delta[0] = 0.0  # the source is not between itself and others
    out = np.zeros(n)
    out[order] = delta
    return out


def length_matrix(n: int, edges: list[tuple[int, int]] | np.ndarray, length: list[float] | None) -> Any:
    """The ties as a sparse matrix of their lengths (1 without lengths), each tie once, for
    scipy's shortest paths on the undirected network.

    >>> length_matrix(3, [(0, 1), (1, 2)], [2.0, 1.0]).toarray().tolist()
    [[0.0, 2.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    """
    from scipy.sparse import csr_matrix
    ends = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    data = np.asarray(length, dtype=float) if length is not None else np.ones(len(ends))
    return csr_matrix((data, (ends[:, 0], ends[:, 1])), shape=(n, n))


def path_task(payload: tuple[int, list[tuple[int, int]], list[float] | None],
              task: tuple) -> tuple[str, list[int], np.ndarray]:
    """One batch of sources, on any machine: the graph is rebuilt from ``payload`` (people,
    edges, lengths) and the batch's sums returned. The sums over all batches are the path
    measures, whoever computed each batch. ``task`` is ``("betweenness", sources)``,
    ``("harmonic", sources)`` (sums of 1/distance), or ``("paths", sources, harmonic)``:
    both from one Dijkstra per source, as a 2 x people array (betweenness, then the sums of
    1/distance from the sources also in ``harmonic``).

    >>> kind, chunk, values = path_task((3, [(0, 1), (1, 2)], None), ("betweenness", [0, 1, 2]))
    >>> values.tolist()
    [0.0, 1.0, 0.0]
    """
    n, edges, length = payload
    _share(n, edges, length, {task[0]})
    try:
        return _task(task)
    finally:
        _SHARED.clear()


def _ends(ties: TieArrays) -> np.ndarray:
    """The ties' two ends as rows of an array, as igraph lists an undirected graph's edges
    (``get_edgelist``: in order, the lower end first) without building the graph."""
    return np.column_stack([np.minimum(ties.u, ties.v), np.maximum(ties.u, ties.v)]).astype(np.int64)


def _share(n: int, edges: np.ndarray | list[tuple[int, int]], length: list[float] | None,
           kinds: set[str]) -> None:
    """What batches of these ``kinds`` read: igraph's graph and its lengths ("betweenness"),
    and the ties as the compiled path code ("paths") and scipy's Dijkstra ("harmonic") take
    them. Only what the kinds read is made: the default ("paths") needs no igraph graph."""
    graph = None
    if "betweenness" in kinds:
        graph = ig.Graph(n=n, edges=edges if isinstance(edges, list) else edge_list(edges[:, 0], edges[:, 1]))
        if length is not None:
            # the lengths are an edge attribute, set once: not a list converted on every call
            graph.es["length"] = length
    _SHARED.update(graph=graph, length=length,
                   matrix=length_matrix(n, edges, length) if "harmonic" in kinds else None,
                   dag=dag_arrays(n, edges, length) if "paths" in kinds else None)
    if "paths" in kinds:  # compiled (or read from numba's cache) once, before any fork
        from .brandes import path_sums
        path_sums([0], [0], *dag_arrays(2, [(0, 1)], None))


def _path_sums(n: int, edges: np.ndarray, length, between_sources: list[int], harmonic_sources: list[int],
               workers: int | None, mapper: Callable | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Betweenness summed over ``between_sources``; for every person, the sum of
    1/distance from ``harmonic_sources`` and how many of them (itself excluded) were counted.
    ``edges``: the undirected ties' two ends as rows (:func:`_ends`)."""
    return _start_path_sums(n, edges, length, between_sources, harmonic_sources, workers, mapper)()


def _start_path_sums(n: int, edges: np.ndarray, length, between_sources: list[int], harmonic_sources: list[int],
                     workers: int | None, mapper: Callable | None = None) -> Pending:
    """:func:`_path_sums` started on the forked workers (with ``mapper``: done before it
    returns); calling the result waits for the sums."""
    chunks = [between_sources[i:i + _CHUNK] for i in range(0, len(between_sources), _CHUNK)]
    wanted = set(harmonic_sources)
    tasks: list[tuple]
    if between_sources and wanted <= set(between_sources):
        # one Dijkstra per source serves both measures (the default harmonic sources are
        # among the betweenness sources)
        tasks = [("paths", chunk, [s for s in chunk if s in wanted]) for chunk in chunks]
    else:
        tasks = [("betweenness", chunk) for chunk in chunks]
        tasks += [("harmonic", harmonic_sources[i:i + _CHUNK])
                  for i in range(0, len(harmonic_sources), _CHUNK)]
    pending: Pending[list]
    if mapper is not None:
        pending = Pending(done=mapper(path_task, (n, edge_list(edges[:, 0], edges[:, 1]), length), tasks))
    else:
        _share(n, edges, length, {t[0] for t in tasks})
        try:
            pending = start_forked(_task, tasks, workers=workers)
        finally:  # the forked workers have their own copy
            _SHARED.clear()
    return pending.then(partial(_add_sums, n, harmonic_sources))


def _add_sums(n: int, harmonic_sources: list[int], results: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The batches' sums added up (:func:`_path_sums`)."""
    between = np.zeros(n)
    inverse_sum = np.zeros(n)
    for kind, _chunk, values in results:
        if kind == "betweenness":
            between += values
        elif kind == "harmonic":
            inverse_sum += values
        else:
            between += values[0]
            inverse_sum += values[1]
    counted = np.full(n, float(len(harmonic_sources)))
    counted[harmonic_sources] -= 1  # a source does not measure its distance to itself
    return between, inverse_sum, counted
