"""The organisation network: people plus ties in layers, and networkx graphs built from them.

A *layer* is one interaction channel (``email``, ``meeting``, ``chat``, ...) or one
declared relation (``advice``, ``advocacy``, ``mentor``, ``knows_work``, ...). The
tie table keeps every layer apart; :func:`build_graph` combines the layers asked
for into one networkx graph whose nodes are every person on the people list (people
with no ties included) carrying their attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as S
from .errors import ConfigError
from .interactions import InteractionSummary
from .quality import QualityReport
from .tiefile import COLUMNS, TieFile

__all__ = ["OrgNetwork", "TieStore", "build_graph", "concat_ties", "declared_ties", "default_layers",
           "select_ties", "stored_ties", "tie_codes", "tie_count"]


class _TieTable:
    """The ``ties`` field of :class:`OrgNetwork`: a DataFrame, or a :class:`TieStore` (ties
    kept in files), read into a DataFrame on first use and kept."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> pd.DataFrame:
        if obj is None:
            raise AttributeError("ties")  # no default: the field is required
        value = obj.__dict__[self.slot]
        if isinstance(value, TieStore):
            value = value.frame()
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj: Any, value: pd.DataFrame | TieStore) -> None:
        obj.__dict__[self.slot] = value


@dataclass(frozen=True)
class OrgNetwork:
    """People and their ties, as loaded and cleaned.

    Attributes
    ----------
    people : DataFrame indexed by ``employee_id`` (department, team, level, ... and any
        extra attribute columns).
    ties : the tie table: one row per (source_id, target_id, layer) with kind
        (``interaction`` or ``relationship``), weight, count, first_contact, last_contact.
        For a large event log (:data:`ona.tiefile.SPILL_PAIR_ROWS`) ``ona.load`` keeps the
        interaction rows in files (a :class:`TieStore`) and the table is read into memory
        the first time ``ties`` is asked for; ona's own analysis reads the files in blocks
        (:func:`stored_ties`).
    quality : rows read and dropped, and warnings (:class:`~ona.quality.QualityReport`).
    interactions : what the event aggregation saw, or None without an event log.
    pseudonymized : True when ids are keyed pseudonyms and names are gone.

    Examples
    --------
    >>> people = pd.DataFrame({"department": ["A", "A", "B"]},
    ...                       index=pd.Index(["x", "y", "z"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["x"], "target_id": ["y"], "layer": ["email"],
    ...                      "kind": ["interaction"], "weight": [2.0], "count": [2.0],
    ...                      "first_contact": [pd.NaT], "last_contact": [pd.NaT]})
    >>> net = OrgNetwork(people, ties)
    >>> net.layers
    ['email']
    >>> sorted(net.graph().degree())
    [('x', 1), ('y', 1), ('z', 0)]
    """

    people: pd.DataFrame
    ties: pd.DataFrame = _TieTable()
    quality: QualityReport = field(default_factory=QualityReport)
    interactions: InteractionSummary | None = None
    pseudonymized: bool = False
    history: pd.DataFrame | None = None

    @property
    def layers(self) -> list[str]:
        """Every layer present, interaction channels first, then declared relations."""
        pairs = _kind_layer_pairs(stored_ties(self))
        order = {S.KIND_INTERACTION: 0, S.KIND_RELATIONSHIP: 1}
        return [layer for kind, layer in sorted(pairs, key=lambda p: (order.get(p[0], 2), p[1]))]

    def layers_of(self, kind: str) -> list[str]:
        """Layers of one kind: ``"interaction"`` or ``"relationship"``."""
        return sorted(layer for k, layer in _kind_layer_pairs(stored_ties(self)) if k == kind)

    def graph(self, layers: Iterable[str] | None = None, *, directed: bool = False,
              min_weight: float = 0.0,
              layer_weights: Mapping[str, float] | None = None) -> nx.Graph:
        """A networkx graph of the chosen layers; see :func:`build_graph`."""
        return build_graph(self.people, self.ties, layers=layers, directed=directed,
                           min_weight=min_weight, layer_weights=layer_weights)

    def layer_summary(self) -> pd.DataFrame:
        """One row per layer: kind, ties (directed), people involved, total weight."""
        ties = stored_ties(self)
        if not len(ties):
            return pd.DataFrame(columns=["layer", "kind", "ties", "people", "weight"])
        names, counts, sums, people = ties.counts(people=True) if isinstance(ties, TieStore) else \
            _kind_layer_counts(ties, people=True)
        return pd.DataFrame([{"layer": names[g][1], "kind": names[g][0], "ties": int(counts[g]),
                              "people": int(people[g]), "weight": float(sums[g])}
                             for g in sorted(range(len(names)), key=lambda i: (names[i][1], names[i][0]))
                             if counts[g]])

    def with_(self, **changes: Any) -> OrgNetwork:
        """A copy with some fields replaced (the network itself is never mutated); ties kept
        in files stay there."""
        if "ties" not in changes:
            changes["ties"] = stored_ties(self)
        return replace(self, **changes)


