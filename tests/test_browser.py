"""The dashboard in a real headless Chromium (Debian's, driven by Playwright).

Every page renders with no error in the browser console; the journeys of a talent reviewer
(choose, review, change the slate and see the result marked, download the brief of the
review on screen, upload a list without a header) and of an HR partner (hidden talent, the
reason in view, a click to the profile with the reason, silos with their links out by
name) work at 300 and at 3,000 people; the login holds and signs out. Every wait is on the
page's state, never on a fixed time. Screenshots go to ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
from pathlib import Path

import playwright.sync_api as playwright  # noqa: E402
import pytest

import ona
from ona.dashboard import create_app
from ona.dashboard.auth import hash_password
from ona.names import display_names

from .conftest import ROOT, SAMPLES

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
expect = playwright.expect

SHOTS = ROOT / "test-artifacts" / "screenshots"
ACME = SAMPLES / "acme"
TRUTH = json.loads((ACME / "truth.json").read_text())
PAGES = ["/", "/people", "/tribes", "/review", "/hidden", "/sponsors", "/fairness", "/guide",
         f"/person/{TRUTH['hidden_high_performers'][0]}"]
WAIT = 60000  # ms: the longest any page state may take to appear on a busy machine


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


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """3,000 people in 26 departments: (url, truth, names)."""
    folder = tmp_path_factory.mktemp("big")
    org = ona.generate_organisation(3000, seed=3131, events_per_person=60)
    ona.write_organisation(org, folder)
    url, server = _serve(create_app(folder, users={}))
    people = ona.load(folder).people
    yield url, org.truth, display_names(people)
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
    page.wait_for_selector(".page, .problem", timeout=WAIT)
    page.wait_for_load_state("networkidle")


def _bare_ids(text: str) -> list[str]:
    """Ids shown instead of names: any long number that is not the "(id)" told after a
    name two people share."""
    return re.findall(r"\b\d{6,}\b", re.sub(r"\(\d+\)", "", text))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_without_console_errors(page, site, path):
    _open(page, site + path)
    assert page.locator(".page").count() == 1 and page.locator(".problem").count() == 0
    if path in ("/", "/tribes", "/hidden", "/fairness") or path.startswith("/person"):
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=WAIT)
    _shot(page, path.strip("/").split("/")[0] or "overview")
    assert page.problems == []


def _choose(page, dropdown: str, text: str) -> None:
    page.click(f"#{dropdown} .dash-dropdown-trigger")
    page.locator("input.dash-dropdown-search").fill(text)
    page.locator(".dash-dropdown-option", has_text=text).first.click()
    # close the list before the next click, or that click only closes it
    page.keyboard.press("Escape")
    expect(page.locator("input.dash-dropdown-search")).to_have_count(0, timeout=WAIT)
    expect(page.locator(f"#{dropdown} .dash-dropdown-trigger")).to_contain_text(text.split(" (")[0])
    page.keyboard.press("Escape")


def _reviewer_journey(page, url: str, truth: dict, names: dict[str, str], shot: str) -> None:
    _open(page, url + "/review")
    page.click("#review-panel .dash-dropdown-clear")
    page.click("#review-slate .dash-dropdown-clear")
    no_advocate = [k for k, v in truth["advocates"].items() if not v][0]
    many = [k for k, v in truth["advocates"].items() if len(v) >= 2][0]
    one = [k for k, v in truth["advocates"].items() if len(v) == 1][0]
    for person in truth["panel"][:5]:
        _choose(page, "review-panel", names[person])
    for person in (no_advocate, many):
        _choose(page, "review-slate", names[person])
    page.click("#review-run")
    flags = page.locator("#flag-no-advocate")
    expect(flags).to_contain_text(names[no_advocate], timeout=WAIT)
    expect(flags).not_to_contain_text(names[many])
    assert not _bare_ids(flags.inner_text())  # names, not ids
    lines = page.locator("#review-introductions")
    expect(lines).to_contain_text(names[no_advocate])
    expect(lines).to_contain_text(re.compile("to introduce them|No introduction to suggest"))
    expect(page.locator("#review-matrix .js-plotly-plot")).to_be_visible(timeout=WAIT)
    # change the slate: the result on screen is marked until Review is pressed
    _choose(page, "review-slate", names[one])
    expect(page.locator("#review-stale-note")).to_be_visible(timeout=WAIT)
    expect(page.locator("#review-output.stale")).to_have_count(1)
    # the brief is the review on screen, not the new choice
    with page.expect_download(timeout=WAIT) as download:
        page.click("#review-brief-html")
    brief = Path(download.value.path()).read_text()
    at = brief.find("Who needs")
    assert names[no_advocate] in brief and names[one] not in brief, brief[at:at + 600]
    page.click("#review-run")
    expect(page.locator("#review-stale-note")).to_have_count(0, timeout=WAIT)
    expect(page.locator("#review-introductions")).to_contain_text(names[one], timeout=WAIT)
    _shot(page, shot)
    assert page.problems == []


def test_reviewer_journey_at_300_people(page, site):
    _reviewer_journey(page, site, TRUTH, display_names(ona.load(ACME).people), "review-300")


def test_reviewer_journey_at_3000_people(page, big):
    url, truth, names = big
    _reviewer_journey(page, url, truth, names, "review-3000")


def test_a_list_without_a_header_uploads_with_its_first_person(page, site, tmp_path):
    _open(page, site + "/review")
    upload = tmp_path / "panel.csv"
    upload.write_text("\n".join(TRUTH["panel"][:2]) + "\nnobody-like-this\n")
    page.set_input_files("#review-panel-upload input[type=file]", str(upload))
    message = page.locator("#review-message")
    expect(message).to_contain_text("Panel: 2 people matched", timeout=WAIT)
    expect(message).to_contain_text("nobody-like-this")
    assert "/tmp" not in message.inner_text()
    assert page.problems == []


def _hr_journey(page, url: str, truth: dict, names: dict[str, str], shot: str) -> None:
    _open(page, url + "/hidden")
    planted = truth["hidden_high_performers"][0]
    card = page.locator("#hidden-list .person-card").first
    expect(card).to_be_visible(timeout=WAIT)
    expect(card).to_be_in_viewport()
    expect(card.locator(".reason")).to_contain_text(re.compile("outside"))
    link = page.locator("#hidden-list .person-link", has_text=names[planted])
    expect(link).to_be_visible()
    _shot(page, shot + "-hidden")
    link.click()
    page.wait_for_url(f"**/person/{planted}", timeout=WAIT)
    expect(page.locator("#person-name")).to_contain_text(names[planted], timeout=WAIT)
    expect(page.locator("#person-reason")).to_contain_text(re.compile("outside"))
    expect(page.locator("#visibility-parts .js-plotly-plot")).to_be_visible(timeout=WAIT)
    expect(page.locator("#ego .js-plotly-plot")).to_be_visible(timeout=WAIT)
    _shot(page, shot + "-person")
    # silos with their links out by name
    _open(page, url + "/tribes")
    silos = page.locator("#silo-list")
    for silo in truth["silo_departments"]:
        expect(silos).to_contain_text(silo, timeout=WAIT)
    expect(silos).to_contain_text("Its links out:")
    assert not _bare_ids(silos.inner_text())
    _shot(page, shot + "-silos")
    assert page.problems == []


def test_hr_partner_journey_at_300_people(page, site):
    _hr_journey(page, site, TRUTH, display_names(ona.load(ACME).people), "hr-300")


def test_hr_partner_journey_at_3000_people(page, big):
    url, truth, names = big
    _hr_journey(page, url, truth, names, "hr-3000")


def test_clicking_a_person_opens_their_profile(page, site):
    _open(page, site + "/people")
    cell = page.locator("#people-grid .ag-cell[col-id='name']").first
    expect(cell).to_be_visible(timeout=WAIT)
    name = cell.inner_text().strip()
    cell.click()
    page.wait_for_url("**/person/*", timeout=WAIT)
    expect(page.locator("#person-name")).to_contain_text(name, timeout=WAIT)
    expect(page.locator("#ego .js-plotly-plot")).to_be_visible(timeout=WAIT)
    assert page.problems == []


def test_unknown_pages_and_people_say_what_to_do(page, site):
    _open(page, site + "/nowhere")
    expect(page.locator("#not-found")).to_be_visible(timeout=WAIT)
    _open(page, site + "/person/000000000")
    expect(page.locator("#problem")).to_contain_text("nobody with the id", timeout=WAIT)


def test_login_rejects_a_wrong_password_protects_dash_and_signs_out(browser):
    app = create_app(ACME, users={"reviewer": hash_password("correct horse")})
    url, server = _serve(app)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/tribes")
        assert "/login" in page.url
        assert context.request.get(url + "/_dash-layout").status == 401
        page.fill("#username", "reviewer")
        page.fill("#password", "not it")
        page.click("#sign-in")
        expect(page.locator("#login-error")).to_be_visible()
        page.fill("#username", "reviewer")
        page.fill("#password", "correct horse")
        page.click("#sign-in")
        page.wait_for_selector(".page", timeout=WAIT)
        assert page.url.endswith("/tribes")
        assert context.request.get(url + "/_dash-layout").status == 200
        page.click("#sign-out-link")
        page.click("#sign-out")
        page.wait_for_url("**/login*", timeout=WAIT)
        assert context.request.get(url + "/_dash-layout").status == 401
        context.close()
    finally:
        server.shutdown()


def test_a_data_error_shows_in_the_page(browser, tmp_path):
    (tmp_path / "people.csv").write_text("employee_id,department\n1,A\n1,B\n")
    url, server = _serve(create_app(tmp_path, users={}))
    try:
        page = browser.new_page()
        page.goto(url + "/")
        expect(page.locator("#problem")).to_contain_text("people.csv", timeout=WAIT)
        page.close()
    finally:
        server.shutdown()


def test_the_review_brief_opens_in_the_browser(browser, tmp_path):
    result = ona.review(ACME, ACME / "panel.csv", ACME / "slate.csv", tmp_path)
    names = display_names(result.network.people)
    page = browser.new_page()
    page.goto((tmp_path / "review_brief.html").as_uri())
    expect(page.locator("h1")).to_have_text("Talent review brief")
    for cid in result.review.summary()["no_advocate"]:
        expect(page.locator("body")).to_contain_text(names[cid])
    _shot(page, "review-brief")
    page.close()


def test_overview_exports_download_and_read_back(page, site, tmp_path):
    import networkx as nx
    import openpyxl
    _open(page, site + "/")
    with page.expect_download(timeout=WAIT) as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename == "ona_results.xlsx"
    book_path = tmp_path / "ona_results.xlsx"
    download.value.save_as(book_path)
    book = openpyxl.load_workbook(book_path, read_only=True)
    assert book["People"].max_row == 1 + len(ona.load(ACME).people)
    with page.expect_download(timeout=WAIT) as download:
        page.click("#export-gexf")
    gexf_path = tmp_path / "network.gexf"
    download.value.save_as(gexf_path)
    assert nx.read_gexf(gexf_path).number_of_nodes() == book["People"].max_row - 1
    assert page.problems == []


@pytest.fixture(scope="module")
def gapped(tmp_path_factory):
    """1,500 people where Nairobi's events with senior leaders are thinned to 30%."""
    folder = tmp_path_factory.mktemp("gapped")
    org = ona.generate_organisation(1500, seed=4242, events_per_person=60,
                                    gap={"location": "Nairobi", "outcome": "leader", "factor": 0.3})
    ona.write_organisation(org, folder)
    url, server = _serve(create_app(folder, users={}))
    yield url
    server.shutdown()


