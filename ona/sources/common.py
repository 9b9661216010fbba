"""What every import returns: contract-shaped tables, and an account of what was skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import schema as S
from ..errors import InputError
from ..read import ROW, normalise_header, read_table
from ..validate import UNASSIGNED

__all__ = ["Imported", "match_people", "read_people"]

#: marks a recipient the HR table does not know (kept so a message keeps its size)
UNMATCHED = "unmatched:"


@dataclass
class Imported:
    """An organisation brought in from another tool, in the data contract's shape.

    Attributes
    ----------
    people : the people table (``employee_id``, ``department``, attributes).
    interactions : the event table (``timestamp``, ``channel``, ``sender_id``,
        ``recipient_ids``, optional ``duration_minutes`` and ``weight``), or None.
    relationships : declared ties (``source_id``, ``target_id``, ``relation``, ...), or None.
    counts : what was read and what was skipped, by reason (no personal data).
    source : the kind of import (``viva``, ``edges``, ``slack``, ``ics``).
    notes : rules the import applied that the reader should know (how rows were weighed).
    """

    people: pd.DataFrame
    interactions: pd.DataFrame | None = None
    relationships: pd.DataFrame | None = None
    counts: dict[str, int] = field(default_factory=dict)
    source: str = ""
    notes: list[str] = field(default_factory=list)

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``people.csv`` and ``interactions.csv`` / ``relationships.csv`` into a
        data folder that ``ona analyze`` reads as is. Returns the paths."""
        from ..outputs import OutputFolder, write_table
        with OutputFolder(out_dir) as out:
            staged = [write_table(getattr(self, name), out.path(name), "csv")
                      for name in ("people", "interactions", "relationships")
                      if getattr(self, name) is not None]
            return [out.final(p) for p in staged]

    def network(self, **options):
        """The :class:`~ona.network.OrgNetwork` of the import (``from_frames`` options pass on)."""
        from ..load import from_frames
        return from_frames(self.people, self.interactions, self.relationships, **options)

    def summary(self) -> str:
        """One line per count and note, for the command line."""
        lines = [f"  {k.replace('_', ' ')}: {v:,}" for k, v in self.counts.items()]
        return "\n".join(lines + [f"  {note}" for note in self.notes])


