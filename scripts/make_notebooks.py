"""Write the notebooks in notebooks/ from the cells below (outputs are never committed).

    python scripts/make_notebooks.py
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent.parent / "notebooks"

GETTING_STARTED = [
    new_markdown_cell(
        "# Getting started with ona\n\n"
        "Load an organisation — people, collaboration metadata and survey answers — look at "
        "what was dropped on the way in, and measure who is connected to whom.\n\n"
        "This notebook uses the generated sample organisation `acme` (300 people, six "
        "months of email, chat and meetings). Nobody in it is real."),
    new_code_cell("import ona\n\nnet = ona.load(ona.sample_path(\"acme\"))\n"
                  "print(len(net.people), \"people,\", len(net.ties), \"ties in layers\", net.layers)"),
    new_markdown_cell(
        "## Nothing is silently lost\n\nEvery row that could not be used is counted by file "
        "and reason. The sample has dirty rows planted on purpose."),
    new_code_cell("net.quality.drops_frame()"),
    new_markdown_cell("## The layers\n\nEach interaction channel and each declared relation is "
                      "a layer of its own."),
    new_code_cell("net.layer_summary()"),
    new_markdown_cell(
        "## Who is most connected?\n\n`people_metrics` gives one row per person — everyone on "
        "the people list, with zeros for people with no ties. By default it measures the "
        "interaction channels combined; `strength` is the total weight of a person's ties "
        "(see `docs/weighting.md`)."),
    new_code_cell("table = ona.people_metrics(net)\n"
                  "table.sort_values(\"strength\", ascending=False)"
                  "[[\"department\", \"title\", \"degree\", \"strength\"]].head(10)"),
    new_code_cell("table.groupby(\"department\")[[\"degree\", \"strength\"]].median().round(1)"),
    new_markdown_cell(
        "## Who is visible, and in what role?\n\n`visibility` (0-100) combines how many people "
        "outside a person's team and department work with them, how many senior leaders know "
        "them directly or through one close colleague, and how many people outside their team "
        "say they know their work (see `docs/metrics.md`). Each person also gets one network "
        "role."),
    new_code_cell("table[\"role\"].value_counts()"),
    new_code_cell("table.sort_values(\"visibility\")[[\"department\", \"title\", \"visibility\", "
                  "\"outside_team_ties\", \"leader_reach\", \"role\"]].head(8)"),
    new_markdown_cell(
        "## Best-kept secrets\n\nHigh performers with low visibility, each with the reason in "
        "plain words. The sample has three planted on purpose (`truth.json`)."),
    new_code_cell("hidden = ona.hidden_talent(table, leaders_total=table.attrs[\"senior_leaders\"])\n"
                  "hidden[[\"rank\", \"name\", \"department\", \"visibility\", \"reason\"]]"),
    new_markdown_cell(
        "## A graph for anything else\n\nThe network is a plain networkx graph, directed or "
        "not, for any choice of layers."),
    new_code_cell("import networkx as nx\n\n"
                  "advice = net.graph([\"advice\"], directed=True)\n"
                  "most_sought = sorted(advice.in_degree(), key=lambda x: -x[1])[:5]\n"
                  "[(p, advice.nodes[p][\"title\"], n) for p, n in most_sought]"),
    new_markdown_cell(
        "## Sharing results without identities\n\nWith a secret key, every id becomes a keyed "
        "pseudonym and names are dropped. The same key always gives the same pseudonyms."),
    new_code_cell("safe = ona.pseudonymize(net, \"notebook-demo-key-not-secret\")\n"
                  "ona.people_metrics(safe).head(3)"),
]


def _md(text: str):
    return new_markdown_cell(text.strip())


def _code(text: str):
    return new_code_cell(text.strip())


TALENT_REVIEW = [
    _md("""
# Preparing a talent review

A few leaders will discuss a slate of candidates. Before the meeting: who on the panel
speaks for each candidate (an **advocate**), who knows them well or a little, who has no
advocate or just one, and who could introduce a candidate to a panel member who does not
know them yet.

The sample organisation `acme` comes with a panel (`panel.csv`) and a slate (`slate.csv`);
the planted truth is in `truth.json`. The rules behind every class are in
`docs/talent-review.md`.
"""),
    _code("""
