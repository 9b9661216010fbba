"""Import a Microsoft Viva Insights person-to-person query export.

The export has one row per pair of collaborators and period (``MetricDate``, often a
week): ``PrimaryCollaborator_PersonId``, ``SecondaryCollaborator_PersonId``, pair metrics
(such as ``Collaboration_hours``, ``Strong_tie_score``) and the HR attributes of both
people as ``PrimaryCollaborator_<attribute>`` / ``SecondaryCollaborator_<attribute>``.

Each row becomes one collaboration event from the primary to the secondary collaborator
on its ``MetricDate``, carrying a weight (see :func:`read_viva_p2p`), so the usual
aggregation, time windows and measures apply. The people table is built from the
attribute columns: the most recent period's value wins when a person's attribute changed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema as S
from ..errors import CellProblem, ConfigError, InputError
from ..read import ROW, normalise_header
from ..validate import UNASSIGNED, require_columns
from .common import Imported, read_source

__all__ = ["read_viva_p2p", "VIVA_CHANNEL"]

PRIMARY = "primarycollaborator_"
SECONDARY = "secondarycollaborator_"
#: channel (layer) name of the imported collaboration
VIVA_CHANNEL = "collaboration"
#: pair metrics looked for, in order, when ``weight="auto"``; hours become half-hours
HOURS_COLUMNS = ("collaboration_hours", "meeting_and_call_hours")


def read_viva_p2p(
    source: str | Path | pd.DataFrame,
    *,
    weight: str | None = "auto",
    department: str = "Organization",
    channel: str = VIVA_CHANNEL,
) -> Imported:
    """Read a Viva Insights person-to-person export (CSV, Excel or Parquet).

    Parameters
    ----------
    source : str, Path or DataFrame
        The export file, or a DataFrame with its columns.
    weight : str or None, default "auto"
        ``"auto"``: when the export has ``Collaboration_hours`` (or
        ``Meeting_and_call_hours``), each row weighs its hours x 2 (half an hour weighs 1,
        as a 30-minute meeting does); otherwise each row (a pair active in a period)
        weighs 1, so a pair's weight is the number of periods it collaborated in. A column
        name (such as ``"Strong_tie_score"``) uses that column's values as they are;
        ``None`` weighs every row 1.
    department : str, default "Organization"
        The attribute that becomes ``department`` (default ``Organization``; people
        without it get ``Unassigned``).
    channel : str, default "collaboration"
        The layer the collaboration goes to (default ``collaboration``).

    Returns
    -------
    Imported
        ``people``: everyone seen on either side, with the attributes of their latest
        period; ``interactions``: one event per row, from the primary to the secondary
        collaborator on its ``MetricDate`` (timestamp, channel, sender_id, recipient_ids,
        weight); no relationships; ``counts``: rows_read, periods, people and the people
        without the department attribute; ``source`` ``"viva"``; ``notes``: how each row
        was weighed.

    Examples
    --------
    >>> export = pd.DataFrame({
    ...     "PrimaryCollaborator_PersonId": ["p1", "p1", "p2"],
    ...     "SecondaryCollaborator_PersonId": ["p2", "p2", "p3"],
    ...     "MetricDate": ["2024-05-05", "2024-05-12", "2024-05-12"],
    ...     "Collaboration_hours": [1.5, 0.5, 2.0],
    ...     "PrimaryCollaborator_Organization": ["Sales", "Sales", "Ops"],
    ...     "SecondaryCollaborator_Organization": ["Ops", "Ops", "Ops"]})
    >>> imp = read_viva_p2p(export)
    >>> imp.people.to_dict("list")
    {'employee_id': ['p1', 'p2', 'p3'], 'department': ['Sales', 'Ops', 'Ops']}
    >>> imp.interactions["weight"].tolist()
    [3.0, 1.0, 4.0]
    """
    label = "Viva Insights export" if isinstance(source, pd.DataFrame) else str(source)
    frame = read_source(source)
    require_columns(frame, {PRIMARY + "personid": "PrimaryCollaborator_PersonId",
                            SECONDARY + "personid": "SecondaryCollaborator_PersonId"}, label,
                    fix="Export the person-to-person query with the PersonId columns.")
    counts = {"rows_read": len(frame)}
    a, b = frame[PRIMARY + "personid"], frame[SECONDARY + "personid"]
    missing = a.isna() | b.isna()
    if missing.any():
        rows = frame.loc[missing, ROW].head(5).tolist()
        raise InputError(label, "has rows without both collaborator ids",
                         column="PrimaryCollaborator_PersonId / SecondaryCollaborator_PersonId",
                         cells=[CellProblem(int(r)) for r in rows], total=int(missing.sum()),
                         fix="Remove the rows, or export the query again.")
    dates = frame["metricdate"] if "metricdate" in frame.columns else pd.Series("1970-01-01", index=frame.index)
    if "metricdate" not in frame.columns:
        counts["rows_without_metric_date"] = len(frame)
    stamp = pd.to_datetime(dates, errors="coerce", format="mixed")
    bad = stamp.isna()
    if bad.any():
        rows = frame.loc[bad, ROW].head(5).tolist()
        raise InputError(label, "has a MetricDate that is not a date", column="MetricDate",
                         cells=[CellProblem(int(r), v) for r, v in zip(rows, dates[bad].head(5))],
                         total=int(bad.sum()), fix="Write dates as 2024-05-05 or 5/5/2024.")
    values, how = _weights(frame, weight, label)
    counts["periods"] = int(stamp.nunique())
    events = pd.DataFrame({
        S.TIMESTAMP: stamp.dt.strftime("%Y-%m-%dT%H:%M:%S"),
        S.CHANNEL: channel,
        S.SENDER_ID: a.astype(str).str.strip(),
        S.RECIPIENT_IDS: b.astype(str).str.strip(),
        S.WEIGHT: values,
    })
    people = _people(frame, stamp, department)
    counts["people"] = len(people)
    counts["people_without_" + normalise_header(department)] = int(
        (people[S.DEPARTMENT] == UNASSIGNED).sum())
    return Imported(people, events, None, counts, "viva", [f"each row weighs {how}"])


def _weights(frame: pd.DataFrame, weight: str | None, label: str) -> tuple[pd.Series, str]:
    if weight is None:
        return pd.Series(1.0, index=frame.index), "1 per pair and period"
    if weight == "auto":
        for column in HOURS_COLUMNS:
            if column in frame.columns:
                hours = _numbers(frame, column, label)
                return hours * 2.0, f"{column} x 2 (half an hour weighs 1)"
        return pd.Series(1.0, index=frame.index), "1 per pair and period"
    column = normalise_header(weight)
    if column not in frame.columns:
        raise ConfigError(f"{label}: no column {weight!r} to weigh the collaboration by; the "
                          f"columns are {', '.join(c for c in frame.columns if c != ROW)}")
    return _numbers(frame, column, label), f"{column} as it is"


def _numbers(frame: pd.DataFrame, column: str, label: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna() | (values < 0)
    if bad.any():
        rows = frame.loc[bad, ROW].head(5).tolist()
        raise InputError(label, "has a value that is not a number >= 0", column=column,
                         cells=[CellProblem(int(r), v) for r, v in zip(rows, frame.loc[bad, column].head(5))],
                         total=int(bad.sum()), fix="Fix or remove the rows.")
    return values.fillna(0.0).astype(float)


def _people(frame: pd.DataFrame, stamp: pd.Series, department: str) -> pd.DataFrame:
    """One row per person seen on either side; attributes from their latest period."""
    attributes = sorted(({c[len(PRIMARY):] for c in frame.columns if c.startswith(PRIMARY)}
                         | {c[len(SECONDARY):] for c in frame.columns if c.startswith(SECONDARY)})
                        - {"personid"})
    sides = []
    for prefix in (PRIMARY, SECONDARY):
        cols = {prefix + "personid": S.EMPLOYEE_ID}
        cols.update({prefix + x: x for x in attributes if prefix + x in frame.columns})
        side = frame[list(cols)].rename(columns=cols).assign(_when=stamp.to_numpy())
        sides.append(side)
    both = pd.concat(sides, ignore_index=True)
    both[S.EMPLOYEE_ID] = both[S.EMPLOYEE_ID].astype(str).str.strip()
    latest = (both.sort_values("_when", kind="stable")
              .groupby(S.EMPLOYEE_ID, sort=True).last().drop(columns="_when"))
    dept = normalise_header(department)
    latest = latest.rename(columns={dept: S.DEPARTMENT}) if dept in latest.columns else \
        latest.assign(**{S.DEPARTMENT: UNASSIGNED})
    latest[S.DEPARTMENT] = latest[S.DEPARTMENT].fillna(UNASSIGNED)
    latest = latest.reset_index()
    first = [S.EMPLOYEE_ID, S.DEPARTMENT]
    return latest[first + [c for c in latest.columns if c not in first]]
