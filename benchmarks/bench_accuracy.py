"""Accuracy benchmark: ona's answers scored against planted truths, on organisations that
differ in what matters (log density, size, departments all fairly closed or mostly open,
broadcasters, survey response), from two generators: ona's own and an independent one
(benchmarks/altgen, written from a plain description without reading ona's code).

For each organisation it runs ``ona.analyze`` and a talent review with the defaults and
reports:

- silos: planted, flagged, true and false positives; planted silos found by a plain
  pandas + networkx script as an analyst would write it (for comparison);
- hidden talent: planted hidden high performers in the first k rows (k = how many were
  planted), planted ones listed anywhere, length of the list (and as a share of the high
  performers), visible high performers listed; the plain script's first k;
- broadcasters: planted ones reported in broadcasters.csv, their best degree rank and
  highest visibility;
- talent review: candidates whose no/single-advocate flag matches the planted answered
  advocates, and flags marked as resting on non-answers where some planted advocacy went
  unanswered;
- seconds for the analysis.

Then the published facts of the real datasets. Organisations are generated once and
cached in benchmarks/_work/accuracy/.

    python benchmarks/bench_accuracy.py            # every scenario (about 10 minutes)
    python benchmarks/bench_accuracy.py --quick    # the small ones
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "altgen"))

import ona  # noqa: E402
from ona.generate import generate_organisation, write_organisation  # noqa: E402

WORK = ROOT / "benchmarks" / "_work" / "accuracy"

# (name, generator, parameters); "ona" takes events over 6 months, "alt" events a month
SCENARIOS = [
    ("ona-300-dense", "ona", dict(n_people=300, seed=11, events_per_person=180)),
    ("ona-1000-sparse", "ona", dict(n_people=1000, seed=12, events_per_person=18)),
    ("ona-1000-mid", "ona", dict(n_people=1000, seed=13, events_per_person=60)),
    ("ona-1000-survey30", "ona", dict(n_people=1000, seed=14, events_per_person=60,
                                      response_rate=0.3, leaders_respond=False)),
    ("ona-5000-sparse", "ona", dict(n_people=5000, seed=15, events_per_person=30)),
    ("alt-A-969-10-open", "alt", dict(people=969, seed=21, events_per_person_month=10.0)),
    ("alt-B-969-5-closed", "alt", dict(people=969, seed=22, events_per_person_month=5.0, closed=True)),
    ("alt-C-969-3-closed-r30", "alt", dict(people=969, seed=23, events_per_person_month=3.0,
                                            closed=True, response_rate=0.3)),
    ("alt-D-4905-5-closed", "alt", dict(people=4905, seed=24, events_per_person_month=5.0, closed=True)),
    ("alt-E-969-30-open-bc3", "alt", dict(people=969, seed=25, events_per_person_month=30.0,
                                           broadcasters=3)),
    ("alt-F-969-5-closed-bc3-r60", "alt", dict(people=969, seed=26, events_per_person_month=5.0,
                                                closed=True, broadcasters=3, response_rate=0.6)),
    ("alt-G-300-10-open", "alt", dict(people=300, seed=27, events_per_person_month=10.0)),
    ("alt-H-2000-30-closed", "alt", dict(people=2000, seed=28, events_per_person_month=30.0, closed=True)),
]
# the case: three assistants each send 3,000 all-staff emails over the six months
# (added to an organisation of the independent generator)
OVERLAYS = [("alt-B-969-5-closed+3x3000-all-staff", "alt-B-969-5-closed", 3, 3000)]
# organisations with no planted silo: every flag is a false one
CONTROLS = [(f"alt-nosilo-{seed}", "alt", dict(people=969, seed=seed, events_per_person_month=5.0,
                                                  closed=closed, silos=0))
            for seed, closed in ((31, True), (32, False), (33, True), (34, False), (35, True))]
QUICK = {"ona-300-dense", "ona-1000-sparse", "alt-B-969-5-closed", "alt-C-969-3-closed-r30",
         "alt-E-969-30-open-bc3", "alt-G-300-10-open", "alt-nosilo-31", "alt-nosilo-32"}


def generate(name: str, kind: str, params: dict) -> tuple[Path, dict]:
    folder = WORK / name
    truth_path = folder / "truth.json"
    if not truth_path.exists():
        if kind == "ona":
            write_organisation(generate_organisation(**params), folder)
        else:
            from orgsim import simulate
            simulate(folder, **params)
    return folder, json.loads(truth_path.read_text())


def overlay(name: str, base: str, senders: int, emails: int) -> tuple[Path, dict]:
    """An organisation with broadcasters added: ``senders`` new people in the executive
    office, each sending ``emails`` emails to everyone over the log's period."""
    folder = WORK / name
    base_folder, truth = generate(base, *next((k, p) for n, k, p in SCENARIOS if n == base))
    if not (folder / "truth.json").exists():
        import shutil
        shutil.copytree(base_folder, folder, dirs_exist_ok=True)
        people = pd.read_csv(folder / "people.csv", dtype=str)
        events = pd.read_csv(folder / "interactions.csv", dtype=str)
        top = people.loc[pd.to_numeric(people["level"]).idxmax()]
        new = pd.DataFrame({"employee_id": [f"BC{i:03d}" for i in range(senders)],
                            "name": [f"Assistant {i + 1}" for i in range(senders)],
                            "department": top["department"], "team": top.get("team", top["department"]),
                            "title": "Executive Assistant", "level": "2", "manager_id": top["employee_id"],
                            "performance": "3"})
        people = pd.concat([people, new], ignore_index=True)
        everyone = ";".join(people["employee_id"])
        stamps = pd.to_datetime(events["timestamp"], utc=True)
        times = pd.date_range(stamps.min(), stamps.max(), periods=emails)
        rows = [pd.DataFrame({"timestamp": times.strftime("%Y-%m-%dT%H:%M:%SZ"), "channel": "email",
                              "sender_id": sender, "recipient_ids": everyone})
                for sender in new["employee_id"]]
        events = pd.concat([events] + rows, ignore_index=True)
        people.to_csv(folder / "people.csv", index=False)
        events.to_csv(folder / "interactions.csv", index=False)
        truth = {**truth, "broadcasters": new["employee_id"].tolist()}
        (folder / "truth.json").write_text(json.dumps(truth))
    return folder, json.loads((folder / "truth.json").read_text())


