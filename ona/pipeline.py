"""The whole analysis of a data folder: load, (pseudonymise), measure, write the outputs."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from . import schema as S
from .centrality import PathSettings
from .confidence import ConfidenceSettings, start_confidence, top_brokers
from .errors import ConfigError
from .groups import (
    GroupSettings,
    bridge_tables,
    department_table,
    group_matrix,
    tribe_department_shares,
    tribe_department_table,
    tribe_table,
)
from .hidden import HiddenTalentRules, hidden_talent
from .hidden import high_performers as find_high_performers
from .interactions import AGGREGATION_STAGES, Weighting
from .load import load
from .metrics import people_metrics
from .network import OrgNetwork, default_layers, stored_ties, tie_count
from .outputs import OUTPUT_FORMATS, OutputFolder, check_format, write_table
from .progress import Stages
from .pseudonymize import pseudonym_map, pseudonymize, resolve_key
from .roles import RoleRules
from .settings import Settings
from .survey import survey_coverage
from .talent_review import ReviewRules, TalentReview
from .ties import TieArrays, TieRule, pair_table
from .tribes import NO_TRIBE, TribeResult, TribeSettings, partition_agreement, tribes_with_stability
from .visibility import VisibilityRules, senior_leaders
from .workers import Pending, map_forked

__all__ = ["analyze", "AnalysisResult", "review", "ReviewResult", "write_table", "OUTPUT_FORMATS"]

T = TypeVar("T")

#: Carriers kept per pair of groups in ``bridge_people`` (the heaviest first).
BRIDGE_PEOPLE = 10



@dataclass
class AnalysisResult:
    """What :func:`analyze` produced.

    Attributes
    ----------
    network : the loaded (and, if asked, pseudonymised) network.
    people_metrics : one row per person (the ``people_metrics`` output).
    hidden_talent : high performers with low visibility, ranked, with the reason.
    departments : one row per department: E-I index and baseline, openness, silo flag.
    tribes : the tribe partition and how it was made (method, seed, modularity).
    tribe_table : one row per tribe: top departments, E-I, silo flag, bridges, stability.
    department_matrix : department x department tie weight.
    tribe_departments : tribe x department head counts.
    bridges : per pair of connected departments and of tribes, the ties and who carries them.
    bridge_people : the same carriers as one row per pair and person (up to 10 per pair).
    tribe_department_shares : tribe x department make-up as one row per tribe and department.
    agreement : NMI and adjusted Rand index of tribes against departments.
    ties : the ties that count, as integer arrays over ``network.people`` positions.
    review : the talent review, when a panel and a slate were given.
    files : the files written, in order.
    timings : seconds per stage.
    """

    network: OrgNetwork
    people_metrics: pd.DataFrame
    hidden_talent: pd.DataFrame = field(default_factory=pd.DataFrame)
    departments: pd.DataFrame = field(default_factory=pd.DataFrame)
    tribes: TribeResult | None = None
    tribe_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    department_matrix: pd.DataFrame = field(default_factory=pd.DataFrame)
    tribe_departments: pd.DataFrame = field(default_factory=pd.DataFrame)
    bridges: pd.DataFrame = field(default_factory=pd.DataFrame)
    bridge_people: pd.DataFrame = field(default_factory=pd.DataFrame)
    tribe_department_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    agreement: dict = field(default_factory=dict)
    ties: TieArrays | None = None
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    layers: list[str] = field(default_factory=list)
    review: TalentReview | None = None


def analyze(
    data_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    weighting: Weighting | None = None,
    layers: Iterable[str] | None = None,
    on_invalid: str = "error",
    strict: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    pseudonymize_ids: bool = False,
    pseudonym_key: str | None = None,
    mapping_path: str | Path | None = None,
    drop_columns: Iterable[str] = (),
    keep_columns: Iterable[str] = (),
    tie_rule: TieRule | None = None,
    paths: PathSettings | None = None,
    visibility: VisibilityRules | None = None,
    roles: RoleRules | None = None,
    hidden: HiddenTalentRules | None = None,
    tribes: TribeSettings | None = None,
    groups: GroupSettings | None = None,
    confidence: ConfidenceSettings | None = None,
    panel: str | Path | Iterable[str] | None = None,
    slate: str | Path | Iterable[str] | None = None,
    review_rules: ReviewRules | None = None,
    exports: Iterable[str] = (),
    fmt: str = "csv",
    show_progress: bool = False,
    on_stage: Callable[[str], None] | None = None,
    **deprecated: Any,
) -> AnalysisResult:
    """Load a data folder, measure the network and (if ``out_dir``) write the outputs.

    Writes ``people_metrics`` (every measure, docs/metrics.md), ``hidden_talent`` (high
    performers with low visibility; empty without performance ratings), ``tribes`` and
    ``departments`` (E-I index against its baseline, silo flags, bridges, tribe stability),
    ``department_matrix``, ``tribe_departments`` (and the same as one row per tribe and
    department, ``tribe_department_shares``), ``bridges`` (per pair of groups) and
    ``bridge_people`` (one row per pair and carrier; groups under the minimum size merged in
    every group view), ``data_quality`` (rows dropped by
    file and reason), ``broadcasters`` (when anyone sent mass events or broadcast) and
    ``run.json`` (every setting used, counts and period: no personal data). Every file is
    written to a hidden folder first and moved into place when all are complete, so a
    failed or stopped run leaves the previous complete results; a second run into the same
    folder is refused while one is writing (:class:`ona.outputs.OutputFolder`).

    Parameters
    ----------
    data_dir : str or Path
        The data folder (docs/data-contract.md).
    out_dir : str or Path, optional
        Where to write the outputs; None (default) writes nothing.
    since, until : str, date or datetime, optional
        Keep events in this period (inclusive).
    layers : iterable of str, optional
        The layers measured (default: every interaction channel, or every declared
        relation without an event log).
    on_invalid : {"error", "drop"}, default "error"
        Stop at, or drop and count, rows with unreadable values.
    strict : bool, default False
        Treat warnings about the people list as errors.
    encoding, sheet : str, optional
        Text encoding of CSV inputs; the sheet read from Excel inputs.
    pseudonymize_ids : bool, default False
        Every output carries keyed pseudonyms instead of ids, and no names.
    pseudonym_key : str, optional
        The key (default: the ``ONA_PSEUDONYM_KEY`` environment variable).
    mapping_path : str or Path, optional
        Where to write the id-to-pseudonym mapping (only there).
    drop_columns, keep_columns : iterable of str
        People-file columns to leave out of, or keep in, pseudonymised outputs.
    weighting : Weighting, optional
        What one event weighs (:class:`ona.Weighting`, docs/weighting.md).
    tie_rule : TieRule, optional
        Which pairs count as tied (:class:`ona.TieRule`; default the noise-corrected backbone).
    paths : PathSettings, optional
        Exact or sampled path measures (:class:`ona.PathSettings`).
    visibility : VisibilityRules, optional
        Who the senior leaders are (:class:`ona.VisibilityRules`).
    roles : RoleRules, optional
        The role thresholds (:class:`ona.RoleRules`).
    hidden : HiddenTalentRules, optional
        High performers and low visibility (:class:`ona.HiddenTalentRules`).
    tribes : TribeSettings, optional
        Community detection, its seed and its stability reruns (:class:`ona.TribeSettings`).
    groups : GroupSettings, optional
        Minimum group size and the silo test (:class:`ona.GroupSettings`).
    confidence : ConfidenceSettings, optional
        Reruns on resampled data behind the hidden list, brokers and silo flags
        (:class:`ona.ConfidenceSettings`; ``replicates=0`` skips them).
    panel, slate : file, comma-separated ids or list, optional
        Run the talent review on the analysed network too (tables in ``review/``).
    review_rules : ReviewRules, optional
        The review's rules (:class:`ona.ReviewRules`).
    exports : iterable of {"xlsx", "gexf", "graphml"}
        Every table in ``ona_results.xlsx``; the network as GEXF or GraphML.
    fmt : {"csv", "parquet", "xlsx"}, default "csv"
        Format of the tables.
    show_progress : bool, default False
        A progress bar on standard error.
    on_stage : callable, optional
        Called with the name of each stage as it starts.
    **deprecated
        The keywords of ona 0.x (``min_weight``, ``senior_levels``, ``leaders``,
        ``high_performers``, ``top_share``, ``max_visibility``, ``tribe_method``,
        ``resolution``, ``stability_seeds``, ``silo_alpha``, ``min_group_size``) still work
        for this release, with a ``FutureWarning`` naming the rule set that replaces them.

    Returns
    -------
    AnalysisResult

    Examples
    --------
    >>> import ona, tempfile
    >>> result = ona.analyze(ona.sample_path("krackhardt"), tempfile.mkdtemp(),
    ...                      tribes=ona.TribeSettings(stability_seeds=0))
    >>> [p.name for p in result.files]
    ['people_metrics.csv', 'hidden_talent.csv', 'tribes.csv', 'departments.csv', 'department_matrix.csv',
     'tribe_departments.csv', 'bridges.csv', 'bridge_people.csv', 'tribe_department_shares.csv',
     'data_quality.csv', 'run.json']
    """
    settings = _settings(deprecated, weighting=weighting, ties=tie_rule, paths=paths, visibility=visibility,
                         roles=roles, hidden=hidden, tribes=tribes, groups=groups, confidence=confidence,
                         review=review_rules)
    weighting, paths, confidence = settings.weighting, settings.paths, settings.confidence
    check_format(fmt)
    exports = [str(x).strip().lower() for x in exports if str(x).strip()]
    unknown = sorted(set(exports) - {"xlsx", "gexf", "graphml"})
    if unknown:
        raise ConfigError(f"exports are xlsx, gexf and graphml, not {', '.join(unknown)}")
    if (panel is None) != (slate is None):
        raise ConfigError("a panel and a slate go together")
    if mapping_path is not None and not pseudonymize_ids:
        raise ConfigError("a pseudonym mapping file only makes sense with pseudonymisation on")
    rule = settings.ties
    key = resolve_key(pseudonym_key) if pseudonymize_ids else ""  # fail before the long work
    stages = Stages(total=_stage_count(data_dir, pseudonymize_ids, out_dir is not None,
                                       work=4 + (confidence.replicates > 0)),
                    show=show_progress, on_stage=on_stage)
    running: list[Pending] = []  # work on forked processes, dropped if the run stops

    def started(work: Pending[T]) -> Pending[T]:
        running.append(work)
        return work

    try:
        network = load(data_dir, since=since, until=until, weighting=weighting,
                       on_invalid=on_invalid, strict=strict, encoding=encoding, sheet=sheet,
                       step=stages)
        original_ids = network.people.index
        if pseudonymize_ids:
            stages("pseudonymising")
            network = pseudonymize(network, key, drop_columns=drop_columns,
                                   keep_columns=keep_columns)
        stages("building the network")
        chosen = list(layers) if layers is not None else default_layers(stored_ties(network))
        leaders = settings.visibility.leaders
        if leaders is not None and pseudonymize_ids:
            from .pseudonymize import pseudonym
            leaders = tuple(pseudonym(x, key) for x in leaders)
        pairs = pair_table(network, layers=chosen)
        arrays = pairs.select(rule)
        # the reruns test every pair again, up to a huge organisation (ona.confidence)
        rerun_pairs = (pairs.undirected_only() if confidence.reruns(len(network.people))
                       and len(network.people) <= confidence.huge else None)
        del pairs
        stages("measuring")
        table = people_metrics(network, layers=chosen,
                               senior_levels=settings.visibility.senior_levels, leaders=leaders,
                               strong_quantile=settings.visibility.strong_quantile, paths=paths,
                               roles=settings.roles, ties=arrays)
        stages("finding tribes")
        t = settings.tribes
        reruns = t.seeds(len(network.people))
        sizes: dict[str, Any] = {"min_group_size": settings.groups.min_group_size}
        silo_alpha = settings.groups.silo_alpha
        made: dict[str, Any] = {}

        found, stability = tribes_with_stability(network, seeds=reruns, workers=paths.workers, layers=chosen,
                                                 seed=t.seed, method=t.method, resolution=t.resolution,
                                                 engine=t.engine, ties=arrays,
                                                 # made while the stability reruns go on: they fill
                                                 # the core the reruns' last round leaves idle
                                                 on_found=lambda found: made.update(_group_tables(
                                                     network.people, arrays, found, silo_alpha, sizes)))
        table.insert(1, "tribe", found.membership)
        h = settings.hidden
        finish_confidence = None
        if confidence.replicates > 0:
            # the reruns start on forked processes, and the tribe table is made meanwhile
            high = (find_high_performers(table[S.PERFORMANCE], rule=h.high_performers, top_share=h.top_share)
                    if S.PERFORMANCE in table and table[S.PERFORMANCE].notna().any()
                    else pd.Series(False, index=table.index))
            finish_confidence = started(start_confidence(
                network, rerun_pairs, rule=rule,
                leaders=senior_leaders(network.people, levels=settings.visibility.senior_levels, leaders=leaders),
                high_performers=high, max_visibility=h.max_visibility, min_group_size=settings.groups.min_group_size,
                silo_alpha=settings.groups.silo_alpha, tribes=found, settings=confidence, ties=arrays))
        tribe_rows = tribe_table(network.people, arrays, found, stability=stability,
                                 silo_alpha=silo_alpha, **sizes)
        departments, matrix, crosstab = made["departments"], made["matrix"], made["crosstab"]
        bridges, carriers, shares = made["bridges"], made["carriers"], made["shares"]
        tied = found.membership != NO_TRIBE
        agreement = (partition_agreement(found.membership[tied],
                                         network.people.loc[tied, S.DEPARTMENT].astype(str))
                     if tied.any() else {"nmi": float("nan"), "adjusted_rand": float("nan")})
        table.attrs["tribes"] = {**found.provenance(), "stability_seeds": reruns,
                                 "unstable": int(stability["unstable"].sum()) if stability is not None else None,
                                 "agreement_with_departments": agreement,
                                 "without_ties": int((~tied).sum())}
        stages("finding hidden talent")
        table.insert(table.columns.get_loc("role") + 1, "top_broker", top_brokers(table["betweenness"].to_numpy()))
        listed = hidden_talent(table, rule=h.high_performers, top_share=h.top_share,
                               max_visibility=h.max_visibility,
                               leaders_total=table.attrs.get("senior_leaders"))
        conf: dict[str, Any] = {}
        if finish_confidence is not None:
            stages("checking confidence")
            conf = finish_confidence()
        if conf:  # empty when the settings give no reruns at this head count
            table.insert(table.columns.get_loc("top_broker") + 1, "broker_confidence", conf["broker"])
            table.insert(table.columns.get_loc("broker_confidence") + 1, "hidden_confidence", conf["hidden"])
            listed.insert(listed.columns.get_loc("reason"), "confidence",
                          listed[S.EMPLOYEE_ID].map(conf["hidden"]).to_numpy())
            departments["silo_confidence"] = departments["department"].map(conf["departments"])
            tribe_rows["silo_confidence"] = tribe_rows["tribe"].map(conf["tribes"])
        del rerun_pairs
        review_result = None
        if panel is not None:
            from .talent_review import talent_review
            panel_ids = _review_ids(panel, network, original_ids, key, "panel")
            slate_ids = _review_ids(slate, network, original_ids, key, "slate")
            review_result = talent_review(network, panel_ids, slate_ids, rules=settings.review)
        result = AnalysisResult(network=network, people_metrics=table, hidden_talent=listed,
                                departments=departments, tribes=found, tribe_table=tribe_rows,
                                department_matrix=matrix, tribe_departments=crosstab,
                                bridges=bridges, bridge_people=carriers, tribe_department_shares=shares,
                                agreement=agreement, ties=arrays,
                                timings=stages.timings, layers=chosen, review=review_result)
        if out_dir is not None:
            stages("writing outputs")
            record = _run_record(network, chosen, since, until, weighting, pseudonymize_ids)
            record["measures"] = {k: v for k, v in table.attrs.items() if k not in ("layers", "tribes")}
            record["departments"] = {**departments.attrs,
                                     "silos": departments.loc[departments["silo"], "department"].tolist()}
            record["tribes"] = {**table.attrs["tribes"], **tribe_rows.attrs,
                                "silos": int(tribe_rows["silo"].sum())}
            record["settings"] = settings.record()
            record["hidden_talent"] = {"rule": h.high_performers, "top_share": h.top_share,
                                       "max_visibility": h.max_visibility, "listed": len(listed),
                                       "high_performers": listed.attrs.get("high_performers"),
                                       "share_of_high_performers": listed.attrs.get("share_of_high_performers")}
            record["confidence"] = {"replicates": confidence.reruns(len(table)), "seed": confidence.seed,
                                    "broker_sources": confidence.broker_sources,
                                    "method": "pairs resampled: Poisson(events) / events (ona.confidence)"}
            coverage = survey_coverage(network)
            record["survey"] = (None if coverage is None else
                                {"answered": int(coverage.answered.sum()), "people": len(coverage.answered),
                                 "share": round(coverage.share, 4), "known_from": coverage.source})
            senders = broadcasters_table(network)
            record["broadcasters"] = {"senders_of_mass_events": int((~senders["broadcaster"]).sum()),
                                      "broadcasters": int(senders["broadcaster"].sum())}
            with OutputFolder(out_dir) as out:
                staged = _write_analysis(result, out, fmt, exports, workers=paths.workers)
                run = out.path("run.json")
                run.write_text(json.dumps(record, indent=1, default=str) + "\n")
                result.files = [out.final(p) for p in staged + [run]]
            if mapping_path is not None:
                mapping_file = Path(mapping_path)
                mapping_file.parent.mkdir(parents=True, exist_ok=True)
                partial = mapping_file.with_name(mapping_file.name + ".partial")
                pseudonym_map(original_ids, key).to_csv(partial, index=False)
                os.replace(partial, mapping_file)
                result.files.append(mapping_file)
    finally:
        for work in running:
            work.cancel()
        stages.close()
    return result


#: The keywords of ona 0.x that a rule set replaced: keyword -> (rule set, field).
DEPRECATED_KEYWORDS = {
    "min_weight": ("ties", "min_weight"), "senior_levels": ("visibility", "senior_levels"),
    "leaders": ("visibility", "leaders"), "high_performers": ("hidden", "high_performers"),
    "top_share": ("hidden", "top_share"), "max_visibility": ("hidden", "max_visibility"),
    "tribe_method": ("tribes", "method"), "resolution": ("tribes", "resolution"),
    "stability_seeds": ("tribes", "stability_seeds"), "silo_alpha": ("groups", "silo_alpha"),
    "min_group_size": ("groups", "min_group_size"),
}
_RULE_SET_NAMES = {"ties": "tie_rule=TieRule", "visibility": "visibility=VisibilityRules",
                   "hidden": "hidden=HiddenTalentRules", "tribes": "tribes=TribeSettings",
                   "groups": "groups=GroupSettings"}


def _settings(deprecated: dict[str, Any], **given: Any) -> Settings:
    """The rule sets of a run: those given, defaults for the rest, and the old keywords
    (with a FutureWarning) folded into the rule sets that replace them."""
    import warnings
    from dataclasses import replace
    unknown = sorted(set(deprecated) - set(DEPRECATED_KEYWORDS))
    if unknown:
        raise TypeError(f"analyze() got an unexpected keyword argument {unknown[0]!r}")
    chosen = {name: value for name, value in given.items() if value is not None}
    settings = Settings(**chosen)
    changes: dict[str, dict[str, Any]] = {}
    for keyword, value in deprecated.items():
        rule_set, name = DEPRECATED_KEYWORDS[keyword]
        warnings.warn(f"analyze({keyword}=...) is deprecated and will be removed in the next release: "
                      f"use {_RULE_SET_NAMES[rule_set]}({name}=...)", FutureWarning, stacklevel=3)
        if value is not None:
            changes.setdefault(rule_set, {})[name] = value
    if "ties" in changes:  # the fixed cut-off rule, as min_weight always meant
        changes["ties"] = {"method": "min_weight", **changes["ties"]}
    updated = {rule_set: replace(getattr(settings, rule_set), **values) for rule_set, values in changes.items()}
    return replace(settings, **updated) if updated else settings


def _review_ids(value, network: OrgNetwork, original_ids: pd.Index, key: str,
                role: str) -> list[str]:
    """Panel or slate ids as given (the people file's ids), as they are in the network."""
    from .talent_review import read_ids
    if not network.pseudonymized:
        return read_ids(value, network.people, role)
    from .pseudonymize import pseudonym
    ids = read_ids(value, pd.DataFrame(index=original_ids), role)
    return [pseudonym(x, key) for x in ids]


def _write_analysis(result: AnalysisResult, out: OutputFolder, fmt: str,
                    exports: list[str], workers: int | None = None) -> list[Path]:
    """Every table of an analysis (and its review and exports) into the staging folder."""
    network = result.network
    tables = [(result.people_metrics.reset_index(), "people_metrics", False),
              (result.hidden_talent, "hidden_talent", False), (result.tribe_table, "tribes", False),
              (result.departments, "departments", False), (result.department_matrix, "department_matrix", True),
              (result.tribe_departments, "tribe_departments", True), (result.bridges, "bridges", False),
              (result.bridge_people, "bridge_people", False),
              (result.tribe_department_shares, "tribe_department_shares", False),
              (network.quality.drops_frame(), "data_quality", False)]
    staged = write_tables([(frame, out.path(name), fmt, index) for frame, name, index in tables], workers=workers)
    senders = broadcasters_table(network)
    if len(senders):
        staged.append(write_table(senders, out.path("broadcasters"), fmt))
    if result.review is not None:
        staged += result.review.write(out.path("review/x").parent, fmt)
    if exports:
        from .export import write_graph, write_workbook
        if "xlsx" in exports:
            staged.append(write_workbook(result, out.path("ona_results.xlsx"), review=result.review))
        for kind in ("gexf", "graphml"):
            if kind in exports:
                staged.append(write_graph(result, out.path(f"network.{kind}")))
    return staged


#: Cells (rows x columns) of a run's tables from which they are written over forked
#: processes: pandas writes CSV at about a microsecond a cell on one core (0.4 s for
#: ``people_metrics`` at 10k people) and a fork costs some tens of milliseconds.
PARALLEL_WRITE_CELLS = 100_000

_WRITING: list[tuple[pd.DataFrame, Path, str, bool]] = []


def _write_piece(piece: tuple[int, int, int, int]) -> Path:
    """Rows ``start:stop`` of table ``i`` (piece ``k``: the first has the header and the
    table's own path; a later one goes beside it, to be appended)."""
    i, k, start, stop = piece
    frame, path, fmt, index = _WRITING[i]
    if k == 0 and stop - start == len(frame):
        return write_table(frame, path, fmt, index=index)
    return write_table(frame.iloc[start:stop], _piece_path(path, fmt, k), fmt, index=index, header=k == 0)


def _piece_path(path: Path, fmt: str, k: int) -> Path:
    """Where piece ``k`` of a table goes: the table's own file for the first, else beside
    it (``people_metrics-piece1.csv``); the name is made from the final one, as
    :func:`ona.outputs.write_table` replaces whatever follows a dot with the format's ending.

    >>> _piece_path(Path("out/team.v2"), "csv", 1).name
    'team-piece1.csv'
    """
    final = Path(path).with_suffix("." + fmt)
    return final if k == 0 else final.with_name(f"{final.stem}-piece{k}{final.suffix}")


def _splittable(frame: pd.DataFrame, fmt: str, index: bool) -> bool:
    """Whether a table's CSV is the same written in pieces of rows: only tables whose
    columns (and written index) are numbers, booleans, text or Python objects, or
    categories of those, which pandas writes one cell at a time, or dates. Other times
    are not: pandas picks their format for the whole column (dates alone when every time
    is midnight, else with the time of day)."""
    if fmt != "csv":
        return False
    if index and isinstance(frame.index, pd.MultiIndex):
        return False
    # dates (naive times all at midnight, as a hire date is) are written as dates in
    # every piece as in the whole column
    columns = [frame.iloc[:, i] for i in range(frame.shape[1])] + ([frame.index.to_series()] if index else [])
    return all(_cell_by_cell(column.dtype) or _dates_only(column) for column in columns)


def _dates_only(column: pd.Series) -> bool:
    """Whether a column holds naive times that are all at midnight (or missing)."""
    if not (isinstance(column.dtype, np.dtype) and column.dtype.kind == "M"):
        return False
    values = column.dropna()
    return bool((values == values.dt.normalize()).all())


def _cell_by_cell(dtype: Any) -> bool:
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return False
    return (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype))


