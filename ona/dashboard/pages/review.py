"""Talent review: pick a panel and a slate, see who will speak for whom, download the brief."""

from __future__ import annotations

import base64
import binascii
import io
import tempfile
from dataclasses import replace
from pathlib import Path

import dash
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from ... import figures
from ...brief import brief_html, write_brief_xlsx
from ...errors import OnaError
from ...talent_review import MANAGER_CONVERSATION_WORDS, TalentReview, ids_in_file, talent_review
from ..common import dataset, grid, on, page

MAX_OPTIONS = 30


def _options(data, selected: list[str] | None, search: str | None) -> list[dict]:
    chosen = list(selected or [])
    found: list[str] = []
    if search:
        needle = search.strip().lower()
        for pid, label in data.labels.items():
            if needle in label.lower() and pid not in chosen:
                found.append(pid)
                if len(found) >= MAX_OPTIONS:
                    break
    return [{"label": data.label(p), "value": p} for p in chosen + found]


def layout(**_):
    data = dataset()
    if data.error:
        return page()
    stand_in = []  # the stand-in rule is off until chosen
    return page(
        html.H2("Talent review: who in the room knows the candidates?"),
        html.P(["Choose the panel (the decision-makers in the room) and the slate (the candidates): "
                "type a name, or upload a list of names or ids (one per row). Then press Review. "
                "For each panel member and candidate the matrix shows an advocate (said so in the "
                "survey), a strong tie (they work closely), a weak tie (some contact) or none; "
                "hover a cell for the evidence. ", dcc.Link("How to read this", href="/guide")],
               className="help"),
        html.Div([
            html.Div([html.Label("Panel"),
                      dcc.Dropdown(id="review-panel", multi=True, value=data.default_panel,
                                   options=_options(data, data.default_panel, None),
                                   placeholder="type a name or id"),
                      dcc.Upload(html.A("or upload a panel file"), id="review-panel-upload", max_size=UPLOAD_LIMIT)]),
            html.Div([html.Label("Slate"),
                      dcc.Dropdown(id="review-slate", multi=True, value=data.default_slate,
                                   options=_options(data, data.default_slate, None),
                                   placeholder="type a name or id"),
                      dcc.Upload(html.A("or upload a slate file"), id="review-slate-upload", max_size=UPLOAD_LIMIT)]),
        ], className="controls"),
        html.Div([
            dcc.Checklist(id="review-stand-in", value=stand_in,
                          options=[{"label": " without advocacy answers, count strong ties as advocates",
                                    "value": "yes"}]),
            html.Button("Review", id="review-run"),
            html.Button("Download brief (HTML)", id="review-brief-html", className="secondary"),
            html.Button("Download brief (Excel)", id="review-brief-xlsx", className="secondary"),
        ], className="controls"),
        html.Div(id="review-message"),
        html.Div(id="review-stale"),
        dcc.Loading(html.Div(id="review-output")),
        dcc.Store(id="review-shown"),
        dcc.Loading(dcc.Download(id="review-download")),
    )


def build_review(data, panel: list[str] | None, slate: list[str] | None, stand_in: bool) -> TalentReview:
    """The review for the chosen panel and slate (raises OnaError with a readable message)."""
    rules = replace(data.rules, strong_as_advocates=bool(stand_in))
    return talent_review(data.result.network, panel or [], slate or [], rules=rules)


def _names(data, ids) -> str:
    return ", ".join(data.label(x) for x in ids) or "none"


def introduction_sentences(data, review: TalentReview) -> dict[str, list[str]]:
    """Per candidate, the suggested introductions as sentences people can act on."""
    out: dict[str, list[str]] = {}
    for row in review.introductions.itertuples():
        via, cand, panel = data.label(row.via_id), data.label(row.candidate_id), data.label(row.panel_id)
        ask = (f"ask {via} to introduce them." if row.panel_tie == "none" else
               f"{panel} has only a weak tie to {cand}: ask {via} to bring them closer.")
        out.setdefault(row.candidate_id, []).append(f"{via} works closely with both {cand} and {panel}: {ask}")
    return out


