"""Talent review: every tie class by hand, advocates on a generated organisation, Lazega,
bad panel and slate input, no survey data, the brief and the command."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ona
from ona.errors import ConfigError, InputError
from ona.talent_review import STRONG_RELATIONS, ReviewRules, read_ids, talent_review

from .conftest import SAMPLES, write
from .conftest import cli as ona_cli

PEOPLE = """
employee_id,name,department,level
P1,Pat One,Exec,3
P2,Pia Two,Exec,3
P3,Pam Three,Exec,3
P4,Per Four,Exec,3
C1,Cal One,Sales,1
C2,Cy Two,Sales,1
C3,Cleo Three,Research,1
X,Xan,Research,1
Y,Yul,Research,1
Z,Zed,Sales,1
"""


def _events() -> str:
    rows = ["timestamp,channel,sender_id,recipient_ids,duration_minutes"]
    day = iter(range(1, 29))

    def emails(sender, recipients, k):
        for _ in range(k):
            rows.append(f"2026-03-{next(day):02d}T10:00:00,email,{sender},{recipients},")

    emails("P3", "C2", 5)            # weight 5: strong
    emails("P4", "C2", 1)            # weight 1: weak
    emails("P1", "C2;X;Y;Z;C3", 1)   # 1/5 = 0.2 each: below weak, none
    emails("X", "C3", 6)             # X works closely with C3 ...
    emails("P2", "X", 6)             # ... and with P2
    emails("Y", "P4", 8)             # Y works closely with P4 (and declares collaboration with C3)
    return "\n".join(rows)


RELATIONS = """
source_id,target_id,relation
P1,C1,advocacy
P2,C1,knows_work
C1,P3,knows_work
Y,C3,collaboration
C2,P2,advocacy
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    write(folder, "people.csv", PEOPLE)
    (folder / "interactions.csv").write_text(_events() + "\n")
    write(folder, "relationships.csv", RELATIONS)
    return folder


RULES = ReviewRules(strong_weight=4.0)


def test_every_tie_class_by_hand(small):
    review = talent_review(ona.load(small), ["P1", "P2", "P3", "P4"], ["C1", "C2", "C3"], rules=RULES)
    m = review.matrix
    # C1: P1 declared advocacy; P2 knows C1's work; C1 knowing P3's work makes only a weak tie
    assert m.loc["C1"].tolist() == ["advocate", "strong", "weak", "none"]
    # C2: P1's email went to five people (0.2); C2 declaring advocacy for P2 is some contact;
    # five one-to-one emails from P3 (5 >= 4); one from P4 (1 >= 0.5)
    assert m.loc["C2"].tolist() == ["none", "weak", "strong", "weak"]
    assert m.loc["C3"].tolist() == ["none"] * 4
    evidence = review.ties.set_index(["candidate_id", "panel_id"])
    assert evidence.loc[("C2", "P3"), "weight"] == pytest.approx(5.0)
    assert evidence.loc[("C2", "P3"), "events"] == 5 and evidence.loc[("C2", "P3"), "channels"] == "email"
    assert evidence.loc[("C2", "P3"), "last_contact"] == pd.Timestamp("2026-03-05 10:00:00")
    assert evidence.loc[("C1", "P3"), "declared"] == "knows_work (by candidate)"
    assert evidence.loc[("C2", "P1"), "weight"] == pytest.approx(0.2)