import json
import ona

acme = ona.sample_path("acme")
result = ona.review(acme, acme / "panel.csv", acme / "slate.csv")
review = result.review
review.summary()
"""),
    _md("""
## The room at a glance

Rows are candidates, columns panel members; each cell is the strongest tie class between
them: `advocate` (the panel member said they advocate for the candidate), `strong`,
`weak` or `none`.
"""),
    _code("""
names = result.network.people["name"].dropna().to_dict()
ona.review_matrix(review, labels=names)
"""),
    _md("""
## Who has no advocate, or only one?

Candidates with no advocate in the room are discussed by people who do not know their
work; a single advocate carries the whole case alone.
"""),
    _code("""
review.candidates[["name", "department", "advocates", "knows", "known_by", "coverage",
                   "no_advocate", "single_advocate"]].sort_values("advocates")
"""),
    _code("""
truth = json.loads((acme / "truth.json").read_text())
planted = {c for c, advocates in truth["advocates"].items() if not advocates}
flagged = set(review.candidates.loc[review.candidates["no_advocate"], "candidate_id"])
print("planted no-advocate candidates found:", flagged == planted)
"""),
    _md("""
## Who could introduce them?

For each candidate, a go-between who works closely with both the candidate and a panel
member who does not know the candidate well yet, ranked by the weaker of the two ties.
"""),
    _code("""
review.introductions[["candidate_id", "panel_id", "via_id", "score", "suggestion"]].head(10)
"""),
    _md("""
## The panel's blind spots

How much of the slate each panel member knows, and whom they do not know at all.
"""),
    _code("""
review.panel[["name", "advocates_for", "strong", "weak", "none", "slate_known_share"]]
"""),
    _md("""
## The brief

The same tables as a printable HTML page and an Excel workbook with the matrix coloured
by class, for the people in the room.
"""),
    _code("""
import tempfile
from pathlib import Path

out = Path(tempfile.mkdtemp())
files = ona.write_brief(review, result.network.people, out)
[f.name for f in files]
"""),
]

SILOS = [
    _md("""
# Silos and bridges

Where are the tribes, do they follow the org chart, which departments are closed in on
themselves, and who carries the few ties between them? Tribes are found with Louvain on
the collaboration ties (`docs/metrics.md`, tribes); the sample organisation `acme` has two
planted silo departments and one group that works across four departments.
"""),
    _code("""
import json
import ona

acme = ona.sample_path("acme")
result = ona.analyze(acme, tribes=ona.TribeSettings(stability_seeds=5))
truth = json.loads((acme / "truth.json").read_text())
result.agreement
"""),
    _md("""
## Who works with whom

Tie weight between departments: the diagonal is the work inside each department.
"""),
    _code("ona.department_heatmap(result.department_matrix)"),
    _md("""
## Silo departments: the E-I index

E-I = (outside - inside) / (outside + inside): -1 when every tie stays inside. The grey
mark is what the department would score if ties ignored department lines, so small and
large departments compare fairly. A silo is a department whose openness is well below
the others' (the rule and its threshold are in docs/metrics.md).
"""),
    _code("ona.ei_chart(result.departments)"),
    _code("""
silos = result.departments.loc[result.departments["silo"], "department"].tolist()
print("silos found:", silos, "| planted:", truth["silo_departments"])
result.departments[["department", "size", "ei_index_weighted", "ei_expected_weighted",
                    "openness", "people_with_outside_ties", "bridges", "silo"]]
"""),
    _md("""
## Tribes against departments

Each tribe's members by department. A tribe that spans departments is a team the org chart
does not show.
"""),
    _code("ona.tribe_department_heatmap(result.tribe_departments)"),
    _code("""
result.tribe_table[["tribe", "size", "top_departments", "departments", "internal_share",
                    "bridges", "stability", "silo"]].sort_values("departments", ascending=False).head(8)
"""),
    _code("ona.tribe_map(result.people_metrics, result.ties, result.tribe_table)"),
    _md("""
## Who bridges them

For every pair of connected departments: how many ties, and which few people carry them.
A pair held together by one person is fragile.
"""),
    _code("""
bridges = result.bridges[result.bridges["level"] == "department"]
bridges.sort_values("weight").head(8)
"""),
    _md("""