def candidate_lines(data, review: TalentReview) -> list:
    """One line per candidate who needs a voice: who speaks for them, and what to do."""
    c = review.candidates
    sentences = introduction_sentences(data, review)
    rows = []
    for r in c.itertuples():
        talk = MANAGER_CONVERSATION_WORDS.get(str(getattr(r, "manager_conversation", "")), "")
        if review.advocates_from is not None and pd.notna(r.advocates) and r.advocates > 1:
            if getattr(r, "manager_conversation", None) == "no":
                rows.append(html.Li([html.B(data.label(r.candidate_id)), f" — {talk}."], className="candidate-line"))
            continue
        who = data.label(r.candidate_id)
        if review.advocates_from is None:
            status = f"knows {r.knows} of the panel"
        elif r.advocates == 0:
            status = "no advocate on the panel"
        else:
            status = f"one advocate: {_names(data, str(r.advocate_ids).split('; '))}"
        if bool(getattr(r, "flag_rests_on_non_answers", False) is True):
            status += " (could change: some panel members did not answer the survey)"
        if talk:
            status += f"; {talk}"
        ideas = sentences.get(r.candidate_id) or [
            f"No introduction to suggest: nobody who works closely with {who} also works closely "
            "with a panel member who has no tie, or only a weak one, to them."]
        rows.append(html.Li([html.B(who), f" — {status}.", html.Ul([html.Li(t) for t in ideas])],
                            className="candidate-line"))
    return rows


def review_view(data, review: TalentReview) -> html.Div:
    """The page content for a review: the answer in words, the matrix, who needs a voice and
    how to introduce them, the candidates, the panel's blind spots."""
    c = review.candidates
    flags = []
    if review.advocates_from is not None:
        no, one = review.flagged("no_advocate") or [], review.flagged("single_advocate") or []
        flags.append(html.Li([html.Span(f"{len(no)} with no advocate on the panel: ", className="flag"),
                              _names(data, no)], id="flag-no-advocate"))
        flags.append(html.Li([html.Span(f"{len(one)} with a single advocate: ", className="flag"),
                              _names(data, one)], id="flag-single-advocate"))
    unknown = review.flagged("unknown_to_panel") or []
    flags.append(html.Li([html.Span(f"{len(unknown)} known to nobody on the panel: ", className="flag"),
                          _names(data, unknown)], id="flag-unknown"))
    table = c.copy()
    table.insert(0, "candidate", table["candidate_id"].map(data.label))
    table["advocates_by_name"] = table["advocate_ids"].map(
        lambda t: _names(data, [x for x in str(t).split("; ") if x]) if t else "")
    keep = ["candidate", "department", "title", "advocates", "advocates_by_name", "strong_ties", "knows",
            "coverage", "no_advocate", "single_advocate", "flag_rests_on_non_answers", "manager_conversation"]
    panel = review.panel.copy()
    panel.insert(0, "panel member", panel["panel_id"].map(data.label))
    panel["blind_spots"] = panel["blind_spots"].map(
        lambda t: _names(data, [x for x in str(t).split("; ") if x]) if t else "")
    panel_keep = ["panel member", "department", "answered_survey", "advocates_for", "strong", "weak",
                  "none", "slate_known_share", "blind_spots"]
    return html.Div([
        *[html.P(n, className="note") for n in review.notes],
        html.Ul(flags, id="review-flags", className="answer"),
        *([html.P(note, className="note", id="review-strong-note")] if (note := review.why_no_strong()) else []),
        html.H3("Who needs a voice in the room, and who could introduce them"),
        html.Ul(candidate_lines(data, review), id="review-introductions"),
        dcc.Graph(figure=figures.review_matrix(review, data.labels), id="review-matrix"),
        html.H3("Candidates"),
        grid(table[[k for k in keep if k in table]], "review-candidates", height=360),
        html.H3("Panel: whom each member does not know (blind spots)"),
        grid(panel[[k for k in panel_keep if k in panel]], "review-panel-table", height=260),
    ])


