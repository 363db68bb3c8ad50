"""mdc_xmr against a slow, line-by-line transliteration of NHSRplotthedots 0.2.2."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.mdc import mdc_xmr

SIGN = {"increase": 1, "decrease": -1, "neutral": 0}


def r_mean(x):
    """The correctly rounded mean: what R's long-double two-pass mean() returns."""
    return float(sum(map(Fraction, x)) / len(x)) if x else math.nan


def sgn(v):
    return (v > 0) - (v < 0)


def slow_group(y, fix_after, screen):
    """ptd_spc_standard + ptd_special_cause_type for one group, with plain loops."""
    fix = y[:fix_after] if fix_after else y
    mean = r_mean(fix)
    mr = [abs(fix[i] - fix[i - 1]) for i in range(1, len(fix))]
    amr = r_mean(mr)
    if screen:
        amr = r_mean([m for m in mr if m < 3.267 * amr])
    lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
    nlpl, nupl = mean - 2 * (2.66 / 3) * amr, mean + 2 * (2.66 / 3) * amr
    outside = [v > upl or v < lpl for v in y]
    rtm = [sgn(v - mean) for v in y]
    close = [not o and (v < nlpl or v > nupl) for v, o in zip(y, outside)]
    n = len(y)
    vp = [0] * 6 + rtm
    seven_end = [all(vp[i] == vp[i - k] for k in range(1, 7)) and vp[i] != 0
                 for i in range(6, n + 6)]
    seven = [any(seven_end[i:i + 7]) for i in range(n)]
    trend_end = [0] * n
    for i in range(6, n):
        d = [sgn(y[i - k] - y[i - k - 1]) for k in range(6)]
        trend_end[i] = 1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0
    trend = [any(trend_end[i:i + 7]) for i in range(n)]
    cp, rp = [0, 0] + close + [0, 0], [0, 0] + rtm + [0, 0]
    two = [close[i] and any(sum(cp[i + a:i + a + 3]) >= 2 and abs(sum(rp[i + a:i + a + 3])) == 3
                            for a in range(3)) for i in range(n)]
    labels = []
    for i in range(n):
        right = i + 1 < n and trend[i] and trend[i + 1]
        sdy = sgn(y[i + 1] - y[i]) if right else (sgn(y[i] - y[i - 1]) if i else 0)
        ab = "Above" if rtm[i] > 0 else "Below"
        if outside[i]:
            labels.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif trend[i]:
            labels.append(f"7 Point Trend ({'In' if sdy == 1 else 'De'}creasing)")
        elif two[i]:
            labels.append(f"2 in 3 {ab} CL")
        elif seven[i]:
            labels.append(f"7 Points {ab} CL")
        else:
            labels.append("Common Cause")
    return dict(mean=mean, lpl=lpl, upl=upl, outside=outside, rtm=rtm, close=close,
                labels=labels, seven=seven, trend=trend, two=two)


def point_type(label, sign):
    v = 1 if ("Above" in label or "Increasing" in label) else -1 if (
        "Below" in label or "Decreasing" in label) else 0
    if sign == 0:
        return {1: "special_cause_neutral_high", -1: "special_cause_neutral_low"}.get(
            v, "common_cause")
    return {1: "special_cause_improvement", -1: "special_cause_concern"}.get(
        v * sign, "common_cause")


def slow_mdc(y, improvement, rebase, fix_after, screen):
    group, g = [], 0
    for i in range(len(y)):
        g += i in rebase
        group.append(g)
    out = {k: [] for k in ("mean", "outside", "rtm", "close", "labels", "seven", "trend", "two")}
    for label in sorted(set(group)):
        ys = [v for v, gg in zip(y, group) if gg == label]
        res = slow_group(ys, fix_after, screen)
        out["mean"] += [res["mean"]] * len(ys)
        for k in ("outside", "rtm", "close", "labels", "seven", "trend", "two"):
            out[k] += res[k]
    out["group"] = group
    out["point_type"] = [point_type(lab, SIGN[improvement]) for lab in out["labels"]]
    return out


series = st.one_of(
    st.lists(st.integers(0, 6), max_size=60),
    st.lists(st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 1)), max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(y=series, improvement=st.sampled_from(list(SIGN)), data=st.data(),
       fix_after=st.one_of(st.none(), st.integers(12, 30)), screen=st.booleans())
