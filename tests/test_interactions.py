"""The weighting rule and row accounting of event aggregation, on logs worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import ona
from ona.errors import ConfigError, InputError
from ona.interactions import Weighting

from .conftest import write

IDS = ["a", "b", "c", "d", "e"]


def _people(folder):
    write(folder, "people.csv", "employee_id,department\n" + "\n".join(f"{i},D" for i in IDS))


def _load(folder, log: str, **kwargs):
    _people(folder)
    write(folder, "interactions.csv", log)
    return ona.load(folder, **kwargs)


def _weights(net) -> dict[tuple[str, str, str], float]:
    return {(r.source_id, r.target_id, r.layer): r.weight for r in net.ties.itertuples()}


def test_one_to_one_message_weighs_one_and_mass_email_splits(tmp_path):
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,a,b
        2024-03-01T10:00:00Z,email,a,b;c;d;e
    """)
    w = _weights(net)
    # 1:1 email = 1; an email to four people gives each pair 1/4
    assert w[("a", "b", "email")] == pytest.approx(1 + 1 / 4)
    assert w[("a", "c", "email")] == pytest.approx(1 / 4)
    counts = {(r.source_id, r.target_id): r.count for r in net.ties.itertuples()}
    assert counts[("a", "b")] == 2 and counts[("a", "c")] == 1


def test_weights_equal_in_arithmetic_are_equal_whatever_the_order_of_adding(tmp_path):
    """0.1 + 0.2 is not 0.3 in floating point: summed weights are rounded to 10 decimals, so
    two ties with the same arithmetic total compare equal (and a rerun, which may add in
    another order, keeps the same ties)."""
    assert 0.1 + 0.2 != 0.3
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids,weight
        2024-03-01T09:00:00Z,email,a,b,0.1
        2024-03-01T10:00:00Z,email,a,b,0.2
        2024-03-01T11:00:00Z,email,a,c,0.3
        2024-03-01T12:00:00Z,email,a,d,0.3333333333333333
    """)
    w = _weights(net)
    assert w[("a", "b", "email")] == w[("a", "c", "email")] == 0.3
    assert w[("a", "d", "email")] == 0.3333333333


def test_people_outside_the_list_still_count_toward_event_size(tmp_path):
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,a,b;outsider1;outsider2;outsider3
    """)
    assert _weights(net) == {("a", "b", "email"): pytest.approx(1 / 4)}
    assert {d.reason: d.count for d in net.quality.drops} == {"unknown_recipient": 3}


def test_meeting_weight_grows_with_duration_and_shrinks_with_size(tmp_path):
    # 60-minute meeting, organiser a, attendees b and c: m = 3 participants,
    # d = 60 / 30 = 2, each pair p = 2 / (3 - 1) = 1.
    # 30-minute one-to-one meeting a -> d: p = 1 / 1 = 1.
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids,duration_minutes
        2024-03-01T09:00:00Z,meeting,a,b;c,60
        2024-03-01T11:00:00Z,meeting,a,d,30
        2024-03-01T12:00:00Z,call,a,e,
    """)
    w = _weights(net)
    assert w[("a", "b", "meeting")] == pytest.approx(1.0)
    assert w[("a", "c", "meeting")] == pytest.approx(1.0)
    # attendees meet each other too: p / 2 in each direction
    assert w[("b", "c", "meeting")] == pytest.approx(0.5)
    assert w[("c", "b", "meeting")] == pytest.approx(0.5)
    assert w[("a", "d", "meeting")] == pytest.approx(1.0)
    assert w[("a", "e", "call")] == pytest.approx(1.0)  # no duration: 30 minutes assumed
    # each participant gets w * d = 2 in all from the first meeting
    graph = net.graph(layers=["meeting"])
    assert graph.degree("b", weight="weight") == pytest.approx(2.0)  # 1 with a + 1 with c
    assert graph.degree("c", weight="weight") == pytest.approx(2.0)
    undirected = {tuple(sorted(e)): d["count"] for *e, d in graph.edges(data=True)}
    assert undirected[("b", "c")] == 1.0  # one shared meeting


def test_mass_events_make_no_ties_and_their_senders_are_reported(tmp_path):
    # a meeting of 5 with a cap of 4 participants, a message to 3 with a cap of 2
    # recipients: both are mass events; the small meeting and the 1:1 stay
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids,duration_minutes
        2024-03-01T09:00:00Z,meeting,a,b;c;d;e,30
        2024-03-01T10:00:00Z,email,b,c;d;e,
        2024-03-01T11:00:00Z,meeting,c,d,30
        2024-03-01T12:00:00Z,email,e,a,
    """, weighting=Weighting(max_meeting_size=4, max_recipients=2))
    assert _weights(net) == {("c", "d", "meeting"): pytest.approx(1.0),
                             ("e", "a", "email"): pytest.approx(1.0)}
    assert any("1 meeting of more than 4 participants and 1 message to more than 2" in x
               for x in net.quality.warnings)
    report = net.interactions.broadcasters_frame()
    assert report[["employee_id", "mass_events", "messages", "broadcaster"]].values.tolist() == [
        ["a", 1, 0, False], ["b", 1, 1, False]]
    assert net.interactions.large_meetings == 1 and net.interactions.mass_messages == 1
    assert net.interactions.events_used == 4  # mass events are used, for the report


