"""Hand results on: one Excel workbook with every table, and the network for Gephi.

- :func:`write_workbook`: one sheet per table (people metrics, hidden talent, tribes,
  departments, the department matrix, tribe x department, bridges, data quality and,
  when given, the talent review), plus an ``About`` sheet with the run's facts. Header
  rows are frozen and columns sized to fit.
- :func:`network_graph` / :func:`write_graph`: the measured network (the ties that count,
  weights summed over the layers used) as GEXF or GraphML, every person a node with their
  department, team, level, tribe and measures, so Gephi can colour and size by them as
  is. Missing values are left out of a node rather than written as empty text.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .outputs import neutralize

if TYPE_CHECKING:
    from .pipeline import AnalysisResult
    from .talent_review import TalentReview

__all__ = ["styled_sheet", "write_workbook", "network_graph", "write_graph", "GRAPH_FORMATS"]

GRAPH_FORMATS = ("gexf", "graphml")
#: node attributes carried to Gephi (those present)
NODE_COLUMNS = (S.NAME, S.DEPARTMENT, S.TEAM, S.TITLE, S.LEVEL, S.LOCATION, "tribe", "role",
                "degree", "strength", "betweenness", "harmonic", "eigenvector", "pagerank",
                "constraint", "cross_department_ties", "leader_reach", "visibility")


def write_workbook(result: AnalysisResult, path: str | Path, *,
                   review: TalentReview | None = None) -> Path:
    """Every table of an analysis (and of a talent review) in one ``.xlsx`` workbook.

    Parameters
    ----------
    result : AnalysisResult
        The analysis (:func:`ona.analyze`).
    path : str or Path
        The workbook's file; another ending is replaced by ``.xlsx``, and missing folders
        are made.
    review : TalentReview, optional
        A talent review whose tables are added as sheets.

    Returns
    -------
    Path
        The workbook written: an ``About`` sheet, then one sheet per table.

    Examples
    --------
    >>> import ona, tempfile, openpyxl, pathlib
    >>> result = ona.analyze(ona.sample_path("krackhardt"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> path = ona.write_workbook(result, pathlib.Path(tempfile.mkdtemp()) / "results.xlsx")
    >>> openpyxl.load_workbook(path).sheetnames[:3]
    ['About', 'People', 'Hidden talent']
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    sheets: list[tuple[str, pd.DataFrame, bool]] = [
        ("About", _about(result), False),
        ("People", result.people_metrics.reset_index(), False),
        ("Hidden talent", result.hidden_talent, False),
        ("Tribes", result.tribe_table, False),
        ("Departments", result.departments, False),
        ("Department matrix", result.department_matrix, True),
        ("Tribe x department", result.tribe_departments, True),
        ("Bridges", result.bridges, False),
        ("Bridge people", result.bridge_people, False),
        ("Tribe x department shares", result.tribe_department_shares, False),
        ("Data quality", result.network.quality.drops_frame(), False),
    ]
    if review is not None:
        sheets += [("Review candidates", review.candidates, False),
                   ("Review matrix", review.matrix, True),
                   ("Review panel", review.panel, False),
                   ("Review ties", review.ties, False),
                   ("Introductions", review.introductions, False)]
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame, index in sheets:
            styled_sheet(writer, frame, name, index=index)
    return path


#: Columns that say who a row is, put first in a sheet for people.
_WHO = (S.EMPLOYEE_ID, S.NAME, "person", "candidate_id", "candidate", "panel_id", S.TITLE,
        S.DEPARTMENT, S.TEAM)


def styled_sheet(writer: pd.ExcelWriter, frame: pd.DataFrame, name: str, *, index: bool = False,
                 digits: int = 2) -> None:
    """One sheet for people to read: who first (id, name, title, department), headers with
    spaces, numbers rounded to ``digits``, the header row frozen, columns sized, and text a
    spreadsheet would run made inert.

    >>> import tempfile, pathlib, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> with pd.ExcelWriter(path, engine="openpyxl") as w:
    ...     styled_sheet(w, pd.DataFrame({"score_x": [1.23456], "name": ["Ana"]}), "S")
    >>> [c.value for c in openpyxl.load_workbook(path)["S"][1]], openpyxl.load_workbook(path)["S"]["B2"].value
    (['name', 'score x'], 1.23)
    """
    frame = _excel_safe(frame)
    first = [c for c in _WHO if c in frame.columns]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    numbers = frame.select_dtypes("float").columns
    frame[numbers] = frame[numbers].round(digits)
    frame = frame.rename(columns=lambda c: str(c).replace("_", " "))
    neutralize(frame).to_excel(writer, sheet_name=name[:31], index=index)
    sheet = writer.sheets[name[:31]]
    sheet.freeze_panes = "B2" if index else "A2"
    for column in sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 200)):
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))


