"""Row accounting: what was read, what was dropped and why, and what looked odd.

Nothing is silently lost: every loader records here how many rows it read, how
many it dropped by reason and any warning a person should see. The command line
prints it and writes it as ``data_quality.csv``; the Python API returns it on the
network (``network.quality``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["QualityReport", "DROP_REASONS"]

#: Every reason a row (or one recipient of an event) can be dropped for, in plain words.
DROP_REASONS: dict[str, str] = {
    "duplicate_row": "exact duplicate of an earlier row",
    "empty_recipients": "no recipient listed",
    "unknown_sender": "sender_id is not on the people list",
    "unknown_source": "source_id is not on the people list",
    "unknown_target": "target_id is not on the people list",
    "unknown_id": "a pre-aggregated tie names someone not on the people list",
    "unknown_employee": "employee_id is not on the people list",
    "self_tie": "a person tied to themself",
    "no_valid_recipient": "every recipient was unknown or the sender",
    "outside_window": "timestamp outside --since/--until",
    "invalid_value": "a value could not be read (dropped because of --drop-invalid)",
    # recipient entries: one event can list many recipients
    "unknown_recipient": "recipient id is not on the people list",
    "repeated_recipient": "same recipient listed twice in one event",
}


@dataclass(frozen=True)
class Drop:
    file: str
    reason: str
    count: int
    unit: str = "rows"


@dataclass
class QualityReport:
    """Counts of rows read and dropped per file, and warnings.

    Examples
    --------
    >>> q = QualityReport()
    >>> q.read("people.csv", 10)
    >>> q.drop("people.csv", "duplicate_row", 2)
    >>> q.drops_frame()[["file", "reason", "count"]].to_dict("records")
    [{'file': 'people.csv', 'reason': 'duplicate_row', 'count': 2}]
    >>> q.dropped_rows("people.csv")
    2
    """

    rows_read: dict[str, int] = field(default_factory=dict)
    rows_kept: dict[str, int] = field(default_factory=dict)
    drops: list[Drop] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def read(self, file: str, n: int) -> None:
        self.rows_read[file] = self.rows_read.get(file, 0) + int(n)

    def kept(self, file: str, n: int) -> None:
        self.rows_kept[file] = int(n)

    def drop(self, file: str, reason: str, count: int, unit: str = "rows") -> None:
        if reason not in DROP_REASONS:
            raise KeyError(f"unknown drop reason {reason!r}")
        if count > 0:
            self.drops.append(Drop(file, reason, int(count), unit))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def extend(self, other: QualityReport) -> None:
        """Add another report's counts and warnings after this one's (a file read apart,
        as :func:`ona.load` reads the relationships beside the event log).

        >>> q, r = QualityReport(), QualityReport()
        >>> q.read("people.csv", 3); r.read("relationships.csv", 5); r.warn("note")
        >>> q.extend(r)
        >>> list(q.rows_read), q.warnings
        (['people.csv', 'relationships.csv'], ['note'])
        """
        for file, n in other.rows_read.items():
            self.read(file, n)
        self.rows_kept.update(other.rows_kept)
        self.drops.extend(other.drops)
        self.warnings.extend(other.warnings)

    def dropped_rows(self, file: str | None = None) -> int:
        """Rows (not recipient entries) dropped from ``file``, or from every file."""
        return sum(d.count for d in self.drops
                   if d.unit == "rows" and (file is None or d.file == file))

    def drops_frame(self) -> pd.DataFrame:
        """One row per (file, reason): file, reason, unit, count, meaning."""
        rows = [
            {"file": d.file, "reason": d.reason, "unit": d.unit, "count": d.count,
             "meaning": DROP_REASONS[d.reason]}
            for d in self.drops
        ]
        return pd.DataFrame(rows, columns=["file", "reason", "unit", "count", "meaning"])

    def summary_lines(self) -> list[str]:
        """Plain-text lines for the command line summary."""
        lines = []
        for file, n in self.rows_read.items():
            kept = self.rows_kept.get(file)
            kept_txt = f", {kept:,} used" if kept is not None else ""
            lines.append(f"{file}: {n:,} rows read{kept_txt}")
            for d in self.drops:
                if d.file == file:
                    lines.append(f"  dropped {d.count:,} {d.unit}: {DROP_REASONS[d.reason]}"
                                 f" [{d.reason}]")
        for w in self.warnings:
            lines.append(f"warning: {w}")
        return lines