def test_a_broadcaster_spreading_messages_over_everyone_makes_no_ties(tmp_path):
    # 12 people; x writes 1:1 to each of the other 11 in turn (an even spread over 11 people,
    # over a quarter of 12 and more than max_recipients = 2); y writes twice to z and once
    # to w: effective recipients (3^2)/(2^2 + 1) = 1.8
    ids = ["x", "y", "z", "w"] + [f"p{i}" for i in range(8)]
    write(tmp_path, "people.csv", "employee_id,department\n" + "\n".join(f"{i},D" for i in ids))
    rows = [f"2024-03-01T09:{k:02d}:00Z,email,x,{r}" for k, r in enumerate(ids[1:])]
    rows += ["2024-03-02T09:00:00Z,email,y,z", "2024-03-02T10:00:00Z,email,y,z",
             "2024-03-02T11:00:00Z,email,y,w", "2024-03-02T12:00:00Z,meeting,x,y",
             "2024-03-02T13:00:00Z,email,z,x"]
    write(tmp_path, "interactions.csv", "timestamp,channel,sender_id,recipient_ids\n" + "\n".join(rows))
    net = ona.load(tmp_path, weighting=Weighting(max_recipients=2))
    sent = {(r.source_id, r.target_id, r.layer) for r in net.ties.itertuples()}
    assert not any(s == "x" and layer == "email" for s, _, layer in sent)  # x's messages: no ties
    assert ("x", "y", "meeting") in sent and ("z", "x", "email") in sent  # meetings, messages to x
    assert ("y", "z", "email") in sent and ("y", "w", "email") in sent
    report = net.interactions.broadcasters_frame()
    assert report["employee_id"].tolist() == ["x"]
    assert report.loc[0, "effective_recipients"] == pytest.approx(11.0)
    assert report.loc[0, "messages"] == 11 and bool(report.loc[0, "broadcaster"])
    assert any("1 broadcaster" in x for x in net.quality.warnings)


def test_channel_weights_are_configurable(tmp_path):
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,Chat,a,b
        2024-03-01T09:00:00Z,sms,a,c
    """, weighting=Weighting(channel_weights={"chat": 0.25}, default_channel_weight=2.0))
    w = _weights(net)
    assert w[("a", "b", "chat")] == pytest.approx(0.25)
    assert w[("a", "c", "sms")] == pytest.approx(2.0)


def test_recency_decay_halves_weight_per_half_life(tmp_path):
    # until 2024-03-31 means up to the end of that day; the reference is 2024-04-01T00:00
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-03-31T00:00:00Z,email,a,b
        2024-03-22T00:00:00Z,email,a,c
    """, until="2024-03-31", weighting=Weighting(half_life_days=10))
    w = _weights(net)
    assert w[("a", "b", "email")] == pytest.approx(0.5 ** (1 / 10))
    assert w[("a", "c", "email")] == pytest.approx(0.5 ** (10 / 10))


