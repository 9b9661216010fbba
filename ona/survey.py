"""Survey coverage: who answered the survey behind the declared relations.

Declared relations (advice, advocacy, knows_work, ...) come from a survey, and most
surveys are answered by part of the organisation. A person who did not answer named
nobody: reading their silence as "no advocacy" or "nobody knows this person" is wrong.

Who answered is known from the people file's ``survey_response`` column (yes/no) when it
has one; otherwise it is inferred: a person answered when they are the source of at least
one declared relation. The inference is conservative — someone who answered and named
nobody counts as not answering — and the result says which way it was known.
Without any declared relation and no ``survey_response`` column there is no survey.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import schema as S
from .network import declared_ties

__all__ = ["manager_conversation", "CAREER_CONVERSATION", "SurveyCoverage", "survey_coverage"]


@dataclass(frozen=True)
class SurveyCoverage:
    """Who answered the survey.

    answered : boolean Series indexed by employee_id (the people list's order).
    source : ``"people file"`` (the survey_response column) or ``"inferred"`` (from who
        named anyone in a declared relation).
    """

    answered: pd.Series
    source: str

    @property
    def share(self) -> float:
        """Share of the people list who answered."""
        return float(self.answered.mean()) if len(self.answered) else 0.0

    def of(self, ids) -> pd.Series:
        """Answered or not, for the given ids."""
        return self.answered.reindex(list(ids)).fillna(False).astype(bool)

    def describe(self) -> str:
        how = "from the people file" if self.source == "people file" else \
            "inferred: someone who named nobody counts as not answering"
        return f"{int(self.answered.sum()):,} of {len(self.answered):,} people answered the survey ({how})"


def survey_coverage(network) -> SurveyCoverage | None:
    """Who answered the survey (see the module doc); None when there is no survey.

    Parameters
    ----------
    network : OrgNetwork
        The network (its people table and ties).

    Returns
    -------
    SurveyCoverage or None
        ``answered`` (a boolean per person, indexed by employee_id) and ``source``
        (``"people file"`` or ``"inferred"``); None when the people file has no
        ``survey_response`` value and there is no declared relation.

    Examples
    --------
    >>> import ona
    >>> cover = survey_coverage(ona.load(ona.sample_path("krackhardt")))
    >>> cover.source, round(cover.share, 2)
    ('inferred', 1.0)
    """
    people = network.people
    if S.SURVEY_RESPONSE in people and people[S.SURVEY_RESPONSE].notna().any():
        answered = people[S.SURVEY_RESPONSE].astype("boolean").fillna(False).astype(bool)
        return SurveyCoverage(answered.rename("answered"), "people file")
    declared = declared_ties(network)
    if declared.empty:
        return None
    sources = set(declared[S.TIE_SOURCE].astype(str))
    answered = pd.Series(people.index.astype(str).isin(sources), index=people.index, name="answered")
    return SurveyCoverage(answered, "inferred")


#: The relation of a career conversation (source has discussed their aspirations with target).
CAREER_CONVERSATION = "career_conversation"


def manager_conversation(network) -> pd.Series | None:
    """Whether each person has discussed their career aspirations with their manager:
    ``"yes"``, ``"no"`` (they answered the survey and named others or nobody), ``"did not
    answer"`` (unknown, never read as no) or ``"no manager"``; None when the data holds no
    ``career_conversation`` relation at all.

    Parameters
    ----------
    network : OrgNetwork

    Returns
    -------
    Series or None
        Indexed by employee_id.

    Examples
    --------
    >>> from ona.network import OrgNetwork
    >>> people = pd.DataFrame({"department": "A", "manager_id": [pd.NA, "m", "m"], "survey_response": ["yes"] * 3},
    ...                       index=pd.Index(["m", "a", "b"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a"], "target_id": ["m"], "layer": "career_conversation",
    ...     "kind": "relationship", "weight": 1.0, "count": 1.0, "first_contact": pd.NaT, "last_contact": pd.NaT})
    >>> people["survey_response"] = people["survey_response"].eq("yes")
    >>> manager_conversation(OrgNetwork(people, ties)).tolist()
    ['no manager', 'yes', 'no']
    """
    declared = declared_ties(network)
    talks = declared[declared[S.LAYER] == CAREER_CONVERSATION]
    if talks.empty:
        return None
    people = network.people
    coverage = survey_coverage(network)
    answered = (coverage.answered.reindex(people.index).fillna(False).astype(bool) if coverage is not None
                else pd.Series(False, index=people.index))
    pairs = set(zip(talks[S.TIE_SOURCE].astype(str), talks[S.TIE_TARGET].astype(str)))
    manager = (people[S.MANAGER_ID].astype("string") if S.MANAGER_ID in people
               else pd.Series(pd.NA, index=people.index, dtype="string"))
    out = []
    for person, boss, said in zip(people.index.astype(str), manager, answered):
        if pd.isna(boss):
            out.append("no manager")
        elif not said:
            out.append("did not answer")
        else:
            out.append("yes" if (person, str(boss)) in pairs else "no")
    return pd.Series(out, index=people.index, name="manager_conversation")
