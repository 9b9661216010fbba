"""Benchmark: people_metrics plus hidden talent at 1k, 10k, 50k and 100k people.

Builds org-like networks — the generator's hierarchy, departments and survey, with about
30 ties per person drawn with its contact habits (team, manager, department, regular
partners elsewhere) — and times each stage of ``people_metrics`` and ``hidden_talent`` in
a fresh subprocess per size, with its peak memory. At 10k people it also computes exact
betweenness and harmonic closeness and prints the rank correlation (Spearman) of the
sampled estimates with them.

    python benchmarks/bench_metrics.py                    # 1k, 10k, 50k, 100k
    python benchmarks/bench_metrics.py --people 1000 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

TIES_OUT = 30  # directed draws per person: about 30 distinct ties per person in all


def build_network(n: int, seed: int = 1):
    import ona
    from ona.generate import _PROFILE_NAMES, _PROFILES, generate_organisation
    from ona.network import concat_ties
    from ona.quality import QualityReport
    from ona.validate import clean_people, relationship_ties

    org = generate_organisation(n, seed=seed, events_per_person=1, dirty=False)
    model = org._model
    rng = np.random.default_rng(seed)
    senders = np.repeat(np.arange(n), TIES_OUT)
    prob = np.array([_PROFILES[p] for p in _PROFILE_NAMES])[model.profile[senders]]
    scope = (rng.random(len(senders))[:, None] > prob.cumsum(axis=1)).sum(axis=1)
    scope = np.minimum(scope, prob.shape[1] - 1)
    targets = model._resolve(senders, scope, rng)
    weight = 2.0 + rng.lognormal(0.5, 0.8, size=len(senders))
    ids = model.ids
    ties = pd.DataFrame({"source_id": ids[senders], "target_id": ids[targets], "layer": "email",
                         "kind": "interaction", "weight": weight, "count": 1.0,
                         "first_contact": pd.NaT, "last_contact": pd.NaT})
    ties = ties.groupby(["source_id", "target_id", "layer", "kind"], as_index=False).agg(
        weight=("weight", "sum"), count=("count", "sum"), first_contact=("first_contact", "min"),
        last_contact=("last_contact", "max"))
    quality = QualityReport()
    raw = org.people.astype(str).replace({"": None}).assign(_row=range(2, n + 2))
    people = clean_people(raw, "people", quality)
    rel = org.relationships.rename(columns={"relation": "relation"}).assign(
        date=pd.NaT, weight=1.0).drop_duplicates(subset=["source_id", "target_id", "relation"])
    declared = relationship_ties(rel)
    return ona.OrgNetwork(people, concat_ties([ties, declared], people.index))


def run_sizes(script: str, sizes: list[int], extra=lambda n: []) -> list[dict]:
    """Run ``script --child N`` for each size in a fresh process (so each peak memory is
    its own); return the JSON each printed last."""
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, script, "--child", str(n), *extra(n)],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  {n:,} people done", file=sys.stderr)
    return rows


def child(n: int, exact: bool) -> None:
    import ona
    from ona.centrality import PathSettings
    from ona.hidden import hidden_talent
    started = time.perf_counter()
    net = build_network(n)
    build = time.perf_counter() - started
    stages = {}
    t = time.perf_counter()
    table = ona.people_metrics(net, layers=["email"])
    stages["people_metrics"] = time.perf_counter() - t
    t = time.perf_counter()
    hidden = hidden_talent(table, leaders_total=table.attrs["senior_leaders"])
    stages["hidden_talent"] = time.perf_counter() - t
    result = {"n": n, "build": build, "stages": stages, "ties": table.attrs["ties"],
              "method": table.attrs["betweenness"], "hidden": len(hidden),
              "mean_degree": float(table["degree"].mean())}
    if exact:
        from scipy.stats import spearmanr
        t = time.perf_counter()
        full = ona.people_metrics(net, layers=["email"], paths=PathSettings(exact_limit=n + 1))
        result["exact_seconds"] = time.perf_counter() - t
        result["spearman_betweenness"] = float(spearmanr(full["betweenness"], table["betweenness"]).statistic)
        result["spearman_harmonic"] = float(spearmanr(full["harmonic"], table["harmonic"]).statistic)
        top = full["betweenness"].nlargest(n // 10).index
        result["spearman_betweenness_top10"] = float(
            spearmanr(full.loc[top, "betweenness"], table.loc[top, "betweenness"]).statistic)
    result["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    # the forked workers of the path measures: the largest one's peak (mostly shared pages)
    result["worker_peak_gb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 ** 2
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000, 50000, 100000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--exact", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-exact", action="store_true", help="skip the exact comparison at 10k")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.exact)
        return
    rows = run_sizes(__file__, args.people,
                     extra=lambda n: ["--exact"] if n == 10000 and not args.no_exact else [])
    print("\n| people | ties | mean degree | betweenness | people_metrics s | hidden_talent s | total s "
          "| peak GB | worker peak GB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        total = sum(r["stages"].values())
        print(f"| {r['n']:,} | {r['ties']:,} | {r['mean_degree']:.1f} | {r['method']} | "
              f"{r['stages']['people_metrics']:.1f} | {r['stages']['hidden_talent']:.2f} | "
              f"{total:.1f} | {r['peak_gb']:.2f} | {r['worker_peak_gb']:.2f} |")
    for r in rows:
        if "spearman_betweenness" in r:
            print(f"\nAt {r['n']:,} people, exact path measures take {r['exact_seconds']:.0f} s; the "
                  f"sampled estimates have rank correlation {r['spearman_betweenness']:.3f} "
                  f"(betweenness; {r['spearman_betweenness_top10']:.3f} within the top 10%) and "
                  f"{r['spearman_harmonic']:.3f} (harmonic closeness) with the exact values.")


if __name__ == "__main__":
    main()
