"""Fairness benchmark: how often ona fairness finds a planted gap, how often it reports one
that is not there, and how fast it is.

On organisations from two generators — ona's own and the independent one in
benchmarks/altgen (written from a plain description without reading ona) — it reports:

- **no gap** (each location assigned at random): the share of runs with any finding
  (Holm's correction over every comparison holds it at or under 5%);
- **confound** (one location concentrated at the lower levels, no gap at equal level): the
  share of runs with any finding, and the typical raw and adjusted difference;
- **planted gap** (one location's contact with senior leaders cut to ``factor``): the
  share of runs where it is found on leader ties with the right sign, and the share whose
  95% interval holds the planted size (ona's generator: the same organisation analysed
  without the gap, the group's loss minus the reference's; altgen: its own expected count
  of leaders contacted compared like for like);
- **speed**: ``ona.fairness`` at 10,000 people, 3 attributes × 8 outcomes, 1,000
  permutations and 1,000 bootstrap resamples, after the analysis.

    python benchmarks/bench_fairness.py              # about 15 minutes on 2 cores
    python benchmarks/bench_fairness.py --runs 5     # fewer seeds
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "altgen"))

import ona  # noqa: E402
from ona.fairness import FairnessSettings, fairness_table  # noqa: E402

QUICK = dict(confidence=ona.ConfidenceSettings(replicates=0), tribes=ona.TribeSettings(stability_seeds=0))
SITES = {"location": {"Austin": 0.5, "Pune": 0.3, "Leeds": 0.2}}


def ona_org(folder: Path, seed: int, people: int, **plant) -> tuple[ona.AnalysisResult, dict]:
    org = ona.generate_organisation(people, seed=seed, events_per_person=60, dirty=False, **plant)
    ona.write_organisation(org, folder)
    return ona.analyze(folder, **QUICK), org.truth


def alt_org(folder: Path, seed: int, people: int, **plant) -> ona.AnalysisResult:
    from orgsim import simulate
    simulate(folder, people=people, seed=seed, attributes=SITES, fair_draws=5, **plant)
    return ona.analyze(folder, **QUICK)


def row(table: pd.DataFrame, group: str, outcome: str = "leader_ties") -> pd.Series:
    return table.set_index(["group", "population", "outcome"]).loc[(group, "everyone", outcome)]


def run(runs: int, people: int, work: Path) -> list[dict]:
    out = []
    london = FairnessSettings(reference={"location": "London"})
    austin = FairnessSettings(reference={"location": "Austin"})
    for i in range(runs):
        seed = 9000 + i
        # ona's generator: no gap, gap, confound
        plain, _ = ona_org(work / f"o{seed}", seed, people)
        gapped, _ = ona_org(work / f"g{seed}", seed, people,
                            gap={"location": "Nairobi", "outcome": "leader", "factor": 0.4})
        confound, _ = ona_org(work / f"c{seed}", seed, people, confound="Nairobi")
        t_plain = ona.fairness(plain, ["location"], settings=london)
        t_gap = ona.fairness(gapped, ["location"], settings=london)
        t_conf = ona.fairness(confound, ["location"], settings=london)
        loss = gapped.people_metrics["leader_ties"] - plain.people_metrics["leader_ties"]
        where = gapped.people_metrics["location"]
        planted = loss[where == "Nairobi"].mean() - loss[where == "London"].mean()
        g = row(t_gap, "Nairobi")
        c = row(t_conf, "Nairobi", "leader_reach")
        out.append({"generator": "ona", "seed": seed, "null_any": bool(t_plain["finding"].any()),
                    "comparisons": t_plain.attrs["comparisons"],
                    "gap_found": bool(g["finding"] and g["adjusted_difference"] < 0),
                    "gap_other_groups": int(t_gap.loc[t_gap["group"] != "Nairobi", "finding"].sum()),
                    "gap_covered": bool(g["ci_low"] <= planted <= g["ci_high"]),
                    "gap_estimate": g["adjusted_difference"], "gap_planted": planted,
                    "confound_any": bool(t_conf["finding"].any()),
                    "confound_raw": c["raw_difference"], "confound_adjusted": c["adjusted_difference"]})
        # the independent generator
        plain = alt_org(work / f"ao{seed}", seed, people)
        gapped = alt_org(work / f"ag{seed}", seed, people,
                         gap={"attribute": "location", "group": "Pune", "outcome": "leader", "factor": 0.4})
        confound = alt_org(work / f"ac{seed}", seed, people, confound={"attribute": "location", "group": "Pune"})
        t_plain = ona.fairness(plain, ["location"], settings=austin)
        t_gap = ona.fairness(gapped, ["location"], settings=austin)
        t_conf = ona.fairness(confound, ["location"], settings=austin)
        own = pd.read_csv(work / f"ag{seed}" / "fairness_truth.csv", dtype={"employee_id": str})
        exact = FairnessSettings(reference={"location": "Austin"}, high_performers=False,
                                 outcomes=("leader_ties",), min_group_size=1)
        measured = fairness_table(own.assign(leader_ties=own["realised_senior_leaders"]), ["location"],
                                  settings=exact).set_index("group").loc["Pune"]
        planted = fairness_table(own.assign(leader_ties=own["expected_senior_leaders"]), ["location"],
                                 settings=exact).set_index("group").loc["Pune", "adjusted_difference"]
        g = row(t_gap, "Pune")
        c = row(t_conf, "Pune", "leader_reach")
        out.append({"generator": "altgen", "seed": seed, "null_any": bool(t_plain["finding"].any()),
                    "comparisons": t_plain.attrs["comparisons"],
                    "gap_found": bool(g["finding"] and g["adjusted_difference"] < 0),
                    "gap_other_groups": int(t_gap.loc[t_gap["group"] != "Pune", "finding"].sum()),
                    "gap_covered": bool(measured["ci_low"] <= planted <= measured["ci_high"]),
                    "gap_estimate": g["adjusted_difference"], "gap_planted": planted,
                    "confound_any": bool(t_conf["finding"].any()),
                    "confound_raw": c["raw_difference"], "confound_adjusted": c["adjusted_difference"]})
        print(pd.DataFrame(out[-2:]).round(3).to_string(index=False), flush=True)
    return out


def speed(work: Path) -> tuple[float, float, int]:
    folder = work / "speed"
    org = ona.generate_organisation(10000, seed=77, events_per_person=60, dirty=False)
    ona.write_organisation(org, folder)
    started = time.perf_counter()
    result = ona.analyze(folder, **QUICK)
    analysis = time.perf_counter() - started
    rng = np.random.default_rng(0)
    metrics = result.people_metrics
    metrics["gender"] = rng.choice(["F", "M"], size=len(metrics))
    metrics["remote"] = rng.choice(["yes", "no"], size=len(metrics), p=[0.3, 0.7])
    started = time.perf_counter()
    table = ona.fairness(result, ["location", "gender", "remote"])
    return time.perf_counter() - started, analysis, int(table.attrs["comparisons"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="seeds per generator (default 10)")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = pd.DataFrame(run(args.runs, args.people, work))
        summary = rows.groupby("generator").agg(
            runs=("seed", "size"), comparisons=("comparisons", "mean"),
            no_gap_runs_with_a_finding=("null_any", "mean"), gap_found=("gap_found", "mean"),
            other_groups_flagged=("gap_other_groups", "sum"), interval_holds_planted=("gap_covered", "mean"),
            confound_runs_with_a_finding=("confound_any", "mean"),
            confound_raw=("confound_raw", "median"), confound_adjusted=("confound_adjusted", "median"))
        print(f"\nfairness accuracy, {args.people:,} people per organisation")
        print(summary.round(3).to_string())
        if not args.no_speed:
            seconds, analysis, comparisons = speed(work)
            print(f"\nspeed at 10,000 people: ona.fairness {seconds:.1f} s for {comparisons} comparisons "
                  f"(3 attributes x 8 outcomes x everyone/high performers, 1,000 permutations and 1,000 "
                  f"bootstrap resamples each), after an analysis of {analysis:.1f} s")


if __name__ == "__main__":
    main()
