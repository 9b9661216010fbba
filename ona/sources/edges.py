"""Import a generic edge list: one row per tie (source, target, optional weight and date).

Edge lists come from Gephi, other network tools, or a database query. Columns are named
through a mapping, so no hand editing is needed. By default each row is an observed
interaction of weight ``weight`` (1 when there is no weight column) on its date; with
``relation=`` the rows are declared ties (survey answers) instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from .. import schema as S
from ..errors import CellProblem, InputError
from ..read import ROW, normalise_header
from ..validate import require_columns
from .common import Imported, people_from_ids, read_people, read_source

__all__ = ["read_edge_list"]

EDGE_CHANNEL = "edge"


def read_edge_list(
    source: str | Path | pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    people: str | Path | pd.DataFrame | None = None,
    channel: str = EDGE_CHANNEL,
    relation: str | None = None,
    undated: str | date | None = None,
) -> Imported:
    """Read an edge list (CSV, Excel or Parquet) into interactions or declared ties.

    Parameters
    ----------
    source : str, Path or DataFrame
        The file, or a DataFrame.
    columns : mapping of str to str, optional
        Which column holds what, e.g. ``{"source": "from", "target": "to",
        "weight": "value", "date": "day", "channel": "kind"}``. Defaults: ``source``,
        ``target``, and ``weight``, ``date``, ``channel`` when present. Headers are matched
        case-insensitively.
    people : str, Path or DataFrame, optional
        An HR people table (file or DataFrame with ``employee_id`` and
        ``department``); without it the people are the ids seen, in department
        ``Unassigned``.
    channel : str, default "edge"
        The layer of the ties when there is no channel column (default ``edge``).
    relation : str, optional
        Make the rows declared ties of this relation (``advice``, ``advocacy``, ...)
        rather than interactions.
    undated : str or date, optional
        The date given to rows without one (default: the file's modification date,
        or today for a DataFrame).

    Returns
    -------
    Imported
        ``people``: the HR table, or the ids seen; ``interactions`` (timestamp, channel,
        sender_id, recipient_ids, weight; None with ``relation``) or ``relationships``
        (source_id, target_id, relation, weight, date; only with ``relation``), one row per
        edge with both ends (rows without them are dropped and counted); ``counts``:
        rows_read, rows_without_both_ends and people; ``source`` ``"edges"``.

    Examples
    --------
    >>> edges = pd.DataFrame({"From": ["a", "b", "a"], "To": ["b", "c", "c"], "Value": [3, 1, 2]})
    >>> imp = read_edge_list(edges, columns={"source": "From", "target": "To", "weight": "Value"},
    ...                      undated="2024-01-01")
    >>> imp.interactions[["sender_id", "recipient_ids", "weight"]].to_dict("list")
    {'sender_id': ['a', 'b', 'a'], 'recipient_ids': ['b', 'c', 'c'], 'weight': [3.0, 1.0, 2.0]}
    >>> imp.people["department"].unique().tolist()
    ['Unassigned']
    """
    label = "edge list" if isinstance(source, pd.DataFrame) else str(source)
    frame = read_source(source)
    names = {"source": "source", "target": "target", "weight": "weight", "date": "date",
             "channel": "channel"}
    explicit = {k: normalise_header(v) for k, v in (columns or {}).items()}
    unknown = set(explicit) - set(names)
    if unknown:
        raise InputError(label, f"column mapping names {', '.join(sorted(unknown))}; the keys are "
                                f"{', '.join(names)}")
    names.update(explicit)
    require_columns(frame, {names["source"]: "source", names["target"]: "target"}, label,
                    fix=lambda c: f"Name the {c} column with --columns (e.g. source=from,target=to).")
    for key in ("weight", "date", "channel"):
        if key in explicit:
            require_columns(frame, {names[key]: key}, label)
    counts = {"rows_read": len(frame)}
    src = frame[names["source"]].astype("string").str.strip()
    tgt = frame[names["target"]].astype("string").str.strip()
    empty = src.isna() | tgt.isna() | src.eq("") | tgt.eq("")
    counts["rows_without_both_ends"] = int(empty.sum())
    weight = pd.Series(1.0, index=frame.index)
    if names["weight"] in frame.columns:
        weight = pd.to_numeric(frame[names["weight"]], errors="coerce")
        bad = (weight.isna() & frame[names["weight"]].notna()) | (weight < 0)
        if bad.any():
            rows = frame.loc[bad, ROW].head(5).tolist()
            raise InputError(label, "has a weight that is not a number >= 0", column=names["weight"],
                             cells=[CellProblem(int(r), v) for r, v in
                                    zip(rows, frame.loc[bad, names["weight"]].head(5))],
                             total=int(bad.sum()), fix="Fix or remove the rows.")
        weight = weight.fillna(1.0).astype(float)
    if undated is None:
        undated = (date.today() if isinstance(source, pd.DataFrame)
                   else date.fromtimestamp(Path(source).stat().st_mtime))
    when = pd.Series(str(undated), index=frame.index)
    if names["date"] in frame.columns:
        when = frame[names["date"]].where(frame[names["date"]].notna(), str(undated))
    keep = ~empty
    if relation is not None:
        rel = pd.DataFrame({S.SOURCE_ID: src, S.TARGET_ID: tgt, S.RELATION: relation,
                            S.WEIGHT: weight, S.DATE: when})[keep].reset_index(drop=True)
        interactions, relationships = None, rel
    else:
        kind = (frame[names["channel"]].fillna(channel) if names["channel"] in frame.columns
                else pd.Series(channel, index=frame.index))
        interactions = pd.DataFrame({S.TIMESTAMP: when, S.CHANNEL: kind, S.SENDER_ID: src,
                                     S.RECIPIENT_IDS: tgt, S.WEIGHT: weight})[keep]
        interactions = interactions.reset_index(drop=True)
        relationships = None
    if people is not None:
        table = read_people(people)
    else:
        table = people_from_ids(pd.concat([src[keep], tgt[keep]]).tolist())
    counts["people"] = len(table)
    return Imported(table, interactions, relationships, counts, "edges")
