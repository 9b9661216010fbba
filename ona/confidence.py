"""Confidence: how often an answer holds when the analysis is rerun on resampled data.

A hidden-talent shortlist, a list of top brokers or a silo flag computed once says nothing
about how firmly the data supports it: a person one email away from the cut-off looks the
same as one far below it. So the analysis is rerun on ``replicates`` (20) resamples of the
collaboration and, for each answer, the share of reruns in which it holds is reported:

- **resample**: every pair of people keeps their collaboration scaled by
  ``Poisson(e) / e``, where ``e`` is the number of events behind the pair — the tie-level
  form of drawing the event log again with replacement (each event kept a Poisson(1)
  number of times, the events of a pair assumed alike). Declared relations are kept as
  they are. The tie rule, the visibility parts and the group tables are computed again.
- ``hidden_confidence`` (hidden talent): the share of reruns in which the high performer
  is on the list (visibility at or below the cut-off);
- ``broker_confidence`` (every person): the share of reruns in which they are among the
  top brokers, the tenth of the organisation with the highest betweenness. Each rerun
  estimates betweenness from ``broker_sources`` (64) randomly chosen sources, or exactly
  in smaller organisations, so the figure includes that estimate's own noise;
- ``silo_confidence`` (departments and tribes): the share of reruns in which the group is
  flagged a silo (tribe membership kept fixed).

0.9 or more: the answer holds up; around 0.5: it rests on a few events and could go
either way. The reruns share the cores over forked processes and are seeded: the same seed
gives the same figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numba import njit

from .errors import ConfigError
from .groups import department_silos, tribe_silos
from .network import declared_ties
from .ties import PairTable, TieArrays, TieRule
from .tribes import TribeResult
from .visibility import visibility_measures, visibility_setting
from .workers import Pending, start_forked

__all__ = ["ConfidenceSettings", "confidence", "start_confidence", "resample_scale", "top_brokers", "BROKER_SHARE"]

#: Top brokers: the tenth of the organisation with the highest betweenness.
BROKER_SHARE = 0.10


@dataclass(frozen=True)
class ConfidenceSettings:
    """How the reruns are made (see the module doc).

    replicates : reruns on resampled data (20; 0 skips the confidence figures).
    large_replicates : reruns above ``large`` people (10).
    large : the head count above which ``large_replicates`` apply (5,000).
    huge_replicates : reruns above ``huge`` people (5), each on the main run's ties.
    huge : the head count above which ``huge_replicates`` apply (50,000).
    seed : seed of the resampling.
    broker_sources : sources per rerun for betweenness (64; exact below that many people).
    broker_limit : top brokers are rerun up to this many people (5,000).
    workers : processes sharing the reruns (default: every core).
    """

    replicates: int = 20
    large_replicates: int = 10
    large: int = 5000
    huge_replicates: int = 5
    huge: int = 50000
    seed: int = 0
    broker_sources: int = 64
    broker_limit: int = 5000
    workers: int | None = None

    def reruns(self, n: int) -> int:
        """How many reruns for an organisation of ``n`` people."""
        if n <= self.large:
            return self.replicates
        return min(self.replicates, self.large_replicates if n <= self.huge else self.huge_replicates)

    def __post_init__(self) -> None:
        if self.replicates < 0:
            raise ConfigError(f"confidence replicates must be 0 or more, got {self.replicates!r}")
        if self.large_replicates < 0 or self.large < 0 or self.broker_limit < 0:
            raise ConfigError("large_replicates, large and broker_limit must be 0 or more")
        if self.broker_sources < 1:
            raise ConfigError(f"broker sources must be at least 1, got {self.broker_sources!r}")


#: Pairs resting on at most this many events (a whole number) draw their Poisson count by
#: inverting its distribution (:func:`_inverted`); the others, 1.6% of the pairs at 10k
#: people, by numpy's sampler.
INVERTED_UP_TO = 30
#: Counts in each row of :data:`_CDF`: the Poisson(30) mass beyond 127 is below 1e-30.
_CDF_WIDTH = 128


def _cdf_table(most: int = INVERTED_UP_TO, width: int = _CDF_WIDTH) -> np.ndarray:
    """Row ``e``: the distribution function of Poisson(e) at 0, 1, ..., the last entry 1
    (so that a search for a uniform draw below 1 always ends); row 0 is unused."""
    k = np.arange(width, dtype=float)
    rows = [np.ones(width)]
    for e in range(1, most + 1):
        mass = np.exp(k * math.log(e) - e - np.array([math.lgamma(x + 1) for x in k]))
        cdf = np.minimum(np.cumsum(mass), 1.0)
        cdf[-1] = 1.0
        rows.append(cdf)
    return np.array(rows)


_CDF = _cdf_table()
#: Guide table (Chen and Asau 1974): row ``e``, entry ``j``, the smallest count whose
#: distribution function exceeds ``j / _GUIDES``: where the search for a uniform draw in
#: ``[j / _GUIDES, (j + 1) / _GUIDES)`` starts, so that it rarely takes a step.
_GUIDES = 256
_GUIDE = np.array([np.searchsorted(row, np.arange(_GUIDES) / _GUIDES, side="right") for row in _CDF],
                  dtype=np.int64)


@njit(cache=True, nogil=True)
def _inverted(events: np.ndarray, uniform: np.ndarray, cdf: np.ndarray, guide: np.ndarray) -> np.ndarray:
    """Per pair, ``count / events`` with ``count`` the Poisson(events) draw of the uniform
    (the smallest count whose distribution function exceeds it); 1 for no events; NaN for
    the pairs the table does not cover (more events than its rows, or not a whole number)."""
    out = np.empty(len(events))
    most = cdf.shape[0] - 1
    guides = guide.shape[1]
    for i in range(len(events)):
        e = events[i]
        if not e > 0:
            out[i] = 1.0
            continue
        if e > most or e != np.floor(e):  # compared before the conversion (inf, 1e300)
            out[i] = np.nan
            continue
        row = int(e)
        x = uniform[i]
        k = guide[row, int(x * guides)]
        while cdf[row, k] <= x:
            k += 1
        out[i] = k / e
    return out


def resample_scale(events: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per pair, ``Poisson(e) / e`` for ``e`` events (1 where there are none).

    The counts of pairs resting on up to :data:`INVERTED_UP_TO` events (nearly all) are
    drawn by inverting the Poisson distribution function with one uniform draw a pair,
    the others by numpy's Poisson sampler: the same distribution as numpy's sampler for
    every pair, in a third of its time at 10k people (it draws several uniforms a count).

    >>> scale = resample_scale(np.array([0.0, 4.0, 1000.0]), np.random.default_rng(1))
    >>> float(scale[0]), 0 <= float(scale[1]), abs(float(scale[2]) - 1) < 0.2
    (1.0, True, True)
    """
    events = np.ascontiguousarray(events, dtype=float)
    scale = _inverted(events, rng.random(len(events)), _CDF, _GUIDE)
    left = np.flatnonzero(np.isnan(scale))
    if len(left):
        scale[left] = rng.poisson(events[left]) / events[left]
    return scale