## Through new eyes: the second quarter against the first

A new executive or a reorganisation changes who works with whom. Comparing two periods
shows who became more or less visible and which ties between departments grew or faded
(weights per 30 days, so periods of different lengths compare fairly).
"""),
    _code("""
change = ona.compare_periods(acme, ("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-30"))
between = change.department_ties[~change.department_ties["inside"]]
between["status"].value_counts()
"""),
    _code("""
change.people[["department", "visibility_before", "visibility_after", "visibility_change",
               "status"]].head(10)
"""),
]

LAZEGA = [
    _md("""
# A real firm: do the partners know the associates?

Lazega's law firm (Lazega 2001; Lazega & Pattison 1999): 71 lawyers, 36 partners and 35
associates, in three offices, with who-asks-whom-for-advice, friendship and co-work
nominations. Provenance and the published facts are in `sample_data/lazega/README.md`.

In a partnership the partners decide who makes partner. So: which associates are known
to the partners, through advice and through friendship, and which are not?
"""),
    _code("""
import ona

firm = ona.sample_path("lazega")
net = ona.load(firm)
people = net.people
people.groupby(["department", "title"]).size().unstack()
"""),
    _md("""
## Who asks whom for advice

Advice flows up: associates go to partners far more often than the reverse (the published
figures are 242 and 59 ties).
"""),
    _code("""
advice = net.ties[net.ties["layer"] == "advice"]
title = people["title"]
flows = advice.assign(source=title.reindex(advice["source_id"]).to_numpy(),
                      target=title.reindex(advice["target_id"]).to_numpy())
flows.groupby(["source", "target"]).size().unstack()
"""),
    _md("""
## The partners as a panel, the associates as a slate

An associate counts as *advocated* when a partner names them (here: as someone they go to
for advice, i.e. whose work they rely on). No advocacy survey exists for this firm, so the
relation is chosen explicitly and the result says so.
"""),
    _code("""
rules = ona.ReviewRules(advocate_relations=("advice",),
                         strong_relations=("friendship", "collaboration"))
review = ona.talent_review(net, ona.read_ids(firm / "panel.csv", people, "panel"),
                           ona.read_ids(firm / "slate.csv", people, "slate"), rules=rules)
c = review.candidates
print(f"{int(c['no_advocate'].sum())} of {len(c)} associates are named by no partner for advice")
c[["department", "advocates", "knows", "known_by", "no_advocate"]].sort_values("advocates").head(10)
"""),
    _code("""
ona.review_matrix(review)
"""),
    _md("""
## Tribes: offices, not practices

Louvain on the advice network finds groups that sit within offices.
"""),
    _code("""
tribes = ona.detect_tribes(net, layers=["advice"], seed=1)
crosstab = ona.tribe_department_table(people, tribes, min_group_size=1)
ona.tribe_department_heatmap(crosstab)
"""),
]

IMPORTS = [
    _md("""
# Bringing data in, handing results on

Most organisations already have collaboration data in another tool. This notebook writes a
small **Viva Insights person-to-person export** (the format Microsoft's analyst tool
produces), imports it, analyses it, and hands the results on as one Excel workbook and a
GEXF file for Gephi. The same works for edge lists, Slack exports and calendar `.ics`
files (`docs/imports.md`, `ona import --help`).
"""),
    _code("""
import tempfile
from pathlib import Path

import networkx as nx
import pandas as pd
import ona

work = Path(tempfile.mkdtemp())
# a person-to-person export of acme's collaboration, one row per pair and week
net = ona.load(ona.sample_path("acme"))
ties = net.ties[net.ties["kind"] == "interaction"].copy()
ties["week"] = ties["last_contact"].dt.to_period("W").dt.start_time.dt.strftime("%m/%d/%Y")
p2p = (ties.groupby(["source_id", "target_id", "week"], observed=True)["weight"].sum()
       .reset_index())
