#!/usr/bin/env python3
"""orgsim: an independent synthetic-organisation generator for testing ONA tools.

Written without looking at the tool under test; see README.md for the contact model.
Usage: python orgsim.py OUT --people 969 --seed 3 --rate 5 --closed --broadcasters 3 --response 0.3
Fairness (optional): --attribute location:Austin=0.5,Pune=0.3,Leeds=0.2 [--gap location:Pune:leader:0.4]
                     [--confound location:Pune[:0.98[:1-2]]] [--fair-draws 20]
Careers (optional): --careers  (history.csv, dated sponsor / mentor / career-conversation ties, truth["careers"])
"""
import argparse
import json
import os

import numpy as np
import pandas as pd

FIRST = ("Ada Alan Amara Ana Anil Anna Arjun Aya Ben Bianca Carlos Chen Chloe Dana Daniel David Diego Elena Eli Emma "
         "Erik Fatima Felix Grace Hana Hugo Ian Ines Ivan Jade James Jana Javier Jin Joao Jonas Julia Kai Karim Kate "
         "Kenji Lara Leo Lina Lucas Luis Maja Marco Maria Marta Mateo Maya Mei Mia Mohamed Nadia Nina Noah Nora Olga "
         "Omar Oscar Paula Pedro Priya Rafael Rahul Rosa Ruth Sam Sara Sean Sofia Sven Tariq Tess Theo Tom Uma Vera "
         "Victor Wei Yara Yusuf Zoe Zara Aiko Bruno Cem Dario Emil Freya Gita Hiro Irene Jorge Kofi Lena Milan").split()
LAST = ("Abbott Adeyemi Ahmed Almeida Andersen Bauer Becker Bianchi Brown Campbell Chen Costa Cruz Dubois Eriksson "
        "Evans Fischer Fontaine Garcia Gomez Green Gupta Hansen Hoffmann Huang Ito Jansen Jensen Johnson Kaur Kim "
        "Kowalski Kumar Larsen Laurent Lee Lopez Martin Meyer Molina Moreau Muller Murphy Nakamura Nguyen Novak Okafor "
        "Olsen Ortiz Park Patel Perez Petrov Rossi Santos Sato Schmidt Schneider Silva Singh Smith Sousa Suzuki Tanaka "
        "Taylor Thomas Torres Visser Vogel Wagner Walker Wang Weber Williams Wilson Wong Wu Yamamoto Yilmaz Young "
        "Zhang Zimmermann Berg Castro Diaz Engel Ferreira Haas Ivanova Keller Lindqvist Mendes Nowak Reyes "
        "Sandoval").split()
DEPTS = ["Engineering", "Sales", "Marketing", "Finance", "Operations", "Customer Support", "Product", "Legal",
         "People", "IT", "Research", "Logistics", "Procurement", "Data", "Quality", "Security", "Facilities",
         "Manufacturing", "Design", "Partnerships", "Compliance", "Risk", "Learning", "Field Services", "Analytics",
         "Supply Chain", "Treasury", "Audit", "Public Affairs", "Business Development"]
IC_ROLE = {"Engineering": "Engineer", "Sales": "Account Executive", "Finance": "Financial Analyst",
           "Customer Support": "Support Agent", "Product": "Product Analyst", "Legal": "Counsel",
           "People": "HR Partner", "IT": "Systems Administrator", "Research": "Researcher", "Data": "Data Analyst",
           "Design": "Designer", "Manufacturing": "Technician", "Logistics": "Logistics Coordinator",
           "Analytics": "Analyst"}
TEAMW = ("Atlas Beacon Cedar Delta Ember Falcon Granite Harbor Iris Juniper Kestrel Lumen Meridian Nova Orchid Pioneer "
         "Quartz Raven Summit Tidal Umber Vertex Willow Xenon Yarrow Zephyr").split()
LOCS = ["London", "Berlin", "New York", "Singapore", "Lisbon", "Toronto", "Warsaw", "Bangalore"]
CHANNELS = np.array(["email", "chat", "meeting"], dtype=object)


def _alloc(total, w):
    """Split integer total in proportion to w (largest remainder)."""
    x = total * np.asarray(w, float) / np.sum(w)
    f = np.floor(x).astype(int)
    f[np.argsort(-(x - f))[: total - f.sum()]] += 1
    return f


def _seg(indptr, rows):
    """For CSR indptr and chosen rows: (position in rows, flat index) of every element of those rows."""
    rows = np.asarray(rows, int)
    st, ln = indptr[rows], indptr[rows + 1] - indptr[rows]
    rep = np.repeat(np.arange(len(rows)), ln)
    return rep, st[rep] + np.arange(ln.sum()) - np.repeat(np.cumsum(ln) - ln, ln)


def _uniq(x):
    """Sorted distinct values of an integer array (same as np.unique, faster on large int64 arrays here)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def _u(rng, n):
    return np.clip(rng.random(n), 1e-9, 1 - 1e-9)


def _rowdraw(w, rows, rng):
    """Draw one column per entry of rows from the row-wise weights w (rows x cols)."""
    c = np.cumsum(w, 1)
    c = c / c[:, -1:]
    c[:, -1] = 1.0
    flat = (c + np.arange(len(w))[:, None]).ravel()
    return np.minimum(np.searchsorted(flat, rows + _u(rng, len(rows))) - rows * w.shape[1], w.shape[1] - 1)


def _thread_shapes(rng, A_ev, a):
    """Shapes of the ad hoc threads: channel (0 email, 1 chat, 2 small meeting), recipients wanted, replies,
    reply-all flag and sender (drawn in proportion to activity a), for about A_ev events in all."""
    Tm = int(A_ev / 1.2) + 10
    ch = rng.choice(3, Tm, p=[0.45, 0.45, 0.10])
    k = np.where(ch == 0, 1 + np.where(rng.random(Tm) < 0.35, np.minimum(rng.geometric(0.5, Tm), 6), 0),
                 np.where(ch == 1, 1 + np.where(rng.random(Tm) < 0.15, rng.integers(1, 4, Tm), 0),
                          rng.integers(2, 6, Tm)))
    nrep = np.where(ch == 0, np.where(rng.random(Tm) < 0.5, 0, np.minimum(rng.geometric(0.55, Tm), 8)),
                    np.where(ch == 1, np.where(rng.random(Tm) < 0.2, 0, np.minimum(rng.geometric(0.38, Tm), 15)), 0))
    T = int(np.searchsorted(np.cumsum(1 + nrep), A_ev) + 1)
    ch, k, nrep = ch[:T], k[:T], nrep[:T]
    rall = (k > 1) & ((ch == 1) | (rng.random(T) < 0.6))
    ca = np.cumsum(a) / a.sum()
    snd = np.minimum(np.searchsorted(ca, _u(rng, T)), len(a) - 1)
    return ch, k, nrep, rall, snd


def _thread_links(rng, draw, snd, k, nrep, rall, N):
    """Who is on each ad hoc thread event (not when). Events are numbered: the T thread starts, then the
    replies in order. Returns (reply -> thread index, sender of every event, slot event, slot recipient)."""
    T = len(snd)
    r_thr = np.repeat(np.arange(T), k)
    r_rec = draw(snd[r_thr], rng)
    kk = _uniq(r_thr * N + r_rec)
    r_thr, r_rec = kk // N, kk % N
    k_act = np.bincount(r_thr, minlength=T)
    r_ptr = np.r_[0, np.cumsum(k_act)]
    resp = r_rec[r_ptr[:-1] + (rng.random(T) * k_act).astype(int)]  # the recipient who answers
    rt = np.repeat(np.arange(T), nrep)
    j = np.arange(len(rt)) - np.repeat(np.cumsum(nrep) - nrep, nrep) + 1
    author, other = np.where(j % 2 == 1, resp[rt], snd[rt]), np.where(j % 2 == 1, snd[rt], resp[rt])
    rev, ra = T + np.arange(len(rt)), rall[rt]
    rep_i, idx = _seg(r_ptr, rt[ra])
    ra_ev = np.r_[rev[ra][rep_i], rev[ra]]
    ra_rec = np.r_[r_rec[idx], snd[rt[ra]]]
    keep = ra_rec != author[ra_ev - T]
    return rt, np.r_[snd, author], np.r_[r_thr, rev[~ra], ra_ev[keep]], np.r_[r_rec, other[~ra], ra_rec[keep]]


def _walls(ev_s, sl_e, sl_r, team, dept, is_hid, wall_silo):
    """Hidden high performers: strip every contact that crosses their team. The same wall keeps ordinary silo
    members (wall_silo) out of their gatekeepers' threads that copy outsiders. Returns the kept slots."""
    for grp_of, wall in ((team, is_hid), (dept, wall_silo)):
        te, lo, hi, hasW = grp_of[sl_r], grp_of[ev_s].copy(), grp_of[ev_s].copy(), wall[ev_s].copy()
        np.minimum.at(lo, sl_e, te)
        np.maximum.at(hi, sl_e, te)
        np.logical_or.at(hasW, sl_e, wall[sl_r])
        drop = (hasW & (lo != hi))[sl_e] & (wall[sl_r] | (wall[ev_s[sl_e]] & (te != grp_of[ev_s[sl_e]])))
        sl_e, sl_r = sl_e[~drop], sl_r[~drop]
    return sl_e, sl_r


# ---- fairness: attributes, a planted access gap, a level confound (all optional) -------------------------
# Nothing below runs unless simulate() gets attributes=, gap= or confound=. It draws from its own random
# stream, so the organisation and its events are the same as without these options; the gap only removes
# links (see README, "Fairness: groups and a planted access gap").
SENIOR_LEVEL = 5  # senior leaders are levels 5-6: the CEO and the department heads
MAX_SMALL = 50  # events with more recipients are mass events: never thinned, never counted as contact
FAIR_SALT = 0xFA125  # mixed into the fairness random streams
OUTCOMES = ("leader", "outside", "both")
RESERVED = {"employee_id", "name", "department", "team", "title", "level", "manager_id", "performance"}


def _fair_options(attributes, gap, confound):
    """Check and normalise the fairness options. Returns None when none is used, else a dict with
    attrs {name: (values, shares)}, gap (dict or None) and confound (dict or None)."""
    if attributes is None and gap is None and confound is None:
        return None
    attrs = {}
    for name, vals in (attributes or {}).items():
        name = str(name)
        if name in RESERVED or not name.replace("_", "").isalnum():
            raise ValueError(f"attribute name {name!r} is not allowed (reserved, or not a plain word)")
        if not isinstance(vals, dict):  # a list of values: equal shares
            vals = {str(x): 1.0 for x in vals}
        values, w = [str(x) for x in vals], np.array([float(x) for x in vals.values()])
        if len(values) < 2 or len(set(values)) < len(values) or (w <= 0).any() or not np.isfinite(w).all():
            raise ValueError(f"attribute {name!r} needs two or more distinct values with positive shares")
        attrs[name] = (values, w / w.sum())
    for what, opt in (("gap", gap), ("confound", confound)):
        if opt is not None and (opt.get("attribute") not in attrs
                                or str(opt.get("group")) not in attrs[opt["attribute"]][0]):
            raise ValueError(f"{what}: attribute {opt.get('attribute')!r} with value {opt.get('group')!r} is not "
                             f"among attributes= {dict((k, v[0]) for k, v in attrs.items())}")
    if gap is not None:
        gap = {"attribute": gap["attribute"], "group": str(gap["group"]), "outcome": gap.get("outcome", "leader"),
               "factor": float(gap.get("factor", 0.5))}
        if gap["outcome"] not in OUTCOMES or not 0.0 <= gap["factor"] <= 1.0:
            raise ValueError(f"gap: outcome must be one of {OUTCOMES} and factor within 0..1, got {gap}")
    if confound is not None:
        confound = {"attribute": confound["attribute"], "group": str(confound["group"]),
                    "levels": sorted(int(x) for x in confound.get("levels", (1, 2))),
                    "share": float(confound.get("share", 0.98))}
        if not 0.0 <= confound["share"] <= 1.0:
            raise ValueError(f"confound: share must be within 0..1, got {confound['share']}")
    return {"attrs": attrs, "gap": gap, "confound": confound}


def _assign(rng, level, dept, shares, conf_levels=None, conf_index=None, conf_share=None):
    """Assign one categorical attribute (returns value indices), at random within each level x department cell.
    Each cell gets within one of size x share of every value (systematic sampling from a random start, then
    shuffled over the cell's members), so the attribute says nothing about level or department.
    With a confound, value conf_index gets share conf_share of its expected members at conf_levels and the rest
    at the other levels; within a level its probability is the same in every department, and the other values
    share the remainder in their own proportions."""
    N = len(level)
    p_lev = {lv: np.asarray(shares, float) for lv in np.unique(level)}
    if conf_index is not None:
        low = np.isin(level, conf_levels)
        n_g = shares[conf_index] * N
        rest = np.delete(np.asarray(shares, float), conf_index) / (1 - shares[conf_index])
        for lv in p_lev:
            in_low = lv in conf_levels
            pool = low.sum() if in_low else (~low).sum()
            pg = (conf_share if in_low else 1 - conf_share) * n_g / max(pool, 1)
            if pg > 1 + 1e-9:
                raise ValueError(f"confound: {conf_share:.0%} of the group cannot fit at levels "
                                 f"{'in' if in_low else 'outside'} {conf_levels} ({pool} people there)")
            p_lev[lv] = np.insert(rest * (1 - min(pg, 1.0)), conf_index, min(pg, 1.0))
    out = np.zeros(N, int)
    cell = level.astype(np.int64) * (int(dept.max()) + 1) + dept
    for c in np.unique(cell):
        mem = np.flatnonzero(cell == c)
        n, p = len(mem), p_lev[level[mem[0]]]
        lab = np.searchsorted(n * np.cumsum(p)[:-1], rng.random() + np.arange(n), side="right")
        out[rng.permutation(mem)] = lab
    return out


