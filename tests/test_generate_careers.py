"""The generator's careers option: the history, dated sponsorship and mentoring, career
conversations and their truth, checked from the written files with pandas only."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from ona.generate import generate_organisation, write_organisation

pytestmark = pytest.mark.slow  # each builds five years of history (the fast tier keeps the analysis tests)

WINDOW = pd.DateOffset(months=24)
SPONSOR = ("advocacy", "sponsor")


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def careers(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("careers")
    write_organisation(generate_organisation(1000, seed=4, events_per_person=10, dirty=False, careers=True),
                       folder)
    return folder, json.loads((folder / "truth.json").read_text())


@pytest.fixture(scope="module")
def tables(careers) -> dict:
    folder, truth = careers
    people = _read(folder, "people").set_index("employee_id")
    people["level"] = people["level"].astype(int)
    history = _read(folder, "history")
    history["level"] = history["level"].astype(int)
    history["date"] = pd.to_datetime(history["date"])
    relationships = _read(folder, "relationships")
    relationships["date"] = pd.to_datetime(relationships["date"])
    previous = history.groupby("employee_id")["level"].shift()
    promotions = history.loc[history["level"] > previous, ["employee_id", "date"]]
    return {"people": people, "history": history, "relationships": relationships, "promotions": promotions}


def _promoted_after(ties: pd.DataFrame, promotions: pd.DataFrame) -> pd.Series:
    """Per tie (source_id, target_id, date): the target promoted within 24 months after the date."""
    pairs = ties.reset_index(drop=True).reset_index().merge(
        promotions.rename(columns={"employee_id": "target_id", "date": "promoted"}), on="target_id")
    hit = pairs[(pairs["promoted"] > pairs["date"]) & (pairs["promoted"] <= pairs["date"] + WINDOW)]
    return pd.Series(range(len(ties))).isin(set(hit["index"]))


def test_careers_false_changes_nothing_and_careers_adds_only(tmp_path):
    for n, seed, extra in ((300, 0, {}), (250, 5, {"events_per_person": 20, "dirty": False,
                                                   "gap": {"location": "Lisbon"}})):
        write_organisation(generate_organisation(n, seed=seed, **extra), tmp_path / "plain")
        write_organisation(generate_organisation(n, seed=seed, careers=False, **extra), tmp_path / "off")
        write_organisation(generate_organisation(n, seed=seed, careers=True, **extra), tmp_path / "on")
        plain, on = _digest(tmp_path / "plain"), _digest(tmp_path / "on")
        assert _digest(tmp_path / "off") == plain and "history.csv" not in plain
        for name in ("people.csv", "interactions.csv", "panel.csv", "slate.csv"):
            assert on[name] == plain[name], name
        before = (tmp_path / "plain" / "relationships.csv").read_text()
        assert (tmp_path / "on" / "relationships.csv").read_text().startswith(before)
        truth = json.loads((tmp_path / "on" / "truth.json").read_text())
        old = json.loads((tmp_path / "plain" / "truth.json").read_text())
        assert truth.pop("careers") and truth["generator"].pop("careers") is True
        assert truth == old


def test_history_ends_in_the_people_file(tables, careers):
    _, truth = careers
    people, history = tables["people"], tables["history"]
    assert list(history.columns) == ["employee_id", "date", "level", "title", "department", "manager_id", "event"]
    assert set(history["employee_id"]) == set(people.index)
    assert not history.duplicated(["employee_id", "date"]).any()
    last = history.groupby("employee_id").tail(1).set_index("employee_id").reindex(people.index)
    for column in ("level", "title", "department", "manager_id"):
        assert (last[column] == people[column]).all(), column
    start, end = pd.Timestamp(truth["careers"]["history_start"]), pd.Timestamp(truth["careers"]["history_end"])
    assert history["date"].between(start, end).all()
    first = history.groupby("employee_id").head(1).set_index("employee_id")
    hired = pd.to_datetime(people["hire_date"])
    assert (first["event"] == (hired >= start).map({True: "hire", False: "start"})).all()
    assert (first.loc[first["event"] == "hire", "date"] == hired[first["event"] == "hire"]).all()
    steps = history.groupby("employee_id")["level"].diff().dropna()
    assert steps.isin([0, 1]).all()  # promotions one level at a time, never down
    events = history.loc[steps.index, "event"]
    assert (events[steps == 1] == "promotion").all() and (events[steps == 0] == "move").all()
    moves = history[history["event"] == "move"]
    assert len(moves) > 0 and (moves["department"] == people.loc[moves["employee_id"], "department"].values).all()
    assert history.loc[history["event"] == "promotion", "level"].between(2, 5).all()  # from levels 1-4 only


def test_good_sponsors_proteges_are_promoted_far_more_often(tables, careers):
    _, truth = careers
    c = truth["careers"]
    rel, promotions, history = tables["relationships"], tables["promotions"], tables["history"]
    end = pd.Timestamp(c["history_end"])
    ties = rel[rel["relation"].isin(SPONSOR) & (rel["date"] + WINDOW <= end)]
    shares = {}
    for group in ("good_sponsors", "ordinary_sponsors"):
        mine = ties[ties["source_id"].isin(c[group])]
        shares[group] = _promoted_after(mine, promotions).mean()
        early = mine[mine["date"].isin(pd.to_datetime(c["survey_dates"][:3]))]
        proteges = early.groupby("source_id")["target_id"].nunique().reindex(c[group], fill_value=0)
        assert proteges.min() >= (10 if group == "good_sponsors" else 8)
        departments = early["target_id"].map(tables["people"]["department"]).groupby(early["source_id"]).nunique()
        assert departments.min() >= 3  # across departments
    assert len(c["good_sponsors"]) >= 3 and len(c["ordinary_sponsors"]) >= 3
    assert shares["good_sponsors"] >= 0.5
    assert shares["good_sponsors"] - shares["ordinary_sponsors"] >= 0.25
    assert shares["good_sponsors"] == pytest.approx(c["protege_promotion_24m"]["good_sponsors"], abs=1e-4)
    assert shares["ordinary_sponsors"] == pytest.approx(c["protege_promotion_24m"]["ordinary_sponsors"], abs=1e-4)

    # the base rate: people at levels 1-4 at a wave, not yet named by a sponsor, promoted in 24 months
    sponsored = rel[rel["relation"].isin(SPONSOR)].groupby("target_id")["date"].min()
    hits = windows = 0
    for wave in pd.to_datetime(c["survey_dates"]):
        if wave + WINDOW > end:
            continue
        at = history[history["date"] <= wave].groupby("employee_id").tail(1)
        at = at[at["level"].between(1, 4)]
        at = at[~(at["employee_id"].map(sponsored) <= wave).fillna(False).astype(bool)]
        up = promotions[(promotions["date"] > wave) & (promotions["date"] <= wave + WINDOW)]
        hits += at["employee_id"].isin(set(up["employee_id"])).sum()
        windows += len(at)
    assert hits / windows == pytest.approx(c["base_rate_24m"], abs=1e-4)
    assert 0.1 <= c["base_rate_24m"] <= 0.25
    assert shares["good_sponsors"] >= 2.5 * c["base_rate_24m"]


def test_ties_after_promotion_are_exactly_those_stated_after_a_promotion(tables, careers):
    _, truth = careers
    rel, promotions = tables["relationships"], tables["promotions"]
    ties = rel[rel["relation"].isin(SPONSOR)].drop_duplicates(["source_id", "target_id", "date"])
    pairs = ties.merge(promotions.rename(columns={"employee_id": "target_id", "date": "promoted"}), on="target_id")
    late = pairs[(pairs["promoted"] <= pairs["date"]) & (pairs["promoted"] > pairs["date"] - WINDOW)]
    expected = sorted({(s, t, d.strftime("%Y-%m-%d")) for s, t, d in
                       late[["source_id", "target_id", "date"]].itertuples(index=False)})
    listed = truth["careers"]["ties_after_promotion"]
    assert [tuple(x) for x in listed] == expected
    planted = [x for x in listed if x[0] in truth["careers"]["ordinary_sponsors"]]
    assert len(planted) >= 4  # stated by ordinary sponsors in the year after the promotion


def test_own_circle_sponsors_name_only_their_own_people(tables, careers):
    _, truth = careers
    people, rel, history = tables["people"], tables["relationships"], tables["history"]
    own = truth["careers"]["own_circle_sponsors"]
    assert len(own) == 2
    named = rel[rel["source_id"].isin(own) & rel["relation"].isin(SPONSOR)]
    assert len(named) >= 10
    direct = named["target_id"].map(people["manager_id"]) == named["source_id"]
    same_team = named["target_id"].map(people["team"]) == named["source_id"].map(people["team"])
    assert (direct | same_team).all()
    for s, t, d in named[["source_id", "target_id", "date"]].itertuples(index=False):
        then = history[(history["employee_id"] == t) & (history["date"] <= d)].tail(1)
        assert then.empty or then["manager_id"].iloc[0] == s


def test_neither_mentor_nor_sponsor_is_exact_and_differs_by_level(tables, careers):
    _, truth = careers
    people, rel = tables["people"], tables["relationships"]
    targets = set(rel.loc[rel["relation"].isin(("mentor",) + SPONSOR), "target_id"])
    neither = truth["careers"]["neither_mentor_nor_sponsor"]
    assert neither == sorted(set(people.index) - targets)
    share = people.index.isin(neither)
    by_level = pd.Series(share, index=people.index).groupby(people["level"]).mean()
    assert 0.2 * len(people) <= len(neither) <= 0.9 * len(people)
    assert by_level[1] - by_level[2] >= 0.05


def test_survey_answers_come_from_respondents_on_the_waves(tables, careers):
    _, truth = careers
    rel = tables["relationships"]
    waves = pd.to_datetime(truth["careers"]["survey_dates"])
    assert len(waves) == 5 and (waves.to_series().diff().dropna().dt.days.between(365, 366)).all()
    dated = rel[rel["relation"].isin(("mentor", "career_conversation") + SPONSOR)]
    assert dated["date"].isin(waves).all()
    assert set(rel["source_id"]) <= set(truth["respondents"])  # only those who answer state anything


def test_career_conversations_and_the_slate(tables, careers):
    _, truth = careers
    people, rel = tables["people"], tables["relationships"]
    c = truth["careers"]
    talks = rel[rel["relation"] == "career_conversation"]
    respondents = pd.Index(truth["respondents"])
    to_manager = set(talks.loc[talks["target_id"].values == talks["source_id"].map(people["manager_id"]).values,
                               "source_id"])
    with_manager = respondents[people.loc[respondents, "manager_id"] != ""]
    assert c["no_manager_conversation"] == sorted(set(with_manager) - to_manager)
    assert c["no_conversation"] == sorted(set(respondents) - set(talks["source_id"]))
    assert 0.5 <= len(to_manager) / len(respondents) <= 0.7
    seniors = set(people.index[people["level"] >= 5])
    to_senior = set(talks.loc[talks["target_id"].isin(seniors) & ~talks["source_id"].isin(to_manager), "source_id"])
    assert 0.08 <= len(to_senior) / len(respondents) <= 0.22
    slate = truth["slate"]
    lacking = [x for x in slate if x in set(c["no_manager_conversation"])]
    having = [x for x in slate if x in to_manager]
    assert len(lacking) >= 3 and len(having) >= 3
