"""The aggregation over a partitioned Parquet data lake, and analysing from its tie table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ona
from ona.cli import main


def _lake(tmp_path: Path) -> Path:
    """acme's event log as a data lake: one Parquet file per month, in month= folders."""
    events = pd.read_csv(ona.sample_path("acme") / "interactions.csv", dtype=str)
    month = events["timestamp"].str.slice(0, 7).fillna("unknown")
    lake = tmp_path / "lake" / "interactions"
    for value, part in events.groupby(month):
        folder = lake / f"month={value}"
        folder.mkdir(parents=True)
        half = len(part) // 2
        part.iloc[:half].to_parquet(folder / "part-0.parquet", index=False)
        part.iloc[half:].to_parquet(folder / "part-1.parquet", index=False)
    return lake


@pytest.mark.slow
def test_lake_aggregates_like_one_file(tmp_path: Path) -> None:
    acme = ona.sample_path("acme")
    lake = _lake(tmp_path)
    assert len(list(lake.rglob("*.parquet"))) >= 12
    reference = ona.load(acme)
    ties, _ = ona.aggregate_interactions(lake, reference.people.index, on_invalid="drop")
    one_file, _ = ona.aggregate_interactions(acme / "interactions.csv", reference.people.index,
                                             on_invalid="drop")
    key = ["source_id", "target_id", "layer"]
    left = ties.astype({k: str for k in key}).sort_values(key).reset_index(drop=True)
    right = one_file.astype({k: str for k in key}).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)


@pytest.mark.slow
def test_bad_value_in_a_lake_names_its_file(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    target = sorted(lake.rglob("*.parquet"))[3]
    frame = pd.read_parquet(target)
    frame.loc[2, "timestamp"] = "yesterday"
    frame.to_parquet(target, index=False)
    people = ona.load(ona.sample_path("acme")).people.index
    with pytest.raises(ona.InputError) as err:
        ona.aggregate_interactions(lake, people)
    assert target.name in str(err.value) and target.parent.name in str(err.value)
    assert "row 3" in str(err.value) and "yesterday" in str(err.value)


def test_an_output_not_named_parquet_is_refused_before_the_work(tmp_path: Path, capsys) -> None:
    acme = ona.sample_path("acme")
    # the tie table is Parquet: a ties.csv would hold Parquet bytes under a CSV name
    code = main(["aggregate", str(acme / "interactions.csv"), "--people", str(acme / "people.csv"),
                 "--out", str(tmp_path / "ties.csv")])
    assert code != 0 and "ties.csv" in capsys.readouterr().err
    assert not (tmp_path / "ties.csv").exists()
    code = main(["aggregate", str(acme / "interactions.csv"), "--people", str(acme / "people.csv"),
                 "--out", str(tmp_path / "ties.parquet")])
    assert code == 0 and len(pd.read_parquet(tmp_path / "ties.parquet")) > 0


@pytest.mark.slow
def test_analyze_from_aggregated_ties(tmp_path: Path) -> None:
    acme = ona.sample_path("acme")
    lake = _lake(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / "people.csv").write_bytes((acme / "people.csv").read_bytes())
    (data / "relationships.csv").write_bytes((acme / "relationships.csv").read_bytes())
    assert main(["aggregate", str(lake), "--people", str(acme / "people.csv"),
                 "--out", str(data / "ties.parquet"), "--drop-invalid"]) == 0
    direct = ona.analyze(acme, tribes=ona.TribeSettings(stability_seeds=0), on_invalid="drop")
    via_lake = ona.analyze(data, tribes=ona.TribeSettings(stability_seeds=0))
    columns = ["degree", "strength", "betweenness", "visibility", "tribe"]
    pd.testing.assert_frame_equal(direct.people_metrics[columns], via_lake.people_metrics[columns])
    assert via_lake.network.interactions.events_read == direct.network.interactions.events_read
    # both an event log and ties in one folder is an error that says what to do
    (data / "interactions.csv").write_bytes((acme / "interactions.csv").read_bytes())
    with pytest.raises(ona.InputError, match="ona aggregate"):
        ona.load(data)
