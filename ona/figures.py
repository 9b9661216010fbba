"""Plotly figures of ona's results, shared by notebooks and the dashboard.

Every function takes result tables (DataFrames) and returns a ``plotly`` Figure; none
draws the whole network of a large organisation: group-level views (departments, tribes)
and ego networks only.

>>> import ona
>>> result = ona.analyze(ona.sample_path("krackhardt"))
>>> fig = department_heatmap(result.department_matrix)
>>> fig.data[0].type
'heatmap'
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import schema as S
from .brief import CLASS_COLOURS
from .talent_review import TIE_CLASSES, TalentReview
from .ties import TieArrays

__all__ = ["department_heatmap", "tribe_map", "tribe_bars", "tribe_department_heatmap", "ei_chart",
           "ego_network", "visibility_parts", "review_matrix", "hidden_talent_scatter"]

_LAYOUT = {"template": "plotly_white", "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}


def _plain(value: object) -> str:
    """Text shown by plotly as text: its labels understand a little HTML (links, bold), so
    a department named ``<a href=...>`` would become a live link.

    >>> _plain("<a href='x'>Sales</a>")
    "&lt;a href='x'&gt;Sales&lt;/a&gt;"
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def department_heatmap(matrix: pd.DataFrame, *,
                       title: str = "Who works with whom: tie weight between departments") -> go.Figure:
    """Department x department tie weight (from :func:`ona.group_matrix`), on a log colour
    scale so small flows between departments stay visible next to the heavy diagonal.

    Parameters
    ----------
    matrix : DataFrame
        A square group x group matrix of tie weight (:func:`ona.group_matrix`).
    title : str, default "Who works with whom: tie weight between departments"
        The figure's title.

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap: colour ``log10(1 + weight)``, the weight itself on hover, every
        group labelled.

    Examples
    --------
    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> department_heatmap(r.department_matrix).data[0].type
    'heatmap'
    """
    values = matrix.to_numpy(dtype=float)
    names = [_plain(c) for c in matrix.columns]
    top = float(np.log10(1 + values.max())) if values.size else 1.0
    ticks = [t for t in (0, 1, 10, 100, 1000, 10000, 100000) if np.log10(1 + t) <= top + 1e-9]
    fig = go.Figure(go.Heatmap(
        z=np.log10(1 + values), x=names, y=[_plain(i) for i in matrix.index],
        customdata=values, colorscale="Blues", showscale=True,
        colorbar={"title": {"text": "how much<br>they work<br>together"},
                  "tickvals": [float(np.log10(1 + t)) for t in ticks], "ticktext": [f"{t:,}" for t in ticks]},
        hovertemplate="%{y} and %{x}: tie weight %{customdata:.1f}<extra></extra>"))
    _every_label(fig, names, len(matrix.index))
    fig.update_layout(title=title, **_LAYOUT)
    fig.update_yaxes(autorange="reversed")
    return fig


def _every_label(fig: go.Figure, names: list[str], rows: int) -> None:
    """Label every category of a heatmap or a dot chart, however many there are: smaller
    text and a taller chart rather than every other label."""
    size = 12 if len(names) <= 15 else 10 if len(names) <= 30 else 8
    fig.update_xaxes(tickmode="array", tickvals=names, ticktext=names, tickfont={"size": size},
                     tickangle=-45 if len(names) > 8 else 0)
    fig.update_yaxes(dtick=1, tickfont={"size": size})
    fig.update_layout(height=max(420, 160 + (size + 6) * rows))


