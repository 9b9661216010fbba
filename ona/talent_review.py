"""Talent review: for a panel in the room and a slate on the table, who will speak for whom.

Tie classes, for every panel member ``p`` and candidate ``c`` (first that applies):

1. **advocate** — ``p`` has declared advocacy for ``c``: a relation in
   ``advocate_relations`` (``advocacy``, ``sponsor``) from ``p`` to ``c``. A sponsor talks
   *about* you in the room.
2. **strong** — they work closely: their interaction weight (both directions, the chosen
   channels) is at least ``strong_weight``, or one declared a working relation
   (``strong_relations``: ``mentor``, ``knows_work``, ``advice``, ``collaboration``) to the
   other. ``knows_work`` counts only when the panel member declares it (the candidate
   knowing the panel member's work does not make the panel member know theirs).
3. **weak** — some contact: interaction weight at least ``weak_weight`` (0.5: about one
   one-to-one message or one shared hour-long meeting of five), or any other declared tie
   in either direction.
4. **none**.

``strong_weight`` by default is the 75th percentile of the interaction weights of the
pairs that count as tied in the organisation (above chance, see :mod:`ona.ties`): the
same strong tie as everywhere in ona, a pair the organisation would call close. It adapts
to the length of the window and the volume of the log; :func:`resolve_rules` computes it
once per network.

Per candidate: advocates (count, ids), panel members with a strong tie, knows (panel
members with any tie), coverage (share of the panel who know them), no_advocate,
single_advocate (one voice: fragile), and for candidates with no or one advocate up to
three suggested introductions: a person who works closely (a strong tie, or a declared
working or advocacy relation in either direction) with both the candidate and a panel
member who does not yet know the candidate well (tie none or weak), ranked by the weaker
of the two ties (a declared tie counts as ``strong_weight`` plus its interaction weight).
One suggestion per panel member, the best intermediary for each.

Survey coverage (:mod:`ona.survey`): a panel member who did not answer the survey has
stated no advocacy because they were not asked, not because they advocate for nobody. The
ties table says whether each panel member answered (``panel_answered``), the panel table
too (``answered_survey``), every candidate's row counts the panel members who did not
answer (``panel_not_answered``), and a no-advocate or single-advocate flag that could
change if they did is marked ``flag_rests_on_non_answers``. The notes say how many of
the panel answered.

Without any advocacy answers in the data, nobody can be shown as an advocate: advocate
counts and flags are left empty and the result says so; ``strong_as_advocates=True``
counts panel members with a strong tie as the best available stand-in, and says that too.
Introductions are then suggested for candidates whom at most one panel member knows well.

Examples
--------
>>> import ona
>>> net = ona.load(ona.sample_path("acme"))
>>> panel = ona.read_ids(ona.sample_path("acme") / "panel.csv", net.people, "panel")
>>> slate = ona.read_ids(ona.sample_path("acme") / "slate.csv", net.people, "slate")
>>> review = talent_review(net, panel, slate)
>>> int(review.candidates["no_advocate"].sum()), len(review.matrix.columns) == len(panel)
(4, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as S
from .errors import CellProblem, ConfigError, InputError
from .network import OrgNetwork, TieStore, focal_mark, stored_ties, tie_codes
from .survey import SurveyCoverage, manager_conversation, survey_coverage
from .ties import TieRule, strong_tie_weight

#: What each manager_conversation value says about a candidate, in words.
MANAGER_CONVERSATION_WORDS = {
    "yes": "their manager knows what they want (they have discussed their aspirations)",
    "no": "their manager may not know what they want: no career conversation with them",
    "did not answer": "whether they have discussed their aspirations with their manager is unknown "
                      "(they did not answer the survey)",
    "no manager": "",
}

__all__ = ["MANAGER_CONVERSATION_WORDS", "ADVOCATE_RELATIONS", "STRONG_RELATIONS", "TIE_CLASSES", "ReviewRules",
           "TalentReview", "read_ids", "find_people", "ids_in_file", "resolve_rules", "talent_review"]

ADVOCATE_RELATIONS = ("advocacy", "sponsor")
STRONG_RELATIONS = ("mentor", "knows_work", "advice", "collaboration")
#: Strong relations that count only when the panel member declares them.
PANEL_DECLARED_ONLY = ("knows_work",)
TIE_CLASSES = ("advocate", "strong", "weak", "none")
WEAK_WEIGHT = 0.5
NOT_REVIEWED = "self"  # the cell of a candidate who is also on the panel


@dataclass(frozen=True)
class ReviewRules:
    """How ties are classed in a talent review (see the module doc).

    strong_weight : interaction weight that makes a strong tie; None = the organisation's
        75th percentile of tied pairs (at least 4), computed by :func:`resolve_rules`.
    weak_weight : interaction weight that makes a weak tie (0.5).
    channels : interaction channels counted (None = every channel).
    strong_as_advocates : without advocacy answers, count strong ties as advocates.
    introductions : suggestions per candidate (3).
    """

    advocate_relations: tuple[str, ...] = ADVOCATE_RELATIONS
    strong_relations: tuple[str, ...] = STRONG_RELATIONS
    strong_weight: float | None = None
    weak_weight: float = WEAK_WEIGHT
    channels: tuple[str, ...] | None = None
    strong_as_advocates: bool = False
    introductions: int = 3

    def check(self) -> None:
        if self.strong_weight is not None and not self.strong_weight > 0:
            raise ConfigError(f"the strong tie weight must be above 0, got {self.strong_weight!r}")
        if not self.weak_weight > 0:
            raise ConfigError(f"the weak tie weight must be above 0, got {self.weak_weight!r}")
        if self.strong_weight is not None and self.weak_weight > self.strong_weight:
            raise ConfigError(f"the weak tie weight ({self.weak_weight}) cannot be above the strong "
                              f"one ({self.strong_weight})")
        if self.introductions < 0:
            raise ConfigError("the number of suggested introductions cannot be negative")
        overlap = set(self.advocate_relations) & set(self.strong_relations)
        if overlap:
            raise ConfigError(f"relation(s) {', '.join(sorted(overlap))} cannot be both advocacy "
                              "and a working relation; list each in one of the two")


def _layers(network: OrgNetwork, kind: str) -> set[str]:
    """The layers present of one kind (interaction channels or declared relations)."""
    return set(network.layers_of(kind))


def resolve_rules(network: OrgNetwork, rules: ReviewRules | None = None, *,
                  tie_rule: TieRule | None = None) -> ReviewRules:
    """The rules with ``strong_weight`` worked out from the network when it is None: the
    strongest quarter of the ties that count (:func:`ona.ties.strong_tie_weight`, with
    ``tie_rule``, by default the ties above chance).

    Parameters
    ----------
    network : OrgNetwork
        The network reviewed.
    rules : ReviewRules, optional
        The rules (default ``ReviewRules()``); checked, and their channels must have
        interactions in the network.
    tie_rule : TieRule, optional
        Which pairs count as tied when working out the strong weight (default
        ``TieRule()``).

    Returns
    -------
    ReviewRules
        ``rules`` as given when they have a ``strong_weight``; otherwise a copy with
        ``strong_weight`` set to the strong tie weight, never below ``weak_weight``.

    Examples
    --------
    >>> import ona
    >>> rules = resolve_rules(ona.load(ona.sample_path("acme")))
    >>> rules.strong_weight > rules.weak_weight
    True
    """
    rules = rules or ReviewRules()
    rules.check()
    if rules.channels is not None:
        known = _layers(network, S.KIND_INTERACTION)
        missing = [c for c in rules.channels if c not in known]
        if missing:
            raise ConfigError(f"no interactions in channel(s) {', '.join(missing)}; the channels "
                              f"present are {', '.join(sorted(known)) or 'none'}")
    if rules.strong_weight is not None:
        return rules
    value = strong_tie_weight(stored_ties(network), channels=rules.channels, rule=tie_rule)
    return replace(rules, strong_weight=max(value, rules.weak_weight))


def find_people(values: Iterable[str], people: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The employee_ids of ``values`` — each an id, or a name that only one person has
    (case and spacing aside) — in order without repeats, and the values that match nobody
    or several people.

    Parameters
    ----------
    values : iterable of str
        Employee ids or names (blank values are skipped).
    people : DataFrame
        The people table indexed by employee_id, with a ``name`` column for names to match.

    Returns
    -------
    tuple of (list of str, list of str)
        The employee_ids found, and the values (trimmed) that match nobody or several
        people; each in the order given, without repeats.

    Examples
    --------
    >>> people = pd.DataFrame({"name": ["Ana Lopez", "Bo", "Bo"]},
    ...                       index=pd.Index(["01", "02", "03"], name="employee_id"))
    >>> find_people(["ana  lopez", "02", "Bo", "Zed"], people)
    (['01', '02'], ['Bo', 'Zed'])
    """
    ids = set(people.index.astype(str))
    by_name: dict[str, str | None] = {}
    if S.NAME in people.columns:
        for pid, name in zip(people.index.astype(str), people[S.NAME]):
            if isinstance(name, str) and name.strip():
                key = " ".join(name.split()).casefold()
                by_name[key] = pid if key not in by_name else None  # None: two people share it
    found, missing = [], []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        if text in ids:
            found.append(text)
        elif match := by_name.get(" ".join(text.split()).casefold()):
            found.append(match)
        else:
            missing.append(text)
    return list(dict.fromkeys(found)), list(dict.fromkeys(missing))