def top_brokers(betweenness: np.ndarray, share: float = BROKER_SHARE) -> np.ndarray:
    """The top ``share`` of people by betweenness (above 0), as a boolean mask.

    >>> top_brokers(np.array([0.0, 0.5, 0.1, 0.0] + [0.0] * 6)).tolist()[:3]
    [False, True, False]
    """
    values = np.asarray(betweenness, dtype=float)
    k = max(1, int(round(share * len(values))))
    if not (values > 0).any():
        return np.zeros(len(values), dtype=bool)
    cut = np.sort(values)[::-1][min(k, len(values)) - 1]
    return (values >= cut) & (values > 0)


_SHARED: dict = {}


def _one_rerun(seed: int) -> dict:
    ctx = _SHARED
    rng = np.random.default_rng([ctx["seed"], seed])
    pairs: PairTable | None = ctx["pairs"]
    if pairs is not None:
        arrays = pairs.select(ctx["rule"], resample_scale(pairs.events, rng), directed=False)
    else:  # a huge organisation: the ties of the main run, their weights resampled
        kept: TieArrays = ctx["arrays"]
        if kept.events is None:
            raise ConfigError("these ties carry no event counts, which resampling needs: "
                              "build them with ona.tie_arrays")
        arrays = kept.resampled(resample_scale(kept.events, rng))
    people = ctx["people"]
    visible, _ = visibility_measures(people, arrays, ctx["all_ties"], leaders=ctx["leaders"], fixed=ctx["fixed"])
    hidden = ctx["high"] & (visible["visibility"].to_numpy() <= ctx["max_visibility"])
    n = arrays.n
    broker = None
    if ctx["brokers"]:
        from .centrality import path_betweenness
        k = min(n, ctx["broker_sources"])
        sources = sorted(rng.choice(n, size=k, replace=False).tolist()) if k < n else list(range(n))
        broker = top_brokers(path_betweenness(arrays, sources, workers=1))
    out = {"hidden": hidden, "broker": broker,
           "departments": department_silos(people, arrays, min_group_size=ctx["min_group_size"],
                                           silo_alpha=ctx["silo_alpha"])}
    if ctx["tribes"] is not None:
        out["tribes"] = tribe_silos(people, arrays, ctx["tribes"], min_group_size=ctx["min_group_size"],
                                    silo_alpha=ctx["silo_alpha"])
    return out


