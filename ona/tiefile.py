"""A large tie table kept in files while ona works on it, instead of in memory.

At 100k people a year's event log sums to about 74M per-channel ties: 3.1 GB of columns
that ``ona analyze`` held from the pair sums to the end, though after the pair table
(:func:`ona.ties.pair_table`) its stages read only the pairs. The aggregation
(:mod:`ona.interactions`) can instead append each chunk of ties it sums to one file per
column (raw values, in the order made: source, target, layer) in a private temporary
folder; the network then reads the files in blocks where it needs every row, and reads
them whole only when someone asks for the table itself (``OrgNetwork.ties``).

What the files hold: integer codes of people (positions on the people list, no ids or
names), channel codes, weights, counts and first/last contact times. The folder is made
readable by its owner only and is deleted when the last network using it is gone, or when
Python exits. The folder is made where Python makes temporary files (``TMPDIR``): on a
system whose ``/tmp`` is held in memory (tmpfs), point ``TMPDIR`` at a disk, or the files
take the memory they save.

>>> import numpy as np
>>> f = TieFile(ids=["a", "b", "c"], channels=["email"])
>>> f.append({"s": np.array([0, 0]), "t": np.array([1, 2]), "layer": np.array([0, 0]),
...           "w": np.array([1.0, 0.5]), "c": np.array([2.0, 1.0]), "first": np.array([5, 6]),
...           "last": np.array([9, 6])})
>>> f.append({"s": np.array([2]), "t": np.array([0]), "layer": np.array([0]), "w": np.array([2.0]),
...           "c": np.array([1.0]), "first": np.array([7]), "last": np.array([7])})
>>> f.done()
>>> len(f), f.read("t").tolist(), f.read("w", 1, 3).tolist(), f.cuts
(3, [1, 2, 0], [0.5, 2.0], [0, 2, 3])
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["COLUMNS", "SPILL_ENV", "SPILL_PAIR_ROWS", "TieFile", "spill_pair_rows"]

#: The columns of a tie file and their types (as the pair sums make them, :func:`ona.pairsum.sum_pairs`).
COLUMNS: dict[str, Any] = {"s": np.int32, "t": np.int32, "layer": np.int16, "w": np.float64,
                           "c": np.float64, "first": np.int64, "last": np.int64}

#: Bytes of one tie in the files.
_ROW_BYTES = sum(np.dtype(dtype).itemsize for dtype in COLUMNS.values())

#: The aggregation keeps the ties in files when its pair rows (one per sender and recipient
#: of each event, and per pair of meeting participants) exceed this many: 50M pair rows make
#: about 25M ties, 1 GB of tie table. At 10k people (3M events) the pair rows are about
#: 15M and the table stays in memory; at 100k (30M events) they are about 150M.
SPILL_PAIR_ROWS = 50_000_000

#: Environment variable that sets :data:`SPILL_PAIR_ROWS` (0: always in files).
SPILL_ENV = "ONA_SPILL_PAIR_ROWS"


def spill_pair_rows() -> int:
    """The pair rows above which the tie table goes to files (``ONA_SPILL_PAIR_ROWS``, else
    :data:`SPILL_PAIR_ROWS`).

    >>> spill_pair_rows() >= 0
    True
    """
    value = os.environ.get(SPILL_ENV, "").strip()
    if not value:
        return SPILL_PAIR_ROWS
    try:
        rows = int(value)
    except ValueError:
        from .errors import ConfigError
        raise ConfigError(f"{SPILL_ENV} must be a whole number of pair rows, got {value!r}") from None
    return max(rows, 0)


class _Folder:
    """A private temporary folder, deleted when no one holds it or when Python exits, by
    the process that made it (a forked worker that lets go of its copy leaves it alone)."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="ona-ties-"))  # mode 0700
        self._remove = weakref.finalize(self, _remove, str(self.path), os.getpid())


def _remove(path: str, owner: int) -> None:
    """Delete ``path`` if this is the process ``owner`` that made it."""
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)


def _write_all(handle: Any, values: np.ndarray) -> None:
    """Write an array's bytes to an unbuffered file, all of them."""
    view = values.data.cast("B")
    while len(view):
        view = view[handle.write(view):]


class TieFile:
    """Interaction ties in one file per column (:data:`COLUMNS`), in (source, target, layer)
    order; ``ids`` are the people the codes ``s`` and ``t`` stand for, ``channels`` the
    layers the codes ``layer`` stand for. ``cuts`` are the row numbers where the appended
    chunks start (and the last row + 1): each chunk holds whole sources, so a block between
    two cuts never splits a source's ties."""

    def __init__(self, ids: list[str], channels: list[str]) -> None:
        self.ids = list(ids)
        self.channels = list(channels)
        self._folder = _Folder()
        self.rows = 0
        self.cuts = [0]
        # unbuffered: each append writes its columns whole, and a full disk is known at once
        self._open: dict[str, Any] | None = {name: open(self._path(name), "wb", buffering=0) for name in COLUMNS}

    def _path(self, name: str) -> Path:
        return self._folder.path / f"{name}.bin"

    def __len__(self) -> int:
        return self.rows

    def append(self, columns: dict[str, np.ndarray]) -> None:
        """Add rows (every column, the same length) after those written."""
        if self._open is None:
            raise RuntimeError("this tie file is complete")
        lengths = {len(columns[name]) for name in COLUMNS}
        if len(lengths) != 1:
            raise ValueError("every column must have as many rows")
        count = lengths.pop()
        if not count:
            return
        try:
            for name, dtype in COLUMNS.items():
                _write_all(self._open[name], np.ascontiguousarray(columns[name], dtype=dtype))
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                from .errors import ConfigError
                raise ConfigError(f"the disk of the temporary folder {self._folder.path.parent} is full "
                                  f"after {self.rows:,} ties ({self.rows * _ROW_BYTES / 1e9:.1f} GB): the "
                                  "tie table of a large event log is kept there while ona works; set "
                                  "TMPDIR to a folder on a disk with more space") from None
            raise
        self.rows += count
        self.cuts.append(self.rows)

    def done(self) -> None:
        """Close the files for writing (reading is possible only then)."""
        if self._open is not None:
            for handle in self._open.values():
                handle.close()
            self._open = None

    def read(self, name: str, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Rows ``lo`` to ``hi - 1`` of one column, read into memory (its own copy)."""
        if self._open is not None:
            raise RuntimeError("the tie file is still being written")
        hi = self.rows if hi is None else min(hi, self.rows)
        lo = max(0, min(lo, hi))
        dtype = np.dtype(COLUMNS[name])
        return np.fromfile(self._path(name), dtype=dtype, count=hi - lo, offset=lo * dtype.itemsize)

    def blocks(self, rows: int) -> list[tuple[int, int]]:
        """Row ranges of about ``rows`` rows (at least one chunk each) that end at chunk cuts."""
        out: list[tuple[int, int]] = []
        lo = 0
        for cut in self.cuts[1:]:
            if cut - lo >= rows:
                out.append((lo, cut))
                lo = cut
        if lo < self.rows:
            out.append((lo, self.rows))
        return out
