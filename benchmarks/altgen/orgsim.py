#!/usr/bin/env python3
"""orgsim: an independent synthetic-organisation generator for testing ONA tools.

Written without looking at the tool under test; see README.md for the contact model.
Usage: python orgsim.py OUT --people 969 --seed 3 --rate 5 --closed --broadcasters 3 --response 0.3
Fairness (optional): --attribute location:Austin=0.5,Pune=0.3,Leeds=0.2 [--gap location:Pune:leader:0.4]
                     [--confound location:Pune[:0.98[:1-2]]] [--fair-draws 20]
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
             attributes=None, gap=None, confound=None, fair_draws=20):
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
    They add truth["fairness"] and fairness_truth.csv (README.md, "Fairness")."""
    fair = _fair_options(attributes, gap, confound)
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
    pd.DataFrame({"source_id": ids[rel.s.to_numpy()], "target_id": ids[rel.t.to_numpy()], "relation": rel.relation,
                  "date": [str(np.datetime64(int(rday[s]), "D")) for s in rel.s]}).sort_values(
        ["source_id", "relation", "target_id"]).to_csv(os.path.join(out_dir, "relationships.csv"), index=False)
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
        "respondents": L(resp_ids), "other_top_rated": L(top_other), "silo_gatekeepers": L(gatekeepers),
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
    x = ap.parse_args(argv)
    try:
        t = simulate(x.out, people=x.people, seed=x.seed, months=x.months, events_per_person_month=x.rate,
                     closed=x.closed, broadcasters=x.broadcasters, response_rate=x.response, silos=x.silos,
                     hidden=x.hidden, visible=x.visible, attributes=dict(x.attribute) if x.attribute else None,
                     gap=x.gap, confound=x.confound, fair_draws=x.fair_draws)
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
    if x.check:
        print(inside_shares(x.out).round(3).to_string())


if __name__ == "__main__":
    main()