def read_ids(value: str | Path | Iterable[str], people: pd.DataFrame, role: str) -> list[str]:
    """Panel or slate ids from a file (CSV, Excel, Parquet: a column ``employee_id`` or
    ``name``, or a single column with or without a header), from comma-separated values,
    or from a list. A value is an employee_id or a name only one person has; every one must
    match. Repeated people are kept once.

    Parameters
    ----------
    value : str, Path or iterable of str
        A file, comma-separated ids or names, or a list of them.
    people : DataFrame
        The people table indexed by employee_id (with ``name`` to match names).
    role : str
        What the list is (``"panel"``, ``"slate"``), for messages.

    Returns
    -------
    list of str
        The employee_ids, in the order given, each once.

    Raises
    ------
    ona.errors.ConfigError
        A value matches nobody, the list is empty, or a path does not exist.
    ona.errors.InputError
        A file has no usable column, is empty, or names someone not on the people list.

    Examples
    --------
    >>> people = pd.DataFrame({"name": ["Ana", "Bo"]}, index=pd.Index(["001", "002"], name="employee_id"))
    >>> read_ids("001, Bo,001", people, "panel")
    ['001', '002']
    >>> read_ids("001,009", people, "slate")
    Traceback (most recent call last):
    ...
    ona.errors.ConfigError: slate: 009 is not the id or the name of anyone on the people list.
    Check it, or add the person to the people file.
    """
    if isinstance(value, (str, Path)) and _is_file(value):
        return _ids_from_file(Path(value), people, role)
    if isinstance(value, Path):
        raise ConfigError(f"the {role} file {value.name} does not exist: check the path")
    if isinstance(value, str):
        values = [x.strip() for x in value.split(",")]
    else:
        values = [str(x).strip() for x in value]
    values = [x for x in values if x]
    if not values:
        raise ConfigError(f"the {role} is empty: give a file with an employee_id column or "
                          "comma-separated employee ids")
    ids, unknown = find_people(values, people)
    if unknown:
        listed = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise ConfigError(f"{role}: {listed} {'are' if len(unknown) > 1 else 'is'} not the id or the "
                          "name of anyone on the people list. Check "
                          f"{'them' if len(unknown) > 1 else 'it'}, or add the person to the people file.")
    return ids


