"""Sponsors, mentors and careers over time, checked by hand on tiny histories; the history
input's rules; what a departure breaks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import ona
from ona.careers import (
    CareerRules,
    career_conversations,
    mentoring_map,
    poisson_binomial_tail,
    reverse_mentoring,
    sponsor_track_record,
    support_table,
    what_if,
)
from ona.errors import InputError
from ona.history import clean_history, level_at, promotions
from ona.network import OrgNetwork
from ona.quality import QualityReport
from ona.ties import TieArrays

from .conftest import cli, write


def _ties(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    source, target, layer, date = zip(*rows) if rows else ((), (), (), ())
    return pd.DataFrame({"source_id": list(source), "target_id": list(target), "layer": list(layer),
                         "kind": "relationship", "weight": 1.0, "count": 1.0,
                         "first_contact": pd.to_datetime(list(date)), "last_contact": pd.NaT})


def _history(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    ids, dates, levels, events = zip(*rows)
    frame = pd.DataFrame({"employee_id": ids, "date": pd.to_datetime(list(dates)), "level": levels,
                          "title": pd.NA, "department": pd.NA, "manager_id": pd.NA,
                          "event": pd.array(events, dtype="string")})
    return frame.sort_values(["employee_id", "date"], kind="stable").reset_index(drop=True)


def test_promotions_windows_ties_after_the_promotion_leavers_and_the_unfollowed_by_hand():
    """Sponsor s states advocacy on 2020-06-01 (window 12 months, history ends 2022-06-01):
    a promoted 2021-01 (counts); b promoted 2021-09 (after the window: not promoted);
    c promoted 2020-03, before the tie (never counts; compared at level 2, not promoted
    after); d leaves 2020-12 (not promoted); e and f's ties are stated 2022-01: their
    window runs past the end, so they are not followed, though f is promoted 2022-03.
    Comparable people (five at level 1, five at level 2) are never promoted."""
    others = [f"p{i}" for i in range(5)] + [f"q{i}" for i in range(5)]
    ids = ["s", "a", "b", "c", "d", "e", "f"] + others
    levels = [3, 1, 1, 1, 1, 1, 1] + [1] * 5 + [2] * 5
    people = pd.DataFrame({"department": "Ops", "level": levels}, index=pd.Index(ids, name="employee_id"))
    rows = [(i, "2019-01-01", lv, "hire") for i, lv in zip(ids, levels)]
    rows += [("a", "2021-01-15", 2, "promotion"), ("b", "2021-09-01", 2, "promotion"),
             ("c", "2020-03-01", 2, "promotion"), ("d", "2020-12-01", 1, "exit"),
             ("f", "2022-03-01", 2, "promotion"), ("s", "2022-06-01", 3, "")]
    rows = [(i, d, 1 if (i in "abcf" and d == "2019-01-01") else lv, e) for i, d, lv, e in rows]
    rel = _ties([("s", "a", "advocacy", "2020-06-01"), ("s", "b", "advocacy", "2020-06-01"),
                 ("s", "c", "advocacy", "2020-06-01"), ("s", "d", "mentor", "2020-06-01"),
                 ("s", "e", "advocacy", "2022-01-01"), ("s", "f", "advocacy", "2022-01-01")])
    net = OrgNetwork(people, rel, history=_history(rows))
    row = sponsor_track_record(net, rules=CareerRules(window_months=12, min_proteges=3)).iloc[0]
    assert row["employee_id"] == "s"
    assert (row["proteges"], row["advocacy"], row["mentor"]) == (6, 5, 1)
    assert (row["followed"], row["promoted"]) == (4, 1)  # a, b, c, d followed; a promoted
    # base rate: comparable people (5 at each level once s's protégés are taken out) had no
    # promotion; pulled towards the level (also 0 of 5), and that towards everyone (1 of 17,
    # a), as if 10 more people: level (0 + 10/17) / 15, cell (0 + 10 * level) / 15
    level = (10 / 17) / 15
    base = 10 * level / 15
    assert row["expected_rate"] == pytest.approx(base)
    assert row["p_value"] == pytest.approx(1 - (1 - base) ** 4)
    assert row["verdict"] == "no different from comparable people"  # one of four is no evidence
    from ona.careers import _wilson
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(_wilson(1, 4))


def test_base_rates_and_too_few_to_tell_by_hand():
    """Two sponsors: s (3 protégés, 1 promoted) with min_proteges 5 is too few to tell; t's
    protégés are compared with comparable people at their level and department who are not
    t's protégés: 2 of 8 promoted (base 0.25)."""
    ids = ["s", "t"] + [f"x{i}" for i in range(3)] + [f"y{i}" for i in range(5)] + [f"z{i}" for i in range(8)]
    people = pd.DataFrame({"department": "Ops", "level": [4, 4] + [1] * 16}, index=pd.Index(ids, name="employee_id"))
    rows = [(i, "2019-01-01", 4 if i in "st" else 1, "hire") for i in ids]
    rows += [("x0", "2020-08-01", 2, "promotion"), ("z0", "2020-08-01", 2, "promotion"),
             ("z1", "2020-09-01", 2, "promotion"), ("y0", "2020-10-01", 2, "promotion"),
             ("s", "2023-01-01", 4, "")]
    rel = _ties([("s", f"x{i}", "advocacy", "2020-01-01") for i in range(3)]
                + [("t", f"y{i}", "advocacy", "2020-01-01") for i in range(5)])
    table = sponsor_track_record(OrgNetwork(people, rel, history=_history(rows))).set_index("employee_id")
    assert table.loc["s", "verdict"] == "too few to tell" and np.isnan(table.loc["s", "p_value"])
    # t's comparable people: s's 3 protégés (1 promoted) and the 8 others (2 promoted): 3 of 11,
    # pulled towards the level (the same 3 of 11) and everyone (4 of 18) as if 10 more people
    level = (3 + 10 * 4 / 18) / 21
    base = (3 + 10 * level) / 21
    assert table.loc["t", "expected_rate"] == pytest.approx(base)
    assert table.loc["t", "promoted"] == 1 and table.loc["t", "verdict"] == "no different from comparable people"
    assert table.loc["t", "p_value"] == pytest.approx(poisson_binomial_tail(np.full(5, base), 1))