def confidence(network, pairs: PairTable | None, *, rule: TieRule, leaders: list[str],
               high_performers: pd.Series, max_visibility: float, min_group_size: int,
               silo_alpha: float, tribes: TribeResult | None = None,
               settings: ConfidenceSettings = ConfidenceSettings(),
               ties: TieArrays | None = None) -> dict[str, pd.Series]:
    """The confidence figures of the module doc.

    Returns Series: ``hidden`` and ``broker`` indexed by employee_id (``hidden`` is NaN for
    people who are not high performers), ``departments`` by department, ``tribes`` by
    tribe number. Empty dict when ``settings.replicates`` is 0. Without ``pairs`` (above
    ``settings.huge`` people, where testing every pair again costs minutes) the reruns
    resample the weights of ``ties``, the main run's ties, instead.

    >>> import ona
    >>> from ona.ties import pair_table
    >>> net = ona.load(ona.sample_path("acme"))
    >>> table = ona.people_metrics(net)
    >>> high = ona.high_performers(table["performance"])
    >>> conf = confidence(net, pair_table(net), rule=ona.TieRule(), leaders=ona.senior_leaders(net.people),
    ...                   high_performers=high, max_visibility=25, min_group_size=5, silo_alpha=0.05,
    ...                   settings=ConfidenceSettings(replicates=4))
    >>> sorted(conf), bool(conf["broker"].between(0, 1).all())
    (['broker', 'departments', 'hidden'], True)
    """
    return start_confidence(network, pairs, rule=rule, leaders=leaders, high_performers=high_performers,
                            max_visibility=max_visibility, min_group_size=min_group_size,
                            silo_alpha=silo_alpha, tribes=tribes, settings=settings, ties=ties)()


def start_confidence(network, pairs: PairTable | None, *, rule: TieRule, leaders: list[str],
                     high_performers: pd.Series, max_visibility: float, min_group_size: int,
                     silo_alpha: float, tribes: TribeResult | None = None,
                     settings: ConfidenceSettings = ConfidenceSettings(),
                     ties: TieArrays | None = None) -> Pending[dict[str, pd.Series]]:
    """:func:`confidence` started on forked processes: calling the
    :class:`ona.workers.Pending` returned waits for the reruns and gives the figures.
    ``ona analyze`` makes the tribe and department tables meanwhile.

    >>> import ona
    >>> from ona.ties import pair_table
    >>> net = ona.load(ona.sample_path("acme"))
    >>> high = ona.high_performers(ona.people_metrics(net)["performance"])
    >>> finish = start_confidence(net, pair_table(net), rule=ona.TieRule(), leaders=[], high_performers=high,
    ...                           max_visibility=25, min_group_size=5, silo_alpha=0.05,
    ...                           settings=ConfidenceSettings(replicates=2))
    >>> sorted(finish())
    ['broker', 'departments', 'hidden']
    """
    if settings.reruns(len(network.people)) == 0:
        return Pending(done=[], finish=lambda _runs: {})
    people = network.people
    high = high_performers.reindex(people.index).fillna(False).to_numpy(bool)
    # visibility reads only the declared ties of the whole table: picked once, not per rerun
    declared = declared_ties(network)
    if pairs is not None and rule.cap:  # every rerun finds each person's strongest pairs again
        pairs = pairs.with_ends_index()
    _SHARED.update(pairs=pairs, arrays=ties, rule=rule, people=people, all_ties=declared, leaders=list(leaders),
                   fixed=visibility_setting(people, declared, list(leaders)),
                   high=high, max_visibility=max_visibility, min_group_size=min_group_size,
                   silo_alpha=silo_alpha, tribes=tribes, broker_sources=settings.broker_sources,
                   seed=settings.seed, brokers=len(people) <= settings.broker_limit)
    seeds = list(range(settings.reruns(len(people))))
    _inverted(np.ones(1), np.zeros(1), _CDF, _GUIDE)  # its compiled code loaded once, before the forks
    workers = settings.workers
    if len(people) <= 300:
        workers = 1  # a rerun takes less than starting a process
    try:
        pending = start_forked(_one_rerun, seeds, workers=workers)
    finally:  # the forked processes have their own copy
        _SHARED.clear()

    def finish(runs: list[dict]) -> dict[str, pd.Series]:
        r = len(runs)
        hidden = np.mean([x["hidden"] for x in runs], axis=0)
        out = {"hidden": pd.Series(np.where(high, hidden, np.nan), index=people.index, name="hidden_confidence"),
               "broker": pd.Series(np.mean([x["broker"] for x in runs], axis=0)
                                   if runs[0]["broker"] is not None else np.nan,
                                   index=people.index, name="broker_confidence"),
               "departments": pd.DataFrame([x["departments"] for x in runs]).fillna(False).sum() / r}
        if tribes is not None:
            out["tribes"] = pd.DataFrame([x["tribes"] for x in runs]).fillna(False).sum() / r
        return out
    return pending.then(finish)
