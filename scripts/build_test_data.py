"""Rebuild the real event logs under tests/data from the research datasets kept beside
the project (../shared/datasets, not shipped); run from the repository root:

    python scripts/build_test_data.py [--datasets ../shared/datasets]

- tests/data/enron: 184 Enron mailboxes (Priebe et al. 2005), one event per message
  (rows of the raw file with the same sender, time and topic are one message to several
  recipients), people with their title and role group as department.
- tests/data/eies: Freeman's EIES (32 researchers, 1978), one email event per message
  sent (the file gives counts per pair), department = discipline, performance = citations.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent / "tests" / "data"


def build_enron(datasets: Path) -> None:
    src = datasets / "enron_email"
    nodes = pd.read_csv(src / "nodes.csv", dtype={"id": str})
    people = pd.DataFrame({"employee_id": nodes["id"], "name": nodes["name"].fillna(nodes["email_user"]),
                           "department": nodes["role_group"], "title": nodes["title"]})
    raw = pd.read_csv(src / "email_messages_raw.csv.gz", dtype={"source": str, "target": str})
    raw = raw[raw["source"] != raw["target"]]
    events = (raw.groupby(["source", "time", "topic"], sort=True)["target"]
              .agg(lambda x: ";".join(sorted(set(x)))).reset_index())
    stamp = pd.to_datetime(events["time"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    log = pd.DataFrame({"timestamp": stamp, "channel": "email", "sender_id": events["source"],
                        "recipient_ids": events["target"]})
    out = ROOT / "enron"
    out.mkdir(parents=True, exist_ok=True)
    people.to_csv(out / "people.csv", index=False)
    log.to_csv(out / "interactions.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})


def build_eies(datasets: Path) -> None:
    src = datasets / "freeman_eies"
    nodes = pd.read_csv(src / "nodes.csv", dtype={"id": str})
    edges = pd.read_csv(src / "edges_messages.csv", dtype={"source": str, "target": str})
    edges = edges[edges["source"] != edges["target"]]
    rows = np.repeat(np.arange(len(edges)), edges["weight"].to_numpy())
    # the messages are spread over the study's eight months, one a minute per sender
    start = np.datetime64("1978-01-02T09:00")
    order = np.arange(len(rows))
    stamp = (start + (order * 7).astype("timedelta64[m]")).astype(str)
    log = pd.DataFrame({"timestamp": stamp, "channel": "email",
                        "sender_id": edges["source"].to_numpy()[rows],
                        "recipient_ids": edges["target"].to_numpy()[rows]})
    people = pd.DataFrame({"employee_id": nodes["id"], "department": nodes["discipline_label"],
                           "performance": nodes["citations"]})
    out = ROOT / "eies"
    out.mkdir(parents=True, exist_ok=True)
    people.to_csv(out / "people.csv", index=False)
    log.to_csv(out / "interactions.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=str(Path(__file__).resolve().parents[2] / "shared" / "datasets"))
    args = parser.parse_args()
    build_enron(Path(args.datasets))
    build_eies(Path(args.datasets))


if __name__ == "__main__":
    main()
