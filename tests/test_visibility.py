"""Visibility parts on a hand-made organisation; roles; hidden talent on a generated one."""

from __future__ import annotations

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
    return ona.people_metrics(_org(), leaders=["L"])


def test_outside_ties_by_hand(table):
    # a3 works with b1 (other department); a1 with L (other department and team)
    assert table["cross_department_ties"].to_dict() == {"L": 1, "a1": 1, "a2": 0, "a3": 1, "b1": 1, "b2": 0}
    assert table["outside_team_ties"].to_dict() == {"L": 1, "a1": 1, "a2": 0, "a3": 1, "b1": 1, "b2": 0}


def test_leader_reach_through_one_strong_intermediary(table):
    # strong = top quarter of weights = 10. a1 is tied to L directly; a2 reaches L through
    # a1 by two strong ties; a3's tie to a2 is weak, so a3 does not.
    assert table["leader_ties"].to_dict() == {"L": 0, "a1": 1, "a2": 0, "a3": 0, "b1": 0, "b2": 0}
    assert table["leader_reach"].to_dict() == {"L": 0, "a1": 1, "a2": 1, "a3": 0, "b1": 0, "b2": 0}
    assert table.attrs["strong_tie_weight"] == pytest.approx(10.0)


def test_recognition_counts_declarations_and_the_score_uses_outside_ones(table):
    assert table.loc["a3", "recognition"] == 2                # b1 and teammate a2
    assert table.loc["a3", "recognition_outside_team"] == 1   # b1 only
    assert table.loc["a1", "recognition_outside_team"] == 1   # b2 advocates
    assert table["visibility"].between(0, 100).all()
    assert table.attrs["visibility_components"] == ["outside", "leaders", "declared"]
    # a2 has no outside tie, no outside recognition, only indirect reach: least visible of A
    assert table.loc["a2", "visibility"] < table.loc["a3", "visibility"] < table.loc["a1", "visibility"]


def test_hidden_talent_ranks_and_explains(table):
    # a3 (rated 5) sits below the 90th visibility percentile of this six-person org; a1 above
    hidden = hidden_talent(table, max_visibility=90, leaders_total=1)
    assert "a1" not in set(hidden["employee_id"])  # top performer, visible
    assert hidden["employee_id"].tolist() == ["a3"]
    reason = hidden.iloc[0]["reason"]
    assert "no tie to the senior leader" in reason
    assert "1 person outside A works with them" in reason
    assert "1 person outside their team names them" in reason


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
