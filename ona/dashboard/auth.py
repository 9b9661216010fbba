"""Optional login for the dashboard: every route, Dash's own endpoints included.

Users come from a file (``--users FILE`` or ``ONA_USERS_FILE``) with one ``name:hash``
line per user, or from ``ONA_USERS`` (``name:hash`` entries separated by commas). Hashes
are werkzeug password hashes, made with ``ona hash-password NAME``; passwords are never
stored, and every hash is checked when the dashboard starts.

Sessions
--------
- A sign-in creates a session on the server (a random id in a store, the cookie carries
  only the signed id). Signing out (a POST) deletes it there, so a copied cookie stops
  working; a session ends after ``session_hours`` (8, a working day) in any case.
- Cookies are HttpOnly and SameSite=Lax, and Secure with ``secure_cookies`` (serve over
  HTTPS). The cookie is signed with ``ONA_SECRET_KEY`` (set it when several worker
  processes serve the dashboard: they then share one session store, a small SQLite file in
  the temporary folder named after the key, or ``ONA_SESSIONS_FILE``).
- The sign-in form carries a CSRF token; ``next`` is followed only when it is a path on
  this server (``/people``), never another address.
- Failed sign-ins are throttled: after 5 failures in 15 minutes for one name, or 20 from
  one address, further attempts are refused for 15 minutes (HTTP 429). Failures are
  logged without the name tried.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import secrets
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import flask
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ConfigError

__all__ = ["load_users", "install_login", "hash_password", "safe_next", "SessionStore",
           "USERS_ENV", "USERS_FILE_ENV", "SECRET_ENV", "SESSIONS_ENV"]

USERS_ENV = "ONA_USERS"
USERS_FILE_ENV = "ONA_USERS_FILE"
SECRET_ENV = "ONA_SECRET_KEY"
SESSIONS_ENV = "ONA_SESSIONS_FILE"
#: How long a sign-in lasts, in hours: a working day.
SESSION_HOURS = 8.0
_OPEN = ("/login", "/logout")
#: Failed sign-ins allowed per name and per address in the window before a pause.
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_S = 15 * 60
_HASH_METHODS = ("scrypt", "pbkdf2")
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
        name, hashed = name.strip(), hashed.strip()
        if not sep or not name or not hashed:
            raise ConfigError(f"{source}, entry {number}: expected NAME:HASH (make one with "
                              "'ona hash-password NAME')")
        method, *parts = hashed.split("$")
        if method.split(":")[0] not in _HASH_METHODS or len(parts) != 2 or not all(parts):
            raise ConfigError(f"{source}, entry {number} ({name}): not a password hash made by "
                              "'ona hash-password'; make the line again")
        if name in users:
            raise ConfigError(f"{source}, entry {number}: {name} is listed twice")
        users[name] = hashed
    return users


def load_users(path: str | Path | None = None) -> dict[str, str]:
    """Users and password hashes from ``path``, ``ONA_USERS_FILE`` or ``ONA_USERS``;
    empty when none is set (no login). Every entry is checked.

    >>> load_users.__name__
    'load_users'
    """
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


def safe_next(value: str | None) -> str:
    """Where to go after signing in: ``value`` when it is a path on this server, else ``/``.

    >>> safe_next("/people?x=1"), safe_next("//evil.example/"), safe_next("/%09/evil.example/")
    ('/people?x=1', '/', '/')
    >>> safe_next("https://evil.example/"), safe_next("/\\\\evil.example")
    ('/', '/')
    """
    if not value:
        return "/"
    decoded = unquote(value)
    if any(not ch.isprintable() or ch.isspace() for ch in decoded) or "\\" in decoded:
        return "/"
    parts = urlsplit(decoded)
    if not decoded.startswith("/") or decoded.startswith("//") or parts.scheme or parts.netloc:
        return "/"
    return value


class SessionStore:
    """Sessions and failed sign-ins, in SQLite (shared by the worker processes of one
    server when they use the same file).

    >>> store = SessionStore(":memory:")
    >>> sid = store.create("ana", hours=1)
    >>> store.user(sid), store.end(sid), store.user(sid)
    ('ana', None, None)
    """

    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        with self._lock, self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, user TEXT, expires REAL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS failures (what TEXT, at REAL)")

    def create(self, user: str, *, hours: float) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock, self._db:
            self._db.execute("DELETE FROM sessions WHERE expires < ?", (time.time(),))
            self._db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (sid, user, time.time() + hours * 3600))
        return sid

    def user(self, sid: str | None) -> str | None:
        if not sid:
            return None
        with self._lock:
            row = self._db.execute("SELECT user, expires FROM sessions WHERE sid = ?", (sid,)).fetchone()
        return row[0] if row and row[1] > time.time() else None

    def end(self, sid: str | None) -> None:
        if sid:
            with self._lock, self._db:
                self._db.execute("DELETE FROM sessions WHERE sid = ?", (sid,))

    def failed(self, *keys: str) -> None:
        now = time.time()
        with self._lock, self._db:
            self._db.execute("DELETE FROM failures WHERE at < ?", (now - FAILURE_WINDOW_S,))
            self._db.executemany("INSERT INTO failures VALUES (?, ?)", [(k, now) for k in keys])

    def failures(self, key: str) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM failures WHERE what = ? AND at >= ?",
                                    (key, time.time() - FAILURE_WINDOW_S)).fetchone()[0]


_FORM = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ona: sign in</title>
<style>body{{font-family:Arial,sans-serif;background:#f5f6f8;}} form{{max-width:320px;margin:12vh auto;
background:#fff;padding:24px;border-radius:6px;box-shadow:0 1px 4px #0002}} input{{width:100%;padding:8px;
margin:6px 0 14px;box-sizing:border-box}} button{{padding:8px 16px}} .err{{color:#b2182b}}</style></head>
<body><form method="post" action="/login"><h2>ona</h2>{error}
<label>Name<input name="username" id="username" autocomplete="username" required></label>
<label>Password<input name="password" id="password" type="password" autocomplete="current-password" required></label>
<input type="hidden" name="next" value="{next}"><input type="hidden" name="csrf" value="{csrf}">
<button type="submit" id="sign-in">Sign in</button></form></body></html>"""