def test_the_fairness_page_states_a_planted_gap_in_a_plain_sentence(page, gapped):
    _open(page, gapped + "/fairness")
    findings = page.locator("#fairness-findings li")
    expect(findings.first).to_be_visible(timeout=WAIT)
    text = " ".join(findings.all_inner_texts())
    assert "At the same level and in the same department, people with location Nairobi have" in text
    assert "fewer direct ties to senior leaders than people with location London" in text
    assert "Lisbon" not in text and "Toronto" not in text  # no planted gap there
    expect(page.locator("#fairness-chart .js-plotly-plot")).to_be_visible(timeout=WAIT)
    expect(page.locator("#fairness-grid")).to_contain_text("unlikely to be chance", timeout=WAIT)
    assert "left out" in page.inner_text("#fairness-privacy")
    assert _bare_ids(page.inner_text("main")) == []
    _shot(page, "fairness")
    assert page.problems == []


def test_sponsors_page_names_the_developers_and_what_a_departure_breaks(page, site):
    """On the sample: the planted good sponsors are named in the answer; choosing a panel
    member who is a candidate's only advocate and pressing the button lists that candidate."""
    careers = TRUTH["careers"]
    names = display_names(ona.load(ACME).people)
    _open(page, site + "/sponsors")
    answer = page.inner_text("#sponsors-summary")
    for sponsor in careers["good_sponsors"]:
        assert names[sponsor] in answer
    for sponsor in careers["own_circle_sponsors"]:
        assert names[sponsor] in answer
    expect(page.locator("#support-summary")).to_contain_text("neither a mentor")
    expect(page.locator("#talks-summary")).to_contain_text(
        f"{len(careers['no_manager_conversation'])} have not discussed")
    answered = TRUTH["advocates_answered"]
    member, candidate = next((m, c) for c, a in answered.items() if len(a) == 1 for m in a)
    _choose(page, "whatif-people", names[member])
    page.click("#whatif-run")
    expect(page.locator("#whatif-advocates")).to_contain_text(names[candidate], timeout=WAIT)
    assert _bare_ids(page.inner_text("main")) == []
    _shot(page, "sponsors-what-if")
    assert page.problems == []
