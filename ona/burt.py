"""Burt's constraint, compiled.

For person ``i`` with ties of weight ``w`` to their contacts, ``p_ij = w_ij / s_i`` is the
share of ``i``'s network time spent on ``j`` (``s_i`` the sum of ``i``'s tie weights), and

    constraint_i = sum over contacts j of (p_ij + sum over contacts q of p_iq p_qj) ** 2

— high when ``i``'s contacts are few and tied to each other (no structural holes). The
definition is networkx's and igraph's for undirected weighted networks (the tests check it
against networkx). One pass per person over their contacts' contacts, compiled by numba:
the work is the sum over people of their number of ties squared. People without ties get
NaN.

Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
University Press.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["constraint"]


@njit(cache=True, nogil=True)
def _constraint(indptr: np.ndarray, heads: np.ndarray, weights: np.ndarray, out: np.ndarray) -> None:
    n = len(out)
    strength = np.zeros(n)
    for i in range(n):
        for k in range(indptr[i], indptr[i + 1]):
            strength[i] += weights[k]
    share = np.zeros(n)  # p_iq for the contacts q of the current person, 0 elsewhere
    for i in range(n):
        if strength[i] <= 0:
            out[i] = np.nan
            continue
        for k in range(indptr[i], indptr[i + 1]):
            share[heads[k]] += weights[k] / strength[i]
        total = 0.0
        for k in range(indptr[i], indptr[i + 1]):
            j = heads[k]
            indirect = 0.0
            for m in range(indptr[j], indptr[j + 1]):
                q = heads[m]
                if q != i:
                    indirect += share[q] * weights[m] / strength[q]
            c = share[j] + indirect
            total += c * c
        out[i] = total
        for k in range(indptr[i], indptr[i + 1]):
            share[heads[k]] = 0.0


def constraint(degree: np.ndarray, heads: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Burt's constraint of each person from their undirected ties, every tie in both
    directions grouped by the person it leaves (as :func:`ona.centrality.dag_arrays` gives
    them, with the tie weights as lengths); NaN for people without ties.

    >>> from ona.centrality import dag_arrays
    >>> constraint(*dag_arrays(4, [(0, 1), (0, 2), (1, 2)], [1.0, 1.0, 1.0])).round(4).tolist()
    [1.125, 1.125, 1.125, nan]
    """
    n = len(degree)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=indptr[1:])
    out = np.empty(n)
    _constraint(indptr, np.asarray(heads, dtype=np.int64), np.asarray(weights, dtype=np.float64), out)
    return out