dept = net.people["department"]
export = pd.DataFrame({
    "PrimaryCollaborator_PersonId": p2p["source_id"].astype(str),
    "SecondaryCollaborator_PersonId": p2p["target_id"].astype(str),
    "MetricDate": p2p["week"],
    "Collaboration_hours": (p2p["weight"] / 2).round(2),
    "PrimaryCollaborator_Organization": dept.reindex(p2p["source_id"].astype(str)).to_numpy(),
    "SecondaryCollaborator_Organization": dept.reindex(p2p["target_id"].astype(str)).to_numpy(),
})
export.to_csv(work / "p2p_export.csv", index=False)
export.head(3)
"""),
    _md("""
## Import

Each row becomes a collaboration event on its `MetricDate`, weighing its hours x 2 (half
an hour weighs 1, as a 30-minute meeting does); the people table comes from the attribute
columns.
"""),
    _code("""
imported = ona.read_viva_p2p(work / "p2p_export.csv")
print(imported.summary())
imported.write(work / "from_viva")
result = ona.analyze(work / "from_viva", tribes=ona.TribeSettings(stability_seeds=0))
result.departments[["department", "size", "ei_index_weighted", "silo"]]
"""),
    _md("""
## Hand on: one workbook, one Gephi file

The workbook has a sheet per table; the GEXF carries every person's department, tribe and
measures, so Gephi can colour and size by them as is. Reading it back with networkx shows
what Gephi will see.
"""),
    _code("""
book = ona.write_workbook(result, work / "results.xlsx")
gexf = ona.write_graph(result, work / "network.gexf")
graph = nx.read_gexf(gexf)
print(pd.ExcelFile(book).sheet_names)
print(graph.number_of_nodes(), "people,", graph.number_of_edges(), "ties")
sorted(graph.nodes(data=True))[0]
"""),
]

FAIRNESS = [
    _md("""
# Is access fair?

HR's question after "who is hidden" is "is it the same people every time?" Do people at one
site, or of one gender, get the same access to senior leaders, the same ties outside their
team and the same advocates as their peers **at the same level in the same department**?

`ona.fairness` compares the groups of any column you name, like for like, with a 95%
interval, a permutation test and a correction for the number of comparisons
(`docs/fairness.md`). Only the columns named are read; a group with fewer than five people
at one level in one department is left out, and the results are about groups, never about
one person. A gap is a signal to look into, not a verdict on anyone.
"""),
    _code("""
import ona

quick = dict(confidence=ona.ConfidenceSettings(replicates=0), tribes=ona.TribeSettings(stability_seeds=0))
result = ona.analyze(ona.sample_path("acme"), **quick)
table = ona.fairness(result, ["location"])
print(table.attrs["comparisons"], "comparisons;", int(table["finding"].sum()), "findings")
table[["group", "reference", "outcome", "raw_difference", "adjusted_difference", "ci_low", "ci_high",
       "p_adjusted", "left_out"]].round(2).head(8)
"""),
    _md("""
In the sample organisation (300 people), locations were assigned at random: there is no
difference beyond chance, and the sentences say so. Many people are left out: at this
size, few locations have five people at one level in one department.
"""),
    _code("""
print(table["sentence"].iloc[0])
"""),
    _md("""
## What a gap looks like

A generated organisation of 1,500 people where the people in Nairobi have their meetings and
messages with senior leaders cut to 30% of their peers' rate, at every level and in every
department. ona finds it, with its size and direction, and nothing elsewhere.
"""),
    _code("""
import tempfile
from pathlib import Path

folder = Path(tempfile.mkdtemp())
org = ona.generate_organisation(1500, seed=2028, events_per_person=60, dirty=False,
                                gap={"location": "Nairobi", "outcome": "leader", "factor": 0.3})
ona.write_organisation(org, folder / "gap")
gapped = ona.fairness(ona.analyze(folder / "gap", **quick), ["location"],
                      settings=ona.FairnessSettings(reference={"location": "London"}))
for sentence in gapped.loc[gapped["finding"], "sentence"]:
    print("-", sentence)
"""),
    _md("""
## A confound is not a gap

Here Nairobi is mostly junior (half of levels 1-2, a twentieth of the rest) and nobody is
treated differently. Juniors know fewer senior leaders, so the raw difference is large; at
the same level and in the same department it disappears.
"""),
    _code("""
