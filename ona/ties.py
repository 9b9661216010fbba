"""Which pairs of people count as tied: the tie rule, and the ties as integer arrays.

Every measure runs on the ties of the chosen layers. A pair of people is tied when one of
them declares a tie to the other in a chosen relation, or when their interaction weight
(summed over both directions and the chosen channels) passes the **tie rule**:

- ``backbone`` (the default): the pair's weight is significantly above what their two
  amounts of collaboration would give if everyone mixed at random — the noise-corrected
  backbone of Coscia and Neffke (2017). With ``s_i`` a person's total interaction weight
  and ``N`` the sum of all ``s_i``, a pair expects ``E = s_i s_j / N``. The rule works on
  the lift ``L = W / E`` transformed to ``(L - 1) / (L + 1)`` (between -1 and 1), with the
  variance of ``W`` taken from a binomial model whose success probability has a Beta prior
  matching the random-mixing expectation (its variance from the hypergeometric
  distribution) updated by the observed ``W``; the variance of the transformed lift follows
  by the delta method. A pair is tied when its transformed lift is more than
  ``significance`` (1.64: one-sided 5%) standard deviations above 0. docs/metrics.md gives
  every formula.

  Why: the rule adapts to each pair's and each person's volume, so it needs no tuning
  between sparse and dense logs. In a sparse log almost any contact is more than chance
  and is kept (a fixed cut-off would throw most of the signal away); in a dense log a
  single message between two very active people is not, while their regular contacts are.
  Traffic spread evenly over everyone is not above chance unless it is a large part of
  what the recipients get; announcements are taken out before (mass events and
  broadcasters, :mod:`ona.interactions`).
- ``min_weight``: a fixed cut-off, the pair's weight at least ``min_weight`` (the rule of
  ona 0.1, where the cut-off was 2: two one-to-one messages or one hour-long one-to-one).
- ``all``: every pair with any interaction weight.

**Most ties per person** (``max_ties``, 40 by default for the backbone rule): an
interaction pair counts only when it is among the 40 strongest of at least one of the two
people; a declared tie always counts, and someone with fewer ties keeps them all. A dense
log of a large organisation passes the backbone test for tens of millions of pairs (38.9M
at 100,000 people with 300 events each), almost all of them a weak tail each person's own
strongest ties already cover; the measures run on the core network anyway (its 40 and 20
strongest per person), so the cap changes no answer and keeps the tie table to about 40 per
person. ``max_ties=0`` keeps every pair the rule passes.

A tied pair keeps its whole weight (interaction plus declared). Directed measures use the
directed ties of the pairs kept.

References
----------
Coscia, M. and Neffke, F. M. H. (2017). Network backboning with noisy data. *Proceedings
of the 33rd IEEE International Conference on Data Engineering*, 425-436.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .pairsum import directed_sums, pair_values, unordered_pairs, written_once
from .tiekernels import above_chance, directed_kept, ends_index, strengths, strongest_ends, strongest_indexed

__all__ = ["TieArrays", "TieRule", "PairTable", "pair_table", "tie_arrays", "from_networkx", "pair_weights", "backbone",
           "strong_tie_weight",
           "resolve_rule", "TIE_METHODS", "DEFAULT_SIGNIFICANCE", "STRONG_QUANTILE", "CORE_TIES",
           "PATH_TIES"]

TIE_METHODS = ("backbone", "min_weight", "all")
#: Standard deviations above chance a pair needs under the backbone rule (one-sided 5%).
DEFAULT_SIGNIFICANCE = 1.64
#: The core network keeps each person's strongest ties, this many (see the module doc).
CORE_TIES = 40
#: Shortest paths run over each person's strongest ties, this many (see the module doc).
PATH_TIES = 20
#: A strong tie is in this top quantile of the weights of the ties kept (the strongest quarter).
STRONG_QUANTILE = 0.75
#: The fixed cut-off of the ``min_weight`` rule when none is given.
LEGACY_MIN_WEIGHT = 2.0


@dataclass(frozen=True)
class TieRule:
    """The tie rule (see the module doc).

    method : ``"backbone"`` (default), ``"min_weight"`` or ``"all"``.
    significance : standard deviations above chance for the backbone rule (1.64).
    min_weight : the cut-off of the ``min_weight`` rule (2).
    max_ties : an interaction pair counts only when it is among the ``max_ties`` strongest
        of at least one of the two people (the module doc); by default 40 for the backbone rule and no
        limit for the others; 0 = no limit.

    >>> TieRule().describe()
    "interaction weight above chance (noise-corrected backbone, 1.64 sd) among each person's 40 strongest, or declared"
    >>> TieRule.from_min_weight(2).describe()
    'interaction weight >= 2, or declared'
    """

    method: str = "backbone"
    significance: float = DEFAULT_SIGNIFICANCE
    min_weight: float = LEGACY_MIN_WEIGHT
    max_ties: int | None = None

    @property
    def cap(self) -> int:
        """The most ties per person the rule keeps (0 = no limit)."""
        if self.max_ties is not None:
            return int(self.max_ties)
        return CORE_TIES if self.method == "backbone" else 0

    def __post_init__(self) -> None:
        if self.method not in TIE_METHODS:
            raise ConfigError(f"the tie rule must be one of {', '.join(TIE_METHODS)}, got {self.method!r}")
        if not (math.isfinite(self.significance) and self.significance >= 0):
            raise ConfigError(f"the tie significance must be a number >= 0, got {self.significance!r}")
        if not (math.isfinite(self.min_weight) and self.min_weight >= 0):
            raise ConfigError(f"the minimum tie weight must be a number >= 0, got {self.min_weight!r}")
        if self.max_ties is not None and self.max_ties < 0:
            raise ConfigError(f"the most ties per person must be 0 (no limit) or more, got {self.max_ties!r}")

    @classmethod
    def from_min_weight(cls, min_weight: float | None) -> TieRule:
        """The fixed cut-off rule for a number, the default rule for None."""
        return cls() if min_weight is None else cls(method="min_weight", min_weight=float(min_weight))

    def describe(self) -> str:
        among = f" among each person's {self.cap} strongest" if self.cap else ""
        if self.method == "backbone":
            return (f"interaction weight above chance (noise-corrected backbone, "
                    f"{self.significance:g} sd){among}, or declared")
        if self.method == "min_weight":
            return f"interaction weight >= {self.min_weight:g}{among}, or declared"
        return f"any interaction{among}, or declared"

    def record(self) -> dict:
        """The rule for run records."""
        out: dict = {"method": self.method}
        if self.method == "backbone":
            out["significance"] = self.significance
        elif self.method == "min_weight":
            out["min_weight"] = self.min_weight
        if self.cap:
            out["max_ties"] = self.cap
        return out


def resolve_rule(rule: TieRule | None = None, min_weight: float | None = None) -> TieRule:
    """``rule``, or the fixed cut-off when only ``min_weight`` is given, or the default."""
    if rule is not None and min_weight is not None:
        raise ConfigError("give either a tie rule or a minimum tie weight, not both")
    return rule if rule is not None else TieRule.from_min_weight(min_weight)


@dataclass(frozen=True)
class TieArrays:
    """Ties of the chosen layers as integer arrays over people positions ``0..n-1``.

    ``u < v`` pairs with their combined undirected weight, and the directed ties
    (``s -> t``) of the pairs kept, with their weights. ``rule`` is the tie rule that
    chose them; ``pairs_seen`` the pairs with any interaction or declared tie before it.
    """

    n: int
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    s: np.ndarray
    t: np.ndarray
    ws: np.ndarray
    rule: TieRule = TieRule()
    pairs_seen: int = 0
    events: np.ndarray | None = field(default=None, compare=False, repr=False)
    _cores: dict = field(default_factory=dict, compare=False, repr=False)
    _graph: list = field(default_factory=list, init=False, compare=False, repr=False)

    def resampled(self, scale: np.ndarray) -> TieArrays:
        """The same ties with their weights multiplied by ``scale`` (one per pair), those
        brought to 0 left out; undirected only."""
        keep = scale > 0
        empty = np.zeros(0, dtype=np.int64)
        return TieArrays(n=self.n, u=self.u[keep], v=self.v[keep], w=self.w[keep] * scale[keep],
                         s=empty, t=empty, ws=np.zeros(0), rule=self.rule, pairs_seen=self.pairs_seen)

    def core(self, k: int = CORE_TIES, *, directed: bool = True) -> TieArrays:
        """The core network: the pairs among the ``k`` strongest ties of either person (module
        doc, "Core network"), with the directed ties of those pairs. Ties that join parts of
        the network the core would separate are kept too, strongest first, so the core has
        the same connected parts as the whole. ``directed=False`` leaves the directed ties
        out (empty).

        >>> t = TieArrays(n=4, u=np.array([0, 0, 0, 1]), v=np.array([1, 2, 3, 2]),
        ...               w=np.array([5.0, 4.0, 1.0, 3.0]), s=np.array([], int),
        ...               t=np.array([], int), ws=np.array([]))
        >>> c = t.core(1)  # 0-3 is 0's weakest tie but 3's only one: kept
        >>> sorted(zip(c.u.tolist(), c.v.tolist()))
        [(0, 1), (0, 2), (0, 3)]
        """
        if len(self.u) == 0 or k <= 0 or (self.rule.cap and k >= self.rule.cap):
            return self  # the rule already keeps each person's k strongest at most
        if (k, directed) not in self._cores:  # the arrays never change: work it out once
            self._cores[(k, directed)] = self._core(k, directed)
        return self._cores[(k, directed)]

    def _core(self, k: int, directed: bool) -> TieArrays:
        keep = strongest(self.u, self.v, self.w, self.n, k)
        if keep.all():
            return self
        keep |= _joining(self.n, self.u, self.v, self.w, keep)
        if not directed:
            empty = np.zeros(0, dtype=np.int64)
            s, t, ws = empty, empty, np.zeros(0)
        elif self.s.size:
            pair_index = pd.Index(self.u.astype(np.int64) * self.n + self.v)
            d_key = np.minimum(self.s, self.t).astype(np.int64) * self.n + np.maximum(self.s, self.t)
            kept_dir = keep[pair_index.get_indexer(d_key)]
            s, t, ws = self.s[kept_dir], self.t[kept_dir], self.ws[kept_dir]
        else:
            s, t, ws = self.s, self.t, self.ws
        return TieArrays(n=self.n, u=self.u[keep], v=self.v[keep], w=self.w[keep], s=s, t=t, ws=ws,
                         rule=self.rule, pairs_seen=self.pairs_seen)

    def undirected(self) -> ig.Graph:
        graph = ig.Graph(n=self.n, edges=edge_list(self.u, self.v), directed=False)
        graph.es["weight"] = self.w.tolist()
        return graph

    def shared_graph(self) -> ig.Graph:
        """:meth:`undirected`, built once and shared by whoever asks (the measures read its
        degrees and clustering, the tribes run Louvain on it): not to be changed.

        >>> t = TieArrays(n=3, u=np.array([0]), v=np.array([1]), w=np.array([2.0]),
        ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
        >>> t.shared_graph() is t.shared_graph(), t.shared_graph().es["weight"]
        (True, [2.0])
        """
        if not self._graph:  # the arrays never change: built once (0.09 s at 10k people)
            self._graph.append(self.undirected())
        return self._graph[0]

    def directed(self) -> ig.Graph:
        graph = ig.Graph(n=self.n, edges=edge_list(self.s, self.t), directed=True)
        graph.es["weight"] = self.ws.tolist()
        return graph


def edge_list(a: np.ndarray, b: np.ndarray) -> list[tuple[int, int]]:
    """Two arrays of ends as the list of pairs igraph takes (igraph reads a list of Python
    tuples about twice as fast as a numpy array).

    >>> edge_list(np.array([0, 1]), np.array([1, 2]))
    [(0, 1), (1, 2)]
    """
    return list(zip(np.asarray(a).tolist(), np.asarray(b).tolist()))


def _runs(values: np.ndarray, order: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of ``values`` taken in ``order`` over the runs beginning at ``starts``."""
    return np.add.reduceat(values[order], starts) if len(starts) else np.zeros(0)


def strongest(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int, k: int,
              where: np.ndarray | None = None) -> np.ndarray:
    """Which pairs are among the ``k`` strongest of at least one of their two people;
    ``where``: only these pairs take part (the others are not kept). Per person, equal
    weights are taken in table order, the ``u`` end of pair ``i`` at position ``i`` and
    its ``v`` end at ``m + i`` (:func:`ona.tiekernels.strongest_ends`).

    >>> strongest(np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2]), np.array([5.0, 4.0, 1.0, 3.0]), 4, 1).tolist()
    [True, True, True, False]
    """
    _check_positions(u, v, n)
    taking = np.ones(len(u), dtype=bool) if where is None else np.asarray(where, dtype=bool)
    if len(taking) != len(u) or len(w) != len(u):
        raise ValueError("u, v, w and where must be as long as each other")
    return strongest_ends(u, v, np.asarray(w, dtype=float), taking, n, k)


def _check_positions(u: np.ndarray, v: np.ndarray, n: int) -> None:
    """The compiled loops index arrays of ``n`` people by ``u`` and ``v`` unchecked."""
    if len(u) != len(v):
        raise ValueError("u and v must be as long as each other")
    if len(u) and (min(int(u.min()), int(v.min())) < 0 or max(int(u.max()), int(v.max())) >= n):
        raise ValueError(f"pair ends must be people positions 0..{n - 1}")


def _joining(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Ties not kept that join parts of the kept network which the whole network connects,
    strongest first (a maximum spanning forest over the parts)."""
    graph = ig.Graph(n=n, edges=edge_list(u[keep], v[keep]), directed=False)
    part = np.asarray(graph.connected_components().membership)
    out = np.zeros(len(u), dtype=bool)
    across = np.flatnonzero(~keep & (part[u] != part[v]))
    if not len(across):
        return out
    across = across[np.argsort(-w[across], kind="stable")]
    parent = np.arange(part.max() + 1)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in across:
        a, b = root(part[u[i]]), root(part[v[i]])
        if a != b:
            parent[a] = b
            out[i] = True
    return out


def backbone(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int,
             significance: float = DEFAULT_SIGNIFICANCE, where: np.ndarray | None = None) -> np.ndarray:
    """Which undirected pairs ``(u, v)`` of weight ``w`` are above chance (the module doc's
    backbone rule); pairs of weight 0 never are.

    Parameters
    ----------
    u, v : ndarray of int
        The two ends of each pair (people positions ``0..n-1``), each pair once.
    w : ndarray of float
        The pair's weight, summed over both directions.
    n : int
        The number of people (positions).
    significance : float, default 1.64
        Standard deviations above 0 the pair's transformed lift must be (one-sided 5%,
        :data:`DEFAULT_SIGNIFICANCE`).
    where : ndarray of bool, optional
        Only these pairs take part: the others count as pairs of weight 0, in the
        strengths too (default: every pair).

    Returns
    -------
    ndarray of bool
        One flag per pair, in the order given: True when the pair is above chance. When
        only one pair has any weight there is nothing to compare it with, and it is kept.

    References
    ----------
    Coscia, M. and Neffke, F. M. H. (2017). Network backboning with noisy data. *Proceedings
    of the 33rd IEEE International Conference on Data Engineering*, 425-436.

    Examples
    --------
    Two busy people exchanging one message among many are not tied; two quiet people
    who write to each other are:

    >>> u, v = np.array([0, 0, 1, 2, 3]), np.array([1, 2, 2, 3, 4])
    >>> w = np.array([40.0, 40.0, 1.0, 1.0, 1.0])
    >>> backbone(u, v, w, 5).tolist()
    [True, True, False, True, True]
    """
    w = np.asarray(w, dtype=float)
    _check_positions(u, v, n)
    taking = np.ones(len(u), dtype=bool) if where is None else np.asarray(where, dtype=bool)
    if len(w) != len(u) or len(taking) != len(u):
        raise ValueError("u, v, w and where must be as long as each other")
    strength = strengths(u, v, w, taking, n)
    total = float(strength.sum())
    if total == 0:  # no pair has any weight
        return np.zeros(len(w), dtype=bool)
    if total <= np.max(w, where=taking & (w > 0), initial=0.0) * 2:  # a single pair: nothing to compare it with
        return taking & (w > 0)
    return above_chance(u, v, w, taking, strength, total, significance)


def from_networkx(graph, *, weight: str = "weight") -> tuple[pd.DataFrame, TieArrays]:
    """Any networkx graph as ona's people table and tie arrays, so the group and tribe
    functions run on it: the nodes (as text ids, in the graph's order) with their
    attributes as columns (a ``department`` attribute makes the department views work),
    and every edge as a tie of its ``weight`` attribute (1 without one). Directed edges
    both ways between two nodes are one tie of their summed weight, and stay directed ties
    too; self-loops are left out.

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from([(1, {"department": "A"}), (2, {"department": "A"}), (3, {"department": "B"})])
    >>> g.add_edge(1, 2, weight=2.0); g.add_edge(2, 3)
    >>> people, ties = from_networkx(g)
    >>> people.index.tolist(), ties.u.tolist(), ties.v.tolist(), ties.w.tolist()
    (['1', '2', '3'], [0, 1], [1, 2], [2.0, 1.0])
    """
    nodes = list(graph.nodes)
    people = pd.DataFrame([dict(graph.nodes[x]) for x in nodes],
                          index=pd.Index([str(x) for x in nodes], name=S.EMPLOYEE_ID))
    if len(set(people.index)) != len(people):
        raise ConfigError("two nodes of the graph have the same id as text; relabel them first "
                          "(networkx.convert_node_labels_to_integers)")
    position = {x: i for i, x in enumerate(nodes)}
    edges = [(position[a], position[b], float(d.get(weight, 1.0))) for a, b, d in graph.edges(data=True) if a != b]
    if edges:
        a, b, w = (np.array(x) for x in zip(*edges))
    else:
        a, b, w = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    a, b = a.astype(np.int64), b.astype(np.int64)
    u, v = np.minimum(a, b), np.maximum(a, b)
    pairs = pd.DataFrame({"u": u, "v": v, "w": w}).groupby(["u", "v"], as_index=False)["w"].sum()
    directed = graph.is_directed()
    empty = np.zeros(0, dtype=np.int64)
    ties = TieArrays(n=len(nodes), u=pairs["u"].to_numpy(np.int64), v=pairs["v"].to_numpy(np.int64),
                     w=pairs["w"].to_numpy(float), s=a if directed else empty, t=b if directed else empty,
                     ws=w if directed else np.zeros(0), rule=TieRule("all"), pairs_seen=len(pairs))
    return people, ties


def tie_arrays(network, *, layers: Iterable[str] | None = None, rule: TieRule | None = None,
               min_weight: float | None = None) -> TieArrays:
    """The ties that count (the module doc), as integer arrays over the positions of
    ``network.people``.

    ``min_weight`` is a shortcut for the fixed cut-off rule.

    Parameters
    ----------
    network : OrgNetwork
        The network (its ``people`` and ``ties``).
    layers : iterable of str, optional
        The layers combined, matched after trimming spaces and lower-casing (default:
        :func:`ona.network.default_layers`).
    rule : TieRule, optional
        Which pairs count as tied (default ``TieRule()``: the noise-corrected backbone,
        each person's 40 strongest). Not with ``min_weight``.
    min_weight : float, optional
        The fixed cut-off rule with this weight (:meth:`TieRule.from_min_weight`).

    Returns
    -------
    TieArrays
        Over the positions of ``network.people``: the tied pairs ``u < v`` with their
        whole weight ``w`` (interaction plus declared), the directed ties ``s -> t`` of
        those pairs with their weights ``ws``, the interaction events of each pair, the
        rule used and the number of pairs in contact before it (``pairs_seen``).

    References
    ----------
    Coscia, M. and Neffke, F. M. H. (2017). Network backboning with noisy data. *Proceedings
    of the 33rd IEEE International Conference on Data Engineering*, 425-436.

    Examples
    --------
    >>> from ona.network import OrgNetwork
    >>> people = pd.DataFrame(index=pd.Index(["a", "b", "c"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a", "b", "a"], "target_id": ["b", "a", "c"],
    ...                      "layer": "email", "kind": "interaction",
    ...                      "weight": [1.0, 1.0, 1.0], "count": 1.0})
    >>> arrays = tie_arrays(OrgNetwork(people, ties), min_weight=2)
    >>> arrays.u.tolist(), arrays.v.tolist(), arrays.w.tolist()  # a-c has only 1: no tie
    ([0], [1], [2.0])
    >>> tie_arrays(OrgNetwork(people, ties), rule=TieRule("all")).w.tolist()
    [2.0, 1.0]
    """
    return pair_table(network, layers=layers).select(resolve_rule(rule, min_weight))


@dataclass(frozen=True)
class PairTable:
    """Every pair of people in contact on the chosen layers, before the tie rule: the
    unordered pairs ``u <= v`` with their total weight ``w``, interaction weight ``wi``,
    interaction events ``events`` and whether a relation is declared; the directed pairs
    ``ds -> dt`` with their weights ``dw`` and the index of their unordered pair ``pair_of``.
    :meth:`select` applies a tie rule, optionally to resampled weights.
    """

    n: int
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    wi: np.ndarray
    events: np.ndarray
    declared: np.ndarray
    ds: np.ndarray
    dt: np.ndarray
    dw: np.ndarray
    pair_of: np.ndarray
    #: every person's pair ends grouped by person (:meth:`with_ends_index`), or None
    ends: tuple[np.ndarray, np.ndarray] | None = None

    def undirected_only(self) -> PairTable:
        """The same pairs without the directed ones (enough for resampled reruns; half the
        memory of a large organisation's table)."""
        empty = np.zeros(0, dtype=np.int64)
        return PairTable(n=self.n, u=self.u, v=self.v, w=self.w, wi=self.wi, events=self.events,
                         declared=self.declared, ds=empty, dt=empty, dw=np.zeros(0), pair_of=empty,
                         ends=self.ends)

    def with_ends_index(self) -> PairTable:
        """The same table with its pairs' ends grouped by person
        (:func:`ona.tiekernels.ends_index`), which each :meth:`select` then uses to find
        each person's strongest ties in three quarters of the time: worth making when the
        rule is applied again and again (the reruns of :mod:`ona.confidence`), not once.
        The same ties. It takes 8 bytes a pair below a billion pairs (16 beyond), and 8 a
        person.

        >>> t = PairTable(n=3, u=np.array([0, 0]), v=np.array([1, 2]), w=np.array([2.0, 1.0]),
        ...               wi=np.array([2.0, 1.0]), events=np.array([2.0, 1.0]),
        ...               declared=np.zeros(2, dtype=bool), ds=np.array([0, 0]), dt=np.array([1, 2]),
        ...               dw=np.array([2.0, 1.0]), pair_of=np.array([0, 1]))
        >>> indexed = t.with_ends_index()
        >>> indexed.ends[0].tolist(), indexed.select(TieRule()).u.tolist() == t.select(TieRule()).u.tolist()
        ([0, 2, 3, 4], True)
        """
        if self.ends is not None:
            return self
        m = len(self.u)
        pair = np.empty(2 * m, dtype=np.int32 if 2 * m < 2 ** 31 else np.int64)
        ptr = ends_index(self.u, self.v, self.n, pair)
        return replace(self, ends=(ptr, pair))

    def select(self, rule: TieRule, scale: np.ndarray | None = None, *,
               directed: bool = True) -> TieArrays:
        """The tie arrays of the pairs the rule keeps. ``scale`` multiplies each pair's
        interaction weight (a resample; declared weights stay), directed weights too;
        ``directed=False`` leaves the directed ties out (empty), for undirected work."""
        wi, w, dw = self.wi, self.w, self.dw
        if scale is not None:
            wi = wi * scale
            w = self.w - self.wi + wi
            dw = dw * scale[self.pair_of]  # declared parts are scaled too: a small approximation
        distinct = self.u != self.v
        keep = _passes(rule, self.u, self.v, wi, self.n, distinct)
        if rule.cap and self.ends is not None:  # each person's strongest; a declared tie always counts
            keep = strongest_indexed(np.asarray(wi, dtype=float), keep, rule.cap, *self.ends)
        elif rule.cap:
            keep = strongest(self.u, self.v, wi, self.n, rule.cap, where=keep)
        keep = (keep | self.declared) & distinct & (w > 0)
        if not directed:
            empty = np.zeros(0, dtype=np.int64)
            return TieArrays(n=self.n, u=self.u[keep], v=self.v[keep], w=w[keep], s=empty, t=empty,
                             ws=np.zeros(0), rule=rule, pairs_seen=int(distinct.sum()),
                             events=self.events[keep])
        s, t, ws = directed_kept(keep, self.pair_of, self.ds, self.dt, dw)
        return TieArrays(n=self.n, u=self.u[keep], v=self.v[keep], w=w[keep], s=s, t=t, ws=ws,
                         rule=rule, pairs_seen=int(distinct.sum()), events=self.events[keep])


def pair_table(network, *, layers: Iterable[str] | None = None) -> PairTable:
    """Every pair in contact on the chosen layers (:class:`PairTable`)."""
    from .network import TieStore, check_layers, default_layers, stored_ties
    held = stored_ties(network)
    names = default_layers(held) if layers is None else [str(x).strip().lower() for x in layers]
    check_layers(held, names)
    summed = _store_sums(held, names) if isinstance(held, TieStore) else None
    if summed is not None:
        d_src, d_tgt, d_w, d_i, d_c, d_d = summed
        ids = held.ids
    else:
        d_src, d_tgt, d_w, d_i, d_c, d_d, ids = _frame_sums(network.ties, names)
    del summed
    return _pair_table(network.people, ids, d_src, d_tgt, d_w, d_i, d_c, d_d)


def _frame_sums(ties: pd.DataFrame, names: list[str]) -> tuple:
    """Per directed pair of id codes (in key order) on the chosen layers of a tie table:
    ``(source, target, weight, interaction weight, interaction events, declared or None,
    the ids)``."""
    from .network import in_layers, tie_codes
    # work on column arrays with a row mask: tens of millions of ties are never copied whole
    mask = in_layers(ties, names)
    everything = bool(mask.all())
    src, tgt, ids = tie_codes(ties, wide=False)
    declared = ties[S.KIND].eq(S.KIND_RELATIONSHIP).to_numpy(bool)
    w = ties[S.TIE_WEIGHT].to_numpy(float)
    c = ties[S.TIE_COUNT].to_numpy(float) if S.TIE_COUNT in ties else np.ones(len(ties))
    if not everything:
        pick = _rows(mask)
        src, tgt, declared, w, c = src[pick], tgt[pick], declared[pick], w[pick], c[pick]
    del mask
    m = max(len(ids), 1)
    # sum per directed pair over the id codes: in one pass when the rows are in (source,
    # target) order, as the loader gives them, else on an int64 key; then map codes to
    # people positions
    has_declared = bool(declared.any())
    summed = None if has_declared else directed_sums(src, tgt, w, c)
    if summed is not None:  # interaction layers only: one sum serves both
        d_src, d_tgt, d_w, d_c = summed
        d_i, d_d = d_w, None
    else:
        if has_declared:
            d_key, d_w, d_i, d_c, d_d = _with_declared(src, tgt, w, c, declared, m)
        else:
            d_key, (d_w, d_c), _ = _sum_by(_pair_key(src, tgt, m), w, c)
            d_i, d_d = d_w, None
        d_src, d_tgt = d_key // m, d_key % m
        del d_key
    return d_src, d_tgt, d_w, d_i, d_c, d_d, ids


#: Rows of ties kept in files read at a time by :func:`_store_sums` (about 100 MB of columns).
_STORE_BLOCK = 1 << 22


def _store_sums(store: Any, names: list[str], *, declared: bool = True, counts: bool = True) -> tuple | None:
    """:func:`_frame_sums` of ties kept in files (:class:`ona.network.TieStore`), read in
    blocks of whole sources: the interaction rows in files are in (source, target) order, so
    each block's directed sums are final; the declared rows are then merged in as
    :func:`_with_declared` does (``declared`` False: left out). ``counts`` False: the
    interaction events are not summed (None), a third less memory. None when the files'
    id codes are not the table's."""
    from .network import in_layers
    if counts is False and declared:
        raise ValueError("the declared relations are merged with the events' sums: counts=True")
    if store.id_map is not None:
        return None
    file = store.file
    m = max(len(store.types[S.TIE_SOURCE].categories), 1)
    chosen = np.isin(np.asarray(file.channels, dtype=object), names)
    total = len(file) if chosen.any() else 0
    out = [written_once(total, d) for d in (np.int32, np.int32, np.float64, np.float64)[:4 if counts else 3]]
    k = 0
    for lo, hi in file.blocks(_STORE_BLOCK) if total else []:
        columns = [file.read(name, lo, hi) for name in ("s", "t", "w", "c" if counts else "w")]
        if not chosen.all():
            keep = chosen[file.read("layer", lo, hi)]
            columns = [column[keep] for column in columns]
        summed = directed_sums(*columns)
        if summed is None:
            return None
        for whole, part in zip(out, summed):
            whole[k:k + len(part)] = part
        k += len(summed[0])
        del columns, summed
    d_src, d_tgt, d_w = (whole[:k] for whole in out[:3])
    d_c = out[3][:k] if counts else None
    del out
    part = store.declared
    rows = in_layers(part, names) if len(part) and declared else np.zeros(0, dtype=bool)
    if not rows.any() or d_c is None:  # (d_c is there whenever declared rows are merged)
        return d_src, d_tgt, d_w, d_w, d_c, None
    r_key = _pair_key(part[S.TIE_SOURCE].array.codes[rows], part[S.TIE_TARGET].array.codes[rows], m)
    d_key, d_w, d_i, d_c, d_d = _merge_declared(_pair_key(d_src, d_tgt, m), d_w, d_c, r_key,
                                                part[S.TIE_WEIGHT].to_numpy(float)[rows])
    return d_key // m, d_key % m, d_w, d_i, d_c, d_d


def _pair_table(people: pd.DataFrame, ids: pd.Index, d_src: np.ndarray, d_tgt: np.ndarray, d_w: np.ndarray,
                d_i: np.ndarray, d_c: np.ndarray, d_d: np.ndarray | None) -> PairTable:
    """The pair table from the directed sums of :func:`_frame_sums`."""
    n, m = len(people), max(len(ids), 1)
    position = pd.Series(np.arange(n), index=people.index).reindex(ids).to_numpy()
    position = position.astype(np.int32 if n < 2 ** 31 else np.int64)
    if len(position) == m and bool((position == np.arange(m)).all()):
        # the people are the ids, in the same order: no look-up (nor copy, past 32,767 people)
        ds, dt = d_src.astype(position.dtype, copy=False), d_tgt.astype(position.dtype, copy=False)
    else:
        ds, dt = position[d_src], position[d_tgt]
    del d_src, d_tgt
    if len(position) < 2 or bool((position[1:] > position[:-1]).all()):
        # people in id order (as ona.load gives them): the directed pairs are in (ds, dt)
        # order, and merging the two directions needs no sort
        u, v, first, second, pair_of = unordered_pairs(ds, dt, max(n, 1))
        # the counts first: their directed sums are not kept, and are freed before the
        # weights' pair sums are made (at 100k people the stage's peak 6.49 -> 6.19 GB)
        p_c = pair_values(d_c, first, second)
        del d_c
        p_w = pair_values(d_w, first, second)
        p_i = p_w if d_i is d_w else pair_values(d_i, first, second)
        if d_d is not None and len(first):
            p_d = d_d[first] | np.where(second >= 0, d_d[np.maximum(second, 0)], False)
        else:
            p_d = np.zeros(len(first), dtype=bool)
        del first, second, d_i, d_d
        return PairTable(n=n, u=u, v=v, w=p_w, wi=p_i, events=p_c, declared=p_d, ds=ds, dt=dt,
                         dw=d_w, pair_of=pair_of)
    # per unordered pair: sort the directed pairs by (lower, higher) end once, sum in runs
    pair = _pair_key(np.minimum(ds, dt), np.maximum(ds, dt), max(n, 1))
    # a run holds at most the two directions of a pair, and a + b == b + a exactly: any
    # sort gives the same sums, and numpy's default sort is about twice the stable one's speed
    order = np.argsort(pair)
    pair = pair[order]  # the unsorted keys are released here
    boundary = np.empty(len(pair), dtype=bool)
    boundary[:1] = True
    np.not_equal(pair[1:], pair[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    p_key = pair[starts]
    del pair

    p_w = _runs(d_w, order, starts)
    p_i = p_w if d_i is d_w else _runs(d_i, order, starts)
    p_c = _runs(d_c, order, starts)
    p_d = (np.logical_or.reduceat(d_d[order], starts) if d_d is not None and len(starts)
           else np.zeros(len(p_key), dtype=bool))
    del starts, d_i, d_d, d_c
    group = np.cumsum(boundary, dtype=np.int32 if len(boundary) < 2 ** 31 else np.int64)
    del boundary
    group = group - 1
    pair_of = np.empty(len(order), dtype=group.dtype)
    pair_of[order] = group  # back from sorted order to the directed pairs' order
    del group, order
    ends = np.int32 if n < 2 ** 31 else np.int64  # half the memory of a large organisation's pairs
    return PairTable(n=n, u=(p_key // max(n, 1)).astype(ends), v=(p_key % max(n, 1)).astype(ends),
                     w=p_w, wi=p_i, events=p_c, declared=p_d, ds=ds, dt=dt, dw=d_w, pair_of=pair_of)


def _with_declared(src: np.ndarray, tgt: np.ndarray, w: np.ndarray, c: np.ndarray,
                   declared: np.ndarray, m: int) -> tuple[np.ndarray, ...]:
    """Per directed pair (key ``src * m + tgt``, in key order): total weight, interaction
    weight, interaction events and whether declared. The interaction rows (usually one
    block, in key order as loaded) are summed without a sort; the few declared rows are
    then merged in, added to the interaction weight one after the other in table order
    (the loader puts the interaction ties first: the same sums as over the rows in order)."""
    inter = _rows(~declared)
    i_key, (i_w, i_c), _ = _sum_by(_pair_key(src[inter], tgt[inter], m), w[inter], c[inter])
    rows = np.flatnonzero(declared)
    return _merge_declared(i_key, i_w, i_c, _pair_key(src[rows], tgt[rows], m), w[rows])


def _merge_declared(i_key: np.ndarray, i_w: np.ndarray, i_c: np.ndarray, r_key: np.ndarray,
                    r_w: np.ndarray) -> tuple[np.ndarray, ...]:
    """The interaction sums per directed pair (keys ``i_key`` in order) with the declared
    rows (keys ``r_key``, weights ``r_w``, in table order) merged in: as :func:`_with_declared`."""
    new = np.unique(r_key[~_member(r_key, i_key)])
    if len(new):  # directed pairs only declared: merged into their places
        at = np.searchsorted(i_key, new)
        d_key = np.insert(i_key, at, new)
        moved = np.arange(len(i_key)) + np.searchsorted(new, i_key)
        d_i = np.zeros(len(d_key))
        d_i[moved] = i_w
        d_c = np.zeros(len(d_key))
        d_c[moved] = i_c
        del moved, at
    else:
        d_key, d_i, d_c = i_key, i_w, i_c
    d_w = d_i.copy()
    where = np.searchsorted(d_key, r_key)
    np.add.at(d_w, where, r_w)  # in table order, one row after the other
    d_d = np.zeros(len(d_key), dtype=bool)
    d_d[where] = True
    return d_key, d_w, d_i, d_c, d_d


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each value is in ``sorted_keys`` (sorted, distinct)."""
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


def _passes(rule: TieRule, u: np.ndarray, v: np.ndarray, weight: np.ndarray, n: int,
            where: np.ndarray) -> np.ndarray:
    """The interaction pairs the rule keeps, of those ``where`` is True for (the others
    count as pairs of weight 0)."""
    if rule.method == "all":
        return where & (weight > 0)
    if rule.method == "min_weight":
        # a hair of tolerance: the same events summed in another order must give the same ties
        return where & (weight >= rule.min_weight - 1e-9) & (weight > 0)
    return backbone(u, v, weight, n, rule.significance, where=where)


def pair_weights(ties: pd.DataFrame, mask: np.ndarray | None = None) -> np.ndarray:
    """Total weight of every pair of people (both directions, the masked rows' layers
    summed), one value per pair with any tie, in no particular order.

    >>> t = pd.DataFrame({"source_id": ["a", "b", "a"], "target_id": ["b", "a", "c"],
    ...                   "weight": [1.0, 2.0, 0.5]})
    >>> sorted(pair_weights(t).tolist())
    [0.5, 3.0]
    """
    return _pairs(ties, mask)[2]


def _pairs(ties: pd.DataFrame, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Every pair of people (lower, higher id code) with its total weight, and the number of codes."""
    from .network import tie_codes
    src, tgt, ids = tie_codes(ties, wide=False)
    w = ties[S.TIE_WEIGHT].to_numpy(float)
    if mask is not None and not mask.all():
        pick = _rows(mask)
        src, tgt, w = src[pick], tgt[pick], w[pick]
    m = max(len(ids), 1)
    d_key, (d_w,), _ = _sum_by(_pair_key(src, tgt, m), w)  # sorted as loaded: no sort needed
    del src, tgt, w
    ds, dt = (d_key // m).astype(np.int32), (d_key % m).astype(np.int32)
    del d_key
    pair = _pair_key(np.minimum(ds, dt), np.maximum(ds, dt), m)
    del ds, dt
    order = np.argsort(pair)  # runs of at most two: the order within them cannot matter
    pair = pair[order]
    d_w = d_w[order]
    del order
    keys, (p_w,), _ = _sum_by(pair, d_w)
    return keys // m, keys % m, p_w, m


def strong_tie_weight(ties: Any, *, channels: Iterable[str] | None = None,
                      rule: TieRule | None = None, quantile: float = STRONG_QUANTILE) -> float:
    """The weight of a strong tie: the ``quantile`` (0.75) of the interaction weights of the
    pairs the tie rule keeps, over the chosen channels (default every channel) — the
    strongest quarter of the organisation's ties. Infinite without interactions.

    Parameters
    ----------
    ties : DataFrame or TieStore
        The tie table (``network.ties``, or the ties kept in files: ``stored_ties(network)``);
        only rows of kind ``interaction`` are read.
    channels : iterable of str, optional
        The interaction channels counted, as named in the tie table (default: every
        channel).
    rule : TieRule, optional
        Which pairs count as tied (default ``TieRule()``, the noise-corrected backbone). Its
        most-ties-per-person cap is not applied here.
    quantile : float, default 0.75
        The quantile of the tied pairs' weights taken (:data:`STRONG_QUANTILE`).

    Returns
    -------
    float
        The ``quantile`` of the tied pairs' interaction weights (both directions and the
        chosen channels summed per pair); ``math.inf`` when no interaction pair is tied.

    References
    ----------
    Coscia, M. and Neffke, F. M. H. (2017). Network backboning with noisy data. *Proceedings
    of the 33rd IEEE International Conference on Data Engineering*, 425-436.

    Examples
    --------
    >>> t = pd.DataFrame({"source_id": list("aabbc"), "target_id": list("bcdee"),
    ...                   "layer": "email", "kind": "interaction",
    ...                   "weight": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> strong_tie_weight(t, rule=TieRule("all"))
    4.0
    """
    rule = rule or TieRule()
    chosen = None if channels is None else [str(c) for c in channels]  # any iterable, read once
    from .network import TieStore
    if isinstance(ties, TieStore):  # ties in files: the interaction pairs summed from them
        names = [c for c in ties.file.channels if chosen is None or c in chosen]
        summed = _store_sums(ties, names, declared=False, counts=False) if names else None
        if summed is not None:
            ds, dt, d_w = summed[0], summed[1], summed[2]
            del summed
            if not len(ds):
                return math.inf
            m = max(len(ties.types[S.TIE_SOURCE].categories), 1)
            u, v, first, second, _ = unordered_pairs(ds, dt, m)
            del ds, dt, _
            w = pair_values(d_w, first, second)
            del d_w, first, second  # only the pairs' weights are needed for the rule
            kept = w[_passes(rule, u, v, w, m, u != v)]
            return float(np.quantile(kept, quantile)) if len(kept) else math.inf
        if not names:
            return math.inf
        ties = ties.frame()
    mask = (ties[S.KIND] == S.KIND_INTERACTION).to_numpy(bool)
    if chosen is not None:  # (pandas' arrays can be read-only: a new mask, not in place)
        mask = mask & ties[S.LAYER].isin(chosen).to_numpy(bool)
    if not mask.any():
        return math.inf
    u, v, w, m = _pairs(ties, mask)
    distinct = u != v
    kept = w[_passes(rule, u, v, w, m, distinct)]
    return float(np.quantile(kept, quantile)) if len(kept) else math.inf


def _rows(mask: np.ndarray) -> slice | np.ndarray:
    """The rows of a mask as a slice when they are one block (the loader puts interaction
    ties before declared ones, so the usual selection is a view, not a copy).

    >>> _rows(np.array([False, True, True, False]))
    slice(1, 3, None)
    """
    count = int(mask.sum())
    if count:
        first = int(mask.argmax())
        last = len(mask) - 1 - int(mask[::-1].argmax())
        if last - first + 1 == count:
            return slice(first, last + 1)
    return mask


def _pair_key(a: np.ndarray, b: np.ndarray, m: int) -> np.ndarray:
    """a * m + b as int64, with one array allocated."""
    key = np.multiply(a, m, dtype=np.int64)
    np.add(key, b, out=key)
    return key


def _sum_by(key: np.ndarray, *values: np.ndarray, flags: tuple[np.ndarray, ...] = ()):
    """The distinct keys in increasing order, each of ``values`` summed per key and each of
    ``flags`` (booleans) or-ed per key.

    >>> keys, (sums,), (anys,) = _sum_by(np.array([5, 2, 5]), np.array([1.0, 2.0, 3.0]),
    ...                                   flags=(np.array([False, False, True]),))
    >>> keys.tolist(), sums.tolist(), anys.tolist()
    ([2, 5], [2.0, 4.0], [False, True])
    """
    key = np.asarray(key, dtype=np.int64)
    if len(key) and not (key[1:] >= key[:-1]).all():  # tie tables usually come sorted
        order = np.argsort(key, kind="stable")  # timsort: fast on the nearly sorted
        key = key[order]
        values = tuple(np.asarray(v)[order] for v in values)
        flags = tuple(np.asarray(f)[order] for f in flags)
    if not len(key):
        return key, [np.zeros(0) for _ in values], [np.zeros(0, bool) for _ in flags]
    boundary = np.empty(len(key), dtype=bool)
    boundary[0] = True
    np.not_equal(key[1:], key[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    sums = [np.add.reduceat(np.asarray(v, dtype=float), starts) for v in values]
    anys = [np.logical_or.reduceat(np.asarray(f, dtype=bool), starts) for f in flags]
    return key[starts], sums, anys
