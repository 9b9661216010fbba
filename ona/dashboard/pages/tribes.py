"""Tribes and silos: tribes against departments, E-I against its baseline, bridges."""

from __future__ import annotations

import dash
from dash import dcc, html

from ..common import dataset, grid, page


TOP_PAIRS = 300


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    r = data.result
    silos = r.departments.loc[r.departments["silo"], "department"].tolist()
    dept_cols = ["department", "size", "ei_index", "ei_expected", "ei_index_weighted",
                 "ei_expected_weighted", "insularity", "openness", "silo", "silo_confidence", "people_with_outside_ties",
                 "bridges", "tribes"]
    tribe_cols = ["tribe", "size", "top_departments", "departments", "internal_share", "ei_index_weighted",
                  "silo", "silo_confidence", "stability", "unstable", "bridges"]
    return page(
        html.H2("Tribes and silos"),
        html.P([html.Span("Silo departments: ", className="flag"), ", ".join(silos) or "none", ". ",
                "A silo opens up to the rest of the organisation far less than the other departments "
                "do, given its size: less than half as much as the typical department, and by more "
                "than chance. 'silo confidence' is how often the flag holds when the data is "
                "resampled. Tribes are the groups people actually work in (Louvain)."],
               className="help", id="silo-summary"),
        html.Div([html.Div(dcc.Graph(figure=data.figures["ei"], id="ei-chart")),
                  html.Div(dcc.Graph(figure=data.figures["tribe_departments"],
                                     id="tribe-dept"))], className="row"),
        html.H3("Departments"),
        grid(r.departments[[c for c in dept_cols if c in r.departments]], "departments-grid", height=300),
        html.H3("Tribes"),
        grid(r.tribe_table[[c for c in tribe_cols if c in r.tribe_table]], "tribes-grid", height=300),
        html.H3("Bridges: who carries the ties between two groups"),
        html.P(f"The {min(len(r.bridges), TOP_PAIRS)} heaviest of {len(r.bridges)} connected pairs "
               "(all of them in bridges.csv).", className="help"),
        grid(r.bridges.head(TOP_PAIRS), "bridges-grid", height=320),
    )


def register() -> None:
    dash.register_page(__name__, path="/tribes", name="Tribes and silos", title="ona: tribes and silos",
                       layout=layout)