def test_decay_without_window_counts_from_the_last_event(tmp_path):
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-03-31T00:00:00Z,email,a,b
        2024-03-01T00:00:00Z,email,a,c
    """, weighting=Weighting(half_life_days=30))
    w = _weights(net)
    assert w[("a", "b", "email")] == pytest.approx(1.0)
    assert w[("a", "c", "email")] == pytest.approx(0.5)


def test_window_is_inclusive_and_time_zones_are_converted(tmp_path):
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-02-29T23:59:59Z,email,a,b
        2024-03-01T00:30:00+02:00,email,a,c
        2024-03-01T00:00:00Z,email,a,d
        2024-03-31T23:59:59Z,email,a,e
        2024-04-01T00:00:00Z,email,b,a
    """, since="2024-03-01", until="2024-03-31")
    # 00:30 at +02:00 is 22:30 UTC on Feb 29: outside
    assert set(_weights(net)) == {("a", "d", "email"), ("a", "e", "email")}
    assert {d.reason: d.count for d in net.quality.drops} == {"outside_window": 3}
    assert net.interactions.first_event == pd.Timestamp("2024-03-01")


def test_every_drop_reason_is_counted(tmp_path):
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,a,b
        2024-03-01T09:00:00Z,email,a,b
        2024-03-01T09:01:00Z,email,a,
        2024-03-01T09:02:00Z,email,zz,b
        2024-03-01T09:03:00Z,email,a,a
        2024-03-01T09:04:00Z,email,a,q1;q2
        2024-03-01T09:05:00Z,email,a,b;b;c;a;q3
    """)
    accounted = {(d.reason, d.unit): d.count for d in net.quality.drops}
    assert accounted == {
        ("duplicate_row", "rows"): 1,
        ("empty_recipients", "rows"): 1,
        ("unknown_sender", "rows"): 1,
        ("no_valid_recipient", "rows"): 2,          # a->a, and a->q1;q2
        ("self_tie", "recipient entries"): 2,       # a->a twice
        ("unknown_recipient", "recipient entries"): 3,
        ("repeated_recipient", "recipient entries"): 1,
    }
    assert net.quality.rows_read["interactions.csv"] == 7
    assert net.quality.rows_kept["interactions.csv"] == 2
    # the last event has 3 distinct recipients other than the sender (b, c, q3)
    assert _weights(net)[("a", "c", "email")] == pytest.approx(1 / 3)


def test_bad_timestamp_names_file_row_and_column(tmp_path):
    with pytest.raises(InputError) as err:
        _load(tmp_path, """
            timestamp,channel,sender_id,recipient_ids
            2024-03-01T09:00:00Z,email,a,b
            2024-03-01T09:00:00Z,email,a,c
            01/03/2024 09:00,email,a,b
        """)
    e = err.value
    assert e.file.endswith("interactions.csv") and e.column == "timestamp" and e.rows == [4]
    assert "'01/03/2024 09:00'" in str(e) and "--drop-invalid" in str(e)


@pytest.mark.parametrize("row,column", [
    ("2024-03-01T09:00:00Z,,a,b,", "channel"),
    ("2024-03-01T09:00:00Z,email,,b,", "sender_id"),
    (",email,a,b,", "timestamp"),
    ("2024-03-01T09:00:00Z,meeting,a,b,-5", "duration_minutes"),
    ("2024-03-01T09:00:00Z,meeting,a,b,half an hour", "duration_minutes"),
])
def test_each_unreadable_value_is_an_error_or_dropped(tmp_path, row, column):
    log = "timestamp,channel,sender_id,recipient_ids,duration_minutes\n" \
          "2024-03-01T08:00:00Z,email,a,c,\n" + row
    with pytest.raises(InputError) as err:
        _load(tmp_path, log)
    assert (err.value.column, err.value.rows) == (column, [3])
    net = ona.load(tmp_path, on_invalid="drop")
    assert {d.reason: d.count for d in net.quality.drops} == {"invalid_value": 1}
    assert set(_weights(net)) == {("a", "c", "email")}


def test_missing_required_column_in_event_log(tmp_path):
    with pytest.raises(InputError) as err:
        _load(tmp_path, """
            timestamp,channel,from,recipient_ids
            2024-03-01T09:00:00Z,email,a,b
        """)
    assert err.value.column == "sender_id" and "found: timestamp, channel, from" in str(err.value)


@pytest.mark.slow
def test_parquet_excel_and_part_folders_give_the_same_ties(tmp_path):
    log = pd.DataFrame({
        "timestamp": ["2024-03-01T09:00:00Z", "2024-03-02T09:00:00Z", "2024-03-03T09:00:00Z"],
        "channel": ["email", "meeting", "chat"], "sender_id": ["a", "b", "c"],
        "recipient_ids": ["b;c", "a;c;d", "a"], "duration_minutes": [None, 45.0, None]})
    results = []
    for variant in ("csv", "parquet", "xlsx", "parts"):
        folder = tmp_path / variant
        folder.mkdir()
        _people(folder)
        if variant == "csv":
            log.to_csv(folder / "interactions.csv", index=False)
        elif variant == "parquet":
            log.to_parquet(folder / "interactions.parquet", index=False)
        elif variant == "xlsx":
            log.to_excel(folder / "interactions.xlsx", index=False)
        else:
            (folder / "interactions").mkdir()
            log.iloc[:2].to_csv(folder / "interactions" / "part-1.csv", index=False)
            log.iloc[2:].to_parquet(folder / "interactions" / "part-2.parquet", index=False)
        ties = ona.load(folder).ties.drop(columns=["first_contact", "last_contact"])
        results.append(ties.sort_values(["source_id", "target_id", "layer"]).reset_index(drop=True))
    for other in results[1:]:
        pd.testing.assert_frame_equal(results[0], other)
    meeting = results[0].set_index(["source_id", "target_id", "layer"])["weight"]
    assert meeting[("b", "a", "meeting")] == pytest.approx(1.5 / 3)  # 45/30 spread over 3


def test_row_numbers_in_a_part_folder_name_the_part_file(tmp_path):
    _people(tmp_path)
    (tmp_path / "interactions").mkdir()
    write(tmp_path / "interactions", "part-1.csv", """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,a,b
    """)
    write(tmp_path / "interactions", "part-2.csv", """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,a,c
        yesterday,email,a,b
    """)
    with pytest.raises(InputError) as err:
        ona.load(tmp_path)
    assert err.value.file.endswith("part-2.csv") and err.value.rows == [3]


def test_weighting_options_are_checked():
    with pytest.raises(ConfigError):
        Weighting(channel_weights={"email": -1})
    with pytest.raises(ConfigError):
        Weighting(half_life_days=0)
    with pytest.raises(ConfigError):
        Weighting(max_meeting_size=1)


def test_window_bounds_are_checked(tmp_path):
    with pytest.raises(ConfigError, match="must be before"):
        _load(tmp_path, "timestamp,channel,sender_id,recipient_ids\n", since="2024-05-01",
              until="2024-04-01")
    with pytest.raises(ConfigError, match="ISO date"):
        _load(tmp_path, "timestamp,channel,sender_id,recipient_ids\n", since="last tuesday")


def test_an_event_log_with_no_rows_gives_no_ties_but_keeps_everyone(tmp_path):
    net = _load(tmp_path, "timestamp,channel,sender_id,recipient_ids\n")
    assert net.ties.empty and len(net.people) == 5
    table = ona.people_metrics(net)
    assert table["degree"].tolist() == [0] * 5


def test_total_weight_sent_equals_channel_weight_per_message(tmp_path):
    """A property of the rule: whatever its size, a message gives its sender w_c in all."""
    net = _load(tmp_path, """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,a,b;c;d
        2024-03-01T09:05:00Z,email,a,e
        2024-03-01T09:07:00Z,email,a,b;e
    """)
    sent = net.ties.loc[net.ties.source_id == "a", "weight"].sum()
    assert math.isclose(sent, 3.0)


LOG = ("timestamp,channel,sender_id,recipient_ids\n"
       "2024-03-01T09:00:00Z,email,a,b;c\n2024-03-02T09:00:00Z,chat,b,a\n")


@pytest.mark.parametrize("variant", ["bom", "utf-16", "semicolon", "gzip"])
def test_event_logs_in_other_encodings_and_separators(tmp_path, variant):
    import gzip
    _people(tmp_path)
    if variant == "bom":
        (tmp_path / "interactions.csv").write_bytes(b"\xef\xbb\xbf" + LOG.encode())
    elif variant == "utf-16":
        (tmp_path / "interactions.csv").write_bytes(LOG.encode("utf-16"))
    elif variant == "semicolon":
        (tmp_path / "interactions.csv").write_text(
            "timestamp;channel;sender_id;recipient_ids\n"
            '2024-03-01T09:00:00Z;email;a;"b;c"\n2024-03-02T09:00:00Z;chat;b;a\n')
    else:
        with gzip.open(tmp_path / "interactions.csv.gz", "wt") as fh:
            fh.write(LOG)
    w = _weights(ona.load(tmp_path))
    assert w == {("a", "b", "email"): 0.5, ("a", "c", "email"): 0.5, ("b", "a", "chat"): 1.0}


def test_event_log_not_in_utf8_names_the_row_and_the_fix(tmp_path):
    _people(tmp_path)
    (tmp_path / "interactions.csv").write_bytes(
        (LOG + "2024-03-03T09:00:00Z,caf\xe9,b,a\n").encode("latin-1"))
    with pytest.raises(InputError) as err:
        ona.load(tmp_path)
    assert "row 4" in str(err.value) and "--encoding" in str(err.value)
    assert "café" in ona.load(tmp_path, encoding="latin-1").layers


def test_ragged_event_log_names_the_row_not_the_encoding(tmp_path):
    _people(tmp_path)
    (tmp_path / "interactions.csv").write_text(
        "timestamp,channel,sender_id,recipient_ids\n2024-03-01T09:00:00Z,email,a,b\n"
        "2024-03-01T09:00:00Z,email,a,b,c,extra\n")
    with pytest.raises(InputError) as err:
        ona.load(tmp_path)
    assert "well-formed" in str(err.value) and err.value.rows == [3]
    assert "UTF-8" not in str(err.value)


def test_the_progress_stages_are_the_aggregation_stages():
    """The command line's progress bar counts the stages the aggregation reports."""
    from ona.interactions import AGGREGATION_STAGES
    log = pd.DataFrame({"timestamp": ["2024-01-01T09:00"], "channel": ["email"], "sender_id": ["a"],
                        "recipient_ids": ["b"]})
    said: list[str] = []
    ona.aggregate_interactions(log, ["a", "b"], step=said.append)
    assert tuple(said) == AGGREGATION_STAGES and len(said) == 6


