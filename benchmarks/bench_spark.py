"""The aggregation on both engines: DuckDB on this machine and the PySpark job in local mode,
at 1M and 10M events, with a check that both give the same tie table.

    python benchmarks/bench_spark.py                  # 1M and 10M events (about 20 minutes)
    python benchmarks/bench_spark.py --events 1000000

Each size: an organisation written by ona's generator (events as Parquet), then
``aggregate_to_file`` with ``engine="duckdb"`` and ``engine="spark"`` (``local[*]``, a fresh
session, so its start-up is counted), seconds and peak memory of this process (Spark's JVM
is a child process: its memory is reported from /proc while it runs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ona  # noqa: E402
from ona.lake import aggregate_to_file, read_ties  # noqa: E402


def _tree_rss() -> int:
    """Resident memory of this process and its children, in bytes (Linux)."""
    import os
    total = 0
    me = os.getpid()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        pid, ppid = int(status.parent.name), int(fields.get("PPid", "0").strip())
        if pid == me or ppid == me:
            total += int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    return total


def _peak(run) -> tuple[float, float]:
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss())
            time.sleep(0.2)
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    started = time.perf_counter()
    try:
        run()
    finally:
        done.set()
        thread.join()
    return time.perf_counter() - started, peak[0] / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    rows = []
    for events in args.events:
        people = max(1000, events // 100)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            org = ona.generate_organisation(people, seed=5, events_per_person=events // people, dirty=True)
            ona.write_organisation(org, folder, fmt="parquet")
            log = folder / "interactions.parquet"
            ids = pd.read_csv(folder / "people.csv", dtype=str)["employee_id"]
            for engine in ("duckdb", "spark"):
                out = folder / f"ties_{engine}.parquet"
                spark = None
                if engine == "spark":
                    from ona.spark_job import spark_session
                    started = time.perf_counter()
                    spark = spark_session()
                    start_up = time.perf_counter() - started
                else:
                    start_up = 0.0
                seconds, peak = _peak(lambda out=out, engine=engine, spark=spark, log=log, folder=folder:
                                      aggregate_to_file(log, folder / "people.csv", out, engine=engine,
                                                        on_invalid="drop", spark=spark))
                if spark is not None:
                    spark.stop()
                rows.append({"events": events, "people": people, "engine": engine,
                             "seconds": round(seconds + start_up, 1), "of which start-up": round(start_up, 1),
                             "peak GB": round(peak, 2)})
                print(rows[-1], flush=True)
            a = read_ties(folder / "ties_duckdb.parquet", pd.Index(ids))[0]
            b = read_ties(folder / "ties_spark.parquet", pd.Index(ids))[0]
            key = ["source_id", "target_id", "layer"]
            a = a.astype({k: str for k in key}).sort_values(key, ignore_index=True)
            b = b.astype({k: str for k in key}).sort_values(key, ignore_index=True)
            same = a[key].equals(b[key]) and np.allclose(a["weight"], b["weight"], rtol=1e-9, atol=0)
            rows[-1]["same ties"] = rows[-2]["same ties"] = bool(same)
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
