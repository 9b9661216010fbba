"""Best-kept secrets: high performers whom few outside their unit, and few leaders, know.

Rules
-----
- **High performer**: with ``rule="top_rating"``, a rating equal to the highest rating
  present; with ``rule="top_share"``, the top ``top_share`` of people by rating (ties
  at the cut-off included). ``rule="auto"`` (the default) uses top rating when ratings
  take at most 10 distinct values (a rating scale) and the top 10% otherwise.
- **Low visibility**: ``visibility`` at or below ``max_visibility`` (25: the bottom
  quarter of the organisation). The score is continuous (:mod:`ona.visibility`), so the
  bottom quarter is a quarter.
- Ranked by ``visibility_score``, lowest first; among equal scores (people with no direct
  visibility at all), by rating (highest first), then by harmonic closeness (the one
  further from the rest of the organisation first), then by employee_id. Never by the
  order of the people file.
- Each person gets a plain-language reason built from the visibility parts; it mentions
  survey answers only when there are any.
- ``table.attrs`` says how many high performers there are and what share is listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError

__all__ = ["hidden_talent", "high_performers", "HiddenTalentRules", "HIDDEN_COLUMNS"]

RULES = ("auto", "top_rating", "top_share")


@dataclass(frozen=True)
class HiddenTalentRules:
    """Who is a high performer and how low visibility must be to count as hidden.

    Parameters
    ----------
    high_performers : str, default "auto"
        ``"top_rating"`` (the highest rating present), ``"top_share"`` (the top
        ``top_share`` by rating) or ``"auto"`` (top rating on a scale of at most 10
        values, else the top share).
    top_share : float, default 0.10
        Share of people counted as high performers under ``"top_share"``.
    max_visibility : float, default 25.0
        Highest visibility percentile still counted as low (the bottom quarter).

    >>> HiddenTalentRules(top_share=0.2).max_visibility
    25.0
    """

    high_performers: str = "auto"
    top_share: float = 0.10
    max_visibility: float = 25.0

    def __post_init__(self) -> None:
        if self.high_performers not in RULES:
            raise ConfigError(f"the high-performer rule is one of {', '.join(RULES)}, "
                              f"got {self.high_performers!r}")
        if not 0 < self.top_share < 1:
            raise ConfigError(f"top_share must be between 0 and 1, got {self.top_share!r}")
        if not 0 <= self.max_visibility <= 100:
            raise ConfigError(f"max_visibility is a percentile between 0 and 100, got {self.max_visibility!r}")

HIDDEN_COLUMNS = ["rank", S.EMPLOYEE_ID, S.NAME, S.DEPARTMENT, S.TEAM, S.PERFORMANCE, "visibility",
                  "visibility_score", "reason", "outside_team_ties", "cross_department_ties",
                  "outside_contact", "leader_ties", "leader_reach", "recognition",
                  "recognition_outside_team"]


def high_performers(ratings: pd.Series, *, rule: str = "auto", top_share: float = 0.10) -> pd.Series:
    """Boolean mask of high performers.

    Parameters
    ----------
    ratings : Series
        Performance ratings (read as numbers; values that are not numbers count as
        missing).
    rule : {"auto", "top_rating", "top_share"}, default "auto"
        Who counts as a high performer (see the module doc).
    top_share : float, default 0.10
        Under ``"top_share"``, the share of people, by rating, counted as high performers
        (between 0 and 1; ties at the cut-off included).

    Returns
    -------
    Series of bool
        On the index of ``ratings``: True for high performers; False for missing ratings,
        and everywhere when there are no ratings.

    Examples
    --------
    >>> high_performers(pd.Series([3, 5, 4, 5, None])).tolist()
    [False, True, False, True, False]
    >>> int(high_performers(pd.Series(range(100)), rule="top_share", top_share=0.05).sum())
    5
    """
    ratings = pd.to_numeric(ratings, errors="coerce")
    present = ratings.dropna()
    if present.empty:
        return pd.Series(False, index=ratings.index)
    if rule == "auto":
        rule = "top_rating" if present.nunique() <= 10 else "top_share"
    if rule == "top_rating":
        return ratings == present.max()
    if rule == "top_share":
        if not 0 < top_share < 1:
            raise ConfigError(f"top_share must be between 0 and 1, got {top_share}")
        cut = present.quantile(1 - top_share, interpolation="higher")
        return ratings >= cut
    raise ConfigError(f"high-performer rule must be auto, top_rating or top_share, got {rule!r}")


def hidden_talent(metrics: pd.DataFrame, *, rule: str = "auto", top_share: float = 0.10,
                  max_visibility: float = 25.0, leaders_total: int | None = None) -> pd.DataFrame:
    """High performers with low visibility, ranked, each with the reason.

    Returns the columns of :data:`HIDDEN_COLUMNS` that exist (no name after
    pseudonymisation). Empty when there are no performance ratings.

    Parameters
    ----------
    metrics : DataFrame
        The people_metrics table (index employee_id) with performance and the
        visibility parts.
    rule : {"auto", "top_rating", "top_share"}, default "auto"
        Who counts as a high performer (see the module doc).
    top_share : float, default 0.10
        The share of people by rating counted under ``"top_share"``.
    max_visibility : float, default 25.0
        The highest visibility percentile still counted as low.
    leaders_total : int, optional
        The number of senior leaders, for the reason text (no leader part without it).

    Returns
    -------
    DataFrame
        One row per hidden high performer, ranked (``rank`` 1 first): the columns of
        :data:`HIDDEN_COLUMNS` present, with ``reason`` in plain language. ``attrs`` holds
        the number of high performers, the number listed and their share, and
        ``max_visibility``.

    Examples
    --------
    >>> import ona
    >>> table = ona.people_metrics(ona.load(ona.sample_path("acme")))
    >>> listed = hidden_talent(table)
    >>> bool((listed["visibility"] <= 25).all())
    True
    """
    columns = [c for c in HIDDEN_COLUMNS if c in metrics.columns or c in ("rank", S.EMPLOYEE_ID, "reason")]
    if S.PERFORMANCE not in metrics or metrics[S.PERFORMANCE].isna().all():
        return pd.DataFrame(columns=columns)
    high = high_performers(metrics[S.PERFORMANCE], rule=rule, top_share=top_share)
    chosen = metrics.loc[high & (metrics["visibility"] <= max_visibility)].copy()
    score = "visibility_score" if "visibility_score" in chosen else "visibility"
    chosen["_id"] = chosen.index.astype(str)
    keys = [score, S.PERFORMANCE] + (["harmonic"] if "harmonic" in chosen else []) + ["_id"]
    chosen = chosen.sort_values(keys, ascending=[True, False] + [True] * (len(keys) - 2), kind="stable")
    survey = "declared" in metrics.attrs.get("visibility_components", ["declared"])
    chosen["reason"] = [_reason(row, leaders_total, survey) for _, row in chosen.iterrows()]
    chosen.insert(0, "rank", np.arange(1, len(chosen) + 1))
    chosen = chosen.reset_index()
    out = chosen[[c for c in columns if c in chosen.columns]]
    count = int(high.sum())
    out.attrs.update({"high_performers": count, "listed": len(out),
                      "share_of_high_performers": round(len(out) / count, 4) if count else None,
                      "max_visibility": max_visibility})
    return out


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _reason(row: pd.Series, leaders_total: int | None, survey: bool = True) -> str:
    parts = []
    if leaders_total:
        direct, reach = int(row.get("leader_ties", 0)), int(row.get("leader_reach", 0))
        of = f"of the {leaders_total} senior leaders" if leaders_total > 1 else "senior leader"
        if reach == 0:
            parts.append(f"no tie to any {of}" if leaders_total > 1 else "no tie to the senior leader")
        elif direct == 0:
            parts.append(f"no direct tie to any {of} ({reach} reached through one colleague)")
        else:
            parts.append(f"direct ties to {direct} {of}")
    dept = row.get(S.DEPARTMENT, "their department")
    cross = int(row.get("cross_department_ties", 0))
    outside_team = int(row.get("outside_team_ties", 0))
    if cross:
        parts.append(f"{_people(cross)} outside {dept} {'works' if cross == 1 else 'work'} with them")
    elif outside_team:
        parts.append(f"nobody outside {dept} works with them ({_people(outside_team)} outside "
                     "their team do" + ("es" if outside_team == 1 else "") + ")")
    else:
        parts.append("nobody outside their own team works with them")
    if not survey:
        return "; ".join(parts)
    named = int(row.get("recognition_outside_team", 0))
    within = int(row.get("recognition", 0)) - named
    if named:
        parts.append(f"{_people(named)} outside their team name{'s' if named == 1 else ''} them as "
                     "knowing their work or advocating for them")
    else:
        parts.append("nobody outside their team names them as knowing their work or advocating "
                     "for them" + (f" ({within} teammate{'s' if within != 1 else ''} do"
                                   f"{'es' if within == 1 else ''})" if within else ""))
    return "; ".join(parts)
