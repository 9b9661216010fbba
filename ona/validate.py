"""Validate and clean the people and relationships tables.

Each function takes a table as read by :func:`ona.read.read_table` (text, with a
``_row`` column), checks it against the data contract, and returns a clean frame.
A value that cannot be read stops the load with an :class:`~ona.errors.InputError`
naming the file, row and column. Rows that cannot be used (duplicates, unknown
ids, self-ties) are dropped and counted in the :class:`~ona.quality.QualityReport`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from . import schema as S
from .errors import CellProblem, InputError
from .quality import QualityReport
from .read import ROW

__all__ = ["clean_people", "clean_relationships", "require_columns", "UNASSIGNED"]

#: Department given to people whose department cell is empty.
UNASSIGNED = "Unassigned"
#: Accepted values of ``on_invalid``.
ON_INVALID = ("error", "drop")


def require_columns(frame: pd.DataFrame, required: Iterable[str] | Mapping[str, str], file: str, *,
                    fix: Callable[[str], str] | str | None = None) -> None:
    """Raise an InputError naming the first required column that is missing.

    ``required`` lists the columns, or maps each to what it holds (for the message);
    ``fix`` says what to do (by default: the closest header found, or "add the column").

    >>> require_columns(pd.DataFrame({"employee_id": []}), ["employee_id", "department"], "people.csv")
    Traceback (most recent call last):
    ...
    ona.errors.InputError: people.csv, column 'department': missing required column (found: employee_id).
    Add the column, or rename the one that holds it.
    >>> require_columns(pd.DataFrame({"sender": []}), {"sender": "source", "recipient": "target"}, "edges.csv")
    Traceback (most recent call last):
    ...
    ona.errors.InputError: edges.csv, column 'recipient': has no target column (found: sender).
    Add the column, or rename the one that holds it.
    """
    found = [c for c in frame.columns if c != ROW]
    meanings = required if isinstance(required, Mapping) else dict.fromkeys(required, "")
    for column, meaning in meanings.items():
        if column in frame.columns:
            continue
        if fix:
            hint = fix(column) if callable(fix) else fix
        else:
            close = difflib.get_close_matches(column, found, n=1, cutoff=0.6)
            hint = (f"Is it '{close[0]}'? Rename it to '{column}'." if close
                    else "Add the column, or rename the one that holds it.")
        problem = f"has no {meaning} column" if meaning else "missing required column"
        raise InputError(file, f"{problem} (found: {', '.join(found) or 'no columns'})", column=column, fix=hint)


def _cells(frame: pd.DataFrame, mask: pd.Series, column: str) -> list[CellProblem]:
    bad = frame.loc[mask]
    return [CellProblem(int(r), v) for r, v in zip(bad[ROW].head(5), bad[column].head(5))]


def _fail(frame: pd.DataFrame, mask: pd.Series, file: str, column: str, problem: str,
          fix: str) -> None:
    if mask.any():
        raise InputError(file, problem, column=column, cells=_cells(frame, mask, column),
                         total=int(mask.sum()), fix=fix)


def _rows_text(rows: pd.Series, limit: int = 5) -> str:
    """'row 3' or 'rows 3, 5, 9 and 4 more'."""
    listed = [str(int(r)) for r in rows.head(limit)]
    more = len(rows) - len(listed)
    text = ("row " if len(rows) == 1 else "rows ") + ", ".join(listed)
    return text + (f" and {more} more" if more > 0 else "")


def _drop_exact_duplicates(frame: pd.DataFrame, file: str, quality: QualityReport,
                           subset: list[str] | None = None) -> pd.DataFrame:
    cols = subset or [c for c in frame.columns if c != ROW]
    dup = frame.duplicated(subset=cols, keep="first")
    quality.drop(file, "duplicate_row", int(dup.sum()))
    return frame.loc[~dup]


def _parse_number(frame: pd.DataFrame, column: str, file: str, *, integer: bool,
                  minimum: float | None, fix: str, on_invalid: str = "error",
                  quality: QualityReport | None = None) -> tuple[pd.DataFrame, pd.Series]:
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    # infinities and numbers beyond any rating or level are not values a person wrote
    bad |= values.notna() & ~np.isfinite(values.astype(float)) | (values.abs() > MAX_NUMBER)
    if integer:
        bad |= values.notna() & (values % 1 != 0)
    if minimum is not None:
        bad |= values.notna() & (values < minimum)
    kind = "a whole number" if integer else "a number"
    limit = f" of at least {minimum:g}" if minimum is not None else ""
    limit += f" (finite, within {MAX_NUMBER:,.0f} either way)"
    if on_invalid == "drop" and quality is not None and bad.any():
        quality.drop(file, "invalid_value", int(bad.sum()))
        return frame.loc[~bad], values.loc[~bad]
    _fail(frame, bad, file, column, f"is not {kind}{limit}", fix)
    return frame, values


def _parse_dates(frame: pd.DataFrame, column: str, file: str, fix: str,
                 on_invalid: str = "error",
                 quality: QualityReport | None = None) -> tuple[pd.DataFrame, pd.Series]:
    raw = frame[column]
    values = pd.to_datetime(raw, errors="coerce", format="ISO8601", utc=True)
    values = values.dt.tz_localize(None)
    earliest, latest = date_range(column)
    values = values.where((values >= earliest) & (values <= latest))
    bad = raw.notna() & values.isna()
    if on_invalid == "drop" and quality is not None and bad.any():
        quality.drop(file, "invalid_value", int(bad.sum()))
        return frame.loc[~bad], values.loc[~bad]
    _fail(frame, bad, file, column, f"is not an ISO 8601 date (YYYY-MM-DD) between "
          f"{earliest:%Y} and {latest:%Y}", fix)
    return frame, values


#: Numbers in the people and survey files: ratings, levels and weights within this, either way.
MAX_NUMBER = 1e9


def date_range(column: str = "") -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates accepted: from 1970 (1900 for a hire date) to the end of next year.

    >>> date_range("hire_date")[0].year, date_range()[1].year - pd.Timestamp.now().year
    (1900, 1)
    """
    first = pd.Timestamp("1900-01-01") if column == S.HIRE_DATE else pd.Timestamp("1970-01-01")
    return first, pd.Timestamp(year=pd.Timestamp.now().year + 1, month=12, day=31, hour=23, minute=59)


