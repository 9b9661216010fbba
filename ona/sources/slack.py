"""Import a Slack workspace export (the .zip, or the folder it unpacks to).

Only metadata is kept: who posted, when, in which conversation, who replied to whom and
who was mentioned. Message text is scanned for mention tokens (``<@U123>``) and dropped
at once; it is never stored or written.

Rules
-----
- A **direct message** or group DM is a chat event from the poster to the other members.
- In a **channel**, a thread reply is a chat event from the replier to the author of the
  thread's first message, and to anyone mentioned; a top-level post is an event to the
  people it mentions. A post that addresses no one (no thread, no mention) is counted as
  ``posts_addressing_no_one`` and not turned into ties: reading a channel is not knowing
  its members.
- Joins, leaves, topic changes and other system messages, and bot posts, are skipped and
  counted.
- People are the workspace's users (bots left out), with ``name``, ``email`` and ``title``
  from their profiles and department ``Unassigned``; match them to an HR table with
  :func:`~ona.sources.common.match_people` (``ona import slack --people hr.csv --match email``).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pandas as pd

from .. import schema as S
from ..errors import InputError
from ..validate import UNASSIGNED
from .common import Imported

__all__ = ["read_slack_export", "SLACK_CHANNEL"]

SLACK_CHANNEL = "chat"
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
#: message subtypes that are someone speaking; every other subtype is a system message
SPOKEN = {None, "thread_broadcast", "file_share", "me_message", "message_replied"}


class _Export:
    """The files of an export, whether zipped or unpacked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.is_file() and zipfile.is_zipfile(path):
            self._zip: zipfile.ZipFile | None = zipfile.ZipFile(path)
            names = [n for n in self._zip.namelist() if not n.endswith("/")]
            # exports are sometimes zipped with a top folder
            roots = {PurePosixPath(n).parts[0] for n in names if n.endswith("users.json")
                     and len(PurePosixPath(n).parts) == 2}
            self._prefix = (roots.pop() + "/") if roots and not any(n == "users.json" for n in names) else ""
            self._names = [n[len(self._prefix):] for n in names if n.startswith(self._prefix)]
        elif path.is_dir():
            self._zip = None
            self._prefix = ""
            self._names = [p.relative_to(path).as_posix() for p in path.rglob("*.json")]
        else:
            raise InputError(path, "is neither a Slack export .zip nor its unpacked folder")

    def has(self, name: str) -> bool:
        return name in self._names

    def load(self, name: str):
        try:
            if self._zip is not None:
                raw = self._zip.read(self._prefix + name)
            else:
                raw = (self.path / name).read_bytes()
            return json.loads(raw.decode("utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{self.path}/{name}", f"is not valid JSON ({exc.__class__.__name__})",
                             fix="Export the workspace again; the file looks damaged.") from None

    def day_files(self, folder: str) -> list[str]:
        return sorted(n for n in self._names if n.startswith(folder + "/") and n.endswith(".json"))


def read_slack_export(source: str | Path) -> Imported:
    """Read a Slack export into people and chat events (see the module doc for the rules).

    Parameters
    ----------
    source : str or Path
        The export's ``.zip`` (with or without a top folder inside), or the folder it
        unpacks to.

    Returns
    -------
    Imported
        ``people``: the workspace's users, bots left out (``employee_id`` the Slack user
        id, department ``Unassigned``, name, email, title, deleted); ``interactions``: one
        chat event per message that addresses someone (timestamp in UTC, channel ``chat``,
        sender_id, recipient_ids), oldest first; no relationships; ``counts``: users,
        bots_left_out, messages_read, system_messages, bot_messages,
        posts_addressing_no_one and events; ``source`` ``"slack"``.

    Examples
    --------
    >>> import tempfile, json, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> users = [{"id": "U1", "real_name": "Ann"}, {"id": "U2", "real_name": "Bo"},
    ...          {"id": "B1", "is_bot": True}]
    >>> _ = (root / "users.json").write_text(json.dumps(users))
    >>> _ = (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    >>> (root / "general").mkdir()
    >>> posts = [{"type": "message", "user": "U1", "ts": "1714557600.0001", "text": "hi <@U2>"},
    ...          {"type": "message", "user": "U2", "ts": "1714557700.0002", "text": "all",
    ...           "thread_ts": "1714557600.0001", "parent_user_id": "U1"}]
    >>> _ = (root / "general" / "2024-05-01.json").write_text(json.dumps(posts))
    >>> imp = read_slack_export(root)
    >>> imp.interactions[["sender_id", "recipient_ids"]].to_dict("records")
    [{'sender_id': 'U1', 'recipient_ids': 'U2'}, {'sender_id': 'U2', 'recipient_ids': 'U1'}]
    >>> imp.people["employee_id"].tolist()
    ['U1', 'U2']
    """
    export = _Export(Path(source))
    if not export.has("users.json"):
        raise InputError(source, "has no users.json: not a Slack workspace export",
                         fix="Give the .zip Slack produced, or the folder it unpacks to.")
    users = export.load("users.json")
    people, bots = _people(users)
    counts = {"users": len(users), "bots_left_out": len(bots), "messages_read": 0,
              "system_messages": 0, "bot_messages": 0, "posts_addressing_no_one": 0,
              "events": 0}
    rows: list[tuple[str, str, str, str]] = []
    for folder, members, direct in _conversations(export):
        roots: dict[str, str] = {}
        messages = [m for f in export.day_files(folder) for m in (export.load(f) or [])
                    if isinstance(m, dict)]
        for m in messages:  # thread roots first, so replies can find their author
            if m.get("ts") and (m.get("thread_ts") in (None, m.get("ts"))) and m.get("user"):
                roots[str(m["ts"])] = str(m["user"])
        for m in messages:
            counts["messages_read"] += 1
            if m.get("type", "message") != "message" or m.get("subtype") not in SPOKEN:
                key = "bot_messages" if m.get("subtype") == "bot_message" or m.get("bot_id") \
                    else "system_messages"
                counts[key] += 1
                continue
            sender = m.get("user")
            if not sender or sender in bots or m.get("bot_id"):
                counts["bot_messages"] += 1
                continue
            addressed = set(MENTION.findall(str(m.get("text") or "")))
            if direct:
                addressed |= set(members)
            thread = m.get("thread_ts")
            if thread is not None and str(thread) != str(m.get("ts")):
                parent = m.get("parent_user_id") or roots.get(str(thread))
                if parent:
                    addressed.add(str(parent))
            addressed.discard(sender)
            addressed -= bots
            if not addressed:
                counts["posts_addressing_no_one"] += 1
                continue
            rows.append((_iso(m.get("ts")), SLACK_CHANNEL, str(sender),
                         S.RECIPIENT_SEPARATOR.join(sorted(addressed))))
    counts["events"] = len(rows)
    events = pd.DataFrame(rows, columns=[S.TIMESTAMP, S.CHANNEL, S.SENDER_ID, S.RECIPIENT_IDS])
    events = events.sort_values(S.TIMESTAMP, kind="stable").reset_index(drop=True)
    return Imported(people, events, None, counts, "slack")


def _people(users: list) -> tuple[pd.DataFrame, set[str]]:
    bots = {str(u.get("id")) for u in users if u.get("is_bot") or u.get("id") == "USLACKBOT"}
    rows = []
    for u in users:
        uid = str(u.get("id"))
        if uid in bots or not u.get("id"):
            continue
        profile = u.get("profile") or {}
        rows.append({S.EMPLOYEE_ID: uid, S.DEPARTMENT: UNASSIGNED,
                     "name": u.get("real_name") or profile.get("real_name") or u.get("name"),
                     "email": profile.get("email"), S.TITLE: profile.get("title") or None,
                     "deleted": bool(u.get("deleted", False))})
    frame = pd.DataFrame(rows, columns=[S.EMPLOYEE_ID, S.DEPARTMENT, "name", "email", S.TITLE, "deleted"])
    return frame.sort_values(S.EMPLOYEE_ID).reset_index(drop=True), bots


def _conversations(export: _Export) -> Iterator[tuple[str, list[str], bool]]:
    """(folder, members, is a direct conversation) for every conversation in the export."""
    for listing, key, direct in (("channels.json", "name", False), ("groups.json", "name", False),
                                 ("mpims.json", "name", True), ("dms.json", "id", True)):
        if not export.has(listing):
            continue
        for conv in export.load(listing) or []:
            folder = conv.get(key) or conv.get("id")
            if folder:
                yield str(folder), [str(x) for x in conv.get("members") or []], direct


def _iso(ts) -> str:
    try:
        return pd.Timestamp(float(ts), unit="s").strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return ""