def _excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel has no time zones and no lists: convert both."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            frame[column] = values.dt.tz_localize(None)
        elif values.dtype == object and values.map(lambda v: isinstance(v, (list, tuple, set))).any():
            frame[column] = values.map(lambda v: "; ".join(map(str, v))
                                       if isinstance(v, (list, tuple, set)) else v)
    return frame


def _about(result: AnalysisResult) -> pd.DataFrame:
    net = result.network
    attrs = result.people_metrics.attrs
    tribes = attrs.get("tribes", {})
    rows = [("people", len(net.people)),
            ("pseudonymised", bool(net.pseudonymized)),
            ("layers measured", ", ".join(result.layers)),
            ("tie rule", attrs.get("tie_rule_text", "")),
            ("pairs tied", attrs.get("ties")),
            ("betweenness", attrs.get("betweenness")),
            ("senior leaders", attrs.get("senior_leaders")),
            ("tribes", tribes.get("tribes")),
            ("tribe method", tribes.get("method")),
            ("modularity", tribes.get("modularity")),
            ("NMI tribes vs departments", result.agreement.get("nmi")),
            ("adjusted Rand tribes vs departments", result.agreement.get("adjusted_rand"))]
    s = net.interactions
    if s is not None:
        rows += [("events read", s.events_read), ("events used", s.events_used),
                 ("first event", str(s.first_event)), ("last event", str(s.last_event))]
    return pd.DataFrame(rows, columns=["fact", "value"]).astype({"value": str})


def network_graph(result: AnalysisResult) -> nx.Graph:
    """The measured network as an undirected networkx graph: ``weight`` on every edge (the
    layers used, summed), every person a node with the attributes in ``NODE_COLUMNS``
    (missing values left out).

    Parameters
    ----------
    result : AnalysisResult
        The analysis (:func:`ona.analyze`).

    Returns
    -------
    networkx.Graph
        Nodes: every person's employee_id as text, in the people list's order; edges: the
        ties that count (none when the result has no tie arrays).

    Examples
    --------
    >>> import ona
    >>> result = ona.analyze(ona.sample_path("krackhardt"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> g = network_graph(result)
    >>> g.number_of_nodes(), sorted(g.nodes["1"])[:3]
    (21, ['betweenness', 'constraint', 'cross_department_ties'])
    """
    table = result.people_metrics
    ids = result.network.people.index.astype(str)
    graph = nx.Graph()
    columns = [c for c in NODE_COLUMNS if c in table.columns]
    for person, row in zip(ids, table[columns].itertuples(index=False)):
        graph.add_node(person, **{c: _plain(v) for c, v in zip(columns, row) if _present(v)})
    if result.ties is not None:
        t = result.ties
        names = ids.to_numpy()
        graph.add_weighted_edges_from(zip(names[t.u], names[t.v], t.w.astype(float).tolist()))
    return graph


def write_graph(result: AnalysisResult, path: str | Path, fmt: str | None = None) -> Path:
    """Write the network for Gephi as GEXF or GraphML (by ``fmt`` or the file ending).

    Parameters
    ----------
    result : AnalysisResult
        The analysis (:func:`ona.analyze`).
    path : str or Path
        The file; its ending is set to the format, and missing folders are made.
    fmt : {"gexf", "graphml"}, optional
        The format (default: the file's ending).

    Returns
    -------
    Path
        The file written (the graph of :func:`network_graph`).

    Examples
    --------
    >>> import ona, tempfile, pathlib, networkx as nx
    >>> result = ona.analyze(ona.sample_path("krackhardt"), tribes=ona.TribeSettings(stability_seeds=0))
    >>> path = write_graph(result, pathlib.Path(tempfile.mkdtemp()) / "network.gexf")
    >>> nx.read_gexf(path).number_of_nodes()
    21
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in GRAPH_FORMATS:
        raise ConfigError(f"graph format must be one of {', '.join(GRAPH_FORMATS)}, got {fmt!r}")
    path = path.with_suffix("." + fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    graph = network_graph(result)
    if fmt == "gexf":
        nx.write_gexf(graph, path)
    else:
        nx.write_graphml(graph, path)
    return path


def _present(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return str(value) != ""


def _plain(value):
    """Python scalars only: the GEXF and GraphML writers know bool, int, float and str."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return str(value)