@on(Output("review-panel", "options"), Input("review-panel", "search_value"),
          State("review-panel", "value"), prevent_initial_call=True)
def panel_options(search, value):
    """People matching what was typed, after those already chosen."""
    return _options(dataset(), value, search) if search else no_update


@on(Output("review-slate", "options"), Input("review-slate", "search_value"),
          State("review-slate", "value"), prevent_initial_call=True)
def slate_options(search, value):
    """People matching what was typed, after those already chosen."""
    return _options(dataset(), value, search) if search else no_update


#: The largest panel or slate file the page accepts (a list of a few thousand names is tens of KB).
UPLOAD_LIMIT = 5 * 1024 * 1024
#: The most an uploaded workbook may unpack to, and the highest ratio of its compression.
UNPACKED_LIMIT = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx")


def _upload_name(filename: str | None, role: str) -> str:
    """The uploaded file's name as something safe to show and to save: its last part,
    printable characters only, at most 100; a refusal for other kinds of file."""
    name = str(filename or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:100]
    if name in ("", ".", ".."):
        name = f"{role}.csv"
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise OnaError(f"{name}: upload a .csv, .txt or .xlsx file with one person per row "
                       "(compressed files are not accepted)")
    return name


def ids_from_upload(data, contents: str, filename: str, role: str) -> tuple[list[str], list[str]]:
    """The people an uploaded file names (ids or names, with or without a header row), and
    the values it could not match. The file is refused, with a message, when it is larger
    than :data:`UPLOAD_LIMIT`, not CSV/text/Excel, or a workbook that unpacks to more than
    :data:`UNPACKED_LIMIT`; messages never show the server's folders."""
    name = _upload_name(filename, role)
    try:
        _, payload = str(contents).split(",", 1)
    except ValueError:
        raise OnaError(f"{name}: the upload could not be read; try again") from None
    if len(payload) > UPLOAD_LIMIT * 4 // 3 + 4:  # base64 is 4/3 of the file
        raise OnaError(f"{name}: the file is larger than {UPLOAD_LIMIT // 2 ** 20} MB; a panel or "
                       "slate needs one id or name per row")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (ValueError, binascii.Error):
        raise OnaError(f"{name}: the upload could not be read; try again") from None
    if name.lower().endswith(".xlsx"):
        _check_workbook(raw, name)
    with tempfile.TemporaryDirectory() as folder:
        suffix = ".csv" if name.lower().endswith(".txt") else Path(name).suffix.lower()
        path = Path(folder) / (Path(name).stem + suffix)
        path.write_bytes(raw)
        try:
            ids, missing, _ = ids_in_file(path, data.result.network.people, role)
        except OnaError as exc:
            raise OnaError(str(exc).replace(str(path), name).replace(folder, "")) from None
    return ids, [value for _, value in missing]


def _check_workbook(raw: bytes, name: str) -> None:
    """Refuse a workbook that is not one, or that unpacks to too much (a zip bomb)."""
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise OnaError(f"{name}: not an Excel workbook; save it again as .xlsx or as .csv") from None
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if len(members) > 500 or unpacked > UNPACKED_LIMIT or unpacked / packed > 200:
        raise OnaError(f"{name}: the workbook unpacks to more than a panel or slate needs; save "
                       "the list as .csv")


@on(Output("review-panel", "value"), Output("review-panel", "options", allow_duplicate=True),
          Output("review-slate", "value"), Output("review-slate", "options", allow_duplicate=True),
          Output("review-message", "children", allow_duplicate=True),
          Input("review-panel-upload", "contents"), Input("review-slate-upload", "contents"),
          State("review-panel-upload", "filename"), State("review-slate-upload", "filename"),
          prevent_initial_call=True)