def test_long_and_short_lists_with_repeats_are_made_distinct_alike():
    # lists of up to 64 entries and longer ones are made distinct by different SQL
    # (ona.interactions._DISTINCT): both count repeats and keep one tie per recipient
    people = [f"p{i:03d}" for i in range(120)]
    short = ";".join(["p001", "p002", "p001", "p003", "p002"])  # 5 entries, 3 distinct
    long_ = ";".join(people[1:101] + people[1:11])  # 110 entries, 100 distinct
    log = pd.DataFrame({"timestamp": ["2024-01-01T09:00", "2024-01-02T09:00"], "channel": ["email", "chat"],
                        "sender_id": ["p000", "p000"], "recipient_ids": [short, long_]})
    quality = ona.QualityReport()
    weighting = Weighting(max_recipients=200, broadcast_share=1.0)
    ties, _ = ona.aggregate_interactions(log, people, quality=quality, weighting=weighting)
    drops = quality.drops_frame().set_index("reason")["count"]
    assert drops["repeated_recipient"] == 2 + 10
    email = ties[ties["layer"] == "email"]
    assert sorted(email["target_id"].astype(str)) == ["p001", "p002", "p003"]
    assert email["weight"].tolist() == pytest.approx([1 / 3] * 3)
    chat = ties[ties["layer"] == "chat"]
    assert len(chat) == 100 and chat["weight"].tolist() == pytest.approx([1 / 100] * 100)


