"""People: every person's measures in a sortable, filterable table; click to open a profile."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html, no_update

from ..common import dataset, grid, on, page

COLUMNS = ["name", "title", "department", "team", "performance", "visibility", "role", "tribe",
           "degree", "cross_department_ties", "outside_team_ties", "leader_ties", "leader_reach",
           "recognition", "strength", "betweenness", "pagerank", "constraint", "employee_id"]


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    table = data.result.people_metrics.reset_index()
    tribes = data.result.tribe_table
    if "label" in tribes:
        table["tribe"] = table["tribe"].map(dict(zip(tribes["tribe"], tribes["label"]))).fillna("")
    table["visibility"] = table["visibility"].round(0)
    if "name" not in table or data.result.network.pseudonymized:
        table["name"] = table["employee_id"].astype(str).map(data.label)
    shown = table[[c for c in COLUMNS if c in table.columns]]
    return page(
        html.H2("People"),
        html.P(["Everyone in the organisation. Sort or filter any column (the menu in a column's "
                "header filters it, for example by department); hover a header for what it means; "
                "click a row to open the person's profile. Export downloads the rows as filtered. ",
                dcc.Link("How to read this", href="/guide")], className="help"),
        html.Button("Export CSV", id="people-export", className="secondary"),
        grid(shown, "people-grid", height=620,
             csvExportParams={"fileName": "people_metrics.csv"}, getRowId="params.data.employee_id"),
        dcc.Location(id="people-nav", refresh="callback-nav"),
    )


@on(Output("people-grid", "exportDataAsCsv"), Input("people-export", "n_clicks"),
          prevent_initial_call=True)
def export_people(n_clicks):
    """Tell the grid to download its rows as CSV."""
    return bool(n_clicks)


@on(Output("people-nav", "href"), Input("people-grid", "cellClicked"),
          State("people-grid", "rowData"), prevent_initial_call=True)
def open_profile(cell, rows):
    """The profile address of the person whose row was clicked."""
    if not cell:
        return no_update
    person = cell.get("rowId")
    if person is None and rows is not None and cell.get("rowIndex") is not None:
        person = rows[cell["rowIndex"]]["employee_id"]
    return f"/person/{person}" if person is not None else no_update


def register() -> None:
    dash.register_page(__name__, path="/people", name="People", title="ona: people", layout=layout)
