"""Per-point classes and rule flags for drawing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.mdc import mdc_xmr
from qidesk.analysis.points import classify_points, episodes
from qidesk.analysis.spc import spc

# Median 10: the tens sit on it; 7 elevens (not a long enough run for Anhøj with 17
# useful points, but an IHI shift), then 10 fives.
SHIFT_DOWN = [10, 11] * 7 + [5] * 10


def test_anhoej_shift_flags_the_long_run_and_direction_decides_the_class():
    r = spc(SHIFT_DOWN, chart="run")
    part = r.runs[0]
    assert part.longest_run > part.longest_run_max
    down = classify_points(r, "down")
    shift = next(f for f in down.flags if f.rule == "shift")
    assert shift.rule_set == "anhoej"
    assert shift.mask.tolist() == [False] * 14 + [True] * 10
    assert down.classes[14:] == ["improvement"] * 10
    up = classify_points(r, "up")
    assert up.classes[14:] == ["concern"] * 10
    neither = classify_points(r, "neither")
    assert neither.classes[14:] == ["neutral"] * 10
    assert ("anhoej", "shift") in down.rules_at(20)
    assert shift.episodes.tolist() == [[14, 24, 10, -1]]


def test_too_few_crossings_flag_the_whole_part_but_colour_no_point():
    r = spc(SHIFT_DOWN, chart="run")
    c = classify_points(r, "down")
    crossings = next(f for f in c.flags if f.rule == "crossings")
    assert r.runs[0].crossings < r.runs[0].crossings_min
    assert crossings.mask.all() and not crossings.side.any()
    assert ("anhoej", "crossings") in c.rules_at(3)
    # A phase-wide signal singles out no point: points outside the shift stay common cause.
    assert c.classes[:14] == ["common_cause"] * 14
    assert c.classes[14:] == ["improvement"] * 10


def test_sigma_flag_outside_the_limits():
    y = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 30, 10, 11, 9]
    r = spc(y, chart="i")
    c = classify_points(r, "up")
    sigma = c.flags[0]
    assert (sigma.rule_set, sigma.rule) == ("sigma", "outside_limits")
    assert np.flatnonzero(sigma.mask).tolist() == [12]
    assert c.classes[12] == "improvement"
    assert classify_points(r, "down").classes[12] == "concern"


def test_excluded_and_missing_points():
    y = [10, 11, None, 9, 10, 11, 9, 10, 11, 9, 10, 11]
    r = spc(y, chart="i", exclude=[4])
    c = classify_points(r)
    assert c.classes[2] == "missing" and c.classes[4] == "excluded"


def test_run_rules_wait_for_ten_useful_points_and_skip_mr_charts():
    r = spc([1, 1, 1, 1, 1, 1, 1, 1, 9], chart="run")
    assert not any(f.mask.any() for f in classify_points(r).flags)
    r = spc(SHIFT_DOWN, chart="mr")
    c = classify_points(r)
    assert not any(f.mask.any() for f in c.flags if f.rule_set != "sigma")
    c = classify_points(r, rule_set="ihi")
    assert not any(f.mask.any() for f in c.flags if f.rule_set != "sigma")


def test_ihi_rule_set():
    r = spc(SHIFT_DOWN, chart="run")
    c = classify_points(r, "down", "ihi")
    rules = {f.rule for f in c.flags if f.mask.any()}
    assert rules == {"shift", "runs"}
    assert all(f.rule_set in ("ihi", "sigma") for f in c.flags)
    assert c.ihi[0].too_few_runs
    shift = next(f for f in c.flags if f.rule == "shift")
    assert shift.episodes[:, 2].tolist() == [7, 10]
    assert shift.episodes[0, :2].tolist() == [1, 14]


def test_ihi_shift_episode_spans_points_on_the_median():
    y = [1, 2, 1, 2, 9, 9, 9, 5, 9, 9, 9, 1, 2, 5, 5]
    r = spc(y, chart="run")
    assert r.cl[0] == 5
    c = classify_points(r, "up", "ihi")
    shift = next(f for f in c.flags if f.rule == "shift")
    assert shift.episodes.tolist() == [[4, 11, 6, 1]]
    assert not shift.mask[7]


def test_ihi_shift_episodes_split_by_an_opposite_point():
    y = [9] * 6 + [1] + [9] * 6 + [1] * 11
    r = spc(y, chart="run")
    c = classify_points(r, "up", "ihi")
    shift = next(f for f in c.flags if f.rule == "shift")
    assert shift.episodes[:, :3].tolist() == [[0, 6, 6], [7, 13, 6], [13, 24, 11]]


def test_mdc_classes_follow_the_winning_label():
    y = [51.2, 55.4, 48.4, 47.8, 55.0, 48.5, 51.9, 54.9, 44.3, 50.3, 52.3, 47.7, 52.2, 54.1,
         47.8, 45.3, 57.9, 54.0, 61.4, 69.2, 68.2, 53.8, 59.6, 60.0, 66.7, 64.4, 61.3, 58.2]
    m = mdc_xmr(y, improvement="increase")
    c = classify_points(m, "up")
    mapping = {"special_cause_improvement": "improvement", "special_cause_concern": "concern",
               "common_cause": "common_cause"}
    assert c.classes == [mapping[t] for t in m.point_type]
    assert c.rule_set == "mdc"
    assert {f.rule for f in c.flags} == {"outside_limits", "trend", "two_in_three",
                                         "seven_one_side"}
    assert set(classify_points(m, "neither").classes) <= {"neutral", "common_cause"}


def test_mdc_missing_points():
    m = mdc_xmr([1, 2, None, 1, 2, 1, 2], improvement="increase", missing="skip")
    assert classify_points(m).classes[2] == "missing"


@pytest.mark.parametrize("kwargs", [dict(improvement_direction="sideways"),
                                    dict(rule_set="mdc"), dict(rule_set="western")])
def test_bad_arguments(kwargs):
    with pytest.raises(AnalysisInputError):
        classify_points(spc(SHIFT_DOWN, chart="run"), **kwargs)
    if "rule_set" in kwargs:
        with pytest.raises(AnalysisInputError):
            classify_points(mdc_xmr(SHIFT_DOWN, improvement="increase"), **{
                "rule_set": "anhoej"})


def test_episodes_split_on_side_changes():
    mask = np.array([0, 1, 1, 1, 0, 1, 1], dtype=bool)
    side = np.array([0, 1, 1, -1, 0, 1, 1], dtype=np.int8)
    assert episodes(mask, side).tolist() == [[1, 3, 2, 1], [3, 4, 1, -1], [5, 7, 2, 1]]
    assert episodes(np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int8)).shape == (0, 4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=10, max_size=60))
def test_anhoej_shift_flags_match_the_runs_analysis(y):
    r = spc(y, chart="run")
    part = r.runs[0]
    shift = classify_points(r).flags[1]
    if part.n_useful < 10:
        assert not shift.mask.any()
        return
    assert shift.mask.any() == (part.longest_run > part.longest_run_max)
    if shift.mask.any():
        assert shift.episodes[:, 2].max() == part.longest_run


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-9, 9), min_size=10, max_size=40),
       st.sampled_from(["up", "down"]), st.sampled_from(["anhoej", "ihi"]))
def test_negating_y_and_swapping_direction_keeps_the_classes(y, direction, rule_set):
    other = "down" if direction == "up" else "up"
    a = classify_points(spc(y, chart="run"), direction, rule_set)
    b = classify_points(spc([-v for v in y], chart="run"), other, rule_set)
    assert a.classes == b.classes
    c = classify_points(spc([-v for v in y], chart="run"), direction, rule_set)
    swap = {"improvement": "concern", "concern": "improvement"}
    assert c.classes == [swap.get(k, k) for k in a.classes]
