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


def main() -> None:
    HERE.mkdir(exist_ok=True)
    book = new_notebook(cells=GETTING_STARTED,
                        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                 "language": "python"}})
    nbformat.write(book, HERE / "01_getting_started.ipynb")


if __name__ == "__main__":
    main()
