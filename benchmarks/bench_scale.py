"""Benchmark: ``ona analyze`` and a talent review end to end, beside the plain pipeline.

One command for the whole scale story::

    python benchmarks/bench_scale.py                      # 1k, 10k, 50k, 100k people
    python benchmarks/bench_scale.py --people 1000 10000  # some sizes
    python benchmarks/bench_scale.py --format csv         # read the event log as CSV

For each size it generates an organisation with about 300 events per person over a year
(cached in benchmarks/_work/, git-ignored) and, each in a fresh subprocess so its peak
memory is its own:

1. **ona**: ``ona.analyze`` on the folder with every output written, then a talent review
   (panel and slate of the generated organisation) on the analysed network, brief included.
   Per stage: seconds and peak resident memory (sampled every 20 ms; the forked workers of
   the path measures are reported apart, their pages are mostly shared with the parent).
2. **plain**: what an analyst would write with pandas + networkx + python-louvain
   (read, split and explode recipients, group by pair, keep pairs of weight >= 2 as ona
   does, ``nx.Graph``, degree, exact betweenness and closeness, eigenvector, Louvain, E-I
   by department). Run up to ``--plain-up-to`` people (default 10k: about 40 minutes
   there; hours beyond).
3. **vivainsights** ``network_p2p`` (betweenness and Louvain on the person-to-person table,
   the ties ona aggregated) where it is installed (``pip install -e ".[bench]"``), up to
   ``--viva-up-to`` people, stopped after ``--timeout`` seconds.

The comparison runs do not depend on ona's code, so their results are kept next to the
generated data and reused (``--rerun-comparisons`` to run them again).

It prints one table of stages and one of ratios, and the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
EVENTS_PER_PERSON = 300

#: analyze's stage labels grouped into the table's columns
STAGE_GROUPS = {
    "load + aggregate": ("reading people", "reading relationships", "reading events",
                         "checking events", "removing duplicates", "exploding recipients",
                         "weighting ties", "summing ties"),
    "network": ("building the network",),
    "metrics": ("measuring",),
    "tribes": ("finding tribes",),
    "hidden": ("finding hidden talent",),
    "confidence": ("checking confidence",),
    "writing": ("writing outputs",),
}


class PeakMemory:
    """Samples this process's resident memory every ``every`` seconds; ``mark(label)``
    closes the current stage and records its peak."""

    def __init__(self, every: float = 0.02) -> None:
        self.peaks: dict[str, float] = {}
        self._label: str | None = None
        self._peak = 0
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _rss(self) -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self._page

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self._peak = max(self._peak, self._rss())

    def mark(self, label: str | None) -> None:
        self._peak = max(self._peak, self._rss())
        if self._label is not None:
            self.peaks[self._label] = max(self.peaks.get(self._label, 0), self._peak) / 1024 ** 3
        self._label, self._peak = label, self._rss()

    def close(self) -> None:
        self.mark(None)
        self._stop.set()


def generate(n: int, fmt: str) -> Path:
    from ona.generate import generate_organisation, write_organisation
    folder = WORK / f"scale_{n}_{fmt}"
    if (folder / "truth.json").exists():
        return folder
    started = time.perf_counter()
    org = generate_organisation(n, seed=2026, months=12, events_per_person=EVENTS_PER_PERSON)
    write_organisation(org, folder, fmt=fmt)
    print(f"  generated {n:,} people in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def child_ona(folder: Path) -> dict:
    import pandas as pd

    import ona
    from ona.brief import write_brief
    from ona.talent_review import read_ids, resolve_rules, talent_review

    memory = PeakMemory()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        result = ona.analyze(folder, out, on_stage=memory.mark)
        memory.mark("talent review")
        t = time.perf_counter()
        net = result.network
        panel = read_ids(folder / "panel.csv", net.people, "panel")
        slate = read_ids(folder / "slate.csv", net.people, "slate")
        review = talent_review(net, panel, slate, rules=resolve_rules(net))
        review.write(Path(out) / "review")
        write_brief(review, net.people, Path(out) / "review")
        review_s = time.perf_counter() - t
        memory.close()
    total = time.perf_counter() - started
    seconds = {group: sum(result.timings.get(label, 0.0) for label in labels)
               for group, labels in STAGE_GROUPS.items()}
    seconds["talent review"] = review_s
    peaks = {group: max((memory.peaks.get(label, 0.0) for label in labels), default=0.0)
             for group, labels in STAGE_GROUPS.items()}
    peaks["talent review"] = memory.peaks.get("talent review", 0.0)
    summary = net.interactions
    return {"seconds": seconds, "peaks": peaks, "total": total,
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2,
            "worker_peak_gb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 ** 2,
            "events": summary.events_read if summary else 0, "ties": len(result.ties.u),
            "people": len(net.people), "tribes": int(result.tribe_table.shape[0]),
            "betweenness": result.people_metrics.attrs.get("betweenness"),
            "modularity": result.tribes.modularity,
            "no_advocate": int(pd.Series(review.candidates["no_advocate"]).fillna(False).sum())}


def child_plain(folder: Path) -> dict:
    """The straightforward pipeline, written as an analyst would in a notebook."""
    import community as community_louvain
    import networkx as nx
    import pandas as pd

    memory = PeakMemory()
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    memory.mark("load + aggregate")
    people = pd.read_csv(folder / "people.csv", dtype=str)
    path = next(folder.glob("interactions.*"))
    events = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype=str)
    events = events.dropna(subset=["sender_id", "recipient_ids"]).drop_duplicates()
    events["recipient"] = events["recipient_ids"].str.split(";")
    events["n"] = events["recipient"].str.len()
    pairs = events.explode("recipient")
    known = set(people["employee_id"])
    pairs = pairs[pairs["sender_id"].isin(known) & pairs["recipient"].isin(known)
                  & (pairs["sender_id"] != pairs["recipient"])]
    pairs = pairs.assign(weight=1.0 / pairs["n"])
    ties = pairs.groupby(["sender_id", "recipient"], as_index=False)["weight"].sum()
    seconds["load + aggregate"] = time.perf_counter() - t
    t = time.perf_counter()
    memory.mark("network")
    # the same tie rule as ona: a pair counts when its weight, both directions summed, is >= 2
    a = ties[["sender_id", "recipient"]].min(axis=1)
    b = ties[["sender_id", "recipient"]].max(axis=1)
    pair = ties.assign(a=a, b=b).groupby(["a", "b"], as_index=False)["weight"].sum()
    pair = pair[pair["weight"] >= 2]
    graph = nx.Graph()
    graph.add_nodes_from(people["employee_id"])
    graph.add_weighted_edges_from(pair.itertuples(index=False))
    seconds["network"] = time.perf_counter() - t
    t = time.perf_counter()
    memory.mark("metrics")
    table = pd.DataFrame({"degree": dict(graph.degree()),
                          "strength": dict(graph.degree(weight="weight"))})
    table["betweenness"] = pd.Series(nx.betweenness_centrality(graph))
    table["closeness"] = pd.Series(nx.closeness_centrality(graph))
    table["eigenvector"] = pd.Series(nx.eigenvector_centrality(graph, weight="weight", max_iter=1000))
    seconds["metrics"] = time.perf_counter() - t
    t = time.perf_counter()
    memory.mark("tribes")
    partition = community_louvain.best_partition(graph, weight="weight", random_state=0)
    table["tribe"] = pd.Series(partition)
    dept = people.set_index("employee_id")["department"]
    ei = {}
    for d in dept.unique():
        members = set(dept.index[dept == d])
        internal = external = 0
        for _s, r in graph.edges(members):
            if r in members:
                internal += 1
            else:
                external += 1
        ei[d] = (external - internal) / max(1, external + internal)
    seconds["tribes"] = time.perf_counter() - t
    memory.close()
    return {"seconds": seconds, "peaks": memory.peaks, "total": sum(seconds.values()),
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2,
            "ties": graph.number_of_edges(),
            "modularity": community_louvain.modularity(partition, graph, weight="weight")}


def child_viva(folder: Path) -> dict:
    """vivainsights.network_p2p on the person-to-person table of the ties ona aggregated."""
    import pandas as pd
    import vivainsights as vi

    import ona
    net = ona.load(folder)
    ties = net.ties[net.ties["kind"] == "interaction"]
    people = net.people
    p2p = pd.DataFrame({
        "PrimaryCollaborator_PersonId": ties["source_id"].astype(str).to_numpy(),
        "SecondaryCollaborator_PersonId": ties["target_id"].astype(str).to_numpy(),
        "weight": ties["weight"].to_numpy()})
    org = people["department"].astype(str)
    p2p["PrimaryCollaborator_Organization"] = org.reindex(p2p["PrimaryCollaborator_PersonId"]).to_numpy()
    p2p["SecondaryCollaborator_Organization"] = org.reindex(p2p["SecondaryCollaborator_PersonId"]).to_numpy()
    started = time.perf_counter()
    vi.network_p2p(data=p2p, hrvar="Organization", centrality="betweenness",
                   community="multilevel", return_type="table", weight="weight")
    seconds = time.perf_counter() - started
    return {"seconds": {"metrics": seconds}, "total": seconds,
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2}


CHILDREN = {"ona": child_ona, "plain": child_plain, "viva": child_viva}


def run_child(kind: str, folder: Path, timeout: float | None, *, cache: bool = False) -> dict | str:
    """Run one child; comparison runs (which do not change with ona's code) are cached in
    ``folder/<kind>.json`` and reused when ``cache``."""
    cached = folder / f"{kind}.json"
    if cache and cached.exists():
        return json.loads(cached.read_text())
    try:
        out = subprocess.run([sys.executable, __file__, "--child", kind, str(folder)],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:.0f} s"
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        return f"failed: {last[:120]}"
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if kind != "ona":
        cached.write_text(json.dumps(result) + "\n")
    return result


def machine() -> str:
    import duckdb
    import networkx
    import pandas
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} cores, {mem:.0f} GiB RAM; Python "
            f"{platform.python_version()}, pandas {pandas.__version__}, networkx "
            f"{networkx.__version__}, DuckDB {duckdb.__version__}")


def _viva_installed() -> bool:
    import importlib.util
    return importlib.util.find_spec("vivainsights") is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000, 50000, 100000])
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    parser.add_argument("--plain-up-to", type=int, default=10000,
                        help="largest size the plain pipeline runs at (default 10000)")
    parser.add_argument("--viva-up-to", type=int, default=1000,
                        help="largest size vivainsights runs at (default 1000)")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="stop a comparison run after this many seconds (default 3600)")
    parser.add_argument("--rerun-comparisons", action="store_true",
                        help="rerun the plain and vivainsights pipelines even if a result is cached")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder = args.child
        print(json.dumps(CHILDREN[kind](Path(folder)), default=str))
        return
    WORK.mkdir(exist_ok=True)
    viva = _viva_installed()
    rows = []
    for n in args.people:
        folder = generate(n, args.format)
        record = {"n": n, "ona": run_child("ona", folder, None)}
        print(f"  {n:,}: ona done", file=sys.stderr)
        if n <= args.plain_up_to:
            record["plain"] = run_child("plain", folder, args.timeout, cache=not args.rerun_comparisons)
            print(f"  {n:,}: plain pipeline done", file=sys.stderr)
        if viva and n <= args.viva_up_to:
            record["viva"] = run_child("viva", folder, args.timeout, cache=not args.rerun_comparisons)
            print(f"  {n:,}: vivainsights done", file=sys.stderr)
        rows.append(record)
    print(f"\nmachine: {machine()}\nevent log: {args.format}, about {EVENTS_PER_PERSON} events "
          "per person over 12 months\n")
    columns = list(STAGE_GROUPS) + ["talent review"]
    print("| people | events | ties | " + " | ".join(f"{c} s" for c in columns)
          + " | total s | peak GB (stage) | worker peak GB |")
    print("|" + "---|" * (len(columns) + 6))
    for r in rows:
        o = r["ona"]
        if isinstance(o, str):
            print(f"| {r['n']:,} | ona {o} |")
            continue
        worst = max(o["peaks"], key=o["peaks"].get)
        print(f"| {o['people']:,} | {o['events']:,} | {o['ties']:,} | "
              + " | ".join(f"{o['seconds'][c]:.1f}" for c in columns)
              + f" | {o['total']:.1f} | {o['peak_gb']:.2f} ({worst}) | {o['worker_peak_gb']:.2f} |")
    for r in rows:  # the peak of each stage: `ona analyze`'s own apart from the review's
        o = r["ona"]
        if not isinstance(o, str):
            print(f"\npeak GB by stage at {o['people']:,}: "
                  + ", ".join(f"{c} {o['peaks'].get(c, 0.0):.2f}" for c in columns))
    print("\n| people | ona analyze s | plain pandas+networkx s | ratio | vivainsights s "
          "| ona metrics+tribes s | ratio |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        o = r["ona"]
        if isinstance(o, str):
            continue
        analyze = o["total"] - o["seconds"]["talent review"]
        plain = r.get("plain", "not run")
        plain_cell = plain if isinstance(plain, str) else f"{plain['total']:.0f}"
        ratio = "" if isinstance(plain, str) else f"{plain['total'] / analyze:.0f}x"
        v = r.get("viva", "not run" if viva else "not installed")
        graph_s = o["seconds"]["network"] + o["seconds"]["metrics"] + o["seconds"]["tribes"]
        v_cell = v if isinstance(v, str) else f"{v['total']:.1f}"
        v_ratio = "" if isinstance(v, str) else f"{v['total'] / graph_s:.0f}x"
        print(f"| {r['n']:,} | {analyze:.1f} | {plain_cell} | {ratio} | {v_cell} | {graph_s:.1f} | {v_ratio} |")
    for r in rows:
        p = r.get("plain")
        if isinstance(p, dict):
            print(f"\nplain pipeline at {r['n']:,}: " + ", ".join(
                f"{k} {v:.1f} s" for k, v in p["seconds"].items()) + f"; peak {p['peak_gb']:.2f} GB")


if __name__ == "__main__":
    main()
