"""The dashboard in a real headless Chromium (Debian's, driven by Playwright).

Every page renders with no error in the browser console, the talent-review flow works,
a click in the people table opens the profile, the login holds, and the review brief
opens. A screenshot of each page is saved in ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
from pathlib import Path

import pytest

import ona
from ona.dashboard import create_app
from ona.dashboard.auth import hash_password

from .conftest import ROOT, SAMPLES

import playwright.sync_api as playwright  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
expect = playwright.expect

SHOTS = ROOT / "test-artifacts" / "screenshots"
ACME = SAMPLES / "acme"
TRUTH = json.loads((ACME / "truth.json").read_text())
PAGES = ["/", "/people", "/tribes", "/review", "/hidden", f"/person/{TRUTH['hidden_high_performers'][0]}"]


def _serve(app) -> tuple[str, object]:
    from werkzeug.serving import make_server
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}", server


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run 'make test' (it installs chromium and "
                    "chromium-driver) or 'apt-get install chromium chromium-driver'")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site():
    url, server = _serve(create_app(ACME, users={}))
    yield url
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".page, .problem", timeout=30000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_without_console_errors(page, site, path):
    _open(page, site + path)
    assert page.locator(".page").count() == 1 and page.locator(".problem").count() == 0
    if path in ("/", "/tribes", "/hidden") or path.startswith("/person"):
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=20000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").split("/")[0] or "overview"
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.problems == []


def _choose(page, dropdown: str, text: str) -> None:
    page.click(f"#{dropdown} .dash-dropdown-trigger")
    page.locator("input.dash-dropdown-search").fill(text)
    page.locator(".dash-dropdown-option", has_text=text).first.click()
    page.keyboard.press("Escape")


def test_talent_review_flow_flags_a_planted_no_advocate_candidate(page, site):
    _open(page, site + "/review")
    page.click("#review-panel .dash-dropdown-clear")
    page.click("#review-slate .dash-dropdown-clear")
    no_advocate = [k for k, v in TRUTH["advocates"].items() if not v][0]
    many = [k for k, v in TRUTH["advocates"].items() if len(v) >= 2][0]
    for person in TRUTH["panel"][:4]:
        _choose(page, "review-panel", person)
    for person in (no_advocate, many):
        _choose(page, "review-slate", person)
    page.click("#review-run")
    expect(page.locator("#flag-no-advocate")).to_contain_text(no_advocate, timeout=20000)
    expect(page.locator("#flag-no-advocate")).not_to_contain_text(many)
    expect(page.locator("#review-matrix .js-plotly-plot")).to_be_visible()
    with page.expect_download() as download:
        page.click("#review-brief-html")
    assert download.value.suggested_filename == "review_brief.html"
    page.screenshot(path=str(SHOTS / "review-flow.png"), full_page=True)
    assert page.problems == []


def test_clicking_a_person_opens_their_profile(page, site):
    _open(page, site + "/people")
    cell = page.locator("#people-grid .ag-cell[col-id='employee_id']").first
    person = cell.inner_text().strip()
    cell.click()
    page.wait_for_url(f"**/person/{person}", timeout=20000)
    expect(page.locator("#person-name")).to_contain_text(person, timeout=20000)
    expect(page.locator("#ego .js-plotly-plot")).to_be_visible()
    assert page.problems == []


def test_login_rejects_a_wrong_password_and_protects_dash(browser):
    app = create_app(ACME, users={"reviewer": hash_password("correct horse")})
    url, server = _serve(app)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/tribes")
        assert "/login" in page.url
        response = context.request.get(url + "/_dash-layout")
        assert response.status == 401
        page.fill("#username", "reviewer")
        page.fill("#password", "not it")
        page.click("#sign-in")
        expect(page.locator("#login-error")).to_be_visible()
        page.fill("#username", "reviewer")
        page.fill("#password", "correct horse")
        page.click("#sign-in")
        page.wait_for_selector(".page", timeout=30000)
        assert page.url.endswith("/tribes")
        assert context.request.get(url + "/_dash-layout").status == 200
        context.close()
    finally:
        server.shutdown()


def test_a_data_error_shows_in_the_page(browser, tmp_path):
    (tmp_path / "people.csv").write_text("employee_id,department\n1,A\n1,B\n")
    url, server = _serve(create_app(tmp_path, users={}))
    try:
        page = browser.new_page()
        page.goto(url + "/")
        expect(page.locator("#problem")).to_contain_text("people.csv", timeout=20000)
        page.close()
    finally:
        server.shutdown()


def test_the_review_brief_opens_in_the_browser(browser, tmp_path):
    result = ona.review(ACME, ACME / "panel.csv", ACME / "slate.csv", tmp_path)
    page = browser.new_page()
    page.goto((tmp_path / "review_brief.html").as_uri())
    expect(page.locator("h1")).to_have_text("Talent review brief")
    no_advocate = result.review.summary()["no_advocate"]
    for cid in no_advocate:
        expect(page.locator("body")).to_contain_text(cid)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "review-brief.png"), full_page=True)
    page.close()


def test_overview_exports_download_and_read_back(page, site, tmp_path):
    import networkx as nx
    import openpyxl
    _open(page, site + "/")
    with page.expect_download(timeout=60000) as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename == "ona_results.xlsx"
    book_path = tmp_path / "ona_results.xlsx"
    download.value.save_as(book_path)
    book = openpyxl.load_workbook(book_path, read_only=True)
    assert book["People"].max_row == 1 + len(ona.load(ACME).people)
    with page.expect_download(timeout=60000) as download:
        page.click("#export-gexf")
    gexf_path = tmp_path / "network.gexf"
    download.value.save_as(gexf_path)
    assert nx.read_gexf(gexf_path).number_of_nodes() == book["People"].max_row - 1
    assert page.problems == []