def upload(panel_file, slate_file, panel_name, slate_name):
    """Fill the panel or slate from an uploaded file; a bad file gives a message."""
    data = dataset()
    role = "panel" if ctx.triggered_id == "review-panel-upload" else "slate"
    contents, name = (panel_file, panel_name) if role == "panel" else (slate_file, slate_name)
    try:
        ids, missing = ids_from_upload(data, contents, name, role)
    except OnaError as exc:
        return no_update, no_update, no_update, no_update, html.P(str(exc), className="problem")
    options = _options(data, ids, None)
    shown = _upload_name(name, role)
    said = f"{role.capitalize()}: {len(ids)} {'person' if len(ids) == 1 else 'people'} matched in {shown}"
    if missing:
        said += (f"; not matched (no such id or name, or a name several people share): "
                 f"{', '.join(missing[:10])}" + (f" and {len(missing) - 10} more" if len(missing) > 10 else ""))
    message = html.P(said, className="problem" if missing else None)
    if role == "panel":
        return ids, options, no_update, no_update, message
    return no_update, no_update, ids, options, message


@on(Output("review-output", "children"), Output("review-shown", "data"),
          Input("review-run", "n_clicks"),
          State("review-panel", "value"), State("review-slate", "value"), State("review-stand-in", "value"))
def run_review(n_clicks, panel, slate, stand_in):
    """Run the review for the chosen people, and remember what is on screen; a readable
    message when it cannot run."""
    data = dataset()
    if data.error:
        return html.P(data.error, className="problem"), None
    if not panel or not slate:
        return html.P("Choose at least one panel member and one candidate, then press Review.",
                      className="help"), None
    try:
        review = build_review(data, panel, slate, "yes" in (stand_in or []))
    except OnaError as exc:
        return html.P(str(exc), className="problem"), None
    return review_view(data, review), {"panel": list(panel), "slate": list(slate),
                                       "stand_in": list(stand_in or [])}


@on(Output("review-stale", "children"), Output("review-output", "className"),
          Input("review-panel", "value"), Input("review-slate", "value"), Input("review-stand-in", "value"),
          Input("review-shown", "data"))
def mark_stale(panel, slate, stand_in, shown):
    """A review on screen that no longer matches the choice is marked until Review is pressed."""
    if not shown:
        return None, None
    same = (list(panel or []) == shown["panel"] and list(slate or []) == shown["slate"]
            and list(stand_in or []) == shown["stand_in"])
    if same:
        return None, None
    return (html.P("The panel or slate has changed since this review: press Review to update it. "
                   "The review below, and the brief, are still for the earlier choice.",
                   className="problem", id="review-stale-note"), "stale")


@on(Output("review-download", "data"), Output("review-message", "children", allow_duplicate=True),
          Input("review-brief-html", "n_clicks"), Input("review-brief-xlsx", "n_clicks"),
          State("review-shown", "data"), prevent_initial_call=True)
def download_brief(_html, _xlsx, shown):
    """The brief of the review on screen, as HTML or Excel."""
    return brief_file(dataset(), shown, "html" if ctx.triggered_id == "review-brief-html" else "xlsx")


def brief_file(data, shown: dict | None, kind: str):
    """The download of the brief of the review on screen (``shown``, as remembered when
    Review was pressed), and a message when there is none."""
    if data.error:
        return no_update, html.P(data.error, className="problem")
    if not shown:
        return no_update, html.P("Press Review first: the brief is the review on screen.", className="problem")
    try:
        review = build_review(data, shown["panel"], shown["slate"], "yes" in shown["stand_in"])
    except OnaError as exc:
        return no_update, html.P(str(exc), className="problem")
    people = data.result.network.people
    if kind == "html":
        return dcc.send_string(brief_html(review, people), "review_brief.html"), no_update
    buffer = io.BytesIO()
    write_brief_xlsx(review, people, buffer)
    return dcc.send_bytes(buffer.getvalue(), "review_brief.xlsx"), no_update


def register() -> None:
    dash.register_page(__name__, path="/review", name="Talent review", title="ona: talent review",
                       layout=layout)


__all__ = ["build_review", "review_view", "ids_from_upload"]
