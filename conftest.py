"""Test tiers for the whole run (tests/ and the doctests in ona/).

``make check`` runs ``-m "not slow and not browser"`` (about a minute); ``make test`` runs
everything. Tests that take more than about a second are marked ``slow`` where they are
written; the doctests of the modules below each analyse the whole sample organisation
(their examples show real output), so they are marked here.
"""

from __future__ import annotations

import pytest

#: Modules whose doctests run a whole analysis of the sample organisation.
SLOW_DOCTEST_MODULES = ("ona.figures", "ona.export", "ona.pipeline", "ona.compare", "ona.brief",
                        "ona.confidence", "ona.dashboard", "ona.talent_review", "ona.fairness.fairness")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name.startswith(SLOW_DOCTEST_MODULES):
            item.add_marker(pytest.mark.slow)
