"""Exceptions raised by ona. Every one of them is meant to be read by a person.

All derive from :class:`OnaError`, so a caller can catch one type. The command line
prints the message of an :class:`OnaError` and exits with status 2; it never shows a
traceback for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["OnaError", "InputError", "ConfigError", "CellProblem"]

#: How many offending cells an error lists before it says "and N more".
MAX_LISTED = 5


class OnaError(Exception):
    """Base class of every error ona raises on purpose."""


class ConfigError(OnaError, ValueError):
    """An option or argument has a value ona cannot use."""


@dataclass(frozen=True)
class CellProblem:
    """One offending cell: its row as a spreadsheet shows it (header = row 1) and value."""

    row: int | None
    value: object = None


class InputError(OnaError, ValueError):
    """A file cannot be used as it is.

    The message names the file, the row (as a spreadsheet numbers it: the header is
    row 1, the first data row is row 2) and the column, says what is wrong and what to do.

    Examples
    --------
    >>> e = InputError("people.csv", "duplicate employee_id", column="employee_id",
    ...                cells=[CellProblem(4, "E7")], fix="Give each person one row.")
    >>> print(e)
    people.csv, row 4, column 'employee_id': duplicate employee_id (value 'E7'). Give each person one row.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        column: str | None = None,
        cells: Sequence[CellProblem] = (),
        total: int | None = None,
        fix: str = "",
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.column = column
        self.cells = list(cells)
        self.total = total if total is not None else len(self.cells)
        self.fix = fix
        self.rows = [c.row for c in self.cells]
        super().__init__(self._message())

    def _message(self) -> str:
        where = self.file
        col = f", column '{self.column}'" if self.column else ""
        fix = f" {self.fix}" if self.fix else ""
        if not self.cells:
            return f"{where}{col}: {self.problem}.{fix}"
        if len(self.cells) == 1 and self.total == 1:
            c = self.cells[0]
            return f"{where}, row {c.row}{col}: {self.problem}{_value(c.value)}.{fix}"
        listed = "; ".join(f"row {c.row}{_value(c.value)}" for c in self.cells[:MAX_LISTED])
        more = self.total - min(len(self.cells), MAX_LISTED)
        tail = f"; and {more} more row{'s' if more != 1 else ''}" if more > 0 else ""
        return f"{where}{col}: {self.problem} in {self.total} rows ({listed}{tail}).{fix}"


def _value(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text == "" or text == "nan" or text == "<NA>" or text == "None":
        return " (empty)"
    if len(text) > 40:
        text = text[:37] + "..."
    return f" (value {text!r})"
