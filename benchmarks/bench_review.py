"""Benchmark: the talent review at 1k, 10k, 50k and 100k people, panel 12, slate 60.

Uses the org-like networks of ``bench_metrics.py`` and times, in a fresh subprocess per
size: working out the strong-tie weight once per network (``resolve_rules``), the review
itself (median of 5 runs, as the dashboard calls it), and writing the tables and brief.

    python benchmarks/bench_review.py
    python benchmarks/bench_review.py --people 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def child(n: int) -> None:
    from bench_metrics import build_network

    import ona
    from ona.brief import write_brief
    from ona.talent_review import resolve_rules, talent_review

    net = build_network(n)
    rng = np.random.default_rng(5)
    level = net.people["level"].astype(int)
    senior = net.people.index[level >= level.max() - 1].tolist()
    panel = list(rng.choice(senior, size=min(12, len(senior)), replace=False))
    others = net.people.index[level < level.max() - 1]
    slate = list(rng.choice(others, size=60, replace=False))
    started = time.perf_counter()
    rules = resolve_rules(net)
    resolve = time.perf_counter() - started
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        review = talent_review(net, panel, slate, rules=rules)
        runs.append(time.perf_counter() - started)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        review.write(out)
        write_brief(review, net.people, out)
    written = time.perf_counter() - started
    c = review.candidates
    print(json.dumps({"n": n, "ties": len(net.ties), "resolve": resolve, "review": float(np.median(runs)),
                      "write": written, "no_advocate": int(c["no_advocate"].sum()),
                      "introductions": len(review.introductions),
                      "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2,
                      "version": ona.__version__}))


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
    print("\n| people | directed ties | strong weight, once s | review (panel 12, slate 60) s "
          "| tables + brief s | introductions | peak GB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']:,} | {r['ties']:,} | {r['resolve']:.2f} | {r['review']:.3f} | "
              f"{r['write']:.2f} | {r['introductions']} | {r['peak_gb']:.2f} |")


if __name__ == "__main__":
    main()