_SIGNED_OUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ona: sign out</title></head>
<body><form method="post" action="/logout"><p>Sign out of ona?</p><input type="hidden" name="csrf" value="{csrf}">
<button type="submit" id="sign-out">Sign out</button></form></body></html>"""


def _store_path(secret: str) -> str:
    if os.environ.get(SESSIONS_ENV):
        return os.environ[SESSIONS_ENV]
    tag = hashlib.sha256(secret.encode()).hexdigest()[:16]
    return str(Path(tempfile.gettempdir()) / f"ona-sessions-{tag}.db")


def install_login(server: flask.Flask, users: dict[str, str], *, session_hours: float = SESSION_HOURS,
                  secure_cookies: bool = False) -> SessionStore:
    """Require a login for every route of ``server`` (see the module doc)."""
    if not session_hours > 0:
        raise ConfigError(f"sessions must last more than 0 hours, got {session_hours!r}")
    secret = os.environ.get(SECRET_ENV)
    store = SessionStore(_store_path(secret) if secret else ":memory:")
    server.secret_key = secret or secrets.token_hex(32)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_SECURE=bool(secure_cookies),
                         PERMANENT_SESSION_LIFETIME=int(session_hours * 3600))
    dummy = generate_password_hash(secrets.token_hex(8))

    def csrf_token() -> str:
        if "csrf" not in flask.session:
            flask.session["csrf"] = secrets.token_urlsafe(24)
        return flask.session["csrf"]

    def csrf_ok() -> bool:
        sent = flask.request.form.get("csrf", "")
        return bool(sent) and secrets.compare_digest(sent, flask.session.get("csrf", ""))

    @server.before_request
    def _require_login():
        if flask.request.path in _OPEN or store.user(flask.session.get("sid")) in users:
            return None
        if flask.request.method == "GET" and not flask.request.path.startswith("/_"):
            return flask.redirect("/login?next=" + quote(flask.request.path, safe="/"))
        return flask.Response("login required", status=401)

    @server.route("/login", methods=["GET", "POST"])
    def _login():
        request = flask.request
        nxt = safe_next(request.values.get("next"))
        if request.method == "GET":
            return _FORM.format(error="", next=html.escape(nxt), csrf=csrf_token())
        if not csrf_ok():
            return flask.Response(_FORM.format(error="<p class='err'>The form expired; sign in again.</p>",
                                               next=html.escape(nxt), csrf=csrf_token()), status=400)
        name = request.form.get("username", "")
        address = request.remote_addr or "?"
        name_key = "name:" + hashlib.sha256(name.encode()).hexdigest()
        if (store.failures(name_key) >= MAX_FAILURES_PER_NAME
                or store.failures("address:" + address) >= MAX_FAILURES_PER_ADDRESS):
            log.warning("a login was refused: too many failures")
            page = _FORM.format(error="<p class='err' id='login-error'>Too many failed sign-ins: "
                                      "wait 15 minutes.</p>", next=html.escape(nxt), csrf=csrf_token())
            return flask.Response(page, status=429)
        hashed = users.get(name)
        ok = check_password_hash(hashed or dummy, request.form.get("password", "")) and hashed is not None
        if not ok:
            store.failed(name_key, "address:" + address)
            log.warning("a login failed")
            page = _FORM.format(error="<p class='err' id='login-error'>Wrong name or password.</p>",
                                next=html.escape(nxt), csrf=csrf_token())
            return flask.Response(page, status=401)
        store.end(flask.session.get("sid"))
        flask.session.clear()
        flask.session.permanent = True
        flask.session["sid"] = store.create(name, hours=session_hours)
        return flask.redirect(nxt)

    @server.route("/logout", methods=["GET", "POST"])
    def _logout():
        if flask.request.method == "GET":  # a link cannot sign anyone out: ask
            return _SIGNED_OUT.format(csrf=csrf_token())
        if csrf_ok():
            store.end(flask.session.get("sid"))
            flask.session.clear()
        return flask.redirect("/login")

    return store
