"""The built wheel works on its own: the samples ship inside it, so ``ona.sample_path`` and
an analysis of it run from an installed package, away from this checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def test_an_installed_wheel_analyses_its_own_sample(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "ona", source / "ona", ignore=shutil.ignore_patterns("__pycache__"))
    # build without fetching anything: the build tools come with the test extra
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "--no-index", "-w", str(tmp_path / "dist"), str(source)])
    wheel = next((tmp_path / "dist").glob("ona-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "ona/samples/acme/people.csv" in names and "ona/samples/lazega/relationships.csv" in names
    assert "ona/dashboard/assets/style.css" in names and "ona/py.typed" in names

    installed = tmp_path / "installed"
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
          "--target", str(installed), str(wheel)])
    # the base interpreter sees the wheel and the dependencies, not this checkout
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), sysconfig.get_paths()["purelib"]])}
    python = getattr(sys, "_base_executable", sys.executable)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run([python, "-c", "import ona, json; print(json.dumps([ona.__file__, str(ona.sample_path('acme'))]))"],
                 cwd=work, env=env)
    module, sample = json.loads(where.stdout)
    assert Path(module).is_relative_to(installed) and Path(sample).is_relative_to(installed)
    _run([python, "-m", "ona", "analyze", sample, "--out", str(work / "out")], cwd=work, env=env)
    metrics = (work / "out" / "people_metrics.csv").read_text().splitlines()
    assert len(metrics) == 301  # the 300 people of acme and a header
