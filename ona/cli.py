"""The ``ona`` command line.

Every error ona raises on purpose is printed as one message (file, row, column and
what to do) with exit status 2; no traceback reaches the user unless ``--debug``.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from collections.abc import Sequence
from typing import Any

from . import __version__
from .centrality import DEFAULT_PIVOTS, PathSettings
from .confidence import ConfidenceSettings
from .errors import ConfigError, OnaError
from .interactions import AGGREGATION_STAGES, Weighting
from .outputs import OUTPUT_FORMATS
from .schema import EMPLOYEE_ID as S_ID
from .schema import LEVEL as S_LEVEL
from .ties import CORE_TIES, TIE_METHODS

__all__ = ["main", "build_parser"]


def _channel_weights(values: Sequence[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in values:
        for part in item.split(","):
            if not part.strip():
                continue
            name, sep, number = part.partition("=")
            try:
                if not sep:
                    raise ValueError
                weights[name.strip().lower()] = float(number)
            except ValueError:
                raise ConfigError(f"--channel-weight takes CHANNEL=NUMBER (for example chat=0.5), "
                                  f"got {part!r}") from None
    return weights


def _signature_defaults(function) -> dict[str, object]:
    return {name: p.default for name, p in inspect.signature(function).parameters.items()
            if p.default is not inspect.Parameter.empty}


def _defaults() -> dict[str, dict[str, Any]]:
    """Every default the command line offers, read from where it is defined (the settings
    dataclasses and the signatures of the functions the commands call), never typed again
    here; tests/test_cli.py checks the parsed defaults against the same places."""
    from dataclasses import asdict

    from .careers import CareerRules
    from .compare import compare_periods
    from .fairness import FairnessSettings
    from .generate import generate_organisation
    from .pipeline import analyze
    from .settings import Settings
    settings = Settings()
    return {"analyze": _signature_defaults(analyze),
            **{name: asdict(getattr(settings, name)) for name in settings.__dataclass_fields__},
            "compare": _signature_defaults(compare_periods), "generate": _signature_defaults(generate_organisation),
            "serve": {"min_group_size": settings.groups.min_group_size}, "fairness": asdict(FairnessSettings()),
            "careers": asdict(CareerRules())}


DEFAULTS = _defaults()
_W, _R, _G, _F, _C = (DEFAULTS["weighting"], DEFAULTS["review"], DEFAULTS["generate"], DEFAULTS["fairness"],
                      DEFAULTS["careers"])
STRONG_DEFAULT = ",".join(_R["strong_relations"])


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [x.strip().lower() for x in value.split(",") if x.strip()]


def _add_load_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("reading the data")
    group.add_argument("--since", metavar="DATE", help="keep events from this date (ISO, inclusive)")
    group.add_argument("--until", metavar="DATE", help="keep events up to this date (ISO, inclusive)")
    group.add_argument("--drop-invalid", action="store_true",
                       help="drop and count rows with unreadable values instead of stopping")
    group.add_argument("--strict", action="store_true",
                       help="treat warnings about the people list (unknown managers) as errors")
    group.add_argument("--encoding", help="text encoding of the CSV files (default UTF-8)")
    group.add_argument("--sheet", metavar="NAME",
                       help="the sheet to read from Excel inputs (default the first; a warning "
                            "says which was read when a workbook has several)")
    weights = parser.add_argument_group("weighting events (see docs/weighting.md)")
    weights.add_argument("--channel-weight", action="append", default=[], metavar="CHANNEL=W",
                         help="weight of one event of a channel, e.g. chat=0.5 (default 1 for all)")
    weights.add_argument("--meeting-channels", default=",".join(_W["meeting_channels"]), metavar="LIST",
                         help="channels whose events are gatherings (default: %(default)s)")
    weights.add_argument("--reference-minutes", type=float, default=_W["reference_minutes"], metavar="MIN",
                         help="meeting length that weighs 1 (default %(default)s)")
    weights.add_argument("--max-meeting-size", type=int, default=_W["max_meeting_size"], metavar="N",
                         help="meetings of more participants are mass events and make no ties "
                              "(default %(default)s)")
    weights.add_argument("--max-recipients", type=int, default=_W["max_recipients"], metavar="N",
                         help="messages to more recipients are mass events and make no ties "
                              "(default %(default)s)")
    weights.add_argument("--broadcast-share", type=float, default=_W["broadcast_share"], metavar="F",
                         help="a sender whose messages are spread evenly over at least this "
                              "share of the organisation is a broadcaster: their messages make "
                              "no ties (default %(default)s)")
    weights.add_argument("--half-life", type=float, metavar="DAYS",
                         help="recency decay: an event this many days old weighs half")


def _add_privacy_options(parser: argparse.ArgumentParser, *, mapping: bool) -> None:
    """--pseudonymize and its key (and the mapping file where one is written), --quiet."""
    privacy = parser.add_argument_group("privacy")
    privacy.add_argument("--pseudonymize", action="store_true",
                         help="replace ids with keyed pseudonyms and drop names in every output")
    privacy.add_argument("--pseudonym-key", metavar="KEY",
                         help="the secret key (better: set ONA_PSEUDONYM_KEY, which other users "
                              "of the machine cannot see)")
    if mapping:
        privacy.add_argument("--pseudonym-map", metavar="PATH",
                             help="also write the id -> pseudonym mapping here (keep it apart)")
    privacy.add_argument("--drop-column", action="append", default=[], metavar="COLUMN",
                         help="with --pseudonymize, also drop this people column (repeatable)")
    privacy.add_argument("--keep-column", action="append", default=[], metavar="COLUMN",
                         help="with --pseudonymize, keep this people column too: by default only "
                              "department, team, title, level, manager, location, hire date, "
                              "performance and survey response are kept (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _weighting(args: argparse.Namespace) -> Weighting:
    return Weighting(channel_weights=_channel_weights(args.channel_weight),
                     meeting_channels=tuple(_split(args.meeting_channels) or ()),
                     reference_minutes=args.reference_minutes,
                     default_minutes=args.reference_minutes,
                     max_meeting_size=args.max_meeting_size, max_recipients=args.max_recipients,
                     broadcast_share=args.broadcast_share, half_life_days=args.half_life)


def _add_tie_options(group) -> None:
    group.add_argument("--tie-rule", default=DEFAULTS["ties"]["method"], choices=list(TIE_METHODS),
                       help="which pairs count as tied: backbone (default: interaction above "
                            "chance for the two people's activity), min_weight (a fixed cut-off, "
                            "--min-tie-weight) or all (any interaction)")
    group.add_argument("--tie-significance", type=float, default=DEFAULTS["ties"]["significance"], metavar="SD",
                       help="backbone: standard deviations above chance (default %(default)s)")
    group.add_argument("--max-ties", type=int, metavar="N",
                       help="a pair counts only among the N strongest ties of one of the two people "
                            f"(default {CORE_TIES} with the backbone rule, no limit otherwise; 0 = no limit)")
    group.add_argument("--min-tie-weight", type=float, metavar="W",
                       help="a fixed cut-off instead: interaction weight a pair needs to count "
                            "as tied (2 was ona 0.1's rule: an exchange of one-to-one messages)")


def _tie_rule(args: argparse.Namespace):
    from .ties import TieRule
    if args.min_tie_weight is not None:
        if args.tie_rule not in ("backbone", "min_weight"):
            raise ConfigError("--min-tie-weight goes with --tie-rule min_weight, not " + args.tie_rule)
        return TieRule(method="min_weight", min_weight=args.min_tie_weight, max_ties=args.max_ties)
    if args.tie_rule == "min_weight":
        return TieRule(method="min_weight", max_ties=args.max_ties)
    return TieRule(method=args.tie_rule, significance=args.tie_significance, max_ties=args.max_ties)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ona", description="Organisational network analysis: who the decision-makers know, "
                                "who is visible, where the silos are.")
    parser.add_argument("--version", action="version", version=f"ona {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    analyze = sub.add_parser("analyze", help="analyse a data folder and write the outputs",
                             description="Read people, interactions and relationships from "
                                         "DATA_DIR and write people_metrics, data_quality and "
                                         "run.json to OUT_DIR.")
    analyze.add_argument("data_dir", metavar="DATA_DIR")
    analyze.add_argument("--out", required=True, metavar="OUT_DIR", help="folder for the outputs")
    analyze.add_argument("--layers", metavar="LIST",
                         help="layers to measure, e.g. email,meeting (default: every interaction "
                              "channel, or every declared relation when there is no event log)")
    analyze.add_argument("--format", default=DEFAULTS["analyze"]["fmt"], choices=list(OUTPUT_FORMATS),
                         help="format of the output tables (default %(default)s)")
    analyze.add_argument("--export", metavar="LIST",
                         help="also write xlsx (every table in one workbook, ona_results.xlsx), "
                              "gexf and/or graphml (network.gexf / network.graphml for Gephi), "
                              "e.g. --export xlsx,gexf")
    analyze.add_argument("--panel", metavar="PANEL",
                         help="with --slate: also run the talent review on the analysed network "
                              "(tables in OUT_DIR/review, sheets in the --export xlsx workbook)")
    analyze.add_argument("--slate", metavar="SLATE", help="the candidates, with --panel")
    measures = analyze.add_argument_group("measures (see docs/metrics.md)")
    _add_tie_options(measures)
    measures.add_argument("--senior-levels", type=int, default=DEFAULTS["visibility"]["senior_levels"], metavar="N",
                          help="the top N levels present are the senior leaders (default %(default)s)")
    measures.add_argument("--leaders", metavar="IDS",
                          help="comma-separated employee_ids of the senior leaders instead")
    measures.add_argument("--exact-limit", type=int, default=DEFAULTS["paths"]["exact_limit"], metavar="N",
                          help="exact betweenness and closeness up to N people, sampled "
                               "beyond (default %(default)s)")
    measures.add_argument("--pivots", type=int, metavar="K",
                          help="sampled source people for betweenness beyond the exact limit "
                               f"(default {DEFAULT_PIVOTS}; half as many for closeness)")
    measures.add_argument("--workers", type=int, metavar="N",
                          help="processes for the path measures (default: every core)")
    measures.add_argument("--seed", type=int, default=DEFAULTS["paths"]["seed"],
                          help="seed of every random step: path sampling, tribes, confidence reruns "
                               "(default %(default)s)")
    talent = analyze.add_argument_group("hidden talent")
    talent.add_argument("--high-performers", default=DEFAULTS["hidden"]["high_performers"],
                        choices=["auto", "top_rating", "top_share"],
                        help="who is a high performer (default auto: top rating on a rating "
                             "scale, top share otherwise)")
    talent.add_argument("--top-share", type=float, default=DEFAULTS["hidden"]["top_share"], metavar="F",
                        help="share of people counted as high performers with top_share (%(default)s)")
    talent.add_argument("--max-visibility", type=float, default=DEFAULTS["hidden"]["max_visibility"], metavar="P",
                        help="highest visibility percentile counted as low (default %(default)s)")
    groups = analyze.add_argument_group("tribes and silos")
    groups.add_argument("--tribe-method", default=DEFAULTS["tribes"]["method"], choices=["louvain", "leiden"],
                        help="community detection (default louvain; leiden guarantees "
                             "connected tribes)")
    groups.add_argument("--resolution", type=float, default=DEFAULTS["tribes"]["resolution"], metavar="R",
                        help="higher gives more, smaller tribes (default %(default)s)")
    groups.add_argument("--stability-seeds", type=int, default=DEFAULTS["tribes"]["stability_seeds"], metavar="N",
                        help="rerun tribe detection with N other seeds to rate each tribe's "
                             "stability (default %(default)s, at most 5 above 5,000 people; 0 skips)")
    groups.add_argument("--silo-alpha", type=float, default=DEFAULTS["groups"]["silo_alpha"], metavar="A",
                        help="error rate of the silo test: a group is a silo when it is far "
                             "more closed than the others, beyond chance at this level over all "
                             "groups compared (default %(default)s)")
    groups.add_argument("--min-group-size", type=int, default=DEFAULTS["groups"]["min_group_size"], metavar="N",
                        help="groups smaller than this are merged in group views (default %(default)s)")
    sure = analyze.add_argument_group("confidence (see docs/metrics.md)")
    sure.add_argument("--confidence", type=int, default=DEFAULTS["confidence"]["replicates"], metavar="N",
                      help="rerun the analysis on N resamples of the collaboration and report how "
                           "often each hidden high performer, top broker and silo holds "
                           "(default %(default)s; 0 skips)")
    _add_privacy_options(analyze, mapping=True)
    _add_load_options(analyze)

    review = sub.add_parser("talent-review", help="who on the panel knows, and speaks for, each candidate",
                            description="For a panel (the decision-makers in the room) and a slate "
                                        "(the candidates), class every panel member x candidate tie "
                                        "(advocate, strong, weak, none), flag candidates with no or "
                                        "one advocate, suggest introductions, and write the tables "
                                        "and a review brief (HTML and Excel) to OUT_DIR.")
    review.add_argument("data_dir", metavar="DATA_DIR")
    review.add_argument("--panel", required=True, metavar="PANEL",
                        help="a file with an employee_id column, or comma-separated ids")
    review.add_argument("--slate", required=True, metavar="SLATE",
                        help="a file with an employee_id column, or comma-separated ids")
    review.add_argument("--out", required=True, metavar="OUT_DIR", help="folder for the outputs")
    review.add_argument("--format", default=DEFAULTS["analyze"]["fmt"], choices=list(OUTPUT_FORMATS),
                        help="format of the output tables (default %(default)s)")
    review.add_argument("--no-brief", action="store_true", help="skip the HTML and Excel brief")
    rules = review.add_argument_group("how ties are classed (see docs/talent-review.md)")
    rules.add_argument("--strong-weight", type=float, metavar="W",
                       help="interaction weight of a strong tie (default: the organisation's "
                            "75th percentile of tied pairs, at least 4)")
    rules.add_argument("--weak-weight", type=float, default=_R["weak_weight"], metavar="W",
                       help="interaction weight of a weak tie (default %(default)s)")
    rules.add_argument("--advocate-relations", default=",".join(_R["advocate_relations"]), metavar="LIST",
                       help="declared relations that make the panel member an advocate "
                            "(default: %(default)s)")
    rules.add_argument("--strong-relations", default=STRONG_DEFAULT,
                       metavar="LIST", help="declared relations that make a strong tie (default: "
                                            "%(default)s, less any named in --advocate-relations)")
    rules.add_argument("--channels", metavar="LIST",
                       help="interaction channels counted (default: every channel)")
    rules.add_argument("--strong-as-advocates", action="store_true",
                       help="without any advocacy answers, count strong ties as advocates")
    rules.add_argument("--introductions", type=int, default=_R["introductions"], metavar="N",
                       help="suggested introductions per candidate (default %(default)s)")
    _add_privacy_options(review, mapping=False)
    _add_load_options(review)

    serve = sub.add_parser("serve", help="serve the dashboard for a data folder",
                           description="Analyse DATA_DIR once and serve the dashboard on "
                                       "http://HOST:PORT. Login: --users FILE (lines NAME:HASH from "
                                       "'ona hash-password'), or ONA_USERS_FILE / ONA_USERS.")
    serve.add_argument("data_dir", metavar="DATA_DIR")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    serve.add_argument("--since", metavar="DATE", help="keep events from this date (ISO, inclusive)")
    serve.add_argument("--until", metavar="DATE", help="keep events up to this date (ISO, inclusive)")
    serve.add_argument("--users", metavar="FILE", help="require a login; users and password hashes")
    serve.add_argument("--session-hours", type=float, metavar="H",
                       help="a sign-in lasts this long (default a working day: ona.dashboard.auth.SESSION_HOURS)")
    serve.add_argument("--secure-cookies", action="store_true",
                       help="send the session cookie over HTTPS only (serve behind HTTPS)")
    serve.add_argument("--pseudonymize", action="store_true",
                       help="show keyed pseudonyms instead of ids and no names (key from ONA_PSEUDONYM_KEY)")
    serve.add_argument("--min-group-size", type=int, default=DEFAULTS["serve"]["min_group_size"], metavar="N",
                       help="groups smaller than this are merged in group views (default %(default)s)")

    hasher = sub.add_parser("hash-password", help="make a users-file line for the dashboard login",
                            description="Ask for a password (twice) and print NAME:HASH for the "
                                        "users file of 'ona serve --users'.")
    hasher.add_argument("name", metavar="NAME")

    validate = sub.add_parser("validate", help="check a data folder and report what would be dropped",
                              description="Load DATA_DIR with every check and print the row "
                                          "accounting; writes nothing.")
    validate.add_argument("data_dir", metavar="DATA_DIR")
    _add_load_options(validate)

    importer = sub.add_parser("import", help="turn an export of another tool into a data folder",
                              description="Read a Viva Insights person-to-person export, an edge "
                                          "list, a Slack workspace export or calendar .ics files "
                                          "and write people.csv and interactions.csv (or "
                                          "relationships.csv) to OUT_DIR, ready for ona analyze. "
                                          "Rules: docs/imports.md.")
    importer.add_argument("kind", choices=["viva", "edges", "slack", "ics"])
    importer.add_argument("sources", nargs="+", metavar="SOURCE",
                          help="the export file (or folder; several .ics files or folders)")
    importer.add_argument("--out", required=True, metavar="OUT_DIR")
    importer.add_argument("--people", metavar="FILE",
                          help="an HR people file (employee_id, department, ...) to use instead "
                               "of the people found in the source")
    importer.add_argument("--match", metavar="COLUMN",
                          help="column of --people holding the source's ids (e.g. email for "
                               "Slack and calendars); without it the ids must be employee_ids")
    importer.add_argument("--weight", metavar="COLUMN",
                          help="viva: the pair metric to weigh by (default: Collaboration_hours "
                               "x 2 when present, else 1 per pair and period); edges: the weight "
                               "column")
    importer.add_argument("--department", default="Organization", metavar="ATTRIBUTE",
                          help="viva: the attribute that becomes department (default Organization)")
    importer.add_argument("--columns", metavar="MAP",
                          help="edges: which column holds what, e.g. source=from,target=to,"
                               "weight=value,date=day")
    importer.add_argument("--relation", metavar="NAME",
                          help="edges: the rows are declared ties of this relation "
                               "(advice, advocacy, ...) rather than interactions")
    importer.add_argument("--channel", metavar="NAME",
                          help="viva and edges: the layer name (default collaboration / edge)")

    aggregate = sub.add_parser("aggregate", help="sum an event log into a tie table (ties.parquet)",
                               description="Aggregate an event log (a file, or a folder of part "
                                           "files in any partition layout, such as a data lake's "
                                           "interactions/month=2026-01/part-0.parquet) with the "
                                           "weighting rule into OUT (Parquet). Put OUT as "
                                           "ties.parquet next to people.csv and ona analyze "
                                           "reads it instead of an event log.")
    aggregate.add_argument("events", metavar="EVENTS")
    aggregate.add_argument("--people", required=True, metavar="FILE")
    aggregate.add_argument("--out", required=True, metavar="OUT")
    aggregate.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"],
                           help="duckdb (default, this machine) or spark (a PySpark job: local[*] here, "
                                "the cluster's master under spark-submit; pip install 'ona[spark]')")
    _add_load_options(aggregate)

    compare = sub.add_parser("compare", help="compare two periods: who became more or less visible, "
                                             "which ties between departments grew or faded",
                             description="Measure DATA_DIR in two time windows and write "
                                         "compare_people.csv and compare_department_ties.csv "
                                         "(rules: docs/metrics.md, period comparison).")
    compare.add_argument("data_dir", metavar="DATA_DIR")
    compare.add_argument("--before", required=True, metavar="SINCE:UNTIL",
                         help="the first period, e.g. 2026-01-01:2026-03-31 (until inclusive)")
    compare.add_argument("--after", required=True, metavar="SINCE:UNTIL",
                         help="the second period")
    compare.add_argument("--out", required=True, metavar="OUT_DIR")
    compare.add_argument("--layers", metavar="LIST", help="layers to measure (default as analyze)")
    _add_tie_options(compare)
    _add_privacy_options(compare, mapping=False)
    compare.add_argument("--min-group-size", type=int, default=DEFAULTS["compare"]["min_group_size"], metavar="N")
    compare.add_argument("--visibility-change", type=float, default=DEFAULTS["compare"]["visibility_change"],
                         metavar="P", help="percentile points of visibility that count as a change "
                                           "(default %(default)s)")
    compare.add_argument("--tie-change", type=float, default=DEFAULTS["compare"]["tie_change"], metavar="F",
                         help="relative change of a department pair's tie weight that counts as "
                              "grown (default 0.5, i.e. +50%%; faded is the same ratio down)")

    fair = sub.add_parser("fairness", help="is access fair? groups compared at the same level and department",
                          description="Compare the groups of each attribute named (columns of the people "
                                      "file) on visibility, ties outside team and department, leader ties "
                                      "and reach, recognition, advocates and the hidden-talent list, at the "
                                      "same level and in the same department, with a 95%% interval, a "
                                      "permutation test and Holm's correction (docs/fairness.md). Only the "
                                      "attributes named are read; cells under the minimum group size are "
                                      "suppressed; results are group-level only.")
    fair.add_argument("data_dir", metavar="DATA_DIR")
    fair.add_argument("--by", required=True, metavar="ATTRIBUTE[,ATTRIBUTE...]",
                      help="people-file columns to compare by, e.g. location,gender")
    fair.add_argument("--out", required=True, metavar="OUT_DIR")
    fair.add_argument("--reference", action="append", default=[], metavar="ATTRIBUTE=GROUP",
                      help="the group others are compared with (default: the largest), e.g. location=London")
    fair.add_argument("--permutations", type=int, default=_F["permutations"], metavar="N",
                      help="shuffles within strata for the test (default %(default)s)")
    fair.add_argument("--bootstrap", type=int, default=_F["bootstrap"], metavar="N",
                      help="resamples for the 95%% interval (default %(default)s)")
    fair.add_argument("--alpha", type=float, default=_F["alpha"], metavar="A",
                      help="chance of any false finding in the run (default %(default)s)")
    fair.add_argument("--min-group-size", type=int, default=_F["min_group_size"], metavar="N",
                      help="cells (group x level x department) under this size are suppressed (default %(default)s)")
    fair.add_argument("--seed", type=int, default=_F["seed"], help="seed of the shuffles (default %(default)s)")
    fair.add_argument("--format", default=DEFAULTS["analyze"]["fmt"], choices=list(OUTPUT_FORMATS))
    _add_load_options(fair)
    _add_privacy_options(fair, mapping=False)

    careers = sub.add_parser("careers", help="sponsors and mentors: who develops people, who has nobody",
                             description="From a history file and dated advocacy, sponsor and mentor "
                                         "relations: each sponsor's protégés promoted within the window "
                                         "against comparable people; the mentoring map by level and reverse "
                                         "mentoring; who has a mentor, a sponsor, neither; career "
                                         "conversations (docs/careers.md).")
    careers.add_argument("data_dir", metavar="DATA_DIR")
    careers.add_argument("--out", required=True, metavar="OUT_DIR")
    careers.add_argument("--window-months", type=int, default=_C["window_months"], metavar="N",
                         help="a promotion counts within this many months after the tie (default %(default)s)")
    careers.add_argument("--min-proteges", type=int, default=_C["min_proteges"], metavar="N",
                         help="fewer protégés followed long enough: too few to tell (default %(default)s)")
    careers.add_argument("--min-group-size", type=int, default=DEFAULTS["groups"]["min_group_size"], metavar="N")
    careers.add_argument("--format", default=DEFAULTS["analyze"]["fmt"], choices=list(OUTPUT_FORMATS))
    _add_load_options(careers)

    whatif = sub.add_parser("what-if", help="what a departure would break",
                            description="If these people left: the candidates who would lose their only "
                                        "advocate, the people who would lose their only ties to senior "
                                        "leaders, the departments that would lose their only bridges.")
    whatif.add_argument("data_dir", metavar="DATA_DIR")
    whatif.add_argument("--without", required=True, metavar="ID[,ID...]", help="the people leaving")
    whatif.add_argument("--panel", metavar="FILE_OR_IDS", help="count only advocates on this panel")
    whatif.add_argument("--slate", metavar="FILE_OR_IDS", help="only these candidates")
    whatif.add_argument("--out", metavar="OUT_DIR", help="also write the tables here")
    whatif.add_argument("--format", default=DEFAULTS["analyze"]["fmt"], choices=list(OUTPUT_FORMATS))
    _add_load_options(whatif)

    generate = sub.add_parser("generate", help="write a synthetic organisation with planted structure",
                              description="Write people, interactions, relationships, panel, "
                                          "slate and truth.json for a generated organisation.")
    generate.add_argument("out_dir", metavar="OUT_DIR")
    generate.add_argument("--people", type=int, default=_G["n_people"], help="head count (default %(default)s)")
    generate.add_argument("--seed", type=int, default=_G["seed"], help="random seed (default %(default)s)")
    generate.add_argument("--months", type=int, default=_G["months"], help="months of events (default %(default)s)")
    generate.add_argument("--events-per-person", type=int, default=_G["events_per_person"],
                          help="events sent per person over the period (default %(default)s)")
    generate.add_argument("--format", default="csv", choices=["csv", "parquet"],
                          help="format of the event log (default csv)")
    generate.add_argument("--clean", action="store_true", help="plant no bad rows")
    generate.add_argument("--gap", metavar="LOCATION:OUTCOME:FACTOR",
                          help="plant an access gap, e.g. Nairobi:leader:0.4 (their events with senior "
                               "leaders at 0.4 times their peers' rate; OUTCOME leader or outside)")
    generate.add_argument("--careers", action="store_true",
                          help="also write history.csv (five years) with planted sponsors, mentors and career "
                               "conversations (truth under careers)")
    generate.add_argument("--confound", metavar="LOCATION",
                          help="concentrate a location at the lower levels, with no gap at equal level")
    return parser


def _print_quality(network, out=None) -> None:
    out = out or sys.stdout  # looked up now: the caller may have redirected it
    for line in network.quality.summary_lines():
        print(f"  {line}", file=out)


def _print_broadcasters(network, out=None, top: int = 5) -> None:
    """Who sends mass events or broadcasts (their traffic makes no ties)."""
    out = out or sys.stdout
    if network.interactions is None or not network.interactions.broadcasters:
        return
    from .names import display_names
    frame = network.interactions.broadcasters_frame()
    names = display_names(network.people, network.pseudonymized)
    spread = frame[frame["broadcaster"]]
    mass = frame[~frame["broadcaster"]]

    def who(row) -> str:
        return names.get(str(row.employee_id), str(row.employee_id))

    if len(spread):
        listed = "; ".join(f"{who(r)}: {r.messages:,} messages over about {r.effective_recipients:,.0f} "
                           "people" for r in spread.head(top).itertuples())
        print(f"  broadcasters (their messages make no ties): {len(spread)} - {listed}"
              + (" ..." if len(spread) > top else ""), file=out)
    if len(mass):
        listed = "; ".join(f"{who(r)}: {r.mass_events:,}" for r in mass.head(top).itertuples())
        print(f"  senders of mass events (more than the size limits; no ties): {len(mass)} - "
              f"{listed}" + (" ..." if len(mass) > top else ""), file=out)


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .pipeline import analyze
    from .settings import GroupSettings, HiddenTalentRules, TribeSettings, VisibilityRules
    started = time.perf_counter()
    if bool(args.panel) != bool(args.slate):
        raise ConfigError("--panel and --slate go together")
    result = analyze(
        args.data_dir, args.out, since=args.since, until=args.until, weighting=_weighting(args),
        layers=_split(args.layers), on_invalid="drop" if args.drop_invalid else "error",
        strict=args.strict, encoding=args.encoding, sheet=args.sheet,
        pseudonymize_ids=args.pseudonymize,
        pseudonym_key=args.pseudonym_key, mapping_path=args.pseudonym_map,
        drop_columns=args.drop_column, keep_columns=args.keep_column, fmt=args.format,
        show_progress=not args.quiet,
        tie_rule=_tie_rule(args),
        visibility=VisibilityRules(senior_levels=args.senior_levels,
                                   leaders=tuple(x.strip() for x in args.leaders.split(",") if x.strip())
                                   if args.leaders else None),
        paths=PathSettings(exact_limit=args.exact_limit, pivots=args.pivots, seed=args.seed,
                           workers=args.workers),
        hidden=HiddenTalentRules(high_performers=args.high_performers, top_share=args.top_share,
                                 max_visibility=args.max_visibility),
        groups=GroupSettings(min_group_size=args.min_group_size, silo_alpha=args.silo_alpha),
        tribes=TribeSettings(method=args.tribe_method, resolution=args.resolution, seed=args.seed,
                             stability_seeds=args.stability_seeds),
        confidence=ConfidenceSettings(replicates=args.confidence, seed=args.seed, workers=args.workers),
        panel=args.panel or None, slate=args.slate or None, exports=_split(args.export) or ())
    if args.quiet:
        return 0
    net = result.network
    print(f"ona analyze {args.data_dir}")
    print(f"  people: {len(net.people):,} in {net.people['department'].nunique():,} departments"
          + (" (pseudonymised)" if net.pseudonymized else ""))
    if net.interactions is not None:
        s = net.interactions
        period = (f", {s.first_event:%Y-%m-%d} to {s.last_event:%Y-%m-%d}"
                  if s.first_event is not None else "")
        print(f"  events: {s.events_read:,} read, {s.events_used:,} used{period}")
    layers = net.layer_summary()
    if not layers.empty:
        listed = ", ".join(f"{r.layer} {r.ties:,}" for r in layers.itertuples())
        print(f"  ties: {len(net.ties):,} directed ties in {len(layers)} layers ({listed})")
    print(f"  measured on: {', '.join(result.layers) or 'no ties'}")
    _print_quality(net)
    table = result.people_metrics
    attrs = table.attrs
    isolated = int((table["degree"] == 0).sum())
    print(f"  ties measured: {attrs.get('ties', 0):,} of {attrs.get('pairs_seen', 0):,} pairs in contact "
          f"({attrs.get('tie_rule_text')}); betweenness {attrs.get('betweenness')}")
    _print_broadcasters(net)
    if isolated:
        print(f"  {isolated:,} people have no ties in these layers (kept, with zeros)")
    print(f"  visibility from: {', '.join(attrs.get('visibility_components', []))}; "
          f"{attrs.get('senior_leaders', 0)} senior leaders")
    silos = result.departments.loc[result.departments["silo"], "department"].tolist()
    info = attrs["tribes"]
    unstable = (f", {info['unstable']} unstable over {info['stability_seeds']} other seeds"
                if info.get("unstable") is not None else "")
    print(f"  tribes: {info['tribes']} ({info['method'].capitalize()}, modularity "
          f"{info['modularity']:.2f}{unstable}); match with departments: NMI "
          f"{result.agreement['nmi']:.2f}, adjusted Rand {result.agreement['adjusted_rand']:.2f}")
    print(f"  silo departments: {', '.join(silos) or 'none'}")
    if "performance" in table and table["performance"].notna().any():
        h = result.hidden_talent.attrs
        share = h.get("share_of_high_performers")
        print(f"  hidden talent: {len(result.hidden_talent):,} high performers with low visibility"
              + (f" ({share:.0%} of the {h.get('high_performers'):,} high performers)" if share is not None else ""))
    else:
        print("  hidden talent: no performance ratings in the people file, so none listed")
    print("  written: " + ", ".join(str(p) for p in result.files))
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from .pipeline import review
    from .talent_review import ReviewRules
    started = time.perf_counter()
    advocate = tuple(_split(args.advocate_relations) or ())
    strong = tuple(_split(args.strong_relations) or ())
    if args.strong_relations == STRONG_DEFAULT:
        # a relation named as advocacy leaves the default working relations
        strong = tuple(x for x in strong if x not in advocate)
    rules = ReviewRules(advocate_relations=advocate, strong_relations=strong,
                        strong_weight=args.strong_weight, weak_weight=args.weak_weight,
                        channels=tuple(_split(args.channels) or ()) if args.channels else None,
                        strong_as_advocates=args.strong_as_advocates,
                        introductions=args.introductions)
    result = review(args.data_dir, args.panel, args.slate, args.out, rules=rules,
                    since=args.since, until=args.until, weighting=_weighting(args),
                    on_invalid="drop" if args.drop_invalid else "error", strict=args.strict,
                    encoding=args.encoding, sheet=args.sheet, pseudonymize_ids=args.pseudonymize,
                    pseudonym_key=args.pseudonym_key, drop_columns=args.drop_column,
                    keep_columns=args.keep_column,
                    fmt=args.format, brief=not args.no_brief, show_progress=not args.quiet)
    if args.quiet:
        return 0
    r = result.review
    summary = r.summary()
    print(f"ona talent-review {args.data_dir}")
    _print_quality(result.network)
    print(f"  panel: {summary['panel']} members; slate: {summary['slate']} candidates")
    by_weight = ("" if summary["strong_weight"] == float("inf")
                 else f"interaction weight >= {summary['strong_weight']:.1f} or ")
    print(f"  strong tie: {by_weight}a declared {', '.join(r.rules.strong_relations)} tie; "
          f"weak: weight >= {summary['weak_weight']:g} or any declared tie")
    for note in r.notes:
        print(f"  note: {note}")

    from .names import display_names
    names = display_names(result.network.people, result.network.pseudonymized)

    def listed(ids: list[str]) -> str:
        shown = [names.get(x, x) for x in ids[:15]]
        return ", ".join(shown) + (f" and {len(ids) - 15} more" if len(ids) > 15 else "")

    if summary["advocates_from"] is not None:
        basis = "" if summary["advocates_from"] == "advocacy" else " (strong ties as stand-in)"
        resting = set(summary["flags_resting_on_non_answers"] or [])

        def flagged(ids: list[str]) -> str:
            if not ids:
                return ""
            open_ = [x for x in ids if x in resting]
            note = (f"; {len(open_)} of them could change: panel members who know them did not "
                    "answer the survey" if open_ else "")
            return f" ({listed(ids)}{note})"

        print(f"  no advocate on the panel{basis}: {len(summary['no_advocate'])}"
              + flagged(summary["no_advocate"]))
        print(f"  a single advocate: {len(summary['single_advocate'])}" + flagged(summary["single_advocate"]))
    print(f"  nobody on the panel knows them: {len(summary['unknown_to_panel'])}"
          + (f" ({listed(summary['unknown_to_panel'])})" if summary["unknown_to_panel"] else ""))
    print(f"  suggested introductions: {summary['introductions']}")
    print("  written: " + ", ".join(str(p) for p in result.files))
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .dashboard import create_app
    from .dashboard.auth import SESSION_HOURS
    from .dashboard.store import get_dataset
    started = time.perf_counter()
    hours = SESSION_HOURS if args.session_hours is None else args.session_hours
    app = create_app(args.data_dir, since=args.since, until=args.until, pseudonymize=args.pseudonymize,
                     min_group_size=args.min_group_size, users_file=args.users,
                     session_hours=hours, secure_cookies=args.secure_cookies)
    from .dashboard.auth import load_users
    if args.host not in ("127.0.0.1", "localhost", "::1") and not load_users(args.users):
        print(f"warning: serving on {args.host} without a login: anyone who can reach this "
              "address sees who works with whom. Add --users FILE (lines from 'ona hash-password').",
              file=sys.stderr)
    data = get_dataset(app.server.config["ONA_DATASET"])
    if data.error:
        print(f"warning: the data cannot be analysed; the dashboard will say why: {data.error}",
              file=sys.stderr)
    print(f"ona serve {args.data_dir}: analysed in {time.perf_counter() - started:.1f} s; "
          f"open http://{args.host}:{args.port}  (Ctrl+C stops)")
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def _cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from .dashboard.auth import hash_password
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ConfigError("the two passwords differ")
    print(f"{args.name}:{hash_password(first)}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .load import load
    net = load(args.data_dir, since=args.since, until=args.until, weighting=_weighting(args),
               on_invalid="drop" if args.drop_invalid else "error", strict=args.strict,
               encoding=args.encoding, sheet=args.sheet)
    print(f"ona validate {args.data_dir}: usable")
    print(f"  people: {len(net.people):,}; ties: {len(net.ties):,}; layers: {', '.join(net.layers) or 'none'}")
    _print_quality(net)
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from .generate import generate_organisation, write_organisation
    started = time.perf_counter()
    gap = None
    if args.gap:
        parts = args.gap.split(":")
        try:
            gap = {"location": parts[0], "outcome": parts[1], "factor": float(parts[2])}
        except (IndexError, ValueError):
            raise ConfigError(f"--gap takes LOCATION:OUTCOME:FACTOR (for example Nairobi:leader:0.4), "
                              f"got {args.gap!r}") from None
    org = generate_organisation(args.people, seed=args.seed, months=args.months,
                                events_per_person=args.events_per_person, dirty=not args.clean,
                                gap=gap, confound=args.confound, careers=args.careers)
    files = write_organisation(org, args.out_dir, fmt=args.format)
    print(f"ona generate: {args.people:,} people, about {args.people * args.events_per_person:,} "
          f"events, seed {args.seed} -> {args.out_dir} ({time.perf_counter() - started:.1f} s)")
    print("  written: " + ", ".join(p.name for p in files))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .sources import match_people, read_edge_list, read_ics, read_slack_export, read_viva_p2p
    if args.kind != "ics" and len(args.sources) > 1:
        raise ConfigError(f"ona import {args.kind} takes one source, got {len(args.sources)}")
    source = args.sources[0]
    if args.kind == "viva":
        imported = read_viva_p2p(source, weight=args.weight or "auto", department=args.department,
                                 **({"channel": args.channel} if args.channel else {}))
    elif args.kind == "edges":
        mapping = {}
        for item in _split(args.columns) or []:
            key, sep, value = item.partition("=")
            if not sep or not value.strip():
                raise ConfigError(f"--columns takes key=column pairs, got {item!r}")
            mapping[key.strip().lower()] = value.strip()
        if args.weight:
            mapping["weight"] = args.weight
        imported = read_edge_list(source, columns=mapping, relation=args.relation,
                                  **({"channel": args.channel} if args.channel else {}))
    elif args.kind == "slack":
        imported = read_slack_export(source)
    else:
        imported = read_ics(args.sources)
    if args.people:
        if args.match:
            imported = match_people(imported, args.people, on=args.match, label=args.people)
        else:
            imported = match_people(imported, args.people, on="employee_id", label=args.people)
    files = imported.write(args.out)
    print(f"ona import {args.kind} -> {args.out}")
    print(imported.summary())
    print("  written: " + ", ".join(str(p) for p in files))
    print(f"  next: ona analyze {args.out} --out OUT_DIR")
    return 0


def _cmd_aggregate(args: argparse.Namespace) -> int:
    from .lake import aggregate_to_file
    from .progress import Stages
    started = time.perf_counter()
    stages = Stages(total=len(AGGREGATION_STAGES), show=True)
    try:
        path, quality = aggregate_to_file(args.events, args.people, args.out, weighting=_weighting(args),
                                          since=args.since, until=args.until,
                                          on_invalid="drop" if args.drop_invalid else "error",
                                          step=stages, engine=args.engine)
    finally:
        stages.close()
    print(f"ona aggregate {args.events} -> {path}")
    for line in quality.summary_lines():
        print(f"  {line}")
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return 0


def _period(text: str, name: str) -> tuple[str, str]:
    since, sep, until = text.partition(":")
    if not sep or not since.strip() or not until.strip():
        raise ConfigError(f"--{name} takes SINCE:UNTIL, e.g. 2026-01-01:2026-03-31, got {text!r}")
    return since.strip(), until.strip()


def _cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare_periods
    started = time.perf_counter()
    result = compare_periods(args.data_dir, _period(args.before, "before"), _period(args.after, "after"),
                             layers=_split(args.layers), rule=_tie_rule(args),
                             pseudonymize_ids=args.pseudonymize, pseudonym_key=args.pseudonym_key,
                             drop_columns=args.drop_column, keep_columns=args.keep_column,
                             min_group_size=args.min_group_size,
                             visibility_change=args.visibility_change, tie_change=args.tie_change)
    files = result.write(args.out)
    people = result.people["status"].value_counts()
    ties = result.department_ties.loc[~result.department_ties["inside"], "status"].value_counts()
    print(f"ona compare {args.data_dir}: {args.before} against {args.after}")
    print("  people: " + ", ".join(f"{k} {v:,}" for k, v in people.items()))
    print("  ties between departments: " + ", ".join(f"{k} {v:,}" for k, v in ties.items()))
    print("  written: " + ", ".join(str(p) for p in files))
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return 0


def _cmd_fairness(args: argparse.Namespace) -> int:
    import json

    from .fairness import FairnessSettings, fairness
    from .outputs import OutputFolder, write_table
    from .pipeline import analyze
    from .settings import ConfidenceSettings, TribeSettings
    started = time.perf_counter()
    by = [x.strip() for x in args.by.split(",") if x.strip()]
    reference: dict[str, str] = {}
    for item in args.reference:
        name, sep, group = item.partition("=")
        if not sep or not name.strip() or not group.strip():
            raise ConfigError(f"--reference takes ATTRIBUTE=GROUP (for example location=London), got {item!r}")
        reference[name.strip()] = group.strip()
    settings = FairnessSettings(permutations=args.permutations, bootstrap=args.bootstrap, alpha=args.alpha,
                                min_group_size=args.min_group_size, reference=reference, seed=args.seed)
    keep = list(args.keep_column) + by if args.pseudonymize else list(args.keep_column)
    result = analyze(args.data_dir, since=args.since, until=args.until, weighting=_weighting(args),
                     on_invalid="drop" if args.drop_invalid else "error", strict=args.strict,
                     encoding=args.encoding, sheet=args.sheet, pseudonymize_ids=args.pseudonymize,
                     pseudonym_key=args.pseudonym_key, drop_columns=args.drop_column, keep_columns=keep,
                     confidence=ConfidenceSettings(replicates=0), tribes=TribeSettings(stability_seeds=0),
                     show_progress=not args.quiet)
    table = fairness(result, by, settings=settings)
    record = {"attributes": by, "people": len(result.network.people), **table.attrs,
              "findings": int(table["finding"].sum()), "settings": {**_plain_settings(settings)}}
    with OutputFolder(args.out) as out:
        staged = [write_table(table, out.path("fairness"), args.format)]
        path = out.path("fairness_run.json")
        path.write_text(json.dumps(record, indent=1, default=str) + "\n")
        files = [out.final(p) for p in staged + [path]]
    if args.quiet:
        return 0
    print(f"ona fairness {args.data_dir} by {', '.join(by)}")
    strata = " and ".join(table.attrs["strata"]) or "organisation"
    print(f"  {table.attrs['comparisons']} comparisons at the same {strata}"
          f" (Holm's correction: any false finding at most {settings.alpha:.0%} of runs)")
    left = table.drop_duplicates(["attribute", "group", "population"])["left_out"]
    if left.sum():
        print(f"  people left out in cells under {settings.min_group_size}: up to {int(left.max()):,} per comparison")
    found = table[table["finding"]]
    if found.empty:
        print("  no difference beyond chance")
    for sentence in found["sentence"]:
        print(f"  - {sentence}")
    print("  written: " + ", ".join(str(p) for p in files))
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return 0


def _plain_settings(settings) -> dict:
    from dataclasses import asdict
    values = asdict(settings)
    values["reference"] = dict(values["reference"])
    values["strata"] = list(values["strata"])
    values["outcomes"] = list(values["outcomes"])
    return values


def _load_for(args: argparse.Namespace):
    from .load import load
    return load(args.data_dir, since=args.since, until=args.until, weighting=_weighting(args),
                on_invalid="drop" if args.drop_invalid else "error", strict=args.strict,
                encoding=args.encoding, sheet=args.sheet)


def _cmd_careers(args: argparse.Namespace) -> int:
    from .careers import CareerRules, career_conversations, mentoring_map, sponsor_track_record, support_table
    from .names import display_names
    from .outputs import OutputFolder, write_table
    started = time.perf_counter()
    rules = CareerRules(window_months=args.window_months, min_proteges=args.min_proteges)
    net = _load_for(args)
    _print_quality(net)
    names = display_names(net.people)
    tables = {}
    if net.history is not None:
        sponsors = sponsor_track_record(net, rules=rules)
        sponsors.insert(1, "name", sponsors["employee_id"].map(names))
        tables["sponsors"] = sponsors
    else:
        sponsors = None
    if S_LEVEL in net.people:
        tables["mentoring_map"] = mentoring_map(net)
    people, groups = support_table(net, min_group_size=args.min_group_size)
    tables["support"] = groups
    neither = people[people["neither"]].drop(columns=["has_mentor", "has_sponsor", "neither"])
    neither.insert(1, "name", neither["employee_id"].map(names))
    tables["no_mentor_no_sponsor"] = neither
    talks = career_conversations(net)
    tables["career_conversations"] = talks
    with OutputFolder(args.out) as out:
        staged = [write_table(table, out.path(name), args.format) for name, table in tables.items()]
        files = [out.final(p) for p in staged]
    print(f"ona careers {args.data_dir}")
    if sponsors is None:
        print("  no history file: the sponsor track record needs one (docs/data-contract.md, history)")
    else:
        developers = sponsors[sponsors["verdict"] == "develops people"]
        few = int((sponsors["verdict"] == "too few to tell").sum())
        print(f"  sponsors and mentors: {len(sponsors):,}; develop people (protégés promoted more often than "
              f"comparable people within {rules.window_months} months): {len(developers):,}"
              + (f" - {', '.join(developers['name'].head(8))}" if len(developers) else "")
              + f"; too few protégés to tell: {few:,}")
        circle = sponsors[sponsors["own_circle_only"]]
        if len(circle):
            print(f"  sponsor only their own circle: {', '.join(circle['name'].head(8))}")
    print(f"  people with neither a mentor nor a sponsor: {len(neither):,} of {len(people):,}")
    answered = talks[talks["answered"]]
    if len(answered):
        no_talk = int(answered["with_manager"].eq(False).sum())
        print(f"  answered the survey: {len(answered):,}; no career conversation with their manager: {no_talk:,}")
    else:
        print("  career conversations: not in the survey (no career_conversation relation)")
    print("  written: " + ", ".join(str(p) for p in files))
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return 0


def _cmd_what_if(args: argparse.Namespace) -> int:
    from .careers import what_if
    from .names import display_names
    from .talent_review import read_ids
    started = time.perf_counter()
    net = _load_for(args)
    without = read_ids(args.without, net.people, "--without")
    panel = read_ids(args.panel, net.people, "panel") if args.panel else None
    slate = read_ids(args.slate, net.people, "slate") if args.slate else None
    result = what_if(net, without, panel=panel, slate=slate)
    names = display_names(net.people)
    print(f"ona what-if {args.data_dir} without {', '.join(names.get(x, x) for x in result.without)}")
    only = result.lose_only_advocate
    print(f"  candidates who would lose their only advocate{' on the panel' if panel else ''}: "
          + (", ".join(names.get(x, x) for x in only["candidate"]) if len(only) else "none"))
    access = result.lose_leader_access
    print(f"  people who would lose their only ties to senior leaders: {len(access):,}"
          + (f" - {', '.join(names.get(x, x) for x in access[S_ID].head(10))}" if len(access) else ""))
    broken = result.lose_bridge
    print("  groups that would lose every tie to the rest of the organisation: "
          + (", ".join(f"{r.group} ({r.level})" for r in broken.itertuples()) if len(broken) else "none"))
    pairs = result.lose_pair
    print("  pairs of departments that would lose every tie between them: "
          + ("; ".join(f"{r.department_a} - {r.department_b}" for r in pairs.itertuples()) if len(pairs) else "none"))
    if args.out:
        from .outputs import OutputFolder, write_table
        with OutputFolder(args.out) as out:
            staged = [write_table(table, out.path(f"what_if_{name}"), args.format)
                      for name, table in (("candidates", only), ("leader_access", access),
                                          ("bridges", broken), ("department_pairs", pairs))]
            files = [out.final(p) for p in staged]
        print("  written: " + ", ".join(str(p) for p in files))
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return 0


_COMMANDS = {"aggregate": _cmd_aggregate, "import": _cmd_import, "compare": _cmd_compare, "analyze": _cmd_analyze,
             "talent-review": _cmd_review, "serve": _cmd_serve,
             "hash-password": _cmd_hash_password, "validate": _cmd_validate, "generate": _cmd_generate,
             "fairness": _cmd_fairness, "careers": _cmd_careers, "what-if": _cmd_what_if}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .workers import stop_on_sigterm
    stop_on_sigterm()
    try:
        return _COMMANDS[args.command](args)
    except OnaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        from .outputs import disk_full
        if disk_full(exc):
            print(f"error: the disk is full{f' ({exc.filename})' if exc.filename else ''}; the previous "
                  "results, if any, are as they were. Free some space or choose another --out "
                  "folder.", file=sys.stderr)
            return 2
        if args.debug:
            raise
        print(f"error: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}",
              file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in ona, not a problem with the data
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {str(exc)[:300]}\n"
              "This is a bug in ona, not in your data. Run again with --debug for the details "
              "and report it.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
