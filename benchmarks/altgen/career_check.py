#!/usr/bin/env python3
"""career_check: recompute the careers truths of an orgsim folder (written with --careers) with pandas alone.

Usage: python career_check.py DATA_DIR [DATA_DIR ...]
Reads people.csv, history.csv, relationships.csv, panel.csv, slate.csv and checks them against truth.json's
"careers" section: history integrity (levels, departments, dates), survey answers, the base rate and the
sponsor groups' promotion shares (recounted here from history.csv and relationships.csv), own-circle sponsors,
the neither-mentor-nor-sponsor list, career conversations, the slate mix and the only-advocate lists. Prints one
table row per folder and the failed checks; exits 1 if any check fails.
"""
import json
import os
import sys

import pandas as pd

ADV = ("advocacy", "sponsor")


def load(d):
    rd = lambda f, **k: pd.read_csv(os.path.join(d, f), dtype=str, keep_default_na=False, **k)  # noqa: E731
    p, h, r = rd("people.csv"), rd("history.csv"), rd("relationships.csv")
    p["level"], h["level"] = p.level.astype(int), h.level.astype(int)
    h["date"], r["date"] = pd.to_datetime(h.date), pd.to_datetime(r.date)
    with open(os.path.join(d, "truth.json"), encoding="utf-8") as f:
        t = json.load(f)
    return p, h, r, list(rd("panel.csv").employee_id), list(rd("slate.csv").employee_id), t


def state_at(h, day):
    """Level and department of everyone employed on day (their last history row dated on or before it)."""
    return h[h.date <= day].groupby("employee_id").last()[["level", "department"]]