def test_advocate_counts_flags_and_introductions_by_hand(small):
    review = talent_review(ona.load(small), ["P1", "P2", "P3", "P4"], ["C1", "C2", "C3"], rules=RULES)
    c = review.candidates.set_index("candidate_id")
    assert c["advocates"].tolist() == [1, 0, 0]
    assert c.loc["C1", "advocate_ids"] == "P1"
    assert c["single_advocate"].tolist() == [True, False, False]
    assert c["no_advocate"].tolist() == [False, True, True]
    assert c["knows"].tolist() == [3, 3, 0]
    assert c.loc["C1", "coverage"] == pytest.approx(0.75)
    # C3: X works closely with C3 (6) and P2 (6): score 6; Y declared collaboration with C3
    # (counts as the strong weight, 4) and emails P4 (8): score 4
    intros = review.introductions[review.introductions["candidate_id"] == "C3"]
    assert intros[["via_id", "panel_id", "score"]].values.tolist() == [["X", "P2", 6.0], ["Y", "P4", 4.0]]
    assert c.loc["C3", "suggested_introductions"] == "X (Xan) to P2 (Pia Two); Y (Yul) to P4 (Per Four)"
    # C3 is known to nobody on the panel (knows 0): both introductions are to strangers
    assert intros["panel_tie"].tolist() == ["none", "none"]
    for row in review.introductions.itertuples():  # the tie told is the matrix's
        assert row.panel_tie == review.matrix.loc[row.candidate_id, row.panel_id]
    panel = review.panel.set_index("panel_id")
    assert panel.loc["P1", "advocates_for"] == 1 and panel.loc["P1", "blind_spots"] == "C2; C3"
    assert panel.loc["P3", "knows"] == 2 and panel.loc["P3", "slate_known_share"] == pytest.approx(2 / 3)


def test_thresholds_are_configurable(small):
    net = ona.load(small)
    strict = talent_review(net, ["P3", "P4"], ["C2"], rules=ReviewRules(strong_weight=6.0, weak_weight=2.0))
    assert strict.matrix.loc["C2"].tolist() == ["weak", "none"]


def test_candidate_on_the_panel_is_reported(small):
    review = talent_review(ona.load(small), ["P1", "C1"], ["C1", "C2"], rules=RULES)
    assert review.matrix.loc["C1", "C1"] == "self"
    assert any("also on the panel" in n for n in review.notes)
    assert review.candidates.set_index("candidate_id").loc["C1", "also_on_panel"]
    assert review.candidates.set_index("candidate_id").loc["C1", "coverage"] == 1.0  # P1 of 1 other


def test_panel_and_slate_errors_name_the_id(small, tmp_path):
    net = ona.load(small)
    write(tmp_path, "panel.csv", "employee_id\nP1\nQ9\n")
    with pytest.raises(InputError) as err:
        read_ids(tmp_path / "panel.csv", net.people, "panel")
    assert "panel.csv, row 3, column 'employee_id'" in str(err.value) and "Q9" in str(err.value)
    write(tmp_path, "slate.csv", "employee_id\n\n")
    with pytest.raises(InputError, match="slate is empty"):
        read_ids(tmp_path / "slate.csv", net.people, "slate")
    with pytest.raises(ConfigError, match="Q7 is not the id or the name of anyone on the people list"):
        read_ids("P1,Q7", net.people, "panel")
    with pytest.raises(ConfigError, match="empty"):
        read_ids(" , ", net.people, "slate")
    with pytest.raises(ConfigError, match="does not exist"):
        read_ids(tmp_path / "missing.csv", net.people, "slate")
    with pytest.raises(ConfigError, match="does not exist"):  # a Path without suffix or folder
        read_ids(Path("no-such-slate-file"), net.people, "slate")
    write(tmp_path, "two.csv", "id,title\nP1,x\n")
    with pytest.raises(InputError, match="employee_id or name column"):
        read_ids(tmp_path / "two.csv", net.people, "panel")
    write(tmp_path, "names.csv", "name\nPat One\ncal one\n")  # names, any case
    assert read_ids(tmp_path / "names.csv", net.people, "panel") == ["P1", "C1"]


def test_without_survey_data_nothing_is_silently_called_an_advocate(small, tmp_path):
    folder = tmp_path / "no_survey"
    folder.mkdir()
    for name in ("people.csv", "interactions.csv"):
        (folder / name).write_text((small / name).read_text())
    net = ona.load(folder)
    plain = talent_review(net, ["P3", "P4"], ["C2"], rules=RULES)
    assert plain.advocates_from is None and plain.candidates["advocates"].isna().all()
    assert plain.candidates["no_advocate"].isna().all()
    assert any("no advocacy answers" in n for n in plain.notes)
    stand_in = talent_review(net, ["P3", "P4"], ["C2"],
                             rules=ReviewRules(strong_weight=4.0, strong_as_advocates=True))
    assert stand_in.advocates_from == "strong ties"
    assert stand_in.candidates["advocates"].tolist() == [1] and stand_in.candidates["advocate_ids"].tolist() == ["P3"]
    assert any("stand-in" in n for n in stand_in.notes)


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unseen")
    org = ona.generate_organisation(700, seed=58213, events_per_person=60)
    ona.write_organisation(org, folder)
    return folder, org.truth


