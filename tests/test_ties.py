"""The tie rule (noise-corrected backbone), the core network and exact path lengths, by hand."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ona
from ona.centrality import tie_lengths
from ona.errors import ConfigError
from ona.ties import TieArrays, TieRule, backbone


def _by_hand(w: float, si: float, sj: float, total: float, delta: float = 1.64) -> bool:
    """The documented backbone formula for one pair, step by step with scalars."""
    kappa = total / (si * sj)
    lift = kappa * w
    score = (lift - 1) / (lift + 1)
    mean = si * sj / total ** 2
    var_p = si * sj * (total - si) * (total - sj) / (total ** 4 * (total - 1))
    common = mean * (1 - mean) / var_p - 1
    alpha, beta = mean * common, (1 - mean) * common
    p = (w + alpha) / (total + alpha + beta)
    var_w = total * p * (1 - p)
    d_kappa = 1 / (si * sj) - total * (si + sj) / (si * sj) ** 2
    slope = 2 * (kappa + w * d_kappa) / (lift + 1) ** 2
    return score - delta * math.sqrt(var_w * slope ** 2) > 0


def test_backbone_matches_the_documented_formula_pair_by_pair():
    rng = np.random.default_rng(4)
    g = nx.gnm_random_graph(40, 200, seed=4)
    u = np.array([a for a, _ in g.edges()])
    v = np.array([b for _, b in g.edges()])
    w = rng.choice([0.05, 0.25, 1.0, 2.0, 5.0, 30.0], size=len(u))
    strength = np.bincount(u, weights=w, minlength=40) + np.bincount(v, weights=w, minlength=40)
    total = strength.sum()
    expected = [_by_hand(x, strength[a], strength[b], total) for a, b, x in zip(u, v, w)]
    assert backbone(u, v, w, 40).tolist() == expected
    assert 0 < sum(expected) < len(expected)  # both kinds occur


def test_sparse_contacts_are_kept_and_busy_peoples_one_offs_are_not():
    # 100 people in pairs that write to each other once (sparse); and two very busy
    # people, each with 10 close colleagues (weight 50), who exchange one message
    u = list(range(0, 100, 2))
    v = list(range(1, 100, 2))
    w = [1.0] * 50
    for hub, first in ((100, 102), (101, 112)):
        for k in range(10):
            u.append(hub)
            v.append(first + k)
            w.append(50.0)
    u.append(100)
    v.append(101)
    w.append(1.0)
    keep = backbone(np.array(u), np.array(v), np.array(w), 122)
    assert keep[:50].all()          # a single exchange between two quiet people is a tie
    assert keep[50:70].all()        # regular colleagues are ties
    assert not keep[70]             # one message between two busy people is not


def test_evenly_spread_traffic_is_not_above_chance_unless_it_is_all_people_get():
    # one sender spreads 3 over everyone; the others (1..60) work in pairs
    n = 61
    u = np.zeros(n - 1, dtype=int)
    v = np.arange(1, n)
    u2, v2 = np.arange(1, n, 2), np.arange(2, n + 1, 2)

    def kept(pair_weight: float) -> np.ndarray:
        return backbone(np.concatenate([u, u2]), np.concatenate([v, v2]),
                        np.concatenate([np.full(n - 1, 3.0), np.full(len(u2), pair_weight)]), n)

    busy = kept(30.0)  # the spread is a small part of what people do: no pair stands out
    assert not busy[: n - 1].any() and busy[n - 1:].all()
    # when it is half of all they get, the null expects too little of it: kept. This is
    # why mass events and broadcasters are taken out before the rule (weighting.md)
    assert kept(3.0)[: n - 1].all()


def test_the_rule_choices_and_the_old_cut_off():
    people = pd.DataFrame(index=pd.Index(list("abcd"), name="employee_id")).assign(department="D")
    ties = pd.DataFrame({"source_id": ["a", "a", "c"], "target_id": ["b", "c", "d"], "layer": "email",
                         "kind": "interaction", "weight": [3.0, 1.0, 0.2], "count": 1.0})
    net = ona.OrgNetwork(people, ties)
    assert len(ona.tie_arrays(net, rule=TieRule("all")).u) == 3
    assert len(ona.tie_arrays(net, min_weight=1).u) == 2
    assert len(ona.tie_arrays(net, rule=TieRule("min_weight", min_weight=2)).u) == 1
    with pytest.raises(ConfigError):
        ona.tie_arrays(net, rule=TieRule("all"), min_weight=1)
    with pytest.raises(ConfigError):
        TieRule("strongest")
    assert TieRule().record() == {"method": "backbone", "significance": 1.64, "max_ties": 40}
    assert TieRule("all").cap == 0 and TieRule(max_ties=0).cap == 0


def test_core_keeps_each_persons_strongest_ties_and_the_connections():
    # a hub with five contacts of decreasing weight, and a weak bridge to a pair elsewhere
    u = np.array([0, 0, 0, 0, 0, 5, 4])
    v = np.array([1, 2, 3, 4, 5, 6, 7])
    w = np.array([5.0, 4.0, 3.0, 2.0, 1.0, 9.0, 0.5])
    t = TieArrays(n=8, u=u, v=v, w=w, s=np.array([], int), t=np.array([], int), ws=np.array([]))
    core = t.core(2)
    kept = set(zip(core.u.tolist(), core.v.tolist()))
    # 0's two strongest; 3 and 4 keep their only tie to 0 (their own strongest); 0-5 is the
    # weakest of 0's and not among 5's two strongest... but 5's ties are 0-5 and 5-6: kept
    assert {(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (5, 6), (4, 7)} == kept
    assert t.core(2) is core  # worked out once
    assert t.core(0) is t


def test_equal_paths_get_equal_betweenness_whatever_the_rounding():
    # three assistants each link the same two teams; their ties' weights are the same
    # numbers summed in different orders (they differ in the last bits)
    parts = [0.1, 0.2, 0.3, 0.4, 0.7]
    sums = [sum(parts), sum(reversed(parts)), sum(sorted(parts, key=lambda x: (x * 7) % 1))]
    assert len(set(sums)) > 1  # floating point: not all equal
    rows = []
    for k, total in enumerate(sums):
        a = f"assistant{k}"
        rows += [("left", a, total), (a, "right", total)]
    rows += [("left", "l2", 5.0), ("right", "r2", 5.0)]
    people = pd.DataFrame({"department": "D"}, index=pd.Index(
        ["left", "right", "l2", "r2", "assistant0", "assistant1", "assistant2"], name="employee_id"))
    ties = pd.DataFrame(rows, columns=["source_id", "target_id", "weight"]).assign(
        layer="email", kind="interaction", count=1.0)
    table = ona.people_metrics(ona.OrgNetwork(people, ties), rule=TieRule("all"))
    values = table.loc[["assistant0", "assistant1", "assistant2"], "betweenness"]
    assert values.nunique() == 1 and values.iloc[0] > 0
    lengths, unit = tie_lengths(np.array(sums))
    assert len(set(lengths)) == 1


def test_each_person_keeps_their_strongest_ties_at_most():
    # a hub writes once to 50 busy people, each of whom has 45 stronger ties of their own;
    # the hub's ties are the hub's own top 40 at most (its 10 weakest are nobody's strongest)
    rows = [("hub", f"p{i}", 50 - i) for i in range(50)]
    rows += [(f"p{i}", f"q{i}_{j}", 100.0) for i in range(50) for j in range(45)]
    ids = sorted({a for a, _, _ in rows} | {b for _, b, _ in rows})
    people = pd.DataFrame({"department": "D"}, index=pd.Index(ids, name="employee_id"))
    ties = pd.DataFrame(rows, columns=["source_id", "target_id", "weight"]).assign(
        layer="email", kind="interaction", count=1.0)
    net = ona.OrgNetwork(people, ties)
    capped = ona.tie_arrays(net, rule=TieRule("all", max_ties=40))
    hub = ids.index("hub")
    assert int(((capped.u == hub) | (capped.v == hub)).sum()) == 40
    assert len(ona.tie_arrays(net, rule=TieRule("all")).u) == len(rows)


def _strongest_by_hand(u, v, w, n, k, where):
    """Per person, their pairs sorted by weight (strongest first), equal weights in table
    order (u ends at i, v ends at m + i), the first k kept: the rule as written."""
    m = len(u)
    ends = {p: [] for p in range(n)}
    for i in range(m):
        if where[i]:
            ends[int(u[i])].append((-w[i], i, i))
    for i in range(m):
        if where[i]:
            ends[int(v[i])].append((-w[i], m + i, i))
    keep = np.zeros(m, dtype=bool)
    for listed in ends.values():
        for _, _, pair in sorted(listed)[:k]:
            keep[pair] = True
    return keep


@pytest.mark.parametrize("k", [1, 5, 40])
def test_strongest_keeps_each_persons_k_strongest_with_equal_weights_in_table_order(k):
    from ona.ties import strongest
    rng = np.random.default_rng(11 + k)
    n, m = 300, 20_000
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    u, v = np.minimum(u, v), np.maximum(u, v)
    w = np.round(rng.lognormal(0.0, 2.0, m), 1)  # a wide range, many equal weights
    w[:100] = 0.0
    where = (rng.random(m) < 0.8) & (u != v)
    kept = strongest(u, v, w, n, k, where=where)
    assert np.array_equal(kept, _strongest_by_hand(u, v, w, n, k, where))
    assert not (kept & ~where).any() and 0 < kept.sum() < where.sum()
    # three weights only: equal weights everywhere
    w3 = rng.integers(1, 4, m).astype(float)
    assert np.array_equal(strongest(u, v, w3, n, k, where=where), _strongest_by_hand(u, v, w3, n, k, where))


@pytest.mark.parametrize("k", [1, 5, 40])
def test_strongest_over_the_ends_index_keeps_the_same_pairs(k):
    # the reruns' route (each person's ends grouped once, ona.tiekernels.strongest_indexed)
    # against the by-hand rule, on pairs in no order, with repeats, self-pairs left out
    from ona.tiekernels import ends_index, strongest_indexed
    rng = np.random.default_rng(23 + k)
    n, m = 250, 15_000
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    w = np.round(rng.lognormal(0.0, 2.0, m), 1)
    w[:50] = 0.0
    where = (rng.random(m) < 0.8) & (u != v)
    pair = np.empty(2 * m, dtype=np.int32)
    kept = strongest_indexed(w, where, k, ends_index(u, v, n, pair), pair)
    assert np.array_equal(kept, _strongest_by_hand(u, v, w, n, k, where))
    w3 = rng.integers(1, 4, m).astype(float)
    assert np.array_equal(strongest_indexed(w3, where, k, ends_index(u, v, n, pair), pair),
                          _strongest_by_hand(u, v, w3, n, k, where))


def test_a_pair_table_with_its_ends_index_selects_the_same_ties():
    # 200 people with about 150 contacts each: the rule's 40 strongest a person binds
    from ona.confidence import resample_scale
    from ona.ties import PairTable
    rng = np.random.default_rng(3)
    n = 200
    key = np.unique(rng.integers(0, n * n, 30_000))
    u, v = key // n, key % n
    u, v = u[u < v], v[u < v]
    m = len(u)
    events = rng.integers(1, 30, m).astype(float)
    wi = events * rng.lognormal(0.0, 1.0, m)
    declared = rng.random(m) < 0.01
    w = wi + declared * 2.0
    table = PairTable(n=n, u=u, v=v, w=w, wi=wi, events=events, declared=declared, ds=u, dt=v, dw=w,
                      pair_of=np.arange(m))
    indexed = table.with_ends_index()
    assert indexed.with_ends_index() is indexed and indexed.undirected_only().ends is indexed.ends
    for seed in range(3):
        scale = resample_scale(events, np.random.default_rng(seed))
        a = table.select(ona.TieRule(), scale)
        b = indexed.select(ona.TieRule(), scale)
        for name in ("u", "v", "w", "s", "t", "ws", "events"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
        per_person = np.bincount(np.concatenate([a.u, a.v]), minlength=n)
        assert len(a.u) < m and per_person.max() >= 40  # the cap took ties away


def test_strongest_by_hand():
    from ona.ties import strongest
    # person 0 has ties of weights 5, 4, 4 (pairs 0, 1, 2); with k = 2 it keeps pair 0
    # and the first of the equal pairs; pair 2 is 3's only tie, so 3 keeps it
    hand = strongest(np.array([0, 0, 0]), np.array([1, 2, 3]), np.array([5.0, 4.0, 4.0]), 4, 2)
    assert hand.tolist() == [True, True, True]
    hand = strongest(np.array([0, 0, 0, 1, 1]), np.array([1, 2, 3, 2, 3]),
                     np.array([5.0, 4.0, 4.0, 9.0, 9.0]), 4, 1)
    # 0 keeps 0-1 (5); 1 keeps 1-2 (9, before the equal 1-3); 2 keeps 1-2; 3 keeps 1-3 (9)
    assert hand.tolist() == [True, False, False, True, True]
    # 1's equal ties as its v end come after those as its u end: 0-1 (v end, position
    # m + 0) loses to 1-2 (u end, position 1)
    hand = strongest(np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([3.0, 3.0, 3.0]), 4, 1)
    assert hand.tolist() == [True, True, True]
    assert strongest(np.array([0, 1]), np.array([1, 2]), np.array([3.0, 3.0]), 3, 1,
                     where=np.array([False, True])).tolist() == [False, True]
    with pytest.raises(ValueError, match="positions"):
        strongest(np.array([0]), np.array([3]), np.array([1.0]), 3, 1)


def _backbone_as_documented(su, sv, w, total, delta=1.64):
    """The test of docs/metrics.md, formula by formula."""
    kappa = total / (su * sv)
    lift = kappa * w
    score = (lift - 1) / (lift + 1)
    mu = su * sv / total ** 2
    var = su * sv * (total - su) * (total - sv) / (total ** 4 * (total - 1))
    alpha = mu * (mu * (1 - mu) / var - 1)
    beta = (1 - mu) * (mu * (1 - mu) / var - 1)
    p = (w + alpha) / (total + alpha + beta)
    var_w = total * p * (1 - p)
    dkappa = 1 / (su * sv) - total * (su + sv) / (su * sv) ** 2
    dscore = 2 * (kappa + w * dkappa) / (lift + 1) ** 2
    return score - delta * np.sqrt(var_w * dscore ** 2)


def test_backbone_is_the_documented_test():
    from ona.ties import backbone
    rng = np.random.default_rng(3)
    n, m = 40, 500
    u = rng.integers(0, n, m)
    v = (u + rng.integers(1, n, m)) % n
    w = rng.exponential(2.0, m) * (rng.random(m) < 0.9)  # some pairs of weight 0
    kept = backbone(u, v, w, n)
    strength = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    margin = _backbone_as_documented(strength[u], strength[v], w, strength.sum())
    clear = np.abs(margin) > 1e-9  # away from the line, where the rearranged arithmetic could round either way
    assert np.array_equal(kept[clear & (w > 0)], (margin > 0)[clear & (w > 0)])
    assert not kept[w == 0].any()
    assert 0 < kept.sum() < (w > 0).sum() and clear.mean() > 0.99
    # one pair with weight: nothing to compare it with, kept; none: nothing kept
    assert backbone(np.array([0, 1]), np.array([1, 2]), np.array([2.0, 0.0]), 3).tolist() == [True, False]
    assert backbone(np.array([0]), np.array([1]), np.array([0.0]), 2).tolist() == [False]
    # one person holds all the weight (their own pairs only): nothing is above chance, and
    # the arithmetic's division by zero does not stop the analysis
    assert backbone(np.array([0, 0]), np.array([0, 0]), np.array([1.0, 2.0]), 2).tolist() == [False, False]


def test_pair_table_is_the_same_whatever_the_order_of_the_people():
    """People in id order take the merge of the two directions (ona.pairsum.unordered_pairs),
    any other order the sort of every pair: the same pairs and sums, by id."""
    from ona import ties as T
    net = ona.load(ona.sample_path("acme"))
    shuffled = ona.OrgNetwork(net.people.iloc[::-1], net.ties)

    every_layer = sorted(net.ties["layer"].astype(str).unique())  # declared ones too

    def by_id(network):
        p = T.pair_table(network, layers=every_layer)
        ids = network.people.index.to_numpy()
        u, v = ids[p.u], ids[p.v]
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        pairs = {(a, b): (w, wi, e, d) for a, b, w, wi, e, d
                 in zip(lo, hi, p.w, p.wi, p.events, p.declared)}
        directed = {(ids[s], ids[t]): (w, (lo[k], hi[k]))
                    for s, t, w, k in zip(p.ds, p.dt, p.dw, p.pair_of)}
        return pairs, directed

    pairs, directed = by_id(net)
    assert by_id(shuffled) == (pairs, directed)
    assert any(d for *_, d in pairs.values()) and len(directed) > len(pairs) > 0


def test_strongest_with_a_cap_far_above_anyone_s_ties_keeps_every_pair():
    # each person's heap is as large as their ties, not as the cap: a cap of a billion
    # must neither allocate a billion slots per person nor change the answer
    from ona.ties import strongest
    rng = np.random.default_rng(5)
    n, m = 50, 400
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    w = rng.integers(1, 4, m).astype(float)
    where = u != v
    assert np.array_equal(strongest(u, v, w, n, 10 ** 9, where=where), where)
    assert np.array_equal(strongest(u, v, w, n, 3, where=where), _strongest_by_hand(u, v, w, n, 3, where))