def _pieces(tables: list[tuple[pd.DataFrame, Path, str, bool]], cores: int) -> list[tuple[int, int, int, int]]:
    """The pieces :func:`write_tables` writes on ``cores`` processes, largest first:
    ``(table, piece, first row, end row)``; one piece a table on one core, else CSV tables
    in pieces of at most half a core's share of the cells."""
    cells = [_cells(frame) for frame, *_ in tables]
    total = sum(cells)
    share = max(1, -(-total // (2 * cores)))
    pieces: list[tuple[int, int, int, int]] = []
    for i, (frame, _path, fmt, index) in enumerate(tables):
        count = max(1, -(-cells[i] // share)) if cores > 1 and _splittable(frame, fmt, index) else 1
        rows = len(frame)
        cuts = [rows * k // count for k in range(count + 1)]
        pieces += [(i, k, cuts[k], cuts[k + 1]) for k in range(count) if k == 0 or cuts[k + 1] > cuts[k]]
    pieces.sort(key=lambda p: -(p[3] - p[2]) * max(1, tables[p[0]][0].shape[1]))
    return pieces


def _cells(frame: pd.DataFrame) -> int:
    return frame.shape[0] * max(1, frame.shape[1])


def write_tables(tables: list[tuple[pd.DataFrame, Path, str, bool]], *,
                 workers: int | None = None) -> list[Path]:
    """Tables written with :func:`ona.outputs.write_table` (each ``(frame, path, format,
    index)``); the paths written, in order. From :data:`PARALLEL_WRITE_CELLS` cells in all,
    they are shared over forked processes (default: every core), the largest first, and a
    CSV table larger than a share of the work is written in pieces of rows that are then
    appended in order (``people_metrics`` holds most of a run's cells). The files are the
    same either way. ``workers`` 1: everything in this process.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_tables([(pd.DataFrame({"a": [1]}), folder / "one", "csv", False)])]
    ['one.csv']
    """
    small = sum(_cells(frame) for frame, *_ in tables) < PARALLEL_WRITE_CELLS
    cores = 1 if small else workers or os.cpu_count() or 1
    pieces = _pieces(tables, cores)
    _WRITING[:] = tables
    try:
        written = map_forked(_write_piece, pieces, workers=cores)
    finally:
        _WRITING.clear()
    paths: list[Path] = [Path()] * len(tables)
    later: dict[int, list[tuple[int, Path]]] = {}
    for (i, k, _start, _stop), path in zip(pieces, written):
        if k == 0:
            paths[i] = path
        else:
            later.setdefault(i, []).append((k, path))
    for i, parts in later.items():
        with open(paths[i], "ab") as whole:
            for _k, part in sorted(parts):
                if part == paths[i]:
                    raise RuntimeError(f"a piece of {part.name} was written over the table itself")
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, whole, 1 << 20)
                part.unlink()
    return paths


def broadcasters_table(network: OrgNetwork) -> pd.DataFrame:
    """Senders of mass events and broadcasters (their traffic makes no ties), with names
    when the people list has them; empty without an event log or any such sender."""
    if network.interactions is None or not network.interactions.broadcasters:
        return pd.DataFrame(columns=[S.EMPLOYEE_ID, "mass_events", "messages",
                                     "effective_recipients", "broadcaster"])
    frame = network.interactions.broadcasters_frame()
    for column in (S.DEPARTMENT, S.NAME):
        if column in network.people:
            frame.insert(1, column, frame[S.EMPLOYEE_ID].map(network.people[column]).to_numpy())
    return frame


def _group_tables(people: pd.DataFrame, arrays: Any, found: TribeResult, silo_alpha: float,
                  sizes: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The tables of :func:`analyze` that need the tribes but not their stability: departments,
    department matrix, tribe x department counts and shares, bridges and the people
    carrying them."""
    by_department = bridge_tables(people, arrays, S.DEPARTMENT, top_people=BRIDGE_PEOPLE, **sizes)
    by_tribe = bridge_tables(people, arrays, found.membership, top_people=BRIDGE_PEOPLE, **sizes)
    bridges = pd.concat([by_department[0].assign(level="department"), by_tribe[0].assign(level="tribe")],
                        ignore_index=True)
    bridges.insert(0, "level", bridges.pop("level"))
    carriers = pd.concat([by_department[1].assign(level="department"), by_tribe[1].assign(level="tribe")],
                         ignore_index=True)
    carriers.insert(0, "level", carriers.pop("level"))
    return {"departments": department_table(people, arrays, tribes=found, silo_alpha=silo_alpha, **sizes),
            "matrix": group_matrix(people, arrays, **sizes),
            "crosstab": tribe_department_table(people, found, **sizes),
            "bridges": bridges, "carriers": carriers,
            "shares": tribe_department_shares(people, found, **sizes)}


def _stage_count(data_dir: str | Path, pseudonymise: bool, writing: bool, work: int = 4) -> int:
    """Stages of a run: loading (by the inputs present), pseudonymising, ``work`` stages of
    analysis (4 for analyze: network, measures, tribes, hidden talent; 1 for a review), writing."""
    from .read import find_input
    try:
        has_rel = find_input(data_dir, "relationships") is not None
        has_int = find_input(data_dir, "interactions") is not None
        has_history = find_input(data_dir, "history") is not None
    except Exception:  # the loader reports folder problems properly
        has_rel = has_int = has_history = False
    return 1 + has_rel + has_history + len(AGGREGATION_STAGES) * has_int + pseudonymise + work + writing


def _run_record(network: OrgNetwork, layers: list[str], since, until, weighting: Weighting | None,
                pseudonymised: bool) -> dict:
    from . import __version__
    summary = network.interactions
    w = weighting or Weighting()
    return {
        "ona_version": __version__,
        "people": len(network.people),
        "ties": tie_count(network),
        "layers_used": layers,
        "layers": network.layer_summary().to_dict("records"),
        "window": {"since": since, "until": until},
        "events": None if summary is None else {
            "read": summary.events_read, "used": summary.events_used,
            "first": summary.first_event, "last": summary.last_event,
            "channels": list(summary.channels)},
        "weighting": {"channel_weights": dict(w.channel_weights),
                      "default_channel_weight": w.default_channel_weight,
                      "meeting_channels": list(w.meeting_channels),
                      "reference_minutes": w.reference_minutes,
                      "default_minutes": w.default_minutes, "max_minutes": w.max_minutes,
                      "max_meeting_size": w.max_meeting_size,
                      "half_life_days": w.half_life_days},
        "rows_read": network.quality.rows_read,
        "rows_dropped": network.quality.drops_frame()[["file", "reason", "unit", "count"]]
        .to_dict("records"),
        "warnings": len(network.quality.warnings),
        "pseudonymized": pseudonymised,
        "id_column": S.EMPLOYEE_ID,
    }


@dataclass
class ReviewResult:
    """What :func:`review` produced: the network, the review, the files written."""

    network: OrgNetwork
    review: TalentReview
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def review(
    data_dir: str | Path,
    panel: str | Path | Iterable[str],
    slate: str | Path | Iterable[str],
    out_dir: str | Path | None = None,
    *,
    rules: ReviewRules | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    weighting: Weighting | None = None,
    on_invalid: str = "error",
    strict: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    pseudonymize_ids: bool = False,
    pseudonym_key: str | None = None,
    drop_columns: Iterable[str] = (),
    keep_columns: Iterable[str] = (),
    fmt: str = "csv",
    brief: bool = True,
    show_progress: bool = False,
) -> ReviewResult:
    """Load a data folder and run a talent review of ``slate`` before ``panel``.

    Writes ``talent_review``, ``talent_review_matrix``, ``talent_review_ties``,
    ``talent_review_panel``, ``talent_review_introductions``, the brief
    (``review_brief.html`` and ``.xlsx``) and ``review_run.json`` (rules and counts, no ids).
    :func:`ona.talent_review` does the same on a network already loaded.

    Parameters
    ----------
    data_dir : str or Path
        The data folder (docs/data-contract.md).
    panel, slate : file, comma-separated ids or list
        A file with an ``employee_id`` column, comma-separated ids or a list (ids as in the
        people file, also with ``pseudonymize_ids``).
    out_dir : str or Path, optional
        Where to write; None (default) writes nothing.
    rules : ReviewRules, optional
        Advocates, strong and weak ties (:class:`ona.ReviewRules`; default from the data).
    since, until : str, date or datetime, optional
        Keep events in this period (inclusive).
    weighting : Weighting, optional
        What one event weighs (:class:`ona.Weighting`).
    on_invalid : {"error", "drop"}, default "error"
        Stop at, or drop and count, rows with unreadable values.
    strict : bool, default False
        Treat warnings about the people list as errors.
    encoding, sheet : str, optional
        Text encoding of CSV inputs; the sheet read from Excel inputs.
    pseudonymize_ids : bool, default False
        Outputs carry keyed pseudonyms instead of ids, and no names.
    pseudonym_key : str, optional
        The key (default: the ``ONA_PSEUDONYM_KEY`` environment variable).
    drop_columns, keep_columns : iterable of str
        People-file columns to leave out of, or keep in, pseudonymised outputs.
    fmt : {"csv", "parquet", "xlsx"}, default "csv"
        Format of the tables.
    brief : bool, default True
        Write the brief for the panel (HTML and Excel).
    show_progress : bool, default False
        A progress bar on standard error.

    Returns
    -------
    ReviewResult
        The network, the review (:class:`ona.TalentReview`), the files written, the timings.

    Examples
    --------
    >>> import ona, tempfile
    >>> acme = ona.sample_path("acme")
    >>> result = ona.review(acme, acme / "panel.csv", acme / "slate.csv", tempfile.mkdtemp())
    >>> [p.name for p in result.files][:2]
    ['talent_review.csv', 'talent_review_matrix.csv']
    """
    from .brief import write_brief
    from .talent_review import read_ids, talent_review
    check_format(fmt)
    key = resolve_key(pseudonym_key) if pseudonymize_ids else ""
    stages = Stages(total=_stage_count(data_dir, pseudonymize_ids, out_dir is not None, work=1),
                    show=show_progress)
    try:
        network = load(data_dir, since=since, until=until, weighting=weighting,
                       on_invalid=on_invalid, strict=strict, encoding=encoding, sheet=sheet,
                       step=stages)
        panel_ids = read_ids(panel, network.people, "panel")
        slate_ids = read_ids(slate, network.people, "slate")
        if pseudonymize_ids:
            from .pseudonymize import pseudonym
            stages("pseudonymising")
            network = pseudonymize(network, key, drop_columns=drop_columns,
                                   keep_columns=keep_columns)
            panel_ids = [pseudonym(x, key) for x in panel_ids]
            slate_ids = [pseudonym(x, key) for x in slate_ids]
        stages("reviewing the slate")
        result = talent_review(network, panel_ids, slate_ids, rules=rules)
        files: list[Path] = []
        if out_dir is not None:
            stages("writing outputs")
            record = {"people": len(network.people), "pseudonymized": network.pseudonymized,
                      "window": {"since": since, "until": until}}
            summary = result.summary()
            record.update({k: (len(v) if isinstance(v, list) and k != "notes" else v)
                           for k, v in summary.items()})
            record["strong_weight"] = (None if summary["strong_weight"] == float("inf")
                                       else summary["strong_weight"])
            record["rules"] = {"advocate_relations": list(result.rules.advocate_relations),
                               "strong_relations": list(result.rules.strong_relations),
                               "channels": result.rules.channels,
                               "strong_as_advocates": result.rules.strong_as_advocates,
                               "introductions": result.rules.introductions}
            with OutputFolder(out_dir) as out:
                staged = result.write(out.path("run.json").parent, fmt)
                if brief:
                    staged += write_brief(result, network.people, out.path("run.json").parent,
                                          period=_period(network))
                path = out.path("review_run.json")
                path.write_text(json.dumps(record, indent=1, default=str) + "\n")
                files = [out.final(p) for p in staged + [path]]
    finally:
        stages.close()
    return ReviewResult(network=network, review=result, files=files, timings=stages.timings)


def _period(network: OrgNetwork) -> str | None:
    s = network.interactions
    if s is None or s.first_event is None:
        return None
    return f"{s.first_event:%Y-%m-%d} to {s.last_event:%Y-%m-%d}"