def test_poisson_binomial_tail_by_hand():
    assert poisson_binomial_tail(np.array([0.5, 0.5]), 2) == pytest.approx(0.25)
    assert poisson_binomial_tail(np.array([0.1, 0.2, 0.3]), 0) == pytest.approx(1.0)
    assert poisson_binomial_tail(np.array([0.1, 0.2, 0.3]), 3) == pytest.approx(0.006)
    assert poisson_binomial_tail(np.array([0.1, 0.2]), 1) == pytest.approx(1 - 0.9 * 0.8)


def test_own_circle_and_reach_by_hand():
    people = pd.DataFrame({"department": ["A", "A", "A", "A", "B"], "team": ["T1", "T1", "T1", "T2", "T3"],
                           "manager_id": [pd.NA, "s", "s", "s", pd.NA], "level": [3, 1, 1, 1, 3]},
                          index=pd.Index(["s", "a", "b", "c", "q"], name="employee_id"))
    rel = _ties([("s", x, "advocacy", "2020-01-01") for x in "abc"] + [("q", "a", "advocacy", "2020-01-01"),
                                                                      ("q", "s", "mentor", "2020-01-01")])
    rows = [(i, "2019-01-01", int(people.at[i, "level"]), "hire") for i in people.index]
    table = sponsor_track_record(OrgNetwork(people, rel, history=_history(rows))).set_index("employee_id")
    assert table.loc["s", "own_circle_only"] and table.loc["s", "own_circle"] == 1.0
    assert table.loc["s", "other_departments"] == 0.0
    assert not table.loc["q", "own_circle_only"] and table.loc["q", "other_departments"] == 1.0