def test_generated_advocates_are_exactly_the_planted_ones(unseen):
    folder, truth = unseen
    net = ona.load(folder)
    review = talent_review(net, truth["panel"], truth["slate"])
    c = review.candidates.set_index("candidate_id")
    planted = {k: sorted(v) for k, v in truth["advocates"].items()}
    assert set(c.index[c["no_advocate"].astype(bool)]) == {k for k, v in planted.items() if not v}
    assert set(c.index[c["single_advocate"].astype(bool)]) == {k for k, v in planted.items() if len(v) == 1}
    for candidate, advocates in planted.items():
        got = sorted(x for x in c.loc[candidate, "advocate_ids"].split("; ") if x)
        assert got == advocates, candidate
    assert (review.matrix == "advocate").sum().sum() == sum(len(v) for v in planted.values())
    needing = {k for k, v in planted.items() if len(v) <= 1}
    assert set(review.introductions["candidate_id"]) <= needing


LAZEGA_NO_ADVICE_ADVOCATE = [44, 47, 49, 51, 52, 54, 55, 56, 58, 61, 62, 65, 66, 67, 68, 69, 71]
LAZEGA_NO_FRIEND_ADVOCATE = [44, 45, 47, 49, 53, 55, 59, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71]


@pytest.mark.parametrize("relation,expected", [("advice", LAZEGA_NO_ADVICE_ADVOCATE),
                                               ("friendship", LAZEGA_NO_FRIEND_ADVOCATE)])
def test_lazega_associates_no_partner_names(relation, expected):
    # the dataset README: associates whom no partner names (partners = the panel)
    folder = ona.sample_path("lazega")
    net = ona.load(folder)
    strong = tuple(r for r in STRONG_RELATIONS if r != relation)
    review = talent_review(net, read_ids(folder / "panel.csv", net.people, "panel"),
                           read_ids(folder / "slate.csv", net.people, "slate"),
                           rules=ReviewRules(advocate_relations=(relation,), strong_relations=strong))
    c = review.candidates
    assert sorted(c.loc[c["no_advocate"].astype(bool), "candidate_id"].astype(int)) == expected
    assert len(c) == 35 and len(review.matrix.columns) == 36