def _is_file(value: str | Path) -> bool:
    text = str(value)
    if "," in text and not Path(text).exists():
        return False
    path = Path(text)
    if path.suffix or path.exists() or "/" in text or "\\" in text:
        if not path.exists():
            raise ConfigError(f"the {text} file does not exist; give a file with an employee_id "
                              "column or comma-separated employee ids")
        return True
    return False


def ids_in_file(path: Path, people: pd.DataFrame, role: str) -> tuple[list[str], list[tuple[int, str]], str]:
    """The people a panel or slate file names (see :func:`read_ids`), the rows and values
    that match nobody, and the column read. A single column whose header is itself an id or
    a name is a file without a header: its first row counts too."""
    from .read import ROW, read_table
    table = read_table(path)
    columns = [c for c in table.columns if c != ROW]
    headerless = False
    if S.EMPLOYEE_ID in columns:
        column = S.EMPLOYEE_ID
    elif S.NAME in columns:
        column = S.NAME
    elif len(columns) == 1:
        column = columns[0]
        headerless = bool(find_people([table.attrs.get("raw_header", {}).get(column, column)], people)[0])
    else:
        raise InputError(path, f"the {role} file needs an employee_id or name column (found: "
                         f"{', '.join(columns)})", fix="Name the column of ids employee_id.")
    values = table[column].astype("string").str.strip()
    rows = table[ROW].tolist()
    values = values.tolist()
    if headerless:  # the header row was the first person
        values = [table.attrs.get("raw_header", {}).get(column, column)] + values
        rows = [1] + rows
    found, missing = [], []
    for row, value in zip(rows, values):
        if value is None or pd.isna(value) or not str(value).strip():
            continue
        ids, unknown = find_people([value], people)
        found += ids
        if unknown:
            missing.append((row, str(value)))
    return list(dict.fromkeys(found)), missing, column


