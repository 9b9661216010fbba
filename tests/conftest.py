"""Shared fixtures: small files written by hand, and one generated organisation."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

import ona
from ona.generate import generate_organisation, write_organisation

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
REFERENCE = Path(__file__).resolve().parent / "data" / "reference"


def write(folder: Path, name: str, text: str) -> Path:
    """Write a small text file (dedented lines) and return its path."""
    path = folder / name
    path.write_text("\n".join(line.strip() for line in text.strip().splitlines()) + "\n")
    return path


PEOPLE = """
employee_id,name,department,team,level,manager_id,performance
001,Ann,Sales,S1,3,,4
002,Bo,Sales,S1,1,001,3
003,Cy,Research,R1,1,001,5
004,Di,Research,R1,1,003,2
"""


@pytest.fixture
def people_dir(tmp_path: Path) -> Path:
    write(tmp_path, "people.csv", PEOPLE)
    return tmp_path


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    """An organisation generated with a seed no sample uses: (folder, truth)."""
    folder = tmp_path_factory.mktemp("generated")
    org = generate_organisation(400, seed=9173, events_per_person=60)
    write_organisation(org, folder)
    return folder, json.loads((folder / "truth.json").read_text())


ALTGEN = ROOT / "benchmarks" / "altgen"


def _simulate(folder: Path, **params) -> dict:
    """An organisation from the independent generator (benchmarks/altgen), written without
    reading ona's code: contact habits ona was not designed around."""
    import sys
    if str(ALTGEN) not in sys.path:
        sys.path.insert(0, str(ALTGEN))
    from orgsim import simulate
    return simulate(folder, **params)


@pytest.fixture(scope="session")
def unseen_closed(tmp_path_factory) -> tuple[Path, dict]:
    """300 people, about 4 events a month each, every department fairly closed, two
    planted silos, two broadcasters, half the survey answered: (folder, truth)."""
    folder = tmp_path_factory.mktemp("unseen_closed")
    truth = _simulate(folder, people=300, seed=41, events_per_person_month=4.0, closed=True,
                      broadcasters=2, response_rate=0.5)
    return folder, truth


@pytest.fixture(scope="session")
def unseen_closed_result(unseen_closed):
    """ona.analyze of unseen_closed, with the defaults."""
    folder, _ = unseen_closed
    return ona.analyze(folder)


@pytest.fixture(scope="session")
def unseen_no_silo(tmp_path_factory) -> tuple[Path, dict]:
    """The same habits with no silo planted."""
    folder = tmp_path_factory.mktemp("unseen_no_silo")
    truth = _simulate(folder, people=300, seed=42, events_per_person_month=4.0, closed=True, silos=0)
    return folder, truth


def cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """``ona ARGS`` in this process, as ``python -m ona ARGS`` would run it (without starting
    Python, and without a pseudonym key in the environment): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    key = os.environ.pop("ONA_PSEUDONYM_KEY", None)
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                from ona.cli import main
                code = main(list(args))
            except SystemExit as exc:  # argparse refusing an option
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(here)
        if key is not None:
            os.environ["ONA_PSEUDONYM_KEY"] = key
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
