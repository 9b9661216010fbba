"""Sponsors and mentors: who develops people, who has nobody, whose manager does not know
what they want, and what a departure would break."""

from __future__ import annotations

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html, no_update

from ... import schema as S
from ...careers import (
    DEVELOPS,
    TOO_FEW,
    career_conversations,
    mentoring_map,
    sponsor_track_record,
    support_table,
    what_if,
)
from ..common import dataset, grid, on, page
from .review import _options


def tables(data) -> dict:
    """The careers tables of the dataset (computed once, then kept)."""
    cache = data.tables.setdefault("careers", {})
    if not cache:
        net = data.analysed.network
        cache["sponsors"] = sponsor_track_record(net) if net.history is not None else None
        cache["map"] = mentoring_map(net) if S.LEVEL in net.people else pd.DataFrame()
        cache["people"], cache["groups"] = support_table(net, min_group_size=data.key.min_group_size)
        cache["talks"] = career_conversations(net)
    return cache


def sponsor_answer(data, sponsors: pd.DataFrame | None) -> str:
    """Who develops people, in words."""
    if sponsors is None:
        return ("Who develops people needs a history of promotions (a history file: who held which level "
                "from when). Without it, this page shows who has a mentor or a sponsor today.")
    if sponsors.empty:
        return "Nobody is named as an advocate, sponsor or mentor in the survey."
    good = sponsors[sponsors["verdict"] == DEVELOPS]
    few = int((sponsors["verdict"] == TOO_FEW).sum())
    text = (f"{len(good)} of {len(sponsors)} sponsors and mentors develop people: their protégés were promoted "
            f"more often than comparable colleagues (same level, same department) within two years of being "
            f"sponsored — {', '.join(data.label(x) for x in good[S.EMPLOYEE_ID])}." if len(good) else
            f"No sponsor's protégés were promoted more often than comparable colleagues beyond what chance "
            f"explains ({len(sponsors)} sponsors and mentors).")
    circle = sponsors[sponsors["own_circle_only"]]
    if len(circle):
        text += (f" Advocate only for their own team: "
                 f"{', '.join(data.label(x) for x in circle[S.EMPLOYEE_ID])}.")
    if few:
        text += f" For {few} there are too few protégés to tell."
    return text


def sponsor_rows(data, sponsors: pd.DataFrame) -> pd.DataFrame:
    """The track record as people read it."""
    people = data.analysed.network.people
    return pd.DataFrame({
        "sponsor": [data.label(x) for x in sponsors[S.EMPLOYEE_ID]],
        "department": sponsors[S.EMPLOYEE_ID].map(people[S.DEPARTMENT]).to_numpy(),
        "verdict": sponsors["verdict"], "protégés": sponsors["proteges"],
        "followed two years": sponsors["followed"], "promoted": sponsors["promoted"],
        "promoted (share)": sponsors["promotion_rate"], "comparable colleagues promoted": sponsors["expected_rate"],
        "95% interval": [f"between {a:.0%} and {b:.0%}" if pd.notna(a) else "" for a, b in
                         zip(sponsors["ci_low"], sponsors["ci_high"])],
        "protégés in other departments": sponsors["other_departments"],
        "only their own team": sponsors["own_circle_only"]})


EXPLAIN = {
    "verdict": "Develops people: their protégés were promoted more often than comparable colleagues, beyond "
               "chance. Too few to tell: fewer than five protégés followed for two years.",
    "followed two years": "Protégés sponsored early enough for two years of history to follow them.",
    "comparable colleagues promoted": "Share promoted within two years among people at the same level in the "
                                      "same department at the time, not sponsored by this person.",
    "95% interval": "The range the protégés' promotion share would fall in 95 times in 100.",
    "only their own team": "Every protégé reports to them or is in their own team.",
}