def tribe_map(people_metrics: pd.DataFrame, ties: TieArrays, tribe_table: pd.DataFrame, *,
              min_group_size: int = 5, seed: int = 0) -> go.Figure:
    """Tribes as circles sized by members, joined by the tie weight between them; hover
    shows each tribe's top departments and silo flag. Tribes under ``min_group_size`` are
    left out.

    Parameters
    ----------
    people_metrics : DataFrame
        The people_metrics table with a ``tribe`` column, in the order of the positions in
        ``ties``.
    ties : TieArrays
        The ties that count.
    tribe_table : DataFrame
        The tribe table (:func:`ona.tribe_table`): labels, top departments and silo flags.
    min_group_size : int, default 5
        Tribes with fewer members are not drawn.
    seed : int, default 0
        Seed of the layout (the same seed, the same picture).

    Returns
    -------
    plotly.graph_objects.Figure
        Lines for the tie weight between tribes (in five widths; flows under 2% of the
        largest left out), then one trace of the tribes as circles, silos in red.

    Examples
    --------
    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> fig = tribe_map(r.people_metrics, r.ties, r.tribe_table)
    >>> len(fig.data) > 0
    True
    """
    tribes = people_metrics["tribe"].to_numpy()
    sizes = pd.Series(tribes[tribes > 0]).value_counts()
    shown = sorted(int(t) for t, n in sizes.items() if n >= min_group_size)
    info = tribe_table.assign(_t=pd.to_numeric(tribe_table["tribe"], errors="coerce")).set_index("_t")
    tu, tv = tribes[ties.u], tribes[ties.v]
    keep = np.isin(tu, shown) & np.isin(tv, shown) & (tu != tv)
    flows = pd.DataFrame({"a": np.minimum(tu[keep], tv[keep]), "b": np.maximum(tu[keep], tv[keep]),
                          "w": ties.w[keep]}).groupby(["a", "b"])["w"].sum()
    graph = nx.Graph()
    graph.add_nodes_from(shown)
    for (a, b), w in flows.items():
        graph.add_edge(int(a), int(b), weight=float(w))
    pos = nx.spring_layout(graph, weight="weight", seed=seed) if len(graph) else {}
    fig = go.Figure()
    top = flows.max() if len(flows) else 1.0
    # flows under 2% of the largest are left out; the rest drawn in five widths (one trace each)
    flows = flows[flows >= 0.02 * top]
    bucket = np.minimum((5 * flows / top).astype(int), 4) if len(flows) else flows
    for level in range(5):
        xs_, ys_ = [], []
        for (a, b) in flows.index[np.asarray(bucket) == level]:
            (x0, y0), (x1, y1) = pos[int(a)], pos[int(b)]
            xs_ += [x0, x1, None]
            ys_ += [y0, y1, None]
        if xs_:
            fig.add_trace(go.Scatter(x=xs_, y=ys_, mode="lines", hoverinfo="skip", showlegend=False,
                                     line={"width": 0.7 + 1.5 * level, "color": "rgba(120,120,120,0.5)"}))
    xs = [pos[t][0] for t in shown]
    ys = [pos[t][1] for t in shown]
    text, colour = [], []
    for t in shown:
        row = info.loc[t] if t in info.index else None
        silo = bool(row["silo"]) if row is not None else False
        depts = row["top_departments"] if row is not None else ""
        name = row["label"] if row is not None and "label" in row.index and row["label"] else f"Tribe {t}"
        text.append(f"Tribe {t}, {name}: {sizes[t]} people<br>{depts}" + ("<br><b>silo</b>" if silo else ""))
        colour.append("#b2182b" if silo else "#2166ac")
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=[str(t) for t in shown],
                             hovertext=[_plain(t) for t in text], hoverinfo="text", textposition="middle center",
                             textfont={"color": "white"},
                             marker={"size": [12 + 4 * math.sqrt(sizes[t]) for t in shown],
                                     "color": colour, "line": {"width": 1, "color": "white"}},
                             showlegend=False))
    any_silo = "#b2182b" in colour
    fig.update_layout(title="Tribes and the ties between them" + (" (red: a tribe that is a silo)" if any_silo else ""),
                      **_LAYOUT)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def tribe_department_heatmap(crosstab: pd.DataFrame) -> go.Figure:
    """Tribe x department head counts (from :func:`ona.tribe_department_table`).

    Parameters
    ----------
    crosstab : DataFrame
        Head counts, tribes as rows and departments as columns
        (:func:`ona.tribe_department_table`).

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap, with the counts written in the cells up to 400 cells.

    Examples
    --------
    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> int(tribe_department_heatmap(r.tribe_departments).data[0].z.sum()) <= len(r.people_metrics)
    True
    """
    labelled = crosstab.size <= 400  # numbers in the cells only while they stay legible
    fig = go.Figure(go.Heatmap(z=crosstab.to_numpy(), x=[_plain(c) for c in crosstab.columns],
                               y=[f"tribe {i}" if str(i).isdigit() else str(i) for i in crosstab.index],
                               colorscale="Greens", text=crosstab.to_numpy() if labelled else None,
                               texttemplate="%{text}" if labelled else None,
                               hovertemplate="%{y}, %{x}: %{z} people<extra></extra>", showscale=False))
    fig.update_layout(title="Tribes against departments (people)", **_LAYOUT)
    fig.update_yaxes(autorange="reversed")
    return fig


