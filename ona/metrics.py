"""Per-person network measures. Every person on the people list gets a row; no ties = zeros.

So far: degree and strength (docs/metrics.md gives each formula).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import schema as S
from .network import OrgNetwork, select_ties, tie_codes

__all__ = ["degree_metrics", "people_metrics", "DEGREE_COLUMNS"]

DEGREE_COLUMNS = ("degree", "in_degree", "out_degree", "strength", "in_strength", "out_strength")


def degree_metrics(network: OrgNetwork, *, layers: Iterable[str] | None = None,
                   min_weight: float = 0.0) -> pd.DataFrame:
    """Degree and strength of everyone, over the chosen layers combined.

    - ``degree``: distinct people tied to the person in either direction.
    - ``out_degree`` / ``in_degree``: distinct people the person reaches out to /
      who reach out to the person.
    - ``strength``: total weight of the person's ties in both directions;
      ``out_strength`` / ``in_strength`` the directed parts.
    - ``min_weight``: a pair (or directed pair, for the directed columns) counts only
      when its combined weight is at least this.

    Examples
    --------
    >>> people = pd.DataFrame({"department": ["A", "A", "B"]},
    ...                       index=pd.Index(["a", "b", "c"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a", "b"], "target_id": ["b", "a"],
    ...                      "layer": "email", "kind": "interaction",
    ...                      "weight": [1.0, 0.5], "count": [1.0, 1.0]})
    >>> degree_metrics(OrgNetwork(people, ties))[["degree", "in_degree", "strength"]]
                 degree  in_degree  strength
    employee_id
    a                 1          1       1.5
    b                 1          1       1.5
    c                 0          0       0.0
    """
    ties = select_ties(network.ties, layers)
    src, tgt, ids = tie_codes(ties)
    n = len(ids)
    directed = (pd.DataFrame({"s": src, "t": tgt, "w": ties[S.TIE_WEIGHT].to_numpy(float)})
                .groupby(["s", "t"], sort=False)["w"].sum().reset_index())
    if min_weight > 0:
        directed = directed.loc[directed["w"] >= min_weight]
    pairs = (pd.DataFrame({"u": np.minimum(directed["s"], directed["t"]),
                           "v": np.maximum(directed["s"], directed["t"]), "w": directed["w"]})
             .groupby(["u", "v"], sort=False)["w"].sum().reset_index())
    if min_weight > 0:
        pairs = pairs.loc[pairs["w"] >= min_weight]
    ends = np.concatenate([pairs["u"].to_numpy(), pairs["v"].to_numpy()])
    end_weights = np.concatenate([pairs["w"].to_numpy(), pairs["w"].to_numpy()])

    def per_person(values: np.ndarray) -> pd.Series:
        return pd.Series(values, index=ids).reindex(network.people.index, fill_value=0)

    out = pd.DataFrame(index=network.people.index)
    out["degree"] = per_person(np.bincount(ends, minlength=n))
    out["in_degree"] = per_person(np.bincount(directed["t"], minlength=n))
    out["out_degree"] = per_person(np.bincount(directed["s"], minlength=n))
    out["strength"] = per_person(np.bincount(ends, weights=end_weights, minlength=n))
    out["in_strength"] = per_person(np.bincount(directed["t"], weights=directed["w"], minlength=n))
    out["out_strength"] = per_person(np.bincount(directed["s"], weights=directed["w"], minlength=n))
    for column in ("degree", "in_degree", "out_degree"):
        out[column] = out[column].astype("int64")
    for column in ("strength", "in_strength", "out_strength"):
        out[column] = out[column].astype(float)
    out.index.name = S.EMPLOYEE_ID
    return out


def people_metrics(network: OrgNetwork, *, layers: Iterable[str] | None = None,
                   min_weight: float = 0.0) -> pd.DataFrame:
    """The ``people_metrics`` table: employee_id, department, the measures, then attributes.

    One row per person on the people list, in its order.

    >>> import ona
    >>> table = people_metrics(ona.load(ona.sample_path("krackhardt")), layers=["advice"])
    >>> int(table.loc["2", "in_degree"]), len(table)
    (18, 21)
    """
    measures = degree_metrics(network, layers=layers, min_weight=min_weight)
    people = network.people
    attributes = people.drop(columns=[S.DEPARTMENT])
    table = pd.concat([people[[S.DEPARTMENT]], measures, attributes], axis=1)
    table.index.name = S.EMPLOYEE_ID
    return table
