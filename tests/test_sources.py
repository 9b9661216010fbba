"""Imports from other tools, each on small files written in the tool's real format, with the
numbers worked out by hand."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import ona
from ona.cli import main
from ona.errors import InputError

from .conftest import write

# --- Viva Insights person-to-person query ------------------------------------------------

VIVA = """
PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Collaboration_hours,Strong_tie_score,Strong_tie_type,PrimaryCollaborator_Organization,SecondaryCollaborator_Organization,PrimaryCollaborator_LevelDesignation,SecondaryCollaborator_LevelDesignation
a1f0,b2e1,4/28/2024,1.5,0.8,1,Sales,Finance,Manager,Senior IC
a1f0,b2e1,5/5/2024,0.5,0.4,0,Sales,Finance,Manager,Senior IC
b2e1,c3d2,5/5/2024,3.0,0.9,1,Finance,Finance,Senior IC,Junior IC
a1f0,c3d2,5/5/2024,0.25,0.1,0,Marketing,Finance,Director,Junior IC
"""


def test_viva_export_loads_with_people_from_attributes(tmp_path: Path) -> None:
    export = write(tmp_path, "p2p_export.csv", VIVA)
    imported = ona.read_viva_p2p(export)
    people = imported.people.set_index("employee_id")
    # a1f0 moved from Sales to Marketing in the latest period: the latest value wins
    assert people["department"].to_dict() == {"a1f0": "Marketing", "b2e1": "Finance", "c3d2": "Finance"}
    assert people.loc["a1f0", "leveldesignation"] == "Director"
    # hours x 2: 1.5 h -> 3, 0.5 h -> 1, 3 h -> 6, 0.25 h -> 0.5
    assert imported.interactions["weight"].tolist() == [3.0, 1.0, 6.0, 0.5]
    assert imported.counts["periods"] == 2
    net = imported.network()
    ties = net.ties.set_index(["source_id", "target_id"])["weight"]
    assert ties[("a1f0", "b2e1")] == pytest.approx(4.0)
    assert ties[("b2e1", "c3d2")] == pytest.approx(6.0)
    assert net.layers == ["collaboration"]
    # the time window applies to MetricDate: only the first week
    first = ona.from_frames(imported.people, imported.interactions, until="2024-04-30")
    assert first.ties["weight"].tolist() == [3.0]


def test_viva_weight_column_and_command_line(tmp_path: Path, capsys) -> None:
    export = write(tmp_path, "p2p.csv", VIVA)
    scored = ona.read_viva_p2p(export, weight="Strong_tie_score")
    assert scored.interactions["weight"].tolist() == [0.8, 0.4, 0.9, 0.1]
    per_row = ona.read_viva_p2p(export, weight=None)
    assert per_row.interactions["weight"].tolist() == [1.0] * 4
    data = tmp_path / "data"
    assert main(["import", "viva", str(export), "--out", str(data)]) == 0
    assert "next: ona analyze" in capsys.readouterr().out
    assert sorted(p.name for p in data.iterdir()) == ["interactions.csv", "people.csv"]
    net = ona.load(data)
    assert len(net.people) == 3
    table = ona.people_metrics(net)
    # pairs with weight >= 2: a1f0-b2e1 (4) and b2e1-c3d2 (6); a1f0-c3d2 (0.5) is not a tie
    assert table["degree"].to_dict() == {"a1f0": 1, "b2e1": 2, "c3d2": 1}


def test_viva_bad_values_name_file_row_and_column(tmp_path: Path) -> None:
    bad = write(tmp_path, "p2p.csv", VIVA.replace("3.0,0.9", "three,0.9"))
    with pytest.raises(InputError) as err:
        ona.read_viva_p2p(bad)
    text = str(err.value)
    assert "p2p.csv" in text and "collaboration_hours" in text and "row 4" in text
    missing = write(tmp_path, "other.csv", "PersonId,MetricDate\nx,2024-05-05\n")
    with pytest.raises(InputError, match="PrimaryCollaborator_PersonId"):
        ona.read_viva_p2p(missing)


# --- generic edge list --------------------------------------------------------------------

def test_edge_list_with_column_mapping_and_people(tmp_path: Path) -> None:
    edges = write(tmp_path, "edges.csv", """
        From,To,Value,Day
        e1,e2,3,2024-02-01
        e2,e3,1,2024-02-02
        e1,e3,,2024-02-03
        e4,,2,2024-02-04
    """)
    people = write(tmp_path, "hr.csv", """
        employee_id,department
        e1,Ops
        e2,Ops
        e3,Legal
        e4,Legal
    """)
    imported = ona.read_edge_list(edges, columns={"source": "From", "target": "To",
                                                  "weight": "Value", "date": "Day"}, people=people)
    assert imported.counts == {"rows_read": 4, "rows_without_both_ends": 1, "people": 4}
    assert imported.interactions["weight"].tolist() == [3.0, 1.0, 1.0]  # empty weight: 1
    net = imported.network()
    assert net.people.loc["e3", "department"] == "Legal"
    assert net.interactions.first_event == pd.Timestamp("2024-02-01")
    declared = ona.read_edge_list(edges, columns={"source": "From", "target": "To", "weight": "Value"},
                                  relation="advice", people=people)
    assert declared.interactions is None
    assert declared.network().layers == ["advice"]
    with pytest.raises(InputError, match="source"):
        ona.read_edge_list(edges)  # no 'source' column and no mapping


def test_edge_list_command_line(tmp_path: Path) -> None:
    edges = write(tmp_path, "g.csv", "u,v,w\nx,y,2\ny,z,5\n")
    out = tmp_path / "data"
    assert main(["import", "edges", str(edges), "--columns", "source=u,target=v,weight=w",
                 "--out", str(out)]) == 0
    net = ona.load(out)
    assert net.ties["weight"].tolist() == [2.0, 5.0]
    assert set(net.people["department"]) == {"Unassigned"}


# --- Slack workspace export ------------------------------------------------------------------

USERS = [
    {"id": "U01", "name": "ann", "real_name": "Ann Lee", "profile": {"email": "ann@acme.org", "title": "Analyst"}},
    {"id": "U02", "name": "bo", "real_name": "Bo Chan", "profile": {"email": "bo@acme.org"}},
    {"id": "U03", "name": "cy", "deleted": True, "profile": {"real_name": "Cy Diaz", "email": "cy@acme.org"}},
    {"id": "B01", "name": "deploybot", "is_bot": True, "profile": {}},
    {"id": "USLACKBOT", "name": "slackbot", "profile": {}},
]
GENERAL = [
    {"type": "message", "subtype": "channel_join", "user": "U02", "ts": "1714550000.000100", "text": "joined"},
    {"type": "message", "user": "U01", "ts": "1714557600.000200", "text": "plan for Q3, thoughts <@U02>?",
     "thread_ts": "1714557600.000200", "reply_count": 2},
    {"type": "message", "user": "U02", "ts": "1714557700.000300", "text": "yes, and <@U03|cy> too",
     "thread_ts": "1714557600.000200", "parent_user_id": "U01"},
    {"type": "message", "user": "U03", "ts": "1714557800.000400", "text": "agreed",
     "thread_ts": "1714557600.000200"},
    {"type": "message", "user": "U02", "ts": "1714560000.000500", "text": "lunch anyone?"},
    {"type": "message", "subtype": "bot_message", "bot_id": "B01", "ts": "1714561000.000600", "text": "deployed"},
]
DM = [{"type": "message", "user": "U03", "ts": "1714640000.000700", "text": "quick question"}]


def _slack_export(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "users.json").write_text(json.dumps(USERS))
    (root / "channels.json").write_text(json.dumps([{"id": "C01", "name": "general",
                                                     "members": ["U01", "U02", "U03"]}]))
    (root / "dms.json").write_text(json.dumps([{"id": "D01", "members": ["U01", "U03"]}]))
    (root / "general").mkdir()
    (root / "general" / "2024-05-01.json").write_text(json.dumps(GENERAL))
    (root / "D01").mkdir()
    (root / "D01" / "2024-05-02.json").write_text(json.dumps(DM))
    return root


def test_slack_export_folder_and_zip(tmp_path: Path) -> None:
    folder = _slack_export(tmp_path / "Acme Slack export")
    imported = ona.read_slack_export(folder)
    events = imported.interactions[["sender_id", "recipient_ids"]].to_records(index=False).tolist()
    # post mentions U02; reply by U02 goes to the thread author U01 and mentions U03;
    # U03's reply finds the author through the thread root; the DM goes to the other member
    assert events == [("U01", "U02"), ("U02", "U01;U03"), ("U03", "U01"), ("U03", "U01")]
    assert imported.interactions["timestamp"].iloc[0] == "2024-05-01T10:00:00Z"
    assert imported.counts["system_messages"] == 1 and imported.counts["bot_messages"] == 1
    assert imported.counts["posts_addressing_no_one"] == 1  # "lunch anyone?"
    assert imported.people["employee_id"].tolist() == ["U01", "U02", "U03"]  # bots left out
    assert "text" not in imported.interactions.columns
    # the same export zipped with its top folder, as Slack's download often is
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in folder.rglob("*.json"):
            z.write(path, f"Acme Slack export/{path.relative_to(folder).as_posix()}")
    zipped = ona.read_slack_export(archive)
    assert zipped.interactions.equals(imported.interactions)
    # matched to HR ids by e-mail; U03 has left the company and is not on the HR list
    hr = write(tmp_path, "hr.csv", """
        employee_id,department,email
        1001,Strategy,ANN@acme.org
        1002,Finance,bo@acme.org
    """)
    matched = ona.match_people(imported, hr, on="email")
    assert matched.interactions[["sender_id", "recipient_ids"]].to_records(index=False).tolist() == \
        [("1001", "1002"), ("1002", "1001;unmatched:U03")]
    assert matched.counts["unmatched_senders"] == 2 and matched.counts["unmatched_recipients"] == 1
    net = matched.network()
    assert net.ties["weight"].tolist() == [1.0, 0.5]  # 1002's reply went to two people


def test_slack_command_line_writes_a_data_folder(tmp_path: Path) -> None:
    folder = _slack_export(tmp_path / "export")
    out = tmp_path / "data"
    assert main(["import", "slack", str(folder), "--out", str(out)]) == 0
    assert len(ona.load(out).people) == 3
    assert main(["import", "slack", str(tmp_path / "nothing"), "--out", str(out)]) == 2


# --- calendar .ics -------------------------------------------------------------------------

ANN_ICS = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//EN",
    "BEGIN:VEVENT", "UID:m1@acme.org", "DTSTART;TZID=Europe/Paris:20240502T090000",
    "DTEND;TZID=Europe/Paris:20240502T100000", "SUMMARY:Budget (never read)",
    'ORGANIZER;CN="Lee, Ann":mailto:ann@acme.org',
    "ATTENDEE;CN=Bo;PARTSTAT=ACCEPTED:mailto:bo@acme.org",
    "ATTENDEE;CN=Cy;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:cy@a",
    " cme.org",
    "ATTENDEE;CUTYPE=ROOM:mailto:room-4@acme.org",
    "ATTENDEE;PARTSTAT=DECLINED:mailto:di@acme.org",
    "BEGIN:VALARM", "TRIGGER:-PT15M", "ACTION:DISPLAY", "END:VALARM",
    "END:VEVENT",
    "BEGIN:VEVENT", "UID:m2@acme.org", "DTSTART:20240503T140000Z", "DURATION:PT45M",
    "RRULE:FREQ=WEEKLY;COUNT=4", "ORGANIZER:mailto:ann@acme.org", "ATTENDEE:mailto:bo@acme.org",
    "END:VEVENT",
    "BEGIN:VEVENT", "UID:m3@acme.org", "STATUS:CANCELLED", "DTSTART:20240504T140000Z",
    "ORGANIZER:mailto:ann@acme.org", "ATTENDEE:mailto:bo@acme.org", "END:VEVENT",
    "BEGIN:VEVENT", "UID:m4@acme.org", "DTSTART;VALUE=DATE:20240506",
    "ORGANIZER:mailto:ann@acme.org", "ATTENDEE:mailto:bo@acme.org", "END:VEVENT",
    "END:VCALENDAR", ""])
# Bo's calendar holds the same budget meeting (same UID) and one of his own
BO_ICS = "\r\n".join([
    "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:m1@acme.org", "DTSTART;TZID=Europe/Paris:20240502T090000",
    "DTEND;TZID=Europe/Paris:20240502T100000", "ORGANIZER:mailto:ann@acme.org",
    "ATTENDEE:mailto:bo@acme.org", "END:VEVENT",
    "BEGIN:VEVENT", "UID:m5@acme.org", "DTSTART:20240507T080000Z", "DTEND:20240507T083000Z",
    "ORGANIZER:mailto:bo@acme.org", "ATTENDEE:mailto:bo@acme.org", "END:VEVENT",
    "END:VCALENDAR", ""])


def test_ics_meetings(tmp_path: Path) -> None:
    (tmp_path / "cal").mkdir()
    (tmp_path / "cal" / "ann.ics").write_text(ANN_ICS, newline="")
    (tmp_path / "cal" / "bo.ics").write_text(BO_ICS, newline="")
    imported = ona.read_ics(tmp_path / "cal")
    rows = imported.interactions.to_dict("records")
    assert rows == [
        # 09:00 Paris summer time is 07:00 UTC; the folded attendee line is joined
        {"timestamp": "2024-05-02T07:00:00Z", "channel": "meeting", "sender_id": "ann@acme.org",
         "recipient_ids": "bo@acme.org;cy@acme.org", "duration_minutes": 60.0},
        {"timestamp": "2024-05-03T14:00:00Z", "channel": "meeting", "sender_id": "ann@acme.org",
         "recipient_ids": "bo@acme.org", "duration_minutes": 45.0},
    ]
    c = imported.counts
    assert (c["entries_read"], c["duplicates"], c["cancelled"], c["all_day_entries"],
            c["without_attendees"], c["declined_attendees"], c["rooms_and_resources"],
            c["recurring_series_counted_once"]) == (6, 1, 1, 1, 1, 1, 1, 1)
    net = imported.network()
    ties = net.ties.set_index(["source_id", "target_id"])["weight"]
    # one hour, three people: p = 2 / 2 = 1 organiser -> attendee; 45 min one-to-one: 1.5
    assert ties[("ann@acme.org", "bo@acme.org")] == pytest.approx(1.0 + 1.5)
    assert ties[("ann@acme.org", "cy@acme.org")] == pytest.approx(1.0)
    assert ties[("bo@acme.org", "cy@acme.org")] == pytest.approx(0.5)
    out = tmp_path / "data"
    assert main(["import", "ics", str(tmp_path / "cal" / "ann.ics"), str(tmp_path / "cal" / "bo.ics"),
                 "--out", str(out)]) == 0
    assert len(ona.load(out).people) == 3
