"""Tribes and silos: which departments keep to themselves, who their links out are, and the
groups people actually work in."""

from __future__ import annotations

import re

import dash
import pandas as pd
from dash import Input, Output, dcc, html

from ..common import dataset, grid, on, page
from .guide import SHOWN_AS

TOP_PAIRS = 300
ALL = "__all__"

#: Department table columns as people read them (a tooltip explains each: guide.explain).
DEPARTMENT_COLUMNS = {c: SHOWN_AS.get(c, c) for c in (
    "department", "size", "silo", "silo_confidence", "openness", "insularity", "outside_share",
    "ei_index_weighted", "ei_expected_weighted", "links_out", "tribes")}


def carriers(data, group: str, top: int = 3) -> str:
    """A group's links out by name, with their shares of its outside ties (adding up)."""
    table = data.tables.get("links_out")
    rows = table[table["group"] == group] if table is not None else pd.DataFrame()
    if rows.empty:
        return "nobody: no tie leaves it"
    shown = [f"{data.label(r.employee_id)} ({r.share:.0%})" for r in rows.head(top).itertuples()]
    rest = rows.iloc[top:]
    if len(rest):
        shown.append(f"{len(rest)} other{'s' if len(rest) > 1 else ''} ({rest['share'].sum():.0%})")
    return ", ".join(shown)


def silo_sentences(data) -> list:
    """The answer in words: each silo, how closed, and who links it to the rest."""
    deps = data.result.departments
    silos = deps[deps["silo"]]
    median = deps.attrs.get("median_openness")
    if silos.empty:
        note = deps.attrs.get("silo_note")
        return [html.P(note or "No department is far more closed than the others: none is a silo.",
                       className="answer")]
    out: list = [html.P(f"{len(silos)} department{'s are' if len(silos) > 1 else ' is'} far more closed than "
                  "the others — less than half as open as the typical department, by more than "
                  "chance:", className="answer")]
    items = []
    for row in silos.itertuples():
        times = (f"{row.openness / median:.0%} as open as the typical department (openness "
                 f"{row.openness:.2f} against {median:.2f})" if median else "")
        firm = (f"; flagged in {row.silo_confidence:.0%} of reruns on resampled data"
                if pd.notna(getattr(row, "silo_confidence", float("nan"))) else "")
        items.append(html.Li([html.B(row.department), f" ({row.size} people): {times}{firm}. ",
                              "Its links out: ", carriers(data, row.department), "."]))
    out.append(html.Ul(items, id="silo-list"))
    return out


def _names_in(data, text: str) -> str:
    """'id (share%); id (share%)' as names."""
    return re.sub(r"([^;()]+?) \((\d+%)\)", lambda m: f"{data.label(m.group(1).strip())} ({m.group(2)})",
                  str(text or ""))


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    r = data.result
    deps = r.departments.copy()
    deps["links_out"] = [carriers(data, d) for d in deps["department"]]
    deps = deps[[c for c in DEPARTMENT_COLUMNS if c in deps]]
    tribes = r.tribe_table.copy()
    if "bridges" in tribes:
        tribes["bridges"] = tribes["bridges"].map(lambda t: _names_in(data, t))
    tribe_cols = ["label", "size", "departments", "internal_share", "silo", "silo_confidence",
                  "stability", "unstable", "bridges"]
    return page(
        html.H2("Tribes and silos"),
        html.Div(silo_sentences(data), id="silo-summary"),
        html.P(["Every department works mostly with itself; a silo is one far more closed than "
                "the rest. Tribes are the groups people actually work in, found from who works with "
                "whom and named after the departments most of their members come from. ",
                dcc.Link("How to read this", href="/guide")], className="help"),
        html.Div([html.Div(dcc.Graph(figure=data.figures["ei"], id="ei-chart")),
                  html.Div(dcc.Graph(figure=data.figures["tribe_departments"],
                                     id="tribe-dept"))], className="row"),
        html.H3("Departments"),
        grid(deps.rename(columns=DEPARTMENT_COLUMNS), "departments-grid", height=340),
        html.H3("Tribes"),
        grid(tribes[[c for c in tribe_cols if c in tribes]].rename(columns={"label": "tribe"}),
             "tribes-grid", height=300),
        html.H3("Who carries the ties between two departments"),
        html.Div([html.Label("Department"),
                  dcc.Dropdown(id="bridges-department", value=ALL, clearable=False,
                               options=[{"label": "All departments", "value": ALL}]
                               + [{"label": d, "value": d} for d in sorted(r.departments["department"])
                                  if not str(d).startswith("(")])], className="controls"),
        html.Div(_pairs(data, ALL), id="bridges-pairs"),
    )


def _pairs(data, department: str):
    """The pairs of departments, heaviest first, each side's carriers by name (each side's
    shares add up to 100%)."""
    bridges = data.result.bridges
    pairs = bridges[bridges["level"] == "department"] if "level" in bridges else bridges
    if department and department != ALL:
        pairs = pairs[(pairs["group_a"] == department) | (pairs["group_b"] == department)]
    carriers = data.result.bridge_people
    carriers = carriers[carriers["level"] == "department"] if "level" in carriers else carriers
    rows = []
    for row in pairs.head(TOP_PAIRS).itertuples():
        on_pair = carriers[(carriers["group_a"] == row.group_a) & (carriers["group_b"] == row.group_b)]

        def side(group, on_pair=on_pair):
            mine = on_pair[on_pair["group"] == group].head(3)
            return "; ".join(f"{data.label(p)} ({s:.0%})" for p, s in zip(mine["employee_id"], mine["share"]))
        rows.append({"departments": f"{row.group_a} – {row.group_b}", "ties": row.ties,
                     "weight": round(float(row.weight), 1),
                     "carried on the first side": side(row.group_a),
                     "carried on the second side": side(row.group_b)})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return html.P("No ties between these departments.", className="help")
    return grid(frame, "bridges-grid", height=320,
                explain={"carried on the first side": "Members of the first department on these ties, "
                                                      "with their share (adding up to 100%).",
                         "carried on the second side": "The same for the second department."})


@on(Output("bridges-pairs", "children"), Input("bridges-department", "value"),
          prevent_initial_call=True)
def pairs_of(department):
    """The pairs involving one department."""
    return _pairs(dataset(), department)


def register() -> None:
    dash.register_page(__name__, path="/tribes", name="Tribes and silos", title="ona: tribes and silos",
                       layout=layout)
