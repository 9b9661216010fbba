"""The review brief: one printable HTML page and one Excel workbook for the meeting.

Both hold the same content: the flags (candidates with no advocate, with a single one,
unknown to the whole panel), the panel x candidate matrix coloured by tie class, each
candidate's advocates, coverage and suggested introductions, each panel member's blind
spots, the notes and the rules used. The HTML page has no scripts and no external files:
it opens in any browser and prints on A4 or Letter landscape. Names appear only when the
people file has them (never with pseudonymised data).
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

import pandas as pd

from . import schema as S
from .names import display_names
from .outputs import neutralize
from .talent_review import NOT_REVIEWED, TalentReview

__all__ = ["write_brief", "brief_html", "write_brief_xlsx", "CLASS_COLOURS"]

#: Cell colours of the tie classes (background, text), shared with the dashboard.
CLASS_COLOURS = {"advocate": ("#1b7837", "#ffffff"), "strong": ("#a6dba0", "#000000"),
                 "weak": ("#fee08b", "#000000"), "none": ("#f7f7f7", "#707070"),
                 NOT_REVIEWED: ("#d0d0d0", "#000000")}

_CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
.meta { color: #555; font-size: 13px; }
table { border-collapse: collapse; font-size: 12px; margin-top: 8px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.cell { text-align: center; min-width: 56px; }
.flag { font-weight: bold; color: #b2182b; }
.legend span { display: inline-block; padding: 2px 8px; margin-right: 6px; border: 1px solid #ccc; }
.note { background: #fff7e0; border-left: 4px solid #e0a800; padding: 6px 10px; margin: 6px 0; }
@media print { body { margin: 8mm; } h2 { page-break-after: avoid; } table { page-break-inside: auto; }
  tr { page-break-inside: avoid; } @page { size: landscape; } }
"""


