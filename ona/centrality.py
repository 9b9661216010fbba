"""Centrality and brokerage on the tie arrays, computed with igraph's C implementations.

networkx stays the public graph type; igraph is used inside because the path-based
measures (betweenness, closeness) are one to two orders of magnitude faster in C. Every
measure here is checked against networkx in tests/test_centrality.py.

Path measures treat a strong tie as a short distance: the length of a tie is
``1 / weight``. Betweenness and harmonic closeness are exact up to ``exact_limit``
people and estimated from ``pivots`` randomly chosen source people beyond (Brandes &
Pich 2007): the sums over the sampled sources are scaled by ``n / pivots``. The
benchmark (benchmarks/bench_metrics.py) reports the rank correlation of the estimate
with the exact values.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd

__all__ = ["TieArrays", "PathSettings", "centrality_measures"]


@dataclass(frozen=True)
class TieArrays:
    """Ties of the chosen layers as integer arrays over people positions ``0..n-1``.

    ``u < v`` pairs with their combined undirected weight, and the directed ties
    (``s -> t``) of the pairs kept, with their weights.
    """

    n: int
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    s: np.ndarray
    t: np.ndarray
    ws: np.ndarray

    def undirected(self) -> ig.Graph:
        graph = ig.Graph(n=self.n, edges=np.column_stack([self.u, self.v]), directed=False)
        graph.es["weight"] = self.w
        return graph

    def directed(self) -> ig.Graph:
        graph = ig.Graph(n=self.n, edges=np.column_stack([self.s, self.t]), directed=True)
        graph.es["weight"] = self.ws
        return graph


@dataclass(frozen=True)
class PathSettings:
    """Exact or sampled path measures.

    exact_limit : up to this many people, betweenness and harmonic closeness are exact.
    pivots : number of sampled source people beyond it.
    seed : seed of the sample (the same seed, the same estimate).
    """

    exact_limit: int = 4000
    pivots: int = 400
    seed: int = 0


def centrality_measures(ties: TieArrays, settings: PathSettings = PathSettings()) -> tuple[pd.DataFrame, dict]:
    """PageRank, betweenness, eigenvector, harmonic closeness, constraint, effective size
    and clustering for every person position. Returns the frame and a note of the methods.

    >>> arrays = TieArrays(n=3, u=np.array([0, 1]), v=np.array([1, 2]), w=np.array([1.0, 1.0]),
    ...                    s=np.array([0, 1]), t=np.array([1, 2]), ws=np.array([1.0, 1.0]))
    >>> frame, how = centrality_measures(arrays)
    >>> frame["betweenness"].tolist(), how["betweenness"]
    ([0.0, 1.0, 0.0], 'exact')
    """
    n = ties.n
    und = ties.undirected()
    length = (1.0 / ties.w).tolist() if len(ties.w) else None
    weights = ties.w.tolist() if len(ties.w) else None
    out = pd.DataFrame(index=range(n))
    out["pagerank"] = ties.directed().pagerank(weights=ties.ws.tolist() if len(ties.ws) else None,
                                               directed=True, damping=0.85) if n else []
    how: dict[str, str] = {}
    if n <= settings.exact_limit:
        between = np.asarray(und.betweenness(directed=False, weights=length), dtype=float)
        harmonic = np.asarray(und.harmonic_centrality(weights=length, normalized=False), dtype=float)
        how["betweenness"] = how["harmonic"] = "exact"
    else:
        rng = np.random.default_rng(settings.seed)
        k = min(settings.pivots, n)
        pivots = np.sort(rng.choice(n, size=k, replace=False)).tolist()
        between = np.asarray(und.betweenness(directed=False, weights=length, sources=pivots),
                             dtype=float) * (n / k)
        harmonic = _sampled_harmonic(und, length, pivots, n)
        how["betweenness"] = how["harmonic"] = f"sampled ({k} pivots, seed {settings.seed})"
    pairs = (n - 1) * (n - 2) / 2
    out["betweenness"] = between / pairs if pairs > 0 else 0.0
    out["harmonic"] = harmonic / (n - 1) if n > 1 else 0.0
    if len(ties.w):
        with warnings.catch_warnings():
            # igraph warns on disconnected graphs; docs/metrics.md explains the reading
            warnings.simplefilter("ignore", RuntimeWarning)
            eigen = np.asarray(und.eigenvector_centrality(weights=weights, scale=True), dtype=float)
    else:
        eigen = np.zeros(n)
    out["eigenvector"] = eigen
    degree = np.asarray(und.degree(), dtype=float)
    clustering = np.asarray(und.transitivity_local_undirected(mode="zero"), dtype=float)
    constraint = np.asarray(und.constraint(weights=weights), dtype=float)
    out["constraint"] = np.where(degree > 0, constraint, 1.0)
    out["effective_size"] = degree - clustering * np.maximum(degree - 1, 0)
    out["clustering"] = clustering
    return out, how


def _sampled_harmonic(graph: ig.Graph, length, pivots: list[int], n: int) -> np.ndarray:
    """Sum of 1/distance from every person to all others, estimated from the pivots:
    (n - 1) / k times the sum over pivots (the pivot itself excluded)."""
    total = np.zeros(n)
    counted = np.zeros(n)
    for start in range(0, len(pivots), 64):
        batch = pivots[start:start + 64]
        dist = np.asarray(graph.distances(source=batch, weights=length), dtype=float)
        with np.errstate(divide="ignore"):
            inverse = np.where(np.isfinite(dist) & (dist > 0), 1.0 / dist, 0.0)
        total += inverse.sum(axis=0)
        counted += len(batch)
        counted[batch] -= 1  # a pivot does not measure its distance to itself
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(counted > 0, total / np.maximum(counted, 1) * (n - 1), 0.0)
    return estimate
