"""The tie rule's loops over every pair, compiled: the backbone test and each person's
strongest pairs (:mod:`ona.ties` documents the rule; this module only does the arithmetic).

Both run once per pair, in one pass, with nothing made per pair but the answer: at 100k
people the rule meets 42M pairs, and made with whole-array steps each temporary array was
memory filled for the first time, which on a small machine is most of the cost.

- :func:`above_chance`: the backbone test of every pair, in the order of operations of the
  documented formulas (docs/metrics.md), so the same pairs pass bit for bit as with the
  numpy version this replaced.
- :func:`strongest_ends`: per person, the ``k`` strongest of their pairs, equal weights in
  table order (the ``u`` end of pair ``i`` at position ``i``, its ``v`` end at ``m + i``).
  The pairs stream past once in that order into a small heap per person (``k`` slots, or
  as many as the person has pairs);
  a pair only touches the heap when it beats the person's weakest kept one, which after
  the first few is rare.

>>> import numpy as np
>>> u, v = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2])
>>> strongest_ends(u, v, np.array([5.0, 4.0, 1.0, 3.0]), np.ones(4, dtype=np.bool_), 4, 1).tolist()
[True, True, True, False]
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["above_chance", "directed_kept", "ends_index", "strengths", "strongest_ends", "strongest_indexed"]


#: numpy's rules for floats in the backbone's arithmetic (a division by 0 gives inf or NaN,
#: as in the numpy version, rather than an error): a pair whose person holds all the weight
#: fails the test instead of stopping the analysis.
@njit(cache=True, nogil=True, error_model="numpy")
def _test(su: float, sv: float, wp: float, total: float, significance: float) -> bool:
    """The backbone test of one pair of weight ``wp`` between people of strengths ``su``
    and ``sv``; ``total``: the sum of all strengths."""
    product = su * sv
    # common = mean (1 - mean) / variance - 1 = (N - 1)(N^2 - s_i s_j) / ((N - s_i)(N - s_j)) - 1
    common = (total - su) * (total - sv)
    common = ((total - 1.0) * (total * total - product)) / common
    common -= 1.0
    if common < 1e-12:  # (NaN stays NaN)
        common = 1e-12
    # posterior share p = (W + mean * common) / (N + common), variance of W = N p (1 - p)
    var_w = product / (total * total)
    var_w *= common
    var_w += wp
    common += total
    var_w /= common
    var_w = var_w * (total * (1.0 - var_w / total))
    # lift L = W N / (s_i s_j); score (L - 1) / (L + 1); slope 2 (kappa + W dkappa) / (L + 1)^2
    # with kappa + W dkappa = (N s_i s_j + W (s_i s_j - N (s_i + s_j))) / (s_i s_j)^2
    lift = wp * total / product
    slope = su + sv
    slope *= -total
    slope += product
    slope *= wp
    slope += total * product
    slope /= product * product
    slope *= 2.0
    denominator = lift + 1.0
    slope /= denominator * denominator
    score = (lift - 1.0) / denominator
    bound = math.sqrt(var_w)
    bound *= abs(slope)
    bound *= significance
    return score > bound


@njit(cache=True, nogil=True)
def strengths(u: np.ndarray, v: np.ndarray, w: np.ndarray, where: np.ndarray, n: int) -> np.ndarray:
    """Per person, the sum of the weights above 0 of their pairs (of those ``where`` is
    True for): the sums over the ``u`` ends and over the ``v`` ends, each in table order,
    then added (as two ``np.bincount`` would)."""
    from_u = np.zeros(n)
    from_v = np.zeros(n)
    for i in range(len(w)):
        if where[i] and w[i] > 0:
            from_u[u[i]] += w[i]
            from_v[v[i]] += w[i]
    return from_u + from_v


@njit(cache=True, nogil=True, error_model="numpy")
def above_chance(u: np.ndarray, v: np.ndarray, w: np.ndarray, where: np.ndarray, strength: np.ndarray,
                 total: float, significance: float) -> np.ndarray:
    """Per pair, whether its weight ``w`` (above 0) is above chance between ``u`` and ``v``
    of these ``strength``s (:func:`ona.ties.backbone`). Pairs of weight 0 or less fail, and
    those ``where`` is False for.

    >>> import numpy as np
    >>> u, v = np.array([0, 0, 1, 2, 3]), np.array([1, 2, 2, 3, 4])
    >>> w = np.array([40.0, 40.0, 1.0, 1.0, 1.0])
    >>> every = np.ones(5, dtype=np.bool_)
    >>> s = strengths(u, v, w, every, 5)
    >>> s.tolist()
    [80.0, 41.0, 42.0, 2.0, 1.0]
    >>> above_chance(u, v, w, every, s, float(s.sum()), 1.64).tolist()
    [True, True, False, True, True]
    """
    out = np.empty(len(w), dtype=np.bool_)
    for i in range(len(w)):
        out[i] = where[i] and w[i] > 0 and _test(strength[u[i]], strength[v[i]], w[i], total, significance)
    return out


@njit(cache=True, nogil=True)
def _offer(p: int, weight: float, pos: int, start: np.ndarray, cap: np.ndarray, heap_w: np.ndarray,
           heap_pos: np.ndarray, size: np.ndarray, floor: np.ndarray) -> None:
    """End ``pos`` of weight ``weight`` offered to person ``p``'s heap of their strongest
    (``cap[p]`` slots from ``start[p]``, :func:`_push`); ``floor[p]`` is the weakest kept
    weight once the heap is full. The ends come in position order, so an end of equal
    weight never beats a kept one."""
    base = start[p]
    k = cap[p]
    size[p] = _push(heap_w[base:base + k], heap_pos[base:base + k], size[p], k, weight, pos)
    if size[p] == k:
        floor[p] = heap_w[base]


@njit(cache=True, nogil=True)
def strongest_ends(u: np.ndarray, v: np.ndarray, w: np.ndarray, where: np.ndarray, n: int,
                   k: int) -> np.ndarray:
    """Per pair (of those ``where`` is True for), whether it is among the ``k`` strongest
    of ``u`` or of ``v``: per person, by weight, equal weights in table order (the ``u``
    end of pair ``i`` first at position ``i``, then the ``v`` ends at ``m + i``).

    Each person's heap has ``min(k, their pairs)`` slots, so the heaps together hold at
    most two entries a pair, whatever ``k`` is."""
    m = len(u)
    keep = np.zeros(m, dtype=np.bool_)
    if k <= 0:
        return keep
    cap = np.zeros(n, dtype=np.int64)
    for i in range(m):
        if where[i]:
            cap[u[i]] += 1
            cap[v[i]] += 1
    start = np.zeros(n + 1, dtype=np.int64)
    for p in range(n):
        cap[p] = min(cap[p], k)
        start[p + 1] = start[p] + cap[p]
    heap_w = np.empty(start[n])
    heap_pos = np.empty(start[n], dtype=np.int64)
    size = np.zeros(n, dtype=np.int64)
    floor = np.full(n, -np.inf)  # the weakest kept weight once the heap is full
    for side in range(2):
        ends = u if side == 0 else v
        for i in range(m):
            if not where[i]:
                continue
            p = ends[i]
            weight = w[i]
            if size[p] == cap[p] and not weight > floor[p]:
                continue
            _offer(p, weight, i + side * m, start, cap, heap_w, heap_pos, size, floor)
    for p in range(n):
        for j in range(start[p], start[p] + size[p]):
            pos = heap_pos[j]
            keep[pos - m if pos >= m else pos] = True
    return keep


@njit(cache=True, nogil=True)
def ends_index(u: np.ndarray, v: np.ndarray, n: int, pair: np.ndarray) -> np.ndarray:
    """Every person's pair ends, grouped by person: the pairs where they are ``u``, then
    those where they are ``v``, each group in table order. Fills ``pair`` (``2 m`` long:
    the pair of each end as a ``u`` end, or ``m +`` the pair as a ``v`` end) and returns
    where each person's ends start, for :func:`strongest_indexed`.

    >>> import numpy as np
    >>> pair = np.empty(6, dtype=np.int64)
    >>> ends_index(np.array([0, 0, 1]), np.array([1, 2, 2]), 3, pair).tolist(), pair.tolist()
    ([0, 2, 4, 6], [0, 1, 2, 3, 4, 5])
    """
    m = len(u)
    ptr = np.zeros(n + 1, dtype=np.int64)
    for i in range(m):
        ptr[u[i] + 1] += 1
        ptr[v[i] + 1] += 1
    for p in range(n):
        ptr[p + 1] += ptr[p]
    fill = ptr[:n].copy()
    for i in range(m):  # the u ends first, then the v ends: each person's in position order
        pair[fill[u[i]]] = i
        fill[u[i]] += 1
    for i in range(m):
        pair[fill[v[i]]] = m + i
        fill[v[i]] += 1
    return ptr


@njit(cache=True, nogil=True)
def _push(heap_w: np.ndarray, heap_pos: np.ndarray, size: int, k: int, weight: float, pos: int) -> int:
    """End ``pos`` of weight ``weight`` offered to a heap of ``k`` slots holding ``size``
    ends: a min-heap on (weight, then later position first), the weakest at the root; an
    end is added while there is room, else it replaces the root if it beats it and is
    sifted down. Returns the new size."""
    if size < k:  # not full: sifted up from the bottom
        i = size
        while i > 0:
            parent = (i - 1) >> 1
            pw = heap_w[parent]
            if pw > weight or (pw == weight and heap_pos[parent] < pos):
                heap_w[i] = pw
                heap_pos[i] = heap_pos[parent]
                i = parent
            else:
                break
        heap_w[i] = weight
        heap_pos[i] = pos
        return size + 1
    i = 0  # full and beaten: the weakest replaced, the new end sifted down from the root
    while True:
        child = 2 * i + 1
        if child >= k:
            break
        cw = heap_w[child]
        cp = heap_pos[child]
        if child + 1 < k:
            rw = heap_w[child + 1]
            rp = heap_pos[child + 1]
            if rw < cw or (rw == cw and rp > cp):
                child += 1
                cw = rw
                cp = rp
        if cw < weight or (cw == weight and cp > pos):
            heap_w[i] = cw
            heap_pos[i] = cp
            i = child
        else:
            break
    heap_w[i] = weight
    heap_pos[i] = pos
    return size


@njit(cache=True, nogil=True)
def strongest_indexed(w: np.ndarray, where: np.ndarray, k: int, ptr: np.ndarray,
                      pair: np.ndarray) -> np.ndarray:
    """:func:`strongest_ends` over an :func:`ends_index` of the pairs: one person at a time,
    their heap in a buffer of ``k`` slots that stays in the processor's cache. The same
    pairs (each person keeps the ``k`` greatest ends by weight, then earlier position, an
    order in which no two ends are equal), in three quarters of the time once the index is
    made (it serves every rerun of :mod:`ona.confidence`).

    >>> import numpy as np
    >>> u, v = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2])
    >>> w, every = np.array([5.0, 4.0, 1.0, 3.0]), np.ones(4, dtype=np.bool_)
    >>> pair = np.empty(8, dtype=np.int64)
    >>> strongest_indexed(w, every, 1, ends_index(u, v, 4, pair), pair).tolist()
    [True, True, True, False]
    """
    m = len(w)
    keep = np.zeros(m, dtype=np.bool_)
    if k <= 0:
        return keep
    heap_w = np.empty(k)
    heap_pos = np.empty(k, dtype=np.int64)
    for p in range(len(ptr) - 1):
        size = 0
        for j in range(ptr[p], ptr[p + 1]):
            pos = pair[j]
            i = pos - m if pos >= m else pos
            if not where[i]:
                continue
            weight = w[i]
            if size == k and not weight > heap_w[0]:
                continue
            size = _push(heap_w, heap_pos, size, k, weight, pos)
        for j in range(size):
            pos = heap_pos[j]
            keep[pos - m if pos >= m else pos] = True
    return keep


@njit(cache=True, nogil=True)
def directed_kept(keep: np.ndarray, pair_of: np.ndarray, ds: np.ndarray, dt: np.ndarray,
                  dw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The directed pairs ``ds -> dt`` (weights ``dw``) whose unordered pair ``pair_of``
    is kept, in their order: what ``ds[keep[pair_of]]`` and the like give, without a mask
    as long as the directed pairs.

    >>> import numpy as np
    >>> s, t, w = directed_kept(np.array([True, False]), np.array([0, 1, 0]), np.array([0, 0, 1]),
    ...                         np.array([1, 2, 0]), np.array([1.0, 2.0, 3.0]))
    >>> s.tolist(), t.tolist(), w.tolist()
    ([0, 1], [1, 0], [1.0, 3.0])
    """
    count = 0
    for j in range(len(pair_of)):
        if keep[pair_of[j]]:
            count += 1
    s = np.empty(count, dtype=np.int64)
    t = np.empty(count, dtype=np.int64)
    ws = np.empty(count)
    at = 0
    for j in range(len(pair_of)):
        if keep[pair_of[j]]:
            s[at] = ds[j]
            t[at] = dt[j]
            ws[at] = dw[j]
            at += 1
    return s, t, ws