def _e(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return html.escape(str(value))


def _names(people: pd.DataFrame) -> dict[str, str]:
    return display_names(people)


def _who(pid: str, names: dict[str, str]) -> str:
    return names.get(pid, pid)


def _ids_to_names(text: str, names: dict[str, str]) -> str:
    if not text:
        return ""
    return "; ".join(_who(x.strip(), names) for x in str(text).split(";"))


def _introductions_by_name(review: TalentReview, names: dict[str, str]) -> dict[str, str]:
    """Per candidate, "ask A to introduce them to B" in names."""
    out: dict[str, list[str]] = {}
    for row in review.introductions.itertuples():
        out.setdefault(row.candidate_id, []).append(
            f"ask {_who(row.via_id, names)} to introduce them to {_who(row.panel_id, names)}"
            + (" (who knows them slightly)" if row.panel_tie == "weak" else ""))
    return {c: "; ".join(lines) for c, lines in out.items()}


def _flags(review: TalentReview) -> dict[str, list[str]]:
    return {
        "no advocate on the panel": review.flagged("no_advocate") or [],
        "a single advocate (one voice)": review.flagged("single_advocate") or [],
        "no one on the panel who knows them": review.flagged("unknown_to_panel") or [],
    }


def brief_html(review: TalentReview, people: pd.DataFrame, *, title: str = "Talent review brief",
               period: str | None = None) -> str:
    """The brief as one self-contained HTML page."""
    names = _names(people)
    panel = review.matrix.columns.tolist()
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>",
             f"<style>{_CSS}</style></head><body>", f"<h1>{_e(title)}</h1>"]
    meta = (f"{len(panel)} panel members, {len(review.candidates)} candidates. "
            f"Prepared {datetime.now():%Y-%m-%d %H:%M}.")
    if period:
        meta += f" Collaboration data: {period}."
    parts.append(f"<p class='meta'>{_e(meta)}</p>")
    for note in review.notes:
        parts.append(f"<p class='note'>{_e(note)}</p>")
    resting = set(review.flagged("flag_rests_on_non_answers") or [])
    parts.append("<h2>Who needs a voice in the room</h2><ul>")
    for label, ids in _flags(review).items():
        if review.advocates_from is None and "advocate" in label:
            continue
        listed = ", ".join(_e(_who(x, names)) + (" (could change: see below)" if x in resting and
                                                 "advocate" in label else "")
                           for x in ids) or "none"
        parts.append(f"<li><span class='flag'>{len(ids)}</span> with {_e(label)}: {listed}</li>")
    parts.append("</ul>")
    if "manager_conversation" in review.candidates:
        unheard = review.candidates.loc[review.candidates["manager_conversation"] == "no", "candidate_id"]
        parts.append("<p class='note'>" + _e(
            f"{len(unheard)} candidates have not discussed their career aspirations with their manager"
            + (": " + ", ".join(_who(x, names) for x in unheard) if len(unheard) else "")
            + ". Their manager may not know what they want.") + "</p>")
    if why := review.why_no_strong():
        parts.append(f"<p class='note'>{_e(why)}</p>")
    silent_panel = review.panel.loc[review.panel["answered_survey"].eq(False).fillna(False).astype(bool),
                                    "panel_id"].tolist() if "answered_survey" in review.panel else []
    if resting:
        silent = silent_panel
        parts.append("<p class='note'>" + _e(
            f"{len(resting)} of these flags could change: {', '.join(_who(p, names) for p in silent)} "
            "did not answer the survey, so whether they advocate for these candidates is unknown, "
            "not absent. Ask them before the meeting.") + "</p>")

    parts.append("<h2>Panel × candidate</h2><p class='legend'>")
    for name, (bg, fg) in CLASS_COLOURS.items():
        parts.append(f"<span style='background:{bg};color:{fg}'>{_e(name)}</span>")
    parts.append("</p><table><tr><th>candidate</th>")
    parts += [f"<th>{_e(_who(p, names))}" + ("<br><small>did not answer the survey</small>" if p in silent_panel
                                              else "") + "</th>" for p in panel]
    parts.append("</tr>")
    for cid, row in review.matrix.iterrows():
        parts.append(f"<tr><th>{_e(_who(str(cid), names))}</th>")
        for p in panel:
            tie = row[p]
            bg, fg = CLASS_COLOURS.get(tie, ("#ffffff", "#000000"))
            parts.append(f"<td class='cell' style='background:{bg};color:{fg}'>{_e(tie)}</td>")
        parts.append("</tr>")
    parts.append("</table>")

    talks = "manager_conversation" in review.candidates
    parts.append("<h2>Candidates</h2><table><tr><th>candidate</th><th>department</th>"
                 "<th>advocates</th><th>knows them</th><th>coverage</th>"
                 + ("<th>career conversation with their manager</th>" if talks else "")
                 + "<th>suggested introductions</th></tr>")
    introductions = _introductions_by_name(review, names)
    for _, r in review.candidates.iterrows():
        advocates = "—" if pd.isna(r["advocates"]) else f"{int(r['advocates'])}"
        if r["advocate_ids"]:
            advocates += ": " + _ids_to_names(r["advocate_ids"], names)
        coverage = "" if pd.isna(r["coverage"]) else f"{r['coverage']:.0%}"
        parts.append(f"<tr><td>{_e(_who(r['candidate_id'], names))}</td>"
                     f"<td>{_e(r.get(S.DEPARTMENT, ''))}</td><td>{_e(advocates)}</td>"
                     f"<td>{int(r['knows'])}</td><td>{coverage}</td>"
                     + (f"<td>{_e(r['manager_conversation'])}</td>" if talks else "")
                     + f"<td>{_e(introductions.get(r['candidate_id'], ''))}</td></tr>")
    parts.append("</table>")

    parts.append("<h2>Panel: how much of the slate each member knows</h2><table><tr>"
                 "<th>panel member</th><th>advocates for</th><th>strong</th><th>weak</th>"
                 "<th>knows</th><th>share of the slate</th><th>blind spots</th></tr>")
    for _, r in review.panel.iterrows():
        share = "" if pd.isna(r["slate_known_share"]) else f"{r['slate_known_share']:.0%}"
        parts.append(f"<tr><td>{_e(_who(r['panel_id'], names))}</td><td>{int(r['advocates_for'])}</td>"
                     f"<td>{int(r['strong'])}</td><td>{int(r['weak'])}</td><td>{int(r['knows'])}</td>"
                     f"<td>{share}</td><td>{_e(_ids_to_names(r['blind_spots'], names))}</td></tr>")
    parts.append("</table>")
    rules = review.rules
    strong = "no interaction data" if rules.strong_weight == float("inf") else f"{rules.strong_weight:.1f}"
    parts.append("<h2>How ties are classed</h2><p class='meta'>"
                 f"advocate: declared {_e(', '.join(rules.advocate_relations))} by the panel member; "
                 f"strong: interaction weight at least {_e(strong)} or a declared "
                 f"{_e(', '.join(rules.strong_relations))} tie; weak: interaction weight at least "
                 f"{rules.weak_weight:g} or any other declared tie. Introductions: someone who works "
                 "closely with both the candidate and a panel member who does not yet know the "
                 "candidate well, ranked by the weaker of the two ties. Metadata only: who "
                 "contacted whom and when, never what was said.</p></body></html>")
    return "".join(parts)