def check_text(frame: pd.DataFrame, columns, file: str) -> None:
    """Refuse ids and names with control characters (NUL, line breaks inside a cell, ...),
    naming the rows: they cannot be told apart on screen and break other tools."""
    for column in columns:
        if column not in frame:
            continue
        text = frame[column].astype("string")
        bad = text.str.contains(r"[\x00-\x1f\x7f]", regex=True).fillna(False).to_numpy(bool)
        _fail(frame, pd.Series(bad, index=frame.index), file, column,
              "holds a control character (such as NUL or a line break)",
              "Remove it: ids and names must be plain text.")


_YES = {"yes", "y", "true", "t", "1", "answered"}
_NO = {"no", "n", "false", "f", "0", "not answered"}


def _parse_yes_no(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    """yes/no, true/false, 1/0 (any case) as a boolean column; empty = unknown."""
    text = frame[column].astype("string").str.strip().str.lower()
    values = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    values[text.isin(_YES).fillna(False)] = True
    values[text.isin(_NO).fillna(False)] = False
    bad = text.notna() & values.isna()
    _fail(frame, bad, file, column, "is not yes or no",
          "Write yes or no (or true/false, 1/0), or leave it empty when unknown.")
    return values


def _maybe_numeric(column: pd.Series) -> pd.Series:
    """Extra attribute columns become numbers when every value is one (and none is an
    id-like number with a leading zero); otherwise they stay text."""
    present = column.dropna()
    if present.empty:
        return column
    numbers = pd.to_numeric(present, errors="coerce")
    if numbers.isna().any():
        return column
    text = present.astype(str)
    if text.str.match(r"^-?0\d").any():
        return column
    return pd.to_numeric(column, errors="coerce")


def clean_people(frame: pd.DataFrame, file: str, quality: QualityReport, *,
                 strict: bool = False) -> pd.DataFrame:
    """Check the people table and return it indexed by ``employee_id``.

    Rules
    -----
    - ``employee_id`` and ``department`` columns are required; an empty
      ``employee_id`` is an error.
    - Exact duplicate rows are dropped and counted (``duplicate_row``); two different
      rows with the same ``employee_id`` are an error naming both rows.
    - An empty ``department`` becomes ``"Unassigned"`` with a warning.
    - ``level`` must be a whole number, ``performance`` a number, ``hire_date`` an
      ISO date; anything else is an error naming the cell.
    - A ``manager_id`` that is not on the list, or is the person themself, is
      removed with a warning naming the rows (an error with ``strict=True``): such
      managers are outside the data.
    - Other columns are kept as attributes: as numbers when every value is one,
      otherwise as text.

    Examples
    --------
    >>> from ona.quality import QualityReport
    >>> raw = pd.DataFrame({"employee_id": ["01", "02", "02"], "department": ["A", "B", "B"],
    ...                     "manager_id": [None, "01", "01"], "_row": [2, 3, 4]})
    >>> q = QualityReport()
    >>> people = clean_people(raw, "people.csv", q)
    >>> list(people.index), q.dropped_rows()
    (['01', '02'], 1)
    """
    require_columns(frame, S.PEOPLE_REQUIRED, file)
    quality.read(file, len(frame))
    if frame.empty:
        raise InputError(file, "has a header but no people", fix="Add one row per employee.")
    ids = frame[S.EMPLOYEE_ID]
    _fail(frame, ids.isna(), file, S.EMPLOYEE_ID, "is empty",
          "Give every person an employee_id, or remove the row.")
    frame = _drop_exact_duplicates(frame, file, quality)
    dup = frame[S.EMPLOYEE_ID].duplicated(keep=False)
    if dup.any():
        first_id = frame.loc[dup, S.EMPLOYEE_ID].iloc[0]
        both = frame[S.EMPLOYEE_ID] == first_id
        raise InputError(file, f"employee_id {first_id!r} appears on more than one row with "
                               "different details", column=S.EMPLOYEE_ID,
                         cells=_cells(frame, both, S.EMPLOYEE_ID),
                         total=int(both.sum()),
                         fix=f"Keep one row per person ({int(dup.sum())} rows share an id).")
    check_text(frame, (S.EMPLOYEE_ID, S.NAME, S.DEPARTMENT, S.TEAM, S.MANAGER_ID, S.TITLE, S.LOCATION), file)
    out = frame.copy()
    missing_dept = out[S.DEPARTMENT].isna()
    if missing_dept.any():
        quality.warn(f"{file}, column '{S.DEPARTMENT}': empty for {int(missing_dept.sum())} "
                     f"people ({_rows_text(out.loc[missing_dept, ROW])}); they are placed in "
                     f"'{UNASSIGNED}'.")
        out.loc[missing_dept, S.DEPARTMENT] = UNASSIGNED
    if S.LEVEL in out:
        _, values = _parse_number(out, S.LEVEL, file, integer=True, minimum=None,
                                  fix="Use whole numbers, higher = more senior.")
        out[S.LEVEL] = values.astype("Int64")
    if S.PERFORMANCE in out:
        _, values = _parse_number(out, S.PERFORMANCE, file, integer=False, minimum=None,
                                  fix="Use a numeric rating, higher = better, or leave it empty.")
        out[S.PERFORMANCE] = values.astype(float)
    if S.HIRE_DATE in out:
        _, values = _parse_dates(out, S.HIRE_DATE, file, "Write dates as YYYY-MM-DD.")
        out[S.HIRE_DATE] = values
    if S.SURVEY_RESPONSE in out:
        out[S.SURVEY_RESPONSE] = _parse_yes_no(out, S.SURVEY_RESPONSE, file)
    if S.MANAGER_ID in out:
        out = _check_managers(out, file, quality, strict)
    for column in out.columns:
        if column not in (ROW, *_PEOPLE_TEXT) and column not in (S.LEVEL, S.PERFORMANCE, S.HIRE_DATE,
                                                                 S.SURVEY_RESPONSE):
            out[column] = _maybe_numeric(out[column])
    quality.kept(file, len(out))
    return out.drop(columns=[ROW]).set_index(S.EMPLOYEE_ID)


_PEOPLE_TEXT = (S.EMPLOYEE_ID, S.NAME, S.DEPARTMENT, S.TEAM, S.TITLE, S.MANAGER_ID, S.LOCATION)


def _check_managers(out: pd.DataFrame, file: str, quality: QualityReport,
                    strict: bool) -> pd.DataFrame:
    manager = out[S.MANAGER_ID]
    known = set(out[S.EMPLOYEE_ID])
    own = manager.notna() & (manager == out[S.EMPLOYEE_ID])
    nowhere = manager.notna() & ~manager.isin(known)
    for mask, problem in ((nowhere, "manager_id is not the employee_id of anyone on the list"),
                          (own, "manager_id is the person themself")):
        if not mask.any():
            continue
        if strict:
            _fail(out, mask, file, S.MANAGER_ID, problem,
                  "Correct the manager_id, or leave it empty for people whose manager is "
                  "outside the data.")
        quality.warn(f"{file}, column '{S.MANAGER_ID}': {problem} for {int(mask.sum())} "
                     f"people ({_rows_text(out.loc[mask, ROW])}); treated as having no manager "
                     "in the data.")
        out.loc[mask, S.MANAGER_ID] = None
    return out


def clean_relationships(frame: pd.DataFrame, file: str, people_ids: pd.Index,
                        quality: QualityReport, *, on_invalid: str = "error") -> pd.DataFrame:
    """Check declared ties and return one row per statement.

    Rules
    -----
    - ``source_id``, ``target_id`` and ``relation`` are required columns; an empty
      cell in one of them, a ``weight`` that is not a number of at least 0, or a
      ``date`` that is not ISO is an error (or, with ``on_invalid="drop"``, the row
      is dropped and counted as ``invalid_value``).
    - ``relation`` is lower-cased; any word is accepted as its own layer.
    - Dropped and counted, in this order: exact duplicate rows, unknown
      ``source_id``, unknown ``target_id``, self-ties.
    - ``weight`` defaults to 1.

    Returns a frame with columns source_id, target_id, relation, weight, date.

    Examples
    --------
    >>> from ona.quality import QualityReport
    >>> raw = pd.DataFrame({"source_id": ["a", "a", "a"], "target_id": ["b", "a", "zz"],
    ...                     "relation": ["Advice", "advice", "advice"], "_row": [2, 3, 4]})
    >>> q = QualityReport()
    >>> clean = clean_relationships(raw, "relationships.csv", pd.Index(["a", "b"]), q)
    >>> clean[["source_id", "target_id", "relation"]].to_dict("records")
    [{'source_id': 'a', 'target_id': 'b', 'relation': 'advice'}]
    >>> sorted((d.reason, d.count) for d in q.drops)
    [('self_tie', 1), ('unknown_target', 1)]
    """
    if on_invalid not in ON_INVALID:
        raise ValueError(f"on_invalid must be one of {ON_INVALID}, got {on_invalid!r}")
    require_columns(frame, S.RELATIONSHIPS_REQUIRED, file)
    quality.read(file, len(frame))
    check_text(frame, S.RELATIONSHIPS_REQUIRED, file)
    out = frame.copy()
    for column in S.RELATIONSHIPS_REQUIRED:
        empty = out[column].isna()
        if on_invalid == "drop":
            quality.drop(file, "invalid_value", int(empty.sum()))
            out = out.loc[~empty]
        else:
            _fail(out, empty, file, column, "is empty",
                  "Fill it in or remove the row (or pass --drop-invalid to drop such rows).")
    out[S.RELATION] = out[S.RELATION].str.lower().str.replace(r"[\s-]+", "_", regex=True)
    if S.WEIGHT in out:
        out, weights = _parse_number(out, S.WEIGHT, file, integer=False, minimum=0,
                                     fix="Use a number of at least 0, or leave it empty for 1.",
                                     on_invalid=on_invalid, quality=quality)
        out[S.WEIGHT] = weights.fillna(1.0).astype(float)
    else:
        out[S.WEIGHT] = 1.0
    if S.DATE in out:
        out, dates = _parse_dates(out, S.DATE, file, "Write dates as YYYY-MM-DD.",
                                  on_invalid=on_invalid, quality=quality)
        out[S.DATE] = dates
    else:
        out[S.DATE] = pd.NaT
    out = _drop_exact_duplicates(out, file, quality)
    known = people_ids
    for column, reason in ((S.SOURCE_ID, "unknown_source"), (S.TARGET_ID, "unknown_target")):
        unknown = ~out[column].isin(known)
        quality.drop(file, reason, int(unknown.sum()))
        out = out.loc[~unknown]
    self_tie = out[S.SOURCE_ID] == out[S.TARGET_ID]
    quality.drop(file, "self_tie", int(self_tie.sum()))
    out = out.loc[~self_tie]
    quality.kept(file, len(out))
    cols = [S.SOURCE_ID, S.TARGET_ID, S.RELATION, S.WEIGHT, S.DATE]
    return out[cols].reset_index(drop=True)


def relationship_ties(statements: pd.DataFrame) -> pd.DataFrame:
    """Combine statements into one tie per (source, target, relation).

    Several statements of the same relation for the same ordered pair (survey waves,
    repeated nominations) become one tie: weight = the largest stated weight,
    count = number of statements, first/last_contact = earliest/latest date.

    >>> st = pd.DataFrame({"source_id": ["a", "a"], "target_id": ["b", "b"],
    ...                    "relation": ["advice", "advice"], "weight": [1.0, 2.0],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-06-01"])})
    >>> relationship_ties(st)[["source_id", "target_id", "layer", "weight", "count"]].to_dict("records")
    [{'source_id': 'a', 'target_id': 'b', 'layer': 'advice', 'weight': 2.0, 'count': 2.0}]
    """
    if statements.empty:
        return empty_ties()
    grouped = statements.groupby([S.SOURCE_ID, S.TARGET_ID, S.RELATION], sort=True)
    ties = grouped.agg(weight=(S.WEIGHT, "max"), count=(S.WEIGHT, "size"),
                       first_contact=(S.DATE, "min"), last_contact=(S.DATE, "max")).reset_index()
    ties = ties.rename(columns={S.RELATION: S.LAYER})
    ties[S.KIND] = S.KIND_RELATIONSHIP
    ties[S.TIE_COUNT] = ties[S.TIE_COUNT].astype(float)
    return ties[list(S.TIE_COLUMNS)]


_TIE_DTYPES = {S.TIE_SOURCE: "str", S.TIE_TARGET: "str", S.LAYER: "str", S.KIND: "str",
               S.TIE_WEIGHT: float, S.TIE_COUNT: float,
               S.FIRST_CONTACT: "datetime64[us]", S.LAST_CONTACT: "datetime64[us]"}


def empty_ties() -> pd.DataFrame:
    """A tie table with no rows and the contract's columns and types."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _TIE_DTYPES.items()})