def focal_mark(ids: pd.Index, focal: Iterable[str]) -> np.ndarray:
    """Per id code, whether it is one of the focal people (one more entry, False, for a
    missing code, -1).

    >>> focal_mark(pd.Index(["a", "b", "c"]), ["c", "x"]).tolist()
    [False, False, True, False]
    """
    position = ids.get_indexer(pd.Index([str(x) for x in focal]))
    mark = np.zeros(len(ids) + 1, dtype=bool)
    mark[position[position >= 0]] = True
    return mark


def stored_ties(network: OrgNetwork) -> pd.DataFrame | TieStore:
    """The network's tie table as it is held: a DataFrame, or a :class:`TieStore` when the
    interaction ties are in files (not read into memory by this call)."""
    return network.__dict__["_ties"]


def tie_count(network: OrgNetwork) -> int:
    """Rows of the tie table, without reading ties kept in files."""
    return len(stored_ties(network))


def declared_ties(network: OrgNetwork) -> pd.DataFrame:
    """The rows of declared relations (kind ``relationship``), as in ``network.ties``, without
    reading ties kept in files."""
    ties = stored_ties(network)
    if isinstance(ties, TieStore):
        return ties.declared
    if not len(ties):
        return ties
    return ties.loc[ties[S.KIND].eq(S.KIND_RELATIONSHIP).to_numpy(bool)]


def _as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """What a copied :class:`TieStore` becomes: its table, read."""
    return frame