def ei_chart(departments: pd.DataFrame) -> go.Figure:
    """Each department's weighted E-I index against the E-I it would have if ties ignored
    department lines; silos in red.

    Parameters
    ----------
    departments : DataFrame
        The department table (:func:`ona.department_table`): ``department``,
        ``ei_index_weighted``, ``ei_expected_weighted`` and ``silo``.

    Returns
    -------
    plotly.graph_objects.Figure
        Two traces, the expected E-I and the observed one, one row per department with a
        weighted E-I.

    Examples
    --------
    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> [t.name for t in ei_chart(r.departments).data]
    ['if ties ignored departments', 'observed (red: silo)']
    """
    table = departments[departments["ei_index_weighted"].notna()]
    colour = np.where(table["silo"], "#b2182b", "#2166ac")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=table["ei_expected_weighted"], y=[_plain(d) for d in table["department"]],
                             mode="markers",
                             marker={"symbol": "line-ns-open", "size": 14, "color": "#777"},
                             name="if ties ignored departments"))
    fig.add_trace(go.Scatter(x=table["ei_index_weighted"], y=[_plain(d) for d in table["department"]], mode="markers",
                             marker={"size": 11, "color": colour}, name="observed (red: silo)",
                             hovertemplate="%{y}: E-I %{x:.2f}<extra></extra>"))
    size = 12 if len(table) <= 15 else 10 if len(table) <= 30 else 8
    fig.update_layout(title="E-I index: -1 all ties inside the department, +1 all outside",
                      xaxis={"range": [-1.05, 1.05], "title": "E-I index (weighted)"},
                      height=max(420, 140 + (size + 8) * len(table)), legend={"orientation": "h", "y": -0.15},
                      **_LAYOUT)
    fig.update_yaxes(autorange="reversed", dtick=1, tickfont={"size": size})
    return fig


def tribe_bars(tribe_table: pd.DataFrame, *, top: int = 40) -> go.Figure:
    """Tribes, largest first, named after their departments; silos in red; hover for the
    departments and how stable the tribe is. Readable with any number of tribes.

    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> tribe_bars(r.tribe_table).data[0].orientation
    'h'
    """
    table = tribe_table[tribe_table["tribe"].map(lambda t: str(t).isdigit())].head(top)
    labels = [_plain(x) for x in (table["label"] if "label" in table else table["tribe"].astype(str))]
    colour = np.where(table["silo"].fillna(False).astype(bool), "#b2182b", "#2166ac")
    hover = [_plain(f"{d}; stability {s:.2f}" if pd.notna(s) else d)
             for d, s in zip(table["top_departments"], table.get("stability", pd.Series(np.nan, index=table.index)))]
    fig = go.Figure(go.Bar(x=table["size"], y=labels, orientation="h", marker_color=colour,
                           customdata=hover, hovertemplate="%{y}: %{x} people<br>%{customdata}<extra></extra>"))
    rest = len(tribe_table) - len(table)
    fig.update_layout(title="Tribes, largest first (red: a silo)" + (f"; {rest} smaller not shown" if rest > 0 else ""),
                      xaxis_title="people", height=max(380, 120 + 22 * len(table)), **_LAYOUT)
    fig.update_yaxes(autorange="reversed", dtick=1)
    return fig


