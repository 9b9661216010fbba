"""Generate a synthetic organisation with planted structure, for tests, samples and benchmarks.

The organisation has a CEO with a small executive office, departments led by a
head, middle managers where a department has many teams, team leads and
individual contributors; months of email, chat and meeting events; survey answers
(advice, advocacy, mentor, knows_work); performance ratings; and planted truths
written to ``truth.json``:

- ``silo_departments``: departments whose people almost only talk among themselves;
- ``cross_department_group``: people from four departments who work as one group;
- ``hidden_high_performers``: top-rated people who only talk to their own team, whom
  nobody outside the team names, and no senior leader knows;
- ``visible_high_performers``: top-rated people known across the organisation and
  by the senior leaders;
- ``panel``, ``slate`` and ``advocates``: a talent-review panel (CEO and department
  heads) and a slate of candidates with a known number of advocates on the panel
  (0, 1 or several);
- ``dirty_interactions`` / ``dirty_relationships``: how many bad rows of each kind
  were planted, and what the row accounting must report for them.

With ``careers=True`` the organisation also has five years of career history
(``history.csv``: one row per change, ending on ``end``), yearly survey waves of dated
``advocacy`` and ``mentor`` answers, and ``career_conversation`` answers, with their
truths under ``careers``:

- the history: each person's first row is ``hire`` on their hire date when they joined
  within the five years, else ``start`` on the history's first day; then ``promotion``
  rows (one level up) and a few ``move`` rows (from another department, at levels 1-2).
  The last row is the people file's level, title, department and manager. Promotions are
  drawn backward from the people file (``_PROMOTION_RATE``), so nobody rises above their
  final level and every promotion is from levels 1-4;
- ``survey_dates``: five waves a year apart, the last on the date of the other survey
  answers (two weeks before ``end``); ``window_months`` (24): a promotion counts for a
  sponsorship tie when it comes in the 24 months after the tie's date;
- ``good_sponsors`` (3 a thousand people, at least 2): 12-15 protégés each over the first
  three waves, across departments, about 60% of them promoted within 24 months of the
  tie (their histories are made so);
- ``ordinary_sponsors`` (5 a thousand, at least 3): 8-11 protégés each, chosen with no
  regard to their careers; they also state the planted ties about people promoted in the
  year before (waves 2-4, one for every 200 people, at least 4);
- ``own_circle_sponsors`` (2): team leads or senior managers naming only their own
  direct reports. Sponsors and mentors answer the survey and are senior to the people
  they name; a planted protégé is never a hidden high performer, on the slate or panel,
  and no new tie crosses the border of a silo department;
- ``ties_after_promotion``: every advocacy or sponsor statement ``[source, target, date]``
  whose target was promoted in the 24 months up to that date (not sponsorship of it);
- ``base_rate_24m`` (and ``base_rate_24m_by_level``): the share of person-windows promoted
  within 24 months, over every wave whose window ends within the history and every person
  at levels 1-4 then and not yet named by anyone in an advocacy or sponsor answer;
  ``protege_promotion_24m``: the same for the ties of each kind of sponsor;
- ``neither_mentor_nor_sponsor``: everyone no ``mentor``, ``advocacy`` or ``sponsor`` row
  names (mentors name levels 2-3 more often than level 1);
- ``no_manager_conversation`` / ``no_conversation``: answering people with a manager who
  named no career conversation with them (about 40%) / named none at all (about 25%); at
  least three of the answering slate candidates are in the first and three are not.

Everything is drawn from one ``numpy`` generator seeded with ``seed`` (the careers, the
events and the planted gaps from their own streams seeded with it): the same arguments
give the same files, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema as S
from .errors import ConfigError

__all__ = ["generate_organisation", "GeneratedOrg", "write_organisation"]

_DEPARTMENTS = [
    "Engineering", "Sales", "Research", "Operations", "Finance", "Marketing", "Customer Success",
    "Product", "Legal", "People", "Data", "Security", "Support", "Procurement", "Logistics",
    "Manufacturing", "Quality", "IT", "Communications", "Strategy", "Partnerships", "Facilities",
    "Compliance", "Risk", "Treasury", "Analytics", "Platform", "Infrastructure", "Design", "Training",
]
_FIRST = ["Ada", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lena",
          "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Viktor", "Wen",
          "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Carmen", "Dev", "Erin", "Felix", "Greta",
          "Hugo", "Ines", "Jonas", "Kira", "Luis", "Maya", "Noor", "Oscar", "Pia", "Rafael", "Sofia",
          "Theo", "Ulla", "Vera", "Will", "Yara", "Zain"]
_LAST = ["Abe", "Berg", "Costa", "Diallo", "Eriksen", "Fischer", "Garcia", "Hall", "Ito", "Jensen",
         "Kaur", "Larsen", "Mensah", "Novak", "Okafor", "Park", "Quist", "Rossi", "Silva", "Tanaka",
         "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhou", "Adams", "Banda", "Cruz", "Dubois", "Eze",
         "Fontaine", "Gupta", "Haddad", "Ivanova", "Kim", "Lopez", "Moreau", "Nguyen", "Olsen",
         "Petrov", "Reyes", "Schmidt", "Torres", "Vogel", "Wright", "Young", "Ziegler"]

# levels: higher = more senior
CEO_LEVEL, HEAD_LEVEL, MIDDLE_LEVEL, LEAD_LEVEL, SENIOR_LEVEL, IC_LEVEL = 6, 5, 4, 3, 2, 1
LOCATIONS = ("London", "Lisbon", "Nairobi", "Toronto", "Singapore")
LOCATION_SHARES = (0.35, 0.2, 0.15, 0.2, 0.1)

# recipient scopes and behaviour profiles
_SCOPES = ("circle", "manager", "dept", "org", "group", "leaders")
_PROFILES = {  # probability of each scope for one recipient
    "default": (0.55, 0.08, 0.22, 0.13, 0.00, 0.02),
    "silo": (0.60, 0.10, 0.297, 0.003, 0.00, 0.00),
    "group": (0.10, 0.04, 0.04, 0.02, 0.80, 0.00),
    "hidden": (1.00, 0.00, 0.00, 0.00, 0.00, 0.00),  # heads-down with peers
    "visible": (0.25, 0.05, 0.25, 0.25, 0.00, 0.20),
    "leader": (0.25, 0.05, 0.35, 0.10, 0.00, 0.25),
}
_PROFILE_NAMES = list(_PROFILES)
_CHANNELS = np.array(["email", "chat", "meeting"])
_CHANNEL_P = np.array([0.45, 0.35, 0.20])
#: Share of events planted as each kind of bad row when ``dirty`` is on.
DIRTY_RATE = 0.001


@dataclass
class GeneratedOrg:
    """A generated organisation. ``interactions`` is built on first access (for large
    organisations use :func:`write_organisation`, which streams events to disk).
    ``history`` is the career history (``careers=True``), else None."""

    people: pd.DataFrame
    relationships: pd.DataFrame
    panel: pd.DataFrame
    slate: pd.DataFrame
    truth: dict
    _model: _Model = field(repr=False)
    history: pd.DataFrame | None = None

    @property
    def interactions(self) -> pd.DataFrame:
        tables = list(self._model.event_tables())
        return pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame()


@dataclass
class _Model:
    """Everything needed to draw events, kept as arrays indexed by person position."""

    seed: int
    ids: np.ndarray
    dept: np.ndarray
    manager: np.ndarray          # position of the manager, -1 for the CEO
    circle_start: np.ndarray
    circle_len: np.ndarray
    profile: np.ndarray
    activity: np.ndarray
    level: np.ndarray
    dept_pool: np.ndarray        # visible people grouped by department
    dept_pool_start: np.ndarray
    dept_pool_len: np.ndarray
    dept_members_start: np.ndarray
    dept_members_len: np.ndarray
    open_pool: np.ndarray        # people others may reach across the organisation
    partners: np.ndarray         # per person, regular contacts in other departments (n x 4)
    group: np.ndarray
    in_group: np.ndarray         # bool per person: a member of the cross-department group
    leaders: np.ndarray
    hidden: np.ndarray           # bool per person: a planted hidden high performer
    events_total: int
    start: np.datetime64
    days: np.ndarray             # business-day offsets from start
    dirty: bool
    chunk_people: int = 20000
    gap_member: np.ndarray | None = None   # bool per person: in the group with a planted gap
    gap_outcome: str = "leader"            # "leader" (contact with senior leaders) or "outside" (other departments)
    gap_factor: float = 1.0                # their events with the other side happen at this rate

    # -- events ---------------------------------------------------------------
    def event_tables(self) -> Iterator[pa.Table]:
        n = len(self.ids)
        rng = np.random.default_rng([self.seed, 1])
        share = self.activity / self.activity.sum()
        per_person = rng.multinomial(self.events_total, share)
        sample = None
        per = max(1, round(self.events_total * DIRTY_RATE))
        for lo in range(0, n, self.chunk_people):
            hi = min(n, lo + self.chunk_people)
            senders = np.repeat(np.arange(lo, hi), per_person[lo:hi])
            if senders.size:
                table = self._events(senders, np.random.default_rng([self.seed, 2, lo]))
                if sample is None:
                    sample = table.slice(0, per)
                yield table
        if self.dirty and sample is not None:
            yield self._dirty_events(np.random.default_rng([self.seed, 3]), sample)

    def _events(self, senders: np.ndarray, rng: np.random.Generator) -> pa.Table:
        m = senders.size
        channel = rng.choice(3, size=m, p=_CHANNEL_P)
        k = np.ones(m, dtype=np.int64)
        u = rng.random(m)
        email, chat, meeting = channel == 0, channel == 1, channel == 2
        k[email & (u > 0.60)] = rng.integers(2, 5, size=int((email & (u > 0.60)).sum()))
        k[email & (u > 0.95)] = rng.integers(5, 11, size=int((email & (u > 0.95)).sum()))
        k[chat & (u > 0.80)] = rng.integers(2, 6, size=int((chat & (u > 0.80)).sum()))
        k[meeting] = rng.integers(1, 9, size=int(meeting.sum()))
        width = int(k.max())
        prob = np.array([_PROFILES[p] for p in _PROFILE_NAMES])[self.profile[senders]]
        cum = prob.cumsum(axis=1)
        recipients = np.full((m, width), -1, dtype=np.int64)
        for slot in range(width):
            active = k > slot
            scope = (rng.random(m)[:, None] > cum).sum(axis=1)
            scope = np.minimum(scope, len(_SCOPES) - 1)
            recipients[active, slot] = self._resolve(senders[active], scope[active], rng)
        self._confine_hidden(senders, recipients)
        self._thin_gap(senders, recipients)
        # mass emails from senior people to their whole department
        mass = email & (self.level[senders] >= MIDDLE_LEVEL) & (rng.random(m) < 0.15)
        lists = self._join(senders, recipients, mass)
        ts = self._timestamps(senders, rng)
        duration = np.where(meeting, rng.choice([15, 30, 60, 120], size=m, p=[0.1, 0.5, 0.35, 0.05]), 0)
        order = np.argsort(ts, kind="stable")
        return pa.table({
            S.TIMESTAMP: pa.array(ts[order].astype("datetime64[s]").astype(str), pa.string()),
            S.CHANNEL: pa.array(_CHANNELS[channel][order]),
            S.SENDER_ID: pa.array(self.ids[senders][order]),
            S.RECIPIENT_IDS: lists.take(pa.array(order)),
            S.DURATION_MINUTES: pa.array(duration[order], mask=~meeting[order], type=pa.int64()),
        })

    def _thin_gap(self, senders: np.ndarray, recipients: np.ndarray) -> None:
        """The planted access gap: an event joining a member of the gap group with the other
        side (a senior leader, or someone in another department) keeps them together only
        with probability ``gap_factor``. Otherwise the other side is taken off the list when
        the sender is a member; the members are taken off when the sender is on the other
        side or a third person. A list left empty goes to the sender's own team. Its own
        random stream: without a gap nothing here draws, so other organisations are unchanged."""
        if self.gap_member is None or self.gap_factor >= 1.0 or len(senders) == 0:
            return
        rng = np.random.default_rng([self.seed, 9, int(senders[0]), len(senders)])
        valid = recipients >= 0
        r = np.where(valid, recipients, 0)
        member_r = valid & self.gap_member[r]
        if self.gap_outcome == "leader":
            other_r = valid & (self.level[r] >= HEAD_LEVEL)
            other_s = self.level[senders] >= HEAD_LEVEL
        else:
            other_r = valid & (self.dept[r] != self.dept[senders][:, None])
            other_s = np.zeros(len(senders), dtype=bool)
        member_s = self.gap_member[senders]
        # a member sends to the other side / the other side (or a third person) with members
        mixed = (member_s & other_r.any(axis=1)) | (~member_s & member_r.any(axis=1)
                                                    & (other_s | other_r.any(axis=1)
                                                       if self.gap_outcome == "leader" else True))
        cut = mixed & (rng.random(len(senders)) >= self.gap_factor)
        drop = np.where(member_s[:, None], other_r, member_r) & cut[:, None]
        recipients[drop] = -1
        emptied = cut & (recipients < 0).all(axis=1)
        if emptied.any():
            who = senders[emptied]
            offset = rng.integers(0, np.maximum(self.circle_len[who], 1))
            recipients[emptied, 0] = self.circle_start[who] + offset

    def _confine_hidden(self, senders: np.ndarray, recipients: np.ndarray) -> None:
        """Hidden people only appear in events that stay within the sender's own team
        (and the sender's manager, unless a senior leader): in a mixed event they are
        taken off the list."""
        if not self.hidden.any():
            return
        valid = recipients >= 0
        r = np.where(valid, recipients, 0)
        start = self.circle_start[senders][:, None]
        boss = self.manager[senders]
        boss = np.where((boss >= 0) & (self.level[np.maximum(boss, 0)] < HEAD_LEVEL), boss, -2)
        inside = ((r >= start) & (r < start + self.circle_len[senders][:, None])) | \
            (r == boss[:, None])
        mixed = (valid & ~inside).any(axis=1)
        drop = mixed[:, None] & valid & self.hidden[r]
        recipients[drop] = -1
        emptied = (recipients < 0).all(axis=1)  # cannot happen with the scopes above; guarded
        if emptied.any():
            boss = self.manager[senders[emptied]]
            recipients[emptied, 0] = np.where(boss >= 0, boss, self.leaders[-1])

    def _resolve(self, senders: np.ndarray, scope: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        out = np.empty(senders.size, dtype=np.int64)
        u = rng.random(senders.size)
        for s, name in enumerate(_SCOPES):
            sel = scope == s
            if not sel.any():
                continue
            who = senders[sel]
            if name == "circle":
                pick = self.circle_start[who] + (u[sel] * self.circle_len[who]).astype(np.int64)
                # members of the cross-department group are seconded to it: their own
                # team reaches them only a fifth as often (the rest goes to the manager)
                away = self.in_group[pick] & ~self.in_group[who] & (rng.random(who.size) < 0.8)
                pick[away] = np.where(self.manager[who[away]] >= 0, self.manager[who[away]], pick[away])
            elif name == "manager":
                pick = self.manager[who]
                top = pick < 0
                pick[top] = self.leaders[(u[sel][top] * len(self.leaders)).astype(np.int64)]
            elif name == "dept":
                d = self.dept[who]
                pick = self.dept_pool[self.dept_pool_start[d]
                                      + (u[sel] * self.dept_pool_len[d]).astype(np.int64)]
            elif name == "org":
                # most cross-organisation contact goes to a few regular partners
                regular = rng.random(int(sel.sum())) < 0.7
                slot = rng.integers(0, self.partners.shape[1], size=int(sel.sum()))
                pick = np.where(regular, self.partners[who, slot],
                                self.open_pool[(u[sel] * len(self.open_pool)).astype(np.int64)])
            elif name == "group":
                pick = self.group[(u[sel] * len(self.group)).astype(np.int64)]
            else:
                pick = self.leaders[(u[sel] * len(self.leaders)).astype(np.int64)]
            out[sel] = pick
        clash = out == senders
        fallback = self.manager[senders[clash]]
        no_manager = fallback < 0
        fallback[no_manager] = self.circle_start[senders[clash][no_manager]]
        out[clash] = fallback
        still = out == senders  # the CEO picking themself twice over: take the next leader
        out[still] = self.leaders[(np.searchsorted(self.leaders, senders[still]) + 1) % len(self.leaders)]
        return out

    def _join(self, senders: np.ndarray, recipients: np.ndarray, mass: np.ndarray) -> pa.Array:
        """Recipient lists as ';'-joined ids: distinct recipients per event, whole
        departments (up to 150 people) for mass emails."""
        m = recipients.shape[0]
        ordered = np.sort(recipients, axis=1)
        keep = ordered >= 0
        keep[:, 1:] &= ordered[:, 1:] != ordered[:, :-1]
        counts = keep.sum(axis=1)
        flat = ordered[keep]
        pieces = {}
        for r in np.flatnonzero(mass):
            d = self.dept[senders[r]]
            start, size = self.dept_members_start[d], min(int(self.dept_members_len[d]), 150)
            piece = np.arange(start, start + size)
            pieces[r] = piece[(piece != senders[r]) & ~self.hidden[piece]]
        lengths = counts.copy()
        for r, piece in pieces.items():
            lengths[r] = len(piece)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        source_offsets = np.concatenate([[0], np.cumsum(counts)])
        row_of = np.repeat(np.arange(m), counts)
        take = ~mass[row_of]
        values = np.empty(int(offsets[-1]), dtype=np.int64)
        positions = np.flatnonzero(take)
        values[positions + (offsets[row_of[take]] - source_offsets[row_of[take]])] = flat[take]
        for r, piece in pieces.items():
            values[offsets[r]:offsets[r + 1]] = piece
        lists = pa.ListArray.from_arrays(pa.array(offsets, pa.int64()).cast(pa.int32()),
                                         pa.array(self.ids[values]))
        return pc.binary_join(lists, S.RECIPIENT_SEPARATOR)

    def _timestamps(self, senders: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        day = self.days[rng.integers(0, len(self.days), size=senders.size)]
        second = rng.integers(8 * 3600, 18 * 3600, size=senders.size)
        ts = self.start + day.astype("timedelta64[D]") + second.astype("timedelta64[s]")
        # no two events of one sender share a second: exact duplicates are only the planted ones
        order = np.lexsort((ts, senders))
        s_sorted, t_sorted = senders[order], ts[order]
        for _ in range(1000):
            clash = np.zeros(len(order), dtype=bool)
            clash[1:] = (s_sorted[1:] == s_sorted[:-1]) & (t_sorted[1:] <= t_sorted[:-1])
            if not clash.any():
                break
            t_sorted[clash] = t_sorted[np.flatnonzero(clash) - 1] + np.timedelta64(1, "s")
        ts[order] = t_sorted
        return ts

    def _dirty_events(self, rng: np.random.Generator, clean_sample: pa.Table) -> pa.Table:
        """Planted bad rows. Each kind can never coincide with a clean row or another
        planted row (unknown ids are unique, senders are distinct within a kind)."""
        n = len(self.ids)
        per = len(clean_sample)
        day = self.days[rng.integers(0, len(self.days), size=5 * per)]
        second = rng.integers(0, 8 * 3600, size=5 * per)  # before the working day
        stamps = iter((self.start + day.astype("timedelta64[D]") + second.astype("timedelta64[s]"))
                      .astype("datetime64[s]").astype(str))

        def distinct_people() -> Iterator[int]:
            return iter(np.resize(rng.permutation(n), per))

        def colleague(i: int) -> int:
            pick = int(self.circle_start[i])
            if pick == i:
                pick = int(self.manager[i]) if self.manager[i] >= 0 else int(self.leaders[1 % len(self.leaders)])
            return pick

        rows: list[dict] = []
        for j, s in enumerate(distinct_people()):  # sender not on the people list
            rows.append(_row(next(stamps), "email", f"X{900000 + j}", self.ids[colleague(s)]))
        for s in distinct_people():  # no recipient at all
            rows.append(_row(next(stamps), "email", self.ids[s], ""))
        for s in distinct_people():  # the only recipient is the sender
            rows.append(_row(next(stamps), "chat", self.ids[s], self.ids[s]))
        for j, s in enumerate(distinct_people()):  # one known, one unknown: the row survives
            rows.append(_row(next(stamps), "email", self.ids[s],
                             f"{self.ids[colleague(s)]};Y{900000 + j}"))
        for j, s in enumerate(distinct_people()):  # every recipient unknown
            rows.append(_row(next(stamps), "email", self.ids[s], f"Z{900000 + j}"))
        table = pa.concat_tables([pa.Table.from_pylist(rows, schema=_EVENT_SCHEMA),
                                  clean_sample.cast(_EVENT_SCHEMA)])  # exact duplicates
        return table


_EVENT_SCHEMA = pa.schema([(S.TIMESTAMP, pa.string()), (S.CHANNEL, pa.string()),
                           (S.SENDER_ID, pa.string()), (S.RECIPIENT_IDS, pa.string()),
                           (S.DURATION_MINUTES, pa.int64())])


def _row(ts: str, channel: str, sender: str, recipients: str) -> dict:
    return {S.TIMESTAMP: ts, S.CHANNEL: channel, S.SENDER_ID: str(sender),
            S.RECIPIENT_IDS: recipients, S.DURATION_MINUTES: None}


def _dirty_truth(per: int) -> dict:
    """What the row accounting must report for the planted bad events."""
    return {
        "planted_rows": {"unknown_sender": per, "empty_recipients": per, "self_only": per,
                         "one_unknown_recipient": per, "all_unknown_recipients": per,
                         "duplicate_row": per},
        "expected_drops": {"duplicate_row": per, "unknown_sender": per,
                           "empty_recipients": per, "no_valid_recipient": 2 * per},
        "expected_dropped_entries": {"self_tie": per, "unknown_recipient": 2 * per,
                                     "repeated_recipient": 0},
    }


# -- building the organisation ---------------------------------------------------------------

@dataclass
class _Layout:
    dept_names: list[str] = field(default_factory=list)
    dept: list[int] = field(default_factory=list)
    team: list[str] = field(default_factory=list)
    level: list[int] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    manager: list[int] = field(default_factory=list)
    circle_start: list[int] = field(default_factory=list)
    circle_len: list[int] = field(default_factory=list)

    def add(self, dept: int, team: str, level: int, title: str, manager: int,
            circle: tuple[int, int]) -> int:
        self.dept.append(dept)
        self.team.append(team)
        self.level.append(level)
        self.title.append(title)
        self.manager.append(manager)
        self.circle_start.append(circle[0])
        self.circle_len.append(circle[1])
        return len(self.dept) - 1


def _department_sizes(rng: np.random.Generator, total: int, count: int) -> np.ndarray:
    share = rng.lognormal(0.0, 0.45, size=count)
    sizes = np.maximum(12, np.floor(share / share.sum() * total)).astype(int)
    while sizes.sum() > total:
        sizes[np.argmax(sizes)] -= 1
    while sizes.sum() < total:
        sizes[rng.integers(count)] += 1
    return sizes


def _layout(rng: np.random.Generator, n_people: int) -> _Layout:
    lay = _Layout()
    n_depts = int(np.clip(round(np.sqrt(n_people) / 2.2), 4, 60))
    names = [_DEPARTMENTS[i % len(_DEPARTMENTS)] + ("" if i < len(_DEPARTMENTS) else f" {i // len(_DEPARTMENTS) + 1}")
             for i in range(n_depts)]
    lay.dept_names = ["Executive"] + names
    office = (0, 5)
    ceo = lay.add(0, "Office of the CEO", CEO_LEVEL, "Chief Executive Officer", -1, office)
    lay.add(0, "Office of the CEO", LEAD_LEVEL, "Chief of Staff", ceo, office)
    for title in ("Executive Assistant", "Strategy Analyst", "Executive Assistant"):
        lay.add(0, "Office of the CEO", SENIOR_LEVEL, title, ceo, office)
    for d, size in enumerate(_department_sizes(rng, n_people - 5, n_depts), start=1):
        name = lay.dept_names[d]
        n_teams = max(1, round((size - 1) / 8))
        n_middle = int(np.ceil(n_teams / 6)) if n_teams > 6 else 0
        head = len(lay.dept)
        block = (head, 1 + n_middle + n_teams)
        ics = size - 1 - n_middle - n_teams
        team_sizes = [len(x) for x in np.array_split(np.arange(ics), n_teams)]
        lay.add(d, f"{name} Leadership", HEAD_LEVEL, f"Head of {name}", ceo, block)
        middles = [lay.add(d, f"{name} Leadership", MIDDLE_LEVEL, "Senior Manager", head, block)
                   for _ in range(n_middle)]
        first_ic = head + 1 + n_middle + n_teams
        team_starts = first_ic + np.concatenate([[0], np.cumsum(team_sizes)[:-1]])
        leads = []
        for t in range(n_teams):
            boss = middles[t % n_middle] if n_middle else head
            leads.append(lay.add(d, f"{name} Team {t + 1}", LEAD_LEVEL, "Team Lead", boss,
                                 (int(team_starts[t]), team_sizes[t])))
        for t in range(n_teams):
            for _ in range(team_sizes[t]):
                senior = rng.random() < 0.3
                lay.add(d, f"{name} Team {t + 1}", SENIOR_LEVEL if senior else IC_LEVEL,
                        "Senior Specialist" if senior else "Specialist", leads[t],
                        (int(team_starts[t]), team_sizes[t]))
    return lay


def generate_organisation(
    n_people: int = 300,
    *,
    seed: int = 0,
    months: int = 6,
    events_per_person: int = 100,
    end: str = "2026-06-30",
    dirty: bool = True,
    response_rate: float = 0.75,
    leaders_respond: bool = True,
    gap: dict | None = None,
    confound: str | None = None,
    careers: bool = False,
) -> GeneratedOrg:
    """Generate an organisation of ``n_people`` with planted structure (see the module doc).

    Parameters
    ----------
    n_people : int, default 300
        Head count, at least 60.
    seed : int, default 0
        The same seed gives the same organisation.
    months : int, default 6
        Length of the event log, ending on ``end``.
    events_per_person : int, default 100
        Events sent per person on average over the whole period.
    end : str, default "2026-06-30"
        Last day of the event log (ISO date).
    dirty : bool, default True
        Plant bad rows (0.1% of events of each kind, and a few bad survey rows), recorded
        in the truth so the row accounting can be checked.
    response_rate : float, default 0.75
        Share of people who answer the survey; only they state relations, planted advocacy
        included.
    leaders_respond : bool, default True
        Senior leaders always answer, or at ``response_rate`` too.
    gap : dict, optional
        A planted access gap, e.g. ``{"location": "Nairobi", "outcome": "leader",
        "factor": 0.4}``: the people of that location have events with senior leaders
        (``"leader"``) or with other departments (``"outside"``) at 0.4 times the rate of
        their peers, at every level and in every department (:meth:`_Model._thin_gap`).
        Recorded in the truth under ``fairness``.
    confound : str, optional
        A location concentrated at the lower levels (half of levels 1-2, a twentieth of the
        rest) with no difference in how its people work: a raw gap that is not a gap at
        equal level. Recorded in the truth under ``fairness``.
    careers : bool, default False
        Also draw five years of career history ending on ``end`` (``org.history``, written
        as ``history.csv``), dated ``advocacy`` and ``mentor`` answers from yearly survey
        waves with planted good, ordinary and own-circle sponsors, and ``career_conversation``
        answers; recorded in the truth under ``careers`` (see the module doc), and
        ``generator["careers"]`` is then True. Drawn from their own random streams: the
        people, events, panel and slate are those of the same arguments without careers,
        and the relationships the same rows with more appended. Needs ``end`` on or after
        every hire date (2025 or later).

    Returns
    -------
    GeneratedOrg
        The people, relationships, panel and slate tables, the truth (a dict, written as
        ``truth.json``), the event model (events are drawn when written) and, with
        ``careers``, the history.

    Examples
    --------
    >>> org = generate_organisation(120, seed=1, events_per_person=20)
    >>> len(org.people), int(org.people["employee_id"].str.len().min())
    (120, 6)
    >>> sorted(org.truth)[:4]
    ['advocates', 'advocates_answered', 'clean_events', 'cross_department_group']
    """
    if n_people < 60:
        raise ConfigError(f"generate needs at least 60 people for its planted structure, got {n_people}")
    if months < 1 or events_per_person < 1:
        raise ConfigError("months and events_per_person must be at least 1")
    if not 0 < response_rate <= 1:
        raise ConfigError(f"response_rate must be in (0, 1], got {response_rate!r}")
    if gap is not None:
        if gap.get("location") not in LOCATIONS or gap.get("outcome", "leader") not in ("leader", "outside") \
                or not 0 <= float(gap.get("factor", 0.5)) < 1:
            raise ConfigError(f"a gap is {{'location': one of {', '.join(LOCATIONS)}, 'outcome': 'leader' or "
                              f"'outside', 'factor': a rate in [0, 1)}}, got {gap!r}")
    if confound is not None and confound not in LOCATIONS:
        raise ConfigError(f"confound is a location ({', '.join(LOCATIONS)}), got {confound!r}")
    rng = np.random.default_rng([seed, 0])
    lay = _layout(rng, n_people)
    n = len(lay.dept)
    dept = np.array(lay.dept)
    level = np.array(lay.level)
    manager = np.array(lay.manager)
    team = np.array(lay.team, dtype=object)
    n_depts = len(lay.dept_names)
    dept_size = np.bincount(dept, minlength=n_depts)

    # planted structure
    candidates = [d for d in range(1, n_depts) if dept_size[d] >= 12]
    n_silo = 2 if len(candidates) >= 5 else 1
    silo = sorted(rng.choice(candidates, size=n_silo, replace=False).tolist())
    open_depts = [d for d in range(1, n_depts) if d not in silo]
    in_silo = np.isin(dept, silo)
    used = np.zeros(n, dtype=bool)

    def draw(pool_mask: np.ndarray, k: int) -> np.ndarray:
        pool = np.flatnonzero(pool_mask & ~used)
        chosen = np.sort(rng.choice(pool, size=min(k, len(pool)), replace=False))
        used[chosen] = True
        return chosen

    group_depts = sorted(rng.choice(open_depts, size=min(4, len(open_depts)), replace=False).tolist())
    g = int(np.clip(n_people // 25, 8, 40))
    group = np.concatenate([draw((dept == d) & (level <= SENIOR_LEVEL), g // len(group_depts))
                            for d in group_depts])
    h = max(3, round(n_people * 0.01))
    ic_open = np.isin(dept, open_depts) & (level <= SENIOR_LEVEL)
    hidden = draw(ic_open, h)
    visible = draw(ic_open, h)
    heads = np.flatnonzero(level == HEAD_LEVEL)
    ceo = int(np.flatnonzero(level == CEO_LEVEL)[0])
    panel = np.concatenate([[ceo], np.sort(rng.choice(heads, size=min(6, len(heads)), replace=False))])
    used[panel] = True
    slate = draw((level >= SENIOR_LEVEL) & (level <= LEAD_LEVEL) & (dept > 0), 12)
    advocate_counts = np.array([0] * 4 + [1] * 4 + [2, 2, 3, 3])[:len(slate)]
    advocate_counts = np.minimum(advocate_counts, len(panel))
    advocates = {int(c): np.sort(rng.choice(panel, size=k, replace=False)).tolist()
                 for c, k in zip(slate, advocate_counts)}

    profile = np.zeros(n, dtype=np.int64)
    for name, mask in (("silo", in_silo), ("leader", level >= HEAD_LEVEL)):
        profile[mask] = _PROFILE_NAMES.index(name)
    for name, who in (("group", group), ("hidden", hidden), ("visible", visible)):
        profile[who] = _PROFILE_NAMES.index(name)
    activity = rng.lognormal(0.0, 0.5, size=n)
    activity[hidden] *= 0.5
    activity[visible] *= 1.5
    activity[level >= HEAD_LEVEL] *= 1.5

    is_hidden = np.zeros(n, dtype=bool)
    is_hidden[hidden] = True
    order = np.argsort(dept, kind="stable")
    visible_people = order[~is_hidden[order]]
    pool_len = np.bincount(dept[visible_people], minlength=n_depts)
    members_start = np.concatenate([[0], np.cumsum(dept_size)[:-1]])
    # ids: random, unique, zero-padded numbers (leading zeros must survive loading)
    width = max(6, len(str(n_people * 10)))
    numbers = rng.choice(10 ** width - 1, size=n, replace=False) + 1
    ids = np.array([f"{x:0{width}d}" for x in numbers], dtype=object)
    leaders = np.flatnonzero(level >= HEAD_LEVEL)
    open_pool = np.flatnonzero(~in_silo & ~is_hidden)
    start = np.datetime64(end) - np.timedelta64(int(months * 30.4), "D")
    all_days = np.arange(int((np.datetime64(end) - start) / np.timedelta64(1, "D")) + 1)
    weekday = ((start + all_days.astype("timedelta64[D]")).astype("datetime64[D]").view("int64") - 4) % 7
    days = all_days[weekday < 5]
    events_total = n * events_per_person
    model = _Model(
        seed=seed, ids=ids, dept=dept, manager=manager, circle_start=np.array(lay.circle_start),
        circle_len=np.array(lay.circle_len), profile=profile, activity=activity, level=level,
        dept_pool=visible_people, dept_pool_start=np.concatenate([[0], np.cumsum(pool_len)[:-1]]),
        dept_pool_len=pool_len, dept_members_start=members_start, dept_members_len=dept_size,
        open_pool=open_pool, partners=open_pool[rng.integers(0, len(open_pool), size=(n, 4))],
        group=group, in_group=np.isin(np.arange(n), group), leaders=leaders,
        hidden=is_hidden,
        events_total=events_total, start=start, days=days, dirty=dirty)

    # Outside the plants, the top rating goes only to active people in open departments,
    # so that every top performer who is hidden is a planted one (the truth is complete).
    performance = rng.choice([1, 2, 3, 4], size=n, p=[0.04, 0.15, 0.56, 0.25])
    eligible = np.flatnonzero(~in_silo & (profile == _PROFILE_NAMES.index("default"))
                              & (activity >= np.median(activity)) & (dept > 0))
    top = rng.choice(eligible, size=min(len(eligible), round(0.06 * n)), replace=False)
    performance[top] = 5
    performance[hidden] = 5
    performance[visible] = 5
    first = rng.choice(_FIRST, size=n)
    last = rng.choice(_LAST, size=n)
    hire = np.datetime64("2008-01-01") + rng.integers(0, 6300, size=n).astype("timedelta64[D]")
    location = rng.choice(list(LOCATIONS), size=n, p=LOCATION_SHARES)
    if confound is not None:  # its own stream, so the rest of the organisation is unchanged
        crng = np.random.default_rng([seed, 8])
        share = np.where(level <= SENIOR_LEVEL, 0.5, 0.05)
        location = np.where(crng.random(n) < share, confound,
                            np.where(location == confound, crng.choice([x for x in LOCATIONS if x != confound], size=n),
                                     location))
    if gap is not None:
        model.gap_member = location == gap["location"]
        model.gap_outcome = gap.get("outcome", "leader")
        model.gap_factor = float(gap.get("factor", 0.5))
    people = pd.DataFrame({
        S.EMPLOYEE_ID: ids, S.NAME: [f"{a} {b}" for a, b in zip(first, last)],
        S.DEPARTMENT: [lay.dept_names[d] for d in dept], S.TEAM: team, S.TITLE: lay.title,
        S.LEVEL: level, S.MANAGER_ID: [ids[m] if m >= 0 else "" for m in manager],
        S.LOCATION: location,
        S.HIRE_DATE: hire.astype(str), S.PERFORMANCE: performance,
    }).sort_values(S.EMPLOYEE_ID, ignore_index=True)

    relationships, rel_truth, respond = _survey(rng, model, team, panel, slate, advocates, hidden,
                                                visible, group, in_silo, end, dirty, response_rate,
                                                leaders_respond)
    per = max(1, round(events_total * DIRTY_RATE))
    truth = {
        "generator": {"n_people": n_people, "seed": seed, "months": months,
                      "events_per_person": events_per_person, "end": end, "dirty": dirty},
        "senior_leaders": sorted(ids[leaders].tolist()),
        "senior_levels": [CEO_LEVEL, HEAD_LEVEL],
        "silo_departments": [lay.dept_names[d] for d in silo],
        "cross_department_group": {"members": sorted(ids[group].tolist()),
                                   "departments": [lay.dept_names[d] for d in group_depts]},
        "hidden_high_performers": sorted(ids[hidden].tolist()),
        "visible_high_performers": sorted(ids[visible].tolist()),
        "panel": ids[panel].tolist(),
        "slate": ids[slate].tolist(),
        "advocates": {ids[c]: [ids[p] for p in a] for c, a in advocates.items()},
        "advocates_answered": {ids[c]: [ids[p] for p in a if respond[p]] for c, a in advocates.items()},
        "respondents": sorted(ids[respond].tolist()),
        "clean_events": events_total,
        "dirty_interactions": _dirty_truth(per) if dirty else None,
        "dirty_relationships": rel_truth,
        "fairness": {"attribute": S.LOCATION,
                     "gap": None if gap is None else {"location": gap["location"],
                                                      "outcome": gap.get("outcome", "leader"),
                                                      "factor": float(gap.get("factor", 0.5))},
                     "confound": confound},
    }
    history = None
    if careers:
        truth["generator"]["careers"] = True
        history, extra, truth["careers"] = _careers(
            seed, model, team=team, hire=hire, title=lay.title, dept_names=lay.dept_names, respond=respond,
            in_silo=in_silo, hidden=hidden, slate=slate, panel=panel, relationships=relationships, end=end)
        relationships = pd.concat([relationships, extra], ignore_index=True)
    return GeneratedOrg(people=people, relationships=relationships,
                        panel=pd.DataFrame({S.EMPLOYEE_ID: ids[panel]}),
                        slate=pd.DataFrame({S.EMPLOYEE_ID: ids[slate]}),
                        truth=truth, _model=model, history=history)


def _survey(rng, model: _Model, team, panel, slate, advocates, hidden, visible, group,
            in_silo, end, dirty, response_rate=0.75,
            leaders_respond=True) -> tuple[pd.DataFrame, dict | None, np.ndarray]:
    """Declared ties from a survey answered by ``response_rate`` of people (all leaders
    answer when ``leaders_respond``); only those who answer state anything."""
    n = len(model.ids)
    level = model.level
    reports: dict[int, list[int]] = {}
    for i, m in enumerate(model.manager):
        if m >= 0:
            reports.setdefault(int(m), []).append(i)
    respond = rng.random(n) < response_rate
    if leaders_respond:
        respond[level >= HEAD_LEVEL] = True
    hidden_set, slate_set, panel_set = set(hidden.tolist()), set(slate.tolist()), set(panel.tolist())
    group_set = set(group.tolist())
    juniors = np.flatnonzero(level <= SENIOR_LEVEL)
    ties: set[tuple[int, int, str]] = set()

    def circle(i: int, k: int) -> list[int]:
        start, size = model.circle_start[i], model.circle_len[i]
        return (start + rng.integers(0, size, size=k)).tolist()

    def colleagues(i: int, k: int) -> list[int]:
        d = model.dept[i]
        pool = model.dept_pool[model.dept_pool_start[d]:model.dept_pool_start[d] + model.dept_pool_len[d]]
        return rng.choice(pool, size=k).tolist()

    for i in np.flatnonzero(respond).tolist():
        m = int(model.manager[i])
        if m >= 0 and rng.random() < 0.7:
            ties.add((i, m, "advice"))
        for t in circle(i, 1) + colleagues(i, int(rng.integers(0, 2))):
            ties.add((i, t, "advice"))
        known = circle(i, int(rng.integers(1, 3))) + colleagues(i, int(rng.integers(1, 3)))
        if i in group_set:
            known += rng.choice(group, size=2).tolist()
        for t in known:
            ties.add((i, t, "knows_work"))
        if level[i] >= LEAD_LEVEL and rng.random() < 0.3:
            pool = juniors[model.dept[juniors] == model.dept[i]] if in_silo[i] else juniors
            ties.add((i, int(rng.choice(pool)), "mentor"))
        mine = [r for r in reports.get(i, []) if r not in slate_set]
        if level[i] >= LEAD_LEVEL and mine and rng.random() < 0.5:
            for r in rng.choice(mine, size=min(len(mine), int(rng.integers(1, 3))), replace=False):
                ties.add((i, int(r), "advocacy"))
        if level[i] >= HEAD_LEVEL and mine:
            for r in rng.choice(mine, size=min(len(mine), 3), replace=False):
                ties.add((i, int(r), "knows_work"))
    leaders = model.leaders
    for v in visible:
        for src in rng.choice(leaders, size=min(3, len(leaders)), replace=False):
            ties.add((int(src), int(v), "knows_work"))
        ties.add((int(rng.choice(leaders)), int(v), "advocacy"))
    for c, chosen in advocates.items():
        for p in chosen:
            ties.add((int(p), int(c), "advocacy"))

    def allowed(s: int, t: int, rel: str) -> bool:
        if s == t or not respond[s]:
            return False
        if t in hidden_set and (team[s] != team[t] or rel == "advocacy"):
            return False
        if rel == "advocacy" and s in panel_set and t in slate_set:
            return s in advocates.get(t, [])
        return True

    rows = sorted(x for x in ties if allowed(*x))
    date = str(np.datetime64(end) - np.timedelta64(14, "D"))
    frame = pd.DataFrame({S.SOURCE_ID: [model.ids[s] for s, _, _ in rows],
                          S.TARGET_ID: [model.ids[t] for _, t, _ in rows],
                          S.RELATION: [r for _, _, r in rows], S.WEIGHT: 1, S.DATE: date})
    if not dirty:
        return frame, None, respond
    per = max(1, round(len(frame) * 0.005))
    picks = rng.choice(len(frame), size=per, replace=False)
    duplicates = frame.iloc[picks]
    unknown = frame.iloc[rng.choice(len(frame), size=per, replace=False)].assign(
        **{S.TARGET_ID: [f"Q{800000 + j}" for j in range(per)]})
    selves = frame.iloc[rng.choice(len(frame), size=per, replace=False)].copy()
    selves[S.TARGET_ID] = selves[S.SOURCE_ID]
    selves[S.RELATION] = "advice"
    selves = selves.drop_duplicates()
    frame = pd.concat([frame, duplicates, unknown, selves], ignore_index=True)
    frame = frame.sample(frac=1.0, random_state=int(rng.integers(2**31))).reset_index(drop=True)
    truth = {"expected_drops": {"duplicate_row": per, "unknown_target": per,
                                "self_tie": len(selves)}}
    return frame, truth, respond


# -- careers: five years of history, sponsorship over time, career conversations -------------

#: Rates (a year) of the backward promotion process, by the level promoted into: going back
#: in time from the people file, a person at level 2 steps down to level 1 at 0.6 a year, a
#: team lead to level 2 at 0.2, and so on. The level pyramid holds few senior places and
#: nobody leaves, so it takes these rates to realise about 8% a year forward (15-18% over
#: 24 months; about 15% at level 1, 28% at level 2, 8% at levels 3-4) among people at levels
#: 1-4; ``truth["careers"]["base_rate_24m"]`` is the realised share.
_PROMOTION_RATE = {SENIOR_LEVEL: 0.6, LEAD_LEVEL: 0.2, MIDDLE_LEVEL: 0.25, HEAD_LEVEL: 0.2}
_HISTORY_YEARS = 5
_WINDOW_MONTHS = 24
_WAVES = 5
_NEVER = np.iinfo(np.int64).max // 4           # a promotion day that never comes
_MAX_PROMOTIONS = HEAD_LEVEL - IC_LEVEL        # into levels 2-5
_GENERIC_TITLES = {IC_LEVEL: "Specialist", SENIOR_LEVEL: "Senior Specialist", LEAD_LEVEL: "Team Lead",
                   MIDDLE_LEVEL: "Senior Manager"}
_MENTOR_WEIGHT = {IC_LEVEL: 0.5, SENIOR_LEVEL: 5.0, LEAD_LEVEL: 5.0, MIDDLE_LEVEL: 3.0}
_SPONSOR_RELATIONS = ("advocacy", "sponsor")


def _day(date) -> int:
    """An ISO date (or Timestamp) as a day number."""
    return int(np.datetime64(str(date)[:10], "D").astype(np.int64))


def _iso(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


@dataclass
class _Careers:
    """Careers as arrays by person position: the first history row and the promotion days."""

    rng: np.random.Generator
    final: np.ndarray        # level in the people file
    first: np.ndarray        # day of the first history row (hire, or the history start)
    start: np.ndarray        # level on the first row
    prom: np.ndarray         # (n, _MAX_PROMOTIONS) promotion days, ascending, _NEVER for none

    def level_at(self, day: int) -> np.ndarray:
        return self.start + (self.prom <= day).sum(axis=1)

    def level_of(self, i: int, day: int) -> int:
        return int(self.start[i] + (self.prom[i] <= day).sum())

    def promoted(self, lo: int, hi: int) -> np.ndarray:
        """Per person: a promotion in (lo, hi]."""
        return np.asarray(((self.prom > lo) & (self.prom <= hi)).any(axis=1))

    def force_promotion(self, i: int, lo: int, hi: int) -> bool:
        """Make person ``i`` promoted in (lo, hi] (their final level unchanged): keep one already
        there, else bring their next later promotion forward, else add one below (their earlier
        rows one level lower). False when none of these is possible."""
        row = self.prom[i]
        if ((row > lo) & (row <= hi)).any():
            return True
        day = lo + int(self.rng.integers(1, hi - lo + 1))
        later = np.flatnonzero((row > hi) & (row < _NEVER))
        if later.size:
            row[later[0]] = day
            return True
        if self.start[i] >= 2 and self.final[i] <= HEAD_LEVEL:
            row[np.flatnonzero(row == _NEVER)[0]] = day
            row.sort()
            self.start[i] -= 1
            return True
        return False


def _base_careers(rng: np.random.Generator, level: np.ndarray, hire: np.ndarray,
                  history_start: int, end: int) -> _Careers:
    """Promotions drawn backward from the people file: from ``end`` back to their first row a
    person steps down a level at ``_PROMOTION_RATE`` a year, never below level 1 (so every
    promotion is from levels 1-4; the CEO was always CEO). Nobody is promoted above their
    final level."""
    n = len(level)
    first = np.maximum(hire, history_start)
    rate = np.array([_PROMOTION_RATE.get(x, 1.0) for x in range(CEO_LEVEL + 1)])
    into = np.clip(level[:, None] - np.arange(_MAX_PROMOTIONS), 0, CEO_LEVEL)  # the level left, step by step
    back = np.floor(np.cumsum(rng.exponential(size=(n, _MAX_PROMOTIONS)) * 365.25 / rate[into],
                              axis=1)).astype(np.int64)
    days = end - back
    for j in range(1, _MAX_PROMOTIONS):  # distinct days, latest first
        days[:, j] = np.minimum(days[:, j], days[:, j - 1] - 1)
    room = np.where(level >= CEO_LEVEL, 0, np.clip(level - IC_LEVEL, 0, _MAX_PROMOTIONS))
    valid = (days > first[:, None]) & (np.arange(_MAX_PROMOTIONS) < room[:, None])
    prom = np.sort(np.where(valid, days, _NEVER), axis=1)
    return _Careers(rng=rng, final=level.copy(), first=first, start=level - valid.sum(axis=1), prom=prom)


def _careers(seed: int, model: _Model, *, team: np.ndarray, hire: np.ndarray, title: list[str],
             dept_names: list[str], respond: np.ndarray, in_silo: np.ndarray, hidden: np.ndarray,
             slate: np.ndarray, panel: np.ndarray, relationships: pd.DataFrame,
             end: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Five years of career history, dated sponsorship and mentoring, and career conversations.

    Everything is drawn from its own stream (``[seed, 10]``), so the people and the events
    are those of the same organisation without careers.

    Returns
    -------
    tuple of (DataFrame, DataFrame, dict)
        The history, the relationship rows to append, and ``truth["careers"]``.
    """
    rng = np.random.default_rng([seed, 10])
    ids, level, dept, manager = model.ids, model.level, model.dept, model.manager
    n = len(ids)
    end_ts = pd.Timestamp(end)
    end_day = _day(end_ts)
    hire_day = hire.astype("datetime64[D]").astype(np.int64)
    if hire_day.max() > end_day:
        raise ConfigError(f"careers needs end on or after every hire date (the latest is "
                          f"{_iso(int(hire_day.max()))}), got {end}")
    history_start = _day(end_ts - pd.DateOffset(years=_HISTORY_YEARS))
    survey_ts = end_ts - pd.Timedelta(days=14)  # the date of _survey's answers: the last wave
    waves = [_day(survey_ts - pd.DateOffset(years=k)) for k in range(_WAVES - 1, -1, -1)]
    horizon = [_day(pd.Timestamp(_iso(w)) + pd.DateOffset(months=_WINDOW_MONTHS)) for w in waves]
    complete = [k for k in range(_WAVES) if horizon[k] <= end_day]
    car = _base_careers(rng, level.astype(np.int64), hire_day, history_start, end_day)

    existing = relationships[relationships[S.TARGET_ID].isin(set(ids)) & relationships[S.SOURCE_ID].isin(set(ids))]
    pos = {x: i for i, x in enumerate(ids)}
    stated: dict[int, set[int]] = {}  # mentor/advocacy/sponsor targets of each source, before careers
    for s, t in existing.loc[existing[S.RELATION].isin(("mentor",) + _SPONSOR_RELATIONS),
                             [S.SOURCE_ID, S.TARGET_ID]].itertuples(index=False):
        stated.setdefault(pos[s], set()).add(pos[t])
    reports: dict[int, list[int]] = {}
    for i, m in enumerate(manager):
        if m >= 0:
            reports.setdefault(int(m), []).append(i)

    planted = np.zeros(n, dtype=bool)            # a planted sponsor or protégé: one role each
    taken = np.zeros(n, dtype=bool)              # never a planted protégé
    taken[hidden] = True                          # nobody outside their team names them
    taken[slate] = True                           # the panel's advocacy for them is planted already
    taken[panel] = True
    taken[level >= CEO_LEVEL] = True
    rows: list[tuple[int, int, str, int]] = []    # source, target, relation, day
    w0 = waves[0]
    level0 = car.level_at(w0)
    present0 = car.first <= w0

    # own-circle sponsors: team leads or senior managers, senior since the first wave, who
    # name only their own direct reports
    def circle_of(i: int) -> set[int]:
        return set(reports.get(i, [])) | set(np.flatnonzero(team == team[i]).tolist())

    eligible_reports = {i: [r for r in reports.get(i, []) if not taken[r] and car.first[r] <= waves[2]]
                        for i in np.flatnonzero((level >= LEAD_LEVEL) & (level <= MIDDLE_LEVEL)).tolist()}
    own_pool = [i for i, r in eligible_reports.items()
                if respond[i] and present0[i] and level0[i] == level[i] and len(r) >= 5
                and stated.get(i, set()) <= circle_of(i)]
    own = sorted(rng.choice(own_pool, size=min(2, len(own_pool)), replace=False).tolist()) if own_pool else []
    planted[own] = True
    for i in own:
        chosen = [r for r in rng.permutation(eligible_reports[i]).tolist() if r not in own][:8]
        planted[chosen] = True
        for r in chosen:
            options = [k for k in range(3) if car.first[r] <= waves[k]]
            rows.append((i, r, "advocacy", waves[int(rng.choice(options))]))

    # good and ordinary sponsors: senior (levels 4-6, 3 in small organisations) since the
    # first wave, outside the silo departments, answering the survey
    n_good = max(2, round(3 * n / 1000))
    n_ordinary = max(3, round(5 * n / 1000))
    base = respond & present0 & ~in_silo & ~planted
    pool = np.flatnonzero(base & (level0 >= MIDDLE_LEVEL))
    if len(pool) < n_good + n_ordinary:
        pool = np.flatnonzero(base & (level0 >= LEAD_LEVEL))
    picked = rng.choice(pool, size=min(len(pool), n_good + n_ordinary), replace=False)
    good = sorted(picked[:n_good].tolist())
    ordinary = sorted(picked[n_good:].tolist())
    planted[picked] = True
    open_people = np.flatnonzero(~in_silo)

    def pick(wave: int, below: int, test) -> int | None:
        """A random untaken person outside the silos, present at ``wave`` at a level in 1-4
        below ``below``, passing ``test(i, level)``."""
        w = waves[wave]

        def ok(i: int) -> bool:
            if taken[i] or planted[i] or car.first[i] > w:
                return False
            lvl = car.level_of(i, w)
            return IC_LEVEL <= lvl <= MIDDLE_LEVEL and lvl < below and test(i, lvl)

        for i in rng.choice(open_people, size=min(400, len(open_people))).tolist():
            if ok(i):
                return int(i)
        found = [int(i) for i in rng.permutation(open_people).tolist() if ok(i)]
        return found[0] if found else None

    for g in good:
        k = int(rng.integers(12, 16))
        wave_of = rng.permutation(np.resize(np.arange(3), k))
        lift = rng.permutation(np.arange(k) < round(0.6 * k))
        for wave, up in zip(wave_of.tolist(), lift.tolist()):
            w, w2 = waves[wave], horizon[wave]
            below = car.level_of(g, w)
            if up:  # promoted in the window already, or can be (force_promotion)
                def can(i: int, lvl: int, w: int = w) -> bool:
                    row = car.prom[i]
                    return bool(((row > w) & (row < _NEVER)).any()) or \
                        (car.start[i] >= 2 and car.final[i] <= HEAD_LEVEL)
                who = pick(wave, below, can)
                if who is not None:
                    car.force_promotion(who, w, w2)
            else:
                who = pick(wave, below, lambda i, lvl, w=w, w2=w2: not ((car.prom[i] > w) & (car.prom[i] <= w2)).any())
            if who is not None:
                planted[who] = True
                rows.append((g, who, "advocacy", w))
    for o in ordinary:
        for wave in rng.permutation(np.resize(np.arange(3), int(rng.integers(8, 12)))).tolist():
            who = pick(wave, car.level_of(o, waves[wave]), lambda i, lvl: True)
            if who is not None:
                planted[who] = True
                rows.append((o, who, "advocacy", waves[wave]))
    # ties stated in the year after the protégé's promotion (not sponsorship of it)
    stating = ordinary or good
    for j in range(max(4, round(n / 200)) if stating else 0):
        o = stating[j % len(stating)]
        wave = int(rng.integers(1, 4))
        w = waves[wave]
        who = pick(wave, car.level_of(o, w),
                   lambda i, lvl, w=w: bool(((car.prom[i] > w - 365) & (car.prom[i] < w)).any()))
        if who is not None:
            planted[who] = True
            rows.append((o, who, "advocacy", w))

    rows += _mentoring(rng, car, waves, respond, level, dept, in_silo, hidden, slate, own)
    conversations, no_manager, no_conversation = _conversations(rng, model, respond, in_silo, hidden,
                                                                slate, waves[-1])
    rows += conversations
    moved = _moves(rng, car, model, taken | planted, end_day)

    history = _history_frame(car, model, title, dept_names, moved, hire_day, history_start)
    known = set(existing[[S.SOURCE_ID, S.TARGET_ID, S.RELATION, S.DATE]].itertuples(index=False, name=None))
    out = sorted({(ids[s], ids[t], r, _iso(d)) for s, t, r, d in rows} - known,  # never a copy of an answer there
                 key=lambda x: (x[3], x[0], x[2], x[1]))
    extra = pd.DataFrame({S.SOURCE_ID: [x[0] for x in out], S.TARGET_ID: [x[1] for x in out],
                          S.RELATION: [x[2] for x in out], S.WEIGHT: 1, S.DATE: [x[3] for x in out]})
    truth = _careers_truth(car, ids, pd.concat([relationships, extra], ignore_index=True), waves, horizon,
                           complete, history_start, end_day, good, ordinary, own, no_manager, no_conversation)
    return history, extra, truth


def _mentoring(rng: np.random.Generator, car: _Careers, waves: list[int], respond: np.ndarray,
               level: np.ndarray, dept: np.ndarray, in_silo: np.ndarray, hidden: np.ndarray,
               slate: np.ndarray, own: list[int]) -> list[tuple[int, int, str, int]]:
    """Mentoring stated at every wave by 30% of the answering people at levels 3 and up, each
    about one person below them, chosen by their level then (``_MENTOR_WEIGHT``: levels 2-3
    ten times as often as level 1, so more level-1 people have no mentor); within the
    department when either side is in a silo; never about a hidden person or the slate."""
    n = len(level)
    rows: list[tuple[int, int, str, int]] = []
    barred = np.zeros(n, dtype=bool)
    barred[hidden] = True
    barred[slate] = True
    for w in waves:
        lvl = car.level_at(w)
        present = car.first <= w
        mentors = np.flatnonzero(respond & present & (lvl >= LEAD_LEVEL) & ~np.isin(np.arange(n), own))
        mentors = mentors[rng.random(len(mentors)) < 0.3]
        weight = np.array([_MENTOR_WEIGHT.get(x, 0.0) for x in range(CEO_LEVEL + 1)])[np.minimum(lvl, CEO_LEVEL)]
        weight = np.where(present & ~barred, weight, 0.0)
        # mentors alike (level, and department when in a silo) draw from one pool
        key = lvl[mentors] * 1000 + np.where(in_silo[mentors], dept[mentors], -1)
        for k in np.unique(key).tolist():
            group = mentors[key == k]
            m = int(group[0])
            w_m = np.where(lvl < lvl[m], weight, 0.0)  # never the mentor themself
            w_m = np.where(dept == dept[m], w_m, 0.0) if in_silo[m] else np.where(in_silo, 0.0, w_m)
            total = w_m.sum()
            if total > 0:
                targets = rng.choice(n, size=len(group), p=w_m / total)
                rows += [(int(s), int(t), "mentor", w) for s, t in zip(group, targets)]
    return rows


def _conversations(rng: np.random.Generator, model: _Model, respond: np.ndarray, in_silo: np.ndarray,
                   hidden: np.ndarray, slate: np.ndarray,
                   day: int) -> tuple[list[tuple[int, int, str, int]], list[int], list[int]]:
    """Career conversations stated at the last wave: about 60% of the answering people name
    their manager, 15% a senior leader (their own department's head in a silo; never for a
    hidden person), the rest nobody. At least three answering slate candidates have the
    conversation with their manager and three do not, when the slate has that many answering.
    Returns the rows, the answering people with a manager and no conversation with them, and
    the answering people with none at all."""
    n = len(model.ids)
    manager, level, dept = model.manager, model.level, model.dept
    seniors = np.flatnonzero(level >= HEAD_LEVEL)
    open_seniors = seniors[~in_silo[seniors]]
    head_of = {int(dept[h]): int(h) for h in seniors.tolist()}
    hidden_set = set(hidden.tolist())
    u = rng.random(n)
    choice = rng.choice(open_seniors, size=n)
    who: dict[int, int | None] = {}   # answering person -> the senior leader named, or None
    with_manager = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(respond).tolist():
        m = int(manager[i])
        senior: int | None = None
        if u[i] < 0.6 and m >= 0:
            with_manager[i] = True
        elif u[i] < 0.75 and i not in hidden_set:
            senior = head_of.get(int(dept[i])) if in_silo[i] else int(choice[i])
            if senior in (i, m):
                senior = None
        who[i] = senior
    answering = [int(c) for c in slate if respond[c]]
    half = min(3, len(answering) // 2)
    have = [c for c in answering if with_manager[c]]
    lack = [c for c in answering if not with_manager[c]]
    for c in lack[:max(0, half - len(have))]:
        with_manager[c] = True
    for c in have[:max(0, half - len(lack))]:
        with_manager[c] = False
    rows = []
    for i, senior in who.items():
        if with_manager[i]:
            rows.append((i, int(manager[i]), "career_conversation", day))
        if senior is not None:
            rows.append((i, senior, "career_conversation", day))
    no_manager = [i for i in who if manager[i] >= 0 and not with_manager[i]]
    no_conversation = [i for i, s in who.items() if not with_manager[i] and s is None]
    return rows, no_manager, no_conversation


def _moves(rng: np.random.Generator, car: _Careers, model: _Model, taken: np.ndarray,
           end_day: int) -> dict[int, tuple[int, int, int]]:
    """A few moves: 5% of the people at levels 1-2 outside the executive office and the
    planted roles came from another department (under one of its team leads) on a day
    after their first row. Returns person -> (day, department before, manager before)."""
    n = len(model.ids)
    level, dept = model.level, model.dept
    n_depts = int(dept.max()) + 1
    leads = {d: np.flatnonzero((dept == d) & (level == LEAD_LEVEL)) for d in range(1, n_depts)}
    able = ~taken & (level <= SENIOR_LEVEL) & (dept > 0) & (car.first < end_day - 1)
    chosen = np.flatnonzero(able & (rng.random(n) < 0.05))
    moved = {}
    for i in chosen.tolist():
        others = [d for d in range(1, n_depts) if d != dept[i] and len(leads[d])]
        if not others:
            continue
        day = int(rng.integers(car.first[i] + 1, end_day + 1))
        while day in car.prom[i] and day > car.first[i] + 1:
            day -= 1
        if day in car.prom[i]:
            continue
        before = int(rng.choice(others))
        moved[i] = (day, before, int(rng.choice(leads[before])))
    return moved


def _history_frame(car: _Careers, model: _Model, title: list[str], dept_names: list[str],
                   moved: dict[int, tuple[int, int, int]], hire_day: np.ndarray,
                   history_start: int) -> pd.DataFrame:
    """One row per change, by employee_id and date: the first row (``hire`` on the hire date
    for people hired within the history, ``start`` on the history start for the others),
    then promotions (``promotion``, one level up) and moves (``move``, into the department
    of the people file)."""
    ids, dept, manager = model.ids, model.dept, model.manager
    n = len(ids)
    has = car.prom < _NEVER
    move_people = np.array(sorted(moved), dtype=np.int64)
    person = np.concatenate([np.arange(n), np.nonzero(has)[0], move_people])
    day = np.concatenate([car.first, car.prom[has], np.array([moved[i][0] for i in move_people.tolist()],
                                                             dtype=np.int64)])
    kind = np.concatenate([np.where(hire_day[np.arange(n)] >= history_start, "hire", "start"),
                           np.full(int(has.sum()), "promotion"), np.full(len(move_people), "move")])
    lvl = car.start[person] + (car.prom[person] <= day[:, None]).sum(axis=1)
    move_day = np.full(n, -1, dtype=np.int64)
    before_dept, before_manager = dept.copy(), manager.copy()
    for i, (d, bd, bm) in moved.items():
        move_day[i], before_dept[i], before_manager[i] = d, bd, bm
    earlier = day < move_day[person]
    where = np.where(earlier, before_dept[person], dept[person])
    boss = np.where(earlier, before_manager[person], manager[person])
    final_title = np.array(title, dtype=object)[person]
    generic = np.array([_GENERIC_TITLES.get(int(x), "") for x in lvl], dtype=object)
    frame = pd.DataFrame({
        S.EMPLOYEE_ID: ids[person], S.DATE: [_iso(d) for d in day.tolist()], S.LEVEL: lvl,
        S.TITLE: np.where(lvl == car.final[person], final_title, generic),
        S.DEPARTMENT: np.array(dept_names, dtype=object)[where],
        S.MANAGER_ID: np.where(boss >= 0, ids[np.maximum(boss, 0)], ""), "event": kind})
    return frame.sort_values([S.EMPLOYEE_ID, S.DATE], ignore_index=True)


def _careers_truth(car: _Careers, ids: np.ndarray, relationships: pd.DataFrame, waves: list[int],
                   horizon: list[int], complete: list[int], history_start: int, end_day: int,
                   good: list[int], ordinary: list[int], own: list[int], no_manager: list[int],
                   no_conversation: list[int]) -> dict:
    """``truth["careers"]``, with the promotion shares realised in the history."""
    n = len(ids)
    pos = {x: i for i, x in enumerate(ids)}
    rel = relationships[relationships[S.SOURCE_ID].isin(pos) & relationships[S.TARGET_ID].isin(pos)
                        & (relationships[S.SOURCE_ID] != relationships[S.TARGET_ID])]
    named = set(rel.loc[rel[S.RELATION].isin(("mentor",) + _SPONSOR_RELATIONS), S.TARGET_ID])
    sponsor = rel[rel[S.RELATION].isin(_SPONSOR_RELATIONS)].drop_duplicates([S.SOURCE_ID, S.TARGET_ID, S.DATE])
    ties = [(pos[s], pos[t], _day(d)) for s, t, d in
            sponsor[[S.SOURCE_ID, S.TARGET_ID, S.DATE]].itertuples(index=False)]
    dates = {d for _, _, d in ties}
    ahead = {d: _day(pd.Timestamp(_iso(d)) + pd.DateOffset(months=_WINDOW_MONTHS)) for d in dates}
    behind = {d: _day(pd.Timestamp(_iso(d)) - pd.DateOffset(months=_WINDOW_MONTHS)) for d in dates}

    def up(t: int, lo: int, hi: int) -> bool:
        return bool(((car.prom[t] > lo) & (car.prom[t] <= hi)).any())

    after = sorted((ids[s], ids[t], _iso(d)) for s, t, d in ties if up(t, behind[d], d))
    first_sponsored = np.full(n, _NEVER, dtype=np.int64)
    for _, t, d in ties:
        first_sponsored[t] = min(first_sponsored[t], d)
    hits = windows = 0
    by_level: dict[str, list[int]] = {}
    for k in complete:
        w = waves[k]
        lvl = car.level_at(w)
        at = (car.first <= w) & (lvl >= IC_LEVEL) & (lvl <= MIDDLE_LEVEL) & (first_sponsored > w)
        rose = car.promoted(w, horizon[k])
        hits += int((at & rose).sum())
        windows += int(at.sum())
        for x in range(IC_LEVEL, MIDDLE_LEVEL + 1):
            counts = by_level.setdefault(str(x), [0, 0])
            counts[0] += int((at & rose & (lvl == x)).sum())
            counts[1] += int((at & (lvl == x)).sum())

    def share(sources: list[int]) -> float | None:
        chosen = set(sources)
        outcomes = [up(t, d, ahead[d]) for s, t, d in ties if s in chosen and ahead[d] <= end_day]
        return round(float(np.mean(outcomes)), 4) if outcomes else None

    return {
        "window_months": _WINDOW_MONTHS,
        "history_start": _iso(history_start),
        "history_end": _iso(end_day),
        "survey_dates": [_iso(w) for w in waves],
        "good_sponsors": sorted(ids[good].tolist()),
        "ordinary_sponsors": sorted(ids[ordinary].tolist()),
        "own_circle_sponsors": sorted(ids[own].tolist()),
        "ties_after_promotion": [list(x) for x in after],
        "neither_mentor_nor_sponsor": sorted(set(ids.tolist()) - named),
        "no_manager_conversation": sorted(ids[no_manager].tolist()),
        "no_conversation": sorted(ids[no_conversation].tolist()),
        "base_rate_24m": round(hits / windows, 4) if windows else None,
        "base_rate_24m_by_level": {x: round(h / c, 4) if c else None for x, (h, c) in by_level.items()},
        "protege_promotion_24m": {"good_sponsors": share(good), "ordinary_sponsors": share(ordinary),
                                  "own_circle_sponsors": share(own)},
    }


def write_organisation(org: GeneratedOrg, out_dir: str | Path, *, fmt: str = "csv") -> list[Path]:
    """Write people, relationships, panel, slate, history (when generated with careers),
    interactions (streamed) and truth.json.

    Parameters
    ----------
    org : GeneratedOrg
        A generated organisation (:func:`generate_organisation`).
    out_dir : str or Path
        The folder to write (created if missing).
    fmt : {"csv", "parquet"}, default "csv"
        Format of the interaction log; the other tables are always CSV.

    Returns
    -------
    list of Path
        The files written, in order.

    Examples
    --------
    >>> import tempfile
    >>> org = generate_organisation(80, seed=3, events_per_person=5)
    >>> [p.name for p in write_organisation(org, tempfile.mkdtemp())][:2]
    ['people.csv', 'relationships.csv']
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt not in ("csv", "parquet"):
        raise ConfigError(f"format must be 'csv' or 'parquet', got {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (("people", org.people), ("relationships", org.relationships),
                        ("panel", org.panel), ("slate", org.slate)):
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    if org.history is not None:
        path = out / "history.csv"
        org.history.to_csv(path, index=False)
        written.append(path)
    path = out / f"interactions.{fmt}"
    writer = None
    try:
        for table in org._model.event_tables():
            table = table.cast(_EVENT_SCHEMA)
            if writer is None:
                writer = (pacsv.CSVWriter(path, table.schema,
                                          write_options=pacsv.WriteOptions(quoting_style="needed"))
                          if fmt == "csv" else pq.ParquetWriter(path, table.schema))
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    written.append(path)
    truth_path = out / "truth.json"
    truth_path.write_text(json.dumps(org.truth, indent=1) + "\n")
    written.append(truth_path)
    return written
