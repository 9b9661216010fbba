"""Optional login for the dashboard: every route, Dash's own endpoints included.

Users come from a file (``--users FILE`` or ``ONA_USERS_FILE``) with one ``name:hash``
line per user, or from ``ONA_USERS`` (``name:hash`` entries separated by commas). Hashes
are werkzeug password hashes, made with ``ona hash-password NAME``; passwords are never
stored. When users are given, a request without a signed session cookie gets the login
page (pages) or 401 (``/_dash-*`` and every other endpoint). The session is signed with
``ONA_SECRET_KEY`` (set it when several worker processes serve the dashboard; otherwise a
random key is made per process). Failed logins are logged without the name tried.
"""

from __future__ import annotations

import html
import logging
import os
import secrets
from pathlib import Path

import flask
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ConfigError

__all__ = ["load_users", "install_login", "hash_password", "USERS_ENV", "USERS_FILE_ENV", "SECRET_ENV"]

USERS_ENV = "ONA_USERS"
USERS_FILE_ENV = "ONA_USERS_FILE"
SECRET_ENV = "ONA_SECRET_KEY"
_OPEN = ("/login", "/logout")
log = logging.getLogger("ona.dashboard")


def hash_password(password: str) -> str:
    """A salted hash to put in the users file.

    >>> check_password_hash(hash_password("s3cret-phrase"), "s3cret-phrase")
    True
    """
    if len(password) < 8:
        raise ConfigError("use a password of at least 8 characters")
    return generate_password_hash(password)


def _parse(entries: list[str], source: str) -> dict[str, str]:
    users: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, hashed = entry.partition(":")
        if not sep or not name.strip() or not hashed.strip():
            raise ConfigError(f"{source}, entry {number}: expected NAME:HASH (make one with "
                              "'ona hash-password NAME')")
        users[name.strip()] = hashed.strip()
    return users


def load_users(path: str | Path | None = None) -> dict[str, str]:
    """Users and password hashes from ``path``, ``ONA_USERS_FILE`` or ``ONA_USERS``;
    empty when none is set (no login)."""
    path = path or os.environ.get(USERS_FILE_ENV)
    if path:
        file = Path(path)
        if not file.exists():
            raise ConfigError(f"the users file {file} does not exist")
        users = _parse(file.read_text(encoding="utf-8").splitlines(), str(file))
        if not users:
            raise ConfigError(f"the users file {file} lists nobody")
        return users
    if os.environ.get(USERS_ENV):
        return _parse(os.environ[USERS_ENV].split(","), USERS_ENV)
    return {}


_FORM = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ona: sign in</title>
<style>body{{font-family:Arial,sans-serif;background:#f5f6f8;}} form{{max-width:320px;margin:12vh auto;
background:#fff;padding:24px;border-radius:6px;box-shadow:0 1px 4px #0002}} input{{width:100%;padding:8px;
margin:6px 0 14px;box-sizing:border-box}} button{{padding:8px 16px}} .err{{color:#b2182b}}</style></head>
<body><form method="post" action="/login"><h2>ona</h2>{error}
<label>Name<input name="username" id="username" autocomplete="username" required></label>
<label>Password<input name="password" id="password" type="password" autocomplete="current-password" required></label>
<input type="hidden" name="next" value="{next}"><button type="submit" id="sign-in">Sign in</button></form></body></html>"""


def install_login(server: flask.Flask, users: dict[str, str]) -> None:
    """Require a login for every route of ``server``."""
    server.secret_key = os.environ.get(SECRET_ENV) or secrets.token_hex(32)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    dummy = generate_password_hash(secrets.token_hex(8))

    @server.before_request
    def _require_login():
        if flask.request.path in _OPEN or flask.session.get("user") in users:
            return None
        if flask.request.method == "GET" and not flask.request.path.startswith("/_"):
            return flask.redirect(f"/login?next={flask.request.path}")
        return flask.Response("login required", status=401)

    def _safe_next(value: str | None) -> str:
        return value if value and value.startswith("/") and not value.startswith("//") else "/"

    @server.route("/login", methods=["GET", "POST"])
    def _login():
        request = flask.request
        nxt = _safe_next(request.values.get("next"))
        if request.method == "POST":
            name = request.form.get("username", "")
            password = request.form.get("password", "")
            hashed = users.get(name)
            ok = check_password_hash(hashed or dummy, password) and hashed is not None
            if ok:
                flask.session.clear()
                flask.session["user"] = name
                return flask.redirect(nxt)
            log.warning("a login failed")
            page = _FORM.format(error="<p class='err' id='login-error'>Wrong name or password.</p>",
                                next=html.escape(nxt))
            return flask.Response(page, status=401)
        return _FORM.format(error="", next=html.escape(nxt))

    @server.route("/logout")
    def _logout():
        flask.session.clear()
        return flask.redirect("/login")
