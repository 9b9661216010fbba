"""Per-person network measures. Every person on the people list gets a row; no ties = zeros.

Which ties count
----------------
Measures run on the chosen layers combined (default: every interaction channel, or
every declared relation without an event log). A pair of people is tied when

- their interaction weight, summed over both directions and the chosen channels, is
  at least ``min_weight`` — by default 2, the weight of two one-to-one messages (an
  exchange, or a repeated contact) or one one-hour one-to-one meeting, so that a single
  unanswered email or a cc on a mass mailing does not make a tie; or
- one of them declares a tie to the other in a chosen relation (any weight).

The pair's weight is the sum of both. Directed measures (in/out degree and strength,
PageRank) use the directed ties of the pairs kept. docs/metrics.md gives each formula.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import schema as S
from .centrality import PathSettings, TieArrays, centrality_measures
from .network import OrgNetwork, check_layers, default_layers, tie_codes
from .roles import RoleRules, assign_roles
from .visibility import senior_leaders, visibility_measures

__all__ = ["degree_metrics", "people_metrics", "tie_arrays", "DEGREE_COLUMNS",
           "DEFAULT_MIN_WEIGHT"]

DEGREE_COLUMNS = ("degree", "in_degree", "out_degree", "strength", "in_strength", "out_strength")
#: Interaction weight a pair needs to count as tied (see the module doc).
DEFAULT_MIN_WEIGHT = 2.0


def tie_arrays(network: OrgNetwork, *, layers: Iterable[str] | None = None,
               min_weight: float = DEFAULT_MIN_WEIGHT) -> TieArrays:
    """The ties that count, as integer arrays over the positions of ``network.people``.

    >>> people = pd.DataFrame(index=pd.Index(["a", "b", "c"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a", "b", "a"], "target_id": ["b", "a", "c"],
    ...                      "layer": "email", "kind": "interaction",
    ...                      "weight": [1.0, 1.0, 1.0], "count": 1.0})
    >>> arrays = tie_arrays(OrgNetwork(people, ties))
    >>> arrays.u.tolist(), arrays.v.tolist(), arrays.w.tolist()  # a-c has only 1: no tie
    ([0], [1], [2.0])
    """
    ties = network.ties
    n = len(network.people)
    names = default_layers(ties) if layers is None else [str(x).strip().lower() for x in layers]
    check_layers(ties, names)
    # work on column arrays with a row mask: tens of millions of ties are never copied whole
    mask = ties[S.LAYER].isin(names).to_numpy(bool)
    everything = bool(mask.all())
    src, tgt, ids = tie_codes(ties, wide=False)
    declared = ties[S.KIND].eq(S.KIND_RELATIONSHIP).to_numpy(bool)
    w = ties[S.TIE_WEIGHT].to_numpy(float)
    if not everything:
        pick = _rows(mask)
        src, tgt, declared, w = src[pick], tgt[pick], declared[pick], w[pick]
    del mask
    m = max(len(ids), 1)
    # sum per directed pair on one int64 key over the id codes (the loader's ties come
    # sorted by them, so no sort is needed), then map codes to people positions
    if declared.any():
        d_key, (d_w, d_i), (d_d,) = _sum_by(_pair_key(src, tgt, m), w, np.where(declared, 0.0, w),
                                            flags=(declared,))
    else:  # interaction layers only: one sum serves both
        d_key, (d_w,), _ = _sum_by(_pair_key(src, tgt, m), w)
        d_i, d_d = d_w, None
    del src, tgt, declared, w
    position = pd.Series(np.arange(n), index=network.people.index).reindex(ids).to_numpy()
    position = position.astype(np.int32 if n < 2 ** 31 else np.int64)
    ds = position[d_key // m]
    dt = position[d_key % m]
    del d_key
    # per unordered pair: sort the directed pairs by (lower, higher) end once, sum in runs
    pair = _pair_key(np.minimum(ds, dt), np.maximum(ds, dt), max(n, 1))
    order = np.argsort(pair, kind="stable")
    pair = pair[order]  # the unsorted keys are released here
    boundary = np.empty(len(pair), dtype=bool)
    boundary[:1] = True
    np.not_equal(pair[1:], pair[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    p_key = pair[starts]
    del pair
    p_w = np.add.reduceat(d_w[order], starts) if len(starts) else np.zeros(0)
    p_i = p_w if d_i is d_w else (np.add.reduceat(d_i[order], starts) if len(starts) else np.zeros(0))
    p_d = (np.logical_or.reduceat(d_d[order], starts) if d_d is not None and len(starts)
           else np.zeros(len(p_key), dtype=bool))
    del starts, d_i, d_d
    pu, pv = p_key // max(n, 1), p_key % max(n, 1)
    # a hair of tolerance: the same events summed in another order must give the same ties
    keep = ((p_i >= min_weight - 1e-9) | p_d) & (pu != pv)
    group = np.cumsum(boundary, dtype=np.int32 if len(boundary) < 2 ** 31 else np.int64)
    del boundary
    group -= 1
    kept_dir = np.empty(len(order), dtype=bool)
    kept_dir[order] = keep[group]  # back from sorted order to the directed pairs' order
    del group, order
    order = np.lexsort((dt[kept_dir], ds[kept_dir]))
    return TieArrays(n=n, u=pu[keep], v=pv[keep], w=p_w[keep],
                     s=ds[kept_dir][order].astype(np.int64), t=dt[kept_dir][order].astype(np.int64),
                     ws=d_w[kept_dir][order])


def pair_weights(ties: pd.DataFrame, mask: np.ndarray | None = None) -> np.ndarray:
    """Total weight of every pair of people (both directions, the masked rows' layers
    summed), one value per pair with any tie, in no particular order.

    >>> t = pd.DataFrame({"source_id": ["a", "b", "a"], "target_id": ["b", "a", "c"],
    ...                   "weight": [1.0, 2.0, 0.5]})
    >>> sorted(pair_weights(t).tolist())
    [0.5, 3.0]
    """
    src, tgt, ids = tie_codes(ties, wide=False)
    w = ties[S.TIE_WEIGHT].to_numpy(float)
    if mask is not None and not mask.all():
        pick = _rows(mask)
        src, tgt, w = src[pick], tgt[pick], w[pick]
    m = max(len(ids), 1)
    d_key, (d_w,), _ = _sum_by(_pair_key(src, tgt, m), w)  # sorted as loaded: no sort needed
    del src, tgt, w
    ds, dt = (d_key // m).astype(np.int32), (d_key % m).astype(np.int32)
    del d_key
    pair = _pair_key(np.minimum(ds, dt), np.maximum(ds, dt), m)
    del ds, dt
    order = np.argsort(pair, kind="stable")
    pair = pair[order]
    d_w = d_w[order]
    del order
    _, (p_w,), _ = _sum_by(pair, d_w)
    return p_w


def _rows(mask: np.ndarray) -> slice | np.ndarray:
    """The rows of a mask as a slice when they are one block (the loader puts interaction
    ties before declared ones, so the usual selection is a view, not a copy).

    >>> _rows(np.array([False, True, True, False]))
    slice(1, 3, None)
    """
    count = int(mask.sum())
    if count:
        first = int(mask.argmax())
        last = len(mask) - 1 - int(mask[::-1].argmax())
        if last - first + 1 == count:
            return slice(first, last + 1)
    return mask


def _pair_key(a: np.ndarray, b: np.ndarray, m: int) -> np.ndarray:
    """a * m + b as int64, with one array allocated."""
    key = np.multiply(a, m, dtype=np.int64)
    np.add(key, b, out=key)
    return key


def _sum_by(key: np.ndarray, *values: np.ndarray, flags: tuple[np.ndarray, ...] = ()):
    """The distinct keys in increasing order, each of ``values`` summed per key and each of
    ``flags`` (booleans) or-ed per key.

    >>> keys, (sums,), (anys,) = _sum_by(np.array([5, 2, 5]), np.array([1.0, 2.0, 3.0]),
    ...                                   flags=(np.array([False, False, True]),))
    >>> keys.tolist(), sums.tolist(), anys.tolist()
    ([2, 5], [2.0, 4.0], [False, True])
    """
    key = np.asarray(key, dtype=np.int64)
    if len(key) and not (key[1:] >= key[:-1]).all():  # tie tables usually come sorted
        order = np.argsort(key, kind="stable")  # timsort: fast on the nearly sorted
        key = key[order]
        values = tuple(np.asarray(v)[order] for v in values)
        flags = tuple(np.asarray(f)[order] for f in flags)
    if not len(key):
        return key, [np.zeros(0) for _ in values], [np.zeros(0, bool) for _ in flags]
    boundary = np.empty(len(key), dtype=bool)
    boundary[0] = True
    np.not_equal(key[1:], key[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    sums = [np.add.reduceat(np.asarray(v, dtype=float), starts) for v in values]
    anys = [np.logical_or.reduceat(np.asarray(f, dtype=bool), starts) for f in flags]
    return key[starts], sums, anys


def degree_metrics(network: OrgNetwork, *, layers: Iterable[str] | None = None,
                   min_weight: float = DEFAULT_MIN_WEIGHT) -> pd.DataFrame:
    """Degree and strength of everyone, over the ties that count (see the module doc).

    - ``degree``: distinct people tied to the person in either direction.
    - ``out_degree`` / ``in_degree``: distinct people the person reaches out to /
      who reach out to the person (or, for declared relations, name / are named by).
    - ``strength``: total weight of the person's ties in both directions;
      ``out_strength`` / ``in_strength`` the directed parts.

    Examples
    --------
    >>> people = pd.DataFrame({"department": ["A", "A", "B"]},
    ...                       index=pd.Index(["a", "b", "c"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a", "b"], "target_id": ["b", "a"],
    ...                      "layer": "email", "kind": "interaction",
    ...                      "weight": [1.5, 0.5], "count": [1.0, 1.0]})
    >>> degree_metrics(OrgNetwork(people, ties))[["degree", "in_degree", "strength"]]
                 degree  in_degree  strength
    employee_id
    a                 1          1       2.0
    b                 1          1       2.0
    c                 0          0       0.0
    """
    return _degrees(tie_arrays(network, layers=layers, min_weight=min_weight), network.people.index)


def _degrees(ties: TieArrays, index: pd.Index) -> pd.DataFrame:
    n = ties.n
    ends = np.concatenate([ties.u, ties.v])
    end_w = np.concatenate([ties.w, ties.w])
    out = pd.DataFrame(index=index)
    out["degree"] = np.bincount(ends, minlength=n).astype(np.int64)
    out["in_degree"] = np.bincount(ties.t, minlength=n).astype(np.int64)
    out["out_degree"] = np.bincount(ties.s, minlength=n).astype(np.int64)
    out["strength"] = np.bincount(ends, weights=end_w, minlength=n).astype(float)
    out["in_strength"] = np.bincount(ties.t, weights=ties.ws, minlength=n).astype(float)
    out["out_strength"] = np.bincount(ties.s, weights=ties.ws, minlength=n).astype(float)
    out.index.name = S.EMPLOYEE_ID
    return out


def people_metrics(network: OrgNetwork, *, layers: Iterable[str] | None = None,
                   min_weight: float = DEFAULT_MIN_WEIGHT, senior_levels: int = 2,
                   leaders: Iterable[str] | None = None, strong_quantile: float = 0.75,
                   paths: PathSettings = PathSettings(),
                   roles: RoleRules = RoleRules(), ties: TieArrays | None = None) -> pd.DataFrame:
    """The ``people_metrics`` table: employee_id, department, every measure, a role, then
    the people attributes. One row per person on the people list, in its order.

    Parameters
    ----------
    layers, min_weight : which ties count (see the module doc).
    senior_levels, leaders : the senior leaders for visibility: everyone in the top
        ``senior_levels`` levels present (2), or the ``leaders`` given.
    strong_quantile : a strong tie (for reach through an intermediary) is in this top
        quantile of tie weights (0.75).
    paths : exact or sampled path measures (:class:`~ona.centrality.PathSettings`).
    roles : the role thresholds (:class:`~ona.roles.RoleRules`).
    ties : the ties that count, if already built by :func:`tie_arrays` with the same
        layers and min_weight (saves building them twice on large networks).

    ``table.attrs`` records how the measures were computed (layers, thresholds,
    exact or sampled, the visibility components used).

    >>> import ona
    >>> table = people_metrics(ona.load(ona.sample_path("krackhardt")), layers=["advice"])
    >>> int(table.loc["2", "in_degree"]), len(table), table["in_degree"].idxmax()
    (18, 21, '2')
    """
    chosen = list(layers) if layers is not None else default_layers(network.ties)
    arrays = ties if ties is not None else tie_arrays(network, layers=chosen, min_weight=min_weight)
    people = network.people
    measures = _degrees(arrays, people.index)
    central, how = centrality_measures(arrays, paths)
    central.index = people.index
    top = senior_leaders(people, levels=senior_levels, leaders=leaders)
    visible, note = visibility_measures(people, arrays, network.ties, leaders=top,
                                        strong_quantile=strong_quantile)
    table = pd.concat([people[[S.DEPARTMENT]], measures, central, visible], axis=1)
    table["role"] = assign_roles(table, roles)
    attributes = people.drop(columns=[S.DEPARTMENT])
    table = pd.concat([table, attributes], axis=1)
    table.index.name = S.EMPLOYEE_ID
    table.attrs.update({"layers": chosen, "min_weight": min_weight, "ties": int(len(arrays.u)),
                        "senior_levels": senior_levels, "strong_quantile": strong_quantile,
                        **how, **note})
    return table
