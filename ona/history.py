"""Careers over time: the optional ``history`` input (one row per change in a person's job).

Rules (docs/data-contract.md, "history"):

- ``employee_id``, ``date`` and ``level`` are required; ``title``, ``department``,
  ``manager_id`` and ``event`` are optional.
- An empty ``employee_id``, a ``date`` that is not ISO or a ``level`` that is not a whole
  number is an error (dropped and counted as ``invalid_value`` with ``on_invalid="drop"``).
- Exact duplicate rows and rows naming someone not on the people list are dropped and
  counted; two different rows for one person on one date are an error naming both.
- A **promotion** is a row whose level is above the person's previous row's level; an
  **exit** is a row whose ``event`` is ``exit`` (a later row brings the person back).
- The history ends on its latest date; a person is observed from their first row to that
  date or their exit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema as S
from .errors import InputError
from .quality import QualityReport
from .read import ROW
from .validate import (
    ON_INVALID,
    _drop_exact_duplicates,
    _fail,
    _parse_dates,
    _parse_number,
    check_text,
    require_columns,
)

__all__ = ["clean_history", "promotions", "level_at", "HISTORY_REQUIRED", "EXIT"]

HISTORY_REQUIRED = (S.EMPLOYEE_ID, S.DATE, S.LEVEL)
HISTORY_COLUMNS = [S.EMPLOYEE_ID, S.DATE, S.LEVEL, S.TITLE, S.DEPARTMENT, S.MANAGER_ID, "event"]
EXIT = "exit"


def clean_history(frame: pd.DataFrame, file: str, people_ids: pd.Index, quality: QualityReport, *,
                  on_invalid: str = "error") -> pd.DataFrame:
    """Check the history rows and return them sorted by person and date.

    Parameters
    ----------
    frame : DataFrame
        The rows as read (text, with their row numbers).
    file : str
        The file's name, for messages and the row accounting.
    people_ids : Index
        The employee_ids on the people list.
    quality : QualityReport
        Where rows read, dropped and kept are counted.
    on_invalid : {"error", "drop"}, default "error"
        Stop at, or drop and count, a row with an unreadable value.

    Returns
    -------
    DataFrame
        employee_id, date, level (int), title, department, manager_id, event (lower case,
        empty when not given), sorted by employee_id and date.

    Examples
    --------
    >>> raw = pd.DataFrame({"employee_id": ["a", "a", "zz"], "date": ["2022-01-01", "2023-06-01", "2022-01-01"],
    ...                     "level": ["1", "2", "1"], "_row": [2, 3, 4]})
    >>> q = QualityReport()
    >>> clean_history(raw, "history.csv", pd.Index(["a"]), q)[["employee_id", "level"]].values.tolist()
    [['a', 1], ['a', 2]]
    >>> [(d.reason, d.count) for d in q.drops]
    [('unknown_employee', 1)]
    """
    if on_invalid not in ON_INVALID:
        raise ValueError(f"on_invalid must be one of {ON_INVALID}, got {on_invalid!r}")
    require_columns(frame, HISTORY_REQUIRED, file)
    quality.read(file, len(frame))
    check_text(frame, [c for c in (S.EMPLOYEE_ID, S.TITLE, S.DEPARTMENT) if c in frame], file)
    out = frame.copy()
    empty = out[S.EMPLOYEE_ID].isna()
    if on_invalid == "drop":
        quality.drop(file, "invalid_value", int(empty.sum()))
        out = out.loc[~empty]
    else:
        _fail(out, empty, file, S.EMPLOYEE_ID, "is empty",
              "Fill it in or remove the row (or pass --drop-invalid to drop such rows).")
    for column in (S.DATE, S.LEVEL):
        missing = out[column].isna()
        if on_invalid == "drop":
            quality.drop(file, "invalid_value", int(missing.sum()))
            out = out.loc[~missing]
        else:
            _fail(out, missing, file, column, "is empty", f"Every history row needs a {column}.")
    out, dates = _parse_dates(out, S.DATE, file, "Write dates as YYYY-MM-DD.", on_invalid=on_invalid,
                              quality=quality)
    out[S.DATE] = dates
    out, levels = _parse_number(out, S.LEVEL, file, integer=True, minimum=None,
                                fix="Write the level as a whole number (higher = more senior).",
                                on_invalid=on_invalid, quality=quality)
    out[S.LEVEL] = levels.astype("int64")
    for column in (S.TITLE, S.DEPARTMENT, S.MANAGER_ID, "event"):
        if column not in out:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["event"] = out["event"].astype("string").str.strip().str.lower()
    out = _drop_exact_duplicates(out, file, quality, subset=HISTORY_COLUMNS)
    unknown = ~out[S.EMPLOYEE_ID].isin(people_ids)
    quality.drop(file, "unknown_employee", int(unknown.sum()))
    out = out.loc[~unknown]
    clash = out.duplicated([S.EMPLOYEE_ID, S.DATE], keep=False)
    if clash.any():
        rows = out.loc[clash].sort_values([S.EMPLOYEE_ID, S.DATE]).head(2)
        first = rows.iloc[0]
        raise InputError(file, f"has two different rows for {first[S.EMPLOYEE_ID]} on {first[S.DATE]:%Y-%m-%d} "
                               f"(rows {', '.join(str(int(r)) for r in rows[ROW])})", column=S.DATE,
                         fix="Keep one row per person and date (the job from that date).")
    quality.kept(file, len(out))
    out = out.sort_values([S.EMPLOYEE_ID, S.DATE], kind="stable")
    return out[HISTORY_COLUMNS].reset_index(drop=True)


def promotions(history: pd.DataFrame) -> pd.DataFrame:
    """Every promotion: a row whose level is above the person's previous row's level.

    Parameters
    ----------
    history : DataFrame
        As :func:`clean_history` returns it.

    Returns
    -------
    DataFrame
        employee_id, date, from_level, to_level.

    Examples
    --------
    >>> h = pd.DataFrame({"employee_id": ["a", "a", "a", "b"], "level": [1, 2, 2, 3],
    ...                   "date": pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01", "2020-01-01"])})
    >>> promotions(h)[["employee_id", "to_level"]].values.tolist()
    [['a', 2]]
    """
    h = history.sort_values([S.EMPLOYEE_ID, S.DATE], kind="stable")
    previous = h.groupby(S.EMPLOYEE_ID, sort=False)[S.LEVEL].shift()
    up = previous.notna() & (h[S.LEVEL] > previous)
    out = h.loc[up, [S.EMPLOYEE_ID, S.DATE]].copy()
    out["from_level"] = previous[up].astype("int64").to_numpy()
    out["to_level"] = h.loc[up, S.LEVEL].to_numpy()
    return out.reset_index(drop=True)


def level_at(history: pd.DataFrame, ids: pd.Series, dates: pd.Series, column: str = S.LEVEL) -> pd.Series:
    """Each person's ``column`` (level, department...) in force on each date: the value of
    their latest row on or before it (missing before their first row or after an exit).

    Parameters
    ----------
    history : DataFrame
        As :func:`clean_history` returns it.
    ids, dates : Series
        Pairs of employee_id and date to look up (same length).
    column : str, default "level"

    Returns
    -------
    Series
        One value per pair, aligned with ``ids``.

    Examples
    --------
    >>> h = pd.DataFrame({"employee_id": ["a", "a"], "level": [1, 2], "event": ["hire", "promotion"],
    ...                   "date": pd.to_datetime(["2020-01-01", "2021-01-01"])})
    >>> level_at(h, pd.Series(["a", "a", "a"]), pd.to_datetime(pd.Series(["2019-06-01", "2020-06-01",
    ...          "2022-01-01"]))).tolist()
    [nan, 1.0, 2.0]
    """
    query = pd.DataFrame({S.EMPLOYEE_ID: ids.to_numpy(), S.DATE: pd.to_datetime(dates).to_numpy(),
                          "_order": np.arange(len(ids))})
    rows = history[[S.EMPLOYEE_ID, S.DATE, column, "event"]].rename(columns={column: "_value"})
    rows = rows.assign(_value=rows["_value"].where(rows["event"].fillna("") != EXIT))
    merged = pd.merge_asof(query.sort_values(S.DATE), rows.sort_values(S.DATE), on=S.DATE, by=S.EMPLOYEE_ID,
                           direction="backward")
    return merged.sort_values("_order")["_value"].reset_index(drop=True).set_axis(ids.index)