def _unit(x, y, N, salt):
    """A fixed pseudo-random number in [0, 1) for each unordered pair (x, y) (splitmix64 of the pair)."""
    z = np.minimum(x, y).astype(np.uint64) * np.uint64(N) + np.maximum(x, y).astype(np.uint64)
    z = z + np.uint64(salt) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(float) / 2.0 ** 53


def _gap_cut(gap, in_g, senior, dept, salt):
    """The cut rule: pair (x, y) is a gap pair when one is a group member and the other is a senior leader
    ('leader'), or in another department ('outside'), or either ('both'). Each gap pair is cut, once for the
    whole period and in both directions, with probability 1 - factor."""
    f, outc, N = gap["factor"], gap["outcome"], len(in_g)

    def cut(x, y):
        pair = np.zeros(len(x), bool)
        if outc in ("leader", "both"):
            pair |= (in_g[x] & senior[y]) | (in_g[y] & senior[x])
        if outc in ("outside", "both"):
            pair |= (in_g[x] | in_g[y]) & (dept[x] != dept[y])
        res = np.zeros(len(x), bool)
        res[pair] = _unit(x[pair], y[pair], N, salt) >= f
        return res
    return cut


def _dedupe(ev_s, sl_e, sl_r, N):
    """One slot per (event, recipient), sorted by event, never the sender (as the writer does)."""
    kk = _uniq(sl_e * N + sl_r)
    sl_e, sl_r = kk // N, kk % N
    ok = sl_r != ev_s[sl_e]
    return sl_e[ok], sl_r[ok]