class TieStore:
    """A tie table whose interaction rows are in a :class:`ona.tiefile.TieFile` (written by
    the aggregation of a large log) and whose declared rows are in memory: ``frame()``
    gives the same DataFrame as :func:`concat_ties` of the two, with the ids renamed by
    ``renames`` (pseudonymisation) as ``network.ties`` would have them; the rest of ona
    reads the files in blocks (the layer counts, :func:`ona.ties.pair_table`).

    >>> import numpy as np
    >>> from ona.tiefile import TieFile
    >>> f = TieFile(ids=["a", "b"], channels=["email"])
    >>> f.append({"s": np.array([0, 1]), "t": np.array([1, 0]), "layer": np.array([0, 0]),
    ...           "w": np.array([1.0, 2.0]), "c": np.array([1.0, 2.0]), "first": np.array([0, 0]),
    ...           "last": np.array([0, 0])})
    >>> f.done()
    >>> store = TieStore(f, None, pd.Index(["a", "b"]))
    >>> len(store), store.frame()[["source_id", "target_id", "weight"]].values.tolist()
    (2, [['a', 'b', 1.0], ['b', 'a', 2.0]])
    """

    def __init__(self, file: TieFile, declared: pd.DataFrame | None, people_ids: pd.Index,
                 renames: tuple[Callable[[str], str], ...] = ()) -> None:
        self.file = file
        self.declared_raw = declared if declared is not None and not declared.empty else None
        self.people_ids = people_ids
        self.renames = tuple(renames)
        parts_layers = set(file.channels) | (_distinct(self.declared_raw[S.LAYER])
                                             if self.declared_raw is not None else set())
        self.types = _tie_types(sorted(str(i) for i in people_ids), sorted(parts_layers))
        ids = list(self.types[S.TIE_SOURCE].categories)
        layers = list(self.types[S.LAYER].categories)
        # the file's codes as the table's codes (the same when DuckDB sorted the ids alike)
        self.id_map = (None if file.ids == ids
                       else pd.Index(ids).get_indexer(pd.Index(file.ids)).astype(np.int32))
        self.layer_map = np.array([layers.index(c) for c in file.channels], dtype=np.int16)
        self._declared: pd.DataFrame | None = None
        self._counts: dict[bool, tuple] = {}

    def __len__(self) -> int:
        return len(self.file) + (len(self.declared_raw) if self.declared_raw is not None else 0)

    def __reduce_ex__(self, protocol: Any) -> Any:
        """A copy (``copy.deepcopy``, pickle) is the table read into memory: the files belong
        to this process and go when the networks using them do."""
        return _as_read, (self.frame(),)

    @property
    def ids(self) -> pd.Index:
        """The ids the source and target codes stand for (renamed, as in :meth:`frame`)."""
        ids = pd.Index(self.types[S.TIE_SOURCE].categories)
        for rename in self.renames:
            ids = pd.Index([rename(x) for x in ids])
        return ids

    def renamed(self, rename: Callable[[str], str]) -> TieStore:
        """The same ties with every id renamed (the files are shared)."""
        return TieStore(self.file, self.declared_raw, self.people_ids, self.renames + (rename,))

    def _rename(self, frame: pd.DataFrame) -> pd.DataFrame:
        for rename in self.renames:
            for column in (S.TIE_SOURCE, S.TIE_TARGET):
                frame[column] = frame[column].cat.rename_categories(rename)
        return frame

    def frame(self) -> pd.DataFrame:
        """The whole tie table in memory."""
        from .interactions import tie_frame
        inter = tie_frame({name: self.file.read(name) for name in COLUMNS}, self.file.ids, self.file.channels)
        parts = [inter] + ([self.declared_raw.copy(deep=False)] if self.declared_raw is not None else [])
        return self._rename(concat_ties(parts, self.people_ids))

    @property
    def declared(self) -> pd.DataFrame:
        """The declared rows as they are in :meth:`frame` (index and types)."""
        if self._declared is None:
            if self.declared_raw is None:
                part = self._empty()
            else:
                part = _typed(self.declared_raw.copy(deep=False), self.types)
                part.index = pd.RangeIndex(len(self.file), len(self.file) + len(part))
                for column, dtype in _EMPTY_TYPES.items():  # the types the join with the files gives
                    joined = pd.concat([pd.Series(np.zeros(1).astype(dtype)), part[column]]).dtype
                    if part[column].dtype != joined:
                        part[column] = part[column].astype(joined)
            self._declared = self._rename(part)
        return self._declared

    def _empty(self) -> pd.DataFrame:
        """No rows, the table's columns and types."""
        return pd.DataFrame({c: pd.Series(dtype=self.types[c]) if c in self.types
                             else pd.Series(dtype=_EMPTY_TYPES[c]) for c in S.TIE_COLUMNS})

    def codes(self, lo: int, hi: int, *, ends: bool = True) -> dict[str, np.ndarray]:
        """Rows ``lo`` to ``hi - 1`` as code arrays: ``kind``, ``layer`` and (``ends``)
        ``source``, ``target`` (the table's categorical codes) and ``weight``."""
        split = len(self.file)
        a, b = min(lo, split), min(hi, split)
        out: dict[str, list[np.ndarray]] = {"kind": [], "layer": [], "source": [], "target": [], "weight": []}
        if b > a:
            out["kind"].append(np.zeros(b - a, dtype=np.int8))
            out["layer"].append(self.layer_map[self.file.read("layer", a, b)])
            if ends:
                for name, key in (("source", "s"), ("target", "t")):
                    values = self.file.read(key, a, b)
                    out[name].append(values if self.id_map is None else self.id_map[values])
                out["weight"].append(self.file.read("w", a, b))
        c, d = max(lo, split) - split, max(hi, split) - split
        if d > c:
            part = self.declared.iloc[c:d]
            out["kind"].append(part[S.KIND].array.codes)
            out["layer"].append(part[S.LAYER].array.codes)
            if ends:
                out["source"].append(part[S.TIE_SOURCE].array.codes)
                out["target"].append(part[S.TIE_TARGET].array.codes)
                out["weight"].append(part[S.TIE_WEIGHT].to_numpy(float))
        return {k: (np.concatenate(v) if len(v) > 1 else v[0]) for k, v in out.items() if v}

    def touching(self, focal: Iterable[str]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.Index]:
        """The rows with a focal person at either end: their layer, kind, weight, count and
        last contact (indexed by row number, as in :meth:`frame`), their source and target
        codes, and the ids the codes stand for. The files are read in blocks."""
        ids = self.ids
        mark = focal_mark(ids, focal)
        parts: dict[str, list[np.ndarray]] = {name: [] for name in ("row", "s", "t", "layer", "w", "c", "last")}
        for lo, hi in self.file.blocks(_BLOCK):
            s, t = self.file.read("s", lo, hi), self.file.read("t", lo, hi)
            if self.id_map is not None:
                s, t = self.id_map[s], self.id_map[t]
            keep = np.flatnonzero(mark[s] | mark[t])
            if not len(keep):
                continue
            parts["row"].append(lo + keep)
            parts["s"].append(s[keep])
            parts["t"].append(t[keep])
            for name in ("layer", "w", "c", "last"):
                parts[name].append(self.file.read(name, lo, hi)[keep])
        got = {name: (np.concatenate(values) if values else
                      np.zeros(0, dtype=np.int64 if name == "row" else COLUMNS[name]))
               for name, values in parts.items()}
        inter = pd.DataFrame({
            S.LAYER: pd.Categorical.from_codes(self.layer_map[got["layer"]], dtype=self.types[S.LAYER]),
            S.KIND: pd.Categorical.from_codes(np.zeros(len(got["row"]), dtype=np.int8), dtype=self.types[S.KIND]),
            S.TIE_WEIGHT: got["w"], S.TIE_COUNT: got["c"],
            S.LAST_CONTACT: got["last"].view("datetime64[us]")}, index=got["row"])
        declared = self.declared
        ds, dt = declared[S.TIE_SOURCE].array.codes, declared[S.TIE_TARGET].array.codes
        keep = mark[ds] | mark[dt]
        sub = pd.concat([inter, declared.loc[keep, [S.LAYER, S.KIND, S.TIE_WEIGHT, S.TIE_COUNT, S.LAST_CONTACT]]])
        return sub, np.concatenate([got["s"], ds[keep]]), np.concatenate([got["t"], dt[keep]]), ids

    def counts(self, *, people: bool = False) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]:
        """:func:`_kind_layer_counts` of the table (read once, then kept; without ``people``
        only the layer codes are read)."""
        if people not in self._counts:
            self._counts[people] = _kind_layer_counts(self, people=people)
        return self._counts[people]


