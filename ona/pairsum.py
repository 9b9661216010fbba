"""Pair sums, compiled: each person's ties summed in one pass over their events (the
aggregation), and each pair's directions merged without a sort (``pair_table``).

The aggregation (:mod:`ona.interactions`) turns each kept event into pair rows: the sender
to each recipient (the event's weight per recipient, a count of 1) and, for a meeting,
each ordered pair of distinct recipients (half of each, docs/weighting.md). The tie table
is their sum per (source, target, layer), with the first and last contact. A grouping in
DuckDB hashes every pair row (150M at 100k people) into a table of every tie (56M); here
each source is done on its own, as in a sparse matrix product (:func:`arrange`, then
:func:`sum_pairs`): the events the person sent and the meetings they attended are read
once, their pair rows are added into an array as long as the people list (one 32-byte row
a target, a count of 0 marking an empty one, emptied again after use), and the touched
rows are written out in target order. The work is one step per pair row and the memory is
the events, their recipients and the output.

The sums are the same as DuckDB's up to the order of the additions, which the tie table
settles (:func:`ona.interactions.settle_weights`); counts, first and last contact are
exact (at 10k and 100k people the tie table came out the same bit for bit). The people
are cut into chunks of about :data:`CHUNK_ROWS` pair rows; the threads (numba frees the
GIL) sum one chunk each into buffers they reuse, and the chunks are copied to the output
in order, so it is written once, front to back.

:func:`directed_sums`, :func:`unordered_pairs` and :func:`pair_values` serve
:func:`ona.ties.pair_table`: the per-channel ties summed per directed pair, and the two
directions of each pair merged, in work proportional to the pairs.

>>> import numpy as np
>>> # events: 0 sends a message to 1 and 2; 1 holds a meeting with 0 and 2 (meeting = layer 1)
>>> out = pair_sums(people=3, layers=2, sender=np.array([0, 1]), layer=np.array([0, 1]),
...                 weight=np.array([0.5, 1.0]), ts=np.array([10, 20]),
...                 meeting=np.array([False, True]), rec_ptr=np.array([0, 2, 4]),
...                 rec=np.array([1, 2, 0, 2]), threads=1)
>>> for row in zip(out["s"], out["t"], out["layer"], out["w"], out["c"]):
...     print(*(x.item() for x in row))
0 1 0 0.5 1.0
0 2 0 0.5 1.0
0 2 1 0.5 0.5
1 0 1 1.0 1.0
1 2 1 1.0 1.0
2 0 1 0.5 0.5
"""

from __future__ import annotations

import mmap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numba import njit

__all__ = ["PairLayout", "arrange", "directed_sums", "pair_sums", "pair_values", "recipient_lists", "sum_pairs",
           "unordered_pairs", "warm_up", "written_once"]