@pytest.mark.slow
def test_command_writes_tables_and_a_brief(tmp_path):
    acme = SAMPLES / "acme"
    truth = json.loads((acme / "truth.json").read_text())
    run = ona_cli("talent-review", str(acme), "--panel", str(acme / "panel.csv"),
                  "--slate", ",".join(truth["slate"]), "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    no_advocate = sorted(k for k, v in truth["advocates"].items() if not v)
    names = ona.names.display_names(ona.load(acme).people)
    listed = ", ".join(names[x] for x in no_advocate)
    assert f"no advocate on the panel: {len(no_advocate)} ({listed})" in run.stdout  # by name
    table = pd.read_csv(tmp_path / "talent_review.csv", dtype={"candidate_id": str})
    assert sorted(table.loc[table["no_advocate"], "candidate_id"]) == no_advocate
    matrix = pd.read_csv(tmp_path / "talent_review_matrix.csv", dtype=str).set_index("candidate_id")
    assert list(matrix.columns) == truth["panel"] and set(matrix.stack()) <= {"advocate", "strong", "weak", "none"}
    page = (tmp_path / "review_brief.html").read_text()
    people = pd.read_csv(acme / "people.csv", dtype=str).set_index("employee_id")
    for cid in no_advocate:
        assert people.loc[cid, "name"] in page
    assert "<script" not in page
    book = openpyxl.load_workbook(tmp_path / "review_brief.xlsx")
    assert book.sheetnames == ["Summary", "Matrix", "Candidates", "Panel", "Introductions", "Evidence"]
    fills = {c.fill.start_color.rgb for row in book["Matrix"].iter_rows(min_row=2, min_col=2) for c in row}
    assert len(fills) >= 2
    record = json.loads((tmp_path / "review_run.json").read_text())
    assert record["no_advocate"] == len(no_advocate) and "084882" not in json.dumps(record)


@pytest.mark.slow
def test_command_errors_and_pseudonymised_review(tmp_path):
    acme = SAMPLES / "acme"
    bad = ona_cli("talent-review", str(acme), "--panel", "860357,999999", "--slate",
                  str(acme / "slate.csv"), "--out", str(tmp_path))
    assert bad.returncode == 2 and "999999 is not the id or the name of anyone on the people list" in bad.stderr
    assert "Traceback" not in bad.stderr
    key = "a-test-key-of-enough-length"
    run = ona_cli("talent-review", str(acme), "--panel", str(acme / "panel.csv"), "--slate",
                  str(acme / "slate.csv"), "--out", str(tmp_path / "p"), "--pseudonymize",
                  "--pseudonym-key", key, "--quiet")
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(tmp_path / "p" / "talent_review.csv", dtype=str)
    assert table["candidate_id"].str.match(r"^p[0-9a-f]{16}$").all() and "name" not in table.columns
    people = pd.read_csv(acme / "people.csv", dtype=str)
    page = (tmp_path / "p" / "review_brief.html").read_text()
    assert not any(name in page for name in people["name"])
    assert table["no_advocate"].eq("True").sum() == 4


def test_survey_coverage_by_hand(small):
    # who named anyone: P1, P2, C1, Y, C2 — so P3 and P4 did not answer
    net = ona.load(small)
    review = talent_review(net, ["P1", "P2", "P3", "P4"], ["C1", "C2", "C3"], rules=RULES)
    panel = review.panel.set_index("panel_id")["answered_survey"]
    assert panel.to_dict() == {"P1": True, "P2": True, "P3": False, "P4": False}
    c = review.candidates.set_index("candidate_id")
    # C1: P1 advocates, P2 knows their work: one advocate; P3 and P4 did not answer
    assert c.loc["C1", "advocates"] == 1 and c.loc["C1", "panel_not_answered"] == 2
    assert bool(c.loc["C1", "flag_rests_on_non_answers"])
    # C3: no advocate among those who answered, two who did not: the flag could change
    assert bool(c.loc["C3", "no_advocate"]) and bool(c.loc["C3", "flag_rests_on_non_answers"])
    ties = review.ties.set_index(["candidate_id", "panel_id"])
    assert ties.loc[("C3", "P3"), "panel_answered"] == False  # noqa: E712 (a nullable boolean)
    assert review.summary()["panel_answered"] == 2
    assert any("2 of the 4 panel members answered the survey" in n for n in review.notes)


def test_survey_response_from_the_people_file_overrides_the_inference(small, tmp_path):
    folder = tmp_path / "declared"
    folder.mkdir()
    for name in ("interactions.csv", "relationships.csv"):
        (folder / name).write_text((small / name).read_text())
    lines = (small / "people.csv").read_text().splitlines()
    answered = {"P1": "yes", "P2": "Yes", "P3": "TRUE", "P4": "no"}
    rows = [lines[0] + ",survey_response"] + [
        f"{line},{answered.get(line.split(',')[0], '')}" for line in lines[1:]]
    (folder / "people.csv").write_text("\n".join(rows) + "\n")
    net = ona.load(folder)
    review = talent_review(net, ["P1", "P2", "P3", "P4"], ["C3"], rules=RULES)
    assert review.survey.source == "people file"
    assert review.panel.set_index("panel_id")["answered_survey"].to_dict() == {
        "P1": True, "P2": True, "P3": True, "P4": False}
    assert review.candidates.loc[0, "panel_not_answered"] == 1
    rows[2] = rows[2].rsplit(",", 1)[0] + ",maybe"
    (folder / "people.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(InputError, match="survey_response"):
        ona.load(folder)


def test_without_any_survey_the_summaries_say_unknown_not_zero(small, tmp_path):
    folder = tmp_path / "events_only"
    folder.mkdir()
    for name in ("people.csv", "interactions.csv"):
        (folder / name).write_text((small / name).read_text())
    result = ona.review(folder, "P3,P4", "C2", tmp_path / "out", rules=RULES)
    record = json.loads((tmp_path / "out" / "review_run.json").read_text())
    assert record["no_advocate"] is None and record["single_advocate"] is None
    assert record["panel_answered"] is None
    assert result.review.summary()["no_advocate"] is None
