"""Brandes' betweenness and harmonic closeness from one Dijkstra per source, compiled.

One source's work is a Dijkstra search with an indexed 4-ary heap, then Brandes' accumulation back
along the shortest paths, in a loop compiled by numba: the same sums as
:func:`ona.centrality.source_dependencies` (which builds the shortest-path DAG of each
source with numpy and solves two triangular systems in scipy), without the arrays that
approach makes for every source. Measured on the scale benchmark's 10k organisation
(479,400 directed ties after the default rule): 14.4 ms a source (scipy's Dijkstra 8.1 ms,
the passes 6.3 ms) against 3-4 ms here with a binary heap, and 2.9 ms with the 4-ary heap
(:data:`_ARITY`; best of four runs of 128 sources on 237,140 directed ties of the path
network, against 3.8 ms; the same sums to the last bit while the path counts stay below
2**53, :func:`_one_source`).

The back pass scans a person's ties only when the search counted them as someone's parent
on the shortest paths: at 100k people (2.3M directed ties on the path network) 80% of the
people are no one's parent, and the search does not check whether the person a tie
reaches is settled (it cannot matter, :func:`_one_source`). Together these took a fifth to a
quarter off a source (100k: 4.47 s against 3.45 s for 32 sources, best of five; 10k: 1.74
against 1.25 s for 256), with bit-identical sums: which ties are on a shortest path and
every sum's order are the same.

The tie lengths are whole numbers (:func:`ona.centrality.tie_lengths`), so distances are
exact and a tie is on a shortest path exactly when the distance at its start plus its
length equals the distance at its end, whatever order the search met them in. The path
counts ``sigma`` are whole numbers too (exact up to 2**53 shortest paths); only the
dependencies (fractions) are summed in an order of their own, and they agree with igraph's
and with the scipy route within a few units in the last place (tests/test_centrality.py).

Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
Mathematical Sociology*, 25(2), 163-177.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["path_sums"]


#: Children of a node of the search's heap: a 4-ary heap is half as deep as a binary one,
#: and its four children sit side by side in memory (at 10k people 2.9 ms a source against
#: 3.8 ms with the binary heap; 8 children gave no more).
_ARITY = 4


@njit(cache=True, nogil=True)
def _one_source(source: int, indptr: np.ndarray, heads: np.ndarray, lengths: np.ndarray,
                dist: np.ndarray, sigma: np.ndarray, where: np.ndarray, order: np.ndarray,
                key: np.ndarray, node: np.ndarray, pred: np.ndarray, kids: np.ndarray) -> int:
    """Dijkstra from ``source`` with an indexed 4-ary heap of people, each entry's distance
    held beside it (``key``, ``node``; ``where``: a person's place in it, -1 before they
    enter it, -2 once settled): distances, path counts and the people in the order they
    were settled (``order``; their number is returned).

    ``kids``: per person, at least the number of people whose shortest paths run through
    them last (their children on the shortest-path DAG); 0 only for those with none, whose
    back pass has nothing to add (:func:`_sums`). ``pred``: the parent who first reached a
    person at their present distance (-1 none yet), who loses that child when the distance
    improves; the parents who equal that distance later are not tracked, and their counts
    stay high after an improvement, which only costs a scan.

    A settled person is not skipped when a tie reaches them: their distance is at most the
    current one and every length is at least 1, so the tie can neither improve nor equal
    it (one memory read less a tie).

    Which of several people at one distance is settled first does not change any sum:
    distances and path counts are whole numbers (exact in any order), each person's back
    pass adds their ties in the ties' order, and every child, being farther, is settled
    after its parents. So the heap's shape is free, and the sums are the same to the last
    bit as with any other, while the path counts stay below 2**53 (beyond, adding the
    counts of three or more parents in another order can round differently)."""
    n = len(dist)
    for i in range(n):
        dist[i] = np.inf
        sigma[i] = 0.0
        where[i] = -1
        pred[i] = -1
        kids[i] = 0
    dist[source] = 0.0
    sigma[source] = 1.0
    key[0] = 0.0
    node[0] = source
    where[source] = 0
    size = 1
    settled = 0
    while size > 0:
        v = node[0]
        where[v] = -2
        size -= 1
        if size > 0:  # the last entry sifted down from the root
            last_key = key[size]
            last = node[size]
            i = 0
            while True:
                first = _ARITY * i + 1
                if first >= size:
                    break
                best = first
                best_key = key[first]
                end = min(first + _ARITY, size)
                for c in range(first + 1, end):
                    if key[c] < best_key:
                        best_key = key[c]
                        best = c
                if best_key < last_key:
                    key[i] = best_key
                    node[i] = node[best]
                    where[node[i]] = i
                    i = best
                else:
                    break
            key[i] = last_key
            node[i] = last
            where[last] = i
        order[settled] = v
        settled += 1
        d = dist[v]
        for k in range(indptr[v], indptr[v + 1]):
            w = heads[k]
            nd = d + lengths[k]
            if nd < dist[w]:
                dist[w] = nd
                sigma[w] = sigma[v]
                p = pred[w]
                if p >= 0:
                    kids[p] -= 1
                pred[w] = v
                kids[v] += 1
                i = where[w]
                if i == -1:  # a new entry at the bottom
                    i = size
                    size += 1
                while i > 0:  # sifted up to its place
                    parent = (i - 1) // _ARITY
                    if key[parent] > nd:
                        key[i] = key[parent]
                        node[i] = node[parent]
                        where[node[i]] = i
                        i = parent
                    else:
                        break
                key[i] = nd
                node[i] = w
                where[w] = i
            elif nd == dist[w]:
                sigma[w] += sigma[v]
                kids[v] += 1
    return settled


@njit(cache=True, nogil=True)
def _sums(sources: np.ndarray, harmonic: np.ndarray, indptr: np.ndarray, heads: np.ndarray,
          lengths: np.ndarray, between: np.ndarray, inverse: np.ndarray) -> None:
    n = len(between)
    dist = np.empty(n)
    sigma = np.empty(n)
    y = np.empty(n)
    where = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    key = np.empty(n)
    node = np.empty(n, dtype=np.int64)
    pred = np.empty(n, dtype=np.int64)
    kids = np.empty(n, dtype=np.int64)
    for j in range(len(sources)):
        source = sources[j]
        settled = _one_source(source, indptr, heads, lengths, dist, sigma, where, order, key, node, pred, kids)
        # y = (1 + delta) / sigma = 1 / sigma + the sum of y over the ties leaving on a
        # shortest path, from the farthest person back; people with no children (most of
        # them: 80% at 100k) have no ties to scan
        for i in range(settled - 1, -1, -1):
            v = order[i]
            total = 1.0 / sigma[v]
            if kids[v] == 0:
                y[v] = total
                if v != source:
                    between[v] += sigma[v] * total - 1.0
                continue
            for k in range(indptr[v], indptr[v + 1]):
                w = heads[k]
                if dist[v] + lengths[k] == dist[w]:
                    total += y[w]
            y[v] = total
            if v != source:
                between[v] += sigma[v] * total - 1.0
        if harmonic[j]:
            for i in range(1, settled):
                v = order[i]
                inverse[v] += 1.0 / dist[v]


def path_sums(sources: list[int], harmonic: list[int], degree: np.ndarray, heads: np.ndarray,
              lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Brandes' dependencies summed over ``sources`` (halve them for undirected betweenness)
    and, per person, the sum of 1/distance from the sources that are in ``harmonic``; the
    ties as :func:`ona.centrality.dag_arrays` gives them.

    >>> from ona.centrality import dag_arrays
    >>> between, inverse = path_sums([0, 1, 2, 3], [0], *dag_arrays(4, [(0, 1), (0, 2), (1, 3), (2, 3)], None))
    >>> (between / 2).tolist(), inverse.tolist()
    ([0.5, 0.5, 0.5, 0.5], [0.0, 1.0, 1.0, 0.5])
    """
    n = len(degree)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=indptr[1:])
    wanted = set(harmonic)
    between, inverse = np.zeros(n), np.zeros(n)
    _sums(np.asarray(sources, dtype=np.int64), np.array([s in wanted for s in sources], dtype=np.bool_),
          indptr, np.asarray(heads, dtype=np.int64), np.asarray(lengths, dtype=np.float64), between, inverse)
    return between, inverse
