"""The public API is tidy: every name exists, every function has an example that runs
(the examples themselves run as doctests with --doctest-modules)."""

from __future__ import annotations

import inspect

import pytest

import ona


def test_every_public_name_exists_and_is_listed_once():
    assert len(ona.__all__) == len(set(ona.__all__))
    missing = [name for name in ona.__all__ if not hasattr(ona, name)]
    assert not missing


def test_every_public_function_has_a_docstring_example():
    without = []
    for name in ona.__all__:
        value = getattr(ona, name)
        if inspect.isfunction(value) and ">>>" not in (inspect.getdoc(value) or ""):
            without.append(name)
    assert not without, f"public functions without an example: {without}"


def _public_functions() -> list[tuple[str, object]]:
    return [(name, getattr(ona, name)) for name in ona.__all__ if inspect.isfunction(getattr(ona, name))]


def _sections(doc: str) -> dict[str, list[str]]:
    """The numpydoc sections of a docstring: each heading (a line underlined with dashes)
    with the lines under it."""
    lines = doc.splitlines()
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for i, line in enumerate(lines):
        text = line.strip()
        under = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if text and under and set(under) == {"-"} and len(under) >= len(text):
            current = found.setdefault(text, [])
        elif current is not None and not (text and set(text) == {"-"}):
            current.append(line)
    return found


def test_every_public_function_has_parameters_and_returns_sections():
    lacking = {}
    for name, function in _public_functions():
        sections = _sections(inspect.getdoc(function) or "")
        needed = (["Parameters"] if inspect.signature(function).parameters else []) + ["Returns"]
        missing = [section for section in needed if section not in sections]
        if missing:
            lacking[name] = missing
    assert not lacking, f"public functions without numpydoc sections: {lacking}"


def test_every_parameter_of_a_public_function_is_documented():
    undocumented = {}
    for name, function in _public_functions():
        documented = set()
        for line in _sections(inspect.getdoc(function) or "").get("Parameters", []):
            if line.strip() and not line[0].isspace():  # "name : type" or "a, b : type" or "**options"
                documented |= {part.strip().lstrip("*") for part in line.split(" : ")[0].split(",")}
        missing = sorted(set(inspect.signature(function).parameters) - documented)
        if missing:
            undocumented[name] = missing
    assert not undocumented, f"parameters missing from the Parameters sections: {undocumented}"


@pytest.mark.slow
def test_figures_return_plotly_figures():
    import plotly.graph_objects as go
    result = ona.analyze(ona.sample_path("krackhardt"), tribes=ona.TribeSettings(stability_seeds=0))
    assert isinstance(ona.department_heatmap(result.department_matrix), go.Figure)
    assert isinstance(ona.ei_chart(result.departments), go.Figure)