def check(d):
    p, h, r, panel, slate, t = load(d)
    c, fails, out = t["careers"], [], {}

    def ok(name, cond):
        if not cond:
            fails.append(name)
    P = p.set_index("employee_id")
    h = h.sort_values(["employee_id", "date"])
    h["prev_level"] = h.groupby("employee_id")["level"].shift()
    h["prev_dept"] = h.groupby("employee_id")["department"].shift()
    last = h.groupby("employee_id").last()
    H0, H1 = pd.Timestamp(c["history_start"]), pd.Timestamp(c["history_end"])
    # -- history integrity ------------------------------------------------------------------------------------
    ok("everyone has history", set(last.index) == set(p.employee_id))
    ok("last level = people level", (last.level == P.level.reindex(last.index)).all())
    ok("last department = people department", (last.department == P.department.reindex(last.index)).all())
    ok("last title = people title", (last.title == P.title.reindex(last.index)).all())
    ok("one row per person and date", not h.duplicated(["employee_id", "date"]).any())
    ok("history spans start..end", h.date.min() == H0 and h.date.max() == H1)
    pr, mv = h[h.event == "promotion"], h[h.event == "move"]
    ok("promotions are +1, same department", ((pr.level == pr.prev_level + 1) & (pr.department == pr.prev_dept)).all())
    ok("moves keep level, change department", ((mv.level == mv.prev_level) & (mv.department != mv.prev_dept)).all())
    ok("a level rises only at promotions", (h[h.level > h.prev_level].event == "promotion").all())
    ok("hire/start only first", h[h.event.isin(["hire", "start"])].prev_level.isna().all())
    bnd = [pd.Timestamp(x) for x in c["survey_dates"]]
    bnd += [x + pd.DateOffset(months=c["window_months"]) for x in bnd] + [x + pd.Timedelta(days=730) for x in bnd]
    evd = h.date[h.event != "start"]
    ok("no event within 3 days of a survey date or window end",
       not any(((evd - x).abs() <= pd.Timedelta(days=3)).any() for x in bnd))
    # -- survey answers ---------------------------------------------------------------------------------------
    resp = set(p.employee_id[p.survey_response == "yes"])
    ok("only respondents state rows", set(r.source_id) <= resp)
    ok("non-respondents listed", sorted(set(p.employee_id) - resp) == c["conversation_unknown"])
    waves = [pd.Timestamp(x) for x in c["survey_dates"]]
    first = h.groupby("employee_id").date.min()
    cr = r[r.date < H1 - pd.Timedelta(days=21)]  # career-wave rows before the end-of-period survey
    ok("tie ends employed at tie date", ((first.reindex(cr.source_id).to_numpy() <= cr.date.to_numpy()).all()
                                         and (first.reindex(cr.target_id).to_numpy() <= cr.date.to_numpy()).all()))
    # -- base rate and sponsor groups, recounted ---------------------------------------------------------------
    win = pd.DateOffset(months=c["window_months"])
    adv = r[r.relation.isin(ADV)]
    pw = []
    for w in [pd.Timestamp(x) for x in c["windows_fully_observed_for"]]:
        s = state_at(h, w)
        s = s[s.level < c["head_level"]]
        promoted = set(pr.employee_id[(pr.date > w) & (pr.date <= w + win)])
        spons = set(adv.target_id[(adv.date <= w) & (adv.date > w - win)])
        pw.append(pd.DataFrame({"p": s.index, "w": w, "level": s.level.to_numpy(), "dept": s.department.to_numpy(),
                                "promoted": s.index.isin(list(promoted)), "sponsored": s.index.isin(list(spons))}))
    pw = pd.concat(pw, ignore_index=True)
    un = pw[~pw.sponsored]
    base = un.promoted.mean()
    out["base"] = base
    ok("base rate matches truth", abs(base - c["base_rate"]) < 1e-4)
    cell = un.groupby(["w", "level", "dept"]).promoted.agg(["mean", "size"])
    lvc = un.groupby(["w", "level"]).promoted.mean()
    for g in ("good_sponsors", "ordinary_sponsors", "own_circle_sponsors", "late_sponsors"):
        ss = set(c[g])
        ties = adv[adv.source_id.isin(ss) & adv.date.isin(pw.w.unique())]
        ties = ties.drop_duplicates(["source_id", "target_id"])
        prom, comp = [], []
        for _, x in ties.iterrows():
            prom.append(((pr.employee_id == x.target_id) & (pr.date > x.date) & (pr.date <= x.date + win)).any())
            st = state_at(h, x.date).loc[x.target_id]
            key = (x.date, st.level, st.department)
            comp.append(cell.loc[key, "mean"] if key in cell.index and cell.loc[key, "size"] >= 5
                        else lvc.get((x.date, st.level), base))
        share = sum(prom) / len(prom) if prom else float("nan")
        cb = sum(comp) / len(comp) if comp else float("nan")
        out[g] = (share, cb, len(prom))
        if g in ("good_sponsors", "ordinary_sponsors"):
            want = c["sponsor_groups"][g]["promoted_share"]
            ok(f"{g} share matches truth", want is not None and abs(share - want) < 1e-4)
            per = adv[adv.source_id.isin(ss) & (adv.date < H1 - pd.Timedelta(days=365 * 2))]
            ok(f"{g} protege counts", per.groupby("source_id").target_id.nunique().min()
               >= (10 if g == "good_sponsors" else 8) and len(per.source_id.unique()) == len(ss))
    ok("good sponsors >= 2", len(c["good_sponsors"]) >= 2)
    ratio = lambda x: x[0] / x[1] if x[2] and x[1] > 0 else float("nan")  # noqa: E731
    ok("good ratio about 3", 2.3 <= ratio(out["good_sponsors"]) <= 4.0)
    ok("ordinary ratio about 1", 0.6 <= ratio(out["ordinary_sponsors"]) <= 1.5)
    # own circle: every advocacy tie (any date) goes to a direct report or a member of the sponsor's own team
    oc = adv[adv.source_id.isin(c["own_circle_sponsors"])]
    inside = (P.manager_id.reindex(oc.target_id).to_numpy() == oc.source_id.to_numpy()) | (
        P.team.reindex(oc.target_id).to_numpy() == P.team.reindex(oc.source_id).to_numpy())
    out["own_inside"] = (int(inside.sum()), len(oc))
    ok("own-circle all inside", len(c["own_circle_sponsors"]) == 2 and inside.all() and len(oc) >= 10)
    for g in ("good_sponsors", "ordinary_sponsors"):  # the others are not own-circle
        gg = adv[adv.source_id.isin(c[g]) & (adv.date < waves[-1])]
        ins = (P.manager_id.reindex(gg.target_id).to_numpy() == gg.source_id.to_numpy()) | (
            P.team.reindex(gg.target_id).to_numpy() == P.team.reindex(gg.source_id).to_numpy())
        ok(f"{g} not inside", len(ins) > 0 and ins.mean() < 0.2)
    # advocacy after promotion
    aft = c["advocacy_after_promotion"]
    ok("late ties after a promotion", len(aft) >= 5 and all(
        ((pr.employee_id == a["protege"]) & (pr.date == pd.Timestamp(a["promotion_date"]))).any()
        and pd.Timestamp(a["promotion_date"]) < pd.Timestamp(a["date"])
        and ((adv.source_id == a["sponsor"]) & (adv.target_id == a["protege"])
             & (adv.date == pd.Timestamp(a["date"]))).any() for a in aft))
    # -- neither mentor nor sponsor -----------------------------------------------------------------------------
    tg = set(r.target_id[r.relation.isin(ADV + ("mentor",))])
    neither = sorted(set(p.employee_id) - tg)
    ok("neither list exact", neither == c["neither_mentor_nor_sponsor"])
    nb = p.assign(n=~p.employee_id.isin(list(tg))).groupby("level").n.mean()
    out["neither"] = (len(neither), nb.get(1, float("nan")), nb[(nb.index >= 2) & (nb.index <= 5)].max())
    ok("neither most common at level 1 (levels 1-5)", nb[1] > nb[(nb.index >= 2) & (nb.index <= 5)].max())
    # -- reverse mentoring and advice direction --------------------------------------------------------------------
    adv_rows = r[r.relation == "advice"]
    ls, lt = P.level.reindex(adv_rows.source_id).to_numpy(), P.level.reindex(adv_rows.target_id).to_numpy()
    rev = int(((ls >= 4) & (lt <= 2)).sum())
    out["advice"] = (rev, int((ls < lt).sum()), int((ls > lt).sum()))
    ok("reverse count matches", rev == c["reverse_mentoring"]["advice_senior4plus_to_junior1to2"]
       and c["reverse_mentoring"]["planted_count"] >= 3)
    ok("upward advice dominates", (ls < lt).sum() > (ls > lt).sum())
    # -- career conversations -------------------------------------------------------------------------------------
    cc = r[r.relation == "career_conversation"]
    to_mgr = set(cc.source_id[cc.target_id.to_numpy() == P.manager_id.reindex(cc.source_id).to_numpy()])
    has_mgr = set(p.employee_id[p.manager_id != ""])
    no_mgr = sorted((resp & has_mgr) - to_mgr)
    ok("no_manager_conversation exact", no_mgr == c["no_manager_conversation"])
    ok("no_conversation exact", sorted(resp - set(cc.source_id)) == c["no_conversation"])
    nr = len(resp)
    out["conv"] = (len(to_mgr) / nr, len(set(cc.source_id) - to_mgr) / nr, 1 - len(set(cc.source_id)) / nr)
    sl_yes = [x for x in slate if x in resp]
    mix = (sum(x in to_mgr for x in sl_yes), sum(x not in to_mgr for x in sl_yes))
    out["slate"] = mix
    ok("slate >= 3 with and >= 3 without a manager conversation", mix[0] >= 3 and mix[1] >= 3)
    ok("slate conversations match", all((c["slate_conversations"][x] == "manager") == (x in to_mgr)
                                        for x in sl_yes))
    # -- talent review: only advocate -------------------------------------------------------------------------------
    pa = adv[adv.source_id.isin(panel) & adv.target_id.isin(slate)].drop_duplicates(["source_id", "target_id"])
    n_adv = pa.groupby("target_id").size()
    only = {q: sorted(pa.target_id[(pa.source_id == q) & (pa.target_id.map(n_adv) == 1)]) for q in panel}
    ok("only-advocate lists exact", only == c["only_advocate"])
    ans = t["advocates_answered"]
    ok("only-advocate = advocates_answered", all(sorted(v) == sorted(x for x, a in ans.items() if a == [q])
                                                 for q, v in only.items()))
    ok("panel states no other advocacy/mentor for slate", set(map(tuple, r[r.source_id.isin(panel)
        & r.target_id.isin(slate) & r.relation.isin(ADV + ("mentor",))][["source_id", "target_id"]].to_numpy()))
        == {(a, x) for x, aa in ans.items() for a in aa})
    out["only"] = sum(len(v) for v in only.values())
    hid = set(t["hidden_high_performers"])
    hr = r[r.target_id.isin(hid)]
    ok("hidden named only inside their team", (P.team.reindex(hr.source_id).to_numpy()
                                               == P.team.reindex(hr.target_id).to_numpy()).all())
    return out, fails


