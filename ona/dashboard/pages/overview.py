"""Overview: size, ties, tribes and silos at a glance; who works with whom."""

from __future__ import annotations

import tempfile
from pathlib import Path

import dash
from dash import Input, Output, ctx, dcc, html, no_update

from ...export import write_graph, write_workbook
from ..common import card, dataset, on, page


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    r = data.result
    attrs = r.people_metrics.attrs
    silos = r.departments.loc[r.departments["silo"], "department"].tolist()
    tribes = attrs.get("tribes", {})
    hidden = len(r.hidden_talent)
    departments = r.network.people["department"].nunique()
    answer = (f"{len(r.network.people):,} people in {departments} departments. "
              + (f"{len(silos)} department{'s are' if len(silos) > 1 else ' is'} a silo — far more "
                 f"closed than the others: {', '.join(silos)}. " if silos else "No department is a silo. ")
              + f"People actually work in {tribes.get('tribes', 0)} tribes"
              + (", which follow the departments closely. " if r.agreement.get("nmi", 0) >= 0.8
                 else ", which cut across departments. ")
              + (f"{hidden} high performer{'s are' if hidden != 1 else ' is'} hard to see from "
                 "outside their team (Hidden talent)." if hidden else ""))
    return page(
        html.H2("The organisation at a glance"),
        html.P([answer, " ", dcc.Link("How to read this", href="/guide")], className="answer",
               id="overview-answer"),
        html.Div([
            card("people", f"{len(r.network.people):,}"),
            card("working ties", f"{attrs.get('ties', 0):,}", "pairs who work together more than chance"),
            card("tribes", tribes.get("tribes", 0), f"modularity {tribes.get('modularity', 0):.2f}"),
            card("tribes match departments", f"{r.agreement.get('nmi', float('nan')):.2f}", "NMI, 1 = identical"),
            card("silo departments", len(silos), ", ".join(silos) or "none"),
            card("hidden high performers", hidden, "see Hidden talent"),
        ], className="cards", id="overview-cards"),
        html.Div([
            html.Div(dcc.Graph(figure=data.figures["departments"], id="dept-heatmap")),
            html.Div(dcc.Graph(figure=data.figures["tribes"], id="tribe-map")),
        ], className="row"),
        html.Div([
            html.Button("All tables (Excel)", id="export-xlsx", className="secondary"),
            html.Button("Network for Gephi (GEXF)", id="export-gexf", className="secondary"),
            dcc.Loading(dcc.Download(id="export-download"), id="export-loading"),
        ], className="actions"),
        html.P("Groups under the minimum group size are merged in every group view. "
               "The network of individuals is never drawn whole: see a person's profile for "
               "their ego network.", className="help"),
    )


@on(Output("export-download", "data"), Input("export-xlsx", "n_clicks"),
          Input("export-gexf", "n_clicks"), prevent_initial_call=True)
def export(_xlsx, _gexf):
    """Every table in one workbook, or the measured network as GEXF, for this dataset."""
    data = dataset()
    if data.error:
        return no_update
    with tempfile.TemporaryDirectory(prefix="ona-export-") as folder:
        if ctx.triggered_id == "export-gexf":
            path = write_graph(data.result, Path(folder) / "network.gexf")
        else:
            path = write_workbook(data.result, Path(folder) / "ona_results.xlsx")
        return dcc.send_bytes(path.read_bytes(), path.name)


def register() -> None:
    dash.register_page(__name__, path="/", name="Overview", title="ona: overview", layout=layout)
