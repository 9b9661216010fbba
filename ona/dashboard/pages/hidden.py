"""Hidden talent: performance against visibility, the hidden high performers and why."""

from __future__ import annotations

import dash
from dash import dcc, html

from ..common import dataset, grid, page


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    r = data.result
    hidden = r.hidden_talent
    text = (f"{len(hidden)} high performers with low visibility (at or below the 25th percentile), "
            "lowest first, each with the reason." if len(hidden)
            else "Nobody listed: either no performance ratings are in the people file or every "
                 "high performer is visible.")
    return page(
        html.H2("Hidden talent: the best-kept secrets"),
        html.P(text, className="help", id="hidden-summary"),
        html.Div([html.Div(dcc.Graph(figure=data.figures["hidden"],
                                     id="hidden-scatter"))], className="row"),
        grid(hidden, "hidden-grid", height=360),
    )


def register() -> None:
    dash.register_page(__name__, path="/hidden", name="Hidden talent", title="ona: hidden talent",
                       layout=layout)