def test_mentoring_map_reverse_mentoring_and_support_by_hand():
    people = pd.DataFrame({"department": "A", "level": [3, 2, 1, 1]},
                          index=pd.Index(["h", "m", "j", "k"], name="employee_id"))
    rel = _ties([("j", "h", "advice", None), ("k", "h", "advice", None), ("h", "j", "advice", None),
                 ("h", "j", "mentor", None), ("m", "k", "advocacy", None)])
    net = OrgNetwork(people, rel)
    m = mentoring_map(net).set_index(["relation", "source_group", "target_group"])
    assert m.loc[("advice", 1, 3), "ties"] == 2 and m.loc[("advice", 1, 3), "direction"] == "up"
    assert reverse_mentoring(net).to_dict("records") == [{"source_group": 3, "target_group": 1, "ties": 1}]
    persons, groups = support_table(net, min_group_size=1)
    assert persons.set_index("employee_id")["neither"].to_dict() == {"h": True, "m": True, "j": False, "k": False}
    level1 = groups[(groups["by"] == "level") & (groups["group"] == 1)].iloc[0]
    assert (level1["with_mentor"], level1["with_sponsor"], level1["neither"]) == (1, 1, 0)


def test_lazega_advice_flows_up_from_associates_to_partners():
    """Lazega (2001): associates seek advice from partners far more than the reverse."""
    net = ona.load(ona.sample_path("lazega"))
    m = mentoring_map(net, by="title", relations=["advice"]).set_index(["source_group", "target_group"])["ties"]
    partners = int((net.people["title"] == "partner").sum())
    associates = int((net.people["title"] == "associate").sum())
    up = m.get(("associate", "partner"), 0) / associates
    down = m.get(("partner", "associate"), 0) / partners
    assert up > 2 * down
    by_level = mentoring_map(net, relations=["advice"])
    assert by_level.loc[by_level["direction"] == "up", "ties"].sum() > by_level.loc[
        by_level["direction"] == "down", "ties"].sum()


def test_career_conversations_never_read_a_non_answer_as_no():
    people = pd.DataFrame({"department": "A", "manager_id": [pd.NA, "m", "m", "m"], "level": [5, 1, 1, 1],
                           "survey_response": [True, True, True, False]},
                          index=pd.Index(["m", "a", "b", "c"], name="employee_id"))
    rel = _ties([("a", "m", "career_conversation", None)])
    talks = career_conversations(OrgNetwork(people, rel)).set_index("employee_id")
    assert talks.loc["a", "with_manager"] == True  # noqa: E712
    assert talks.loc["b", "with_manager"] == False and talks.loc["b", "with_anyone"] == False  # noqa: E712
    assert pd.isna(talks.loc["c", "with_manager"]) and pd.isna(talks.loc["c", "with_anyone"])
    assert talks.loc["a", "with_senior_leader"] == True  # noqa: E712 (m is level 5, the top)
    # the talent review says whether each candidate's manager knows what they want
    review = ona.talent_review(OrgNetwork(people, rel), ["m"], ["a", "b", "c"])
    assert review.candidates.set_index("candidate_id")["manager_conversation"].to_dict() == {
        "a": "yes", "b": "no", "c": "did not answer"}


def test_what_if_lists_exactly_the_candidates_whose_only_advocate_leaves():
    people = pd.DataFrame({"department": ["Exec", "Exec", "A", "A", "A", "B", "B", "B"],
                           "level": [5, 5, 1, 1, 1, 1, 1, 1]},
                          index=pd.Index(["p1", "p2", "c1", "c2", "c3", "b1", "b2", "b3"], name="employee_id"))
    rel = _ties([("p1", "c1", "advocacy", None), ("p1", "c2", "advocacy", None), ("p2", "c2", "advocacy", None),
                 ("b1", "c3", "advocacy", None)])
    # ties: c1 - p1 (c1's only leader tie), c2 - p1, c2 - p2, A - B only through b1
    codes = {x: i for i, x in enumerate(people.index)}
    edges = [("c1", "p1"), ("c2", "p1"), ("c2", "p2"), ("c3", "b1"), ("b1", "b2"), ("b2", "b3"), ("c1", "c2")]
    u = np.array([min(codes[a], codes[b]) for a, b in edges])
    v = np.array([max(codes[a], codes[b]) for a, b in edges])
    ties = TieArrays(n=len(people), u=u, v=v, w=np.ones(len(u)), s=np.array([], int), t=np.array([], int),
                     ws=np.array([]))
    net = OrgNetwork(people, rel)
    out = what_if(net, ["p1"], ties=ties, panel=["p1", "p2"], slate=["c1", "c2", "c3"], min_group_size=1)
    assert out.lose_only_advocate["candidate"].tolist() == ["c1"]
    assert out.lose_leader_access[ona.schema.EMPLOYEE_ID].tolist() == ["c1"]
    out = what_if(net, ["b1"], ties=ties, min_group_size=1)
    assert out.lose_only_advocate["candidate"].tolist() == ["c3"]
    assert set(out.lose_bridge["group"]) == {"B"} or set(out.lose_bridge["group"]) >= {"B"}
    assert out.lose_pair.to_dict("records") == [{"department_a": "A", "department_b": "B", "ties_before": 1}]
    with pytest.raises(ona.ConfigError, match="not on the people list"):
        what_if(net, ["nobody"], ties=ties)


