"""The compiled pair sums against the pair rows written out and grouped by pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ona import pairsum
from ona.pairsum import pair_sums, recipient_lists


def _random_events(seed: int, people: int = 40, events: int = 600, layers: int = 3):
    """Events with 1-6 distinct recipients other than the sender; layer 2 is meetings."""
    rng = np.random.default_rng(seed)
    sender = rng.integers(0, people, events)
    layer = rng.integers(0, layers, events)
    lists = []
    for s in sender:
        others = np.setdiff1d(np.arange(people), [s])
        lists.append(rng.choice(others, size=int(rng.integers(1, 7)), replace=False))
    return dict(
        people=people, layers=layers, sender=sender, layer=layer,
        weight=rng.random(events) * 3, ts=rng.integers(0, 10 ** 12, events),
        meeting=layer == 2, rec_ptr=np.concatenate([[0], np.cumsum([len(x) for x in lists])]),
        rec=np.concatenate(lists))


def _expected(ev: dict) -> pd.DataFrame:
    """The pair rows written out one by one (docs/weighting.md) and grouped."""
    rows = []
    for e, (s, g, w, t, m) in enumerate(zip(ev["sender"], ev["layer"], ev["weight"], ev["ts"], ev["meeting"])):
        recipients = ev["rec"][ev["rec_ptr"][e]:ev["rec_ptr"][e + 1]]
        rows += [(s, r, g, w, 1.0, t) for r in recipients]
        if m:
            rows += [(a, b, g, w / 2, 0.5, t) for a in recipients for b in recipients if a != b]
    frame = pd.DataFrame(rows, columns=["s", "t", "layer", "w", "c", "ts"])
    return (frame.groupby(["s", "t", "layer"], sort=True)
            .agg(w=("w", "sum"), c=("c", "sum"), first=("ts", "min"), last=("ts", "max"))
            .reset_index())


@pytest.mark.parametrize(("threads", "chunk"), [(1, 2_000_000), (2, 2_000_000), (2, 50), (3, 7)])
def test_pair_sums_match_the_pair_rows_grouped(monkeypatch, threads, chunk):
    monkeypatch.setattr(pairsum, "CHUNK_ROWS", chunk)
    ev = _random_events(seed=threads * 100 + chunk)
    got = pair_sums(**ev, threads=threads)
    want = _expected(ev)
    assert len(got["s"]) == len(want)
    for name in ("s", "t", "layer", "c", "first", "last"):
        np.testing.assert_array_equal(got[name], want[name].to_numpy(), err_msg=name)
    np.testing.assert_allclose(got["w"], want["w"].to_numpy(), rtol=1e-12)
    assert got["s"].dtype == np.int32 and got["layer"].dtype == np.int16


def test_a_person_with_more_ties_than_a_chunk_is_one_chunk(monkeypatch):
    monkeypatch.setattr(pairsum, "CHUNK_ROWS", 3)
    # person 0 sends to everyone in three layers: 3 x 9 ties, more than a chunk
    ev = dict(people=10, layers=3, sender=np.zeros(3, dtype=int), layer=np.arange(3),
              weight=np.ones(3), ts=np.array([5, 6, 7]), meeting=np.zeros(3, dtype=bool),
              rec_ptr=np.array([0, 9, 18, 27]), rec=np.tile(np.arange(1, 10), 3))
    got = pair_sums(**ev, threads=2)
    assert got["t"].tolist() == [t for t in range(1, 10) for _ in range(3)]
    assert got["layer"].tolist() == [0, 1, 2] * 9


def test_no_events_give_an_empty_table():
    empty = np.array([], dtype=np.int64)
    got = pair_sums(people=5, layers=1, sender=empty, layer=empty, weight=empty.astype(float),
                    ts=empty, meeting=empty.astype(bool), rec_ptr=np.zeros(1, dtype=np.int64),
                    rec=empty, threads=2)
    assert all(len(v) == 0 for v in got.values())


def test_times_beyond_exact_floats_are_refused():
    ev = _random_events(seed=1, events=3)
    ev["ts"] = np.array([0, 2 ** 53, 1])
    with pytest.raises(ValueError, match="exactly"):
        pair_sums(**ev)


def test_recipient_lists_keep_only_the_events_named_in_their_order():
    ptr, rec = recipient_lists(np.array([4, 0, 9]), np.array([0, 4, 0, 5, 9, 4]),
                               np.array([10, 11, 12, 13, 14, 15]))
    assert ptr.tolist() == [0, 2, 4, 5]
    assert rec.tolist() == [11, 15, 10, 12, 14]


def test_unordered_pairs_merge_the_two_directions():
    from ona.pairsum import pair_values, unordered_pairs
    rng = np.random.default_rng(5)
    n = 30
    keys = np.unique(rng.integers(0, n * n, 400))
    ds, dt = keys // n, keys % n  # sorted by (ds, dt); some self pairs
    values = rng.random(len(ds))
    u, v, first, second, pair_of = unordered_pairs(ds, dt, n)
    want: dict = {}
    for j, (s, t) in enumerate(zip(ds, dt)):
        want.setdefault((min(s, t), max(s, t)), []).append(j)
    assert list(zip(u.tolist(), v.tolist())) == sorted(want)
    for k, key in enumerate(sorted(want)):
        assert sorted([first[k]] + ([second[k]] if second[k] >= 0 else [])) == want[key]
        assert all(pair_of[j] == k for j in want[key])
    np.testing.assert_array_equal(pair_values(values, first, second),
                                  [sum(values[j] for j in want[key]) for key in sorted(want)])


@pytest.mark.parametrize("length", [1, 2, 3, 5, 8, 9, 16, 17, 130, 300])
def test_directed_sums_add_as_reduceat_does(length):
    from ona.pairsum import directed_sums
    rng = np.random.default_rng(length)
    runs = rng.integers(1, length + 1, 50)
    runs[0] = length
    src = np.repeat(np.arange(len(runs)), runs)
    tgt = np.zeros(len(src), dtype=np.int64)
    w = rng.lognormal(0, 3, len(src))
    c = rng.random(len(src))
    starts = np.concatenate([[0], np.cumsum(runs)[:-1]])
    s, t, sw, sc = directed_sums(src, tgt, w, c)
    assert s.tolist() == list(range(len(runs)))
    assert sw.tolist() == np.add.reduceat(w, starts).tolist()  # bit for bit
    assert sc.tolist() == np.add.reduceat(c, starts).tolist()


def test_more_layers_than_16_bit_codes_are_refused():
    ev = _random_events(seed=2, events=3)
    with pytest.raises(ValueError, match="layers"):
        pair_sums(**{**ev, "layers": pairsum.MAX_LAYERS + 1})
