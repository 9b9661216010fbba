"""The ona dashboard: a multi-page Dash app over one analysed dataset.

>>> import ona
>>> from ona.dashboard import create_app
>>> app = create_app(ona.sample_path("krackhardt"))
>>> sorted(p["path"] for p in __import__("dash").page_registry.values())[:3]
['/', '/fairness', '/guide']
"""

from __future__ import annotations

import logging
from pathlib import Path

import dash
from dash import dcc, html

from ..groups import MIN_GROUP_SIZE
from .auth import SESSION_HOURS, install_login, load_users
from .common import attach_callbacks
from .store import DatasetKey, get_dataset

__all__ = ["create_app", "MAX_REQUEST"]

#: The largest request the server reads: an upload of 5 MB, base64-encoded, and its callback.
MAX_REQUEST = 8 * 1024 * 1024

_ASSETS = Path(__file__).resolve().parent / "assets"
NAV = [("Overview", "/"), ("People", "/people"), ("Tribes and silos", "/tribes"),
       ("Talent review", "/review"), ("Hidden talent", "/hidden"), ("Sponsors and mentors", "/sponsors"),
       ("Is access fair?", "/fairness"),
       ("How to read this", "/guide")]


def create_app(data_dir: str | Path, *, since: str | None = None, until: str | None = None,
               pseudonymize: bool = False, min_group_size: int = MIN_GROUP_SIZE,
               users: dict[str, str] | None = None, users_file: str | Path | None = None,
               session_hours: float = SESSION_HOURS, secure_cookies: bool = False) -> dash.Dash:
    """A Dash app serving ``data_dir``. The data is analysed once, when the app is made.

    Login: ``users`` (name -> password hash) or a users file; by default from the
    environment (``ONA_USERS_FILE``, ``ONA_USERS``); no users = no login. Sessions end
    after ``session_hours``; ``secure_cookies`` when served over HTTPS (:mod:`.auth`).
    Requests larger than :data:`MAX_REQUEST` are refused before they are read.
    """
    from .pages import fairness, guide, hidden, overview, people, person, review, sponsors, tribes

    app = dash.Dash(__name__, use_pages=True, pages_folder="", assets_folder=str(_ASSETS),
                    title="ona", suppress_callback_exceptions=True)
    key = DatasetKey(data_dir=str(Path(data_dir).resolve()), since=since, until=until,
                     pseudonymize=pseudonymize, min_group_size=min_group_size)
    app.server.config["ONA_DATASET"] = key
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST
    # request lines name people (/person/<id>): keep them out of the logs
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    get_dataset(key)  # analyse now, not on the first request
    for module in (overview, people, person, tribes, review, hidden, sponsors, fairness, guide):
        module.register()
    attach_callbacks(app)
    users = users if users is not None else load_users(users_file)
    if users:
        install_login(app.server, users, session_hours=session_hours, secure_cookies=secure_cookies)
    data = get_dataset(key)
    status = (f"{data.name}: {len(data.result.network.people):,} people"
              + (" (pseudonymised)" if data.result.network.pseudonymized else "")
              if data.result is not None else f"{data.name}: cannot be analysed")
    app.layout = html.Div([
        html.Header([html.Span("ona", className="brand"),
                     html.Nav([dcc.Link(label, href=path, className="nav-link") for label, path in NAV]),
                     html.Span(status, className="status"),
                     html.A("Sign out", href="/logout", className="nav-link", id="sign-out-link")
                     if users else None],
                    className="top"),
        html.Main(dash.page_container),
    ])
    return app