def test_more_channels_than_a_tie_table_holds_is_one_clear_error(tmp_path):
    from ona.pairsum import MAX_LAYERS
    rows = "\n".join(f"2024-03-01T09:00:00Z,ch{i},a,b" for i in range(MAX_LAYERS + 1))
    with pytest.raises(InputError) as err:
        _load(tmp_path, "timestamp,channel,sender_id,recipient_ids\n" + rows)
    e = err.value
    assert e.file.endswith("interactions.csv") and e.column == "channel"
    assert f"{MAX_LAYERS + 1:,} different channels" in str(e)


def test_the_clean_row_shortcut_never_passes_a_row_that_fails_a_check():
    """``_CLEAN`` (the fast path of the check mask) holds only for rows that fail none of
    the checks, and does hold for ordinary clean rows (or it would save nothing)."""
    import duckdb

    from ona import interactions as I

    cells = [  # (timestamp, channel, sender, recipients, duration, weight)
        ("2024-03-01T09:00:00", "email", "a", "b", None, None),
        ("2024-03-01 09:00", "meeting", "a", "b;c", "30", "1.5"),
        ("2024-03-01", "chat", "a", "b", "0", "0"),
        ("2024-03-01T09:00:00Z", "email", "a", "b", None, None),  # a zone: not plain, still valid
        ("2024-03-01T09:00:00+02:00", "email", "a", "b", None, None),
        ("epoch", "email", "a", "b", None, None), ("now", "email", "a", "b", None, None),
        ("infinity", "email", "a", "b", None, None), ("2024-13-01", "email", "a", "b", None, None),
        ("1969-12-31T23:59:59", "email", "a", "b", None, None),
        ("2999-01-01", "email", "a", "b", None, None), (None, "email", "a", "b", None, None),
        ("2024-03-01", None, "a", "b", None, None), ("2024-03-01", "email", None, "b", None, None),
        ("2024-03-01", "email", "a\x00", "b", None, None), ("2024-03-01", "email", "a", "b\nc", None, None),
        ("2024-03-01", "email", "a\x7f", "b", None, None), ("2024-03-01", "meeting", "a", "b", "-5", None),
        ("2024-03-01", "meeting", "a", "b", "abc", None), ("2024-03-01", "meeting", "a", "b", "inf", None),
        ("2024-03-01", "meeting", "a", "b", "nan", None), ("2024-03-01", "email", "a", "b", None, "-1"),
        ("2024-03-01", "email", "a", "b", None, "x"), ("2024-03-01", "email", "a", "b", None, "NaN"),
        ("2024-03-01", "email", "a", "b", None, "Infinity"),
    ]
    frame = pd.DataFrame(cells, columns=["timestamp", "channel", "sender_id", "recipient_ids",
                                         "duration_minutes", "weight"])
    con = duckdb.connect()
    job = I._Job(con=con, source=frame, weighting=Weighting(), quality=ona.QualityReport(), label="log")
    I._set_up(con, ["a", "b", "c"])
    I._read_events(job)
    failed = " OR ".join(f"coalesce({c[0]}, false)" for c in I._CHECKS).replace("@LATEST@", I._latest())
    clean = I._CLEAN.replace("@LATEST@", I._latest())
    rows = con.execute(f"SELECT r, coalesce({clean}, false), {failed} FROM ev ORDER BY r").fetchall()
    assert not [r for r, shortcut, fails in rows if shortcut and fails]
    assert [r for r, shortcut, _ in rows if shortcut] == [0, 1, 2]
    assert [r for r, _, fails in rows if not fails] == [0, 1, 2, 3, 4]