def test_vectorised_rules_equal_the_slow_loops(y, improvement, data, fix_after, screen):
    rebase = data.draw(st.sets(st.integers(0, max(len(y) - 1, 0)), max_size=3)) if y else set()
    m = mdc_xmr(y, improvement=improvement, rebase=sorted(rebase), fix_after=fix_after,
                screen_outliers=screen)
    slow = slow_mdc([float(v) for v in y], improvement, rebase, fix_after, screen)
    assert m.group.tolist() == slow["group"]
    np.testing.assert_allclose(m.mean, slow["mean"], rtol=1e-12)
    assert m.outside_limits.tolist() == slow["outside"]
    assert m.relative_to_mean.tolist() == slow["rtm"]
    assert m.close_to_limits.tolist() == slow["close"]
    assert m.seven_one_side.tolist() == slow["seven"]
    assert m.trend.tolist() == slow["trend"]
    assert m.two_in_three.tolist() == slow["two"]
    assert m.special_cause_type == slow["labels"]
    assert m.point_type == slow["point_type"]


@settings(max_examples=100, deadline=None)
@given(y=st.lists(st.integers(0, 1000), max_size=50, unique=True),
       data=st.data())
def test_rebase_groups_partition_the_points(y, data):
    rebase = data.draw(st.lists(st.integers(0, max(len(y) - 1, 0)), max_size=4)) if y else []
    m = mdc_xmr(y, improvement="increase", rebase=rebase)
    assert sum(g.stop - g.start for g in m.groups) == len(y)
    assert all(a.stop == b.start for a, b in zip(m.groups, m.groups[1:]))
    assert np.all(np.diff(m.group) >= 0)
    assert sum(g.n for g in m.groups) == len(y)
    for g in m.groups:
        assert g.common_cause + g.special_cause_improvement + g.special_cause_concern == g.n


@settings(max_examples=150, deadline=None)
@given(y=st.lists(st.integers(-500, 500), min_size=1, max_size=50, unique=True),
       improvement=st.sampled_from(["increase", "decrease"]))
def test_negating_y_swaps_improvement_and_concern(y, improvement):
    # Distinct values: with an equal neighbour at a trend junction the package labels
    # the point "Decreasing" whatever the sign (tested separately below).
    a = mdc_xmr(y, improvement=improvement)
    b = mdc_xmr([-v for v in y], improvement=improvement)
    swap = {"special_cause_improvement": "special_cause_concern",
            "special_cause_concern": "special_cause_improvement"}
    assert b.point_type == [swap.get(t, t) for t in a.point_type]
    np.testing.assert_allclose(b.lpl, -a.upl)
    c = mdc_xmr([-v for v in y], improvement="decrease" if improvement == "increase"
                else "increase")
    assert c.point_type == a.point_type


def test_trend_junction_with_equal_values_reads_decreasing():
    y = [20, 0, 20, 0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1]
    m = mdc_xmr(y, improvement="increase", screen_outliers=False)
    assert m.special_cause_type[10] == "7 Point Trend (Decreasing)"
    assert m.special_cause_type[9] == "7 Point Trend (Increasing)"
    assert m.special_cause_type[11] == "7 Point Trend (Decreasing)"
    assert not m.outside_limits[10]


def test_equal_neighbour_breaks_a_trend():
    y = [5, 1, 9, 1, 9, 10, 11, 12, 12, 13, 14, 15, 5, 9, 1]
    m = mdc_xmr(y, improvement="increase", screen_outliers=False)
    assert not m.trend.any()


def test_all_rules_that_apply_are_kept():
    # Points in a run of 7 on one side that are also 2 of 3 near a limit: the label says
    # "2 in 3" (it wins), and the seven-run flag is still there.
    y = [10, 11, 9, 10, 11, 9, 10, 9, 11, 10, 14.2, 14.4, 12, 12.5, 12.2, 12.6, 12.1, 12.3]
    m = mdc_xmr(y, improvement="increase", screen_outliers=False)
    both = m.two_in_three & m.seven_one_side
    assert both.any()
    assert all(m.special_cause_type[i].startswith("2 in 3") for i in np.flatnonzero(both))


def test_fixed_limits_use_the_first_points_of_each_group():
    y = list(range(30))
    m = mdc_xmr(y, improvement="increase", fix_after=12, rebase=[15])
    assert m.groups[0].mean == pytest.approx(5.5)
    assert m.groups[1].mean == pytest.approx(20.5)
    assert m.baseline.tolist() == [True] * 12 + [False] * 3 + [True] * 12 + [False] * 3