@njit(cache=True, nogil=True)
def _lists(event_ids: np.ndarray, row_events: np.ndarray,
           row_recipients: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    top = 0
    for e in event_ids:
        top = max(top, e)
    for e in row_events:
        top = max(top, e)
    where = np.full(top + 1, -1, dtype=np.int64)
    for i in range(len(event_ids)):
        where[event_ids[i]] = i
    ptr = np.zeros(len(event_ids) + 1, dtype=np.int64)
    for e in row_events:
        i = where[e]
        if i >= 0:
            ptr[i + 1] += 1
    for i in range(len(event_ids)):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    rec = np.empty(ptr[-1], dtype=np.int32)
    for j in range(len(row_events)):
        i = where[row_events[j]]
        if i >= 0:
            rec[fill[i]] = row_recipients[j]
            fill[i] += 1
    return ptr, rec


def recipient_lists(event_ids: np.ndarray, row_events: np.ndarray,
                    row_recipients: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Recipient rows (event id, recipient) as lists per event, in the order of
    ``event_ids``: ``(rec_ptr, rec)`` for :func:`pair_sums`. Rows of events not in
    ``event_ids`` are left out; ids are whole numbers from 0.

    >>> ptr, rec = recipient_lists(np.array([7, 3]), np.array([3, 7, 3, 5]), np.array([1, 2, 4, 9]))
    >>> ptr.tolist(), rec.tolist()
    ([0, 1, 3], [2, 1, 4])
    """
    if not len(event_ids):
        return np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.int32)
    ids = np.int32 if event_ids.dtype == np.int32 and row_events.dtype == np.int32 else np.int64
    return _lists(np.ascontiguousarray(event_ids, dtype=ids),
                  np.ascontiguousarray(row_events, dtype=ids),
                  np.ascontiguousarray(row_recipients, dtype=np.int32))


def warm_up() -> None:
    """Load the pair sums' compiled code now (on two events), with the argument types of an
    aggregation's call. numba's first load of cached code in a process sets up its compiler
    (and imports scipy's BLAS): 0.8 s of the 0.95 s its eleven functions took in a run at
    10k people. :func:`ona.load` calls this in a thread while DuckDB checks the event log,
    so the set-up is not waited for. It computes nothing that is kept.

    >>> warm_up()
    """
    i32 = np.int32
    rec_ptr, rec = recipient_lists(np.array([0, 1], dtype=i32), np.array([0, 1, 1], dtype=i32),
                                   np.array([1, 0, 2], dtype=i32))
    pair_sums(people=3, layers=1, sender=np.array([0, 1], dtype=i32), layer=np.zeros(2, dtype=i32),
              weight=np.ones(2), ts=np.zeros(2, dtype=np.int64), meeting=np.array([False, True]),
              rec_ptr=rec_ptr, rec=rec)


@njit(cache=True, nogil=True)
def _counts(people: int, sender: np.ndarray, meeting: np.ndarray, rec_ptr: np.ndarray,
            rec: np.ndarray) -> tuple:
    """Per person: where their events start in sender order (``sent_ptr``), where their
    recipients start (``rec_start``), where the meetings they attend start (``met_ptr``),
    and the pair rows they are the source of (``work``)."""
    sent_ptr = np.zeros(people + 1, dtype=np.int64)
    rec_start = np.zeros(people + 1, dtype=np.int64)
    met_ptr = np.zeros(people + 1, dtype=np.int64)
    work = np.zeros(people, dtype=np.int64)
    for e in range(len(sender)):
        s = sender[e]
        size = rec_ptr[e + 1] - rec_ptr[e]
        sent_ptr[s + 1] += 1
        rec_start[s + 1] += size
        work[s] += size
        if meeting[e]:
            for q in range(rec_ptr[e], rec_ptr[e + 1]):
                t = rec[q]
                met_ptr[t + 1] += 1
                work[t] += size - 1
    for k in range(people):
        sent_ptr[k + 1] += sent_ptr[k]
        rec_start[k + 1] += rec_start[k]
        met_ptr[k + 1] += met_ptr[k]
    return sent_ptr, rec_start, met_ptr, work


@njit(cache=True, nogil=True)
def _arrange(lo: int, hi: int, sender: np.ndarray, layer: np.ndarray, weight: np.ndarray,
             ts: np.ndarray, meeting: np.ndarray, rec_ptr: np.ndarray, rec: np.ndarray,
             sent_ptr: np.ndarray, rec_start: np.ndarray, met_ptr: np.ndarray,
             info: np.ndarray, recs: np.ndarray, met: np.ndarray) -> None:
    """The part of the layout that belongs to people ``lo`` to ``hi - 1``: the rows of
    ``info`` (layer, weight, time, start in ``recs``) and the recipients of the events they
    sent, in sender order, and the rows of the meetings they attend (``met``).

    The log is read in its own order (one pass, every array read front to back) and only
    the writes are scattered: reading the events in a scattered order instead cost a cache
    miss per array per event (10-17 s at 100k people against the 2 s of this pass). Every
    thread keeps every person's counters and writes only its own people's parts, so the
    threads need nothing from each other."""
    fill = sent_ptr[:-1].copy()
    rfill = rec_start[:-1].copy()
    mfill = met_ptr[:-1].copy()
    for e in range(len(sender)):
        s = sender[e]
        i = fill[s]
        fill[s] += 1
        r0 = rfill[s]
        size = rec_ptr[e + 1] - rec_ptr[e]
        rfill[s] += size
        if lo <= s < hi:
            info[i, 0] = layer[e]
            info[i, 1] = weight[e]
            info[i, 2] = ts[e]
            info[i, 3] = r0
            for q in range(size):
                recs[r0 + q] = rec[rec_ptr[e] + q]
        if meeting[e]:
            for q in range(rec_ptr[e], rec_ptr[e + 1]):
                t = rec[q]
                if lo <= t < hi:
                    met[mfill[t]] = i
                    mfill[t] += 1


@njit(cache=True, nogil=True)
def _sum_range(lo: int, hi: int, layers: int, sent_ptr: np.ndarray, met_ptr: np.ndarray,
               met: np.ndarray, info: np.ndarray, recs: np.ndarray, acc: np.ndarray,
               touched: np.ndarray, items: np.ndarray, codes: np.ndarray, b_key: np.ndarray,
               b_val: np.ndarray, out_s: np.ndarray, out_t: np.ndarray, out_layer: np.ndarray,
               out_w: np.ndarray, out_c: np.ndarray, out_first: np.ndarray,
               out_last: np.ndarray) -> int:
    """The ties of sources ``lo`` to ``hi - 1`` in (source, target, layer) order, written
    from the start of the ``out_`` arrays; returns how many.

    Per source, its contributions (events sent, meetings attended) are taken layer by
    layer. Within a layer each target's slot in ``acc`` (weight, count, first, last: one row
    of 32 bytes, so one place in memory per pair row) is summed, a count of 0 marking an
    empty slot; the layer's ties then go to a buffer (``b_key``, ``b_val``), their slots are
    emptied, and the buffer is sorted by (target, layer) once the source is done. The
    other arrays are work space, made once per thread (:func:`pair_sums` sizes them)."""
    pos = 0
    for p in range(lo, hi):
        m = 0
        for i in range(sent_ptr[p], sent_ptr[p + 1]):
            items[m] = i  # event rows; a meeting attended as -1 - row
            codes[m] = np.int64(info[i, 0])
            m += 1
        for j in range(met_ptr[p], met_ptr[p + 1]):
            i = met[j]
            items[m] = -1 - i
            codes[m] = np.int64(info[i, 0])
            m += 1
        if m == 0:
            continue
        order = np.argsort(codes[:m], kind="mergesort")
        filled = 0
        k = 0
        while k < m:
            code = codes[order[k]]
            n_touched = 0
            while k < m and codes[order[k]] == code:
                x = items[order[k]]
                k += 1
                if x >= 0:
                    i = x
                    w = info[i, 1]
                    c = 1.0
                else:
                    i = -1 - x
                    w = info[i, 1] / 2
                    c = 0.5
                when = info[i, 2]
                for q in range(np.int64(info[i, 3]), np.int64(info[i + 1, 3])):
                    t = recs[q]
                    if t == p:  # a meeting's recipients include the person themself
                        continue
                    if acc[t, 1] == 0.0:
                        acc[t, 0] = w
                        acc[t, 1] = c
                        acc[t, 2] = when
                        acc[t, 3] = when
                        touched[n_touched] = t
                        n_touched += 1
                    else:
                        acc[t, 0] += w
                        acc[t, 1] += c
                        if when < acc[t, 2]:
                            acc[t, 2] = when
                        if when > acc[t, 3]:
                            acc[t, 3] = when
            for j in range(n_touched):
                t = touched[j]
                b_key[filled] = t * layers + code
                for v in range(4):
                    b_val[filled, v] = acc[t, v]
                acc[t, 1] = 0.0
                filled += 1
        ordered = np.argsort(b_key[:filled])
        for j in range(filled):
            o = ordered[j]
            key = b_key[o]
            out_s[pos] = p
            out_t[pos] = key // layers
            out_layer[pos] = key % layers
            out_w[pos] = b_val[o, 0]
            out_c[pos] = b_val[o, 1]
            out_first[pos] = np.int64(b_val[o, 2])
            out_last[pos] = np.int64(b_val[o, 3])
            pos += 1
    return pos


def _ranges(work: np.ndarray, parts: int) -> list[int]:
    """Cuts of the people into at most ``parts`` ranges of about equal work."""
    ends = np.cumsum(work)
    total = int(ends[-1]) if len(ends) else 0
    cuts = [0] + [int(np.searchsorted(ends, total * k / parts, side="right")) for k in range(1, parts)]
    return sorted(set(cuts + [len(work)]))


def written_once(length: int, dtype: Any) -> np.ndarray:
    """An empty array on memory of ordinary pages (an anonymous map), for an output written
    once front to back. numpy asks the kernel for huge pages for large arrays, and on a
    machine whose memory is fragmented (by the page cache) each one is found by compacting
    memory first. At 100k people, timed on their own: the pair sums (:func:`sum_pairs`,
    3.1 GB of tie table columns) 10.4-12.4 s against 27.4-31.1 s, the whole aggregation
    88-92 s against 111-124 s. (The event layout, :func:`arrange`, writes its arrays in a
    scattered order; on ordinary pages it was no faster at 100k and slower at 10k.)"""
    size = int(length) * np.dtype(dtype).itemsize
    if size < 1 << 22:  # small: numpy's own memory
        return np.empty(length, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, size), dtype=dtype)


def _in_threads(tasks: list[Callable[[], Any]]) -> list:
    """Each task's result, one thread each (the compiled tasks free the GIL)."""
    if len(tasks) < 2:
        return [task() for task in tasks]
    with ThreadPoolExecutor(len(tasks)) as pool:
        return list(pool.map(lambda task: task(), tasks))


#: Pair rows summed into a thread's buffers at a time (about 80 MB of them): the output is
#: then copied from the buffers, which every chunk uses again.
CHUNK_ROWS = 2_000_000

#: Layers (channels) a tie table can hold: their codes are 16-bit.
MAX_LAYERS = int(np.iinfo(np.int16).max) + 1

#: Times (``ts``) must lie within this many units of 0: the sums hold them as floats, exact
#: up to 2**53 (microseconds: 285 years from 1970; ona accepts 1970 to the end of next year).
EXACT_TIME = 2 ** 53


@dataclass
class PairLayout:
    """The kept events laid out for the pair sums (:func:`arrange`): per person, their
    events in ``info`` rows ``sent_ptr[p]:sent_ptr[p + 1]`` (layer, weight, time, start of
    the recipients in ``recs``; a row's recipients end where the next row's start), the
    rows of the meetings they attend (``met[met_ptr[p]:met_ptr[p + 1]]``) and the pair
    rows they are the source of (``work``). It holds nothing of the caller's arrays, so the
    log can be freed before the sums are made."""

    people: int
    layers: int
    sent_ptr: np.ndarray
    met_ptr: np.ndarray
    met: np.ndarray
    info: np.ndarray
    recs: np.ndarray
    work: np.ndarray


def arrange(*, people: int, layers: int, sender: np.ndarray, layer: np.ndarray,
            weight: np.ndarray, ts: np.ndarray, meeting: np.ndarray, rec_ptr: np.ndarray,
            rec: np.ndarray, threads: int = 1) -> PairLayout:
    """The events laid out by person for :func:`sum_pairs` (parameters: :func:`pair_sums`)."""
    sender = np.ascontiguousarray(sender, dtype=np.int32)
    layer = np.ascontiguousarray(layer, dtype=np.int16)
    weight = np.ascontiguousarray(weight, dtype=np.float64)
    ts = np.ascontiguousarray(ts, dtype=np.int64)
    meeting = np.ascontiguousarray(meeting, dtype=np.bool_)
    rec_ptr = np.ascontiguousarray(rec_ptr, dtype=np.int64)
    rec = np.ascontiguousarray(rec, dtype=np.int32)
    if len(ts) and int(np.abs(ts).max()) >= EXACT_TIME:
        raise ValueError(f"times must lie within {EXACT_TIME} units of 0 to be summed exactly")
    if layers > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} layers can be summed, got {layers}")
    sent_ptr, rec_start, met_ptr, work = _counts(people, sender, meeting, rec_ptr, rec)
    n = len(sender)
    info = np.empty((n + 1, 4))  # layer, weight, time, first recipient: exact as floats
    info[n, 3] = rec_start[-1]
    recs = np.empty(len(rec), dtype=np.int32)
    met = np.empty(met_ptr[-1], dtype=np.int64)
    cuts = _ranges(np.diff(sent_ptr) + np.diff(met_ptr) + 1, max(1, min(int(threads), people)))
    log = (sender, layer, weight, ts, meeting, rec_ptr, rec)
    _in_threads([partial(_arrange, lo, hi, *log, sent_ptr, rec_start, met_ptr, info, recs, met)
                 for lo, hi in zip(cuts[:-1], cuts[1:])])
    return PairLayout(people=people, layers=layers, sent_ptr=sent_ptr, met_ptr=met_ptr, met=met,
                      info=info, recs=recs, work=work)


def sum_pairs(layout: PairLayout, threads: int = 1, *,
              sink: Callable[[dict[str, np.ndarray]], None] | None = None) -> dict[str, np.ndarray]:
    """The tie table's columns from a layout (returns: :func:`pair_sums`).

    ``sink``: instead of returning the columns, hand them over chunk by chunk, in order
    (each chunk whole sources; the arrays are work space used again after the call, so the
    sink copies or writes what it keeps). Then the columns are never all in memory, and an
    empty dict is returned."""
    people, layers, work = layout.people, layout.layers, layout.work
    threads = max(1, min(int(threads), people))
    most = int((np.diff(layout.sent_ptr) + np.diff(layout.met_ptr)).max()) if people else 0
    total = int(work.sum())
    # chunks of about CHUNK_ROWS pair rows (or one person), summed into per-thread buffers
    # that every chunk uses again, then copied to the end of the output: the output is
    # written once, front to back, and no memory is left unwritten between the threads'
    # parts (moving a second thread's part down over untouched memory took 8-10 s at 100k)
    cuts = _ranges(work, max(threads, -(-total // CHUNK_ROWS)))
    biggest = max((int(work[lo:hi].sum()) for lo, hi in zip(cuts[:-1], cuts[1:])), default=0)
    keys = int(min(work.max(), people * layers)) if people else 0  # one person's ties at most
    names = ("s", "t", "layer", "w", "c", "first", "last")
    types = (np.int32, np.int32, np.int16, np.float64, np.float64, np.int64, np.int64)
    out = [] if sink is not None else [written_once(total, d) for d in types]
    spaces = [(np.zeros((people, 4)), np.empty(people, dtype=np.int64),
               np.empty(max(most, 1), dtype=np.int64), np.empty(max(most, 1), dtype=np.int64),
               np.empty(max(keys, 1), dtype=np.int64), np.empty((max(keys, 1), 4)),
               *[np.empty(biggest, dtype=d) for d in types]) for _ in range(threads)]
    shared = (layers, layout.sent_ptr, layout.met_ptr, layout.met, layout.info, layout.recs)
    filled = 0
    for first in range(0, len(cuts) - 1, threads):  # a round: one chunk per thread
        chunks = range(first, min(first + threads, len(cuts) - 1))
        counts = _in_threads([partial(_sum_range, cuts[c], cuts[c + 1], *shared, *space)
                              for c, space in zip(chunks, spaces)])
        for k, count in enumerate(counts):
            if sink is not None:
                sink({name: part[:count] for name, part in zip(names, spaces[k][6:])})
                continue
            for column, part in zip(out, spaces[k][6:]):
                column[filled:filled + count] = part[:count]
            filled += count
    return {name: column[:filled] for name, column in zip(names, out)}


def pair_sums(*, people: int, layers: int, sender: np.ndarray, layer: np.ndarray,
              weight: np.ndarray, ts: np.ndarray, meeting: np.ndarray, rec_ptr: np.ndarray,
              rec: np.ndarray, threads: int = 1) -> dict[str, np.ndarray]:
    """The tie table's columns from the kept events, in (source, target, layer) order.

    Parameters
    ----------
    people, layers : int
        How many people (codes ``0 .. people - 1``) and layers (channel codes).
    sender, layer, weight, ts, meeting : arrays, one entry per event
        The sender's code, the channel's code, the weight per recipient, the time (whole
        units, e.g. microseconds, within :data:`EXACT_TIME` of 0) and whether the event is
        a meeting.
    rec_ptr, rec : arrays
        The events' distinct recipients other than the sender: event ``e``'s at
        ``rec[rec_ptr[e]:rec_ptr[e + 1]]``.
    threads : int
        Ranges of people worked on at once.

    Returns
    -------
    dict of arrays
        ``s``, ``t`` (int32), ``layer`` (int16), ``w``, ``c`` (float64), ``first``,
        ``last`` (int64, the clock of ``ts``).
    """
    layout = arrange(people=people, layers=layers, sender=sender, layer=layer, weight=weight,
                     ts=ts, meeting=meeting, rec_ptr=rec_ptr, rec=rec, threads=threads)
    return sum_pairs(layout, threads)


@njit(cache=True, nogil=True)
def _merge_directions(ds: np.ndarray, dt: np.ndarray, n: int, u: np.ndarray, v: np.ndarray,
                      first: np.ndarray, second: np.ndarray, pair_of: np.ndarray) -> int:
    # the directed pairs going down (ds > dt) in order of their lower end, then their higher
    # one: a counting sort by the lower end keeps the order of the higher (ds is sorted)
    ptr = np.zeros(n + 1, dtype=np.int64)
    for j in range(len(ds)):
        if ds[j] > dt[j]:
            ptr[dt[j] + 1] += 1
    for k in range(n):
        ptr[k + 1] += ptr[k]
    down = np.empty(ptr[n], dtype=pair_of.dtype)
    fill = ptr[:-1].copy()
    for j in range(len(ds)):
        if ds[j] > dt[j]:
            down[fill[dt[j]]] = j
            fill[dt[j]] += 1
    # merged with the pairs going up (ds <= dt), which are in (lower, higher) order already
    ja = 0
    ib = 0
    k = 0
    big = np.int64(n) * n
    while True:
        while ja < len(ds) and ds[ja] > dt[ja]:
            ja += 1
        key_a = np.int64(ds[ja]) * n + dt[ja] if ja < len(ds) else big
        key_b = np.int64(dt[down[ib]]) * n + ds[down[ib]] if ib < len(down) else big
        if key_a == big and key_b == big:
            break
        if key_a <= key_b:
            first[k] = ja
            pair_of[ja] = k
            ja += 1
            if key_a == key_b:
                second[k] = down[ib]
                pair_of[down[ib]] = k
                ib += 1
            else:
                second[k] = -1
            key = key_a
        else:
            first[k] = down[ib]
            second[k] = -1
            pair_of[down[ib]] = k
            ib += 1
            key = key_b
        u[k] = key // n
        v[k] = key % n
        k += 1
    return k


def unordered_pairs(ds: np.ndarray, dt: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    """Directed pairs ``ds -> dt`` sorted by (``ds``, ``dt``) merged into unordered pairs
    ``u <= v`` in (u, v) order: ``(u, v, first, second, pair_of)``, where ``first`` and
    ``second`` are the directed pairs behind each (``second`` -1 when only one direction
    is there) and ``pair_of`` the unordered pair of each directed one.

    The pairs going up are in order already and those going down are put in order by a
    counting sort on their lower end, then the two are merged: work in proportion to the
    pairs, where a sort of every pair's key took 9-10 s at 100k people (69M pairs).

    >>> u, v, first, second, pair_of = unordered_pairs(np.array([0, 1, 2, 2]), np.array([1, 0, 0, 1]), 3)
    >>> u.tolist(), v.tolist(), first.tolist(), second.tolist(), pair_of.tolist()
    ([0, 0, 1], [1, 2, 2], [0, 2, 3], [1, -1, -1], [0, 0, 1, 2])
    """
    m = len(ds)
    ends = np.int32 if n < 2 ** 31 else np.int64
    index = np.int32 if m < 2 ** 31 else np.int64
    u, v = written_once(m, ends), written_once(m, ends)
    first, second = written_once(m, index), written_once(m, index)
    pair_of = written_once(m, index)
    k = _merge_directions(np.ascontiguousarray(ds), np.ascontiguousarray(dt), int(n), u, v,
                          first, second, pair_of)
    return u[:k], v[:k], first[:k], second[:k], pair_of


@njit(cache=True, nogil=True)
def pair_values(values: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Per unordered pair, the sum of its directed pairs' ``values`` (``second`` -1: one).

    >>> pair_values(np.array([1.0, 2.0, 4.0]), np.array([0, 2]), np.array([1, -1])).tolist()
    [3.0, 4.0]
    """
    out = np.empty(len(first), dtype=values.dtype)
    for k in range(len(first)):
        x = values[first[k]]
        if second[k] >= 0:
            x = x + values[second[k]]
        out[k] = x
    return out


@njit(cache=True, nogil=True)
def _pairwise(a: np.ndarray, lo: int, n: int) -> float:
    """numpy's pairwise sum of ``a[lo:lo + n]`` (``DOUBLE_pairwise_sum``): one after the
    other below 8 values, eight running sums up to 128, halves beyond."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    if n <= 128:
        r = a[lo:lo + 8].copy()
        whole = n - n % 8
        for i in range(8, whole, 8):
            for j in range(8):
                r[j] += a[lo + i + j]
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for i in range(whole, n):
            res += a[lo + i]
        return res
    half = n // 2
    half -= half % 8
    return _pairwise(a, lo, half) + _pairwise(a, lo + half, n - half)


@njit(cache=True, nogil=True)
def _sum_sorted(src: np.ndarray, tgt: np.ndarray, w: np.ndarray, c: np.ndarray, out_s: np.ndarray,
                out_t: np.ndarray, out_w: np.ndarray, out_c: np.ndarray) -> int:
    k = 0
    start = 0
    m = len(src)
    while start < m:
        end = start + 1
        while end < m and src[end] == src[start] and tgt[end] == tgt[start]:
            end += 1
        if end < m and (src[end] < src[start] or (src[end] == src[start] and tgt[end] < tgt[start])):
            return -1  # not in (source, target) order
        out_s[k] = src[start]
        out_t[k] = tgt[start]
        if end - start == 1:
            out_w[k] = w[start]
            out_c[k] = c[start]
        else:  # as np.add.reduceat adds a run: its first value plus the pairwise sum of the rest
            out_w[k] = w[start] + _pairwise(w, start + 1, end - start - 1)
            out_c[k] = c[start] + _pairwise(c, start + 1, end - start - 1)
        k += 1
        start = end
    return k


def directed_sums(src: np.ndarray, tgt: np.ndarray, w: np.ndarray,
                  c: np.ndarray) -> tuple[np.ndarray, ...] | None:
    """Rows in (source, target) order summed per directed pair, one pass with no
    temporary arrays: ``(s, t, w, c)``, or None when the rows are not in that order.

    Each pair's values are added in the order ``np.add.reduceat`` adds a run (the first,
    plus numpy's pairwise sum of the others), so the sums are the same to the last bit as
    the numpy route's. At 100k people (74M rows) the numpy route (a key per
    row, a mask of run starts, their positions, two ``reduceat``) took 18.7 s, nearly all
    of it memory for its temporary arrays.

    >>> s, t, w, c = directed_sums(np.array([0, 0, 1]), np.array([1, 1, 0]),
    ...                            np.array([1.0, 2.0, 4.0]), np.array([1.0, 1.0, 2.0]))
    >>> s.tolist(), t.tolist(), w.tolist(), c.tolist()
    ([0, 1], [1, 0], [3.0, 4.0], [2.0, 2.0])
    >>> directed_sums(np.array([1, 0]), np.array([0, 1]), np.ones(2), np.ones(2)) is None
    True
    """
    m = len(src)
    out_s, out_t = written_once(m, src.dtype), written_once(m, tgt.dtype)
    out_w, out_c = written_once(m, np.float64), written_once(m, np.float64)
    k = _sum_sorted(np.ascontiguousarray(src), np.ascontiguousarray(tgt),
                    np.ascontiguousarray(w, dtype=np.float64), np.ascontiguousarray(c, dtype=np.float64),
                    out_s, out_t, out_w, out_c)
    if k < 0:
        return None
    return out_s[:k], out_t[:k], out_w[:k], out_c[:k]
