"""Confidence figures: the resample, the top brokers, reruns that hold or not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ona
from ona.confidence import ConfidenceSettings, confidence, resample_scale, top_brokers
from ona.errors import ConfigError
from ona.ties import pair_table


def test_resample_keeps_weight_on_average_and_pairs_without_events_as_they_are():
    rng = np.random.default_rng(7)
    events = np.array([0.0, 1.0, 10.0, 1000.0])
    draws = np.array([resample_scale(events, rng) for _ in range(4000)])
    assert (draws[:, 0] == 1).all()
    assert draws.mean(axis=0)[1:] == pytest.approx([1, 1, 1], abs=0.05)
    # Poisson: a pair resting on one event vanishes about e^-1 of the time, one on 1000 never
    assert (draws[:, 1] == 0).mean() == pytest.approx(np.exp(-1), abs=0.03)
    assert draws[:, 3].std() == pytest.approx(1 / np.sqrt(1000), rel=0.1)


def test_top_brokers_are_the_top_tenth_above_zero():
    values = np.array([0.9, 0.0, 0.5] + [0.0] * 17)
    assert np.flatnonzero(top_brokers(values)).tolist() == [0, 2]  # top 2 of 20
    assert not top_brokers(np.zeros(5)).any()


@pytest.mark.slow
def test_reruns_are_seeded_and_a_contact_resting_on_one_event_is_not_firm():
    # a and b are rated 5 in team A; a works with the other department through 40 events,
    # b through one: b's outside tie vanishes in about a third of the reruns
    people = pd.DataFrame({"department": ["A"] * 4 + ["B"] * 4, "team": ["a"] * 4 + ["b"] * 4,
                           "performance": [5, 5, 3, 3, 3, 3, 3, 3]},
                          index=pd.Index(["a", "b", "a2", "a3", "x", "y", "z", "w"], name="employee_id"))
    rows = [("a", "x", 40.0, 40.0), ("b", "y", 1.0, 1.0), ("a2", "a3", 20.0, 20.0),
            ("x", "y", 20.0, 20.0), ("z", "w", 20.0, 20.0), ("a", "a2", 10.0, 10.0),
            ("b", "a3", 10.0, 10.0), ("y", "z", 5.0, 5.0)]
    ties = pd.DataFrame(rows, columns=["source_id", "target_id", "weight", "count"]).assign(
        layer="email", kind="interaction")
    net = ona.OrgNetwork(people, ties)
    high = pd.Series([True, True] + [False] * 6, index=people.index)
    settings = ConfidenceSettings(replicates=40, seed=3)
    kwargs = dict(rule=ona.TieRule("all"), leaders=[], high_performers=high, max_visibility=25,
                  min_group_size=1, silo_alpha=0.05)
    first = confidence(net, pair_table(net), settings=settings, **kwargs)
    again = confidence(net, pair_table(net), settings=settings, **kwargs)
    pd.testing.assert_series_equal(first["hidden"], again["hidden"])
    assert first["hidden"]["a"] == 0.0                  # never hidden: 40 events outside
    assert 0.15 < first["hidden"]["b"] < 0.6            # hidden when its one event is not drawn
    assert first["hidden"][["x", "y"]].isna().all()     # not high performers
    with pytest.raises(ConfigError):
        ConfidenceSettings(replicates=-1)


@pytest.mark.slow
def test_huge_organisations_resample_the_kept_ties(unseen_closed_result):
    result = unseen_closed_result
    high = ona.high_performers(result.people_metrics["performance"])
    conf = confidence(result.network, None, ties=result.ties, rule=ona.TieRule(),
                      leaders=ona.senior_leaders(result.network.people), high_performers=high,
                      max_visibility=25, min_group_size=5, silo_alpha=0.05,
                      settings=ConfidenceSettings(replicates=5, seed=1))
    listed = result.hidden_talent["employee_id"].head(5)
    assert conf["hidden"].reindex(listed).between(0, 1).all()
    assert conf["departments"].max() == 1.0  # the planted silos hold in every rerun


def test_large_organisations_rerun_fewer_times_and_skip_brokers():
    settings = ConfidenceSettings()
    assert settings.reruns(300) == 20 and settings.reruns(20000) == 10
    assert ConfidenceSettings(replicates=0).reruns(300) == 0


def test_resample_counts_are_the_poisson_quantiles_of_the_uniform_draws():
    # inversion: the count drawn for a uniform u is the smallest k with P(X <= k) > u, for
    # every pair resting on 1 to 30 events; the guide table only says where the search starts
    from scipy.stats import poisson

    from ona.confidence import _CDF, _GUIDE, _inverted
    rng = np.random.default_rng(5)
    for e in range(1, 31):
        u = np.concatenate([rng.random(20000), [0.0, 1 - 1e-12], np.arange(256) / 256])
        counts = _inverted(np.full(len(u), float(e)), u, _CDF, _GUIDE) * e
        expected = poisson.ppf(u, e)
        # u on a step of the distribution function (to rounding) may go either way
        on_step = np.abs(poisson.cdf(expected, e) - u) < 1e-12
        assert np.array_equal(np.round(counts)[~on_step], expected[~on_step]), e
    # pairs without events keep their weight; more than 30 events or a fraction: numpy's sampler
    scale = resample_scale(np.array([0.0, 3.0, 31.0, 2.5, 5000.0, 1e9, -2.0, np.nan]), np.random.default_rng(1))
    assert scale[0] == 1.0 and not np.isnan(scale).any() and (scale >= 0).all()
    assert (scale[3] * 2.5) == np.round(scale[3] * 2.5) and abs(scale[4] - 1) < 0.1
    assert abs(scale[5] - 1) < 0.001 and scale[6] == scale[7] == 1.0  # no events counted: kept as they are


def test_resample_draws_the_poisson_distribution_at_every_size():
    rng = np.random.default_rng(11)
    for e in (1.0, 4.0, 30.0, 31.0, 2.5):
        counts = np.round(resample_scale(np.full(200000, e), rng) * e)
        assert counts.mean() == pytest.approx(e, rel=0.01) and counts.var() == pytest.approx(e, rel=0.03)
        assert (counts == 0).mean() == pytest.approx(np.exp(-e), abs=0.004)
