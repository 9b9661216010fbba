"""Careers benchmark: are the planted sponsors, the people with nobody and the missing career
conversations found, and how fast are the tables and a what-if.

On organisations with five years of history from ona's generator (``careers=True``) and
from the independent one (benchmarks/altgen, ``careers=True``, written without reading
ona), for several seeds: planted good sponsors marked "develops people", ordinary (and any
unplanted) sponsors marked, planted own-circle sponsors flagged, the people with neither
mentor nor sponsor and those without a conversation with their manager found exactly, and
a what-if on each panel member listing exactly the candidates whose only advocate they were.
Then the time of each table at 10,000 people and of a what-if once the network is built.

    python benchmarks/bench_careers.py              # about 5 minutes
    python benchmarks/bench_careers.py --seeds 2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "altgen"))

import ona  # noqa: E402
from ona.careers import (  # noqa: E402
    career_conversations,
    mentoring_map,
    sponsor_track_record,
    support_table,
    what_if,
)


def score(folder: Path, careers: dict, panel: list[str], slate: list[str], only: dict[str, set[str]]) -> dict:
    net = ona.load(folder)
    sponsors = sponsor_track_record(net).set_index("employee_id")
    marked = set(sponsors.index[sponsors["verdict"] == "develops people"])
    good, ordinary = set(careers["good_sponsors"]), set(careers["ordinary_sponsors"])
    people, _ = support_table(net)
    talks = career_conversations(net)
    exact_what_if = all(set(what_if(net, [m], panel=panel, slate=slate).lose_only_advocate["candidate"])
                        == only.get(m, set()) for m in panel)
    circle = set(careers["own_circle_sponsors"])
    flagged = circle & set(sponsors.index[sponsors["own_circle_only"]])
    neither = set(people.loc[people["neither"], "employee_id"])
    return {"good": len(good), "good_marked": len(good & marked), "ordinary_marked": len(ordinary & marked),
            "unplanted_marked": len(marked - good - ordinary),
            "own_circle_flagged": f"{len(flagged)} of {len(circle)}",
            "neither_exact": neither == set(careers["neither_mentor_nor_sponsor"]),
            "no_manager_talk_exact": set(talks.loc[talks["with_manager"].eq(False), "employee_id"])
            == set(careers["no_manager_conversation"]),
            "what_if_exact": exact_what_if}


def accuracy(seeds: int, people: int, work: Path) -> pd.DataFrame:
    from orgsim import simulate
    rows = []
    for i in range(seeds):
        seed = 500 + i
        folder = work / f"ona{seed}"
        org = ona.generate_organisation(people, seed=seed, events_per_person=30, careers=True)
        ona.write_organisation(org, folder)
        answered = org.truth["advocates_answered"]
        only: dict[str, set[str]] = {}
        for candidate, advocates in answered.items():
            if len(advocates) == 1:
                only.setdefault(advocates[0], set()).add(candidate)
        rows.append({"generator": "ona", "seed": seed, **score(folder, org.truth["careers"], org.truth["panel"],
                                                                org.truth["slate"], only)})
        folder = work / f"alt{seed}"
        truth = simulate(folder, people=people, seed=seed, careers=True)
        panel = pd.read_csv(folder / "panel.csv", dtype=str)["employee_id"].tolist()
        slate = pd.read_csv(folder / "slate.csv", dtype=str)["employee_id"].tolist()
        only = {k: set(v) for k, v in truth["careers"]["only_advocate"].items()}
        rows.append({"generator": "altgen", "seed": seed, **score(folder, truth["careers"], panel, slate, only)})
        print(pd.DataFrame(rows[-2:]).to_string(index=False), flush=True)
    return pd.DataFrame(rows)


def speed(work: Path) -> pd.DataFrame:
    folder = work / "speed"
    org = ona.generate_organisation(10000, seed=77, events_per_person=30, careers=True, dirty=False)
    ona.write_organisation(org, folder)
    result = ona.analyze(folder, confidence=ona.ConfidenceSettings(replicates=0),
                         tribes=ona.TribeSettings(stability_seeds=0))
    net = result.network
    rows = []
    for name, run in (("sponsor track record", lambda: sponsor_track_record(net)),
                      ("mentoring map", lambda: mentoring_map(net)),
                      ("support by level and department", lambda: support_table(net)),
                      ("career conversations", lambda: career_conversations(net)),
                      ("what-if (one panel member)", lambda: what_if(net, org.truth["panel"][:1], ties=result.ties,
                                                                     panel=org.truth["panel"], slate=org.truth["slate"],
                                                                     tribes=result.tribes.membership))):
        best = min(_timed(run) for _ in range(3))
        rows.append({"stage": name, "seconds": round(best, 2)})
    return pd.DataFrame(rows).assign(history_rows=len(net.history))


def _timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        table = accuracy(args.seeds, args.people, work)
        summary = table.groupby("generator").agg(
            runs=("seed", "size"), good=("good", "sum"), good_marked=("good_marked", "sum"),
            ordinary_marked=("ordinary_marked", "sum"), unplanted_marked=("unplanted_marked", "sum"),
            neither_exact=("neither_exact", "mean"), no_manager_talk_exact=("no_manager_talk_exact", "mean"),
            what_if_exact=("what_if_exact", "mean"))
        print(f"\ncareers accuracy, {args.people:,} people, five years of history")
        print(summary.to_string())
        print("\nat 10,000 people, once the network is built (best of 3)")
        print(speed(work).to_string(index=False))


if __name__ == "__main__":
    main()
