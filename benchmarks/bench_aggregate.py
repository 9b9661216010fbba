"""Benchmark: loading and aggregating interaction logs of 1M and 10M events.

Generates organisations with about 300 events per person (1M events = 3,334 people,
10M events = 33,334 people), writes the event log as CSV and Parquet, and times
``ona.load`` stage by stage, each run in a fresh subprocess so its peak memory
(maximum resident set size, which includes DuckDB's memory) is its own.

    python benchmarks/bench_aggregate.py                 # 1M and 10M events
    python benchmarks/bench_aggregate.py --events 1e6    # one size
    python benchmarks/bench_aggregate.py --formats csv

Generated data is cached in benchmarks/_work/ (git-ignored); delete it to regenerate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
EVENTS_PER_PERSON = 300


def _generate(events: int, fmt: str) -> Path:
    from ona.generate import generate_organisation, write_organisation
    people = max(60, round(events / EVENTS_PER_PERSON))
    folder = WORK / f"events_{events}_{fmt}"
    if (folder / "truth.json").exists():
        return folder
    started = time.perf_counter()
    org = generate_organisation(people, seed=12345, events_per_person=EVENTS_PER_PERSON)
    write_organisation(org, folder, fmt=fmt)
    print(f"  generated {people:,} people / {events:,} events as {fmt} in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def _child(folder: str) -> None:
    """Run in a subprocess: load the folder and print timings and peak memory as JSON."""
    import ona
    from ona.progress import Stages
    stages = Stages()
    started = time.perf_counter()
    net = ona.load(folder, step=stages)
    stages.close()
    total = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": total, "stages": stages.timings, "peak_gb": peak_kb / 1024 ** 2,
                      "events_read": net.interactions.events_read,
                      "events_used": net.interactions.events_used, "ties": len(net.ties),
                      "people": len(net.people)}))


def _machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    import duckdb
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{mem:.0f} GiB RAM, Python {platform.python_version()}, DuckDB {duckdb.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    WORK.mkdir(exist_ok=True)
    rows = []
    for events in (int(e) for e in args.events):
        for fmt in args.formats:
            folder = _generate(events, fmt)
            size = sum(p.stat().st_size for p in folder.glob("interactions*")) / 1024 ** 2
            out = subprocess.run([sys.executable, __file__, "--child", str(folder)],
                                 capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append((events, fmt, size, result))
    print(f"\nmachine: {_machine()}\n")
    header = ("events", "format", "file MB", "people", "ties", "read s", "dedupe s",
              "explode s", "weigh+sum s", "total s", "peak GB")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for events, fmt, size, r in rows:
        st = r["stages"]
        read = st.get("reading people", 0) + st.get("reading relationships", 0) + \
            st.get("reading events", 0) + st.get("checking events", 0)
        print(f"| {events:,} | {fmt} | {size:,.0f} | {r['people']:,} | {r['ties']:,} | {read:.1f} | "
              f"{st.get('removing duplicates', 0):.1f} | {st.get('exploding recipients', 0):.1f} | "
              f"{st.get('weighting ties', 0) + st.get('summing ties', 0):.1f} | "
              f"{r['seconds']:.1f} | {r['peak_gb']:.2f} |")


if __name__ == "__main__":
    main()
