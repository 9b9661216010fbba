"""Benchmark: tribes, their stability and every group view at 1k, 10k, 50k and 100k people.

Uses the org-like networks of ``bench_metrics.py`` (about 30 ties per person drawn with
the generator's contact habits) and times, in a fresh subprocess per size: tribe detection
(Louvain, the engine ``ona`` picks for that size), stability over 10 other seeds, the
tribe and department tables, the department matrix, the tribe x department table and the
bridges per pair of groups. Also prints how well the tribes match departments (NMI) and,
at 10k people, python-louvain's time for one run for comparison.

    python benchmarks/bench_tribes.py                    # 1k, 10k, 50k, 100k
    python benchmarks/bench_tribes.py --people 1000 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def child(n: int) -> None:
    from bench_metrics import build_network

    import ona
    from ona import groups
    from ona.tribes import detect_tribes, partition_agreement, tribe_stability

    net = build_network(n)
    arrays = ona.metrics.tie_arrays(net, layers=["email"])
    stages = {}

    def timed(name, fn):
        started = time.perf_counter()
        value = fn()
        stages[name] = time.perf_counter() - started
        return value

    tribes = timed("detect", lambda: detect_tribes(net, layers=["email"], ties=arrays, seed=0))
    stability = timed("stability", lambda: tribe_stability(net, tribes, seeds=10, ties=arrays))

    def tables():
        people = net.people
        groups.tribe_table(people, arrays, tribes, stability=stability)
        groups.department_table(people, arrays, tribes=tribes)
        groups.group_matrix(people, arrays)
        groups.tribe_department_table(people, tribes)
        groups.group_bridges(people, arrays)
        groups.group_bridges(people, arrays, tribes.membership)

    timed("group views", tables)
    tied = tribes.membership > 0
    result = {"n": n, "ties": int(len(arrays.u)), "engine": tribes.engine, "stages": stages,
              "tribes": int(len(tribes.sizes)), "modularity": tribes.modularity,
              "unstable": int(stability["unstable"].sum()),
              "nmi": partition_agreement(tribes.membership[tied], net.people.loc[tied, "department"])["nmi"]}
    if n == 10000:
        started = time.perf_counter()
        detect_tribes(net, layers=["email"], ties=arrays, seed=0, engine="python-louvain")
        result["python_louvain_one_run"] = time.perf_counter() - started
    result["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(json.dumps(result))


def main() -> None:
    from bench_metrics import run_sizes

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000, 50000, 100000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    rows = run_sizes(__file__, args.people)
    print("\n| people | ties | engine | tribes | modularity | NMI vs departments | unstable "
          "| detect s | stability (10 seeds) s | group views s | total s | peak GB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        s = r["stages"]
        print(f"| {r['n']:,} | {r['ties']:,} | {r['engine']} | {r['tribes']} | {r['modularity']:.3f} | "
              f"{r['nmi']:.2f} | {r['unstable']} | {s['detect']:.2f} | {s['stability']:.2f} | "
              f"{s['group views']:.2f} | {sum(s.values()):.1f} | {r['peak_gb']:.2f} |")
    for r in rows:
        if "python_louvain_one_run" in r:
            print(f"\nAt {r['n']:,} people one python-louvain run takes "
                  f"{r['python_louvain_one_run']:.1f} s (igraph: {r['stages']['detect']:.2f} s).")


if __name__ == "__main__":
    main()
