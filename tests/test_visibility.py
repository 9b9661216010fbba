"""Visibility parts on a hand-made organisation; roles; hidden talent on a generated one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ona
from ona.errors import ConfigError
from ona.hidden import hidden_talent
from ona.roles import assign_roles
from ona.visibility import senior_leaders


def _org():
    people = pd.DataFrame({
        "department": ["Exec", "A", "A", "A", "B", "B"],
        "team": ["Board", "A1", "A1", "A1", "B1", "B1"],
        "level": [3, 1, 1, 1, 1, 1],
        "performance": [3, 5, 4, 5, 3, 3],
    }, index=pd.Index(["L", "a1", "a2", "a3", "b1", "b2"], name="employee_id"))
    rows = [("L", "a1", "email", "interaction", 10.0), ("a1", "a2", "email", "interaction", 10.0),
            ("a2", "a3", "email", "interaction", 2.0), ("a3", "b1", "email", "interaction", 2.0),
            ("b1", "b2", "email", "interaction", 2.0),
            ("b1", "a3", "knows_work", "relationship", 1.0),
            ("a2", "a3", "knows_work", "relationship", 1.0),
            ("b2", "a1", "advocacy", "relationship", 1.0)]
    ties = pd.DataFrame(rows, columns=["source_id", "target_id", "layer", "kind", "weight"])
    ties["count"] = 1.0
    ties["first_contact"] = ties["last_contact"] = pd.NaT
    return ona.OrgNetwork(people, ties)


@pytest.fixture(scope="module")
def table():
    # every contact is a tie, so that the visibility rule is checked on its own
    return ona.people_metrics(_org(), leaders=["L"], rule=ona.TieRule("all"))


def test_outside_ties_by_hand(table):
    # a3 works with b1 (other department); a1 with L (other department and team)
    assert table["cross_department_ties"].to_dict() == {"L": 1, "a1": 1, "a2": 0, "a3": 1, "b1": 1, "b2": 0}
    assert table["outside_team_ties"].to_dict() == {"L": 1, "a1": 1, "a2": 0, "a3": 1, "b1": 1, "b2": 0}
    # typical weight = median(10, 10, 2, 2, 2) = 2; a contact counts w / (w + 2), twice
    # from another department: L-a1 2 * 10/12, a3-b1 2 * 2/4
    expected = {"L": 2 * 10 / 12, "a1": 2 * 10 / 12, "a2": 0.0, "a3": 1.0, "b1": 1.0, "b2": 0.0}
    assert table["outside_contact"].to_dict() == pytest.approx(expected)
    assert table.attrs["typical_tie_weight"] == 2.0


def test_leader_reach_through_one_strong_intermediary(table):
    # strong = top quarter of weights = 10. a1 is tied to L directly; a2 reaches L through
    # a1 by two strong ties; a3's tie to a2 is weak, so a3 does not.
    assert table["leader_ties"].to_dict() == {"L": 0, "a1": 1, "a2": 0, "a3": 0, "b1": 0, "b2": 0}
    assert table["leader_reach"].to_dict() == {"L": 0, "a1": 1, "a2": 1, "a3": 0, "b1": 0, "b2": 0}
    assert table.loc["a1", "leader_contact"] == pytest.approx(10 / 12)
    assert table.attrs["strong_tie_weight"] == pytest.approx(10.0)


def test_visibility_score_by_hand(table):
    assert table.loc["a3", "recognition"] == 2                # b1 and teammate a2
    assert table.loc["a3", "recognition_outside_team"] == 1   # b1 only
    assert table.loc["a1", "recognition_outside_team"] == 1   # b2 advocates
    assert table.attrs["visibility_components"] == ["outside", "leaders", "declared", "second-hand reach"]
    # each part scaled log(1 + x) / log(1 + R), R = 95th percentile of those above 0:
    # outside R = 5/3 (a3 and b1: log 2 / log(8/3)); leaders R = 10/12; declared R = 1
    part = np.log(2) / np.log(8 / 3)
    expected = {"L": 1 / 3, "a1": 1.0, "a2": 0.0, "a3": (part + 1) / 3, "b1": part / 3, "b2": 0.0}
    assert table["visibility_score"].to_dict() == pytest.approx(expected)
    # a2 reaches L only second-hand: that never lifts anyone from zero
    assert table.loc["a2", "visibility_score"] == 0
    # percentile: share strictly less visible (a2 and b2 share 0)
    assert table["visibility"].to_dict() == pytest.approx(
        {"a2": 0.0, "b2": 0.0, "b1": 40.0, "L": 60.0, "a3": 80.0, "a1": 100.0})


def test_second_hand_reach_adds_at_most_a_quarter():
    people = pd.DataFrame({"department": ["Exec", "A", "A", "A", "B"], "team": ["E", "A1", "A1", "A1", "B1"],
                           "level": [3, 1, 1, 1, 1]},
                          index=pd.Index(["L", "m", "x", "y", "z"], name="employee_id"))
    # m works with L (strong); x works strongly with m and a little with z; y the same with z
    # but no strong tie to m: x and y have the same direct visibility, x reaches L second-hand
    rows = [("L", "m", 10.0), ("m", "x", 10.0), ("x", "z", 1.0), ("y", "z", 1.0), ("m", "y", 1.0)]
    ties = pd.DataFrame(rows, columns=["source_id", "target_id", "weight"]).assign(
        layer="email", kind="interaction", count=1.0)
    table = ona.people_metrics(ona.OrgNetwork(people, ties), leaders=["L"], rule=ona.TieRule("all"))
    assert table.loc["x", "leader_reach"] == 1 and table.loc["y", "leader_reach"] == 0
    ratio = table.loc["x", "visibility_score"] / table.loc["y", "visibility_score"]
    assert ratio == pytest.approx(1.25)  # the whole quarter: x's only indirect leader is the most anyone has


def test_own_manager_and_reports_are_inside_the_unit():
    # the manager sits in another team ("Leads"); a tie to one's own manager is not outside
    people = pd.DataFrame({"department": ["A", "A", "A"], "team": ["Leads", "T", "T"],
                           "manager_id": [None, "boss", "boss"]},
                          index=pd.Index(["boss", "p", "q"], name="employee_id"))
    ties = pd.DataFrame({"source_id": ["boss", "p"], "target_id": ["p", "q"], "layer": "email",
                         "kind": "interaction", "weight": 3.0, "count": 3.0})
    table = ona.people_metrics(ona.OrgNetwork(people, ties), rule=ona.TieRule("all"))
    assert table["outside_team_ties"].tolist() == [0, 0, 0]
    assert (table["visibility"] == 0).all()


def test_hidden_talent_ranks_and_explains(table):
    # a3 (rated 5) sits below the 90th visibility percentile of this six-person org; a1 above
    hidden = hidden_talent(table, max_visibility=90, leaders_total=1)
    assert "a1" not in set(hidden["employee_id"])  # top performer, visible
    assert hidden["employee_id"].tolist() == ["a3"]
    reason = hidden.iloc[0]["reason"]
    assert "no tie to the senior leader" in reason
    assert "1 person outside A works with them" in reason
    assert "1 person outside their team names them" in reason
    assert hidden.attrs["high_performers"] == 2 and hidden.attrs["share_of_high_performers"] == 0.5


def test_reasons_without_a_survey_do_not_mention_it():
    people = pd.DataFrame({"department": ["A", "A", "B", "B"], "performance": [5, 3, 3, 3]},
                          index=pd.Index(["a", "b", "c", "d"], name="employee_id"))
    ties = pd.DataFrame({"source_id": ["a", "c"], "target_id": ["b", "d"], "layer": "email",
                         "kind": "interaction", "weight": 3.0, "count": 3.0})
    table = ona.people_metrics(ona.OrgNetwork(people, ties), rule=ona.TieRule("all"))
    hidden = hidden_talent(table)
    assert hidden["employee_id"].tolist() == ["a"]
    assert "names" not in hidden.iloc[0]["reason"] and "survey" not in hidden.iloc[0]["reason"]


def test_equal_scores_are_ordered_by_rating_then_closeness_not_file_order():
    # four top-rated people with no outside contact; two rated 5, two 4.5 (top share):
    # within a rating, the one further from everyone else comes first
    people = pd.DataFrame({"department": ["A"] * 4 + ["B"] * 3,
                           "team": ["A1", "A1", "A2", "A2", "B1", "B1", "B1"],
                           "performance": [4.5, 5, 4.5, 5, 1, 1, 1]},
                          index=pd.Index(["p1", "p2", "p3", "p4", "b1", "b2", "b3"], name="employee_id"))
    rows = [("p1", "p2", 1.0), ("p3", "p4", 5.0), ("b1", "b2", 1.0), ("b2", "b3", 1.0)]
    ties = pd.DataFrame(rows, columns=["source_id", "target_id", "weight"]).assign(
        layer="email", kind="interaction", count=1.0)
    table = ona.people_metrics(ona.OrgNetwork(people, ties), rule=ona.TieRule("all"))
    hidden = hidden_talent(table, rule="top_rating")
    assert hidden["employee_id"].tolist() == ["p2", "p4"]  # p2's only tie is weaker: further away
    listed = hidden_talent(table, rule="top_share", top_share=0.5)
    assert listed["employee_id"].tolist() == ["p2", "p4", "p1", "p3"]


def test_senior_leaders_rules():
    people = pd.DataFrame({"level": [6, 5, 5, 1, 1, 1, 1]}, index=list("abcdefg"))
    assert senior_leaders(people) == ["a", "b", "c"]
    assert senior_leaders(people, levels=1) == ["a"]
    assert senior_leaders(people, leaders=["d"]) == ["d"]
    with pytest.raises(ConfigError, match="not on the people list"):
        senior_leaders(people, leaders=["zz"])
    assert senior_leaders(pd.DataFrame(index=["x"])) == []


def test_two_level_firm_takes_only_the_top_level_as_leaders():
    table = ona.people_metrics(ona.load(ona.sample_path("lazega")), layers=["advice"])
    assert table.attrs["senior_leaders"] == 36  # the partners


def test_without_levels_or_survey_the_score_says_what_it_used():
    people = pd.DataFrame({"employee_id": list("abcd"), "department": ["X", "X", "Y", "Y"]})
    log = pd.DataFrame({"timestamp": ["2024-01-01T09:00"] * 3, "channel": "email",
                        "sender_id": ["a", "b", "c"], "recipient_ids": ["b", "c", "d"]})
    table = ona.people_metrics(ona.from_frames(people, log), min_weight=1)
    assert table.attrs["visibility_components"] == ["outside"]
    assert table.attrs["senior_leaders"] == 0


def test_roles_follow_the_documented_rules():
    m = pd.DataFrame({"degree": [20, 3, 3, 3, 3, 3, 3, 3, 3, 0],
                      "betweenness": [0.1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0],
                      "cross_department_ties": [0, 9, 0, 0, 0, 0, 0, 0, 0, 0]})
    roles = assign_roles(m)
    assert roles.tolist() == ["central connector", "boundary spanner"] + ["member"] * 7 + ["peripheral"]


@pytest.mark.slow
def test_generated_hidden_high_performers_lead_and_visible_ones_are_absent(generated):
    folder, truth = generated
    result = ona.analyze(folder)
    hidden = result.hidden_talent
    planted = truth["hidden_high_performers"]
    assert set(hidden["employee_id"].head(len(planted))) == set(planted)
    assert not set(hidden["employee_id"]) & set(truth["visible_high_performers"])
    assert (hidden["performance"] == 5).all()
    assert hidden["rank"].tolist() == list(range(1, len(hidden) + 1))
    leaders = len(truth["senior_leaders"])
    assert f"of the {leaders} senior leaders" in hidden.iloc[0]["reason"]
    table = result.people_metrics
    visible = table.loc[truth["visible_high_performers"], "visibility"]
    assert (visible > 75).all()


def test_high_performer_rules():
    from ona.hidden import high_performers
    scores = pd.Series(range(1, 101), dtype=float)  # continuous scores: top 10% by default
    assert high_performers(scores).sum() == 10
    assert high_performers(pd.Series([1, 2, 3, 3])).tolist() == [False, False, True, True]
    with pytest.raises(ConfigError):
        high_performers(scores, rule="best")


def test_teams_with_the_same_name_in_two_departments_are_different_teams():
    people = pd.DataFrame({"department": ["A", "A", "B"], "team": ["Team 1", "Team 1", "Team 1"]},
                          index=pd.Index(["a1", "a2", "b1"], name="employee_id"))
    ties = pd.DataFrame({"source_id": ["a1", "a1"], "target_id": ["a2", "b1"], "layer": "email",
                         "kind": "interaction", "weight": 3.0, "count": 1.0})
    table = ona.people_metrics(ona.OrgNetwork(people, ties))
    assert table.loc["a1", "outside_team_ties"] == 1  # b1 is in B's Team 1, not A's
    assert table.loc["a2", "outside_team_ties"] == 0


def test_a_crowd_nobody_knows_stays_at_zero_and_a_lone_person_is_peripheral():
    people = pd.DataFrame({"department": ["X", "X", "Y"], "performance": [5, 3, 4]},
                          index=pd.Index(["1", "2", "3"], name="employee_id"))
    ties = pd.DataFrame(columns=["source_id", "target_id", "layer", "kind", "weight", "count"])
    table = ona.people_metrics(ona.OrgNetwork(people, ties.astype({"weight": float, "count": float})))
    assert (table["visibility"] == 0).all() and (table["role"] == "peripheral").all()
    hidden = hidden_talent(table)
    assert hidden["employee_id"].tolist() == ["1"]  # rated 5, and nobody knows their work