#: Tie rows per block in :func:`_kind_layer_counts`: its temporary arrays stay small and
#: are reused (at 100k people the ties are tens of millions of rows, and memory touched for
#: the first time is what costs on a small machine).
_BLOCK = 1 << 22


def _kind_layer_counts(ties: pd.DataFrame, *, people: bool = False
                       ) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]:
    """Per (kind, layer): its name, the number of tie rows, their total weight and
    (``people``, else zeros) the number of people on either end, in one pass over the ties in blocks,
    on the categorical codes (no pass over strings).

    >>> t = pd.DataFrame({"source_id": ["a", "a", "b"], "target_id": ["b", "c", "c"],
    ...                   "layer": ["email", "email", "advice"], "kind": ["interaction"] * 2 + ["relationship"],
    ...                   "weight": [1.0, 2.0, 1.0]})
    >>> names, counts, sums, people = _kind_layer_counts(t, people=True)
    >>> [(names[g], int(counts[g]), float(sums[g]), int(people[g])) for g in range(len(names)) if counts[g]]
    [(('interaction', 'email'), 2, 3.0, 3), (('relationship', 'advice'), 1, 1.0, 2)]
    """
    if isinstance(ties, TieStore):  # the same blocks, read from the files
        kind_cats, layer_cats = ties.types[S.KIND].categories, ties.types[S.LAYER].categories
        n = len(ties.types[S.TIE_SOURCE].categories) if people else 0

        def block(lo: int, hi: int) -> dict[str, np.ndarray]:
            return ties.codes(lo, hi, ends=people)
    else:
        kinds, layers = (ties[c] if isinstance(ties[c].dtype, pd.CategoricalDtype) else ties[c].astype("category")
                         for c in (S.KIND, S.LAYER))
        kind_cats, layer_cats = kinds.cat.categories, layers.cat.categories
        columns = {"kind": kinds.array.codes, "layer": layers.array.codes}
        n = 0
        # people: the ends and weights too (only the kind and layer columns are needed otherwise)
        if people:
            columns["weight"] = ties[S.TIE_WEIGHT].to_numpy(float)
            columns["source"], columns["target"], ids = tie_codes(ties, wide=False)
            n = len(ids)

        def block(lo: int, hi: int) -> dict[str, np.ndarray]:
            return {name: column[lo:hi] for name, column in columns.items()}
    n_layers = len(layer_cats)
    names = [(str(k), str(layer)) for k in kind_cats for layer in layer_cats]
    groups = len(names)
    counts = np.zeros(groups, dtype=np.int64)
    sums = np.zeros(groups)
    seen = np.zeros(groups * n, dtype=bool)  # (group, person) pairs met
    for lo in range(0, len(ties), _BLOCK):
        part = block(lo, lo + _BLOCK)
        g = part["kind"].astype(np.int64) * n_layers + part["layer"]
        counts += np.bincount(g, minlength=groups)
        if people:
            sums += np.bincount(g, weights=part["weight"], minlength=groups)
            g *= n
            seen[g + part["source"]] = True
            seen[g + part["target"]] = True
    return names, counts, sums, seen.reshape(groups, n).sum(axis=1)


