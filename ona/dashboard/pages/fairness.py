"""Is access fair? Groups of one attribute compared at the same level and department."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, dcc, html

from ... import schema as S
from ...fairness import EVERYONE, OUTCOMES, FairnessSettings, fairness
from ..common import dataset, grid, on, page

#: people columns that are never offered as a group to compare (ids, names, strata, ratings)
NOT_GROUPS = {S.EMPLOYEE_ID, S.NAME, S.MANAGER_ID, S.DEPARTMENT, S.TEAM, S.TITLE, S.LEVEL, S.HIRE_DATE,
              S.PERFORMANCE, "survey_response", "email"}
MAX_GROUPS = 20


def attributes(data) -> list[str]:
    """The people-file columns that hold a handful of groups (2 to 20 values)."""
    people = data.analysed.network.people
    out = []
    for column in people.columns:
        if str(column) in NOT_GROUPS or str(column).endswith("_id"):
            continue
        values = people[column].dropna().astype(str).str.strip()
        if 2 <= values[values != ""].nunique() <= MAX_GROUPS:
            out.append(str(column))
    return out


def results(data, attribute: str) -> pd.DataFrame:
    """The comparisons for one attribute (computed once per attribute, then kept)."""
    cache = data.tables.setdefault("fairness", {})
    if attribute not in cache:
        settings = FairnessSettings(min_group_size=data.key.min_group_size)
        cache[attribute] = fairness(data.analysed, [attribute], settings=settings)
    return cache[attribute]


def summary(table: pd.DataFrame) -> list:
    """The answer in words: each finding, or that there is none."""
    if table.empty:
        return [html.P("There is nothing to compare: every group is under the minimum group size.",
                       className="answer")]
    found = table[table["finding"]]
    tested = int(table["p_value"].notna().sum())
    if found.empty:
        return [html.P(f"No difference beyond chance: {tested} comparisons of like with like "
                       "(same level, same department) found none that chance would not explain.",
                       className="answer")]
    return [html.P(f"{len(found)} of {tested} comparisons show a difference that chance is unlikely "
                   "to explain:", className="answer"),
            html.Ul([html.Li(s) for s in found["sentence"]], id="fairness-findings")]


def chart(table: pd.DataFrame):
    """Each group's difference like for like on every measure, as a share of the reference
    group's average, with its 95% interval (everyone; findings in red)."""
    import plotly.graph_objects as go
    rows = table[(table["population"] == EVERYONE) & table["adjusted_difference"].notna()
                 & (table["reference_mean"].abs() > 1e-9)].copy()
    fig = go.Figure()
    for group, part in rows.groupby("group", sort=True):
        scale = part["reference_mean"].abs()
        names = [OUTCOMES[o][2] for o in part["outcome"]]
        fig.add_trace(go.Scatter(
            x=part["adjusted_difference"] / scale, y=names, mode="markers", name=str(group),
            marker={"size": 10, "color": ["#c0392b" if f else "#34495e" for f in part["finding"]]},
            error_x={"type": "data", "symmetric": False,
                     "array": (part["ci_high"] - part["adjusted_difference"]) / scale,
                     "arrayminus": (part["adjusted_difference"] - part["ci_low"]) / scale},
            hovertemplate=f"{group}: %{{x:+.0%}} on %{{y}}<extra></extra>"))
    fig.add_vline(x=0, line_color="#888")
    fig.update_layout(title="Difference at the same level and department, as a share of the reference "
                            "group's average (bars: 95% interval; red: unlikely to be chance)",
                      xaxis={"tickformat": "+.0%"}, height=120 + 40 * len(OUTCOMES), margin={"l": 220},
                      legend_title_text="group")
    return fig


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The comparisons as people read them: findings first, then the closest calls."""
    table = table.assign(_order=~table["finding"]).sort_values(["_order", "p_value"], kind="stable")
    return pd.DataFrame({
        "group": table["group"], "compared with": table["reference"], "among": table["population"],
        "measure": [OUTCOMES[o][2] for o in table["outcome"]],
        "verdict": [_verdict(f, p) for f, p in zip(table["finding"], table["p_value"])],
        "difference like for like": table["adjusted_difference"],
        "95% interval": [f"between {a:+.2f} and {b:+.2f}" if pd.notna(a) else "" for a, b in
                         zip(table["ci_low"], table["ci_high"])],
        "difference before adjusting": table["raw_difference"],
        "people compared": table["people_group"].astype("Int64"),
        "left out (small cells)": table["left_out"].astype("Int64")})


def _verdict(finding: bool, p: float) -> str:
    if finding:
        return "unlikely to be chance"
    return "too few to compare" if pd.isna(p) else "no difference beyond chance"


EXPLAIN = {
    "difference like for like": "The group's average minus the reference group's, among people at the same "
                                "level in the same department (weighted over those cells).",
    "difference before adjusting": "The plain difference of the two groups' averages, before comparing like "
                                   "with like: a group at lower levels differs here even when treated the same.",
    "95% interval": "The range the difference like for like would fall in 95 times in 100 if the data "
                    "were gathered again.",
    "left out (small cells)": "People in a group too small at their level and department to show; they are "
                              "left out of the comparison to protect them.",
    "verdict": "Whether the difference is larger than chance explains, after allowing for the number of "
               "comparisons made.",
}


def body(data, attribute: str | None) -> list:
    if attribute is not None and attribute not in attributes(data):  # only the columns offered are read
        attribute = None
    if not attribute:
        return [html.P("The people file has no column holding a few groups (such as location or gender) "
                       "to compare.", className="answer")]
    table = results(data, attribute)
    return summary(table) + [
        html.Div(dcc.Graph(figure=chart(table), id="fairness-chart")),
        grid(shown(table), "fairness-grid", height=380, explain=EXPLAIN),
        html.P(f"{len(table.attrs.get('attributes', []))} attribute read: {attribute}. Only the column chosen "
               f"is read. Cells (a group at one level in one department) under "
               f"{table.attrs.get('min_group_size')} people are left out; results are about groups, never "
               f"about one person. Holm's correction over the {table.attrs.get('comparisons', 0)} comparisons "
               f"keeps the chance of any false finding at {table.attrs.get('alpha', 0.05):.0%}.",
               className="help", id="fairness-privacy"),
    ]


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    offered = attributes(data)
    first = "location" if "location" in offered else (offered[0] if offered else None)
    return page(
        html.H2("Is access fair?"),
        html.P(["Do people in one group get the same access to senior leaders, the same ties outside "
                "their team and the same advocates as their peers at the same level in the same "
                "department? A gap here is a signal to look into, not a verdict on anyone. ",
                dcc.Link("How to read this", href="/guide")], className="help"),
        html.Div([html.Div([html.Label("Compare groups by"),
                            dcc.Dropdown(id="fairness-attribute", value=first, clearable=False,
                                         options=[{"label": a.replace("_", " "), "value": a} for a in offered])])],
                 className="controls"),
        dcc.Loading(html.Div(body(data, first), id="fairness-body")),
    )


@on(Output("fairness-body", "children"), Input("fairness-attribute", "value"), prevent_initial_call=True)
def choose(attribute):
    """The comparisons for the attribute chosen."""
    return body(dataset(), attribute)


def register() -> None:
    dash.register_page(__name__, path="/fairness", name="Is access fair?", title="ona: is access fair?",
                       layout=layout)
