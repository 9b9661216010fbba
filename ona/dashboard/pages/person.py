"""Person: ego network, the parts of their visibility, the senior leaders they reach."""

from __future__ import annotations

import dash
import numpy as np
from dash import dcc, html

from ... import figures
from ..common import dataset, page, problem


def leaders_reached(data, person: str) -> tuple[list[str], list[str]]:
    """Senior leaders tied to the person directly, and those one step away (via whom)."""
    table = data.result.people_metrics
    ties = data.result.ties
    ids = table.index.astype(str)
    where = ids.get_indexer([person])[0]
    mask = (ties.u == where) | (ties.v == where)
    near = set(np.where(ties.u[mask] == where, ties.v[mask], ties.u[mask]).tolist())
    leaders = data.leaders
    direct = sorted(ids[n] for n in near if ids[n] in leaders)
    via: dict[str, str] = {}
    near_mask = np.isin(ties.u, list(near)) | np.isin(ties.v, list(near))
    for a, b in zip(ties.u[near_mask], ties.v[near_mask]):
        for x, y in ((a, b), (b, a)):
            if x in near and ids[y] in leaders and ids[y] not in direct and y != where:
                via.setdefault(ids[y], ids[x])
    return direct, [f"{data.label(l)} via {data.label(v)}" for l, v in sorted(via.items())]


def layout(person_id: str | None = None, **_):
    data = dataset()
    if data.error:
        return page()
    table = data.result.people_metrics
    if person_id is None or person_id not in table.index:
        return problem(f"There is nobody with employee_id {person_id!r} in this data. "
                       "Pick a person on the People page.")
    row = table.loc[person_id]
    direct, indirect = leaders_reached(data, person_id)
    facts = [("department", row.get("department")), ("team", row.get("team")),
             ("tribe", row.get("tribe")), ("role", row.get("role")),
             ("visibility", f"{row.get('visibility', float('nan')):.0f} / 100"),
             ("ties", int(row.get("degree", 0)))]
    return page(
        html.H2(data.label(person_id), id="person-name"),
        html.Ul([html.Li([html.B(f"{k}: "), str(v)]) for k, v in facts if v is not None], className="help"),
        html.Div([
            html.Div(dcc.Graph(figure=figures.ego_network(person_id, table, data.result.ties,
                                                          leaders=data.leaders), id="ego")),
            html.Div([dcc.Graph(figure=figures.visibility_parts(row), id="visibility-parts"),
                      html.H4("Senior leaders they work with"),
                      html.P(", ".join(data.label(x) for x in direct) or "none", id="leaders-direct"),
                      html.H4("Senior leaders one step away (through a colleague)"),
                      html.P("; ".join(indirect[:12]) or "none", id="leaders-indirect")]),
        ], className="row"),
    )


def register() -> None:
    dash.register_page(__name__, path_template="/person/<person_id>", name="Person",
                       title="ona: person", layout=layout)