org = ona.generate_organisation(1500, seed=2028, events_per_person=60, dirty=False, confound="Nairobi")
ona.write_organisation(org, folder / "confound")
confounded = ona.fairness(ona.analyze(folder / "confound", **quick), ["location"],
                          settings=ona.FairnessSettings(reference={"location": "London"}))
print(int(confounded["finding"].sum()), "findings")
confounded.query("group == 'Nairobi' and population == 'everyone'")[
    ["outcome", "raw_difference", "adjusted_difference", "ci_low", "ci_high"]].round(2)
"""),
]

CAREERS = [
    _md("""
# Sponsors, mentors and careers over time

A sponsor talks *about* you; a mentor talks *with* you. With five years of job history (who
held which level from when) and the survey's dated answers, ona tells who develops people,
who has nobody, whose manager does not know what they want, and what a departure would
break (`docs/careers.md`). The sample organisation `acme` carries a generated history.
"""),
    _code("""
import ona
from ona.careers import career_conversations, mentoring_map, sponsor_track_record, support_table, what_if

net = ona.load(ona.sample_path("acme"))
names = ona.names.display_names(net.people)
print(len(net.history), "history rows from", net.history["date"].min().date(), "to", net.history["date"].max().date())
"""),
    _md("""
## Who develops people

Each sponsor's protégés, promoted within two years of being sponsored, against colleagues
at the same level in the same department. "Develops people" only when chance is unlikely to
explain the difference; under five protégés followed for two years, "too few to tell".
"""),
    _code("""
sponsors = sponsor_track_record(net)
sponsors.insert(1, "name", sponsors["employee_id"].map(names))
sponsors[["name", "verdict", "followed", "promoted", "promotion_rate", "expected_rate", "ci_low", "ci_high",
          "other_departments", "own_circle_only"]].round(2).head(8)
"""),
    _md("""
## Who has nobody, and who mentors whom

The share of people with neither a mentor nor a sponsor at each level is the pipeline the
next talent review draws from. Advice sought by senior people from junior ones is reverse
mentoring.
"""),
    _code("""
people, groups = support_table(net)
print(groups[groups["by"] == "level"].round(2).to_string(index=False))
advice = mentoring_map(net, relations=["advice"])
print("advice sought up the levels:", int(advice.loc[advice["direction"] == "up", "ties"].sum()),
      "- reverse mentoring (down):", int(advice.loc[advice["direction"] == "down", "ties"].sum()))
"""),
    _md("""
## Whose manager knows what they want

Among people who answered the survey; for the others it is unknown, never "no". The talent
review carries the same for each candidate.
"""),
    _code("""
talks = career_conversations(net)
answered = talks[talks["answered"]]
print(f"{int(answered['with_manager'].eq(False).sum())} of {len(answered)} who answered have not discussed "
      "their aspirations with their manager")
acme = ona.sample_path("acme")
panel = ona.read_ids(acme / "panel.csv", net.people, "panel")
slate = ona.read_ids(acme / "slate.csv", net.people, "slate")
review = ona.talent_review(net, panel, slate)
review.candidates.assign(candidate=review.candidates["candidate_id"].map(names))[
    ["candidate", "advocates", "manager_conversation"]].head(8)
"""),
    _md("""
## What a departure would break

If the first panel member left: the candidates who would lose their only advocate on the
panel, the people who would lose their only ties to senior leaders, the departments that
would lose their only links.
"""),
    _code("""
out = what_if(net, panel[:1], panel=panel, slate=slate)
print("without", names[panel[0]])
print("lose their only advocate:", [names[c] for c in out.lose_only_advocate["candidate"]])
print("lose their only ties to senior leaders:", len(out.lose_leader_access))
out.lose_pair
"""),
]


def main() -> None:
    HERE.mkdir(exist_ok=True)
    book = new_notebook(cells=GETTING_STARTED,
                        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                 "language": "python"}})
    nbformat.write(book, HERE / "01_getting_started.ipynb")
    for name, cells in (("02_talent_review", TALENT_REVIEW), ("03_silos_and_bridges", SILOS),
                        ("04_lazega_law_firm", LAZEGA), ("05_imports_and_exports", IMPORTS),
                        ("06_is_access_fair", FAIRNESS), ("07_sponsors_and_mentors", CAREERS)):
        nbformat.write(new_notebook(cells=cells, metadata=book.metadata), HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
