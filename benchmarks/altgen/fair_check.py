#!/usr/bin/env python3
"""fair_check: recount contact from a written folder with pandas and compare groups within level x department.

Usage: python fair_check.py DATA_DIR ATTRIBUTE GROUP
Counts, per person, the distinct senior leaders (level >= 5) and distinct people in other departments linked to
them by any event with at most 50 recipients (sender <-> recipient, either direction), straight from
people.csv and interactions.csv; checks these against fairness_truth.csv's realised columns; prints the raw
and the within level x department difference between GROUP and everyone else.
"""
import os
import sys

import numpy as np
import pandas as pd


def recount(data_dir, max_recipients=50):
    p = pd.read_csv(os.path.join(data_dir, "people.csv"), dtype={"employee_id": str})
    ev = pd.read_csv(os.path.join(data_dir, "interactions.csv"), dtype=str, usecols=["sender_id", "recipient_ids"])
    ev = ev[ev.recipient_ids.str.count(";") + 1 <= max_recipients]
    sl = ev.assign(r=ev.recipient_ids.str.split(";")).explode("r")[["sender_id", "r"]]
    links = pd.concat([sl.set_axis(["a", "b"], axis=1), sl[["r", "sender_id"]].set_axis(["a", "b"], axis=1)])
    links = links[links.a != links.b].drop_duplicates()
    lv, dp = p.set_index("employee_id").level, p.set_index("employee_id").department
    links["lead"] = links.b.map(lv) >= 5
    links["out"] = links.b.map(dp) != links.a.map(dp)
    c = links.groupby("a")[["lead", "out"]].sum()
    p["senior_leaders"] = p.employee_id.map(c.lead).fillna(0).astype(int)
    p["outside_contacts"] = p.employee_id.map(c.out).fillna(0).astype(int)
    return p


def compare(p, in_group, col):
    """Raw difference, and the mean over level x department cells of (group mean - others' mean), weighted by
    the group's members in the cell (cells with both)."""
    g = pd.Series(np.asarray(in_group, bool), index=p.index)
    cell = p.level.astype(str) + "|" + p.department
    m = p[col].groupby([cell, g]).mean().unstack().dropna()
    w = g.groupby(cell).sum().reindex(m.index)
    return p[col][g].mean() - p[col][~g].mean(), float(((m[True] - m[False]) * w).sum() / w.sum())


if __name__ == "__main__":
    d, attr, grp = sys.argv[1:4]
    p = recount(d)
    ft = pd.read_csv(os.path.join(d, "fairness_truth.csv"), dtype={"employee_id": str}).set_index("employee_id")
    for a, b in (("senior_leaders", "realised_senior_leaders"), ("outside_contacts", "realised_outside_contacts")):
        bad = (p.set_index("employee_id")[a] != ft[b]).sum()
        print(f"{a}: recount vs fairness_truth.csv {b}: {bad} people differ")
    for col in ("senior_leaders", "outside_contacts"):
        raw, within = compare(p, p[attr] == grp, col)
        print(f"{attr}={grp} {col}: group mean {p[col][p[attr] == grp].mean():.3f}, others "
              f"{p[col][p[attr] != grp].mean():.3f}, raw diff {raw:+.3f}, within level x department {within:+.3f}")