def map_figure(ties: pd.DataFrame) -> go.Figure:
    """Mentor and sponsor ties by the level of the two people."""
    chosen = ties[ties["relation"].isin(["mentor", "advocacy", "sponsor"])]
    fig = go.Figure()
    if chosen.empty:
        fig.update_layout(title="No mentor or sponsor ties in the survey")
        return fig
    table = chosen.pivot_table(index="source_group", columns="target_group", values="ties", aggfunc="sum",
                               fill_value=0).sort_index(ascending=False)
    fig.add_trace(go.Heatmap(z=table.to_numpy(), x=[f"level {c}" for c in table.columns],
                             y=[f"level {r}" for r in table.index], colorscale="Blues",
                             hovertemplate="%{z} ties from %{y} to %{x}<extra></extra>"))
    fig.update_layout(title="Who mentors and sponsors whom: the mentor or sponsor's level (rows) and the "
                            "protégé's (columns)", xaxis_title="protégé", yaxis_title="mentor or sponsor",
                      height=380)
    return fig


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    t = tables(data)
    sponsors = t["sponsors"]
    groups = t["groups"]
    by_level = groups[groups["by"] == S.LEVEL] if len(groups) else groups
    talks = t["talks"]
    answered = talks[talks["answered"]]
    reverse = t["map"]
    reverse_ties = int(reverse.loc[(reverse["relation"] == "advice") & (reverse["direction"] == "down"),
                                   "ties"].sum()) if len(reverse) else 0
    neither = int(t["people"]["neither"].sum())
    support = (f"{neither:,} of {len(t['people']):,} people have neither a mentor (someone who talks with them) "
               f"nor a sponsor (someone who talks about them) in the survey.")
    if len(by_level):
        worst = by_level.sort_values("share_neither", ascending=False).iloc[0]
        support += f" The share is highest at level {worst['group']}: {worst['share_neither']:.0%}."
    if len(answered) and answered["with_manager"].notna().any():
        no_talk = int(answered["with_manager"].eq(False).sum())
        talk_text = (f"Of the {len(answered):,} people who answered the survey, {no_talk:,} have not discussed "
                     f"their career aspirations with their manager.")
    else:
        talk_text = "The survey did not ask whom people discussed their career aspirations with."
    children = [
        html.H2("Sponsors and mentors"),
        html.P(sponsor_answer(data, sponsors), className="answer", id="sponsors-summary"),
        html.P(["A sponsor talks about you; a mentor talks with you. A sponsor's record is judged against "
                "colleagues at the same level in the same department, and only once two years have passed. ",
                dcc.Link("How to read this", href="/guide")], className="help"),
    ]
    if sponsors is not None and len(sponsors):
        children.append(grid(sponsor_rows(data, sponsors), "sponsors-grid", height=320, explain=EXPLAIN))
    children += [
        html.H3("Who has nobody"),
        html.P(support, className="answer", id="support-summary"),
        grid(groups.rename(columns={"by": "by", "group": "group", "with_mentor": "with a mentor",
                                    "with_sponsor": "with a sponsor", "share_neither": "share with neither"}),
             "support-grid", height=300),
        html.Div(dcc.Graph(figure=map_figure(t["map"]), id="mentoring-map")) if len(t["map"]) else html.Div(),
        html.P(f"Reverse mentoring: {reverse_ties} times a senior person said they seek advice from someone "
               f"more junior.", className="help", id="reverse-mentoring"),
        html.H3("Career conversations"),
        html.P(talk_text, className="answer", id="talks-summary"),
        html.H3("What if someone left?"),
        html.P("Choose one or more people (a leader leaving, a panel retiring): the candidates who would lose "
               "their only advocate, the people who would lose their only ties to senior leaders, and the "
               "departments that would lose their only links to the rest.", className="help"),
        html.Div([dcc.Dropdown(id="whatif-people", multi=True, options=[], placeholder="type a name"),
                  html.Button("Show what would break", id="whatif-run")], className="controls"),
        dcc.Loading(html.Div(id="whatif-result")),
    ]
    return page(*children)


@on(Output("whatif-people", "options"), Input("whatif-people", "search_value"),
    State("whatif-people", "value"), prevent_initial_call=True)
def people_options(search, value):
    """People matching what was typed, after those already chosen."""
    return _options(dataset(), value, search) if search else no_update


@on(Output("whatif-result", "children"), Input("whatif-run", "n_clicks"), State("whatif-people", "value"),
    prevent_initial_call=True)
def show_what_if(_clicks, chosen):
    """What the departure of the people chosen would break, in sentences."""
    data = dataset()
    chosen = [x for x in (chosen or []) if x in data.labels]  # only people of this dataset
    if not chosen:
        return html.P("Choose at least one person.", className="help")
    r = data.analysed
    out = what_if(r.network, chosen, ties=data.ties, tribes=r.tribes.membership if r.tribes is not None else None,
                  min_group_size=data.key.min_group_size)
    who = ", ".join(data.label(x) for x in out.without)
    only = out.lose_only_advocate
    lines = [html.Li(f"Would lose their only advocate: {', '.join(data.label(x) for x in only['candidate'])}."
                     if len(only) else "Nobody would lose their only advocate.", id="whatif-advocates")]
    access = out.lose_leader_access
    lines.append(html.Li(f"Would lose their only ties to senior leaders: "
                         f"{', '.join(data.label(x) for x in access[S.EMPLOYEE_ID].head(15))}"
                         + (f" and {len(access) - 15} more" if len(access) > 15 else "") + "."
                         if len(access) else "Nobody would lose their only ties to senior leaders."))
    broken = out.lose_bridge
    lines.append(html.Li("Would lose every link to the rest of the organisation: "
                         + ", ".join(f"{g} ({lv})" for lv, g in zip(broken["level"], broken["group"])) + "."
                         if len(broken) else "No department or tribe would lose all its links to the rest."))
    pairs = out.lose_pair
    if len(pairs):
        lines.append(html.Li("Pairs of departments that would lose every tie between them: "
                             + "; ".join(f"{a} and {b}" for a, b in zip(pairs["department_a"], pairs["department_b"]))
                             + "."))
    return html.Div([html.P(f"If {who} left:", className="answer"), html.Ul(lines)])


def register() -> None:
    dash.register_page(__name__, path="/sponsors", name="Sponsors and mentors", title="ona: sponsors and mentors",
                       layout=layout)
