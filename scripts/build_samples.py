"""Rebuild sample_data/: the generated 'acme' organisation and two real ones.

The real organisations are converted from the research datasets kept beside the
project (../shared/datasets, not shipped); run this from the repository root:

    python scripts/build_samples.py [--datasets ../shared/datasets]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ona.generate import generate_organisation, write_organisation

ROOT = Path(__file__).resolve().parent.parent / "sample_data"
ACME = {"n_people": 300, "seed": 2026, "events_per_person": 100, "months": 6}


def build_acme() -> None:
    org = generate_organisation(ACME["n_people"], seed=ACME["seed"], months=ACME["months"],
                                events_per_person=ACME["events_per_person"], careers=True)
    write_organisation(org, ROOT / "acme")


def _edges(folder: Path, name: str, relation: str) -> pd.DataFrame:
    edges = pd.read_csv(folder / f"edges_{name}.csv", dtype=str)
    return pd.DataFrame({"source_id": edges["source"], "target_id": edges["target"],
                         "relation": relation})


def build_krackhardt(datasets: Path) -> None:
    src = datasets / "krackhardt_hightech"
    nodes = pd.read_csv(src / "nodes.csv", dtype={"id": str})
    reports = pd.read_csv(src / "edges_reports_to.csv", dtype=str)
    manager = dict(zip(reports["source"], reports["target"]))
    people = pd.DataFrame({
        "employee_id": nodes["id"],
        "department": ["Executive" if d == 0 else f"Department {d}" for d in nodes["dept"]],
        "title": nodes["level_label"],
        # the source codes 1 = CEO, 2 = VP, 3 = manager; the contract wants higher = more senior
        "level": 4 - nodes["level"],
        "manager_id": nodes["id"].map(manager).fillna(""),
        "age": nodes["age"], "tenure": nodes["tenure"],
    })
    rel = pd.concat([_edges(src, "advice", "advice"), _edges(src, "friendship", "friendship")])
    out = ROOT / "krackhardt"
    out.mkdir(parents=True, exist_ok=True)
    people.to_csv(out / "people.csv", index=False)
    rel.to_csv(out / "relationships.csv", index=False)


def build_lazega(datasets: Path) -> None:
    src = datasets / "lazega_lawyers"
    nodes = pd.read_csv(src / "nodes.csv", dtype={"id": str})
    people = pd.DataFrame({
        "employee_id": nodes["id"],
        "department": nodes["office_label"],
        "team": nodes["practice_label"],
        "title": nodes["status_label"],
        "level": (nodes["status"] == 1).astype(int) + 1,  # partner 2, associate 1
        "seniority_rank": nodes["seniority_rank"],
        "gender": nodes["gender_label"], "years_with_firm": nodes["years_with_firm"],
        "age": nodes["age"], "law_school": nodes["law_school_label"],
    })
    rel = pd.concat([_edges(src, "advice", "advice"), _edges(src, "friendship", "friendship"),
                     _edges(src, "cowork_nominations", "collaboration")])
    out = ROOT / "lazega"
    out.mkdir(parents=True, exist_ok=True)
    people.to_csv(out / "people.csv", index=False)
    rel.to_csv(out / "relationships.csv", index=False)
    people.loc[people["title"] == "partner", ["employee_id"]].to_csv(out / "panel.csv", index=False)
    people.loc[people["title"] == "associate", ["employee_id"]].to_csv(out / "slate.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=Path,
                        default=Path(__file__).resolve().parent.parent.parent / "shared" / "datasets")
    args = parser.parse_args()
    build_acme()
    build_krackhardt(args.datasets)
    build_lazega(args.datasets)


if __name__ == "__main__":
    main()