def test_duplicates_are_found_alike_whatever_duckdb_threads(tmp_path, monkeypatch):
    """The de-duplication runs with more threads than cores when ona chooses them
    (interactions._WIDE_STAGES): the same rows are dropped and the same ties summed as with
    one thread or two given."""
    import numpy as np

    from ona.interactions import THREADS_ENV, _threads_chosen, aggregate_interactions

    rng = np.random.default_rng(3)
    people = [f"p{i:03d}" for i in range(60)]
    rows = []
    for k in range(4000):
        s, r = rng.choice(60, 2, replace=False)
        rows.append((f"2024-03-01T{9 + k % 8:02d}:{k % 60:02d}:00", ["email", "chat"][k % 2], people[s], people[r]))
    rows += rows[::7] + rows[::13]  # 872 exact copies, some of one event twice
    log = pd.DataFrame(rows, columns=["timestamp", "channel", "sender_id", "recipient_ids"])
    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert not _threads_chosen(None) and _threads_chosen(3)
    monkeypatch.setenv(THREADS_ENV, "2")
    assert _threads_chosen(None)
    monkeypatch.delenv(THREADS_ENV)
    results = []
    for threads in (None, 1, 2):
        quality = ona.QualityReport()
        ties, _ = aggregate_interactions(log, people, threads=threads, quality=quality)
        drops = {(d.reason, d.unit): d.count for d in quality.drops}
        results.append((ties.sort_values(["source_id", "target_id", "layer"], ignore_index=True), drops))
    expected = len(rows) - len(set(rows))
    for ties, drops in results:
        assert drops[("duplicate_row", "rows")] == expected > 800
        pd.testing.assert_frame_equal(ties, results[0][0])