def _gap_filter(ev_s, sl_e, sl_r, cut, in_g, exempt):
    """Remove every small-event link of a cut pair (slots deduplicated and sorted by event):
    1. a slot whose sender and recipient are a cut pair is dropped (either may be the group member);
    2. a group member who is a recipient together with a cut partner is dropped from that event (if both are
       group members, the one with the larger index), so a cut pair never shares a small event.
    Events with more than MAX_SMALL recipients and exempt events (the planted extra events) are left alone."""
    n_ev = len(ev_s)
    small = (np.bincount(sl_e, minlength=n_ev) <= MAX_SMALL) & ~exempt
    drop = small[sl_e] & cut(ev_s[sl_e], sl_r)
    sl_e, sl_r = sl_e[~drop], sl_r[~drop]
    cnt = np.bincount(sl_e, minlength=n_ev)
    ptr = np.r_[0, np.cumsum(cnt)]
    cand = np.flatnonzero(small[sl_e] & (cnt[sl_e] >= 2) & in_g[sl_r])
    drop = np.zeros(len(sl_e), bool)
    for ch in np.array_split(cand, max(1, len(cand) // 100000)):
        rep, idx = _seg(ptr, sl_e[ch])
        r, q = sl_r[ch][rep], sl_r[idx]
        ok = (r != q) & (~in_g[q] | (r > q))
        hit = np.zeros(len(r), bool)
        hit[ok] = cut(r[ok], q[ok])
        drop[ch[rep[hit]]] = True
    return sl_e[~drop], sl_r[~drop]


def _contacts(ev_s, sl_e, sl_r, N, senior, dept, extra=None):
    """Per person: distinct senior leaders, and distinct people in other departments, linked to them by any
    event with at most MAX_SMALL recipients (sender <-> recipient, either direction). extra: more (a, b) pairs."""
    small = (np.bincount(sl_e, minlength=len(ev_s)) <= MAX_SMALL)[sl_e]
    a, b = ev_s[sl_e][small], sl_r[small]
    if extra is not None and len(extra):
        a, b = np.r_[a, extra[:, 0]], np.r_[b, extra[:, 1]]
    key = _uniq(np.r_[a * N + b, b * N + a])
    p, q = key // N, key % N
    p, q = p[p != q], q[p != q]
    return (np.bincount(p, weights=senior[q], minlength=N).astype(int),
            np.bincount(p, weights=dept[p] != dept[q], minlength=N).astype(int))


def _cell_diff(df, in_g, col):
    """Group mean minus the mean of everyone else: raw, and within level x department cells (cells holding
    both, weighted by the group's members in each). Also the two within-cell means."""
    x, g = df[col].astype(float), np.asarray(in_g, bool)
    if x.isna().all():  # no Monte-Carlo draws
        return None
    cell = df["level"].astype(str) + "|" + df["department"]
    m = x.groupby([cell, g]).mean().unstack()
    n = pd.Series(g).groupby(cell.to_numpy()).sum()
    if True not in m or False not in m:
        return None
    both = m.dropna()
    w = n.reindex(both.index).to_numpy(float)
    gm, pm = float(np.sum(both[True] * w) / w.sum()), float(np.sum(both[False] * w) / w.sum())
    return {"raw_difference": round(float(x[g].mean() - x[~g].mean()), 4),
            "within_cell_difference": round(gm - pm, 4), "group_mean_within_cells": round(gm, 4),
            "peer_mean_within_cells": round(pm, 4), "within_cell_ratio": round(gm / pm, 4) if pm > 0 else None,
            "cells_compared": int(len(both)), "group_members_compared": int(w.sum())}


def _fair_truth(out_dir, fair, attr_ix, in_gap, in_conf, ids, level, dept, dn, real, real0, expd, draws, gstats):
    """Write fairness_truth.csv (one row per person) and return the "fairness" section of truth.json."""
    df = pd.DataFrame({"employee_id": ids, **{name: np.array(fair["attrs"][name][0], dtype=object)[ix]
                                              for name, ix in attr_ix.items()},
                       "level": level, "department": np.array(dn, dtype=object)[dept],
                       "in_gap_group": in_gap, "in_confound_group": in_conf,
                       "expected_senior_leaders": expd[0].round(3), "expected_outside_contacts": expd[1].round(3),
                       "expected_senior_leaders_nogap": expd[2].round(3),
                       "expected_outside_contacts_nogap": expd[3].round(3),
                       "realised_senior_leaders": real[0], "realised_outside_contacts": real[1],
                       "realised_senior_leaders_nogap": real0[0], "realised_outside_contacts_nogap": real0[1]})
    df = df.sort_values("employee_id", ignore_index=True)
    df.to_csv(os.path.join(out_dir, "fairness_truth.csv"), index=False)
    gp, cf = fair["gap"], fair["confound"]
    cells = []
    for (lv, d), g in df.groupby(["level", "department"], sort=True):
        cells.append({"level": int(lv), "department": str(d), "people": int(len(g)),
                      **{name: {v: int((g[name] == v).sum()) for v in fair["attrs"][name][0]} for name in attr_ix}})
    summary = {}
    for label, opt, col in (("gap_group", gp, "in_gap_group"), ("confound_group", cf, "in_confound_group")):
        if opt:
            summary[label] = {"attribute": opt["attribute"], "group": opt["group"],
                              **{m: _cell_diff(df, df[col], m) for m in df.columns[-8:]}}
    if cf:
        g = df.in_confound_group
        cf = dict(cf, group_size=int(g.sum()),
                  realised_share_at_levels=round(float(df.level[g].isin(cf["levels"]).mean()), 4),
                  everyone_share_at_levels=round(float(df.level.isin(cf["levels"]).mean()), 4),
                  contact_effect="none: contact does not depend on the attribute")
    return {
        "attributes": {name: {"values": vals, "shares": {v: round(float(x), 4) for v, x in zip(vals, sh)},
                              "counts": {v: int((df[name] == v).sum()) for v in vals}}
                       for name, (vals, sh) in fair["attrs"].items()},
        "assignment": "random within level x department cells (each cell within one of size x share)"
                      + (f"; except {cf['attribute']}={cf['group']}, whose share depends on the level (confound)"
                         if cf else ""),
        "senior_levels": [SENIOR_LEVEL, SENIOR_LEVEL + 1],
        "gap": dict(gp, group_size=int(in_gap.sum())) if gp else None,
        "within_stratum_gap": bool(gp is not None and gp["factor"] < 1),
        "confound": cf,
        "confound_planted": cf is not None,
        "gap_model": ("each pair of a group member and a target (senior leader / person in another department) "
                      "is cut with probability 1 - factor, for the whole period and in both directions; a cut "
                      "pair never shares an event of at most 50 recipients and never names each other in the "
                      "survey; planted advocacy and top-up events and namings are exempt") if gp else None,
        "gap_stats": gstats or None,
        "contact_rule": ("a person is in contact with another when an event with at most 50 recipients has one "
                         "as sender and the other as recipient, either direction; the senior leaders are levels "
                         "5-6; outside = another department"),
        "expected": {"method": "monte_carlo", "draws": draws,
                     "redrawn": "ad hoc threads: senders, shapes, recipients from the address books, reply chains",
                     "fixed": "organisation, address books, cuts, recurring meetings as written, planted extra events",
                     "nogap": "the same draws without the gap filter (the counterfactual)"},
        "summary": summary,
        "cells": cells,
        "person_file": "fairness_truth.csv",
    }


# ---- careers over time (optional) --------------------------------------------------------------------------
# Nothing below runs unless simulate() gets careers=. It draws from its own random stream (seed, CAREER_SALT),
# so the organisation, its events and the survey are those of the same seed without it. The history is built
# backwards from each person's current job, so people.csv keeps its levels (README, "Careers over time").
CAREER_SALT = 0xCA12EE
CAREER_YEARS = 5  # the history covers the five years up to the simulation's end date
WINDOW_MONTHS = 24  # a sponsored promotion happens within 24 months after the tie's date
HEAD_LEVEL = 5  # promotions happen below this level (levels 1-4 -> 2-5)
YEAR = 365.25
EV_NAMES = np.array(["start", "hire", "promotion", "move"], dtype=object)
CAREER_DEFAULTS = {"base_hazard": 0.10, "good_factor": 3.0, "nonresponse": 0.2}


def _career_options(careers):
    """None when careers are off, else the settings (True = the defaults; a dict overrides some of them)."""
    if careers is None or careers is False:
        return None
    opts = dict(CAREER_DEFAULTS)
    if isinstance(careers, dict):
        bad = set(careers) - set(opts)
        if bad:
            raise ValueError(f"careers: unknown setting(s) {sorted(bad)}; known: {sorted(opts)}")
        opts.update({k: float(v) for k, v in careers.items()})
    elif careers is not True:
        raise ValueError(f"careers must be True, False or a dict of {sorted(opts)}, got {careers!r}")
    if not (0.01 <= opts["base_hazard"] <= 0.3 and 1.0 <= opts["good_factor"] <= 5.0
            and 0.0 <= opts["nonresponse"] < 1.0):
        raise ValueError(f"careers: need 0.01 <= base_hazard <= 0.3, 1 <= good_factor <= 5, 0 <= nonresponse < 1, "
                         f"got {opts}")
    return opts


def _day(ts):
    return int(np.datetime64(pd.Timestamp(ts).date(), "D").astype(int))


def _plus_months(day, months):
    return _day(pd.Timestamp(np.datetime64(int(day), "D")) + pd.DateOffset(months=int(months)))


def _ladder_title(level, dname):
    """Title of a job on the department ladder (as _build_org names them)."""
    ic = IC_ROLE.get(dname, f"{dname} Specialist")
    return {1: ic, 2: f"Senior {ic}", 3: f"{dname} Team Lead", 4: f"Director, {dname}", 5: f"Head of {dname}"}.get(
        int(level), ic)


def _career_history(crng, level, dept, role, D, H0, H1, hire_max, hazard, waves, wend):
    """Each person's jobs over [H0, H1] (days), built backwards from the current job.

    Hire: current tenure ~ exponential (mean 5 years at levels 1-2, up to 12 for the CEO); the person is
    observed from max(hire, H0). Promotions, going back from H1: a person on the ladder (ic, team lead,
    director, head) now at level L >= 2 entered L by a promotion inside the time still available with
    probability pi[L], at a time uniform over that time (at least 180 days after their first day and 180 days
    before the later promotion); then the same for L - 1 before it, and so on; the walk stops at the first "no"
    (or when there is no room). Moves: a movable person (ic, team lead, director in a department) has
    min(2, Poisson(3% a year x observed years)) moves at uniform times at least 90 days after their first day,
    each from another department at random (same level). pi[2] and pi[3] are calibrated on the history itself: of
    the people at level 1 (2) on a survey date whose window is observed (waves/wend), a share
    1 - (1 - hazard)^2 is promoted within the 24 months after it (an annual probability of `hazard`). Levels 3
    and 4 cannot get that rate from current staff alone (about 200 team leads per 60 directors and 16 heads at
    2,000 people, and nobody who left is in the data), so pi[4] = 0.6 and pi[5] = 0.5 are fixed and the realised
    rates at levels 3-4 are lower (recorded in the truth).
    Returns rows (pid, day float, level, dept, kind 0 start / 1 hire / 2 promotion / 3 move), sorted, and pi."""
    N, S, gamma = len(level), HEAD_LEVEL, 0.03
    tau = np.select([role == "ceo", np.isin(role, ["exec", "broadcast"])], [12.0, 6.0],
                    np.array([5.0, 5.0, 6.0, 7.0, 9.0, 10.0, 12.0])[level])
    hire = hire_max - crng.exponential(tau) * YEAR
    first = np.maximum(hire, H0)
    Up, Vp = crng.random((S, N)), crng.random((S, N))
    ladder = np.isin(role, ["ic", "manager", "director", "head"])
    movable = np.isin(role, ["ic", "manager", "director"]) & (dept < D)
    room = np.maximum(H1 - first - 90, 0)
    n_mv = np.where(movable, np.minimum(crng.poisson(gamma * room / YEAR), 2), 0)
    t_mv = first[:, None] + 90 + np.sort(crng.random((N, 2)), 1)[:, ::-1] * room[:, None]  # latest first
    d_mv = np.zeros((N, 3), int)  # department after the latest move, after the one before, before both
    d_mv[:, 0] = dept
    for j in (1, 2):
        d_mv[:, j] = (d_mv[:, j - 1] + 1 + (crng.random(N) * (D - 1)).astype(int)) % D
    mv_pid = np.r_[np.flatnonzero(n_mv >= 1), np.flatnonzero(n_mv >= 2)]
    mv_t = np.r_[t_mv[n_mv >= 1, 0], t_mv[n_mv >= 2, 1]]
    mv_d = np.r_[d_mv[n_mv >= 1, 0], d_mv[n_mv >= 2, 1]]
    ar = np.arange(N)

    def run(pi):
        t, L, alive = np.full(N, float(H1)), level.copy(), ladder.copy()
        pp, pt = [], []
        for s in range(S):
            lo_, hi_ = first + 180, t - (180 if s else 0)
            go = alive & (L >= 2) & (L <= HEAD_LEVEL) & (Up[s] < pi[np.clip(L, 0, 6)]) & (hi_ > lo_)
            tp = lo_ + Vp[s] * (hi_ - lo_)
            pp.append(ar[go])
            pt.append(tp[go])
            L, t, alive = np.where(go, L - 1, L), np.where(go, tp, t), go
        pp, pt = np.concatenate(pp), np.concatenate(pt)
        pid = np.r_[ar, pp, mv_pid]
        tt = np.r_[first, pt, mv_t]
        kind = np.r_[np.where(hire >= H0, 1, 0), np.full(len(pp), 2), np.full(len(mv_pid), 3)]
        o = np.lexsort((kind, tt, pid))
        pid, tt, kind = pid[o], tt[o], kind[o]
        start = np.r_[True, pid[1:] != pid[:-1]]
        lv = level[pid] - np.bincount(pp, minlength=N)[pid] + pd.Series((kind == 2).astype(int)).groupby(
            pid).cumsum().to_numpy()
        dmv = np.r_[np.zeros(N, int) - 1, np.zeros(len(pp), int) - 1, mv_d][o]
        dmv[start] = d_mv[pid[start], n_mv[pid[start]]]  # the department before every move
        dp = pd.Series(np.where(dmv >= 0, dmv, np.nan)).groupby(pid).ffill().to_numpy().astype(int)
        return [pid, tt, lv, dp, kind]

    def forward(rows):  # share of people at level l on a survey date promoted within the window, l = 1..4
        pid, t, lv, _, kind = rows
        key = pid * 1e6 + t
        hit, tot = np.zeros(HEAD_LEVEL), np.zeros(HEAD_LEVEL)
        for w, e in zip(waves, wend):
            pos = np.searchsorted(key, ar * 1e6 + w, side="right") - 1
            ok = (pos >= 0) & (pid[np.maximum(pos, 0)] == ar)
            lw = np.where(ok, lv[np.maximum(pos, 0)], 0)
            pr = np.bincount(pid[(kind == 2) & (t > w) & (t <= e)], minlength=N) > 0
            m = (lw >= 1) & (lw < HEAD_LEVEL)
            tot += np.bincount(lw[m], minlength=HEAD_LEVEL)
            hit += np.bincount(lw[m & pr], minlength=HEAD_LEVEL)
        return hit[1:] / np.maximum(tot[1:], 1)
    target = 1 - (1 - hazard) ** 2
    pi = np.zeros(7)
    pi[2:HEAD_LEVEL + 1] = [0.5, 0.5, 0.6, 0.5]
    lo, hi = np.zeros(2), np.ones(2)
    for _ in range(12):  # bisection on pi[2], pi[3] (the window share rises with pi)
        m = forward(run(pi))[:2]
        up = m < target
        lo, hi = np.where(up, pi[2:4], lo), np.where(up, hi, pi[2:4])
        pi[2:4] = (lo + hi) / 2
    return run(pi), pi


def _career_days(rows, H0, H1, bounds):
    """Whole days; no event within 3 days of a boundary (wave dates, window ends); one row per person and day
    (strictly increasing); the last event of all on H1, so the history ends on the simulation's end date."""
    pid, t, kind = rows[0], rows[1], rows[4]
    day = np.floor(t).astype(np.int64)
    day[kind == 0] = H0
    b = np.unique(np.asarray(bounds, np.int64))
    brk = np.r_[0, np.flatnonzero(b[1:] - b[:-1] > 6) + 1]  # merged zones [first - 3, last + 3]
    zlo, zhi = b[brk] - 3, np.r_[b[brk[1:] - 1], b[-1]] + 3
    z = np.searchsorted(zlo, day, side="right") - 1
    bad = (kind > 0) & (z >= 0) & (day <= zhi[np.maximum(z, 0)])
    zb = z[bad]
    day[bad] = np.where(day[bad] - zlo[zb] < zhi[zb] - day[bad], zlo[zb] - 1, zhi[zb] + 1)
    day = np.clip(day, H0, H1)
    day[kind > 0] = np.maximum(day[kind > 0], H0 + 1)
    r = np.arange(len(pid)) - np.r_[0, np.flatnonzero(pid[1:] != pid[:-1]) + 1].repeat(
        np.diff(np.r_[0, np.flatnonzero(pid[1:] != pid[:-1]) + 1, len(pid)]))
    y = pd.Series(day - r).groupby(pid).cummax().to_numpy()
    day = y + r
    for p in np.unique(pid[day > H1]):  # rare: pushed past the end, push back instead
        ix = np.flatnonzero(pid == p)
        for i in range(len(ix) - 1, 0, -1):
            day[ix[i]] = min(day[ix[i]], H1 if i == len(ix) - 1 else day[ix[i + 1]] - 1)
        if day[ix[0]] >= day[ix[1]]:
            raise RuntimeError("careers: could not place a person's history rows on distinct days")
    ev = np.flatnonzero(kind >= 2)
    if len(ev) and day[ev].max() < H1:
        day[ev[np.argmax(day[ev])]] = H1
    return day


class _Hist:
    """Look-ups on the written history (rows sorted by person and day)."""

    def __init__(self, N, pid, day, lv, dp, kind):
        self.N, self.pid, self.day, self.lv, self.dp, self.kind = N, pid, day, lv, dp, kind
        self.key = pid.astype(np.int64) * (1 << 22) + day
        self.first = day[np.r_[0, np.flatnonzero(pid[1:] != pid[:-1]) + 1]]

    def at(self, d):
        """Level (0 = not yet employed) and department of everyone on day d."""
        ar = np.arange(self.N)
        pos = np.searchsorted(self.key, ar.astype(np.int64) * (1 << 22) + d, side="right") - 1
        ok = (pos >= 0) & (self.pid[np.maximum(pos, 0)] == ar)
        return np.where(ok, self.lv[np.maximum(pos, 0)], 0), np.where(ok, self.dp[np.maximum(pos, 0)], -1)

    def count(self, kind, a, b):
        """Per person: rows of this kind dated in (a, b]."""
        m = (self.kind == kind) & (self.day > a) & (self.day <= b)
        return np.bincount(self.pid[m], minlength=self.N)

    def first_promo(self, p, a, b):
        m = (self.pid == p) & (self.kind == 2) & (self.day > a) & (self.day <= b)
        return int(self.day[m].min()) if m.any() else None

    def last_promo_before(self, p, d):
        m = (self.pid == p) & (self.kind == 2) & (self.day <= d)
        return int(self.day[m].max()) if m.any() else None


def _careers_plan(crng, opts, c):
    """Everything the careers option adds, in index space. c: the organisation and survey (see simulate)."""
    N, D, level, dept, role, team, mgr = c["N"], c["D"], c["level"], c["dept"], c["role"], c["team"], c["mgr"]
    reports, head_of, ceo = c["reports"], c["head_of"], c["ceo"]
    is_hid, is_panel, is_slate, in_silo, is_gk = c["is_hid"], c["is_panel"], c["is_slate"], c["in_silo"], c["is_gk"]
    rel = c["rel"]
    H1 = c["d1"] - 1
    H0 = _day(pd.Timestamp(np.datetime64(int(H1), "D")) - pd.DateOffset(years=CAREER_YEARS))
    waves = [_day(pd.Timestamp(np.datetime64(int(H0), "D")) + pd.DateOffset(years=k) - pd.Timedelta(days=14))
             for k in range(1, CAREER_YEARS + 1)]
    wend = [_plus_months(w, WINDOW_MONTHS) for w in waves]
    full = [k for k in range(len(waves)) if wend[k] <= H1]  # waves whose window lies inside the history
    hire_max = H1 - 28  # everyone was on the payroll for the last wave and the end-of-period survey

    # -- history ---------------------------------------------------------------------------------------------
    rows, beta = _career_history(crng, level, dept, role, D, H0, H1, hire_max, opts["base_hazard"],
                                 [waves[k] for k in full], [wend[k] for k in full])
    bounds = waves + wend + [w + 730 for w in waves] + [w + 731 for w in waves]
    day = _career_days(rows, H0, H1, bounds)
    H = _Hist(N, rows[0], day, rows[2], rows[3], rows[4])
    last = np.r_[np.flatnonzero(H.pid[1:] != H.pid[:-1]), len(H.pid) - 1]
    assert (H.lv[last] == level).all() and (H.dp[last] == dept).all()

    # -- who answers: leaders always (if they answered at all); some non-leaders do not -----------------------
    resp = c["is_resp"].copy()
    rs, rt = rel.s.to_numpy(), rel.t.to_numpy()
    protect = np.zeros(N, bool)
    protect[[s for s, _ in c["fix_named"]]] = True
    pool = resp & (role == "ic") & (level <= 2) & ~is_slate & ~is_panel & ~protect
    nonresp = pool & (crng.random(N) < opts["nonresponse"])
    for p in c["top_other"]:  # keep each other top-rated person's naming from outside their team
        nm = np.unique(rs[(rt == p) & (team[rs] != team[p])])
        if len(nm) and nonresp[nm].all():
            nonresp[nm[0]] = False
    resp &= ~nonresp
    added = []  # slate candidates counted as career-survey respondents when too few answered
    sl = np.flatnonzero(is_slate)
    if resp[sl].sum() < 6:
        extra = crng.permutation(sl[~resp[sl]])[: 6 - resp[sl].sum()]
        resp[extra] = True
        added = [int(x) for x in extra]
    drop = nonresp[rs]
    base_removed = int(drop.sum())

    # -- planted sponsors ------------------------------------------------------------------------------------
    W = [H.at(w) for w in waves]
    promoted = [H.count(2, waves[k], wend[k]) > 0 for k in range(len(waves))]
    moves_after = [H.count(3, w, H1) for w in waves]
    b_lv = {}
    for k in full:
        lv = W[k][0]
        for l in range(1, HEAD_LEVEL):
            m = lv == l
            b_lv[k, l] = float(promoted[k][m].mean()) if m.sum() >= 20 else 0.2
    n_good, n_ord, n_late = max(2, round(3 * N / 1000)), max(3, round(3 * N / 1000)), max(1, round(N / 2000))
    W1 = full[0] if full else 0
    base_ok = resp & ~is_panel & ~is_slate & ~is_hid & (dept < D)

    def own_waves(s, x):  # waves at which s leads the team and x is in it, both staying there to the end
        return [k for k in range(len(waves)) if W[k][0][s] == 3 and W[k][1][s] == dept[s] and moves_after[k][s] == 0
                and W[k][0][x] >= 1 and W[k][1][x] == dept[s] and moves_after[k][x] == 0]

    def own_reports(s):
        r = np.array(reports[s], int)
        r = r[(team[r] == team[s]) & ~is_hid[r] & ~is_slate[r] & ~is_panel[r]]
        return [int(x) for x in r if own_waves(s, x)]
    own = []
    for rnd in range(2):  # two team leads with at least 6 such reports, in different departments if possible
        for s in crng.permutation(np.flatnonzero(base_ok & (role == "manager"))):
            if len(own) < 2 and s not in own and (rnd or all(dept[s] != dept[x] for x in own)) \
                    and len(own_reports(s)) >= 6:
                own.append(int(s))
    # the other planted sponsors: on the payroll and in their department since the first wave, most senior first
    stable = (moves_after[W1] == 0) & (H.first <= waves[W1])
    cand = crng.permutation(np.flatnonzero(base_ok & stable & np.isin(role, ["head", "director", "manager"])
                                           & (W[W1][0] >= 2) & ~np.isin(np.arange(N), own)))
    cand = cand[np.lexsort((in_silo[cand], -W[W1][0][cand]))]
    chosen, used_d = [], set()
    for rnd in range(2):  # one sponsor per department first
        for s in cand:
            if len(chosen) < n_good + n_ord + n_late and s not in chosen and (rnd or dept[s] not in used_d):
                chosen.append(int(s))
                used_d.add(dept[s])
    groups = {"good": chosen[:n_good], "ordinary": chosen[n_good:n_good + n_ord], "late": chosen[n_good + n_ord:],
              "own_circle": own}
    sponsors = np.zeros(N, bool)
    sponsors[chosen + own] = True
    taken = sponsors | is_hid | is_slate | is_panel | (role == "ceo") | (dept == D)
    ties = []  # planted advocacy: (sponsor, protege, wave index, group)
    recent = {k: H.count(2, waves[k] - 365, waves[k] - 30) > 0 for k in full}

    def pick_pool(s, k, late, wide=False):
        """Who sponsor s may name at wave k: employed, junior to s and below the head level, not already a
        planted protege, not s's own report or team member; for late ties, promoted in the year before the tie
        (at least a month before it). In s's department, or (wide) in any ordinary department."""
        lv, dp = W[k]
        pool = (lv >= 1) & (lv <= min(HEAD_LEVEL - 1, lv[s] - 1)) & ~taken & (mgr != s) & (team != team[s])
        if late:
            pool &= recent[k]
        return pool & (dp < D) & ~in_silo if wide else pool & (dp == dp[s])

    def cell_rate(k, l, d, n_c, f):
        """The promotion share within the window that the people left in the cell (level l, department d, wave k;
        not yet planted) will have once this sponsor has taken n_c of them, f times as often promoted:
        x promoted taken out of M with P promoted solves x = f n_c (P - x) / (M - n_c). Shrunk towards the
        level's share (weight of 5 people)."""
        m = (W[k][0] == l) & (W[k][1] == d) & ~taken
        P_, M_ = promoted[k][m].sum() + 5 * b_lv[k, l], m.sum() + 5
        x = f * n_c * P_ / max(M_ - n_c + f * n_c, 1)
        return float(max(P_ - x, 0) / max(M_ - n_c, 1))

    for grp, factor, late in (("good", opts["good_factor"], False), ("ordinary", 1.0, False), ("late", 1.0, True)):
        for s in groups[grp]:
            n = int(crng.integers(10, 14) if grp == "good" else crng.integers(8, 11))
            per = crng.permutation(_alloc(n, np.ones(len(full[:3]))))
            slots = []  # (wave, level): the level of each slot follows the pool's level mix
            for k, m in zip(full[:3], per):
                pl = pick_pool(s, k, late)
                pl = pl if pl.any() else pick_pool(s, k, late, True)
                if pl.any():
                    slots += [(k, int(l)) for l in crng.choice(W[k][0][pl], m)]
            nc = pd.Series([f"{k}|{l}" for k, l in slots]).value_counts()
            q = np.array([min(0.9, factor * cell_rate(k, l, W[k][1][s], nc[f"{k}|{l}"], factor)) for k, l in slots])
            # exactly round(sum q) promoted slots, each slot's chance in proportion to q (systematic sampling)
            want = np.zeros(len(slots), bool)
            if len(slots):
                cq = np.cumsum(q)
                want[np.searchsorted(cq, crng.random() + np.arange(int(round(cq[-1]))), side="right")
                     .clip(0, len(slots) - 1)] = True
            for (k, l), wp in zip(slots, want):  # own department first, then any ordinary one
                po, pw_ = pick_pool(s, k, late), pick_pool(s, k, late, True)
                lvl = W[k][0] == l
                for pl, status in ((po & lvl, wp), (po, wp), (pw_ & lvl, wp), (pw_, wp), (po, not wp), (pw_, not wp)):
                    cand = np.flatnonzero(pl & (promoted[k] == status))
                    if len(cand):
                        x = int(crng.choice(cand))
                        ties.append((s, x, k, grp))
                        taken[x] = True
                        break
    for s in own:  # own circle: their own reports, inside the team, who stayed in the department
        for x in crng.permutation(own_reports(s))[: int(crng.integers(6, 9))]:
            ties.append((s, int(x), int(crng.choice(own_waves(s, x))), "own_circle"))
            taken[x] = True

    # -- background ties in every wave (advocacy by managers, mentoring), from respondents only -------------
    crows = [(s, x, "advocacy", waves[k]) for s, x, k, _ in ties]
    lw = np.array([0.0, 0.15, 1.5, 1.5, 1.5, 1.5, 0.0])  # mentors and sponsors favour people above level 1
    for k, w in enumerate(waves):
        lv, dp = W[k]
        emp = lv >= 1
        for s in np.flatnonzero(resp & emp & ~sponsors & (lv >= 2) & (crng.random(N) < 0.25)):
            r = np.array(reports[s], int)
            r = r[emp[r] & (lv[r] < lv[s]) & (dp[r] == dp[s]) & ~(is_panel[s] & is_slate[r])] if len(r) else r
            if len(r):
                wt = lw[lv[r]] + 0.35
                crows.append((int(s), int(crng.choice(r, p=wt / wt.sum())), "advocacy", w))
        for s in np.flatnonzero(resp & emp & (lv >= 3) & (crng.random(N) < 0.4) & (np.arange(N) != ceo)):
            cand = np.flatnonzero(emp & (lv < lv[s]) & (dp == dp[s]) & ~(is_hid & (team != team[s]))
                                  & ~(is_panel[s] & is_slate))
            if len(cand):  # a level first (each level below level 1 alike), then someone at that level
                wt = lw[lv[cand]] / np.bincount(lv[cand], minlength=7)[lv[cand]]
                crows.append((int(s), int(crng.choice(cand, p=wt / wt.sum())), "mentor", w))
        for s in np.flatnonzero(resp & emp & (role == "head")):  # heads mentor some of their directors
            r = np.array(reports[s], int)
            r = r[(lv[r] == HEAD_LEVEL - 1) & (dp[r] == dp[s]) & ~(is_panel[s] & is_slate[r])] if len(r) else r
            crows += [(int(s), int(x), "mentor", w) for x in r[crng.random(len(r)) < 0.2]]
        hs = np.flatnonzero(emp & (lv == HEAD_LEVEL))
        if resp[ceo] and emp[ceo] and len(hs):  # the CEO mentors a third of the heads (at least 5) each year
            nh = min(len(hs), max(5, -(-len(hs) // 3)))
            crows += [(int(ceo), int(x), "mentor", w) for x in crng.choice(hs, nh, replace=False)]

    # -- reverse mentoring: senior people who seek advice from juniors (last wave) ---------------------------
    wl = waves[-1]
    n_rev = max(3, round(N / 500))
    base_adv = set(zip(rs[rel.relation.to_numpy() == "advice"], rt[rel.relation.to_numpy() == "advice"]))
    rev = []
    for s in crng.permutation(np.flatnonzero(resp & (W[-1][0] >= 4) & (level >= 4) & (dept < D) & ~is_hid)):
        cand = np.flatnonzero((level <= 2) & (dept == dept[s]) & ~is_hid & (W[-1][0] >= 1))
        cand = np.array([x for x in cand if (s, x) not in base_adv], int)
        if len(cand) and len(rev) < n_rev:
            rev.append((int(s), int(crng.choice(cand))))
    crows += [(s, x, "advice", wl) for s, x in rev]

    # -- career conversations (last wave): manager ~60%, a senior leader ~15%, nobody the rest ----------------
    cat = np.full(N, "unknown", dtype=object)
    u = crng.random(N)
    cat[resp] = np.where(u[resp] < 0.60, "manager", np.where(u[resp] < 0.75, "senior_leader", "none"))
    sl_resp = crng.permutation(sl[resp[sl]])
    forced = ["manager"] * 3 + ["senior_leader", "none", "senior_leader"]
    for x, f in zip(sl_resp, forced):
        cat[x] = f
    also = crng.random(N) < 0.25  # some who talk to their manager also talk to a senior leader

    def senior_for(p):
        for x in (head_of[dept[p]], ceo):
            if x != p and x != mgr[p] and not (in_silo[p] and not is_gk[p] and dept[x] != dept[p]):
                return int(x)
        return None
    for p in np.flatnonzero(resp):
        if cat[p] == "manager" and mgr[p] < 0:
            cat[p] = "senior_leader"
        sen = None if is_hid[p] else senior_for(p)
        if cat[p] == "senior_leader" and sen is None:
            cat[p] = "none"
        if cat[p] == "manager":
            crows.append((int(p), int(mgr[p]), "career_conversation", wl))
            if also[p] and sen is not None:
                crows.append((int(p), sen, "career_conversation", wl))
        elif cat[p] == "senior_leader":
            crows.append((int(p), sen, "career_conversation", wl))
    crows = pd.DataFrame(crows, columns=["s", "t", "relation", "day"]).drop_duplicates(ignore_index=True)
    crows = crows[crows.s != crows.t]
    return {"H0": H0, "H1": H1, "waves": waves, "wend": wend, "full": full, "hist": H, "beta": beta,
            "resp": resp, "nonresp": nonresp, "added": added, "drop": drop, "base_removed": base_removed,
            "groups": groups, "ties": ties, "rev": rev, "cat": cat, "crows": crows, "opts": opts}


def _career_history_frame(P, ids, dnames, title_now):
    H = P["hist"]
    last = np.r_[H.pid[1:] != H.pid[:-1], True]
    titles = np.array([_ladder_title(lv, dnames[d]) for lv, d in zip(H.lv, H.dp)], dtype=object)
    titles[last] = title_now[H.pid[last]]
    return pd.DataFrame({"employee_id": ids[H.pid], "date": np.datetime_as_string(H.day.astype("datetime64[D]")),
                         "level": H.lv, "title": titles, "department": np.array(dnames, dtype=object)[H.dp],
                         "event": EV_NAMES[H.kind]}).sort_values(["employee_id", "date"], ignore_index=True)


def _careers_truth(P, allrel, ids, level, mgr, team, is_panel, is_slate, dnames):
    """truth["careers"], computed from the rows as written. allrel: s, t, relation, day (index space)."""
    N, H, waves, wend, full = len(ids), P["hist"], P["waves"], P["wend"], P["full"]
    L = lambda x: sorted(str(ids[i]) for i in x)  # noqa: E731
    D_ = lambda d: str(np.datetime64(int(d), "D"))  # noqa: E731
    adv = allrel[allrel.relation.isin(["advocacy", "sponsor"])]
    a_s, a_t, a_d = adv.s.to_numpy(), adv.t.to_numpy(), adv.day.to_numpy()
    # person-windows: employed on a wave date, below the head level; promoted within 24 months after it
    pw = []
    for k in full:
        lv, dp = H.at(waves[k])
        spons = np.zeros(N, bool)
        spons[a_t[(a_d <= waves[k]) & (a_d > _plus_months(waves[k], -WINDOW_MONTHS))]] = True
        prom = H.count(2, waves[k], wend[k]) > 0
        e = np.flatnonzero((lv >= 1) & (lv < HEAD_LEVEL))
        pw.append(pd.DataFrame({"p": e, "k": k, "level": lv[e], "dept": dp[e], "sponsored": spons[e],
                                "promoted": prom[e]}))
    pw = pd.concat(pw, ignore_index=True)
    un = pw[~pw.sponsored]
    base = float(un.promoted.mean())
    cell = un.groupby(["k", "level", "dept"]).promoted.agg(["mean", "size"])
    lvcell = un.groupby(["k", "level"]).promoted.mean()
    lv_all = {k: H.at(waves[k]) for k in range(len(waves))}

    def comparable(p, k):
        if k not in full:
            return None
        lv, dp = lv_all[k][0][p], lv_all[k][1][p]
        if (k, lv, dp) in cell.index and cell.loc[(k, lv, dp), "size"] >= 5:
            return float(cell.loc[(k, lv, dp), "mean"])
        return float(lvcell.get((k, lv), base))

    grp_name = {"good": "good_sponsors", "ordinary": "ordinary_sponsors", "own_circle": "own_circle_sponsors",
                "late": "late_sponsors"}
    detail, summary, after = {}, {}, []
    for g, ss in P["groups"].items():
        shares, comps = [], []
        for s in ss:
            mine = [(x, k) for s2, x, k, g2 in P["ties"] if s2 == s]
            items = []
            for x, k in mine:
                pd_ = H.first_promo(x, waves[k], wend[k])
                cb = comparable(x, k)
                items.append({"protege": str(ids[x]), "date": D_(waves[k]), "level_at_date": int(lv_all[k][0][x]),
                              "department_at_date": dnames[lv_all[k][1][x]], "window_observed": k in full,
                              "promoted_within_window": pd_ is not None,
                              "promotion_date": D_(pd_) if pd_ is not None else None,
                              "comparable_base_rate": round(cb, 4) if cb is not None else None,
                              "direct_report": bool(mgr[x] == s), "same_team": bool(team[x] == team[s])})
                if k in full:
                    shares.append(pd_ is not None)
                    comps.append(cb)
                if g == "late":
                    after.append({"sponsor": str(ids[s]), "protege": str(ids[x]), "date": D_(waves[k]),
                                  "promotion_date": D_(H.last_promo_before(x, waves[k]))})
            detail[str(ids[s])] = {"group": grp_name[g], "proteges": sorted(items, key=lambda z: (z["date"],
                                                                                                   z["protege"])),
                                   "n_proteges": len(items),
                                   "n_observed": sum(z["window_observed"] for z in items),
                                   "promoted_share": round(float(np.mean([z["promoted_within_window"] for z in items
                                                                          if z["window_observed"]])), 4)
                                   if any(z["window_observed"] for z in items) else None}
        summary[grp_name[g]] = {"sponsors": len(ss), "ties": sum(len(detail[str(ids[s])]["proteges"]) for s in ss),
                                "ties_observed": len(shares),
                                "promoted_share": round(float(np.mean(shares)), 4) if shares else None,
                                "comparable_base_rate": round(float(np.mean(comps)), 4) if comps else None,
                                "ratio": round(float(np.mean(shares) / np.mean(comps)), 3)
                                if shares and np.mean(comps) > 0 else None}
    # neither mentor nor sponsor, from the rows as written
    targeted = np.zeros(N, bool)
    targeted[allrel.t[allrel.relation.isin(["advocacy", "sponsor", "mentor"])].to_numpy()] = True
    neither = np.flatnonzero(~targeted)
    by_lv = {str(lv): round(float((~targeted[level == lv]).mean()), 4) for lv in np.unique(level)}
    # advice directions (levels as in people.csv)
    advc = allrel[allrel.relation == "advice"]
    ls, lt = level[advc.s.to_numpy()], level[advc.t.to_numpy()]
    # career conversations
    cc = allrel[allrel.relation == "career_conversation"]
    resp, cat = P["resp"], P["cat"]
    to_mgr = np.zeros(N, bool)
    to_mgr[cc.s[cc.t.to_numpy() == mgr[cc.s.to_numpy()]].to_numpy()] = True
    any_cc = np.zeros(N, bool)
    any_cc[cc.s.to_numpy()] = True
    no_mgr = np.flatnonzero(resp & (mgr >= 0) & ~to_mgr)
    no_conv = np.flatnonzero(resp & ~any_cc)
    slate = np.flatnonzero(is_slate)
    slate_conv = {str(ids[x]): ("unknown (no survey answer)" if not resp[x] else "manager" if to_mgr[x]
                               else "no manager conversation") for x in slate}
    # talent review: for each panel member, the candidates whose only (answered) panel advocate they are
    pa = adv[is_panel[a_s] & is_slate[a_t]][["s", "t"]].drop_duplicates()
    cnt = pa.groupby("t").size()
    only = {str(ids[p]): L(pa.t[(pa.s == p) & pa.t.map(cnt).eq(1)]) for p in np.flatnonzero(is_panel)}
    nresp = int(resp.sum())
    return {
        "history_file": "history.csv",
        "history_start": D_(P["H0"]), "history_end": D_(P["H1"]), "years": CAREER_YEARS,
        "survey_dates": [D_(w) for w in waves], "conversation_survey_date": D_(waves[-1]),
        "window_months": WINDOW_MONTHS, "windows_fully_observed_for": [D_(waves[k]) for k in full],
        "head_level": HEAD_LEVEL, "settings": P["opts"],
        "promotion_entry_probabilities": {str(lv): round(float(P["beta"][lv]), 4)
                                          for lv in range(2, HEAD_LEVEL + 1)},
        "history_events": {str(EV_NAMES[k]): int((H.kind == k).sum()) for k in range(4)},
        "people_moved": int(len(np.unique(H.pid[H.kind == 3]))),
        "people_promoted": int(len(np.unique(H.pid[H.kind == 2]))),
        "hired_in_history": int((H.kind == 1).sum()),
        "base_rate": round(base, 4),
        "base_rate_definition": ("share of person-windows (person employed on a survey date whose 24-month window "
                                 "ends by the history end, level below 5 on that date, not the target of an "
                                 "advocacy/sponsor row dated within the 24 months up to that date: after date - 24 "
                                 "months, up to and including the date) with a promotion dated after the survey "
                                 "date and at most 24 calendar months after it"),
        "base_rate_person_windows": int(len(un)),
        "base_rate_by_level": {str(int(k)): round(float(v), 4) for k, v in un.groupby("level").promoted.mean().items()},
        "base_rate_everyone": round(float(pw.promoted.mean()), 4),
        "sponsored_person_windows": int(pw.sponsored.sum()),
        "good_sponsors": L(P["groups"]["good"]), "ordinary_sponsors": L(P["groups"]["ordinary"]),
        "own_circle_sponsors": L(P["groups"]["own_circle"]), "late_sponsors": L(P["groups"]["late"]),
        "good_sponsor_promotion_share": summary["good_sponsors"]["promoted_share"],
        "ordinary_sponsor_promotion_share": summary["ordinary_sponsors"]["promoted_share"],
        "sponsor_groups": summary,
        "sponsors": detail,
        "advocacy_after_promotion": sorted(after, key=lambda z: (z["sponsor"], z["date"], z["protege"])),
        "neither_mentor_nor_sponsor": L(neither),
        "neither_share_by_level": by_lv,
        "reverse_mentoring": {"planted": [{"senior": str(ids[s]), "junior": str(ids[x]), "date": D_(waves[-1])}
                                          for s, x in P["rev"]],
                              "planted_count": len(P["rev"]),
                              "advice_senior4plus_to_junior1to2": int(((ls >= 4) & (lt <= 2)).sum()),
                              "senior4plus_people_asking_juniors": int(advc.s[(ls >= 4) & (lt <= 2)].nunique()),
                              "advice_upward": int((ls < lt).sum()), "advice_downward": int((ls > lt).sum()),
                              "advice_same_level": int((ls == lt).sum())},
        "respondents": nresp, "non_respondents": int(N - nresp),
        "careers_non_respondents": int(P["nonresp"].sum()),
        "base_survey_rows_removed": P["base_removed"],
        "slate_added_as_respondents": L(P["added"]),
        "conversation_categories": {c: int((cat[resp] == c).sum()) for c in ("manager", "senior_leader", "none")},
        "no_manager_conversation": L(no_mgr), "no_conversation": L(no_conv),
        "conversation_unknown": L(np.flatnonzero(~resp)),
        "slate_conversations": slate_conv,
        "only_advocate": only,
    }


def _build_org(rng, N, n_broad):
    ex = ["Chief of Staff", "Executive Assistant", "Strategy Analyst"] + ["Internal Communications"] * n_broad
    if len(ex) < 4:
        ex.append("Office Manager")
    D = int(np.clip(round(np.sqrt(N) / 2.8), 3, 60))
    rest = N - 1 - len(ex)
    if rest < 12 * D:
        raise ValueError(f"people={N} is too small for {D} departments (need >= {12 * D + 1 + len(ex)})")
    sizes = 12 + _alloc(rest - 12 * D, rng.lognormal(0, 0.45, D))
    names = [str(x) for x in rng.permutation(DEPTS)][:D] + [f"Unit {i + 1}" for i in range(D - len(DEPTS))]
    cols = {k: [] for k in ("dept", "team", "level", "mgr", "title", "role")}

    def add(*vals):
        for k, v in zip(cols, vals):
            cols[k].append(v)
        return len(cols["dept"]) - 1
    ceo = add(D, "Executive Office", 6, -1, "Chief Executive Officer", "ceo")
    cos = add(D, "Executive Office", 4, ceo, ex[0], "exec")
    for t in ex[1:]:
        add(D, "Executive Office", 2, cos, t, "broadcast" if t == "Internal Communications" else "exec")
    for d in range(D):
        nm, lead = names[d], f"{names[d]} Leadership"
        head = add(d, lead, 5, ceo, f"Head of {nm}", "head")
        R = sizes[d] - 1
        nt0 = max(1, round(R / 9.5))
        nd = -(-nt0 // 4) if nt0 >= 5 else 0
        P = R - nd
        nt = max(-(-P // 13), min(max(1, round(P / 9.5)), P // 6))
        tsz = _alloc(P, np.ones(nt))
        for i, j in rng.integers(nt, size=(3 * nt, 2)):  # jitter team sizes within 6..13 (manager + 5..12)
            if i != j and tsz[i] > 6 and tsz[j] < 13:
                tsz[i], tsz[j] = tsz[i] - 1, tsz[j] + 1
        dirs = [add(d, lead, 4, head, f"Director, {nm}", "director") for _ in range(nd)]
        role = IC_ROLE.get(nm, f"{nm} Specialist")
        for i, z in enumerate(tsz):
            tn = f"{nm} {TEAMW[i]}" if i < len(TEAMW) else f"{nm} Team {i + 1}"
            m = add(d, tn, 3, dirs[i % nd] if nd else head, f"{nm} Team Lead", "manager")
            for _ in range(z - 1):
                lv = 2 if rng.random() < 0.3 else 1
                add(d, tn, lv, m, ("Senior " if lv == 2 else "") + role, "ic")
    return dict({k: np.array(v) for k, v in cols.items()}, dnames=names + ["Executive Office"], D=D)


def simulate(out_dir, *, people=969, seed=0, months=6, events_per_person_month=10.0, closed=False,
             broadcasters=0, response_rate=1.0, silos=2, hidden=15, visible=None, start="2026-01-01",
             attributes=None, gap=None, confound=None, fair_draws=20, careers=False):
    """Write people/interactions/relationships/panel/slate/truth files to out_dir; return the truth dict.

    Fairness options (all off by default; without them the output is unchanged):
      attributes: {"location": {"Austin": 0.5, "Pune": 0.3, "Leeds": 0.2}, "gender": {"F": .48, "M": .48, "X": .04}}
                  categorical columns for people.csv, assigned at random within level x department cells
                  ("location" replaces the generator's own location column; other names are added).
      gap:        {"attribute": "location", "group": "Pune", "outcome": "leader" | "outside" | "both",
                  "factor": 0.4}: every pair of a group member and a senior leader (levels 5-6) / a person in
                  another department keeps its relationship with probability factor, else it is cut for the
                  whole period in both directions (events, address-book draws and survey statements).
      confound:   {"attribute": "location", "group": "Pune", "levels": [1, 2], "share": 0.98}: share of the
                  group's members placed at those levels (no effect on contact).
      fair_draws: Monte-Carlo re-draws of the ad hoc traffic for the expected contact counts (0 = skip).
    They add truth["fairness"] and fairness_truth.csv (README.md, "Fairness").

    careers: False (default), True, or a dict overriding {"base_hazard": 0.10, "good_factor": 3.0,
                  "nonresponse": 0.2}. Adds history.csv (five years of jobs up to the end date), dated
                  advocacy / mentor / career_conversation rows from yearly survey waves, a survey_response column
                  in people.csv and truth["careers"] (README.md, "Careers over time"). Its own random stream:
                  people and interactions stay those of the same seed without it."""
    fair = _fair_options(attributes, gap, confound)
    copts = _career_options(careers)
    rng = np.random.default_rng(seed)
    o = _build_org(rng, int(people), int(broadcasters))
    N, D = len(o["dept"]), o["D"]
    dept, level, mgr, role = o["dept"], o["level"], o["mgr"], o["role"]
    tnames, team = np.unique(o["team"], return_inverse=True)
    ceo = int(np.flatnonzero(role == "ceo")[0])
    heads = np.flatnonzero(role == "head")
    head_of = np.full(D + 1, ceo)
    head_of[dept[heads]] = heads
    members = [np.flatnonzero(dept == d) for d in range(D + 1)]
    dsize = np.array([len(m) for m in members])
    tmembers = [np.flatnonzero(team == t) for t in range(len(tnames))]
    reports = [[] for _ in range(N)]
    for p in np.flatnonzero(mgr >= 0):
        reports[mgr[p]].append(p)
    is_ = lambda idx: np.isin(np.arange(N), idx)  # noqa: E731

    # ---- planted structure -------------------------------------------------------------------------
    silos = int(min(silos, max(0, D - 3)))
    order = np.argsort(dsize[:D], kind="stable")
    cand = order[D // 3: D - 1] if len(order[D // 3: D - 1]) >= silos else order[1:]
    silo_d = np.sort(rng.choice(cand, silos, replace=False)) if silos else np.array([], int)
    nonsilo = np.setdiff1d(np.arange(D), silo_d)
    gatekeepers = []  # the head of each silo, plus (60%) one liaison
    for d in silo_d:
        pool = members[d][(role[members[d]] == "manager") | (level[members[d]] == 2)]
        gatekeepers += [head_of[d]] + ([int(rng.choice(pool))] if rng.random() < 0.6 else [])
    gatekeepers = np.array(gatekeepers, int)
    in_silo = np.isin(dept, silo_d)
    gdeps = np.sort(rng.choice(nonsilo, min(int(rng.integers(3, 5)), len(nonsilo)), replace=False))
    n_g = int(np.clip(round(0.03 * N), 8, 60))
    group = []
    for d, k in zip(gdeps, _alloc(n_g, np.ones(len(gdeps)))):
        pool = members[d][np.isin(role[members[d]], ["ic", "manager"])]
        group += list(rng.choice(pool, min(k, len(pool)), replace=False))
    group = np.array(group, int)
    g_lead = int(np.r_[group[role[group] == "manager"], group][0])
    elig = np.isin(dept, nonsilo) & np.isin(role, ["ic", "manager"]) & ~is_(group)
    n_vis = int(visible) if visible is not None else int(hidden) if hidden > 0 else max(3, N // 70)
    vis = np.sort(rng.choice(np.flatnonzero(elig), n_vis, replace=False))
    pool = rng.permutation(np.flatnonzero(elig & (role == "ic") & ~is_(vis)))
    hid, used = [], set()
    for p in list(pool) + list(pool):  # at most one per team first, then a second pass if needed
        if len(hid) >= hidden:
            break
        if p not in hid and (team[p] not in used or len(used) >= len(set(team[pool]))):
            hid.append(p)
            used.add(team[p])
    hid = np.sort(np.array(hid, int))
    is_hid, is_vis, is_grp, is_gk = is_(hid), is_(vis), is_(group), is_(gatekeepers)
    perf = rng.choice([1, 2, 3, 4], N, p=[0.05, 0.17, 0.48, 0.30])
    perf[is_hid | is_vis] = 5
    n_top = max(round(0.14 * N), len(hid) + len(vis) + round(0.03 * N))
    rest = np.flatnonzero(~is_hid & ~is_vis & (role != "broadcast") & (role != "ceo"))
    top_other = np.sort(rng.choice(rest, min(len(rest), n_top - len(hid) - len(vis)), replace=False))
    perf[top_other] = 5
    pan_pool = np.concatenate([rng.permutation(np.flatnonzero((level == lv) & (dept < D))) for lv in (5, 4, 3)])
    panel = np.r_[ceo, pan_pool[:8]].astype(int)
    spool = np.flatnonzero(np.isin(role, ["ic", "manager", "director"]) & (level >= 2) & ~is_hid & ~is_(panel)
                           & ~in_silo)  # mid-level candidates outside the silos
    slate = np.sort(  # better-rated people more likely
        rng.choice(spool, min(12, len(spool)), replace=False, p=perf[spool] ** 2 / np.sum(perf[spool] ** 2)))

    # ---- activity (heavy-tailed) -------------------------------------------------------------------
    mult = {"ic": 1.0, "manager": 1.4, "director": 1.5, "head": 1.6, "ceo": 1.5, "exec": 1.0, "broadcast": 0.3}
    a = rng.lognormal(0, 0.85, N) * np.array([mult[r] for r in role]) * np.where(level == 2, 1.1, 1.0)
    med = np.median(a)
    a[vis] = np.maximum(a[vis] * 2.5, np.quantile(a, 0.8))
    a[hid] = np.minimum(a[hid], med) * rng.uniform(0.55, 0.95, len(hid))
    a[top_other] = np.maximum(a[top_other], med)
    a[gatekeepers] = np.maximum(a[gatekeepers], np.quantile(a, 0.75))  # silo gatekeepers carry the outside traffic

    # ---- calendar ----------------------------------------------------------------------------------
    t0 = pd.Timestamp(start)
    t1 = t0 + pd.DateOffset(months=int(months))
    d0, d1 = np.datetime64(t0.date(), "D").astype(int), np.datetime64(t1.date(), "D").astype(int)
    days = np.arange(d0, d1)  # days since 1970-01-01 (a Thursday): weekday = (day + 3) % 7, Monday = 0
    work, wkend = days[(days + 3) % 7 < 5], days[(days + 3) % 7 >= 5]
    mon0 = d0 - (d0 + 3) % 7
    n_weeks = (d1 - mon0 + 6) // 7
    B = int(round(N * events_per_person_month * months))

    # ---- recurring meetings ------------------------------------------------------------------------
    S = []  # (organiser, attendees, weekday, minute, duration, base cadence in weeks, first week, last week, scalable)

    def series(org, att, base, dur, w0=0, w1=None, scal=True, dow_=None):
        att = np.array([x for x in att if x != org], int)
        if len(att):
            S.append((org, att, int(rng.integers(5)) if dow_ is None else dow_, int(rng.integers(18, 34)) * 30,
                      dur, base, w0, n_weeks - 1 if w1 is None else w1, scal))
    for tm in tmembers:  # weekly team meeting; fortnightly one-to-ones
        for m in tm[role[tm] == "manager"]:
            series(m, tm, 1, int(rng.choice([30, 45, 60])))
    for p in range(N):
        for r in reports[p]:
            series(p, [r], 2, 30)
    for d in range(D):
        series(head_of[d], members[d][np.isin(role[members[d]], ["director", "manager"])][:14], 1, 60)
        series(head_of[d], members[d][~is_hid[members[d]]], 13, 60, w0=int(rng.integers(13)), scal=False)
        nt_d = np.unique(team[members[d]])
        for _ in range(max(1, round(dsize[d] / 20 * n_weeks / 9))):
            near = members[d][np.isin(team[members[d]], rng.choice(nt_d, min(2, len(nt_d)), replace=False))]
            near = near[~is_hid[near] & (role[near] != "head")]
            grp = rng.choice(near, min(len(near), int(rng.integers(4, 8))), replace=False)
            w0 = int(rng.integers(n_weeks))
            series(grp[0], grp[1:], 1, 45, w0, w0 + int(rng.integers(6, 13)))
    series(ceo, list(heads) + [int(np.flatnonzero(role == "exec")[0])], 1, 90, dow_=0)
    for i, g in enumerate(rng.permutation(group)):  # project group: weekly meeting, rotating chair, never stretched
        series(g, group, len(group), 60, w0=i, scal=False, dow_=2)
    series(g_lead, group, 1, 45)  # plus the lead's working session
    aff = np.ones((D + 1, D + 1))
    ring = np.abs(np.arange(D)[:, None] - np.arange(D)[None, :])
    aff[:D, :D] = 0.3 + np.exp(-np.minimum(ring, D - ring) / 1.2)
    np.fill_diagonal(aff, 0)
    wg_ok = np.isin(role, ["ic", "manager", "director"]) & ~is_hid & ~in_silo & (dept < D)
    for _ in range(max(1, round(N / 90 * n_weeks / 12)) if len(nonsilo) > 1 else 0):
        x = rng.choice(nonsilo)
        y = rng.choice(nonsilo, p=aff[x, nonsilo] / aff[x, nonsilo].sum())
        att = [rng.choice(np.flatnonzero(wg_ok & (dept == z)), int(rng.integers(2, 4)), replace=False) for z in (x, y)]
        w0 = int(rng.integers(n_weeks))
        series(att[0][0], np.concatenate(att), 2, 60, w0, w0 + int(rng.integers(8, 17)))
    E0 = sum((min(s[7], n_weeks - 1) - s[6] + 1) / s[5] for s in S if s[8])
    scale = max(1.0, E0 / (0.22 * B))
    m_ser, m_time = [], []
    for i, (org, att, dw, mod, dur, base, w0, w1, scal) in enumerate(S):
        cad = max(1, round(base * scale)) if scal else base
        ws = np.arange(w0, min(w1, n_weeks - 1) + 1)
        ws = ws[(ws - int(rng.integers(cad))) % cad == 0] if scal else ws[(ws - w0) % cad == 0]
        day = mon0 + 7 * ws + dw
        ws = day[(day >= d0) & (day < d1)]
        m_ser += [i] * len(ws)
        m_time += list(ws * 86400 + mod * 60)
    m_ser, m_time, s_org = np.array(m_ser, int), np.array(m_time, np.int64), np.array([s[0] for s in S])
    m_rep, m_idx = _seg(np.r_[0, np.cumsum([len(s[1]) for s in S])], m_ser)
    m_slot_org, m_slot_att = s_org[m_ser][m_rep], np.concatenate([s[1] for s in S])[m_idx]

    # ---- planted advocacy and broadcasts -----------------------------------------------------------
    k_adv = rng.permutation([0, 1, 2] * (len(slate) // 3 + 1))[: len(slate)]
    advocates = {}
    for c, k in zip(slate, k_adv):
        rest_p = [p for p in rng.permutation(panel) if p != head_of[dept[c]]]
        order_p = ([head_of[dept[c]]] if head_of[dept[c]] in panel else []) + rest_p
        advocates[int(c)] = [int(p) for p in order_p[: (0 if k == 0 else 1 if k == 1 else int(rng.integers(2, 4)))]]
    bro = np.flatnonzero(role == "broadcast")
    b_cnt = rng.integers(2, 5, size=(len(bro), len(work)))
    b_snd = np.repeat(np.repeat(bro, len(work)), b_cnt.ravel())
    b_time = np.repeat(np.tile(work, len(bro)), b_cnt.ravel()) * 86400 + rng.integers(8 * 3600, 17 * 3600, len(b_snd))
    n_extra = 4 * sum(len(v) for v in advocates.values())

    # ---- ad hoc threads: shapes first (channel, recipients, reply chain length) --------------------
    A_ev = max(B - len(m_ser) - len(b_snd) - n_extra, B // 4)
    ch, k, nrep, rall, snd = _thread_shapes(rng, A_ev, a)
    T = len(snd)
    v = np.bincount(snd, weights=k + nrep * np.where(rall, k, 1), minlength=N)

    # ---- calibrate the inside-department share of each person's address book ----------------------
    target = np.where(np.isin(np.arange(D), silo_d), rng.uniform(0.975, 0.985, D),
                      rng.uniform(0.80, 0.88, D) if closed else rng.uniform(0.55, 0.70, D))
    small = (np.bincount(m_rep, minlength=len(m_ser)) <= 50)[m_rep]  # all-hands (>50) are mass events: not counted
    md = dept[m_slot_org][small]
    Md = np.bincount(md, minlength=D + 1)
    Min = np.bincount(md, weights=(md == dept[m_slot_att][small]), minlength=D + 1)
    inw = np.full(N, np.nan)
    inw[role == "ceo"], inw[np.isin(role, ["exec", "broadcast"])] = 0.15, 0.35
    inw[heads] = 0.7 if closed else 0.5
    inw[vis] = 0.55 if closed else 0.4
    same = np.array([np.sum(dept[group] == dept[g]) - 1 for g in group])
    inw[group] = 0.18 + 0.8 * same / (len(group) - 1)
    inw[hid] = 1.0
    for d in range(D):
        mem = members[d]
        if d in silo_d:
            gk = mem[is_gk[mem]]
            inw[mem] = 1.0
            need = (1 - target[d]) * (v[mem].sum() + Md[d]) - (Md[d] - Min[d])
            inw[gk] = np.clip(1 - need / max(v[gk].sum(), 1e-9), 0.15, 1.0)
        else:
            fix = ~np.isnan(inw[mem])
            q = (target[d] * (v[mem].sum() + Md[d]) - Min[d] - np.sum(v[mem][fix] * inw[mem][fix])) / max(
                v[mem][~fix].sum(), 1e-9)
            inw[mem[~fix]] = np.clip(q, 0.2, 0.995)
    tau = np.select([role == "ic", role == "manager", role == "director", role == "head"], [0.65, 0.6, 0.55, 0.6], 1.0)
    tau[hid] = 1.0
    fixfrac = np.select([role == "head", role == "ceo", np.isin(role, ["exec", "broadcast"]), is_vis],
                        [np.where(in_silo, 0.8, 0.6), 0.9, 0.5, 0.3], 0.0)
    sh_close, sh_dept = inw * tau, inw * (1 - tau)
    sh_fix, sh_grav = (1 - inw) * fixfrac, (1 - inw) * (1 - fixfrac)
    sh_close[group], sh_dept[group], sh_fix[group], sh_grav[group] = 0.15, 0.03, 0.8, 0.02

    # ---- address books: close circle, department neighbourhood, fixed outside, gravity outside ----
    rows = []  # (owner, contact, raw weight, category)
    for p in range(N):
        if role[p] in ("ic", "manager"):
            c = list(tmembers[team[p]])
            w = [1.0] * len(c)
            if role[p] == "manager":
                c += [mgr[p]] + [x for x in reports[mgr[p]] if x != p]
                w += [1.5] + [0.3] * (len(reports[mgr[p]]) - 1)
        elif role[p] in ("director", "head"):
            c = reports[p] + ([mgr[p]] if role[p] == "director" else list(vis[dept[vis] == dept[p]]))
            w = [1.0] * len(c)
        else:
            c = list(members[D])
            w = [3.0 if x == ceo else 1.0 for x in c]
        rows += [(p, x, wi, 0) for x, wi in zip(c, w) if x != p]
        fx = []
        if role[p] == "head":
            fx = [(ceo, 0.35 * len(heads))] + [(h, 1.0) for h in heads if h != p]
        elif role[p] == "ceo":
            fx = [(h, 1.0) for h in heads] + [(x, 0.2) for x in vis]
        elif role[p] in ("exec", "broadcast"):
            fx = [(h, 1.0) for h in heads]
        elif is_vis[p]:
            fx = [(ceo, 1.0)] + [(h, 1.0) for h in rng.choice(heads[heads != head_of[dept[p]]],
                                                            min(3, len(heads) - 1), replace=False)]
            rows.append((p, head_of[dept[p]], 1.5, 0))
        elif is_grp[p]:
            fx = [(x, 1.0) for x in group if x != p]
        rows += [(p, x, wi * rng.lognormal(0, 0.4), 2) for x, wi in fx]
    rows = np.array(rows, float)
    e_own, e_con, e_w, e_cat = rows[:, 0].astype(int), rows[:, 1].astype(int), rows[:, 2], rows[:, 3].astype(int)
    e_w = e_w * np.where(e_cat == 0, rng.lognormal(0, 0.6, len(e_w)), 1.0)
    base = np.sqrt(a) * ~is_hid * np.where(np.isin(role, ["head", "director"]), 2.0, 1.0)
    n_do = np.where(sh_dept > 0, 3 + rng.poisson(5, N) + 3 * (level >= 3), 0)
    for d in range(D):
        mem = members[d]
        lt = np.unique(team[mem], return_inverse=True)[1]
        lead = np.unique(lt[np.isin(role[mem], ["head", "director"])])
        nt = lt.max() + 1
        dist = np.abs(np.arange(nt)[:, None] - np.arange(nt)[None, :])
        taff = np.exp(-np.minimum(dist, nt - dist) / 1.0)
        taff[lead, :], taff[:, lead] = 0.6, 0.6
        np.fill_diagonal(taff, 0.0)
        W = taff[:, lt] * base[mem][None, :]
        W[W.sum(1) == 0] = base[mem] + 1e-12
        own = np.repeat(mem, n_do[mem])
        if len(own):
            loc = np.searchsorted(mem, own)
            rows_con = mem[_rowdraw(W, lt[loc], rng)]
            e_own, e_con = np.r_[e_own, own], np.r_[e_con, rows_con]
            e_w, e_cat = np.r_[e_w, rng.lognormal(0, 1, len(own))], np.r_[e_cat, np.ones(len(own), int)]
    pi = v * sh_grav * ~is_hid  # pull as an outside contact = own outside volume (keeps flows balanced)
    O = np.bincount(dept, weights=pi, minlength=D + 1)
    dorder = np.argsort(dept, kind="stable")
    cpi, dstart = np.cumsum(pi[dorder]), np.r_[0, np.cumsum(O)][:-1]
    n_go = np.where(sh_grav > 0, 2 + rng.poisson(3, N) + np.where(is_vis, 8, 0) + np.where(role == "head", 2, 0), 0)
    own = np.repeat(np.arange(N), n_go)
    Y = _rowdraw(aff * O[None, :] + 1e-12 * (aff > 0), dept[own], rng)
    pos = np.minimum(np.searchsorted(cpi, dstart[Y] + _u(rng, len(own)) * O[Y], side="right"), N - 1)
    e_own, e_con = np.r_[e_own, own], np.r_[e_con, dorder[pos]]
    e_w, e_cat = np.r_[e_w, rng.lognormal(0, 1, len(own))], np.r_[e_cat, np.full(len(own), 3)]
    ok = (e_own != e_con) & ~(is_hid[e_con] & (team[e_con] != team[e_own])) & ~(is_hid[e_own] & (e_cat > 0))
    e_own, e_con, e_w, e_cat = e_own[ok], e_con[ok], e_w[ok], e_cat[ok]
    share = np.stack([sh_close, sh_dept, sh_fix, sh_grav], 1)
    tot = np.zeros((N, 4))
    np.add.at(tot, (e_own, e_cat), e_w)
    e_w = e_w * share[e_own, e_cat] / tot[e_own, e_cat]
    key, inv = np.unique(e_own * N + e_con, return_inverse=True)
    g_w = np.bincount(inv, weights=e_w)
    g_own, g_con = key // N, key % N
    g_w = g_w / np.bincount(g_own, weights=g_w, minlength=N)[g_own]
    g_ptr = np.r_[0, np.cumsum(np.bincount(g_own, minlength=N))]
    cum = np.cumsum(g_w)
    cum = cum - np.repeat(np.r_[0, cum[g_ptr[1:-1] - 1]], np.diff(g_ptr))
    cum[g_ptr[1:][np.diff(g_ptr) > 0] - 1] = 1.0
    g_key = g_own + cum

    def draw(owners, gen):  # one address-book contact per owner
        return g_con[np.minimum(np.searchsorted(g_key, owners + _u(gen, len(owners))), len(g_con) - 1)]

    # ---- ad hoc threads: recipients, reply chains, times -------------------------------------------
    rt, thr_s, thr_e, thr_r = _thread_links(rng, draw, snd, k, nrep, rall, N)
    day = np.where(rng.random(T) < 0.02, rng.choice(wkend, T), rng.choice(work, T))
    hrs = np.clip(np.where(rng.random(T) < 0.55, rng.normal(10.2, 1.2, T), rng.normal(14.8, 1.4, T)), 7, 19.5)
    t_start = day.astype(np.int64) * 86400 + (hrs * 3600).astype(np.int64)
    delay = np.where(ch[rt] == 1, 15 + rng.exponential(75, len(rt)), 120 + rng.exponential(95 * 60, len(rt)))
    cs = np.cumsum(delay)
    first, has = np.cumsum(nrep) - nrep, nrep > 0
    base_t = np.zeros(T)
    base_t[has] = cs[first[has]] - delay[first[has]]
    rtime = np.minimum(t_start[rt] + (cs - base_t[rt]).astype(np.int64), d1 * 86400 - rng.integers(60, 7200, len(rt)))
    # events table: sender, time, channel, duration; slots table: event, recipient
    ev_s, ev_t = np.r_[thr_s, s_org[m_ser]], np.r_[t_start, rtime, m_time]
    ev_c = np.r_[ch, ch[rt], np.full(len(m_ser), 2)]
    ev_d = np.r_[np.where(ch == 2, rng.choice([15, 30, 45, 60], T), -1), np.full(len(rt), -1),
                 np.array([S[i][4] for i in m_ser], int)]
    sl_e = np.r_[thr_e, T + len(rt) + m_rep]
    sl_r = np.r_[thr_r, m_slot_att]

    def add_events(pairs, chan, dur):
        nonlocal ev_s, ev_t, ev_c, ev_d, sl_e, sl_r
        pairs, n0 = np.array(pairs, int).reshape(-1, 2), len(ev_s)
        tt = rng.choice(work, len(pairs)).astype(np.int64) * 86400 + rng.integers(9 * 3600, 17 * 3600, len(pairs))
        ev_s, ev_t = np.r_[ev_s, pairs[:, 0]], np.r_[ev_t, tt]
        ev_c, ev_d = np.r_[ev_c, np.full(len(pairs), chan)], np.r_[ev_d, np.full(len(pairs), dur)]
        sl_e, sl_r = np.r_[sl_e, n0 + np.arange(len(pairs))], np.r_[sl_r, pairs[:, 1]]
    adv_pairs = [(p, c) for c, ps in advocates.items() for p in ps]
    n_base = len(ev_s)  # events from here on are planted extras (advocacy, top-ups): the gap leaves them alone
    add_events(adv_pairs * 2, 2, 30)
    add_events(adv_pairs + [(c, p) for p, c in adv_pairs], 0, -1)

    # ---- hidden high performers: strip every contact that crosses their team ----------------------
    # (the same wall keeps ordinary silo members out of their gatekeepers' threads that copy outsiders)
    sl_e, sl_r = _walls(ev_s, sl_e, sl_r, team, dept, is_hid, in_silo & ~is_gk)
    # ---- other top-rated people: make sure each has contact outside their team --------------------
    cross = (team[ev_s[sl_e]] != team[sl_r]) & (np.bincount(sl_e, minlength=len(ev_s)) < 20)[sl_e]  # not all-hands
    outside = np.bincount(ev_s[sl_e][cross], minlength=N) + np.bincount(sl_r[cross], minlength=N)
    fix = []
    for p in top_other[outside[top_other] < 4]:
        c = g_con[g_ptr[p]:g_ptr[p + 1]]
        c = c[(team[c] != team[p]) & ~is_hid[c]]
        c = c if len(c) else np.flatnonzero((dept == dept[p]) & (team != team[p]) & ~is_hid)
        fix += [x for y in rng.choice(c, 2) for x in ((p, y), (y, p))]
    add_events(fix, 0, -1)

    # ---- survey ------------------------------------------------------------------------------------
    resp_ids = np.sort(rng.choice(N, int(round(response_rate * N)), replace=False))
    is_resp, is_slate, is_panel = is_(resp_ids), is_(slate), is_(panel)
    rel = []

    def pick(c, w, n):
        n = min(n, len(c))
        return rng.choice(c, n, replace=False, p=w / w.sum()) if n else []
    for s in resp_ids:
        c, w = g_con[g_ptr[s]:g_ptr[s + 1]], g_w[g_ptr[s]:g_ptr[s + 1]]
        rel += [(s, x, "advice") for x in pick(c, w * np.where(level[c] > level[s], 1.5, 1.0), 1 + rng.binomial(3, .5))]
        rel += [(s, mgr[s], "advice")] if mgr[s] >= 0 and rng.random() < 0.5 else []
        rel += [(s, x, "knows_work") for x in pick(c, w, 2 + rng.binomial(4, .5))]
        rel += [(s, x, "knows_work") for x in c[is_vis[c] & (rng.random(len(c)) < 0.6)]]
        rel += [(s, x, "advice") for x in c[is_vis[c] & (rng.random(len(c)) < 0.3)]]
        r = np.array(reports[s], int)
        r = r[~is_slate[r]] if is_panel[s] else r  # panel members' advocacy for candidates is planted only
        if len(r) and rng.random() < 0.6:
            rel += [(s, x, "advocacy") for x in pick(r, perf[r] ** 2.0, int(rng.integers(1, 3)))]
        elif not len(reports[s]) and rng.random() < 0.08:
            rel += [(s, x, "advocacy") for x in pick(c, w, 1)]
        if level[s] >= 2 and rng.random() < (0.4 if level[s] >= 3 else 0.3):
            lo = c[(level[c] < level[s]) & ~(is_panel[s] & is_slate[c])]
            rel += [(s, x, "mentor") for x in pick(lo, np.ones(len(lo)), int(rng.integers(1, 3)))]
    rel = [(int(s), int(t), r) for s, t, r in rel]
    named_out = {t for s, t, r in rel if team[s] != team[t]}
    fix_named = []  # planted namings (the gap leaves them alone)
    for p in top_other:
        if p in named_out:
            continue
        ow = g_own[(g_con == p)]
        for ok in (ow[is_resp[ow] & (team[ow] != team[p])],
                   np.flatnonzero(is_resp & (dept == dept[p]) & (team != team[p])),
                   np.flatnonzero(is_resp & (team != team[p]))):
            if len(ok):
                rel.append((int(rng.choice(ok)), int(p), "knows_work"))
                fix_named.append(rel[-1][:2])
                break
    adv_ans = {c: [p for p in ps if is_resp[p]] for c, ps in advocates.items()}
    rel += [(p, c, "advocacy") for c, ps in adv_ans.items() for p in ps]
    rel = pd.DataFrame(rel, columns=["s", "t", "relation"]).astype({"s": int, "t": int}).drop_duplicates()
    rs, rtg = rel.s.to_numpy(), rel.t.to_numpy()
    planted = {(p, c) for c, ps in advocates.items() for p in ps}
    bad = (rs == rtg) | (is_hid[rtg] & (team[rs] != team[rtg])) | (
        is_panel[rs] & is_slate[rtg] & rel.relation.isin(["advocacy", "mentor"]).to_numpy()
        & ~np.array([(s, t) in planted for s, t in zip(rs, rtg)], bool))
    rel = rel[~bad]

    # ---- fairness (optional): attributes, the planted gap, expected and realised contact -----------------
    if fair is not None:
        frng = np.random.default_rng([int(seed), FAIR_SALT])  # own stream: the organisation stays the same
        senior, cf, gp = level >= SENIOR_LEVEL, fair["confound"], fair["gap"]
        attr_ix = {}
        for name, (values, shares) in fair["attrs"].items():
            ci = values.index(cf["group"]) if cf and cf["attribute"] == name else None
            attr_ix[name] = _assign(frng, level, dept, shares, *((cf["levels"], ci, cf["share"]) if ci is not None
                                                                 else (None, None, None)))
        def member(opt):  # who has the option's attribute value
            if opt is None:
                return np.zeros(N, bool)
            return attr_ix[opt["attribute"]] == fair["attrs"][opt["attribute"]][0].index(opt["group"])
        in_gap, in_conf = member(gp), member(cf)
        gsalt = int(frng.integers(2 ** 62))
        cut = _gap_cut(gp, in_gap, senior, dept, gsalt) if gp else None
        bro_pairs = (np.array([(b, x) for b in bro for x in range(N) if x != b], int).reshape(-1, 2)
                     if N - 1 <= MAX_SMALL and len(b_snd) else None)  # all-staff mail is small only in tiny orgs
        sl_e, sl_r = _dedupe(ev_s, sl_e, sl_r, N)
        x_e, x_r = sl_e[sl_e >= n_base], sl_r[sl_e >= n_base]  # the planted extra events, as written
        real0 = _contacts(ev_s, sl_e, sl_r, N, senior, dept, bro_pairs)  # the same events without the gap
        gstats = {}
        if gp:
            n_sl, n_rel = len(sl_e), len(rel)
            sl_e, sl_r = _gap_filter(ev_s, sl_e, sl_r, cut, in_gap, np.arange(len(ev_s)) >= n_base)
            planted_pairs = {(p, c) for c, ps in adv_ans.items() for p in ps} | set(fix_named)
            rs, rtg = rel.s.to_numpy(), rel.t.to_numpy()
            rel = rel[~cut(rs, rtg) | np.array([(x, y) in planted_pairs for x, y in zip(rs, rtg)], bool)]
            bk = _uniq(np.minimum(g_own, g_con) * N + np.maximum(g_own, g_con))
            bx, by = bk // N, bk % N
            is_pair = _gap_cut(dict(gp, factor=0.0), in_gap, senior, dept, gsalt)(bx, by)
            gstats = {"address_book_gap_pairs": int(is_pair.sum()), "address_book_pairs_cut": int(cut(bx, by).sum()),
                      "slots_removed": int(n_sl - len(sl_e)), "survey_statements_removed": int(n_rel - len(rel)),
                      "planted_extra_links_on_cut_pairs": int(cut(ev_s[x_e], x_r).sum())}
        real = _contacts(ev_s, sl_e, sl_r, N, senior, dept, bro_pairs)
        # Monte Carlo: re-draw the ad hoc threads (senders, shapes, recipients, reply chains) from the same
        # address books; meetings and the planted extra events stay as they are; same walls and the same cuts.
        expd = np.zeros((4, N))
        for r in range(int(fair_draws)):
            gen = np.random.default_rng([int(seed), FAIR_SALT, r + 1])
            ch_r, k_r, nrep_r, rall_r, snd_r = _thread_shapes(gen, A_ev, a)
            _, es, se, sr = _thread_links(gen, draw, snd_r, k_r, nrep_r, rall_r, N)
            n_t = len(es)
            es, se, sr = np.r_[es, s_org[m_ser]], np.r_[se, n_t + m_rep], np.r_[sr, m_slot_att]
            se, sr = _walls(es, se, sr, team, dept, is_hid, in_silo & ~is_gk)
            n_b = len(es)
            es, se, sr = np.r_[es, ev_s[n_base:]], np.r_[se, x_e - n_base + n_b], np.r_[sr, x_r]
            se, sr = _dedupe(es, se, sr, N)
            expd[2:] += _contacts(es, se, sr, N, senior, dept, bro_pairs)
            if gp:
                se, sr = _gap_filter(es, se, sr, cut, in_gap, np.arange(len(es)) >= n_b)
            expd[:2] += _contacts(es, se, sr, N, senior, dept, bro_pairs)
        expd = expd / int(fair_draws) if int(fair_draws) > 0 else np.full((4, N), np.nan)

    # ---- careers (optional): history, survey waves, sponsors, career conversations ------------------------
    if copts is not None:
        crng = np.random.default_rng([int(seed), CAREER_SALT])  # own stream: the organisation stays the same
        plan = _careers_plan(crng, copts, {
            "N": N, "D": D, "level": level, "dept": dept, "role": role, "team": team, "mgr": mgr,
            "reports": reports, "head_of": head_of, "ceo": ceo, "is_hid": is_hid, "is_panel": is_panel,
            "is_slate": is_slate, "in_silo": in_silo, "is_gk": is_gk, "rel": rel, "d1": d1, "is_resp": is_resp,
            "fix_named": fix_named, "top_other": top_other})
        rel = rel[~plan["drop"]]  # the careers non-respondents answered nothing

    # ---- write -------------------------------------------------------------------------------------
    os.makedirs(out_dir, exist_ok=True)
    width = max(5, len(str(4 * N)))
    ids = np.array([f"E{x:0{width}d}" for x in np.sort(rng.choice(np.arange(1, 4 * N + 1), N, replace=False))],
                   dtype=object)
    ids = ids[rng.permutation(N)]
    M = len(FIRST) * len(LAST)
    if N <= M:
        combos = rng.choice(M, N, replace=False)
        names = np.array([f"{FIRST[x // len(LAST)]} {LAST[x % len(LAST)]}" for x in combos], dtype=object)
    else:  # more people than first x last names: add a middle initial
        combos = rng.choice(26 * M, N, replace=False)
        names = np.array([f"{FIRST[x % M // len(LAST)]} {chr(65 + x // M)}. {LAST[x % len(LAST)]}" for x in combos],
                         dtype=object)
    dup = rng.choice(N, 2 * max(2, round(0.004 * N)), replace=False).reshape(2, -1)
    names[dup[1]] = names[dup[0]]
    home = np.r_[rng.choice(LOCS, D), ["London"]]
    loc = np.where((rng.random(N) < 0.82) | (dept == D), home[dept], rng.choice(LOCS, N))
    pcols = {"employee_id": ids, "name": names, "department": np.array(o["dnames"], dtype=object)[dept],
             "team": tnames[team], "title": o["title"], "level": level,
             "manager_id": np.where(mgr >= 0, ids[np.maximum(mgr, 0)], ""), "location": loc, "performance": perf}
    if fair is not None:  # "location" replaces the generator's own column; other attributes are added
        for name, ix in attr_ix.items():
            pcols[name] = np.array(fair["attrs"][name][0], dtype=object)[ix]
    if copts is not None:
        pcols["survey_response"] = np.where(plan["resp"], "yes", "no")
    pd.DataFrame(pcols).sort_values("employee_id").to_csv(os.path.join(out_dir, "people.csv"), index=False)
    kk = _uniq(sl_e * N + sl_r)  # sorted by event, one slot per recipient, no self
    sl_e, sl_r = kk // N, kk % N
    sl_e, sl_r = sl_e[sl_r != ev_s[sl_e]], sl_r[sl_r != ev_s[sl_e]]
    live, starts = np.unique(sl_e, return_index=True)
    piece, nf = ids[sl_r].copy(), np.ones(len(sl_e), bool)
    nf[starts] = False
    piece[nf] = np.array([";" + x for x in piece[nf]], dtype=object)
    rec = np.add.reduceat(piece, starts) if len(starts) else np.zeros(0, object)
    everyone = {b: ";".join(ids[np.arange(N) != b]) for b in bro}
    ev = pd.DataFrame({"t": np.r_[ev_t[live], b_time], "c": np.r_[ev_c[live], np.zeros(len(b_snd), int)],
                       "s": np.r_[ev_s[live], b_snd], "r": np.r_[rec, [everyone[b] for b in b_snd]],
                       "d": np.r_[ev_d[live], np.full(len(b_snd), -1)]})
    while True:
        dd = ev.duplicated(["t", "c", "s", "r"])
        if not dd.any():
            break
        ev.loc[dd, "t"] += 1
    ev = ev.sort_values("t", kind="stable")
    pd.DataFrame({"timestamp": np.char.add(np.datetime_as_string(ev.t.to_numpy().astype("datetime64[s]"), "s"), "Z"),
                  "channel": CHANNELS[ev.c.to_numpy()], "sender_id": ids[ev.s.to_numpy()], "recipient_ids": ev.r,
                  "duration_minutes": ev.d.where(ev.d > 0).astype("Int64")}).to_csv(
        os.path.join(out_dir, "interactions.csv"), index=False)
    sdays = work[work >= d1 - 21]  # survey answered during the last three weeks
    rday = dict(zip(resp_ids, rng.choice(sdays, len(resp_ids))))
    if copts is None:
        pd.DataFrame({"source_id": ids[rel.s.to_numpy()], "target_id": ids[rel.t.to_numpy()],
                      "relation": rel.relation, "date": [str(np.datetime64(int(rday[s]), "D")) for s in rel.s]}
                     ).sort_values(["source_id", "relation", "target_id"]).to_csv(
            os.path.join(out_dir, "relationships.csv"), index=False)
    else:  # the end-of-period survey as above, plus the dated rows of the career survey waves
        allrel = pd.concat([pd.DataFrame({"s": rel.s.to_numpy(), "t": rel.t.to_numpy(),
                                          "relation": rel.relation.to_numpy(),
                                          "day": np.array([int(rday[s]) for s in rel.s], np.int64)}),
                            plan["crows"].astype({"day": np.int64})], ignore_index=True).drop_duplicates()
        out = pd.DataFrame({"source_id": ids[allrel.s.to_numpy()], "target_id": ids[allrel.t.to_numpy()],
                            "relation": allrel.relation.to_numpy(),
                            "date": np.datetime_as_string(allrel.day.to_numpy().astype("datetime64[D]"))})
        out.sort_values(["source_id", "relation", "target_id", "date"], kind="stable").to_csv(
            os.path.join(out_dir, "relationships.csv"), index=False)
        _career_history_frame(plan, ids, o["dnames"], o["title"]).to_csv(os.path.join(out_dir, "history.csv"),
                                                                         index=False)
    for nm, x in (("panel", panel), ("slate", slate)):
        pd.DataFrame({"employee_id": ids[x]}).to_csv(os.path.join(out_dir, f"{nm}.csv"), index=False)
    L = lambda x: sorted(str(ids[i]) for i in x)  # noqa: E731
    dn = o["dnames"]
    truth = {
        "silo_departments": sorted(dn[d] for d in silo_d),
        "hidden_high_performers": L(hid), "visible_high_performers": L(vis),
        "cross_department_group": {"members": L(group), "departments": sorted(dn[d] for d in gdeps),
                                   "lead": str(ids[g_lead])},
        "broadcasters": L(bro), "senior_leaders": L(np.flatnonzero(level >= 5)),
        "panel": [str(ids[p]) for p in panel], "slate": L(slate),
        "advocates": {str(ids[c]): L(ps) for c, ps in advocates.items()},
        "advocates_answered": {str(ids[c]): L(ps) for c, ps in adv_ans.items()},
        "respondents": L(resp_ids if copts is None else np.flatnonzero(plan["resp"])),
        "other_top_rated": L(top_other), "silo_gatekeepers": L(gatekeepers),
        "params": {"people": N, "seed": seed, "months": months, "events_per_person_month": events_per_person_month,
                   "closed": closed, "broadcasters": broadcasters, "response_rate": response_rate,
                   "silos": silos, "hidden": int(len(hid)), "visible": int(len(vis)), "start": str(t0.date()),
                   "end_exclusive": str(t1.date()), "departments": D + 1,
                   "inside_share_target": {dn[d]: round(float(target[d]), 3) for d in range(D)},
                   "meeting_cadence_scale": round(float(scale), 2), "events": int(len(ev)),
                   "broadcast_events": int(len(b_snd))},
    }
    if fair is not None:
        truth["fairness"] = _fair_truth(out_dir, fair, attr_ix, in_gap, in_conf, ids, level, dept, dn, real, real0,
                                        expd, int(fair_draws), gstats)
    if copts is not None:
        truth["careers"] = _careers_truth(plan, allrel, ids, level, mgr, team, is_panel, is_slate, o["dnames"])
    with open(os.path.join(out_dir, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1)
    return truth


def inside_shares(data_dir, max_recipients=50):
    """Per department: share of recipient slots inside the sender's department (sender_view, the calibrated
    quantity); the same share over every slot a member sends or receives (member_view); and inside slots over
    inside + outside slots sent or received (tie_view, about t / (2 - t)). Events with more than
    max_recipients recipients (all-staff mail) are left out."""
    p = pd.read_csv(os.path.join(data_dir, "people.csv"), dtype=str)
    ev = pd.read_csv(os.path.join(data_dir, "interactions.csv"), dtype=str, usecols=["sender_id", "recipient_ids"])
    ev = ev[ev.recipient_ids.str.count(";") < max_recipients]
    sl = ev.assign(r=ev.recipient_ids.str.split(";")).explode("r")
    dep = p.set_index("employee_id").department
    sd, rd = sl.sender_id.map(dep).to_numpy(), sl.r.map(dep).to_numpy()
    inside = sd == rd
    out = pd.DataFrame({"sender_view": pd.Series(inside).groupby(sd).mean(),
                        "slots_sent": pd.Series(inside).groupby(sd).size()})
    touch_out = pd.Series(~inside).groupby(sd).sum().add(pd.Series(~inside).groupby(rd).sum(), fill_value=0)
    ins = pd.Series(inside).groupby(sd).sum()
    out["member_view"] = 2 * ins / (2 * ins + touch_out)  # every slot counted for both of its people
    out["tie_view"] = ins / (ins + touch_out)  # inside slots once, outside slots sent or received
    out["size"] = p.department.value_counts()
    return out.sort_values("sender_view")


def parse_attribute(text):
    """'location:Austin=0.5,Pune=0.3,Leeds=0.2' (or 'gender:F,M,X' for equal shares) -> (name, {value: share})."""
    name, _, rest = text.partition(":")
    if not rest:
        raise argparse.ArgumentTypeError(f"--attribute {text!r}: expected NAME:VALUE=SHARE,VALUE=SHARE,...")
    vals = {}
    for item in rest.split(","):
        v, eq, sh = item.partition("=")
        try:
            vals[v.strip()] = float(sh) if eq else 1.0
        except ValueError:
            raise argparse.ArgumentTypeError(f"--attribute {text!r}: {sh!r} is not a number") from None
    return name.strip(), vals


def parse_gap(text):
    """'location:Pune:leader:0.4' -> {"attribute", "group", "outcome", "factor"} (outcome leader|outside|both)."""
    parts = text.split(":")
    if len(parts) != 4:
        raise argparse.ArgumentTypeError(f"--gap {text!r}: expected ATTRIBUTE:GROUP:OUTCOME:FACTOR")
    try:
        return {"attribute": parts[0], "group": parts[1], "outcome": parts[2], "factor": float(parts[3])}
    except ValueError:
        raise argparse.ArgumentTypeError(f"--gap {text!r}: factor {parts[3]!r} is not a number") from None


def parse_confound(text):
    """'location:Pune[:SHARE[:LEVELS]]', e.g. 'location:Pune:0.98:1-2' -> {"attribute", "group", "share", "levels"}."""
    parts = text.split(":")
    if not 2 <= len(parts) <= 4:
        raise argparse.ArgumentTypeError(f"--confound {text!r}: expected ATTRIBUTE:GROUP[:SHARE[:LEVELS]]")
    out = {"attribute": parts[0], "group": parts[1]}
    try:
        if len(parts) > 2:
            out["share"] = float(parts[2])
        if len(parts) > 3:
            lo, _, hi = parts[3].partition("-")
            out["levels"] = list(range(int(lo), int(hi or lo) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--confound {text!r}: SHARE is a number, LEVELS like 1-2") from None
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write a synthetic organisation (independent generator).")
    ap.add_argument("out")
    for a, t, d, h in (("people", int, 969, ""), ("seed", int, 0, ""), ("months", int, 6, ""),
                       ("rate", float, 10.0, "mean events a person sends per month"), ("broadcasters", int, 0, ""),
                       ("response", float, 1.0, "survey response rate"), ("silos", int, 2, ""), ("hidden", int, 15, ""),
                       ("visible", int, None, "visible high performers (default: as many as hidden)")):
        ap.add_argument(f"--{a}", type=t, default=d, help=h or None)
    ap.add_argument("--closed", action="store_true", help="all departments fairly closed")
    ap.add_argument("--check", action="store_true", help="print inside-department shares afterwards")
    ap.add_argument("--attribute", type=parse_attribute, action="append", metavar="NAME:V=S,V=S",
                    help="categorical column, e.g. location:Austin=0.5,Pune=0.3,Leeds=0.2 (repeatable)")
    ap.add_argument("--gap", type=parse_gap, metavar="ATTR:GROUP:OUTCOME:FACTOR",
                    help="planted access gap, e.g. location:Pune:leader:0.4 (outcome leader, outside or both)")
    ap.add_argument("--confound", type=parse_confound, metavar="ATTR:GROUP[:SHARE[:LEVELS]]",
                    help="put SHARE (default 0.98) of the group at LEVELS (default 1-2), no contact effect")
    ap.add_argument("--fair-draws", type=int, default=20, help="Monte-Carlo draws for the expected contact counts")
    ap.add_argument("--careers", action="store_true",
                    help="also write history.csv (five years of careers) and dated sponsor/mentor/career "
                         "conversation ties, with planted truths in truth.json['careers']")
    x = ap.parse_args(argv)
    try:
        t = simulate(x.out, people=x.people, seed=x.seed, months=x.months, events_per_person_month=x.rate,
                     closed=x.closed, broadcasters=x.broadcasters, response_rate=x.response, silos=x.silos,
                     hidden=x.hidden, visible=x.visible, attributes=dict(x.attribute) if x.attribute else None,
                     gap=x.gap, confound=x.confound, fair_draws=x.fair_draws, careers=x.careers)
    except ValueError as e:
        ap.error(str(e))
    print(f"wrote {x.out}: {t['params']['people']} people, {t['params']['events']} events, "
          f"silos {t['silo_departments']}")
    if "fairness" in t:
        for label, v in t["fairness"]["summary"].items():
            for m in ("realised_senior_leaders", "realised_outside_contacts"):
                if v.get(m):
                    print(f"{label} {v['attribute']}={v['group']}: {m} raw difference {v[m]['raw_difference']:+.3f}, "
                          f"within level x department {v[m]['within_cell_difference']:+.3f}")
    if "careers" in t:
        c = t["careers"]
        f3 = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
        print(f"careers {c['history_start']}..{c['history_end']}: base rate {f3(c['base_rate'])}, good sponsors "
              f"{f3(c['good_sponsor_promotion_share'])}, ordinary {f3(c['ordinary_sponsor_promotion_share'])} "
              f"(promoted within {c['window_months']} months)")
    if x.check:
        print(inside_shares(x.out).round(3).to_string())


if __name__ == "__main__":
    main()
