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


@pytest.mark.slow
def test_figures_return_plotly_figures():
    import plotly.graph_objects as go
    result = ona.analyze(ona.sample_path("krackhardt"), tribes=ona.TribeSettings(stability_seeds=0))
    assert isinstance(ona.department_heatmap(result.department_matrix), go.Figure)
    assert isinstance(ona.ei_chart(result.departments), go.Figure)