if __name__ == "__main__":
    bad = 0
    print("| folder | base rate | good share / comparable (ties) | ordinary share / comparable (ties) | "
          "own-circle inside | neither (L1 share vs max L2-5) | reverse / up / down advice | "
          "conv. manager / senior only / none | slate with / without mgr conv. | only-advocate pairs | failed |")
    print("|" + "---|" * 11)
    for d in sys.argv[1:]:
        o, f = check(d)
        bad += len(f)
        g, od = o["good_sponsors"], o["ordinary_sponsors"]
        rt_ = lambda x: f"{x[0] / x[1]:.2f}" if x[2] and x[1] > 0 else "n/a"  # noqa: E731
        print(f"| {d} | {o['base']:.3f} | {g[0]:.3f} / {g[1]:.3f} = {rt_(g)}x ({g[2]}) | "
              f"{od[0]:.3f} / {od[1]:.3f} = {rt_(od)}x ({od[2]}) | "
              f"{o['own_inside'][0]}/{o['own_inside'][1]} | "
              f"{o['neither'][0]} ({o['neither'][1]:.2f} vs {o['neither'][2]:.2f}) | "
              f"{o['advice'][0]} / {o['advice'][1]} / {o['advice'][2]} | "
              f"{o['conv'][0]:.2f} / {o['conv'][1]:.2f} / {o['conv'][2]:.2f} | "
              f"{o['slate'][0]} / {o['slate'][1]} | {o['only']} | {', '.join(f) or 'none'} |")
    sys.exit(1 if bad else 0)
