"""Work shared over forked processes, and stopped with the run.

igraph and the resampled reruns hold the GIL, so the path measures, the tribe reruns and
the confidence reruns share the cores over forked processes (they inherit the data without
copying it). One helper makes the pool, so every pool behaves the same:

- a worker dies with its parent: on Linux each worker asks the kernel for SIGTERM when the
  process that started it ends, however it ends;
- SIGTERM to a command (``ona analyze``, ``ona serve``) stops it like Ctrl-C, and its
  workers with it (:func:`stop_on_sigterm`).
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["map_forked", "stop_on_sigterm"]

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def map_forked(task: Callable[[Any], T], items: Sequence[Any], *, workers: int | None = None,
               minimum: int = 2) -> list[T]:
    """``[task(x) for x in items]``, shared over ``workers`` forked processes (default: every
    core) when there are at least ``minimum`` items and fork is available; in this process
    otherwise. The order of the results is the order of the items.

    >>> map_forked(abs, [-1, 2, -3], workers=1)
    [1, 2, 3]
    """
    items = list(items)
    workers = min(workers or os.cpu_count() or 1, len(items))
    if workers > 1 and len(items) >= minimum and "fork" in mp.get_all_start_methods():
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"),
                                 initializer=_die_with_parent) as pool:
            return list(pool.map(task, items))
    return [task(x) for x in items]


def stop_on_sigterm() -> None:
    """Make SIGTERM stop this process as Ctrl-C does (KeyboardInterrupt), after ending the
    worker processes it started."""
    def handler(signum, frame):  # noqa: ARG001 - the signal's signature
        for child in mp.active_children():
            child.terminate()
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (an embedding program): leave its signals alone
        pass