def plain_script(folder: Path, truth: dict) -> dict:
    """What an analyst would write with pandas and networkx: every recipient of every event
    is a contact (weight 1 per event), E-I by department, hidden = top-rated people with the
    fewest contacts outside their department."""
    people = pd.read_csv(folder / "people.csv", dtype=str)
    known = set(people["employee_id"])
    parts = []
    for events in pd.read_csv(folder / "interactions.csv", dtype=str, chunksize=2000):
        # only the two columns: explode copies every other column's text once per recipient
        events = pd.DataFrame({"sender_id": events["sender_id"],
                               "recipient": events["recipient_ids"].str.split(";")}).explode("recipient")
        events = events[events["recipient"].isin(known) & (events["recipient"] != events["sender_id"])]
        parts.append(events.groupby(["sender_id", "recipient"]).size())
    dept = dict(zip(people["employee_id"], people["department"]))
    pairs = pd.concat(parts).groupby(level=[0, 1]).sum().reset_index(name="w")
    graph = nx.Graph()
    for s, r, w in pairs.itertuples(index=False):
        old = graph.get_edge_data(s, r, {"weight": 0})["weight"]
        graph.add_edge(s, r, weight=old + w)
    rows = []
    for d, members in people.groupby("department")["employee_id"]:
        internal = external = 0.0
        for m in members:
            if m not in graph:
                continue
            for nb, data in graph[m].items():
                if dept.get(nb) == d:
                    internal += data["weight"] / 2
                else:
                    external += data["weight"]
        total = internal + external
        rows.append((d, len(members), external / total if total else np.nan))
    share = pd.DataFrame(rows, columns=["department", "size", "external"]).dropna()
    share = share[share["size"] >= 5]
    silos = share.loc[share["external"] < 0.5 * share["external"].median(), "department"].tolist()
    performance = pd.to_numeric(people.set_index("employee_id")["performance"])
    top = performance.index[performance == performance.max()]
    outside = {p: sum(1 for nb in graph[p] if dept.get(nb) != dept[p]) if p in graph else 0 for p in top}
    order = sorted(top, key=lambda p: (outside[p], p))
    k = len(truth["hidden_high_performers"])
    return {"silos": silos, "first_k": len(set(order[:k]) & set(truth["hidden_high_performers"]))}


def score(name: str, folder: Path, truth: dict) -> dict:
    started = time.perf_counter()
    result = ona.analyze(folder, WORK / "_out" / name)
    seconds = time.perf_counter() - started
    deps = result.departments
    flagged = deps.loc[deps["silo"], "department"].tolist()
    planted = truth.get("silo_departments", [])
    hidden = result.hidden_talent
    planted_hidden = set(truth["hidden_high_performers"])
    k = len(planted_hidden)
    listed = hidden[ona.schema.EMPLOYEE_ID].astype(str).tolist()
    table = result.people_metrics
    row = {
        "scenario": name, "people": len(table),
        "events": result.network.interactions.events_used if result.network.interactions else 0,
        "silos planted": len(planted), "silos flagged": len(flagged),
        "silos right": len(set(flagged) & set(planted)), "silos wrong": len(set(flagged) - set(planted)),
        "hidden planted": k, "hidden in first k": len(set(listed[:k]) & planted_hidden),
        "hidden listed anywhere": len(set(listed) & planted_hidden), "listed": len(listed),
        "share of high performers": hidden.attrs.get("share_of_high_performers"),
        "visible listed": len(set(listed) & set(truth.get("visible_high_performers", []))),
        "seconds": round(seconds, 1),
    }
    planted_bc = [str(x) for x in truth.get("broadcasters", [])]
    if planted_bc:
        report = result.network.interactions.broadcasters_frame()
        row["broadcasters reported"] = len(set(planted_bc) & set(report[ona.schema.EMPLOYEE_ID].astype(str)))
        degree_rank = table["degree"].rank(ascending=False, method="min")
        row["broadcasters best degree rank"] = int(degree_rank.reindex(planted_bc).min())
        row["broadcasters max visibility"] = round(float(table["visibility"].reindex(planted_bc).max()), 1)
    row.update(review_score(result, folder, truth))
    plain = plain_script(folder, truth)
    row["plain: silos right"] = len(set(plain["silos"]) & set(planted))
    row["plain: silos wrong"] = len(set(plain["silos"]) - set(planted))
    row["plain: hidden in first k"] = plain["first_k"]
    return row