def read_source(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """An export as text with normalised headers and a row number column: from a file
    (any format ona reads) or a DataFrame (rows counted from 0)."""
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [normalise_header(c) for c in frame.columns]
        frame[ROW] = range(len(frame))
        return frame.astype(object).where(frame.notna(), None)
    return read_table(source)


def read_people(people: str | Path | pd.DataFrame) -> pd.DataFrame:
    """An HR people table from a file (any format ona reads) or a DataFrame, headers
    normalised, values as text."""
    if isinstance(people, pd.DataFrame):
        frame = people.copy()
        frame.columns = [normalise_header(c) for c in frame.columns]
        return frame.astype("string").astype(object).where(frame.notna(), None)
    return read_table(people).drop(columns=[ROW])


def match_people(imported: Imported, people: str | Path | pd.DataFrame, *, on: str = "email",
                 label: str = "people") -> Imported:
    """Use an HR people table instead of the one built from the source, translating the
    source's ids (Slack user ids, e-mail addresses) to ``employee_id`` through column
    ``on`` of the HR table (matched case-insensitively, spaces trimmed). When the source's
    own people table has column ``on`` too (Slack users have an ``email``), its ids go
    through it.

    Events whose sender is not matched are dropped and counted (``unmatched_senders``).
    Recipients not matched are counted (``unmatched_recipients``) and stay listed as
    ``unmatched:<id>``, so that a message to ten people still weighs a tenth per pair;
    the aggregation drops them as unknown recipients.

    Parameters
    ----------
    imported : Imported
        The import to match (:func:`~ona.sources.read_slack_export`,
        :func:`~ona.sources.read_ics`, ...).
    people : str, Path or DataFrame
        The HR people table: a file (any format ona reads) or a DataFrame, with an
        ``employee_id`` column and column ``on``.
    on : str, default "email"
        The HR table's column holding the source's ids (header matched as normalised).
    label : str, default "people"
        The name of the HR table in error messages.

    Returns
    -------
    Imported
        A new import: the HR table as ``people`` (headers normalised, values as text); the
        events with senders and recipients translated, those with an unmatched sender
        dropped; declared ties with both ends translated, the others dropped; ``counts``
        with ``unmatched_senders`` and ``unmatched_recipients`` (when there are events) and
        ``unmatched_relationships`` (when there are declared ties) added; the same
        ``source`` and ``notes``.

    Examples
    --------
    >>> imp = Imported(pd.DataFrame({"employee_id": ["a@x.org", "b@x.org"], "department": "x"}),
    ...                pd.DataFrame({"timestamp": ["2024-01-01"], "channel": ["chat"],
    ...                              "sender_id": ["A@x.org"], "recipient_ids": ["b@x.org;c@x.org"]}))
    >>> hr = pd.DataFrame({"employee_id": ["1", "2"], "department": ["Ops", "Ops"],
    ...                    "email": ["a@x.org", "b@x.org"]})
    >>> matched = match_people(imp, hr)
    >>> matched.interactions[["sender_id", "recipient_ids"]].to_dict("records"), matched.counts
    ([{'sender_id': '1', 'recipient_ids': '2;unmatched:c@x.org'}], {'unmatched_senders': 0, 'unmatched_recipients': 1})
    """
    hr = read_people(people)
    if on not in hr.columns:
        raise InputError(label, f"has no column '{on}' to match the imported people on "
                                f"(found: {', '.join(hr.columns)})", column=on,
                         fix="Name the column that holds the source's ids with --match.")
    if S.EMPLOYEE_ID not in hr.columns:
        raise InputError(label, "has no employee_id column", column=S.EMPLOYEE_ID)
    key = hr[on].astype("string").str.strip().str.lower()
    lookup = dict(zip(key.dropna(), hr.loc[key.notna(), S.EMPLOYEE_ID]))
    counts = dict(imported.counts)
    # a source with its own ids (Slack's U123) carries the matching column in its people
    # table: source id -> e-mail -> employee_id
    via: dict[str, str] = {}
    if on in imported.people.columns and on != S.EMPLOYEE_ID:
        own = imported.people[[S.EMPLOYEE_ID, on]].dropna()
        via = dict(zip(own[S.EMPLOYEE_ID].astype(str), own[on].astype(str).str.strip().str.lower()))

    def translate(value) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        return lookup.get(via.get(text, text.lower()))

    interactions = imported.interactions
    if interactions is not None:
        senders = interactions[S.SENDER_ID].map(translate)
        counts["unmatched_senders"] = int(senders.isna().sum())
        lost = 0

        def recipients(cell: str) -> str:
            nonlocal lost
            ids = [x for x in str(cell).split(S.RECIPIENT_SEPARATOR) if x]
            found = [translate(x) for x in ids]
            lost += sum(f is None for f in found)
            # unmatched recipients stay listed (marked) so a message keeps its size; the
            # aggregation drops and counts them as unknown recipients
            return S.RECIPIENT_SEPARATOR.join(f if f is not None else UNMATCHED + x
                                              for f, x in zip(found, ids))

        interactions = interactions.assign(
            **{S.SENDER_ID: senders,
               S.RECIPIENT_IDS: interactions[S.RECIPIENT_IDS].map(recipients)})
        counts["unmatched_recipients"] = lost
        interactions = interactions.loc[senders.notna() & interactions[S.RECIPIENT_IDS].ne("")]
        interactions = interactions.reset_index(drop=True)
    relationships = imported.relationships
    if relationships is not None:
        src = relationships[S.SOURCE_ID].map(translate)
        tgt = relationships[S.TARGET_ID].map(translate)
        counts["unmatched_relationships"] = int((src.isna() | tgt.isna()).sum())
        relationships = relationships.assign(**{S.SOURCE_ID: src, S.TARGET_ID: tgt}).dropna(
            subset=[S.SOURCE_ID, S.TARGET_ID]).reset_index(drop=True)
    return Imported(hr, interactions, relationships, counts, imported.source, list(imported.notes))


def people_from_ids(ids: pd.Series | list, attributes: pd.DataFrame | None = None) -> pd.DataFrame:
    """A people table for ids seen in a source with no HR data: department ``Unassigned``
    unless ``attributes`` (indexed by id) gives one."""
    index = pd.Index(sorted({str(i) for i in ids if i is not None and str(i) != ""}),
                     name=S.EMPLOYEE_ID)
    frame = pd.DataFrame(index=index)
    if attributes is not None:
        frame = frame.join(attributes)
    if S.DEPARTMENT not in frame.columns:
        frame[S.DEPARTMENT] = UNASSIGNED
    frame[S.DEPARTMENT] = frame[S.DEPARTMENT].fillna(UNASSIGNED)
    frame = frame.reset_index()
    first = [S.EMPLOYEE_ID, S.DEPARTMENT]
    return frame[first + [c for c in frame.columns if c not in first]]


