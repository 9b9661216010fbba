"""Import calendar files (.ics, iCalendar) as meetings: organiser, attendees, start, length.

Only scheduling metadata is read: ``ORGANIZER``, ``ATTENDEE``, ``DTSTART``, ``DTEND`` /
``DURATION``, ``STATUS``, ``UID`` and ``RECURRENCE-ID``. Titles, descriptions and
locations are never read.

Rules
-----
- People are identified by e-mail address (lower-cased); match them to an HR table with
  :func:`~ona.sources.common.match_people` (``ona import ics --people hr.csv --match email``).
- The same meeting found in several people's calendars (same ``UID`` and
  ``RECURRENCE-ID``) counts once.
- Cancelled meetings, all-day entries (holidays, leave) and entries with nobody but the
  organiser are skipped and counted. Attendees who declined, and rooms and resources,
  are left out and counted.
- A recurring series (``RRULE``) counts as one meeting at its first start: expanding
  recurrences would need the calendar server's exceptions. The count of such series is
  reported so the reader knows.
- Times with a ``TZID`` are converted to UTC; floating times are taken as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from .. import schema as S
from ..errors import InputError
from .common import Imported, people_from_ids

__all__ = ["read_ics"]

MEETING_CHANNEL = "meeting"
_DURATION = re.compile(r"^(?P<sign>[+-])?P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
                       r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def read_ics(sources: str | Path | Iterable[str | Path]) -> Imported:
    """Read one or more .ics files (or folders of them) into meeting events.

    Parameters
    ----------
    sources : str, Path or iterable of str or Path
        An ``.ics`` file or a folder (searched with its subfolders for ``.ics`` files), or
        several of them.

    Returns
    -------
    Imported
        ``people``: one per e-mail address seen (``employee_id`` and ``email`` the
        lower-cased address, department ``Unassigned``); ``interactions``: one meeting
        event per distinct meeting kept (timestamp, channel ``meeting``, sender_id the
        organiser, recipient_ids the attendees, duration_minutes), earliest first; no
        relationships; ``counts``: files and entries read and every reason an entry or
        attendee was skipped, meetings and people; ``source`` ``"ics"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ics = pathlib.Path(tempfile.mkdtemp()) / "ann.ics"
    >>> _ = ics.write_text("\\r\\n".join([
    ...     "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:1", "DTSTART:20240501T090000Z",
    ...     "DTEND:20240501T100000Z", "ORGANIZER;CN=Ann:mailto:Ann@x.org",
    ...     "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@x.org",
    ...     "ATTENDEE;PARTSTAT=DECLINED:mailto:cy@x.org", "SUMMARY:not read",
    ...     "END:VEVENT", "END:VCALENDAR"]))
    >>> imp = read_ics(ics)
    >>> imp.interactions.to_dict("records")
    [{'timestamp': '2024-05-01T09:00:00Z', 'channel': 'meeting', 'sender_id': 'ann@x.org',
      'recipient_ids': 'bo@x.org', 'duration_minutes': 60.0}]
    >>> imp.counts["declined_attendees"]
    1
    """
    files = list(_files(sources))
    if not files:
        raise InputError(str(sources), "holds no .ics files")
    counts = {"files": len(files), "entries_read": 0, "duplicates": 0, "cancelled": 0,
              "all_day_entries": 0, "without_organiser_or_start": 0, "without_attendees": 0,
              "declined_attendees": 0, "rooms_and_resources": 0,
              "recurring_series_counted_once": 0, "meetings": 0}
    seen: set[tuple[str, str]] = set()
    rows = []
    for file in files:
        for event in _events(file):
            counts["entries_read"] += 1
            uid = event.get("UID", [("", {})])[0][0]
            recurrence = event.get("RECURRENCE-ID", [("", {})])[0][0]
            if uid:
                if (uid, recurrence) in seen:
                    counts["duplicates"] += 1
                    continue
                seen.add((uid, recurrence))
            if event.get("STATUS", [("", {})])[0][0].upper() == "CANCELLED":
                counts["cancelled"] += 1
                continue
            start_value = event.get("DTSTART")
            if start_value and start_value[0][1].get("VALUE", "").upper() == "DATE" or \
                    start_value and re.fullmatch(r"\d{8}", start_value[0][0]):
                counts["all_day_entries"] += 1
                continue
            organiser = _email(event.get("ORGANIZER", [("", {})])[0][0])
            start = _time(*start_value[0]) if start_value else None
            if not organiser or start is None:
                counts["without_organiser_or_start"] += 1
                continue
            attendees = set()
            for value, params in event.get("ATTENDEE", []):
                if params.get("CUTYPE", "INDIVIDUAL").upper() in ("ROOM", "RESOURCE"):
                    counts["rooms_and_resources"] += 1
                elif params.get("PARTSTAT", "").upper() == "DECLINED":
                    counts["declined_attendees"] += 1
                elif _email(value):
                    attendees.add(_email(value))
            attendees.discard(organiser)
            if not attendees:
                counts["without_attendees"] += 1
                continue
            if "RRULE" in event:
                counts["recurring_series_counted_once"] += 1
            minutes = _minutes(event, start)
            rows.append((start.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if start.tzinfo else ""),
                         MEETING_CHANNEL, organiser, S.RECIPIENT_SEPARATOR.join(sorted(attendees)),
                         minutes))
    counts["meetings"] = len(rows)
    events = pd.DataFrame(rows, columns=[S.TIMESTAMP, S.CHANNEL, S.SENDER_ID, S.RECIPIENT_IDS,
                                         S.DURATION_MINUTES])
    events = events.sort_values(S.TIMESTAMP, kind="stable").reset_index(drop=True)
    ids = list(events[S.SENDER_ID]) + [x for cell in events[S.RECIPIENT_IDS]
                                       for x in cell.split(S.RECIPIENT_SEPARATOR)]
    people = people_from_ids(ids).assign(email=lambda f: f[S.EMPLOYEE_ID])
    counts["people"] = len(people)
    return Imported(people, events, None, counts, "ics")


def _files(sources) -> Iterator[Path]:
    if isinstance(sources, (str, Path)):
        sources = [sources]
    for source in sources:
        path = Path(source)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() == ".ics")
        elif path.exists():
            yield path
        else:
            raise InputError(path, "not found")


def _lines(file: Path) -> Iterator[str]:
    """Unfolded content lines (RFC 5545: a line starting with a space continues the last)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = file.read_text(encoding="latin-1")
    current = None
    for raw in text.splitlines():
        if raw[:1] in (" ", "\t") and current is not None:
            current += raw[1:]
            continue
        if current is not None:
            yield current
        current = raw
    if current is not None:
        yield current


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=VALUE;...:value, with quoted parameter values that may hold ':' or ';'."""
    head, quoted, cut = [], False, None
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            cut = i
            break
    if cut is None:
        return line.upper(), {}, ""
    head = re.findall(r'(?:[^;"]|"[^"]*")+', line[:cut])
    name = head[0].upper() if head else ""
    params = {}
    for part in head[1:]:
        key, _, value = part.partition("=")
        params[key.upper()] = value.strip('"')
    return name, params, line[cut + 1:]


def _events(file: Path) -> Iterator[dict[str, list[tuple[str, dict]]]]:
    event: dict | None = None
    depth = 0  # components nested in an event (alarms) are skipped
    for line in _lines(file):
        name, params, value = _split(line)
        if name == "BEGIN":
            if value.upper() == "VEVENT" and event is None:
                event = {}
            elif event is not None:
                depth += 1
            continue
        if name == "END":
            if event is not None and depth:
                depth -= 1
            elif event is not None and value.upper() == "VEVENT":
                yield event
                event = None
            continue
        if event is not None and not depth and name in (
                "UID", "RECURRENCE-ID", "DTSTART", "DTEND", "DURATION", "ORGANIZER",
                "ATTENDEE", "STATUS", "RRULE"):
            event.setdefault(name, []).append((value.strip(), params))


def _email(value: str) -> str:
    value = value.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return value.strip().lower() if "@" in value else ""


def _time(value: str, params: dict) -> datetime | None:
    try:
        stamp = datetime.strptime(value.rstrip("Zz"), "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    if value.upper().endswith("Z"):
        return stamp.replace(tzinfo=UTC)
    if "TZID" in params:
        try:
            zone = ZoneInfo(params["TZID"])
        except (ZoneInfoNotFoundError, ValueError):
            return stamp
        return stamp.replace(tzinfo=zone).astimezone(UTC)
    return stamp


def _minutes(event: dict, start: datetime) -> float | None:
    if "DTEND" in event:
        end = _time(*event["DTEND"][0])
        if end is not None and (end.tzinfo is None) == (start.tzinfo is None):
            return max(0.0, (end - start).total_seconds() / 60)
    if "DURATION" in event:
        match = _DURATION.match(event["DURATION"][0][0].strip().upper())
        if match:
            parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "sign"}
            span = timedelta(weeks=parts.get("w", 0), days=parts.get("d", 0), hours=parts.get("h", 0),
                             minutes=parts.get("m", 0), seconds=parts.get("s", 0))
            return span.total_seconds() / 60
    return None
