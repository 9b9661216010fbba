"""How people are named in everything a person reads: their name, with the id only where
two people share the name (the id alone without names, and under pseudonymisation)."""

from __future__ import annotations

import pandas as pd

from . import schema as S

__all__ = ["display_names"]


def display_names(people: pd.DataFrame, pseudonymized: bool = False) -> dict[str, str]:
    """A label per employee_id.

    >>> people = pd.DataFrame({"name": ["Ana", "Bo", "Bo", None]}, index=["1", "2", "3", "4"])
    >>> display_names(people)
    {'1': 'Ana', '2': 'Bo (2)', '3': 'Bo (3)', '4': '4'}
    """
    if S.NAME not in people.columns or pseudonymized:
        return {str(i): str(i) for i in people.index}
    names = people[S.NAME].astype("string").str.strip()
    shared = names.duplicated(keep=False) & names.notna() & names.ne("")
    return {str(i): (str(i) if pd.isna(n) or not n else f"{n} ({i})" if twin else str(n))
            for i, n, twin in zip(people.index, names, shared)}
