"""Tribes: the groups people actually work in, found by community detection.

A tribe result remembers how it was made (method, engine, resolution, seed, layers,
tie threshold) so a saved result can be reproduced.

Methods
-------
- ``louvain`` (default): modularity optimisation by the Louvain method (Blondel et al.
  2008). The engine is python-louvain up to ``PYTHON_LOUVAIN_LIMIT`` (2,000) people and
  igraph's C implementation of the same algorithm beyond, where python-louvain gets slow
  (about 0.4 s a run at 2,000 people, 1.1 s at 5,000 and 4 s at 10,000 here, against
  under 0.1 s with igraph; an analysis runs it 11 times with the stability check);
  ``engine=`` chooses explicitly.
- ``leiden``: the Leiden algorithm (Traag et al. 2019, igraph), which guarantees that
  every tribe is connected; better for large or fragmented networks.

People with no ties belong to no tribe (tribe 0). Tribes are numbered 1, 2, ... from the
largest; ties in size are broken by the smallest employee_id in the tribe.

Stability: :func:`tribe_stability` reruns the detection with other seeds and reports, per
tribe, the share of pairs of its members who stay together; a tribe below
``UNSTABLE_BELOW`` (0.5) is flagged as unstable rather than presented as fact.

References
----------
Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008). Fast unfolding of
communities in large networks. *Journal of Statistical Mechanics*, P10008.
Traag, V. A., Waltman, L. and van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
well-connected communities. *Scientific Reports*, 9, 5233.
Danon, L., Díaz-Guilera, A., Duch, J. and Arenas, A. (2005). Comparing community structure
identification. *Journal of Statistical Mechanics*, P09008 (normalised mutual information).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd

from .errors import ConfigError
from .network import OrgNetwork, default_layers, stored_ties
from .ties import CORE_TIES, TieArrays, TieRule, from_networkx, tie_arrays
from .workers import Pending, start_forked

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["TribeSettings", "TribeResult", "detect_tribes", "tribe_stability", "tribes_with_stability",
           "partition_agreement", "PYTHON_LOUVAIN_LIMIT", "UNSTABLE_BELOW", "NO_TRIBE"]

PYTHON_LOUVAIN_LIMIT = 2000
UNSTABLE_BELOW = 0.5
NO_TRIBE = 0
METHODS = ("louvain", "leiden")
ENGINES = ("auto", "python-louvain", "igraph")


@dataclass(frozen=True)
class TribeSettings:
    """How tribes are found and checked.

    Parameters
    ----------
    method : {"louvain", "leiden"}, default "louvain"
        Community detection: Louvain (Blondel et al. 2008) or Leiden (Traag et al. 2019).
    resolution : float, default 1.0
        Higher gives more, smaller tribes.
    seed : int, default 0
        Seed of the detection (its own seed: the path sampling has another).
    stability_seeds : int, default 10
        Reruns with other seeds to measure how stable each tribe is (0 = skip).
    large_stability_seeds : int, default 5
        At most this many reruns above ``large`` people: the reruns are the largest part
        of finding tribes (one Louvain run takes about 0.2 s at 10,000 people and 9 s at
        100,000). The figure is then coarser: each tribe's stability a mean over 5 seeds,
        not 10. Measured at 10,000 people against 40 seeds: a tribe's stability is off by
        0.004 on average with 5 seeds (0.002 with 10, at most 0.16 against 0.06), and the
        one tribe of 43 within 0.1 of the unstable line took the other side of it in 3 of
        8 sets of 5 seeds (0 of 4 sets of 10); README, "Twice as fast: where it stands".
    large : int, default 5,000
        The head count above which ``large_stability_seeds`` applies (the confidence
        reruns' ``large`` too, :class:`ona.confidence.ConfidenceSettings`). Set it to
        50,000 for the figure of the earlier releases.
    engine : str, default "auto"
        ``"python-louvain"``, ``"igraph"`` or ``"auto"`` (python-louvain up to 2,000 people).

    >>> TribeSettings(resolution=2.0).method
    'louvain'
    >>> TribeSettings().seeds(5_000), TribeSettings().seeds(10_000)
    (10, 5)
    """

    method: str = "louvain"
    resolution: float = 1.0
    seed: int = 0
    stability_seeds: int = 10
    engine: str = "auto"
    large_stability_seeds: int = 5
    large: int = 5_000

    def seeds(self, n: int) -> int:
        """How many stability reruns for an organisation of ``n`` people."""
        return int(self.stability_seeds) if n <= self.large else min(int(self.stability_seeds),
                                                                      int(self.large_stability_seeds))

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ConfigError(f"the tribe method is one of {', '.join(METHODS)}, got {self.method!r}")
        if not self.resolution > 0:
            raise ConfigError(f"resolution must be > 0, got {self.resolution!r}")
        if int(self.stability_seeds) < 0 or int(self.large_stability_seeds) < 0 or int(self.large) < 0:
            raise ConfigError(f"stability_seeds, large_stability_seeds and large must be 0 or more, "
                              f"got {self.stability_seeds!r}, {self.large_stability_seeds!r}, {self.large!r}")
        if self.engine not in ENGINES:
            raise ConfigError(f"the tribe engine is one of {', '.join(ENGINES)}, got {self.engine!r}")


@dataclass(frozen=True)
class TribeResult:
    """A partition of the people into tribes, with how it was made.

    membership : Series indexed by employee_id, the tribe number (0 = no ties, no tribe).
    modularity : weighted modularity of the partition (people without ties left out).
    """

    membership: pd.Series
    modularity: float
    method: str
    engine: str
    resolution: float
    seed: int
    layers: list[str] = field(default_factory=list)
    rule: TieRule = TieRule()
    core_ties: int = CORE_TIES

    @property
    def sizes(self) -> pd.Series:
        """Members per tribe, largest first (tribe 0, people without ties, left out)."""
        return self.membership[self.membership != NO_TRIBE].value_counts().sort_index()

    def provenance(self) -> dict:
        """How the result was made: enough to reproduce it."""
        return {"method": self.method, "engine": self.engine, "resolution": self.resolution,
                "seed": self.seed, "layers": list(self.layers), "tie_rule": self.rule.record(),
                "core_ties": self.core_ties,
                "modularity": self.modularity, "tribes": int(len(self.sizes))}


def _engine(method: str, engine: str, n: int) -> str:
    if method not in METHODS:
        raise ConfigError(f"tribe method must be one of {', '.join(METHODS)}, got {method!r}")
    if method == "leiden":
        if engine not in ("auto", "igraph"):
            raise ConfigError("the leiden method runs on igraph only")
        return "igraph"
    if engine == "auto":
        return "python-louvain" if n <= PYTHON_LOUVAIN_LIMIT else "igraph"
    if engine not in ("python-louvain", "igraph"):
        raise ConfigError(f"engine must be auto, python-louvain or igraph, got {engine!r}")
    return engine


def _labels(arrays: TieArrays, method: str, engine: str, resolution: float, seed: int,
            graph: ig.Graph | None = None) -> np.ndarray:
    """Raw community labels per person position (people without ties get -1); ``graph``:
    ``arrays.undirected()`` if already built (igraph only; it is not changed)."""
    n = arrays.n
    labels = np.full(n, -1, dtype=np.int64)
    if len(arrays.u) == 0:
        return labels
    if engine == "python-louvain":
        import community as community_louvain
        import networkx as nx
        graph = nx.Graph()
        graph.add_weighted_edges_from(zip(arrays.u.tolist(), arrays.v.tolist(), arrays.w.tolist()))
        parts = community_louvain.best_partition(graph, weight="weight", resolution=resolution,
                                                 random_state=seed)
        for node, label in parts.items():
            labels[node] = label
        return labels
    graph = graph if graph is not None else arrays.undirected()
    previous = ig.random_number_generator() if hasattr(ig, "random_number_generator") else None
    ig.set_random_number_generator(random.Random(seed))
    try:
        if method == "leiden":
            clusters = graph.community_leiden(objective_function="modularity", weights="weight",
                                              resolution=resolution, n_iterations=-1)
        else:
            clusters = graph.community_multilevel(weights="weight", resolution=resolution)
    finally:
        ig.set_random_number_generator(previous if previous is not None else random)
    membership = np.asarray(clusters.membership, dtype=np.int64)
    degree = np.asarray(graph.degree())
    labels[degree > 0] = membership[degree > 0]
    return labels


def _number(labels: np.ndarray, ids: pd.Index) -> np.ndarray:
    """Tribe numbers 1.. by size (largest first), ties broken by the smallest member id.

    >>> _number(np.array([5, 5, 2, 2, -1, 7]), pd.Index(["d", "b", "a", "c", "e", "f"])).tolist()
    [2, 2, 1, 1, 0, 3]
    """
    out = np.full(len(labels), NO_TRIBE, dtype=np.int64)
    tied = labels >= 0
    if not tied.any():
        return out
    found, label_of = np.unique(labels[tied], return_inverse=True)
    size = np.bincount(label_of, minlength=len(found))
    # each tribe's smallest member id: the lowest place of its members in id order
    # (Python's order of strings, by code point, as pandas' min of the ids took it)
    names = np.asarray(ids.astype(str), dtype=object)[tied]
    place = np.unique(names, return_inverse=True)[1].astype(np.int64)  # equal ids share a place
    first = np.full(len(found), len(names), dtype=np.int64)
    np.minimum.at(first, label_of, place)
    number = np.empty(len(found), dtype=np.int64)
    number[np.lexsort((first, -size))] = np.arange(1, len(found) + 1)
    out[tied] = number[label_of]
    return out


def _modularity(arrays: TieArrays, tribes: np.ndarray, resolution: float) -> float:
    """Weighted modularity of every tie, ``sum over tribes of W_in / W - r (S / 2W)^2``
    (people without ties are each alone and add nothing).

    >>> t = TieArrays(n=4, u=np.array([0, 2, 1]), v=np.array([1, 3, 2]), w=np.array([1.0, 1.0, 1.0]),
    ...               s=np.array([], int), t=np.array([], int), ws=np.array([]))
    >>> round(_modularity(t, np.array([1, 1, 2, 2]), 1.0), 4)  # two pairs joined by one tie
    0.1667
    """
    total = float(arrays.w.sum())
    if len(arrays.u) == 0 or total <= 0:
        return 0.0
    groups = pd.factorize(np.where(tribes > 0, tribes, tribes.max() + 1 + np.arange(len(tribes))))[0]
    k = int(groups.max()) + 1
    gu, gv = groups[arrays.u], groups[arrays.v]
    inside = np.bincount(gu[gu == gv], weights=arrays.w[gu == gv], minlength=k)
    strength = np.bincount(gu, weights=arrays.w, minlength=k) + np.bincount(gv, weights=arrays.w, minlength=k)
    return float((inside / total - resolution * (strength / (2 * total)) ** 2).sum())


def detect_tribes(network: OrgNetwork | nx.Graph, *, layers: Iterable[str] | None = None,
                  rule: TieRule | None = None, min_weight: float | None = None,
                  method: str = "louvain",
                  resolution: float = 1.0, seed: int = 0, engine: str = "auto",
                  ties: TieArrays | None = None, core_ties: int = CORE_TIES) -> TribeResult:
    """Find tribes in the ties that count (see :mod:`ona.ties`), weighted.

    The same seed gives the same tribes. A higher ``resolution`` gives more, smaller tribes.
    The detection runs on the core network of each person's ``core_ties`` strongest ties
    (:meth:`ona.ties.TieArrays.core`; the same tribes as on every tie, measured, and five
    times faster on dense logs); the modularity is that of every tie.
    ``ties``: the ties that count, if already built by :func:`ona.ties.tie_arrays` with
    the same layers and rule (``rule``/``min_weight`` as in :func:`ona.ties.tie_arrays`).
    ``network`` can also be any networkx graph (every edge a tie of its ``weight``,
    :func:`ona.ties.from_networkx`; the tribes are indexed by the nodes as text).

    Louvain: Blondel, Guillaume, Lambiotte & Lefebvre (2008), J. Stat. Mech. P10008.
    Leiden: Traag, Waltman & van Eck (2019), Scientific Reports 9, 5233.

    Parameters
    ----------
    network : OrgNetwork or networkx.Graph
        The network, or any networkx graph.
    layers : iterable of str, optional
        The layers whose ties count (default: every interaction channel, or every declared
        relation without an event log); not used with a networkx graph.
    rule : TieRule, optional
        Which pairs count as tied (default: the pairs above chance). Not with ``min_weight``.
    min_weight : float, optional
        A shortcut for the fixed cut-off rule with this weight.
    method : {"louvain", "leiden"}, default "louvain"
        Louvain (Blondel et al. 2008) or Leiden (Traag et al. 2019) modularity optimisation.
    resolution : float, default 1.0
        Above 0; higher gives more, smaller tribes.
    seed : int, default 0
        Seed of the detection.
    engine : {"auto", "python-louvain", "igraph"}, default "auto"
        ``"auto"``: python-louvain up to :data:`PYTHON_LOUVAIN_LIMIT` people, igraph beyond;
        Leiden runs on igraph only.
    ties : TieArrays, optional
        The ties that count, if already built (used instead of ``layers``, ``rule`` and
        ``min_weight``).
    core_ties : int, default 40
        The detection runs over each person's ``core_ties`` strongest ties (0 = every tie).

    Returns
    -------
    TribeResult
        ``membership``: the tribe number per person (Series named ``tribe``, indexed by
        employee_id; 1 the largest, 0 for people without ties); ``modularity`` over every
        tie; and how it was made: method, engine used, resolution, seed, layers
        (``["graph"]`` for a networkx graph), tie rule and ``core_ties``.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008). Fast unfolding of
    communities in large networks. *Journal of Statistical Mechanics*, P10008.
    Traag, V. A., Waltman, L. and van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
    well-connected communities. *Scientific Reports*, 9, 5233.

    Examples
    --------
    >>> import ona
    >>> result = detect_tribes(ona.load(ona.sample_path("krackhardt")), layers=["advice"], seed=1)
    >>> result.method, result.engine, int(result.membership.min()) >= 1
    ('louvain', 'python-louvain', True)
    >>> import networkx as nx
    >>> detect_tribes(nx.barbell_graph(5, 0)).membership.tolist()
    [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    """
    return _detect(network, layers=layers, rule=rule, min_weight=min_weight, method=method,
                   resolution=resolution, seed=seed, engine=engine, ties=ties, core_ties=core_ties)


#: Raw labels for the detection, given the ties and the result's settings (its membership not set).
_LabelsFor = Callable[[TieArrays, TribeResult], np.ndarray]


def _detect(network: OrgNetwork | nx.Graph, *, layers: Iterable[str] | None = None,
            rule: TieRule | None = None, min_weight: float | None = None, method: str = "louvain",
            resolution: float = 1.0, seed: int = 0, engine: str = "auto", ties: TieArrays | None = None,
            core_ties: int = CORE_TIES, labels_for: _LabelsFor | None = None) -> TribeResult:
    """:func:`detect_tribes`; ``labels_for`` gives the raw labels in place of one run."""
    if not resolution > 0:
        raise ConfigError(f"resolution must be > 0, got {resolution!r}")
    if not isinstance(network, OrgNetwork):
        people, arrays = from_networkx(network)
        chosen = ["graph"]
    else:
        people = network.people
        chosen = list(layers) if layers is not None else default_layers(stored_ties(network))
        arrays = ties if ties is not None else tie_arrays(network, layers=chosen, rule=rule,
                                                          min_weight=min_weight)
    chosen_engine = _engine(method, engine, arrays.n)
    result = TribeResult(membership=pd.Series(dtype=np.int64), modularity=float("nan"), method=method,
                         engine=chosen_engine, resolution=resolution, seed=seed, layers=chosen,
                         rule=arrays.rule, core_ties=core_ties)
    if labels_for is not None:
        labels = labels_for(arrays, result)
    else:
        labels = _labels(arrays.core(core_ties, directed=False), method, chosen_engine, resolution, seed)
    tribes = _number(labels, people.index)
    return replace(result, membership=pd.Series(tribes, index=people.index, name="tribe"),
                   modularity=_modularity(arrays, tribes, resolution))


def tribes_with_stability(network: OrgNetwork, *, seeds: int, workers: int | None = None,
                          on_found: Callable[[TribeResult], None] | None = None,
                          **detect: Any) -> tuple[TribeResult, pd.DataFrame | None]:
    """:func:`detect_tribes` and then :func:`tribe_stability` over ``seeds`` other seeds, the
    same results, with the detection run beside the reruns on the cores (forked processes)
    instead of before them: at 100k people, where one Louvain run takes about 8 s and five
    reruns share two cores, a round of runs less. ``seeds`` 0: no stability (None).

    Parameters
    ----------
    network : OrgNetwork
        The network.
    seeds : int
        How many other seeds the stability is measured over (``seed + 1`` onwards).
    workers : int, optional
        Processes sharing the runs (default: every core).
    on_found : callable, optional
        Called with the :class:`TribeResult` as soon as it is found, while the reruns go on
        (``ona analyze`` makes the department and bridge tables then; their work fills the
        core the last round of reruns leaves idle). Its error stops the reruns.
    **detect
        The arguments of :func:`detect_tribes` (``ties``, ``layers``, ``seed``, ``method``, ...).

    Returns
    -------
    tuple
        The :class:`TribeResult` and the table of :func:`tribe_stability` (or None).

    Examples
    --------
    >>> import ona
    >>> net = ona.load(ona.sample_path("krackhardt"))
    >>> found, stability = tribes_with_stability(net, seeds=3, layers=["advice"], seed=1)
    >>> found.membership.equals(detect_tribes(net, layers=["advice"], seed=1).membership)
    True
    >>> stability.equals(tribe_stability(net, found, seeds=3))
    True
    """
    if seeds <= 0:
        found = detect_tribes(network, **detect)
        if on_found is not None:
            on_found(found)
        return found, None
    running: list[Pending] = []

    def every_seed(arrays: TieArrays, result: TribeResult) -> np.ndarray:
        seed = result.seed
        pending = _start_labels_for_seeds(arrays, result, list(range(seed, seed + 1 + seeds)), workers)
        running.append(pending)
        return pending.item(0)  # the detection's own run is the first

    try:
        found = _detect(network, **detect, labels_for=every_seed)
        if on_found is not None:
            on_found(found)
        others = running[0]()[1:]
    finally:
        for pending in running:
            pending.cancel()  # a no-op once done; after an error, the reruns stop
    return found, _stability_table(found, others)


def tribe_stability(network: OrgNetwork, result: TribeResult, *, seeds: int | Sequence[int] = 10,
                    ties: TieArrays | None = None, workers: int | None = None) -> pd.DataFrame:
    """How consistently each tribe's members stay together under other seeds.

    For every tribe and every other seed, the share of pairs of the tribe's members who
    are again in one tribe; ``stability`` is the mean over seeds (1 = always together).
    Tribes below :data:`UNSTABLE_BELOW` are flagged ``unstable``.

    ``ties``: the ties the result was found on, if already built. ``workers``: processes
    sharing the reruns (default: every core; forked, so the ties are not copied).

    Returns one row per tribe: tribe, size, stability, unstable.

    Parameters
    ----------
    network : OrgNetwork
        The network the result was found on.
    result : TribeResult
        The tribes to check (:func:`detect_tribes`); its method, engine, resolution,
        layers and tie rule are reused.
    seeds : int or sequence of int, default 10
        A number of other seeds (``result.seed + 1`` onwards), or the seeds themselves.
    ties : TieArrays, optional
        The ties the result was found on, if already built (default: built again from the
        result's layers and tie rule).
    workers : int, optional
        Processes sharing the reruns (default: every core; one up to 500 people).

    Returns
    -------
    DataFrame
        One row per tribe in tribe order: ``tribe``, ``size``, ``stability`` (0-1, the mean
        over seeds; NaN without any seed) and ``unstable`` (stability below
        :data:`UNSTABLE_BELOW`).

    Examples
    --------
    >>> import ona
    >>> net = ona.load(ona.sample_path("krackhardt"))
    >>> table = tribe_stability(net, detect_tribes(net, layers=["advice"]), seeds=3)
    >>> list(table.columns), bool(table["stability"].between(0, 1).all())
    (['tribe', 'size', 'stability', 'unstable'], True)
    """
    others = list(range(result.seed + 1, result.seed + 1 + seeds)) if isinstance(seeds, int) else list(seeds)
    arrays = ties if ties is not None else tie_arrays(network, layers=result.layers,
                                                      rule=result.rule)
    return _stability_table(result, _labels_for_seeds(arrays, result, others, workers))


def _stability_table(result: TribeResult, runs: list[np.ndarray]) -> pd.DataFrame:
    """The table of :func:`tribe_stability` from the reruns' raw labels.

    Per tribe and rerun, the pairs of members the rerun keeps together are counted from
    the members per (tribe, rerun label) that holds any: whole numbers, summed exactly in
    any order."""
    main = result.membership.to_numpy()
    tied = main > 0
    tribes, tribe_of = np.unique(main[tied], return_inverse=True)
    size = np.bincount(tribe_of, minlength=len(tribes)).astype(float)
    pairs = size * (size - 1) / 2
    shares = []
    for other in runs:
        labels, label_of = np.unique(other[tied], return_inverse=True)
        # the (tribe, label) cells that hold anyone, and how many: memory in proportion to
        # the people, however many tribes and labels there are
        cells, count = np.unique(tribe_of.astype(np.int64) * len(labels) + label_of, return_counts=True)
        cell = count.astype(float)
        together = np.bincount(cells // len(labels), weights=cell * (cell - 1) / 2, minlength=len(tribes))
        with np.errstate(invalid="ignore", divide="ignore"):
            shares.append(np.where(pairs > 0, together / pairs, 1.0))
    # the mean as pandas takes it across the reruns (the same order of adding)
    stability = (pd.concat([pd.Series(x, index=tribes) for x in shares], axis=1).mean(axis=1)
                 if shares else pd.Series(dtype=float))
    sizes = result.sizes
    out = pd.DataFrame({"tribe": sizes.index, "size": sizes.to_numpy(),
                        "stability": stability.reindex(sizes.index).to_numpy()})
    out["unstable"] = out["stability"] < UNSTABLE_BELOW
    return out


_SHARED: dict = {}


def _rerun(seed: int) -> np.ndarray:
    arrays, result = _SHARED["arrays"], _SHARED["result"]
    return _labels(arrays, result.method, result.engine, result.resolution, seed, graph=_SHARED["graph"])


def _labels_for_seeds(arrays: TieArrays, result: TribeResult, seeds: list[int],
                      workers: int | None) -> list[np.ndarray]:
    """The detection rerun with each seed, over forked processes when there are several
    cores (each seed sets its own random generator, so the result does not depend on it)."""
    return _start_labels_for_seeds(arrays, result, seeds, workers)()


def _start_labels_for_seeds(arrays: TieArrays, result: TribeResult, seeds: list[int],
                            workers: int | None) -> Pending[list[np.ndarray]]:
    """:func:`_labels_for_seeds` started: the forked processes run the seeds in order."""
    core = arrays.core(result.core_ties, directed=False)
    # igraph's graph built once for every seed (the forked processes share it)
    graph = core.shared_graph() if result.engine == "igraph" and len(core.u) else None
    _SHARED.update(arrays=core, result=result, graph=graph)
    try:  # below 500 people a rerun is quicker than starting a process
        return start_forked(_rerun, seeds, workers=workers if arrays.n > 500 else 1)
    finally:
        _SHARED.clear()


def partition_agreement(first: Sequence, second: Sequence) -> dict[str, float]:
    """Normalised mutual information (arithmetic mean normalisation) and adjusted Rand
    index between two labelings of the same people.

    Parameters
    ----------
    first, second : sequence
        A label per person (any values that can be compared for equality), the same
        people in the same order.

    Returns
    -------
    dict of str to float
        ``{"nmi": ..., "adjusted_rand": ...}``, rounded to 12 decimals: 1 for identical
        partitions (also when neither splits the people), about 0 for unrelated ones.

    References
    ----------
    Danon, L., Díaz-Guilera, A., Duch, J. and Arenas, A. (2005). Comparing community structure
    identification. *Journal of Statistical Mechanics*, P09008 (normalised mutual information).
    Hubert, L. and Arabie, P. (1985). Comparing partitions. *Journal of Classification*, 2(1),
    193-218 (adjusted Rand index).

    Examples
    --------
    >>> partition_agreement([1, 1, 2, 2], ["a", "a", "b", "b"])
    {'nmi': 1.0, 'adjusted_rand': 1.0}
    >>> round(partition_agreement([1, 1, 2, 2], [1, 2, 1, 2])["nmi"], 6)
    0.0
    """
    a = pd.factorize(pd.Series(list(first), dtype=object))[0]
    b = pd.factorize(pd.Series(list(second), dtype=object))[0]
    if len(a) != len(b):
        raise ConfigError("the two labelings must cover the same people")
    n = len(a)
    table = pd.crosstab(a, b).to_numpy().astype(float)
    rows, cols = table.sum(axis=1), table.sum(axis=0)

    def entropy(counts: np.ndarray) -> float:
        p = counts[counts > 0] / n
        return float(-(p * np.log(p)).sum())

    nz = table > 0
    mutual = float((table[nz] / n * np.log(table[nz] * n / np.outer(rows, cols)[nz])).sum())
    h = (entropy(rows) + entropy(cols)) / 2
    nmi = mutual / h if h > 0 else 1.0

    def comb(x):
        return x * (x - 1) / 2

    index = comb(table).sum()
    expected = comb(rows).sum() * comb(cols).sum() / comb(n) if n > 1 else 0.0
    maximum = (comb(rows).sum() + comb(cols).sum()) / 2
    ari = (index - expected) / (maximum - expected) if maximum != expected else 1.0
    return {"nmi": round(nmi, 12), "adjusted_rand": round(float(ari), 12)}
