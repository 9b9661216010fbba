"""Keyed pseudonymisation: stable under one key, different under another, no names anywhere."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import ona
from ona.cli import main
from ona.errors import ConfigError
from ona.pseudonymize import KEY_ENV, pseudonym

KEY = "correct-horse-battery-staple"


def test_same_key_same_pseudonyms_other_key_other_pseudonyms():
    net = ona.load(ona.sample_path("krackhardt"))
    one = ona.pseudonymize(net, KEY)
    two = ona.pseudonymize(net, KEY)
    other = ona.pseudonymize(net, "another-key-of-enough-length")
    assert list(one.people.index) == list(two.people.index)
    assert set(one.people.index).isdisjoint(other.people.index)
    assert set(one.people.index).isdisjoint(net.people.index)
    assert one.pseudonymized and not net.pseudonymized


def test_structure_is_preserved_under_pseudonyms():
    net = ona.load(ona.sample_path("krackhardt"))
    safe = ona.pseudonymize(net, KEY)
    p2 = pseudonym("2", KEY)
    assert ona.people_metrics(safe, layers=["advice"]).loc[p2, "in_degree"] == 18
    # the manager of manager 1 is VP 2, under pseudonyms too
    assert safe.people.loc[pseudonym("1", KEY), "manager_id"] == p2


def test_names_and_identifying_columns_are_dropped():
    net = ona.load(ona.sample_path("acme"))
    safe = ona.pseudonymize(net, KEY, drop_columns=["location"])
    assert "name" in net.people.columns
    assert not {"name", "location"} & set(safe.people.columns)


def test_there_is_no_default_key(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    net = ona.load(ona.sample_path("krackhardt"))
    with pytest.raises(ConfigError, match=KEY_ENV):
        ona.pseudonymize(net)
    with pytest.raises(ConfigError, match="at least 16"):
        ona.pseudonymize(net, "short")
    monkeypatch.setenv(KEY_ENV, KEY)
    assert ona.pseudonymize(net).people.index[0] == pseudonym(net.people.index[0], KEY)


@pytest.mark.slow
def test_command_line_outputs_carry_no_ids_or_names(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(KEY_ENV, KEY)
    out = tmp_path / "out"
    assert main(["analyze", str(ona.sample_path("acme")), "--out", str(out), "--pseudonymize",
                 "--quiet"]) == 0
    people = pd.read_csv(ona.sample_path("acme") / "people.csv", dtype=str)
    written = "".join(p.read_text() for p in out.iterdir())
    cells = set(re.split(r"[,\n\"{}\[\]: ]+", written))
    assert not cells & set(people["employee_id"])
    assert not any(name in written for name in people["name"])
    assert not (tmp_path / "map.csv").exists()  # the mapping is written only on request
    table = pd.read_csv(out / "people_metrics.csv", dtype={"employee_id": str})
    assert table["employee_id"].str.match(r"^p[0-9a-f]{16}$").all()
    assert "name" not in table.columns


@pytest.mark.slow
def test_mapping_is_written_only_where_asked(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    mapping = tmp_path / "secret" / "map.csv"
    assert main(["analyze", str(ona.sample_path("krackhardt")), "--out", str(tmp_path / "o"),
                 "--pseudonymize", "--pseudonym-map", str(mapping), "--quiet"]) == 0
    table = pd.read_csv(mapping, dtype=str)
    assert len(table) == 21 and table.set_index("employee_id").loc["7", "pseudonym"] == pseudonym("7", KEY)
    assert not any("map" in p.name for p in (tmp_path / "o").iterdir())
