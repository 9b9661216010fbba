"""Hidden talent: the high performers few outside their team know, each with why."""

from __future__ import annotations

import io

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from ... import schema as S
from ...outputs import neutralize
from ..common import dataset, on, page

ALL = "__all__"


def _listed(data, department: str | None) -> pd.DataFrame:
    hidden = data.result.hidden_talent
    if department and department != ALL and S.DEPARTMENT in hidden:
        hidden = hidden[hidden[S.DEPARTMENT].astype(str) == department]
    return hidden


def summary(data, department: str | None = None) -> str:
    """The answer in words, first."""
    hidden = data.result.hidden_talent
    table = data.result.people_metrics
    if S.PERFORMANCE not in table or table[S.PERFORMANCE].isna().all():
        return "There are no performance ratings in the people file, so nobody can be listed."
    listed = _listed(data, department)
    where = f" in {department}" if department and department != ALL else ""
    if listed.empty:
        return f"No high performer{where} is among the least visible quarter of the organisation."
    count = hidden.attrs.get("high_performers")
    of = f" of the {count} high performers" if count and not where else ""
    firm = int((listed["confidence"] >= 0.8).sum()) if "confidence" in listed else None
    firmly = (f" For {firm} of them the data is firm (they stay on the list in at least 8 of 10 "
              "reruns on resampled data)." if firm is not None else "")
    who = f"{len(listed)}{of}" if of else f"{len(listed)} high performers{where}"
    return (f"{who} are among the least visible quarter of the "
            f"organisation: few people outside their team, and few senior leaders, work with them "
            f"or name them. Least visible first; click a name for the whole picture.{firmly}")


def person_cards(data, listed: pd.DataFrame) -> list:
    """One card per person: name (a link to the profile), where they work, the reason."""
    cards = []
    for _, row in listed.iterrows():
        pid = str(row[S.EMPLOYEE_ID])
        where = ", ".join(str(row[c]) for c in (S.TITLE, S.DEPARTMENT, S.TEAM)
                          if c in row.index and pd.notna(row[c]) and str(row[c]))
        facts = [f"rating {row[S.PERFORMANCE]:g}", f"visibility {row['visibility']:.0f} of 100"]
        if "confidence" in row.index and pd.notna(row["confidence"]):
            facts.append(f"on the list in {row['confidence']:.0%} of reruns")
        cards.append(html.Div([
            html.Div([dcc.Link(data.label(pid), href=f"/person/{pid}", className="person-link"),
                      html.Span(f" — {where}" if where else "", className="card-note")]),
            html.P(str(row["reason"]).capitalize() + ".", className="reason"),
            html.Div(" · ".join(facts), className="card-note"),
        ], className="person-card", id={"type": "hidden-card", "index": pid}))
    return cards


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    r = data.result
    departments = sorted(r.hidden_talent[S.DEPARTMENT].astype(str).unique()) if len(r.hidden_talent) else []
    return page(
        html.H2("Hidden talent: the best-kept secrets"),
        html.P(summary(data), className="answer", id="hidden-summary"),
        html.P(["A low visibility score is about who knows the person's work, not about its worth. ",
                dcc.Link("How to read this", href="/guide")], className="help"),
        html.Div([
            html.Div([html.Label("Department"),
                      dcc.Dropdown(id="hidden-department", value=ALL, clearable=False,
                                   options=[{"label": "All departments", "value": ALL}]
                                   + [{"label": d, "value": d} for d in departments])]),
            html.Div([html.Button("Download this list (CSV)", id="hidden-csv", className="secondary"),
                      html.Button("Download this list (Excel)", id="hidden-xlsx", className="secondary")]),
        ], className="controls"),
        dcc.Loading(dcc.Download(id="hidden-download")),
        html.Div(person_cards(data, r.hidden_talent), id="hidden-list", className="cards-list"),
        html.Div([html.Div(dcc.Graph(figure=data.figures["hidden"], id="hidden-scatter"))], className="row"),
        dcc.Location(id="hidden-nav", refresh="callback-nav"),
    )


@on(Output("hidden-list", "children"), Output("hidden-summary", "children"),
          Input("hidden-department", "value"), prevent_initial_call=True)
def filter_department(department):
    """The list and its summary for one department."""
    data = dataset()
    return person_cards(data, _listed(data, department)), summary(data, department)


@on(Output("hidden-nav", "href"), Input("hidden-scatter", "clickData"), prevent_initial_call=True)
def open_from_chart(click):
    """A click on a red dot opens the person."""
    points = (click or {}).get("points") or []
    person = points[0].get("customdata") if points else None
    return f"/person/{person}" if person else no_update


def export_table(data, department: str | None) -> pd.DataFrame:
    """The list as people read it: names first, rounded numbers, readable headers."""
    listed = _listed(data, department).copy()
    listed.insert(0, "person", listed[S.EMPLOYEE_ID].astype(str).map(data.label))
    keep = ["rank", "person", S.EMPLOYEE_ID, S.TITLE, S.DEPARTMENT, S.TEAM, S.PERFORMANCE, "reason",
            "visibility", "confidence", "outside_team_ties", "cross_department_ties", "leader_ties",
            "leader_reach", "recognition_outside_team"]
    listed = listed[[c for c in keep if c in listed]].round(2)
    listed.columns = [c.replace("_", " ") for c in listed.columns]
    return listed


@on(Output("hidden-download", "data"), Input("hidden-csv", "n_clicks"), Input("hidden-xlsx", "n_clicks"),
          State("hidden-department", "value"), prevent_initial_call=True)
def download(_csv, _xlsx, department):
    """What is on the page, as CSV or Excel."""
    from dash import ctx
    table = neutralize(export_table(dataset(), department))
    if ctx.triggered_id == "hidden-csv":
        return dcc.send_string(table.to_csv(index=False), "hidden_talent.csv")
    buffer = io.BytesIO()
    from ...export import styled_sheet
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        styled_sheet(writer, table, "Hidden talent")
    return dcc.send_bytes(buffer.getvalue(), "hidden_talent.xlsx")


def register() -> None:
    dash.register_page(__name__, path="/hidden", name="Hidden talent", title="ona: hidden talent",
                       layout=layout)