def _kind_layer_pairs(ties: pd.DataFrame | TieStore) -> list[tuple[str, str]]:
    """The (kind, layer) combinations present."""
    if not len(ties):
        return []
    names, counts, _, _ = ties.counts() if isinstance(ties, TieStore) else _kind_layer_counts(ties)
    return [names[g] for g in np.flatnonzero(counts)]


def in_layers(ties: pd.DataFrame, names: Iterable[str]) -> np.ndarray:
    """Which rows of a tie table are on one of the named layers, as a boolean array.

    On a categorical layer column (as ona.load gives it) this is one look-up per row on the
    codes: at 100k people (74M ties) ``Series.isin`` took 2.4 s.

    >>> ties = pd.DataFrame({"layer": pd.Categorical(["email", "advice", "chat", None])})
    >>> in_layers(ties, ["chat", "email"]).tolist()
    [True, False, True, False]
    """
    layer = ties[S.LAYER]
    names = list(names)
    if isinstance(layer.dtype, pd.CategoricalDtype):
        chosen = np.append(np.asarray(layer.cat.categories.isin(names)), False)  # code -1: missing
        return chosen[layer.array.codes]
    return layer.isin(names).to_numpy(bool)


def tie_codes(ties: pd.DataFrame, *, wide: bool = True) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Integer codes of the source and target ids, and the ids they stand for.

    ``wide``: int64 codes (safe for arithmetic); ``False`` gives the categorical's own
    narrower codes without a copy (for indexing only).

    Works on categorical id columns (as loaded) and on plain text columns alike.

    >>> t = pd.DataFrame({"source_id": ["b", "a"], "target_id": ["a", "c"]})
    >>> s, d, ids = tie_codes(t)
    >>> [ids[i] for i in s], [ids[i] for i in d]
    (['b', 'a'], ['a', 'c'])
    """
    src, tgt = ties[S.TIE_SOURCE], ties[S.TIE_TARGET]
    if isinstance(src.dtype, pd.CategoricalDtype) and src.dtype == tgt.dtype:
        if not wide:  # the stored codes, no copy (int8/16/32: index with them, do no sums)
            return src.array.codes, tgt.array.codes, src.cat.categories
        return (src.array.codes.astype(np.int64), tgt.array.codes.astype(np.int64),
                src.cat.categories)
    codes, ids = pd.factorize(pd.concat([src.astype("str"), tgt.astype("str")], ignore_index=True))
    return codes[:len(src)].astype(np.int64), codes[len(src):].astype(np.int64), pd.Index(ids)


def default_layers(ties: pd.DataFrame | TieStore) -> list[str]:
    """The layers used when none are named: every interaction channel when there is an
    event log, otherwise every declared relation.

    Parameters
    ----------
    ties : DataFrame or TieStore
        The tie table (columns ``layer`` and ``kind`` at least), or ties kept in files.

    Returns
    -------
    list of str
        The layers of kind ``interaction``, sorted; when there are none, every layer in
        the table, sorted.

    Examples
    --------
    >>> t = pd.DataFrame({"layer": ["email", "advice"], "kind": ["interaction", "relationship"]})
    >>> default_layers(t)
    ['email']
    """
    # from the (kind, layer) codes: no copy of the rows (tens of millions at 100k people)
    present = _kind_layer_pairs(ties)
    interaction = sorted({layer for kind, layer in present if kind == S.KIND_INTERACTION})
    return interaction or sorted({layer for _, layer in present})


def select_ties(ties: pd.DataFrame, layers: Iterable[str] | None = None) -> pd.DataFrame:
    """The ties of the chosen layers (default: :func:`default_layers`).

    Raises ConfigError naming the layers that do not exist.

    Parameters
    ----------
    ties : DataFrame
        The tie table (columns ``layer`` and ``kind`` at least).
    layers : iterable of str, optional
        The layers to keep, matched after trimming spaces and lower-casing (default:
        :func:`default_layers`).

    Returns
    -------
    DataFrame
        The rows of ``ties`` in the chosen layers, with their index and columns.

    Examples
    --------
    >>> t = pd.DataFrame({"layer": ["email", "advice"], "kind": ["interaction", "relationship"]})
    >>> select_ties(t, ["advice"])["layer"].tolist()
    ['advice']
    """
    chosen = default_layers(ties) if layers is None else [str(x).strip().lower() for x in layers]
    check_layers(ties, chosen)
    return ties.loc[ties[S.LAYER].isin(chosen)]


def check_layers(ties: pd.DataFrame | TieStore, chosen: list[str]) -> None:
    """Raise ConfigError naming the chosen layers that have no ties."""
    present = ({layer for _, layer in _kind_layer_pairs(ties)} if isinstance(ties, TieStore)
               else set(_distinct_layers(ties)))
    missing = [x for x in chosen if x not in present]
    if missing and len(ties):
        raise ConfigError(f"no ties in layer(s) {', '.join(missing)}; the layers present are "
                          f"{', '.join(sorted(present))}")


def _distinct_layers(ties: pd.DataFrame) -> list[str]:
    column = ties[S.LAYER]
    if isinstance(column.dtype, pd.CategoricalDtype):  # categories in use, without a scan of strings
        used = np.unique(column.array.codes)
        return [str(column.cat.categories[i]) for i in used if i >= 0]
    return [str(x) for x in column.unique()]


def build_graph(people: pd.DataFrame, ties: pd.DataFrame, *,
                layers: Iterable[str] | None = None, directed: bool = False,
                min_weight: float = 0.0,
                layer_weights: Mapping[str, float] | None = None) -> nx.Graph:
    """Combine the chosen layers into one weighted networkx graph.

    Parameters
    ----------
    people : DataFrame
        The people table indexed by employee_id; every person becomes a node with
        their attributes (missing values left out), whether or not they have ties.
    ties : DataFrame
        The tie table.
    layers : iterable of str, optional
        Layers to combine (default: :func:`default_layers`).
    directed : bool, default False
        A DiGraph keeping who reaches out to whom; otherwise an undirected Graph
        where the weight of a pair is the sum of both directions.
    min_weight : float, default 0.0
        After combining, edges lighter than this are left out.
    layer_weights : mapping of str to float, optional
        Multiplier per layer before summing (default 1 for every layer;
        declared relations and interaction weights are on different scales, so give
        weights when mixing them).

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        With edge attributes ``weight`` (summed) and ``count`` (number of events or
        statements).

    Examples
    --------
    >>> people = pd.DataFrame(index=pd.Index(["a", "b", "c"], name="employee_id"))
    >>> ties = pd.DataFrame({"source_id": ["a", "b", "a"], "target_id": ["b", "a", "c"],
    ...                      "layer": ["email", "email", "chat"], "kind": "interaction",
    ...                      "weight": [1.0, 0.5, 2.0], "count": [1.0, 1.0, 2.0]})
    >>> g = build_graph(people, ties, layers=["email"])
    >>> g["a"]["b"]["weight"], g.number_of_nodes(), g.number_of_edges()
    (1.5, 3, 1)
    >>> build_graph(people, ties, directed=True)["a"]["c"]["weight"]
    2.0
    """
    chosen = select_ties(ties, layers)
    weight = chosen[S.TIE_WEIGHT].to_numpy(float)
    if layer_weights:
        factors = {str(k).lower(): float(v) for k, v in layer_weights.items()}
        weight = weight * chosen[S.LAYER].astype("str").map(factors).fillna(1.0).to_numpy()
    u, v, ids = tie_codes(chosen)
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    frame = pd.DataFrame({"u": u, "v": v, "weight": weight,
                          "count": chosen[S.TIE_COUNT].to_numpy(float)})
    edges = frame.groupby(["u", "v"], sort=True, as_index=False)[["weight", "count"]].sum()
    if min_weight > 0:
        edges = edges.loc[edges["weight"] >= min_weight]
    graph: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(_node_attributes(people))
    ends = pd.Index(ids)
    outside = ~ends.isin(people.index)
    used = np.zeros(len(ends), dtype=bool)
    used[edges["u"].to_numpy()] = True
    used[edges["v"].to_numpy()] = True
    if (outside & used).any():
        raise ConfigError(f"{int((outside & used).sum())} people in the ties are not on the "
                          "people list; load data through ona.load or ona.from_frames to clean them")
    names = ends.to_numpy()
    graph.add_edges_from(
        (names[a], names[b], {"weight": w, "count": c})
        for a, b, w, c in zip(edges["u"].to_numpy(), edges["v"].to_numpy(),
                              edges["weight"].tolist(), edges["count"].tolist()))
    return graph


def _node_attributes(people: pd.DataFrame) -> Iterable[tuple[str, dict]]:
    columns = list(people.columns)
    for employee_id, values in zip(people.index, people.itertuples(index=False, name=None)):
        yield employee_id, {c: v for c, v in zip(columns, values) if not _missing(v)}


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def concat_ties(parts: list[pd.DataFrame], people_ids: pd.Index) -> pd.DataFrame:
    """One tie table: ids as categoricals over the (sorted) people list, layer and kind as
    categoricals. Four bytes an id instead of a string keeps tens of millions of ties small.

    Memory matters here (the event log's ties can be tens of millions of rows): columns
    that already have their type are not copied, and the parts are joined column by
    column, each column of the inputs released as soon as it is joined.

    >>> a = pd.DataFrame({"source_id": ["x"], "target_id": ["y"], "layer": ["email"], "kind": ["interaction"],
    ...                   "weight": [1.0], "count": [1.0], "first_contact": [pd.NaT], "last_contact": [pd.NaT]})
    >>> t = concat_ties([a, a.assign(layer="advice", kind="relationship")], pd.Index(["y", "x"]))
    >>> list(t["layer"].cat.categories), list(t["source_id"].cat.categories)
    (['advice', 'email'], ['x', 'y'])
    """
    from .validate import empty_ties
    parts = [p for p in parts if not p.empty] or [empty_ties()]
    types = _tie_types(sorted(str(i) for i in people_ids),
                       sorted(set().union(*(_distinct(p[S.LAYER]) for p in parts))))
    for i, part in enumerate(parts):
        parts[i] = _typed(part, types)
    if len(parts) == 1:
        return parts[0]
    joined = {}
    for column in S.TIE_COLUMNS:
        pieces = [p.pop(column) for p in parts]
        joined[column] = pd.concat(pieces, ignore_index=True)
        del pieces
    return pd.DataFrame(joined, copy=False)


def _tie_types(ids: list[str], layers: list[str]) -> dict[str, pd.CategoricalDtype]:
    """The categorical types of a tie table's id, layer and kind columns."""
    id_type = pd.CategoricalDtype(ids)
    return {S.TIE_SOURCE: id_type, S.TIE_TARGET: id_type, S.LAYER: pd.CategoricalDtype(layers),
            S.KIND: pd.CategoricalDtype([S.KIND_INTERACTION, S.KIND_RELATIONSHIP])}


def _typed(part: pd.DataFrame, types: dict[str, pd.CategoricalDtype]) -> pd.DataFrame:
    """A part of a tie table with the contract's columns in order and the given types."""
    if not part.columns.equals(pd.Index(S.TIE_COLUMNS)):
        part = part[list(S.TIE_COLUMNS)]
    for column, dtype in types.items():
        if part[column].dtype != dtype:
            part[column] = part[column].astype(dtype)
        elif not part[column].cat.categories.equals(dtype.categories):
            # categorical types compare equal whatever the order of their categories
            part[column] = part[column].cat.reorder_categories(dtype.categories)
    return part


def _distinct(column: pd.Series) -> set[str]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return {str(c) for c in column.cat.categories}
    return {str(c) for c in column.unique()}


#: The types of the tie columns that are not categorical, for a table of no rows.
_EMPTY_TYPES = {S.TIE_WEIGHT: "float64", S.TIE_COUNT: "float64", S.FIRST_CONTACT: "datetime64[us]",
                S.LAST_CONTACT: "datetime64[us]"}