def test_rebase_at_the_first_point_numbers_groups_from_one():
    m = mdc_xmr(list(range(20)), improvement="increase", rebase=[0, 10, 10])
    assert [g.rebase_group for g in m.groups] == [1, 2]
    assert m.group.tolist() == [1] * 10 + [2] * 10


def test_empty_series():
    m = mdc_xmr([], improvement="increase", target=3)
    assert m.groups == () and m.variation is None and m.assurance is None
    assert m.point_type == [] and m.mean.size == 0


def test_single_point_and_constant_series_have_no_limits_and_no_signal():
    one = mdc_xmr([4.0], improvement="decrease", target=1)
    assert math.isnan(one.upl[0]) and one.point_type == ["common_cause"]
    assert one.assurance == "inconsistent"
    flat = mdc_xmr([3.0] * 15, improvement="increase")
    assert np.isnan(flat.upl).all()  # all moving ranges 0: screening keeps none (R: NaN)
    assert not flat.special_cause_flag.any()
    flat = mdc_xmr([3.0] * 15, improvement="increase", screen_outliers=False)
    assert flat.upl[0] == 3.0 and not flat.special_cause_flag.any()


@pytest.mark.parametrize("improvement,target,expected", [
    ("increase", 100, "consistent_fail"), ("increase", -100, "consistent_pass"),
    ("decrease", 100, "consistent_pass"), ("decrease", -100, "consistent_fail"),
    ("increase", 5, "inconsistent"), ("neutral", 100, None), ("increase", None, None)])
def test_assurance(improvement, target, expected):
    y = [5, 6, 4, 5, 6, 5, 4, 6, 5, 5, 6, 4, 5]
    m = mdc_xmr(y, improvement=improvement, target=target)
    assert m.assurance == expected
    assert m.groups[-1].assurance_type == expected
    assert len(m.icons) == 1 + (expected is not None)


@pytest.mark.parametrize("improvement,y,icon", [
    ("increase", [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9], "improvement_high"),
    ("increase", [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, -3], "concern_low"),
    ("decrease", [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9], "concern_high"),
    ("decrease", [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, -3], "improvement_low"),
    ("neutral", [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9], "neutral_high"),
    ("neutral", [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, -3], "neutral_low"),
    ("neutral", [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5], "common_cause")])
def test_variation_icon_is_the_last_point(improvement, y, icon):
    assert mdc_xmr(y, improvement=improvement).variation == icon


def test_missing_values_are_refused_by_default_naming_the_points():
    with pytest.raises(AnalysisInputError, match="3, 7"):
        mdc_xmr([1, 2, 3, None, 5, 6, 7, float("nan")], improvement="increase")


def test_missing_values_can_be_skipped():
    y = [1, 2, 1, 2, None, 1, 2, 1, 2, 1, 2, 1, 2, 1, None]
    m = mdc_xmr(y, improvement="increase", missing="skip")
    full = mdc_xmr([v for v in y if v is not None], improvement="increase")
    assert m.groups[0].mean == full.groups[0].mean and m.groups[0].n == 13
    assert m.point_type[4] == "missing" and m.special_cause_type[4] == "Missing"
    assert not m.special_cause_flag[4] and m.relative_to_mean[4] == 0
    assert m.variation == full.variation
    allgone = mdc_xmr([None, None], improvement="increase", missing="skip")
    assert allgone.variation is None and allgone.groups[0].variation_type is None
    assert math.isnan(allgone.groups[0].mean)


@pytest.mark.parametrize("kwargs,match", [
    (dict(improvement="up"), "improvement"),
    (dict(improvement="increase", fix_after=11), "fix_after"),
    (dict(improvement="increase", fix_after=True), "fix_after"),
    (dict(improvement="increase", target=float("inf")), "target"),
    (dict(improvement="increase", target="80"), "target"),
    (dict(improvement="increase", rebase=[20]), "rebase"),
    (dict(improvement="increase", rebase=[1.5]), "rebase"),
    (dict(improvement="increase", missing="drop"), "missing")])
def test_bad_arguments_say_what_to_fix(kwargs, match):
    with pytest.raises(AnalysisInputError, match=match):
        mdc_xmr(list(range(15)), **kwargs)


@pytest.mark.parametrize("y", [[[1, 2], [3, 4]], ["a", "b"], [1, float("inf")], 5])
def test_bad_values_are_refused(y):
    with pytest.raises(AnalysisInputError):
        mdc_xmr(y, improvement="increase")


def test_result_arrays_are_read_only_views():
    y = np.arange(15.0)
    m = mdc_xmr(y, improvement="increase")
    with pytest.raises(ValueError):
        m.y[0] = 3
