"""Helpers shared by the dashboard pages: the current dataset, messages, tables."""

from __future__ import annotations

import dash_ag_grid as dag
import flask
import pandas as pd
from dash import html

from ..outputs import neutralize
from .store import Dataset, get_dataset

__all__ = ["on", "attach_callbacks", "dataset", "problem", "grid", "card", "page", "header"]


_CALLBACKS: list[tuple[tuple, dict, object]] = []


def on(*args, **kwargs):
    """Declare a page callback, as :func:`dash.callback` would, for every app
    :func:`ona.dashboard.create_app` makes: ``dash.callback`` hands its callbacks to the
    first app only, so a second app in the same process (a notebook, the tests) would
    show pages whose buttons do nothing."""
    def keep(function):
        _CALLBACKS.append((args, kwargs, function))
        return function
    return keep


def attach_callbacks(app) -> None:
    """Register every page callback declared with :func:`on` on ``app``."""
    for args, kwargs, function in _CALLBACKS:
        app.callback(*args, **kwargs)(function)


def dataset() -> Dataset:
    """The dataset this app serves (read-only, analysed once)."""
    return get_dataset(flask.current_app.config["ONA_DATASET"])


def problem(message: str) -> html.Div:
    """A readable error in the page."""
    return html.Div([html.H3("This data cannot be shown"), html.P(message),
                     html.P("Fix the file named above and restart the dashboard.")],
                    className="problem", id="problem")


def card(label: str, value: object, note: str = "") -> html.Div:
    return html.Div([html.Div(str(value), className="card-value"), html.Div(label, className="card-label"),
                     html.Div(note, className="card-note")], className="card")


def header(column: str) -> str:
    """A column name as people read it: ``ei_index_weighted`` -> ``ei index weighted``."""
    return str(column).replace("_", " ")


def grid(frame: pd.DataFrame, grid_id: str, *, height: int = 420, explain: dict | None = None,
         digits: int = 2, **kwargs) -> dag.AgGrid:
    """An AG Grid of ``frame``: sortable, filterable, resizable columns with readable headers
    (wrapped, never cut), a plain explanation on hovering a header, numbers rounded for
    people. Text that a spreadsheet would run is made inert (its CSV export opens in one)."""
    from .pages.guide import explain as plain
    extra = explain or {}
    frame = neutralize(frame)
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].round(digits)
        elif not pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].astype("string").fillna("")
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    columns = []
    for c in frame.columns:
        spec: dict[str, object] = {"field": str(c), "headerName": header(c)}
        tip = extra.get(str(c)) or plain(str(c))
        if tip:
            spec["headerTooltip"] = tip
        columns.append(spec)
    if columns:  # the first column (who or which group) stays in view when scrolling sideways
        columns[0].update(pinned="left", minWidth=170)
    return dag.AgGrid(
        id=grid_id, rowData=records, columnDefs=columns,
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 120,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        # widths from the cells on screen (AG Grid measures only the rendered rows)
        columnSize="autoSize",
        dashGridOptions={"animateRows": False, "pagination": len(frame) > 200, "paginationPageSize": 100,
                         "tooltipShowDelay": 200},
        style={"height": f"{height}px", "width": "100%"}, className="ag-theme-alpine", **kwargs)


def page(*children) -> html.Div:
    """A page body, or the data problem instead when the dataset could not be analysed."""
    data = dataset()
    if data.error:
        return problem(data.error)
    return html.Div(list(children), className="page")
