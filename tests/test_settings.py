"""One home for settings: every rule set is validated when built, analyze takes them, the
old keywords still work with a warning, and run.json records the values used."""

from __future__ import annotations

import json
import warnings

import pytest

import ona
from ona.errors import ConfigError
from ona.pipeline import DEPRECATED_KEYWORDS, _settings


@pytest.mark.parametrize("build", [
    lambda: ona.HiddenTalentRules(high_performers="best"),
    lambda: ona.HiddenTalentRules(top_share=1.5),
    lambda: ona.HiddenTalentRules(max_visibility=120),
    lambda: ona.VisibilityRules(senior_levels=0),
    lambda: ona.VisibilityRules(leaders="E1"),
    lambda: ona.VisibilityRules(strong_quantile=1.0),
    lambda: ona.TribeSettings(method="girvan"),
    lambda: ona.TribeSettings(resolution=0),
    lambda: ona.TribeSettings(stability_seeds=-1),
    lambda: ona.TribeSettings(engine="networkx"),
    lambda: ona.GroupSettings(min_group_size=0),
    lambda: ona.GroupSettings(silo_alpha=1.0),
    lambda: ona.PathSettings(pivots=0),
    lambda: ona.RoleRules(connector_degree=101),
])
def test_a_rule_set_out_of_range_is_refused_when_built(build):
    with pytest.raises(ConfigError):
        build()


def test_every_old_keyword_folds_into_its_rule_set_with_a_warning():
    values = {"min_weight": 3.0, "senior_levels": 3, "leaders": ["E1"], "high_performers": "top_share",
              "top_share": 0.2, "max_visibility": 30.0, "tribe_method": "leiden", "resolution": 2.0,
              "stability_seeds": 0, "silo_alpha": 0.01, "min_group_size": 3}
    assert set(values) == set(DEPRECATED_KEYWORDS)
    with pytest.warns(FutureWarning) as caught:
        settings = _settings(dict(values))
    assert len(caught) == len(values)
    assert "tribes=TribeSettings(resolution=...)" in " ".join(str(w.message) for w in caught)
    assert (settings.ties.method, settings.ties.min_weight) == ("min_weight", 3.0)
    assert (settings.visibility.senior_levels, settings.visibility.leaders) == (3, ("E1",))
    assert (settings.hidden.high_performers, settings.hidden.top_share, settings.hidden.max_visibility) == (
        "top_share", 0.2, 30.0)
    assert (settings.tribes.method, settings.tribes.resolution, settings.tribes.stability_seeds) == ("leiden", 2.0, 0)
    assert (settings.groups.silo_alpha, settings.groups.min_group_size) == (0.01, 3)
    with pytest.raises(TypeError, match="min_group"):
        _settings({"min_group": 3})


@pytest.mark.slow
def test_the_old_keywords_give_the_same_analysis_as_the_rule_sets():
    path = ona.sample_path("krackhardt")
    quick = ona.ConfidenceSettings(replicates=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        old = ona.analyze(path, confidence=quick, resolution=1.5, stability_seeds=0, min_group_size=2)
    new = ona.analyze(path, confidence=quick, tribes=ona.TribeSettings(resolution=1.5, stability_seeds=0),
                      groups=ona.GroupSettings(min_group_size=2))
    assert old.tribes.membership.tolist() == new.tribes.membership.tolist()
    assert old.departments.equals(new.departments)


@pytest.mark.slow
def test_the_tribe_seed_is_not_the_path_seed(tmp_path):
    """Changing the path sampling seed leaves the tribes alone; run.json records both."""
    path = ona.sample_path("acme")
    quick = ona.ConfidenceSettings(replicates=0)
    tribes = ona.TribeSettings(stability_seeds=0)
    one = ona.analyze(path, tmp_path / "a", confidence=quick, tribes=tribes,
                      paths=ona.PathSettings(exact_limit=10, pivots=50, seed=1))
    two = ona.analyze(path, confidence=quick, tribes=tribes,
                      paths=ona.PathSettings(exact_limit=10, pivots=50, seed=2))
    assert one.tribes.membership.tolist() == two.tribes.membership.tolist()
    assert not one.people_metrics["betweenness"].equals(two.people_metrics["betweenness"])
    record = json.loads((tmp_path / "a" / "run.json").read_text())
    assert record["settings"]["paths"]["seed"] == 1 and record["settings"]["tribes"]["seed"] == 0
    assert record["settings"]["tribes"]["stability_seeds"] == 0
    assert set(record["settings"]) == {"weighting", "ties", "paths", "visibility", "roles", "hidden", "tribes",
                                       "groups", "confidence", "review"}
