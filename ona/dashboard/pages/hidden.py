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
    share = hidden.attrs.get("share_of_high_performers")
    of = f" ({share:.0%} of the {hidden.attrs.get('high_performers')} high performers)" if share is not None else ""
    text = (f"{len(hidden)} high performers with low visibility{of}: the least visible quarter of "
            "the organisation, least visible first, each with the reason. 'confidence' is how often "
            "the person stays on the list when the data is resampled." if len(hidden)
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