def review_score(result, folder: Path, truth: dict) -> dict:
    panel, slate = truth["panel"], truth["slate"]
    review = ona.talent_review(result.network, panel, slate)
    c = review.candidates.set_index("candidate_id")
    answered = truth.get("advocates_answered", truth["advocates"])
    right = 0
    for cand in slate:
        expected = len(answered.get(cand, []))
        got = c.loc[cand, "advocates"]
        right += int(pd.notna(got) and int(got) == expected)
    # candidates with at most one answered advocate whose planted advocacy went partly
    # unanswered: their flag should say it could change
    unanswered = {cand for cand in slate
                  if len(truth["advocates"].get(cand, [])) > len(answered.get(cand, []))
                  and len(answered.get(cand, [])) <= 1}
    rests = set(c.index[c["flag_rests_on_non_answers"].fillna(False).astype(bool)])
    summary = review.summary()
    return {"advocate counts right": f"{right}/{len(slate)}",
            "panel answered": f"{summary['panel_answered']}/{summary['panel']}",
            "unanswered advocacy marked": (f"{len(unanswered & rests)}/{len(unanswered)}"
                                           if unanswered else "-")}


def real_facts() -> list[tuple[str, str, bool]]:
    """Published facts of the real datasets, checked with ona's defaults."""
    out = []
    krack = ona.load(ona.sample_path("krackhardt"))
    table = ona.people_metrics(krack, layers=["advice"])
    out.append(("Krackhardt: VP 2 is the most sought for advice", f"in-degree top {table['in_degree'].idxmax()}",
                table["in_degree"].idxmax() == "2"))
    lazega = ona.sample_path("lazega")
    net = ona.load(lazega)
    panel = ona.read_ids(lazega / "panel.csv", net.people, "panel")
    slate = ona.read_ids(lazega / "slate.csv", net.people, "slate")
    review = ona.talent_review(net, panel, slate, rules=ona.ReviewRules(
        advocate_relations=("advice",), strong_relations=("friendship",)))
    none = int(review.candidates["no_advocate"].sum())
    out.append(("Lazega: associates no partner names for advice = 17", str(none), none == 17))
    uk = ROOT / "tests" / "data" / "uk_faculty"
    net = ona.load(uk)
    tribes = ona.detect_tribes(net, seed=1)
    agree = ona.partition_agreement(tribes.membership, net.people["department"].astype(str))
    out.append(("UK faculty: tribes follow schools (NMI 0.74-0.79 published range)",
                f"NMI {agree['nmi']:.2f}, Q {tribes.modularity:.3f}", 0.70 <= agree["nmi"] <= 0.85))
    return out


def markdown(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join("" if pd.isna(x) else str(x) for x in row) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small scenarios only")
    parser.add_argument("--only", help="comma-separated scenario names")
    args = parser.parse_args()
    chosen = SCENARIOS + CONTROLS
    if args.quick:
        chosen = [s for s in chosen if s[0] in QUICK]
    if args.only:
        names = set(args.only.split(","))
        chosen = [s for s in chosen if s[0] in names]
    rows = []
    jobs = [(name, lambda n=name, k=kind, p=params: generate(n, k, p)) for name, kind, params in chosen]
    if not args.quick:
        jobs += [(name, lambda n=name, b=base, s=senders, e=emails: overlay(n, b, s, e))
                 for name, base, senders, emails in OVERLAYS
                 if not args.only or name in set(args.only.split(","))]
    for name, make in jobs:
        folder, truth = make()
        row = score(name, folder, truth)
        rows.append(row)
        print(json.dumps(row), flush=True)
    frame = pd.DataFrame(rows)
    WORK.mkdir(parents=True, exist_ok=True)
    frame.to_csv(WORK / "accuracy.csv", index=False)
    print()
    print(markdown(frame))
    print()
    print("| real dataset fact | ona | holds |\n|---|---|---|")
    for fact, got, ok in real_facts():
        print(f"| {fact} | {got} | {'yes' if ok else 'NO'} |")


if __name__ == "__main__":
    main()