def ego_network(person: str, people_metrics: pd.DataFrame, ties: TieArrays, *,
                leaders: set[str] | None = None, max_people: int = 40,
                labels: dict[str, str] | None = None) -> go.Figure:
    """The person and the people they are tied to (their strongest ``max_people``), with
    the ties among those people; colour = department, diamonds = senior leaders. Each dot
    carries the person's id in ``customdata`` (a click opens them).

    Parameters
    ----------
    person : str
        The person's employee_id.
    people_metrics : DataFrame
        The people_metrics table (indexed by employee_id, in the order of the positions in
        ``ties``); its ``department`` and ``name`` columns are used when present.
    ties : TieArrays
        The ties that count.
    leaders : set of str, optional
        Employee ids drawn as diamonds (the senior leaders).
    max_people : int, default 40
        The most people drawn around the person, strongest ties first.
    labels : dict of str to str, optional
        The label shown for each id on hover (default: the name, or the id).

    Returns
    -------
    plotly.graph_objects.Figure
        One trace of ties, then one trace of people per department.

    Examples
    --------
    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> person = r.people_metrics["degree"].idxmax()
    >>> fig = ego_network(person, r.people_metrics, r.ties, max_people=10)
    >>> sum(len(t.x) for t in fig.data if t.mode == "markers") <= 11
    True
    """
    ids = people_metrics.index.astype(str)
    where = ids.get_indexer([person])[0]
    mask = (ties.u == where) | (ties.v == where)
    other = np.where(ties.u[mask] == where, ties.v[mask], ties.u[mask])
    order = np.argsort(-ties.w[mask], kind="stable")[:max_people]
    chosen = other[order]
    weights = ties.w[mask][order]
    graph = nx.Graph()
    graph.add_node(where)
    for o, w in zip(chosen, weights):
        graph.add_edge(where, int(o), weight=float(w))
    inner = np.isin(ties.u, chosen) & np.isin(ties.v, chosen)
    for a, b, w in zip(ties.u[inner], ties.v[inner], ties.w[inner]):
        graph.add_edge(int(a), int(b), weight=float(w))
    pos = nx.spring_layout(graph, seed=1, weight=None)
    pos[where] = np.array([0.0, 0.0])
    fig = go.Figure()
    ex, ey = [], []
    for a, b in graph.edges():
        ex += [pos[a][0], pos[b][0], None]
        ey += [pos[a][1], pos[b][1], None]
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", line={"width": 0.7, "color": "#bbb"},
                             hoverinfo="skip", showlegend=False))
    leaders = leaders or set()
    dept = (people_metrics[S.DEPARTMENT].astype(str) if S.DEPARTMENT in people_metrics
            else pd.Series("", index=people_metrics.index))
    names = people_metrics[S.NAME].astype(str) if S.NAME in people_metrics else None
    nodes = [where, *[int(o) for o in chosen]]
    for department in sorted({dept.iloc[n] for n in nodes}):
        group = [n for n in nodes if dept.iloc[n] == department]
        label = [(labels.get(ids[n], ids[n]) if labels else names.iloc[n] if names is not None else ids[n])
                 for n in group]
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in group], y=[pos[n][1] for n in group], mode="markers",
            name=_plain(department), hovertext=[_plain(f"{lab}, {department}") for lab in label],
            hoverinfo="text", customdata=[ids[n] for n in group],
            marker={"size": [26 if n == where else 13 for n in group],
                    "symbol": ["diamond" if ids[n] in leaders else "circle" for n in group],
                    "line": {"width": [3 if n == where else 1 for n in group], "color": "#222"}}))
    fig.update_layout(title=f"Who they work with: the strongest {len(chosen)} of {len(other)} "
                            "(diamond: senior leader; click a dot to open the person)",
                      **_LAYOUT)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


#: The parts of visibility as people read them, and the columns that count them.
VISIBILITY_READING = {
    "people outside their team they work with": "outside_team_ties",
    "of them in other departments": "cross_department_ties",
    "senior leaders they work with": "leader_ties",
    "senior leaders one close colleague away": "leader_reach",
    "people outside their team who name them": "recognition_outside_team",
}