def _ids_from_file(path: Path, people: pd.DataFrame, role: str) -> list[str]:
    ids, missing, column = ids_in_file(path, people, role)
    if missing:
        raise InputError(path, "is not the id or the name of anyone on the people list",
                         column=column, cells=[CellProblem(r, x) for r, x in missing],
                         fix="Check the id, or add the person to the people file.")
    if not ids:
        raise InputError(path, f"the {role} is empty", fix="List one employee_id per row.")
    return ids


@dataclass
class TalentReview:
    """What :func:`talent_review` found.

    candidates : one row per candidate (the ``talent_review`` output).
    matrix : candidate x panel member, the tie class of each pair.
    ties : one row per pair with its class and evidence (channels, weight, events,
        declared relations, last contact).
    panel : one row per panel member: how much of the slate they know, blind spots.
    introductions : one row per suggested introduction.
    rules : the rules used, with the strong weight worked out.
    notes : plain-language notes (no advocacy data, survey coverage, candidates on the panel).
    survey : who answered the survey (:class:`~ona.survey.SurveyCoverage`), None without one.
    """

    candidates: pd.DataFrame
    matrix: pd.DataFrame
    ties: pd.DataFrame
    panel: pd.DataFrame
    introductions: pd.DataFrame
    rules: ReviewRules
    notes: list[str] = field(default_factory=list)
    advocates_from: str | None = "advocacy"
    survey: SurveyCoverage | None = None

    def flagged(self, flag: str) -> list[str] | None:
        """The candidates (ids, in slate order) with ``flag``: ``no_advocate``,
        ``single_advocate``, ``flag_rests_on_non_answers`` or ``unknown_to_panel`` (nobody
        on the panel knows them). Without advocacy data the advocate flags are None, not
        empty: nobody can be shown to have no advocate. The one place the flags are read;
        the brief, the dashboard and the command line show this."""
        c = self.candidates
        if flag == "unknown_to_panel":
            return c.loc[c["knows"] == 0, "candidate_id"].tolist()
        if flag not in ("no_advocate", "single_advocate", "flag_rests_on_non_answers"):
            raise ConfigError(f"no candidate flag {flag!r}")
        if self.advocates_from is None:
            return None
        return c.loc[c[flag].fillna(False).astype(bool), "candidate_id"].tolist()

    def why_no_strong(self) -> str | None:
        """When no cell of the matrix is a strong tie, why: the bar, and the closest pair
        below it (a column of zeros is otherwise a puzzle). None when some tie is strong."""
        ties = self.ties
        if (ties["tie"] == "strong").any() or self.rules.strong_weight is None:
            return None
        others = ties.loc[ties["tie"].isin(["weak", "none"]), "weight"]
        closest = (f"; the closest other pair here has {others.max():.1f}"
                   if len(others) and others.max() > 0 else "")
        return (f"No panel member works closely with a candidate they do not advocate for: a strong tie "
                f"is one among the strongest quarter in the organisation (weight "
                f"{self.rules.strong_weight:.1f} or more, or a declared "
                f"{', '.join(self.rules.strong_relations)} tie){closest}.")

    def summary(self) -> dict:
        """Counts for run records and messages (ids only, no names). Without advocacy data
        the advocate lists are None, not empty: nobody can be shown to have no advocate."""
        c = self.candidates
        answered = self.panel["answered_survey"] if "answered_survey" in self.panel else None
        return {"panel": len(self.panel), "slate": len(c), "advocates_from": self.advocates_from,
                "panel_answered": (int(answered.fillna(False).astype(bool).sum())
                                   if answered is not None and self.survey is not None else None),
                "survey_known_from": self.survey.source if self.survey is not None else None,
                "no_advocate": self.flagged("no_advocate"),
                "single_advocate": self.flagged("single_advocate"),
                "flags_resting_on_non_answers": self.flagged("flag_rests_on_non_answers"),
                "unknown_to_panel": self.flagged("unknown_to_panel"),
                "introductions": len(self.introductions),
                "strong_weight": self.rules.strong_weight, "weak_weight": self.rules.weak_weight,
                "notes": list(self.notes)}

    def write(self, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
        """Write talent_review, talent_review_matrix, talent_review_ties,
        talent_review_panel and talent_review_introductions; returns the paths."""
        from .outputs import write_table
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        return [write_table(self.candidates, out / "talent_review", fmt),
                write_table(self.matrix, out / "talent_review_matrix", fmt, index=True),
                write_table(self.ties, out / "talent_review_ties", fmt),
                write_table(self.panel, out / "talent_review_panel", fmt),
                write_table(self.introductions, out / "talent_review_introductions", fmt)]


def _focal_ties(network: OrgNetwork, focal: Sequence[str]) -> pd.DataFrame:
    """Every tie touching a focal person, with integer ends and lower/higher end."""
    held = stored_ties(network)
    if isinstance(held, TieStore):  # ties in files: only the focal people's rows are read
        sub, s, t, ids = held.touching(focal)
    else:
        s, t, ids = tie_codes(held, wide=False)
        mark = focal_mark(pd.Index(ids), focal)
        keep = mark[s] | mark[t]
        sub = held.loc[keep, [S.LAYER, S.KIND, S.TIE_WEIGHT, S.TIE_COUNT, S.LAST_CONTACT]].copy()
        s, t = s[keep], t[keep]
    names = np.asarray(ids, dtype=object)
    sub["s"] = names[s]
    sub["t"] = names[t]
    sub[S.LAYER] = sub[S.LAYER].astype(str)
    sub[S.KIND] = sub[S.KIND].astype(str)
    sub["a"] = np.where(sub["s"] < sub["t"], sub["s"], sub["t"])
    sub["b"] = np.where(sub["s"] < sub["t"], sub["t"], sub["s"])
    return sub


def talent_review(network: OrgNetwork, panel: Sequence[str], slate: Sequence[str], *,
                  rules: ReviewRules | None = None) -> TalentReview:
    """Class every panel member x candidate tie, count advocates, flag candidates with no
    or one advocate and suggest introductions (see the module doc for every rule).

    ``panel`` and ``slate`` are employee ids (see :func:`read_ids`). ``rules`` with a
    worked-out strong weight (:func:`resolve_rules`) saves recomputing it.

    Parameters
    ----------
    network : OrgNetwork
        The network reviewed.
    panel : sequence of str
        The panel members (ids, or names only one person has).
    slate : sequence of str
        The candidates (ids, or names only one person has).
    rules : ReviewRules, optional
        How ties are classed (default ``ReviewRules()``, its strong weight worked out by
        :func:`resolve_rules`).

    Returns
    -------
    TalentReview
        ``candidates`` (one row per candidate, in slate order), ``matrix`` (candidate x
        panel member tie classes), ``ties`` (one row per pair with its evidence),
        ``panel`` (one row per panel member), ``introductions``, the ``rules`` used,
        ``notes``, where advocates come from (``advocates_from``) and the survey coverage.

    Examples
    --------
    >>> import ona
    >>> acme = ona.sample_path("acme")
    >>> net = ona.load(acme)
    >>> panel = ona.read_ids(acme / "panel.csv", net.people, "panel")
    >>> slate = ona.read_ids(acme / "slate.csv", net.people, "slate")
    >>> review = talent_review(net, panel, slate)
    >>> review.matrix.shape == (len(slate), len(panel))
    True
    """
    panel = read_ids(list(panel), network.people, "panel")
    slate = read_ids(list(slate), network.people, "slate")
    rules = resolve_rules(network, rules)
    notes: list[str] = []
    both = [c for c in slate if c in set(panel)]
    if both:
        notes.append(f"{len(both)} candidate{'s are' if len(both) > 1 else ' is'} also on the panel "
                     f"(see also_on_panel): their own cell is marked '{NOT_REVIEWED}' and they are "
                     "not counted as knowing themselves")
    sub = _focal_ties(network, list(dict.fromkeys(panel + slate)))
    inter = sub[sub[S.KIND] == S.KIND_INTERACTION]
    if rules.channels is not None:
        inter = inter[inter[S.LAYER].isin(rules.channels)]
    declared = sub[sub[S.KIND] == S.KIND_RELATIONSHIP]
    has_advocacy = bool(_layers(network, S.KIND_RELATIONSHIP) & set(rules.advocate_relations))
    survey = survey_coverage(network)
    answered = survey.of(panel) if survey is not None else None
    if answered is not None:
        missing = int((~answered).sum())
        from_file = survey is not None and survey.source == "people file"
        how = "from the people file" if from_file else "inferred from who named anyone"
        notes.append(f"{len(panel) - missing} of the {len(panel)} panel members answered the survey ({how})"
                     + (f"; for the {missing} who did not, advocacy is unknown, not absent: flags "
                        "that could change are marked flag_rests_on_non_answers" if missing else ""))
    advocates_from: str | None = "advocacy"
    if not has_advocacy:
        if rules.strong_as_advocates:
            advocates_from = "strong ties"
            notes.append("the data has no advocacy answers (relations "
                         f"{', '.join(rules.advocate_relations)}): panel members with a strong tie "
                         "are counted as advocates instead, as the best available stand-in")
        else:
            advocates_from = None
            notes.append("the data has no advocacy answers (relations "
                         f"{', '.join(rules.advocate_relations)}), so nobody can be shown as an "
                         "advocate; advocate counts are left empty. Add a survey of who advocates "
                         "for whom, or count strong ties as a stand-in (--strong-as-advocates)")

    pairs = (inter.groupby(["a", "b"], sort=False)
             .agg(weight=(S.TIE_WEIGHT, "sum"), events=(S.TIE_COUNT, "sum"),
                  last=(S.LAST_CONTACT, "max"))
             if not inter.empty else
             pd.DataFrame(columns=["weight", "events", "last"],
                          index=pd.MultiIndex.from_arrays([[], []], names=["a", "b"])))
    # channels only for the panel x slate pairs (the evidence shown)
    reviewed = set(panel) | set(slate)
    between = inter[inter["a"].isin(reviewed) & inter["b"].isin(reviewed)]
    channels = (between.groupby(["a", "b"])[S.LAYER].agg(lambda x: ", ".join(sorted(set(x))))
                if not between.empty else pd.Series(dtype=object))
    pair_info = pairs.loc[pairs.index.isin(channels.index)].to_dict("index") if len(channels) else {}
    for key, value in channels.items():
        pair_info.setdefault(key, {})["channels"] = value
    stated: dict[tuple[str, str], list[str]] = {}
    for s, t, rel in zip(declared["s"], declared["t"], declared[S.LAYER]):
        stated.setdefault((s, t), []).append(rel)
    last_declared = declared.groupby(["a", "b"])[S.LAST_CONTACT].max().to_dict() if not declared.empty else {}

    if rules.strong_weight is None:
        raise ConfigError("the strong tie weight is not worked out: pass the rules through resolve_rules")
    strong_w, weak_w = float(rules.strong_weight), rules.weak_weight
    adv_rel, strong_rel = set(rules.advocate_relations), set(rules.strong_relations)

    def classify(p: str, c: str) -> tuple[str, dict]:
        key = (min(p, c), max(p, c))
        info = pair_info.get(key, {})
        weight = float(info.get("weight", 0.0) or 0.0)
        by_panel, by_candidate = stated.get((p, c), []), stated.get((c, p), [])
        if set(by_panel) & adv_rel:
            tie = "advocate"
        elif (weight >= strong_w or set(by_panel) & strong_rel
              or (set(by_candidate) & strong_rel) - set(PANEL_DECLARED_ONLY)):
            tie = "strong"
        elif weight >= weak_w or by_panel or by_candidate:
            tie = "weak"
        else:
            tie = "none"
        text = [f"{r} (by panel member)" for r in sorted(by_panel)] + \
               [f"{r} (by candidate)" for r in sorted(by_candidate)]
        last = [x for x in (info.get("last"), last_declared.get(key)) if x is not None and pd.notna(x)]
        return tie, {"weight": weight, "events": float(info.get("events", 0.0) or 0.0),
                     "channels": info.get("channels", ""), "declared": "; ".join(text),
                     "last_contact": max(last) if last else pd.NaT}

    rows = []
    for c in slate:
        for p in panel:
            if p == c:
                rows.append({"candidate_id": c, "panel_id": p, "tie": NOT_REVIEWED, "weight": 0.0,
                             "events": 0.0, "channels": "", "declared": "", "last_contact": pd.NaT})
                continue
            tie, evidence = classify(p, c)
            rows.append({"candidate_id": c, "panel_id": p, "tie": tie, **evidence})
    ties = pd.DataFrame(rows)
    ties["panel_answered"] = (pd.array(ties["panel_id"].map(answered).to_numpy(), dtype="boolean")
                              if answered is not None else pd.array([pd.NA] * len(ties), dtype="boolean"))
    matrix = ties.pivot(index="candidate_id", columns="panel_id", values="tie").loc[slate, panel]
    matrix.index.name, matrix.columns.name = "candidate_id", "panel_id"

    candidates = _candidate_table(network.people, ties, slate, panel, advocates_from)
    neighbours = _close_ties(pairs, declared, strong_w, adv_rel | strong_rel)
    intros = _introductions(candidates, ties, neighbours, rules.introductions, network.people,
                            advocates_from)
    text = (intros.groupby("candidate_id")["suggestion"].agg("; ".join) if not intros.empty
            else pd.Series(dtype=object))
    candidates["suggested_introductions"] = candidates["candidate_id"].map(text).astype(object).fillna("")
    talked = manager_conversation(network)
    if talked is not None:  # whether the candidate's manager knows what they want
        candidates["manager_conversation"] = candidates["candidate_id"].map(talked).to_numpy()
    panel_table = _panel_table(network.people, ties, panel)
    panel_table["answered_survey"] = (pd.array(answered.reindex(panel).to_numpy(), dtype="boolean")
                                      if answered is not None else pd.array([pd.NA] * len(panel), dtype="boolean"))
    return TalentReview(candidates=candidates, matrix=matrix, ties=ties, panel=panel_table,
                        introductions=intros, rules=rules, notes=notes, advocates_from=advocates_from,
                        survey=survey)


def _describe(people: pd.DataFrame, ids: Sequence[str], prefix: str) -> pd.DataFrame:
    columns = [c for c in (S.NAME, S.DEPARTMENT, S.TITLE) if c in people.columns]
    frame = people.loc[list(ids), columns].reset_index(drop=True)
    frame.insert(0, prefix, list(ids))
    return frame


def _candidate_table(people: pd.DataFrame, ties: pd.DataFrame, slate: list[str], panel: list[str],
                     advocates_from: str | None) -> pd.DataFrame:
    table = _describe(people, slate, "candidate_id")
    real = ties[ties["tie"] != NOT_REVIEWED]
    by = real.groupby("candidate_id")
    panel_size = by.size().reindex(slate).fillna(0).to_numpy()

    def ids_where(mask: pd.Series) -> pd.Series:
        return real[mask].groupby("candidate_id")["panel_id"].agg("; ".join).reindex(slate).fillna("")

    def count_where(mask: pd.Series) -> np.ndarray:
        return real[mask].groupby("candidate_id").size().reindex(slate).fillna(0).astype(int).to_numpy()

    is_adv = real["tie"].eq("advocate")
    is_strong = real["tie"].eq("strong")
    known = real["tie"].ne("none")
    if advocates_from == "advocacy":
        advocates, advocate_ids = count_where(is_adv), ids_where(is_adv)
    elif advocates_from == "strong ties":
        advocates, advocate_ids = count_where(is_strong | is_adv), ids_where(is_strong | is_adv)
    else:
        advocates, advocate_ids = None, pd.Series("", index=slate)
    table["advocates"] = pd.array(advocates if advocates is not None else [pd.NA] * len(slate), dtype="Int64")
    table["advocate_ids"] = advocate_ids.to_numpy()
    table["strong_ties"] = count_where(is_strong)
    table["knows"] = count_where(known)
    table["known_by"] = ids_where(known).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        table["coverage"] = np.where(panel_size > 0, table["knows"] / np.maximum(panel_size, 1), np.nan)
    table["no_advocate"] = pd.array(table["advocates"].eq(0), dtype="boolean")
    table["single_advocate"] = pd.array(table["advocates"].eq(1), dtype="boolean")
    silent = real["panel_answered"].eq(False) & real["tie"].ne("advocate")
    table["panel_not_answered"] = pd.array(
        count_where(silent) if real["panel_answered"].notna().any() else [pd.NA] * len(slate), dtype="Int64")
    flagged = table["no_advocate"] | table["single_advocate"]
    table["flag_rests_on_non_answers"] = pd.array(flagged & table["panel_not_answered"].gt(0),
                                                  dtype="boolean")
    table["also_on_panel"] = table["candidate_id"].isin(panel)
    return table


def _close_ties(pairs: pd.DataFrame, declared: pd.DataFrame, strong_w: float,
                relations: set[str]) -> dict[str, dict[str, float]]:
    """Who works closely with whom among the ties touching focal people, with a score."""
    score: dict[tuple[str, str], float] = {}
    if not pairs.empty:
        weights = pairs["weight"]
        for (a, b), w in weights.items():
            score[(a, b)] = float(w)
    close = {k for k, w in score.items() if w >= strong_w}
    work = declared[declared[S.LAYER].isin(relations)]
    for a, b in zip(work["a"], work["b"]):
        if a == b:
            continue
        close.add((a, b))
        score[(a, b)] = score.get((a, b), 0.0) + (strong_w if math.isfinite(strong_w) else 0.0)
    neighbours: dict[str, dict[str, float]] = {}
    for a, b in close:
        s = score[(a, b)]
        neighbours.setdefault(a, {})[b] = s
        neighbours.setdefault(b, {})[a] = s
    return neighbours


def _label(people: pd.DataFrame, pid: str) -> str:
    if S.NAME in people.columns:
        name = people.at[pid, S.NAME]
        if isinstance(name, str) and name.strip():
            return f"{pid} ({name})"
    return pid


def _introductions(candidates: pd.DataFrame, ties: pd.DataFrame,
                   neighbours: dict[str, dict[str, float]], top: int, people: pd.DataFrame,
                   advocates_from: str | None) -> pd.DataFrame:
    columns = ["candidate_id", "panel_id", "panel_tie", "via_id", "via_to_candidate", "via_to_panel", "score",
               "suggestion"]
    if top == 0:
        return pd.DataFrame(columns=columns)
    if advocates_from is None:
        strong_or_better = ties[ties["tie"].isin(["advocate", "strong"])].groupby("candidate_id").size()
        needs = candidates.loc[candidates["candidate_id"].map(strong_or_better).fillna(0) <= 1,
                               "candidate_id"]
    else:
        needs = candidates.loc[candidates["advocates"].fillna(0) <= 1, "candidate_id"]
    open_ties = ties[ties["tie"].isin(["none", "weak"])]
    targets = open_ties.groupby("candidate_id")["panel_id"].agg(list)
    tie_of = dict(zip(zip(open_ties["candidate_id"], open_ties["panel_id"]), open_ties["tie"]))
    rows = []
    for c in needs:
        mine = neighbours.get(c, {})
        options = []
        for p in targets.get(c, []):
            theirs = neighbours.get(p, {})
            common = (set(mine) & set(theirs)) - {c, p}
            if not common:
                continue
            best = min(common, key=lambda x: (-min(mine[x], theirs[x]), x))
            options.append((min(mine[best], theirs[best]), p, best))
        options.sort(key=lambda o: (-o[0], o[1]))
        for score, p, via in options[:top]:
            rows.append({"candidate_id": c, "panel_id": p, "panel_tie": tie_of[(c, p)], "via_id": via,
                         "via_to_candidate": mine[via], "via_to_panel": neighbours[p][via],
                         "score": score,
                         "suggestion": f"{_label(people, via)} to {_label(people, p)}"})
    return pd.DataFrame(rows, columns=columns)


def _panel_table(people: pd.DataFrame, ties: pd.DataFrame, panel: list[str]) -> pd.DataFrame:
    table = _describe(people, panel, "panel_id")
    real = ties[ties["tie"] != NOT_REVIEWED]
    counts = pd.crosstab(real["panel_id"], real["tie"]).reindex(index=panel, columns=list(TIE_CLASSES),
                                                                fill_value=0)
    for name in TIE_CLASSES:
        table["advocates_for" if name == "advocate" else name] = counts[name].to_numpy()
    slate_size = real.groupby("panel_id").size().reindex(panel).fillna(0).to_numpy()
    table["knows"] = slate_size - counts["none"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        table["slate_known_share"] = np.where(slate_size > 0, table["knows"] / np.maximum(slate_size, 1), np.nan)
    blind = real[real["tie"] == "none"].groupby("panel_id")["candidate_id"].agg("; ".join)
    table["blind_spots"] = table["panel_id"].map(blind).astype(object).fillna("")
    return table
