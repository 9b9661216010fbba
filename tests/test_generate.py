"""The generator: deterministic, and its planted truths are really in the data."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

import ona
from ona.errors import ConfigError
from ona.generate import generate_organisation, write_organisation


def _digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        write_organisation(generate_organisation(120, seed=seed, events_per_person=15), tmp_path / name)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["interactions.csv"] != _digest(tmp_path / "c")["interactions.csv"]


def test_structure_is_a_tree_with_levels(generated):
    folder, truth = generated
    people = pd.read_csv(folder / "people.csv", dtype={"employee_id": str, "manager_id": str})
    assert len(people) == 400 and people["employee_id"].is_unique
    assert people["employee_id"].str.len().eq(6).all()
    top = people[people["manager_id"].isna()]
    assert len(top) == 1 and top["level"].iloc[0] == people["level"].max()
    managers = people.set_index("employee_id")["level"]
    reports = people.dropna(subset=["manager_id"])
    assert (reports["manager_id"].map(managers) > reports["level"]).all()  # managers are senior
    assert sorted(people.loc[people["level"] >= 5, "employee_id"]) == truth["senior_leaders"]


def test_planted_dirty_rows_are_exactly_what_the_loader_reports(generated):
    folder, truth = generated
    net = ona.load(folder)
    expected = {}
    for reason, n in truth["dirty_interactions"]["expected_drops"].items():
        expected[("interactions.csv", reason, "rows")] = n
    for reason, n in truth["dirty_interactions"]["expected_dropped_entries"].items():
        if n:
            expected[("interactions.csv", reason, "recipient entries")] = n
    for reason, n in truth["dirty_relationships"]["expected_drops"].items():
        expected[("relationships.csv", reason, "rows")] = n
    got = {(d.file, d.reason, d.unit): d.count for d in net.quality.drops}
    assert got == expected
    assert net.interactions.events_used == truth["clean_events"] + \
        truth["dirty_interactions"]["planted_rows"]["one_unknown_recipient"]


def test_silo_departments_are_the_most_inward_looking(generated):
    folder, truth = generated
    net = ona.load(folder)
    ties = net.ties[net.ties["kind"] == "interaction"]
    dept = net.people["department"]
    external = ties["source_id"].map(dept) != ties["target_id"].map(dept)
    share = (ties["weight"] * external).groupby(ties["source_id"].map(dept)).sum() / \
        ties["weight"].groupby(ties["source_id"].map(dept)).sum()
    assert set(share.nsmallest(len(truth["silo_departments"])).index) == set(truth["silo_departments"])


def test_hidden_high_performers_are_hidden_and_visible_ones_visible(generated):
    folder, truth = generated
    net = ona.load(folder)
    leaders = set(truth["senior_leaders"])
    g = net.graph()
    team = net.people["team"]
    perf = net.people["performance"]
    for person in truth["hidden_high_performers"]:
        assert perf[person] == 5
        assert not leaders & set(g[person])
        outside = [p for p in g[person] if team[p] != team[person]]
        assert len(outside) <= 2  # at most their manager's manager
    for person in truth["visible_high_performers"]:
        assert perf[person] == 5
        assert len(leaders & set(g[person])) >= 3
        assert len([p for p in g[person] if team[p] != team[person]]) >= 20
    declared = net.ties[net.ties["kind"] == "relationship"]
    to_hidden = declared[declared["target_id"].isin(truth["hidden_high_performers"])]
    assert (to_hidden["source_id"].map(team) == to_hidden["target_id"].map(team)).all()
    assert not (to_hidden["layer"] == "advocacy").any()


def test_panel_advocates_match_the_truth(generated):
    folder, truth = generated
    rel = pd.read_csv(folder / "relationships.csv", dtype=str).drop_duplicates()
    panel = set(truth["panel"])
    advocacy = rel[(rel["relation"] == "advocacy") & rel["source_id"].isin(panel)]
    for candidate, advocates in truth["advocates"].items():
        got = sorted(advocacy.loc[advocacy["target_id"] == candidate, "source_id"])
        assert got == sorted(advocates)
    counts = sorted(len(a) for a in truth["advocates"].values())
    assert counts.count(0) == 4 and counts.count(1) == 4 and min(counts[-4:]) >= 2


def test_cross_department_group_spans_four_departments(generated):
    folder, truth = generated
    people = pd.read_csv(folder / "people.csv", dtype={"employee_id": str}).set_index("employee_id")
    group = truth["cross_department_group"]
    assert people.loc[group["members"], "department"].nunique() == 4
    net = ona.load(folder)
    g = net.graph()
    members = set(group["members"])
    inside = sum(d["weight"] for u, v, d in g.edges(data=True) if u in members and v in members)
    mean_member_pair = inside / (len(members) * (len(members) - 1) / 2)
    mean_pair = sum(d["weight"] for *_, d in g.edges(data=True)) / (400 * 399 / 2)
    assert mean_member_pair > 10 * mean_pair


def test_too_small_an_organisation_is_refused():
    with pytest.raises(ConfigError, match="at least 60"):
        generate_organisation(10)