def visibility_parts(row: pd.Series, people_metrics: pd.DataFrame | None = None) -> go.Figure:
    """What one person's visibility is made of, beside the organisation's typical person and
    its most visible quarter (docs/metrics.md): counts of people, so every bar reads alone.

    Parameters
    ----------
    row : Series
        The person's row of the people_metrics table.
    people_metrics : DataFrame, optional
        The whole table; adds the median and the 75th percentile of each part.

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal bars of the five parts: one trace for the person, and two more with
        ``people_metrics``.

    Examples
    --------
    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> fig = visibility_parts(r.people_metrics.iloc[0], r.people_metrics)
    >>> len(fig.data), len(fig.data[0].y)
    (3, 5)
    """
    def value(table_or_row, column, how=None):
        if how is None:
            v = table_or_row.get(column, 0)
            if column == "leader_reach":
                v = v - table_or_row.get("leader_ties", 0)
            return float(v) if pd.notna(v) else 0.0
        values = table_or_row[column] - (table_or_row["leader_ties"] if column == "leader_reach" else 0)
        return float(values.quantile(how))

    labels = list(VISIBILITY_READING)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[value(row, c) for c in VISIBILITY_READING.values()], y=labels,
                         orientation="h", name="this person", marker_color="#2166ac"))
    if people_metrics is not None:
        for how, name, colour in ((0.5, "typical person (median)", "#bbbbbb"),
                                  (0.75, "most visible quarter starts at", "#777777")):
            fig.add_trace(go.Bar(x=[value(people_metrics, c, how) for c in VISIBILITY_READING.values()],
                                 y=labels, orientation="h", name=name, marker_color=colour))
    fig.update_layout(title=f"Visibility {row.get('visibility', float('nan')):.0f} of 100: what it is made of",
                      xaxis_title="people", barmode="group", legend={"orientation": "h", "y": -0.2},
                      **_LAYOUT)
    fig.update_yaxes(autorange="reversed")
    return fig


def review_matrix(review: TalentReview, labels: dict[str, str] | None = None) -> go.Figure:
    """The panel x candidate matrix coloured by tie class. Panel members who did not answer
    the survey are marked in their column and cells: their advocacy is unknown.

    Parameters
    ----------
    review : TalentReview
        The review (:func:`ona.talent_review`).
    labels : dict of str to str, optional
        The label shown for each id (default: the id).

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap, candidates as rows and panel members as columns, with each cell's
        evidence on hover.

    Examples
    --------
    >>> import ona
    >>> acme = ona.sample_path("acme")
    >>> review = ona.review(acme, acme / "panel.csv", acme / "slate.csv").review
    >>> review_matrix(review).data[0].z.shape == review.matrix.shape
    True
    """
    labels = labels or {}
    classes = [*TIE_CLASSES, "self"]
    codes = review.matrix.replace({c: i for i, c in enumerate(classes)}).to_numpy(dtype=float)
    n = len(classes)
    scale = []
    for i, c in enumerate(classes):
        scale += [[i / n, CLASS_COLOURS[c][0]], [(i + 1) / n, CLASS_COLOURS[c][0]]]
    panel = review.panel
    silent = (set(panel.loc[panel["answered_survey"].eq(False).fillna(False).astype(bool), "panel_id"])
              if "answered_survey" in panel else set())
    text = review.matrix.astype(str).copy()
    for p in silent:
        text[p] = text[p] + " (no survey answer)"
    # the evidence behind each cell, for the hover
    evidence = pd.DataFrame("", index=review.matrix.index, columns=review.matrix.columns, dtype=object)
    for row in review.ties.itertuples():
        bits = []
        if row.declared:
            bits.append(f"said in the survey: {row.declared}")
        if row.events:
            channels = f" by {row.channels}" if row.channels else ""
            bits.append(f"{row.events:.0f} interactions{channels}")
        if pd.notna(row.last_contact):
            bits.append(f"last contact {pd.Timestamp(row.last_contact):%Y-%m-%d}")
        evidence.at[row.candidate_id, row.panel_id] = _plain("; ".join(bits) or "no contact in the data")
    fig = go.Figure(go.Heatmap(
        z=codes, zmin=0, zmax=n, colorscale=scale, showscale=False,
        x=[_plain(labels.get(p, p)) + ("<br>did not answer the survey" if p in silent else "")
           for p in review.matrix.columns],
        y=[_plain(labels.get(c, c)) for c in review.matrix.index],
        text=text.to_numpy(), texttemplate="%{text}", customdata=evidence.to_numpy(),
        hovertemplate="%{y} and %{x}: %{text}<br>%{customdata}<extra></extra>", xgap=2, ygap=2))
    fig.update_layout(title="Panel (columns) × candidates (rows)", height=max(300, 60 + 28 * len(review.matrix)),
                      **_LAYOUT)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    return fig


