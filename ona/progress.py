"""Stage timing and the command line's progress bar."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

__all__ = ["Stages"]


class Stages:
    """Records how long each named stage takes and, if asked, shows a progress bar.

    Call it with a stage label when the stage starts; :meth:`close` ends the last one.

    >>> stages = Stages()
    >>> stages("reading"); stages("writing"); stages.close()
    >>> list(stages.timings)
    ['reading', 'writing']
    """

    def __init__(self, total: int | None = None, *, show: bool = False,
                 on_stage: Callable[[str], None] | None = None) -> None:
        self.timings: dict[str, float] = {}
        self._label: str | None = None
        self._started = 0.0
        self._on_stage = on_stage
        self._bar = None
        if show:
            from tqdm import tqdm
            self._bar = tqdm(total=total, file=sys.stderr, unit="stage", leave=False,
                             bar_format="{desc:<24} {bar} {n_fmt}/{total_fmt} [{elapsed}]",
                             disable=None)

    def __call__(self, label: str) -> None:
        self._finish()
        self._label = label
        self._started = time.perf_counter()
        if self._bar is not None:
            self._bar.set_description_str(label)
        if self._on_stage is not None:
            self._on_stage(label)

    def _finish(self) -> None:
        if self._label is None:
            return
        elapsed = time.perf_counter() - self._started
        self.timings[self._label] = self.timings.get(self._label, 0.0) + elapsed
        if self._bar is not None:
            self._bar.update(1)
        self._label = None

    def close(self) -> None:
        self._finish()
        if self._bar is not None:
            self._bar.close()
            self._bar = None
