"""Published facts of real organisations, reproduced from the bundled samples."""

from __future__ import annotations

import pandas as pd
import pytest

import ona

from .conftest import REFERENCE

DATA = REFERENCE.parent


@pytest.fixture(scope="module")
def krackhardt():
    return ona.load(ona.sample_path("krackhardt"))


@pytest.fixture(scope="module")
def lazega():
    return ona.load(ona.sample_path("lazega"))


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / name, dtype={"id": str}).set_index("id")


def test_krackhardt_sizes_and_formal_tree(krackhardt):
    assert len(krackhardt.people) == 21
    assert krackhardt.layer_summary().set_index("layer")["ties"].to_dict() == {
        "advice": 190, "friendship": 102}
    people = krackhardt.people
    assert people["manager_id"].isna().sum() == 1 and pd.isna(people.loc["7", "manager_id"])
    vps = sorted(people.index[people["manager_id"] == "7"], key=int)
    assert vps == ["2", "14", "18", "21"]
    assert people.loc["7", "level"] == people["level"].max()


def test_krackhardt_advice_degrees_match_reference(krackhardt):
    table = ona.people_metrics(krackhardt, layers=["advice"])
    ref = _reference("krackhardt_advice.csv")
    assert (table["in_degree"] == ref["in_degree"].reindex(table.index)).all()
    assert (table["out_degree"] == ref["out_degree"].reindex(table.index)).all()
    assert (table["degree"] == ref["degree_undirected"].reindex(table.index)).all()
    # VP 2 is the most sought for advice, the CEO only joint fourth
    ranked = table["in_degree"].sort_values(ascending=False)
    assert ranked.index[0] == "2" and ranked.iloc[0] == 18
    assert table.loc["7", "in_degree"] == 13 and (table["in_degree"] > 13).sum() == 3
    assert table["out_degree"].idxmax() == "15" and table["out_degree"].max() == 20


def test_lazega_everyone_appears_including_friendship_isolates(lazega):
    table = ona.people_metrics(lazega, layers=["friendship"])
    assert len(table) == 71
    assert sorted(table.index[table["degree"] == 0], key=int) == ["44", "47"]
    ref = _reference("lazega_friendship.csv")
    assert (table["degree"] == ref["degree_undirected"].reindex(table.index)).all()


def test_lazega_advice_flows_up_the_status_ladder(lazega):
    table = ona.people_metrics(lazega, layers=["advice"])
    ref = _reference("lazega_advice.csv")
    assert (table["in_degree"] == ref["in_degree"].reindex(table.index)).all()
    status = lazega.people["title"]
    mean_in = table.groupby(status)["in_degree"].mean().round(1).to_dict()
    assert mean_in == {"associate": 7.3, "partner": 17.7}
    advice = lazega.ties[lazega.ties["layer"] == "advice"]
    up = ((advice["source_id"].map(status) == "associate") &
          (advice["target_id"].map(status) == "partner")).sum()
    down = ((advice["source_id"].map(status) == "partner") &
            (advice["target_id"].map(status) == "associate")).sum()
    assert (up, down) == (242, 59)
    assert lazega.people["department"].value_counts().to_dict() == {
        "Boston": 48, "Hartford": 19, "Providence": 4}


def test_lazega_cowork_mutual_nominations_are_the_published_network(lazega):
    g = lazega.graph(["collaboration"], directed=True)
    mutual = {tuple(sorted((u, v))) for u, v in g.edges() if g.has_edge(v, u)}
    assert len(mutual) == 378
    partners = set(lazega.people.index[lazega.people["title"] == "partner"])
    assert sum(1 for u, v in mutual if u in partners and v in partners) == 115


@pytest.fixture(scope="module")
def enron():
    return ona.load(DATA / "enron")


def test_enron_in_degree_and_hierarchy_match_the_published_figures(enron):
    # tests/data/enron/README: with every contact a tie, in-degree top five 83 (60),
    # 108 (57), 127 (48), 158 (45), 52 (42); mean in-degree executives 27.1 > VPs 22.1 >
    # employees 12.9
    table = ona.people_metrics(enron, rule=ona.TieRule("all"))
    top = table["in_degree"].sort_values(ascending=False, kind="stable").head(5)
    assert top.to_dict() == {"83": 60, "108": 57, "127": 48, "158": 45, "52": 42}
    means = table.groupby("department")["in_degree"].mean()
    assert means["executive"] == pytest.approx(27.1, abs=0.1)
    assert means["executive"] > means["vice_president"] > means["employee"]
    # the default tie rule keeps the same five people on top and Lavorato the first broker
    default = ona.people_metrics(enron)
    assert set(default["in_degree"].nlargest(5).index) == set(top.index)
    assert default["betweenness"].idxmax() == "83"


def test_enron_mass_mailings_are_reported_not_tied(enron):
    report = enron.interactions.broadcasters_frame()
    assert report["mass_events"].sum() == 5 and "83" in set(report["employee_id"])


def test_eies_actor_1_is_the_hub():
    # Freeman's EIES: actor 1 sent and received the most messages, reached by 29 of 31
    net = ona.load(DATA / "eies")
    table = ona.people_metrics(net, rule=ona.TieRule("all"))
    assert table["in_degree"].idxmax() == "1" and table.loc["1", "in_degree"] == 29
    assert table["out_strength"].idxmax() == "1" and table.loc["1", "out_strength"] == pytest.approx(3171)
    default = ona.people_metrics(net)
    assert default["strength"].idxmax() == "1" and default["in_degree"].idxmax() == "1"
