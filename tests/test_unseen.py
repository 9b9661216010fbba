"""Answers on organisations from a generator ona was not designed around (benchmarks/altgen):
sparse logs, every department fairly closed, broadcasters, half the survey answered."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ona
from ona.groups import silo_test


def test_the_two_planted_silos_are_the_silos_flagged(unseen_closed, unseen_closed_result):
    _, truth = unseen_closed
    table = unseen_closed_result.departments
    assert set(table.loc[table["silo"], "department"]) == set(truth["silo_departments"])
    flagged = table[table["silo"]]
    assert (flagged["silo_confidence"] >= 0.9).all()
    assert (flagged["openness"] < 0.5 * table.attrs["median_openness"]).all()


@pytest.mark.slow
def test_no_planted_silo_no_silo_flagged(unseen_no_silo):
    folder, _ = unseen_no_silo
    table = ona.analyze(folder, confidence=ona.confidence.ConfidenceSettings(replicates=0)).departments
    assert not table["silo"].any()


def test_silo_test_by_hand():
    # five ordinary groups around openness 1 and one at 0.05: far more closed, and beyond chance
    z, silo, critical = silo_test(np.log([0.9, 1.0, 1.1, 0.95, 1.05, 0.05]), np.full(6, 0.05))
    # typical groups for the last: log [0.9, 1, 1.1, 0.95, 1.05], median 0, MAD 0.0513 (x 1.4826);
    # between-group variance = spread^2 minus their median se^2 (0.05^2)
    spread = 1.4826 * np.median(np.abs(np.log([0.9, 1.0, 1.1, 0.95, 1.05])))
    between = spread ** 2 - 0.05 ** 2
    assert z[-1] == pytest.approx(np.log(0.05) / np.sqrt(between + 0.05 ** 2))
    assert critical == pytest.approx(2.394, abs=1e-3)  # one-sided, 0.05 / 6
    assert silo.tolist() == [False] * 5 + [True]
    # significantly but not far more closed (0.6 of the others): not a silo
    assert not silo_test(np.log([0.9, 1.0, 1.1, 0.95, 1.05, 0.6]), np.full(6, 0.01))[1].any()
    # two silos: the most closed is tested first (0.05 / 7), leaves the typical groups, and
    # the second is then tested against the five typical ones (0.05 / 6) - with the first
    # still among its reference groups their spread would hide it
    x = np.log([0.9, 1.0, 1.1, 0.95, 1.05, 0.3, 0.02])
    z, silo, critical = silo_test(x, np.full(7, 0.05))
    assert silo.tolist() == [False] * 5 + [True, True]
    assert z[5] == pytest.approx(np.log(0.3) / np.sqrt(between + 0.05 ** 2))
    assert critical == pytest.approx(2.450, abs=1e-3)
    # no typical spread beyond chance: the group's own error alone is the unit
    z, _, _ = silo_test(np.log([1.0, 1.0, 1.0, 1.0, 0.4]), np.full(5, 0.1))
    assert z[-1] == pytest.approx(np.log(0.4) / 0.1)
    # three groups: nothing to compare with
    assert not silo_test(np.log([1.0, 1.0, 0.01]), np.zeros(3))[1].any()


def _silo_test_group_by_group(x, se, alpha=0.05, ratio=0.5):
    """The silo test written out one group at a time, as the module doc states it: each
    open group's z against the median and spread of the other open groups; the lowest z
    (the first group on equal ones) a silo while it passes the Holm step."""
    from statistics import NormalDist
    se = np.nan_to_num(se, nan=0.0)
    k, normal = len(x), NormalDist()
    z, silo = np.full(k, np.nan), np.zeros(k, dtype=bool)
    if k < 4:
        return z, silo
    while True:
        scores = {}
        for i in np.flatnonzero(~silo).tolist():
            ref = np.flatnonzero(~silo)
            ref = ref[ref != i]
            median = float(np.median(x[ref]))
            spread = 1.4826 * float(np.median(np.abs(x[ref] - median)))
            between = max(spread ** 2 - float(np.median(se[ref] ** 2)), 0.0)
            scores[i] = ((x[i] - median) / max(np.sqrt(between + se[i] ** 2), 1e-3), median)
            z[i] = scores[i][0]
        if len(scores) <= 3:
            return z, silo
        worst = min(scores, key=lambda i: (scores[i][0], i))
        value, median = scores[worst]
        if not (value < -normal.inv_cdf(1 - alpha / (k - silo.sum())) and x[worst] < median + np.log(ratio)):
            return z, silo
        silo[worst] = True


def test_silo_test_all_groups_at_once_is_the_test_group_by_group():
    """silo_test scores every open group in one step; its z values are the same to the
    last bit as one group at a time, on groups with equal openness, missing errors and up
    to four silos."""
    rng = np.random.default_rng(11)
    flagged = 0
    for _ in range(400):
        k = int(rng.integers(0, 50))
        x = rng.normal(0, 0.3, k)
        if k and rng.random() < 0.6:
            x[rng.choice(k, size=min(k, int(rng.integers(1, 5))), replace=False)] -= rng.uniform(0.5, 4)
        if rng.random() < 0.3:
            x = np.round(x, 1)
        se = rng.uniform(0, 0.2, k)
        if k and rng.random() < 0.2:
            se[rng.integers(k)] = np.nan
        z, silo, _ = silo_test(x, se)
        z_ref, silo_ref = _silo_test_group_by_group(x, se)
        assert np.array_equal(z, z_ref, equal_nan=True) and np.array_equal(silo, silo_ref)
        flagged += int(silo.sum())
    assert flagged > 100


def test_the_reruns_shortcuts_give_the_full_answers(unseen_closed):
    """The confidence reruns take the department silo flags alone and visibility's fixed
    parts worked out once: the same flags and the same visibility as the full functions,
    on an organisation with planted silos, managers, leaders and declared recognition."""
    from ona.groups import department_silos, department_table
    from ona.metrics import tie_arrays
    from ona.network import declared_ties
    from ona.visibility import senior_leaders, visibility_measures, visibility_setting

    net = ona.load(unseen_closed[0])
    ties = tie_arrays(net)
    table = department_table(net.people, ties)
    flags = department_silos(net.people, ties)
    assert list(flags.items()) == list(zip(table["department"], table["silo"])) and sum(flags.values()) >= 2
    declared, leaders = declared_ties(net), senior_leaders(net.people)
    full, _ = visibility_measures(net.people, ties, declared, leaders=leaders)
    setting = visibility_setting(net.people, declared, leaders)
    assert setting.declared and setting.is_leader.any() and (setting.manager >= 0).any()
    shortcut, _ = visibility_measures(net.people, ties, declared, leaders=leaders, fixed=setting)
    pd.testing.assert_frame_equal(shortcut, full, check_exact=True)


def test_planted_hidden_high_performers_lead_the_list(unseen_closed, unseen_closed_result):
    _, truth = unseen_closed
    hidden = unseen_closed_result.hidden_talent
    planted = set(truth["hidden_high_performers"])
    k = len(planted)
    assert len(set(hidden["employee_id"].head(k)) & planted) >= 13
    assert not set(hidden["employee_id"]) & set(truth["visible_high_performers"])
    assert hidden.attrs["share_of_high_performers"] < 0.5  # a shortlist, not most of them
    table = unseen_closed_result.people_metrics
    # a continuous score: no crowd sharing one value beyond those with no direct visibility
    positive = table.loc[table["visibility_score"] > 0, "visibility_score"]
    assert positive.nunique() > 0.95 * len(positive)
    assert (hidden.set_index("employee_id").loc[list(planted), "confidence"] >= 0.8).all()


def test_broadcasters_are_reported_and_not_central(unseen_closed, unseen_closed_result):
    _, truth = unseen_closed
    result = unseen_closed_result
    report = result.network.interactions.broadcasters_frame()
    assert set(truth["broadcasters"]) <= set(report["employee_id"])
    table = result.people_metrics
    degree_rank = table["degree"].rank(ascending=False)
    eigen_rank = table["eigenvector"].rank(ascending=False)
    for person in truth["broadcasters"]:
        assert degree_rank[person] > 0.1 * len(table)
        assert eigen_rank[person] > 0.1 * len(table)
        assert not table.loc[person, "top_broker"]


def test_partial_survey_review_says_which_flags_rest_on_non_answers(unseen_closed, unseen_closed_result):
    _, truth = unseen_closed
    review = ona.talent_review(unseen_closed_result.network, truth["panel"], truth["slate"])
    summary = review.summary()
    respondents = set(truth["respondents"])
    assert summary["panel_answered"] == len(set(truth["panel"]) & respondents)
    assert summary["panel_answered"] < summary["panel"]
    c = review.candidates.set_index("candidate_id")
    for cand in truth["slate"]:
        answered = truth["advocates_answered"].get(cand, [])
        assert c.loc[cand, "advocates"] == len(answered)
        if len(answered) <= 1:  # flagged: it rests on non-answers, since some panel did not answer
            assert bool(c.loc[cand, "flag_rests_on_non_answers"])
    assert any("answered the survey" in note for note in review.notes)
