"""Overview: size, ties, tribes and silos at a glance; who works with whom."""

from __future__ import annotations

import dash
from dash import dcc, html

from ..common import card, dataset, page


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    r = data.result
    attrs = r.people_metrics.attrs
    silos = r.departments.loc[r.departments["silo"], "department"].tolist()
    tribes = attrs.get("tribes", {})
    hidden = len(r.hidden_talent)
    return page(
        html.H2("The organisation at a glance"),
        html.Div([
            card("people", f"{len(r.network.people):,}"),
            card("ties that count", f"{attrs.get('ties', 0):,}", f"weight >= {attrs.get('min_weight')} or declared"),
            card("tribes", tribes.get("tribes", 0), f"modularity {tribes.get('modularity', 0):.2f}"),
            card("tribes match departments", f"{r.agreement.get('nmi', float('nan')):.2f}", "NMI, 1 = identical"),
            card("silo departments", len(silos), ", ".join(silos) or "none"),
            card("hidden high performers", hidden, "see Hidden talent"),
        ], className="cards", id="overview-cards"),
        html.Div([
            html.Div(dcc.Graph(figure=data.figures["departments"], id="dept-heatmap")),
            html.Div(dcc.Graph(figure=data.figures["tribes"], id="tribe-map")),
        ], className="row"),
        html.P("Groups under the minimum group size are merged in every group view. "
               "The network of individuals is never drawn whole: see a person's profile for "
               "their ego network.", className="help"),
    )


def register() -> None:
    dash.register_page(__name__, path="/", name="Overview", title="ona: overview", layout=layout)