def write_brief_xlsx(review: TalentReview, people: pd.DataFrame, path) -> Path:
    """The brief as an Excel workbook: Summary, Matrix (coloured), Candidates, Panel,
    Introductions and Evidence sheets."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    names = _names(people)
    path = Path(path) if isinstance(path, (str, Path)) else path
    summary_rows: list[tuple[str, object]] = [("panel members", len(review.matrix.columns)),
                    ("candidates", len(review.candidates))]
    for label, ids in _flags(review).items():
        if review.advocates_from is None and "advocate" in label:
            continue
        summary_rows.append((f"with {label}", ", ".join(_who(x, names) for x in ids) or "none"))
    summary_rows += [("note", n) for n in review.notes]
    summary = pd.DataFrame(summary_rows, columns=["item", "value"])
    matrix = review.matrix.copy()
    matrix.index = [_who(str(c), names) for c in matrix.index]
    matrix.columns = [_who(str(p), names) for p in matrix.columns]
    matrix.index.name = "candidate"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        neutralize(summary).to_excel(writer, sheet_name="Summary", index=False)
        neutralize(matrix).to_excel(writer, sheet_name="Matrix")
        neutralize(review.candidates).to_excel(writer, sheet_name="Candidates", index=False)
        neutralize(review.panel).to_excel(writer, sheet_name="Panel", index=False)
        neutralize(review.introductions).to_excel(writer, sheet_name="Introductions", index=False)
        evidence = review.ties.copy()
        evidence["last_contact"] = evidence["last_contact"].astype("string")
        neutralize(evidence).to_excel(writer, sheet_name="Evidence", index=False)
        sheet = writer.sheets["Matrix"]
        for row in sheet.iter_rows(min_row=2, min_col=2):
            for cell in row:
                colours = CLASS_COLOURS.get(cell.value)
                if colours:
                    cell.fill = PatternFill("solid", start_color=colours[0][1:], end_color=colours[0][1:])
                    cell.font = Font(color=colours[1][1:])
        for ws in writer.sheets.values():
            for i, column in enumerate(ws.columns, start=1):
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
    return path


def write_brief(review: TalentReview, people: pd.DataFrame, out_dir: str | Path, *,
                period: str | None = None) -> list[Path]:
    """Write ``review_brief.html`` and ``review_brief.xlsx`` into ``out_dir``.

    Parameters
    ----------
    review : TalentReview
        The review (:func:`ona.talent_review`).
    people : DataFrame
        The people table, indexed by employee_id: people are shown by name where it has
        names.
    out_dir : str or Path
        The folder written into (made if missing); files of the same names are replaced.
    period : str, optional
        The period of the collaboration data, shown at the top of the HTML page.

    Returns
    -------
    list of Path
        The HTML page, then the Excel workbook.

    Examples
    --------
    >>> import ona, tempfile
    >>> acme = ona.sample_path("acme")
    >>> result = ona.review(acme, acme / "panel.csv", acme / "slate.csv")
    >>> [p.name for p in write_brief(result.review, result.network.people, tempfile.mkdtemp())]
    ['review_brief.html', 'review_brief.xlsx']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "review_brief.html"
    page.write_text(brief_html(review, people, period=period), encoding="utf-8")
    return [page, write_brief_xlsx(review, people, out / "review_brief.xlsx")]