def hidden_talent_scatter(people_metrics: pd.DataFrame, hidden: pd.DataFrame,
                          labels: dict[str, str] | None = None) -> go.Figure:
    """Performance against visibility; the hidden high performers highlighted, each with
    their name and reason on hover and their id in ``customdata`` (for a click to open them).

    Parameters
    ----------
    people_metrics : DataFrame
        The people_metrics table, with ``performance`` and ``visibility``.
    hidden : DataFrame
        The hidden talent list (:func:`ona.hidden_talent`), with ``employee_id`` and
        ``reason``.
    labels : dict of str to str, optional
        The name shown for each id (default: the ``name`` column, or the id).

    Returns
    -------
    plotly.graph_objects.Figure
        Two traces, everyone and the hidden high performers; without performance ratings,
        an empty figure whose title says so.

    Examples
    --------
    >>> import ona
    >>> r = ona.analyze(ona.sample_path("acme"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> fig = hidden_talent_scatter(r.people_metrics, r.hidden_talent)
    >>> len(fig.data[1].x) == len(r.hidden_talent)
    True
    """
    if S.PERFORMANCE not in people_metrics or people_metrics[S.PERFORMANCE].isna().all():
        fig = go.Figure()
        fig.update_layout(title="No performance ratings in the people file", **_LAYOUT)
        return fig
    table = people_metrics[[S.PERFORMANCE, "visibility"]].dropna()
    rng = np.random.default_rng(0)
    jitter = rng.uniform(-0.15, 0.15, size=len(table))
    reasons = (dict(zip(hidden[S.EMPLOYEE_ID].astype(str), hidden["reason"]))
               if not hidden.empty and "reason" in hidden else {})
    is_hidden = table.index.astype(str).isin(set(reasons))
    if labels is None:
        labels = (dict(zip(people_metrics.index.astype(str), people_metrics[S.NAME].astype(str)))
                  if S.NAME in people_metrics else {})
    fig = go.Figure()
    for flag, colour, label in ((False, "rgba(120,120,120,0.35)", "everyone"),
                                (True, "#b2182b", "hidden high performers")):
        sel = is_hidden == flag
        ids = table.index[sel].astype(str)
        # only the listed people carry names; the crowd is drawn without (lighter, and private)
        kind = go.Scattergl if (not flag and sel.sum() > 2000) else go.Scatter  # WebGL for a crowd
        fig.add_trace(kind(x=table["visibility"][sel].round(1),
                           y=(table[S.PERFORMANCE][sel] + jitter[sel]).round(2),
                           mode="markers", name=label, marker={"color": colour, "size": 10 if flag else 6},
                           customdata=list(ids) if flag else None,
                           hovertext=[_plain(f"{labels.get(i, i)}: {reasons[i]}") for i in ids] if flag else None,
                           hoverinfo="text" if flag else "skip"))
    fig.update_layout(title="Performance against visibility (click a red dot to open the person)",
                      xaxis_title="visibility: share of the organisation less visible (0-100)",
                      yaxis_title="performance rating", hoverlabel={"align": "left"}, **_LAYOUT)
    return fig
