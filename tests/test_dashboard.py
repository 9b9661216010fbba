"""Dashboard without a browser: callbacks called directly, login, a data error in the page."""

from __future__ import annotations

import base64
import json

import pytest

import ona
from ona.dashboard import create_app
from ona.dashboard.auth import hash_password, load_users
from ona.dashboard.pages import overview, people, review
from ona.errors import ConfigError
from ona.names import display_names

from .conftest import SAMPLES, write

ACME = SAMPLES / "acme"
TRUTH = json.loads((ACME / "truth.json").read_text())


@pytest.fixture(scope="module")
def app():
    return create_app(ACME, users={})


def _text(component) -> str:
    """Every string inside a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def test_review_callback_flags_the_planted_candidates(app):
    no_advocate = [k for k, v in TRUTH["advocates"].items() if not v]
    single = [k for k, v in TRUTH["advocates"].items() if len(v) == 1]
    names = display_names(ona.load(ACME).people)
    with app.server.test_request_context():
        out, shown = review.run_review(1, TRUTH["panel"], TRUTH["slate"], [])
        text = _text(out)
        assert f"{len(no_advocate)} with no advocate on the panel" in text
        assert f"{len(single)} with a single advocate" in text
        for cid in no_advocate:
            assert names[cid] in text
        assert shown == {"panel": TRUTH["panel"], "slate": TRUTH["slate"], "stand_in": []}
        assert "Choose at least one" in _text(review.run_review(1, [], TRUTH["slate"], [])[0])
        # a changed choice marks the review on screen; the brief stays the one on screen
        assert review.mark_stale(TRUTH["panel"], TRUTH["slate"], [], shown) == (None, None)
        note, style = review.mark_stale(TRUTH["panel"][:2], TRUTH["slate"], [], shown)
        assert style == "stale" and "press Review" in _text(note)
        brief, _ = review.brief_file(review.dataset(), shown, "html")
        assert brief["filename"] == "review_brief.html"
        nothing, message = review.brief_file(review.dataset(), None, "html")
        assert "Press Review first" in _text(message)
        options = review.panel_options("sam ivanova", [])
        assert "860357" in [o["value"] for o in options]
        assert all("Sam Ivanova" in o["label"] for o in options)
        kept = review.panel_options("Ivanova", ["029810"])
        assert kept[0]["value"] == "029810" and all("Ivanova" in o["label"] for o in kept[1:])


def test_upload_and_download_callbacks(app, tmp_path):
    with app.server.test_request_context():
        data = review.dataset()
        good = "data:text/csv;base64," + base64.b64encode(b"employee_id\n860357\n029810\n").decode()
        assert review.ids_from_upload(data, good, "panel.csv", "panel") == (["860357", "029810"], [])
        # an unknown id is reported, not swallowed, and the rest is kept
        bad = "data:text/csv;base64," + base64.b64encode(b"employee_id\n860357\n000000\n").decode()
        assert review.ids_from_upload(data, bad, "panel.csv", "panel") == (["860357"], ["000000"])
        # without a header row the first id is kept
        bare = "data:text/csv;base64," + base64.b64encode(b"860357\n029810\n").decode()
        assert review.ids_from_upload(data, bare, "panel.csv", "panel") == (["860357", "029810"], [])
        review_result = review.build_review(data, TRUTH["panel"], TRUTH["slate"], False)
        assert len(review_result.candidates) == len(TRUTH["slate"])


def test_people_click_opens_the_profile(app):
    with app.server.test_request_context():
        assert people.open_profile({"rowId": "860357", "rowIndex": 0}, None) == "/person/860357"
        assert people.export_people(1) is True


def _csrf(client, path: str = "/login") -> str:
    import re
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_login_protects_every_route(tmp_path):
    users_file = tmp_path / "users.txt"
    users_file.write_text(f"reviewer:{hash_password('correct horse')}\n")
    app = create_app(ACME, users=load_users(users_file))
    client = app.server.test_client()
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    assert client.get("/people").status_code == 302
    token = _csrf(client)
    wrong = client.post("/login", data={"username": "reviewer", "password": "wrong one", "csrf": token})
    assert wrong.status_code == 401 and b"Wrong name or password" in wrong.data
    assert client.get("/_dash-layout").status_code == 401
    right = client.post("/login", data={"username": "reviewer", "password": "correct horse",
                                        "next": "/tribes", "csrf": token})
    assert right.status_code == 302 and right.headers["Location"].endswith("/tribes")
    assert client.get("/_dash-layout").status_code == 200
    client.get("/logout")  # a link does not sign out: it asks
    assert client.get("/_dash-layout").status_code == 200
    client.post("/logout", data={"csrf": _csrf(client, "/logout")})
    assert client.get("/_dash-layout").status_code == 401


def _signed_in(app, name="reviewer", password="correct horse"):
    client = app.server.test_client()
    client.post("/login", data={"username": name, "password": password, "csrf": _csrf(client)})
    return client


@pytest.mark.slow
def test_sessions_end_server_side_and_expire(tmp_path):
    users = {"reviewer": hash_password("correct horse")}
    app = create_app(ACME, users=users, secure_cookies=True)
    client = _signed_in(app)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.secure and cookie.http_only
    stolen = app.server.test_client()
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/_dash-layout").status_code == 200
    client.post("/logout", data={"csrf": _csrf(client, "/logout")})
    assert stolen.get("/_dash-layout").status_code == 401  # the copied cookie no longer works
    short = create_app(ACME, users=users, session_hours=1 / 3600 / 10)  # a tenth of a second
    fast = _signed_in(short)
    import time
    time.sleep(0.2)
    assert fast.get("/_dash-layout").status_code == 401


@pytest.mark.slow
def test_sign_in_is_throttled_needs_its_form_token_and_stays_on_this_server(tmp_path):
    users = {"reviewer": hash_password("correct horse")}
    app = create_app(ACME, users=users)
    client = app.server.test_client()
    no_token = client.post("/login", data={"username": "reviewer", "password": "correct horse"})
    assert no_token.status_code == 400
    token = _csrf(client)
    for _ in range(5):
        client.post("/login", data={"username": "reviewer", "password": "guess", "csrf": token})
    locked = client.post("/login", data={"username": "reviewer", "password": "correct horse", "csrf": token})
    assert locked.status_code == 429 and b"Too many" in locked.data
    other = create_app(ACME, users=users).server.test_client()
    token = _csrf(other)
    for bad in ("/%09/evil.example/", "//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = other.post("/login", data={"username": "reviewer", "password": "correct horse",
                                             "next": bad, "csrf": token})
        assert answer.status_code == 302 and answer.headers["Location"] in ("/", "http://localhost/")
        other.post("/logout", data={"csrf": _csrf(other, "/logout")})
        token = _csrf(other)
    # a path with a line break neither breaks the redirect nor reaches the log as a traceback
    assert other.get("/person/x%0d%0aSet-Cookie:%20a=b").status_code == 302


def test_users_file_errors_are_clear(tmp_path):
    write(tmp_path, "users.txt", "just-a-name\n")
    with pytest.raises(ConfigError, match="NAME:HASH"):
        load_users(tmp_path / "users.txt")
    with pytest.raises(ConfigError, match="at least 8"):
        hash_password("short")
    write(tmp_path, "bad.txt", "ana:not-a-hash\n")
    with pytest.raises(ConfigError, match="entry 1 .ana.: not a password hash"):
        load_users(tmp_path / "bad.txt")


def test_a_data_error_is_a_readable_message(tmp_path):
    write(tmp_path, "people.csv", "employee_id,department\n1,A\n1,B\n")
    app = create_app(tmp_path, users={})
    with app.server.test_request_context():
        text = _text(overview.layout())
    assert "This data cannot be shown" in text and "people.csv" in text and "row 3" in text


def test_every_app_in_one_process_has_the_page_callbacks(app):
    """dash.callback hands callbacks to the first app only; a second app (a notebook, a test
    run) once showed a Review button that did nothing."""
    first = app.server.test_client()
    first.get("/")
    second = create_app(ACME, users={}).server.test_client()
    second.get("/")
    for client in (first, second):
        outputs = " ".join(d["output"] for d in client.get("/_dash-dependencies").get_json())
        for expected in ("review-output.children", "hidden-list.children", "bridges-pairs.children",
                         "people-nav.href"):
            assert expected in outputs


def test_person_page_names_exactly_the_leaders_behind_the_measures(app):
    """The profile's "senior leaders they work with" and "one step away" are the people
    counted by leader_ties and leader_reach (one definition of reach)."""
    from ona.dashboard.pages.person import leaders_reached
    from ona.dashboard.store import DatasetKey, get_dataset

    data = get_dataset(DatasetKey(data_dir=str(ACME.resolve())))
    table = data.result.people_metrics
    assert table["leader_reach"].gt(table["leader_ties"]).sum() >= 5  # reach through colleagues happens
    for person in table.index.astype(str):
        direct, via = leaders_reached(data, person)
        assert len(direct) == table.at[person, "leader_ties"], person
        assert len(direct) + len(via) == table.at[person, "leader_reach"], person


def _grids(component) -> list:
    """Every AG Grid inside a Dash component tree."""
    found = []
    if isinstance(component, (list, tuple)):
        for c in component:
            found += _grids(c)
        return found
    if component is None or isinstance(component, (str, int, float)):
        return found
    if type(component).__name__ == "AgGrid":
        found.append(component)
    return found + _grids(getattr(component, "children", None))


def test_every_column_a_user_sees_explains_itself(app):
    """Hovering any header of the people, tribes and review tables gives a plain explanation;
    the guide lists each under the name the page shows."""
    from ona.dashboard.pages import guide, people, tribes
    from ona.dashboard.pages.guide import SHOWN_AS
    with app.server.test_request_context():
        out, _ = review.run_review(1, TRUTH["panel"], TRUTH["slate"], [])
        grids = _grids(people.layout()) + _grids(tribes.layout()) + _grids(out)
        terms = _text(guide.layout())
    assert len(grids) >= 5
    for grid_component in grids:
        for spec in grid_component.columnDefs:
            assert spec.get("headerTooltip"), (grid_component.id, spec["field"])
    for label in SHOWN_AS.values():
        assert label in terms


def test_a_matrix_without_strong_ties_says_why(app):
    """On the sample no panel member works closely with a candidate they do not advocate
    for; the page and the brief say so, with the bar and the closest pair."""
    with app.server.test_request_context():
        built = review.build_review(review.dataset(), TRUTH["panel"], TRUTH["slate"], False)
        text = _text(review.review_view(review.dataset(), built))
    ties = built.ties
    assert not (ties["tie"] == "strong").any()
    closest = ties.loc[ties["tie"].isin(["weak", "none"]), "weight"].max()
    assert f"weight {built.rules.strong_weight:.1f} or more" in text
    assert f"the closest other pair here has {closest:.1f}" in text


def test_fairness_and_what_if_callbacks_read_only_what_the_page_offers(app):
    """A crafted request cannot make the fairness page read a column it does not offer (a
    name, an id, a rating), nor the what-if run on ids outside the dataset."""
    from ona.dashboard.pages import fairness, sponsors
    with app.server.test_request_context():
        data = fairness.dataset()
        offered = fairness.attributes(data)
        assert "location" in offered and not {"name", "employee_id", "performance", "level"} & set(offered)
        assert "comparisons" in _text(fairness.choose("location"))
        for crafted in ("name", "performance", "employee_id"):
            assert "no column holding a few groups" in _text(fairness.choose(crafted))
        assert "Choose at least one person" in _text(sponsors.show_what_if(1, ["not-an-id"]))
        panel_member = TRUTH["panel"][0]
        assert "If " in _text(sponsors.show_what_if(1, [panel_member]))
