"""Person: ego network, the parts of their visibility, the senior leaders they reach."""

from __future__ import annotations

import dash
import numpy as np
from dash import Input, Output, dcc, html, no_update

from ... import figures
from ... import schema as S
from ...visibility import leader_links
from ..common import dataset, on, page, problem


def leaders_reached(data, person: str) -> tuple[list[str], list[str]]:
    """Senior leaders tied to the person directly, and those reached through one colleague
    by two strong ties (via whom): the people behind ``leader_ties`` and ``leader_reach``."""
    table = data.analysed.people_metrics
    ties = data.ties
    ids = table.index.astype(str)
    is_leader = ids.isin(list(data.leaders))
    strong = table.attrs.get("strong_tie_weight")
    direct, via = leader_links(ties.u, ties.v, ties.w, int(ids.get_indexer([person])[0]), is_leader,
                               np.inf if strong is None else float(strong))
    return ([ids[x] for x in direct],
            [f"{data.label(ids[leader])} via {data.label(ids[colleague])}" for leader, colleague in via.items()])


def _fact(label: str, value, href: str | None = None):
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value) in ("", "nan", "<NA>"):
        return None
    text = dcc.Link(str(value), href=href) if href else str(value)
    return html.Li([html.B(f"{label}: "), text])


def layout(person_id: str | None = None, **_):
    data = dataset()
    if data.error:
        return page()
    table = data.analysed.people_metrics
    if person_id is None or person_id not in table.index:
        return problem(f"There is nobody with the id {str(person_id)[:40]!r} in this organisation. "
                       "Find the person on the People page (search by name), or check the link.")
    row = table.loc[person_id]
    direct, indirect = leaders_reached(data, person_id)
    manager = row.get(S.MANAGER_ID)
    manager = str(manager) if isinstance(manager, str) and manager in table.index else None
    tribes = data.analysed.tribe_table
    tribe_names = dict(zip(tribes["tribe"], tribes["label"])) if "label" in tribes else {}
    hidden = data.analysed.hidden_talent
    reason = (hidden.loc[hidden[S.EMPLOYEE_ID].astype(str) == person_id, "reason"].tolist()
              if len(hidden) else [])
    facts = [_fact("title", row.get(S.TITLE)), _fact("department", row.get(S.DEPARTMENT)),
             _fact("team", row.get(S.TEAM)), _fact("level", row.get(S.LEVEL)),
             _fact("manager", data.label(manager) if manager else None, f"/person/{manager}" if manager else None),
             _fact("performance rating", row.get(S.PERFORMANCE)),
             _fact("works mostly in the tribe", tribe_names.get(row.get("tribe"), row.get("tribe") or None)),
             _fact("network role", row.get("role")),
             _fact("visibility", f"{row.get('visibility', float('nan')):.0f} of 100 "
                                 "(the share of the organisation less visible)"),
             _fact("works with", f"{int(row.get('degree', 0))} people")]
    contacts = _strongest(data, person_id)
    return page(
        html.H2(data.label(person_id), id="person-name"),
        html.Div([html.Span("Hidden high performer: ", className="flag"),
                  str(reason[0]).capitalize() + "."], className="answer", id="person-reason")
        if len(reason) else None,
        html.Ul([f for f in facts if f is not None], className="help", id="person-facts"),
        html.Div([
            html.Div([dcc.Graph(figure=figures.visibility_parts(row, table), id="visibility-parts"),
                      html.P(["The bars count people. ", dcc.Link("How to read this", href="/guide")],
                             className="help"),
                      html.H4("Senior leaders they work with"),
                      html.P([*_links(data, direct)] or "none", id="leaders-direct"),
                      html.H4("Senior leaders one close colleague away"),
                      html.P("; ".join(indirect[:12]) or "none", id="leaders-indirect")]),
            html.Div([dcc.Graph(figure=figures.ego_network(person_id, table, data.ties,
                                                          leaders=data.leaders, labels=data.labels),
                                id="ego"),
                      html.H4("Who they work with most"),
                      html.P([*_links(data, contacts)] or "nobody", id="person-contacts")]),
        ], className="row"),
        dcc.Location(id="person-nav", refresh="callback-nav"),
    )


def _links(data, ids: list[str]) -> list:
    out: list = []
    for i, pid in enumerate(ids):
        if i:
            out.append(", ")
        out.append(dcc.Link(data.label(pid), href=f"/person/{pid}"))
    return out


def _strongest(data, person: str, top: int = 10) -> list[str]:
    """The people the person works with most, strongest first."""
    ties = data.ties
    ids = data.analysed.people_metrics.index.astype(str)
    where = ids.get_indexer([person])[0]
    mask = (ties.u == where) | (ties.v == where)
    other = np.where(ties.u[mask] == where, ties.v[mask], ties.u[mask])
    order = np.argsort(-ties.w[mask], kind="stable")[:top]
    return [ids[o] for o in other[order]]


@on(Output("person-nav", "href"), Input("ego", "clickData"), prevent_initial_call=True)
def open_neighbour(click):
    """A click on someone in the network opens them."""
    points = (click or {}).get("points") or []
    person = points[0].get("customdata") if points else None
    return f"/person/{person}" if person else no_update


def register() -> None:
    dash.register_page(__name__, path_template="/person/<person_id>", name="Person",
                       title="ona: person", layout=layout)
