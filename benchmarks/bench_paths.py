"""Benchmark: the accuracy of the sampled path measures against exact, on ona's own ties.

    python benchmarks/bench_paths.py                 # the scale benchmark's 10k organisation
    python benchmarks/bench_paths.py --people 5000   # another size (generated and cached)

Betweenness and harmonic closeness are exact up to 2,500 people and estimated from
sampled sources beyond (ona.centrality). This script measures what the estimate costs in
accuracy on the network ``ona analyze`` measures: the generated organisation of the scale
benchmark (about 300 events per person, cached in benchmarks/_work/), the default tie rule
and layers. It computes the exact values (every person a source), then the estimates
from 250, 500, 1,000 (the default) and 2,000 sources, and prints per estimate:

- the rank correlation (Spearman) with the exact values, over everyone and within the
  exact top 10%;
- for betweenness, the agreement on the top brokers (the tenth with the highest
  betweenness, :func:`ona.confidence.top_brokers`): the share of the exact top brokers
  that the estimate also flags;
- the seconds each took (both cores).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ona  # noqa: E402
from ona.centrality import PathSettings, centrality_measures  # noqa: E402
from ona.confidence import top_brokers  # noqa: E402
from ona.network import default_layers  # noqa: E402
from ona.ties import pair_table  # noqa: E402

PIVOTS = (250, 500, 1000, 2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10000)
    args = parser.parse_args()
    from bench_scale import generate  # the scale benchmark's cached organisation

    folder = generate(args.people, "parquet")
    net = ona.load(folder)
    arrays = pair_table(net, layers=default_layers(net.ties)).select(ona.TieRule())
    n = arrays.n
    t = time.perf_counter()
    exact, _ = centrality_measures(arrays, PathSettings(exact_limit=n + 1))
    exact_s = time.perf_counter() - t
    print(f"{n:,} people, {len(arrays.u):,} ties; exact path measures {exact_s:.0f} s on both cores\n")
    print("| sources | seconds | betweenness rank corr. | within top 10% | top brokers also flagged "
          "| harmonic sources | harmonic rank corr. | within top 10% |")
    print("|---|---|---|---|---|---|---|---|")
    brokers = top_brokers(exact["betweenness"].to_numpy())
    top_b = exact["betweenness"].rank(ascending=False) <= n / 10
    top_h = exact["harmonic"].rank(ascending=False) <= n / 10
    for pivots in PIVOTS:
        t = time.perf_counter()
        est, how = centrality_measures(arrays, PathSettings(exact_limit=0, pivots=pivots))
        seconds = time.perf_counter() - t
        b, h = est["betweenness"], est["harmonic"]
        flagged = top_brokers(b.to_numpy())
        print(f"| {pivots:,} | {seconds:.1f} "
              f"| {spearmanr(exact['betweenness'], b).statistic:.3f} "
              f"| {spearmanr(exact.loc[top_b, 'betweenness'], b[top_b]).statistic:.3f} "
              f"| {(flagged & brokers).sum() / max(brokers.sum(), 1):.3f} "
              f"| {how['harmonic'].split('(')[1].split(' ')[0]} "
              f"| {spearmanr(exact['harmonic'], h).statistic:.3f} "
              f"| {spearmanr(exact.loc[top_h, 'harmonic'], h[top_h]).statistic:.3f} |")
    print(f"\n(numpy {np.__version__}; ona {ona.__version__})")


if __name__ == "__main__":
    main()
