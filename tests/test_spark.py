"""The PySpark job gives the same tie table, drop counts by reason and summary as DuckDB,
on the sample and on a generated log with every kind of dirty row and meeting size; its
output is read by ona analyze."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import ona
from ona.errors import InputError
from ona.interactions import Weighting, aggregate_interactions
from ona.quality import QualityReport

pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs pyspark (make test installs it)")

pytestmark = [pytest.mark.slow, pytest.mark.spark]

KEY = ["source_id", "target_id", "layer"]


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.fail("the Spark engine needs a Java runtime: run 'make test' (it installs Debian's "
                    "openjdk-17-jre-headless) or install one")
    from ona.spark_job import spark_session
    session = spark_session("local[2]")
    yield session
    session.stop()


def _same(folder, people, spark, **options):
    from ona.spark_job import aggregate_spark
    qd, qs = QualityReport(), QualityReport()
    duck, summary_d = aggregate_interactions(folder / "interactions.csv", people, quality=qd, **options)
    spk, summary_s = aggregate_spark(folder / "interactions.csv", people, quality=qs, spark=spark, **options)
    a = duck.astype({k: str for k in KEY}).sort_values(KEY, ignore_index=True)
    b = spk.astype({k: str for k in KEY}).sort_values(KEY, ignore_index=True)
    assert len(a) == len(b) and a[KEY].equals(b[KEY])
    np.testing.assert_allclose(b["weight"].to_numpy(), a["weight"].to_numpy(), rtol=1e-9)
    assert (a["count"].to_numpy() == b["count"].to_numpy()).all()
    assert (a["first_contact"] == b["first_contact"]).all() and (a["last_contact"] == b["last_contact"]).all()
    assert qd.drops_frame().equals(qs.drops_frame())
    assert (qd.rows_read, qd.rows_kept, qd.warnings) == (qs.rows_read, qs.rows_kept, qs.warnings)
    assert summary_d == summary_s
    return qd


def test_the_sample_gives_the_same_ties_and_drop_counts_on_both_engines(spark):
    folder = ona.sample_path("acme")
    quality = _same(folder, ona.load(folder).people.index, spark, on_invalid="drop")
    assert quality.dropped_rows("interactions.csv") > 0  # the sample's dirty rows, counted alike


def test_every_dirty_row_meeting_size_window_and_rule_alike(spark, tmp_path):
    """A generated log with the generator's dirty rows, big meetings and mass messages, plus
    unreadable values, a window, channel weights and a half-life."""
    org = ona.generate_organisation(400, seed=909, events_per_person=40)
    ona.write_organisation(org, tmp_path)
    log = pd.read_csv(tmp_path / "interactions.csv", dtype=str, keep_default_na=False)
    bad = log.head(6).copy()
    bad.loc[bad.index[0], "timestamp"] = "not a date"
    bad.loc[bad.index[1], "duration_minutes"] = "-5"
    bad.loc[bad.index[2], "timestamp"] = ""
    bad.loc[bad.index[3], "channel"] = ""
    bad.loc[bad.index[4], "timestamp"] = "2999-01-01T00:00:00"
    bad.loc[bad.index[5], "sender_id"] = ""
    wide = log[log["channel"] == "meeting"].head(3).copy()
    wide["recipient_ids"] = ";".join(org.people["employee_id"].head(60))  # a meeting of 61
    # Unicode spaces (U+00A0, U+3000, U+2009) around cells and list entries: trimmed alike
    spaced = log[log["recipient_ids"].str.contains(";")].tail(3).copy()
    spaced["sender_id"] = "\u00a0" + spaced["sender_id"] + "\u3000"
    spaced["timestamp"] = spaced["timestamp"] + "\u00a0"
    spaced["recipient_ids"] = spaced["recipient_ids"].str.replace(";", "\u2009;\u00a0", regex=False)
    spaced["channel"] = "chat"  # not a copy of a row of the log once trimmed
    pd.concat([log, bad, wide, spaced], ignore_index=True).to_csv(tmp_path / "interactions.csv", index=False)
    people = ona.load(tmp_path, on_invalid="drop").people.index
    quality = _same(tmp_path, people, spark, on_invalid="drop")
    reasons = set(quality.drops_frame()["reason"])
    assert {"invalid_value", "duplicate_row", "empty_recipients", "unknown_sender", "self_tie",
            "unknown_recipient", "no_valid_recipient"} <= reasons
    _same(tmp_path, people, spark, on_invalid="drop", since="2026-03-01", until="2026-05-31",
          weighting=Weighting(channel_weights={"chat": 0.5}, half_life_days=60.0))


def test_an_unreadable_value_is_one_error_naming_the_file_and_column(spark, tmp_path):
    from ona.spark_job import aggregate_spark
    (tmp_path / "interactions.csv").write_text(
        "timestamp,channel,sender_id,recipient_ids\n2026-01-01T09:00:00,email,a,b\nyesterday,email,a,b\n")
    with pytest.raises(InputError) as caught:
        aggregate_spark(tmp_path / "interactions.csv", ["a", "b"], spark=spark)
    text = str(caught.value)
    assert "interactions.csv" in text and "timestamp" in text and "yesterday" in text


def test_ona_analyze_reads_what_the_spark_engine_wrote(spark, tmp_path):
    from ona.lake import aggregate_to_file
    acme = ona.sample_path("acme")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(acme / "people.csv", data / "people.csv")
    aggregate_to_file(acme / "interactions.csv", acme / "people.csv", data / "ties.parquet", engine="spark",
                      on_invalid="drop", spark=spark)
    quick = dict(confidence=ona.ConfidenceSettings(replicates=0), tribes=ona.TribeSettings(stability_seeds=0))
    via_spark = ona.analyze(data, **quick)
    direct = ona.analyze(acme, on_invalid="drop", layers=via_spark.layers, **quick)
    assert via_spark.network.interactions.events_used == direct.network.interactions.events_used
    pd.testing.assert_series_equal(via_spark.people_metrics["strength"], direct.people_metrics["strength"],
                                   check_exact=False, rtol=1e-9)


def test_the_path_measures_on_spark_executors_equal_the_local_run(spark):
    """Betweenness and harmonic closeness summed over source batches on Spark's executors
    are the local run's, for the same sampled sources and seed."""
    from ona.centrality import PathSettings, centrality_measures
    from ona.spark_job import spark_mapper
    net = ona.load(ona.sample_path("acme"))
    ties = ona.tie_arrays(net)
    settings = PathSettings(exact_limit=100, pivots=120, seed=7, workers=1)
    local, how_local = centrality_measures(ties, settings)
    remote, how_remote = centrality_measures(ties, settings, mapper=spark_mapper(spark))
    assert how_local == how_remote and how_local["betweenness"].startswith("sampled")
    for column in ("betweenness", "harmonic"):
        np.testing.assert_allclose(remote[column].to_numpy(), local[column].to_numpy(), rtol=1e-12, atol=0)
