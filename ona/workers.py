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
from concurrent.futures import FIRST_EXCEPTION, CancelledError, Future, ProcessPoolExecutor, wait
from typing import Any, Generic, TypeVar

__all__ = ["Pending", "map_forked", "start_forked", "stop_on_sigterm"]

T = TypeVar("T")
U = TypeVar("U")
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
    return start_forked(task, items, workers=workers, minimum=minimum)()


class Pending(Generic[T]):
    """Results on their way (:func:`start_forked`): calling it waits for them; ``then(f)``
    is the same work with ``f`` applied to the list of results when they are waited for;
    ``cancel()`` stops it (after an error in the work done meanwhile). When an item fails,
    or the work is cancelled, the items not started are dropped and the workers still
    running are stopped before this returns, so nothing they do (such as writing a file)
    happens after the error is raised."""

    def __init__(self, futures: list[Future] | None = None, pool: ProcessPoolExecutor | None = None,
                 done: list | None = None, finish: Callable[[list], T] | None = None) -> None:
        self._futures, self._pool, self._done, self._finish = futures or [], pool, done, finish
        self._cancelled = False

    def __call__(self) -> T:
        if self._cancelled:
            raise CancelledError("this work was cancelled")
        if self._pool is None:
            results = list(self._done or [])
        else:
            try:
                # the first failure ends the wait, whichever item it is
                wait(self._futures, return_when=FIRST_EXCEPTION)
                for future in self._futures:
                    if future.done() and not future.cancelled() and future.exception() is not None:
                        raise future.exception()  # type: ignore[misc]
                results = [future.result() for future in self._futures]
            except BaseException:
                self.cancel()
                raise
            self._pool.shutdown(wait=True)  # every item is done: the workers end at once
        return self._finish(results) if self._finish is not None else results  # type: ignore[return-value]

    def item(self, index: int) -> Any:
        """The result of item ``index`` alone, waited for while the other items go on.
        If it failed, the work is cancelled as when waiting for all (the items not started
        dropped, the workers stopped) and its error raised.

        >>> start_forked(abs, [-1, 2, -3], workers=1).item(2)
        3
        """
        if self._cancelled:
            raise CancelledError("this work was cancelled")
        if self._pool is None:
            return list(self._done or [])[index]
        try:
            return self._futures[index].result()
        except BaseException:
            self.cancel()
            raise

    def then(self, finish: Callable[[list], U]) -> Pending[U]:
        return Pending(self._futures, self._pool, self._done, finish)

    def cancel(self) -> None:
        """Drop the items not started and stop the workers (no-op when the work is done)."""
        pool = self._pool
        if pool is None:
            return
        if not all(future.done() for future in self._futures):
            self._cancelled = True
            for future in self._futures:
                future.cancel()
            # the running items are stopped, not waited for (the executor has no public way)
            for process in list(getattr(pool, "_processes", {}).values()):
                if process.is_alive():
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def start_forked(task: Callable[[Any], T], items: Sequence[Any], *, workers: int | None = None,
                 minimum: int = 2) -> Pending[list[T]]:
    """:func:`map_forked` started now, waited for later: the processes are forked before
    this returns (so they see the data as it is now, and the caller may change it), and
    calling the :class:`Pending` returned waits for the results, in the order of the
    items. The caller works on meanwhile (``ona analyze`` makes the tribe and department
    tables while the confidence reruns go on). Where :func:`map_forked` would work in this
    process, the work is done before this returns.

    >>> results = start_forked(abs, [-1, 2, -3], workers=1)
    >>> results()
    [1, 2, 3]
    """
    items = list(items)
    workers = min(workers or os.cpu_count() or 1, len(items))
    if not (workers > 1 and len(items) >= minimum and "fork" in mp.get_all_start_methods()):
        return Pending(done=[task(x) for x in items])
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_die_with_parent)
    try:  # with fork, the first submit starts every process
        futures = [pool.submit(task, x) for x in items]
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return Pending(futures, pool)


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

