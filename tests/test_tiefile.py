"""Tie tables kept in files (ona.tiefile, ona.network.TieStore): the same network, pair
table and outputs as the table in memory, on an organisation with broadcasters, declared
relations and a partial survey; the files deleted when the network goes."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ona
from ona.network import TieStore, declared_ties, stored_ties, tie_count
from ona.pairsum import arrange, pair_sums, sum_pairs
from ona.tiefile import SPILL_ENV, TieFile, spill_pair_rows
from ona.ties import pair_table

#: Low enough that the organisation's spreaders of 1:1 messages count as broadcasters (four
#: of them), so their message ties are taken out of the chunks written to files.
WEIGHTING = ona.Weighting(max_recipients=5, broadcast_share=0.05)
PAIR_FIELDS = ("u", "v", "w", "wi", "events", "declared", "ds", "dt", "dw", "pair_of")


@pytest.fixture(scope="module")
def both(unseen_closed, tmp_path_factory):
    """The organisation loaded twice: ties in files (every log spills) and in memory."""
    folder, _ = unseen_closed
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SPILL_ENV, "0")
        filed = ona.load(folder, weighting=WEIGHTING)
    memory = ona.load(folder, weighting=WEIGHTING)
    return folder, filed, memory


def test_the_log_goes_to_files_only_past_the_threshold(both, monkeypatch):
    _, filed, memory = both
    assert isinstance(stored_ties(filed), TieStore)
    assert isinstance(stored_ties(memory), pd.DataFrame)
    assert tie_count(filed) == tie_count(memory) == len(memory.ties)
    monkeypatch.setenv(SPILL_ENV, "many")
    with pytest.raises(ona.ConfigError, match=SPILL_ENV):
        spill_pair_rows()


def test_the_same_table_layers_and_counts_without_reading_the_files(both):
    _, filed, memory = both
    store = stored_ties(filed)
    assert filed.layers == memory.layers
    assert filed.layers_of("relationship") == memory.layers_of("relationship")
    pd.testing.assert_frame_equal(filed.layer_summary(), memory.layer_summary(), check_exact=True)
    pd.testing.assert_frame_equal(declared_ties(filed), declared_ties(memory), check_exact=True)
    assert len(declared_ties(filed)) > 0  # the partial survey's relations
    assert stored_ties(filed) is store  # none of the above read the table into memory
    assert filed.interactions.broadcasters == memory.interactions.broadcasters
    assert sum(row["broadcaster"] for row in memory.interactions.broadcasters) == 4
    pd.testing.assert_frame_equal(filed.quality.drops_frame(), memory.quality.drops_frame())


@pytest.mark.parametrize("layers", [None, ["email"], ["email", "advice"], ["advice", "advocacy"]])
def test_the_same_pair_table_on_any_layers(both, layers):
    _, filed, memory = both
    chosen = [x for x in layers if x in memory.layers] if layers else None
    a, b = pair_table(filed, layers=chosen), pair_table(memory, layers=chosen)
    for name in PAIR_FIELDS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert len(a.u) > 0


def test_the_table_read_whole_is_the_table_in_memory(both, monkeypatch):
    folder, _, memory = both
    monkeypatch.setenv(SPILL_ENV, "0")
    filed = ona.load(folder, weighting=WEIGHTING)
    pd.testing.assert_frame_equal(filed.ties, memory.ties, check_exact=True)
    assert isinstance(stored_ties(filed), pd.DataFrame)  # read once, then kept


def test_analyze_writes_the_same_files(unseen_closed, tmp_path, monkeypatch):
    folder, _ = unseen_closed
    settings = dict(tribes=ona.TribeSettings(stability_seeds=3), confidence=ona.ConfidenceSettings(replicates=3),
                    weighting=WEIGHTING)
    ona.analyze(folder, tmp_path / "memory", **settings)
    monkeypatch.setenv(SPILL_ENV, "0")
    ona.analyze(folder, tmp_path / "filed", **settings)
    ona.analyze(folder, tmp_path / "filed_pseudo", pseudonymize_ids=True, pseudonym_key="k" * 32, **settings)
    monkeypatch.delenv(SPILL_ENV)
    ona.analyze(folder, tmp_path / "memory_pseudo", pseudonymize_ids=True, pseudonym_key="k" * 32, **settings)
    for a, b in (("memory", "filed"), ("memory_pseudo", "filed_pseudo")):
        names = sorted(p.name for p in (tmp_path / a).iterdir())
        assert names == sorted(p.name for p in (tmp_path / b).iterdir()) and "people_metrics.csv" in names
        for name in names:
            assert (tmp_path / a / name).read_bytes() == (tmp_path / b / name).read_bytes(), name


def test_pseudonymised_ties_read_from_files(both):
    _, filed, memory = both
    key = "a-long-enough-secret-for-the-test"
    a, b = ona.pseudonymize(filed, key), ona.pseudonymize(memory, key)
    assert isinstance(stored_ties(a), TieStore)
    pd.testing.assert_frame_equal(declared_ties(a), declared_ties(b), check_exact=True)
    pd.testing.assert_frame_equal(a.ties, b.ties, check_exact=True)


def test_the_files_go_with_the_network(unseen_closed, monkeypatch):
    folder, _ = unseen_closed
    monkeypatch.setenv(SPILL_ENV, "0")
    net = ona.load(folder)
    where = Path(stored_ties(net).file._folder.path)
    assert where.is_dir() and (where / "w.bin").stat().st_size == 8 * len(stored_ties(net).file)
    assert (where.stat().st_mode & 0o077) == 0  # the owner's only
    safe = ona.pseudonymize(net, "a-long-enough-secret-for-the-test")
    del net
    gc.collect()
    assert where.is_dir()  # the pseudonymised network shares the files
    del safe
    gc.collect()
    assert not where.exists()


def test_pair_sums_handed_over_in_chunks_are_the_sums():
    rng = np.random.default_rng(3)
    events, people = 4000, 120
    sizes = rng.integers(1, 6, events)
    rec_ptr = np.concatenate([[0], np.cumsum(sizes)])
    sender = rng.integers(0, people, events)
    rec = np.concatenate([rng.choice(np.delete(np.arange(people), s), k, replace=False)
                          for s, k in zip(sender, sizes)])
    log = dict(people=people, layers=3, sender=sender, layer=rng.integers(0, 3, events),
               weight=rng.random(events), ts=rng.integers(0, 10 ** 9, events),
               meeting=rng.random(events) < 0.3, rec_ptr=rec_ptr, rec=rec)
    whole = pair_sums(**log, threads=2)
    chunks: list[dict] = []
    layout = arrange(**log, threads=2)
    import ona.pairsum as P
    old, P.CHUNK_ROWS = P.CHUNK_ROWS, 500  # many chunks
    try:
        assert sum_pairs(layout, 2, sink=lambda c: chunks.append({k: v.copy() for k, v in c.items()})) == {}
    finally:
        P.CHUNK_ROWS = old
    assert len(chunks) > 4
    for name, column in whole.items():
        assert np.array_equal(np.concatenate([c[name] for c in chunks]), column), name
    # each chunk whole sources: a source never spans two chunks
    starts = [c["s"][0] for c in chunks if len(c["s"])]
    ends = [c["s"][-1] for c in chunks if len(c["s"])]
    assert all(e < s for e, s in zip(ends[:-1], starts[1:]))


def test_a_tie_file_refuses_reads_while_written_and_uneven_columns():
    f = TieFile(ids=["a", "b"], channels=["email"])
    row = {"s": [0], "t": [1], "layer": [0], "w": [1.0], "c": [1.0], "first": [0], "last": [0]}
    f.append({k: np.array(v) for k, v in row.items()})
    with pytest.raises(RuntimeError, match="still being written"):
        f.read("w")
    with pytest.raises(ValueError, match="as many rows"):
        f.append({**{k: np.array(v) for k, v in row.items()}, "w": np.array([1.0, 2.0])})
    f.done()
    assert f.read("w").tolist() == [1.0] and f.blocks(10) == [(0, 1)]
    with pytest.raises(RuntimeError, match="complete"):
        f.append({k: np.array(v) for k, v in row.items()})


def test_the_same_talent_review_reading_only_the_focal_rows(both):
    from ona.talent_review import resolve_rules, talent_review
    _, filed, memory = both
    people = memory.people.index
    panel, slate = list(people[:6]), list(people[100:130])
    store = stored_ties(filed)
    reviews = []
    for net in (filed, memory):
        rules = resolve_rules(net)
        reviews.append((rules, talent_review(net, panel, slate, rules=rules)))
    (rules_a, a), (rules_b, b) = reviews
    assert rules_a == rules_b and np.isfinite(rules_a.strong_weight)
    for name in ("candidates", "matrix", "ties", "panel", "introductions"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert len(a.ties) > 0 and a.notes == b.notes
    assert stored_ties(filed) is store  # the review read the files, not the table whole


def test_only_the_process_that_made_the_files_deletes_them(tmp_path):
    import os

    from ona.tiefile import _remove
    folder = tmp_path / "ties"
    folder.mkdir()
    _remove(str(folder), os.getpid() + 1)  # as a forked worker would at its end
    assert folder.is_dir()
    _remove(str(folder), os.getpid())
    assert not folder.exists()


def test_a_full_disk_names_the_folder_and_what_to_do():
    f = TieFile(ids=["a", "b"], channels=["email"])
    row = {k: np.array(v) for k, v in
           {"s": [0], "t": [1], "layer": [0], "w": [1.0], "c": [1.0], "first": [0], "last": [0]}.items()}
    f.append(row)
    f._open["w"].close()
    f._open["w"] = open("/dev/full", "wb", buffering=0)  # a device that is always full
    with pytest.raises(ona.ConfigError, match="TMPDIR") as error:
        f.append(row)
    assert "after 1 ties" in str(error.value)


def test_the_strong_tie_weight_of_some_channels_alike(both):
    from ona.ties import strong_tie_weight
    _, filed, memory = both
    store = stored_ties(filed)
    for channels in (["email"], ["chat", "email"], ("chat", "email"), None):
        expected = strong_tie_weight(memory.ties, channels=channels)
        assert np.isfinite(expected)
        assert strong_tie_weight(store, channels=channels) == expected
        assert strong_tie_weight(store, channels=iter(channels) if channels else None) == expected
    assert strong_tie_weight(store, channels=["email"]) != strong_tie_weight(store, channels=["chat", "email"])


def test_a_copy_holds_the_table_in_memory_and_outlives_the_files(both, monkeypatch):
    import copy
    import pickle
    folder, _, memory = both
    monkeypatch.setenv(SPILL_ENV, "0")
    net = ona.load(folder, weighting=WEIGHTING)
    where = Path(stored_ties(net).file._folder.path)
    copies = [copy.deepcopy(net), pickle.loads(pickle.dumps(net))]
    assert isinstance(stored_ties(net), TieStore)  # copying read nothing into the original
    del net
    gc.collect()
    assert not where.exists()
    for dup in copies:
        assert isinstance(stored_ties(dup), pd.DataFrame)
        pd.testing.assert_frame_equal(dup.ties, memory.ties, check_exact=True)
        assert dup.layers == memory.layers


def test_ids_in_another_order_in_the_file_give_one_order_of_categories():
    f = TieFile(ids=["b", "a"], channels=["email"])  # as no DuckDB sort gives, but possible by hand
    f.append({"s": np.array([0]), "t": np.array([1]), "layer": np.array([0]), "w": np.array([1.0]),
              "c": np.array([1.0]), "first": np.array([0]), "last": np.array([0])})
    f.done()
    declared = pd.DataFrame({"source_id": ["a"], "target_id": ["b"], "layer": ["advice"], "kind": ["relationship"],
                             "weight": [1.0], "count": [1.0], "first_contact": [pd.NaT], "last_contact": [pd.NaT]})
    store = TieStore(f, declared, pd.Index(["a", "b"]))
    frame = store.frame()
    assert list(frame["source_id"].cat.categories) == list(store.declared["source_id"].cat.categories) == ["a", "b"]
    assert frame[["source_id", "target_id"]].astype(str).values.tolist() == [["b", "a"], ["a", "b"]]
    pd.testing.assert_frame_equal(frame.iloc[1:], store.declared, check_exact=True)