def test_control_characters_in_senders_are_found_after_the_look_up_alike():
    """A sender on the people list holds no control character when no id on it does, so the
    check tests only the unknown senders, after the look-up (interactions._SENDER_CONTROL).
    With an id on the list that holds one, every sender is tested as before. Both give the
    same drops, ties and error."""
    from ona.interactions import aggregate_interactions

    log = pd.DataFrame({
        "timestamp": ["2024-03-01T09:00"] * 6,
        "channel": ["email"] * 6,
        "sender_id": ["a", "a\x00", "x\x07y", "b", "zz", "c\x7f"],
        "recipient_ids": ["b", "b", "c", "a\x01", "a", "a"],
    })
    outcomes = []
    for people in (["a", "b", "c"], ["a", "b", "c", "q\x01"]):
        quality = ona.QualityReport()
        ties, _ = aggregate_interactions(log, people, on_invalid="drop", quality=quality)
        drops = {(d.reason, d.unit): d.count for d in quality.drops}
        with pytest.raises(InputError) as error:
            aggregate_interactions(log, people)
        outcomes.append((ties, drops, str(error.value)))
    (ties, drops, message), (ties_all, drops_all, message_all) = outcomes
    assert drops[("invalid_value", "rows")] == 4 and drops == drops_all
    assert drops[("unknown_sender", "rows")] == 1  # zz
    ids = {"source_id": str, "target_id": str}  # the people lists differ by one id
    pd.testing.assert_frame_equal(ties.astype(ids), ties_all.astype(ids))
    assert len(ties) == 1  # a -> b: zz is not on the list, and the other four are invalid
    assert message == message_all and "sender_id" in message and "in 3 rows" in message