def test_the_history_input_names_file_row_and_column_and_counts_what_it_drops():
    raw = pd.DataFrame({"employee_id": ["a", "a", "zz", "a"], "date": ["2020-01-01", "2021-01-01", "2020-01-01",
                                                                       "2021-01-01"],
                        "level": ["1", "2", "1", "2"], "_row": [2, 3, 4, 5]})
    q = QualityReport()
    clean = clean_history(raw, "history.csv", pd.Index(["a"]), q)
    assert clean["level"].tolist() == [1, 2]
    assert sorted((d.reason, d.count) for d in q.drops) == [("duplicate_row", 1), ("unknown_employee", 1)]
    assert promotions(clean)["to_level"].tolist() == [2]
    assert level_at(clean, pd.Series(["a"]), pd.Series(pd.to_datetime(["2020-06-01"]))).tolist() == [1]
    bad = raw.assign(date=["2020-01-01", "someday", "2020-01-01", "2021-01-01"])
    with pytest.raises(InputError) as caught:
        clean_history(bad, "history.csv", pd.Index(["a"]), QualityReport())
    text = str(caught.value)
    assert "history.csv" in text and "row 3" in text and "'date'" in text
    clash = raw.assign(level=["1", "2", "1", "3"])
    with pytest.raises(InputError, match="two different rows for a on 2021-01-01"):
        clean_history(clash, "history.csv", pd.Index(["a"]), QualityReport())


