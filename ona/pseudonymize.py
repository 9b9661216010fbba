"""Keyed pseudonymisation: replace employee ids with keyed hashes and drop names.

A pseudonym is ``"p"`` followed by the first 16 hex digits of HMAC-SHA256(key, id).
The same key always gives the same pseudonym (results from several runs can be
joined); without the key, a pseudonym cannot be traced back or recomputed from a
guessed id. There is no built-in key: it comes from an argument or the
``ONA_PSEUDONYM_KEY`` environment variable, and must be at least 16 characters.

Pseudonymised is not anonymous: a unique combination of attributes (the only
person with the title "CEO", a one-person team) can still point at someone. Drop
such columns with ``drop_columns`` and keep group views above the minimum group size.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from . import schema as S
from .errors import ConfigError
from .network import OrgNetwork, TieStore, stored_ties
from .read import normalise_header

__all__ = ["pseudonymize", "pseudonym_map", "pseudonym", "resolve_key", "KEY_ENV", "MIN_KEY_LENGTH"]

KEY_ENV = "ONA_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
_HEX_DIGITS = 16


def resolve_key(key: str | None = None) -> str:
    """The pseudonymisation key: ``key`` if given, else ``$ONA_PSEUDONYM_KEY``.

    Raises ConfigError when neither is set or the key is shorter than 16 characters.
    """
    key = key if key else os.environ.get(KEY_ENV, "")
    if not key:
        raise ConfigError(f"pseudonymisation needs a secret key: pass --pseudonym-key or set "
                          f"the {KEY_ENV} environment variable (at least {MIN_KEY_LENGTH} "
                          "characters; keep it secret and reuse it to get the same pseudonyms)")
    if len(key) < MIN_KEY_LENGTH:
        raise ConfigError(f"the pseudonymisation key is {len(key)} characters long; use at least "
                          f"{MIN_KEY_LENGTH} so ids cannot be guessed back")
    return key


def pseudonym(employee_id: str, key: str) -> str:
    """The pseudonym of one id.

    >>> pseudonym("E042", "a-long-enough-secret")
    'p...'
    >>> pseudonym("E042", "a-long-enough-secret") == pseudonym("E042", "a-long-enough-secret")
    True
    >>> pseudonym("E042", "a-long-enough-secret") != pseudonym("E042", "another-long-secret!")
    True
    """
    digest = hmac.new(key.encode("utf-8"), str(employee_id).encode("utf-8"), hashlib.sha256)
    return "p" + digest.hexdigest()[:_HEX_DIGITS]


def pseudonym_map(ids: Iterable[str], key: str) -> pd.DataFrame:
    """Columns ``employee_id`` and ``pseudonym`` for the given ids (for the mapping file).

    Raises ConfigError if two ids would share a pseudonym (practically impossible,
    but checked rather than assumed).

    Parameters
    ----------
    ids : iterable of str
        The employee ids (as text; repeats are kept once).
    key : str
        The secret key, at least 16 characters (when empty: the ``ONA_PSEUDONYM_KEY``
        environment variable).

    Returns
    -------
    DataFrame
        One row per distinct id, in the order given: ``employee_id`` and ``pseudonym``.

    Examples
    --------
    >>> mapping = pseudonym_map(["e1", "e2"], "a secret key of some length")
    >>> list(mapping.columns), mapping["pseudonym"].nunique()
    (['employee_id', 'pseudonym'], 2)
    """
    key = resolve_key(key)
    ids = pd.Index(pd.unique(pd.Series(list(ids), dtype="str")))
    mapped = pd.Series([pseudonym(i, key) for i in ids], index=ids)
    if mapped.duplicated().any():
        raise ConfigError("two employee ids gave the same pseudonym; use another key")
    return pd.DataFrame({S.EMPLOYEE_ID: ids, "pseudonym": mapped.to_numpy()})


def pseudonymize(network: OrgNetwork, key: str | None = None, *,
                 drop_columns: Iterable[str] = (), keep_columns: Iterable[str] = ()) -> OrgNetwork:
    """A copy of the network with keyed pseudonyms for ids and only an allow-list of people
    columns.

    Replaces employee_id, manager_id and the ids in the tie table. Keeps only the columns in
    :data:`ona.schema.PSEUDONYMISED_COLUMNS` (department, team, title, level, manager_id,
    location, hire_date, performance, survey_response) and those named in ``keep_columns``,
    less ``drop_columns``: a column the contract does not know (``Work Email``, ``Manager
    Name``) never reaches an output by default, whatever it is called.

    Parameters
    ----------
    network : OrgNetwork
        The network, not yet pseudonymised.
    key : str, optional
        The secret key, at least 16 characters (default: the ``ONA_PSEUDONYM_KEY``
        environment variable).
    drop_columns : iterable of str, default ()
        People columns to leave out even if allowed.
    keep_columns : iterable of str, default ()
        People columns to keep beside the allowed ones (never a column that names people
        directly, such as name or email).

    Returns
    -------
    OrgNetwork
        A copy with pseudonyms for employee_id, manager_id, the tie ends and the
        broadcasters listed, only the columns kept, and ``pseudonymized`` True.

    Examples
    --------
    >>> people = pd.DataFrame({"name": ["Ann", "Bo"], "department": ["A", "A"],
    ...                        "manager_id": [None, "1"], "work_email": ["a@x.org", "b@x.org"]},
    ...                       index=pd.Index(["1", "2"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["1"], "target_id": ["2"], "layer": ["email"],
    ...                      "kind": ["interaction"], "weight": [1.0], "count": [1.0],
    ...                      "first_contact": [pd.NaT], "last_contact": [pd.NaT]})
    >>> safe = pseudonymize(OrgNetwork(people, ties), "a-long-enough-secret")
    >>> list(safe.people.columns), safe.people.loc[safe.ties.target_id[0], "manager_id"] == safe.ties.source_id[0]
    (['department', 'manager_id'], True)
    """
    if network.pseudonymized:
        raise ConfigError("this network is already pseudonymised")
    key = resolve_key(key)
    mapping = pseudonym_map(network.people.index, key)
    lookup = dict(zip(mapping[S.EMPLOYEE_ID], mapping["pseudonym"]))
    people = network.people.copy()
    keep = set(S.PSEUDONYMISED_COLUMNS) | {normalise_header(c) for c in keep_columns}
    drop = {normalise_header(c) for c in drop_columns}
    named = sorted(keep & set(S.IDENTIFYING_COLUMNS))
    if named:
        raise ConfigError(f"column(s) {', '.join(named)} identify people directly and cannot be "
                          "kept in a pseudonymised output")
    people = people.drop(columns=[c for c in people.columns if c not in keep or c in drop])
    people.index = pd.Index([lookup[i] for i in people.index], name=S.EMPLOYEE_ID)
    if S.MANAGER_ID in people:
        people[S.MANAGER_ID] = people[S.MANAGER_ID].map(lookup)
    def rename(employee_id: str) -> str:
        return lookup.get(employee_id, pseudonym(employee_id, key))

    held = stored_ties(network)
    ties: pd.DataFrame | TieStore
    if isinstance(held, TieStore):  # ties kept in files: renamed as they are read
        ties = held.renamed(rename)
    else:
        ties = held.copy(deep=False)  # copy-on-write: the columns replaced below only
        for column in (S.TIE_SOURCE, S.TIE_TARGET):
            if isinstance(ties[column].dtype, pd.CategoricalDtype):
                ties[column] = ties[column].cat.rename_categories(rename)
            else:
                ties[column] = ties[column].map(lookup).astype("str")
    summary = network.interactions
    if summary is not None and summary.broadcasters:
        summary = replace(summary, broadcasters=tuple(
            {**row, S.EMPLOYEE_ID: lookup.get(row[S.EMPLOYEE_ID], pseudonym(row[S.EMPLOYEE_ID], key))}
            for row in summary.broadcasters))
    history = network.history
    if history is not None:
        history = history.copy()
        history[S.EMPLOYEE_ID] = history[S.EMPLOYEE_ID].map(lookup)
        history[S.MANAGER_ID] = history[S.MANAGER_ID].map(lambda x: lookup.get(x, pd.NA) if pd.notna(x) else x)
        if S.TITLE not in keep or S.TITLE in drop:
            history[S.TITLE] = pd.NA
    return network.with_(people=people, ties=ties, pseudonymized=True, interactions=summary, history=history)