def test_duckdb_runs_wide_only_in_the_scanning_stages_and_keeps_a_given_count(monkeypatch):
    """When ona chooses DuckDB's threads, the check and the de-duplication run with
    WIDE_THREADS a core and every other stage, and the pair sums, with one a core; a count
    that was given holds in every stage."""
    import os

    from ona import interactions as I

    seen: list[tuple[str, int]] = []
    wrapped = []
    for name, stage in I._STAGES:
        def watched(job, name=name, stage=stage):
            seen.append((name, int(job.con.execute("SELECT current_setting('threads')").fetchall()[0][0])))
            stage(job)
        wrapped.append((name, watched))
    monkeypatch.setattr(I, "_STAGES", tuple(wrapped))
    sums = []
    real = I.sum_pairs
    monkeypatch.setattr(I, "sum_pairs",
                        lambda layout, threads=1, **kw: sums.append(threads) or real(layout, threads, **kw))
    monkeypatch.delenv(I.THREADS_ENV, raising=False)
    log = pd.DataFrame({"timestamp": ["2024-03-01T09:00", "2024-03-01T10:00"], "channel": ["email", "chat"],
                        "sender_id": ["a", "b"], "recipient_ids": ["b", "a;c"]})
    I.aggregate_interactions(log, ["a", "b", "c"])
    cores = os.cpu_count() or 1
    assert dict(seen) == {name: cores * (I.WIDE_THREADS if name in I._WIDE_STAGES else 1)
                          for name in I.AGGREGATION_STAGES}
    assert sums == [cores]
    seen.clear()
    sums.clear()
    I.aggregate_interactions(log, ["a", "b", "c"], threads=1)
    assert set(dict(seen).values()) == {1} and sums == [1]


def test_trim_is_skipped_only_where_it_would_change_nothing():
    # the shortcut for long text (timestamps, recipient lists) against DuckDB's own trim, on
    # ASCII and Unicode spaces at either end, inside, alone, and on other characters
    import duckdb

    from ona.interactions import _trimmed
    cells = ["2024-03-01T09:30:00", " 2024-03-01", "2024-03-01 ", "  ", "", "a;b", " a;b ;c ",
             "\u00a0a;b", "a;b\u00a0", "\u3000a\u3000", "\u2009x", "x\u202f", "é;b", "b;é", "\ta;b\n",
             "a\u00a0;b", "\u00a0", "a b", "\u1680z\u205f", None]
    con = duckdb.connect()
    got = con.execute(f"SELECT x, trim(x), {_trimmed('x')} FROM (SELECT unnest(?) AS x)", [cells]).fetchall()
    assert len(got) == len(cells)
    for cell, expected, shortcut in got:
        assert shortcut == expected, repr(cell)
    assert [r[2] for r in got][:3] == ["2024-03-01T09:30:00", "2024-03-01", "2024-03-01"]


def test_ids_and_timestamps_wrapped_in_unicode_spaces_are_read_as_trimmed(tmp_path):
    people = pd.DataFrame({"employee_id": ["a", "b", "c"], "department": "D"})
    events = pd.DataFrame({"timestamp": ["\u00a02024-03-01T09:00:00 ", "2024-03-02\u3000"],
                           "channel": ["email", "email"], "sender_id": ["a", "b"],
                           "recipient_ids": [" b;\u00a0c\u00a0", "c\u2009"]})
    people.to_csv(tmp_path / "people.csv", index=False)
    events.to_csv(tmp_path / "interactions.csv", index=False)
    net = ona.load(tmp_path)
    ties = net.ties
    pairs = set(zip(ties["source_id"].astype(str), ties["target_id"].astype(str)))
    assert pairs == {("a", "b"), ("a", "c"), ("b", "c")}
    assert [d.reason for d in net.quality.drops if d.count] == []