def test_a_history_file_is_read_from_the_folder_and_the_commands_write_their_tables(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write(data, "people.csv", "employee_id,department,level,manager_id,survey_response\n"
                               "s,Ops,3,,yes\na,Ops,2,s,yes\nb,Ops,1,s,no\nc,Ops,1,s,yes\n")
    write(data, "history.csv", "employee_id,date,level,event\ns,2019-01-01,3,hire\na,2019-01-01,1,hire\n"
                                "a,2020-05-01,2,promotion\nb,2019-01-01,1,hire\nc,2019-01-01,1,hire\n"
                                "ghost,2019-01-01,1,hire\ns,2022-01-01,3,\n")
    write(data, "relationships.csv", "source_id,target_id,relation,date\ns,a,advocacy,2020-01-01\n"
                                      "s,b,advocacy,2020-01-01\na,s,career_conversation,2021-01-01\n")
    net = ona.load(data)
    assert net.history is not None and len(net.history) == 6
    assert net.quality.dropped_rows("history.csv") == 1
    run = cli("careers", str(data), "--out", str(tmp_path / "out"), "--min-proteges", "1")
    assert run.returncode == 0, run.stderr
    assert "people with neither a mentor nor a sponsor: 2 of 4" in run.stdout
    sponsors = pd.read_csv(tmp_path / "out" / "sponsors.csv")
    assert sponsors.loc[0, "employee_id"] == "s" and sponsors.loc[0, "promoted"] == 1
    assert "no career conversation with their manager: 1" in run.stdout  # c answered, named nobody
    run = cli("what-if", str(data), "--without", "s", "--out", str(tmp_path / "w"))
    assert run.returncode == 0 and "lose their only advocate: a, b" in run.stdout.replace("(", "").replace(")", "")
    assert (tmp_path / "w" / "what_if_candidates.csv").exists()
    run = cli("what-if", str(data), "--without", "nobody")
    assert run.returncode == 2 and "nobody" in run.stderr and "Traceback" not in run.stderr


def test_wilson_interval_matches_the_formula():
    from ona.careers import _wilson
    low, high = _wilson(2, 5)
    z = 1.959964
    centre = (0.4 + z * z / 10) / (1 + z * z / 5)
    half = z * math.sqrt(0.4 * 0.6 / 5 + z * z / 100) / (1 + z * z / 5)
    assert (low, high) == pytest.approx((centre - half, centre + half), abs=1e-6)


@pytest.mark.slow
def test_on_a_generated_organisation_the_planted_answers_are_the_ones_found(tmp_path):
    """ona's generator with careers, a seed used nowhere else: the planted good sponsors are
    exactly the ones marked (no ordinary one), the own-circle sponsors are the ones flagged,
    the people with neither mentor nor sponsor and those with no conversation with their
    manager are exactly the planted ones, the review flags the candidates whose manager has
    not had the conversation, and a what-if on each panel member lists exactly the
    candidates whose only (answered) advocate they were."""
    org = ona.generate_organisation(2000, seed=31, events_per_person=30, careers=True)
    ona.write_organisation(org, tmp_path)
    truth = org.truth["careers"]
    net = ona.load(tmp_path)
    sponsors = sponsor_track_record(net)
    marked = set(sponsors.loc[sponsors["verdict"] == "develops people", "employee_id"])
    assert marked == set(truth["good_sponsors"])
    assert set(sponsors.loc[sponsors["own_circle_only"], "employee_id"]) == set(truth["own_circle_sponsors"])
    people, _ = support_table(net)
    assert set(people.loc[people["neither"], "employee_id"]) == set(truth["neither_mentor_nor_sponsor"])
    talks = career_conversations(net)
    assert set(talks.loc[talks["with_manager"].eq(False), "employee_id"]) == set(truth["no_manager_conversation"])
    panel, slate = org.truth["panel"], org.truth["slate"]
    review = ona.talent_review(net, panel, slate).candidates.set_index("candidate_id")
    flagged = set(review.index[review["manager_conversation"] == "no"])
    assert flagged == set(slate) & set(truth["no_manager_conversation"]) and len(flagged) >= 3
    answered = org.truth["advocates_answered"]
    for member in panel:
        only = {c for c, advocates in answered.items() if advocates == [member]}
        out = what_if(net, [member], panel=panel, slate=slate)
        assert set(out.lose_only_advocate["candidate"]) == only, member


@pytest.mark.slow
def test_on_the_independent_generator_nothing_ordinary_is_marked_and_the_lists_are_exact(tmp_path):
    """benchmarks/altgen (written without reading ona), careers on: its good sponsors pick
    protégés promoted about three times as often as comparable colleagues, with much
    noise from one sponsor to the next. ona marks no ordinary sponsor and nobody unplanted,
    flags the planted own-circle sponsors, and finds exactly the people with neither mentor
    nor sponsor, those without a conversation with their manager, and (what-if on each
    panel member) the candidates whose only advocate they were."""
    from .conftest import _simulate
    truth = _simulate(tmp_path, people=2000, seed=13, careers=True)["careers"]
    net = ona.load(tmp_path)
    sponsors = sponsor_track_record(net).set_index("employee_id")
    marked = set(sponsors.index[sponsors["verdict"] == "develops people"])
    assert marked <= set(truth["good_sponsors"]) and marked
    assert set(truth["own_circle_sponsors"]) <= set(sponsors.index[sponsors["own_circle_only"]])
    people, _ = support_table(net)
    assert set(people.loc[people["neither"], "employee_id"]) == set(truth["neither_mentor_nor_sponsor"])
    talks = career_conversations(net)
    assert set(talks.loc[talks["with_manager"].eq(False), "employee_id"]) == set(truth["no_manager_conversation"])
    panel = pd.read_csv(tmp_path / "panel.csv", dtype=str)["employee_id"].tolist()
    slate = pd.read_csv(tmp_path / "slate.csv", dtype=str)["employee_id"].tolist()
    for member in panel:
        expected = set(truth["only_advocate"].get(member, []))  # panel member -> their sole-advocacy candidates
        assert set(what_if(net, [member], panel=panel, slate=slate).lose_only_advocate["candidate"]) == expected
