"""R's mean() and sum(), reproduced to the last bit, including the passes skipped for
speed (limits.r_mean skips the residual pass only where it cannot change the answer)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.analysis import spc
from qidesk.analysis.findings import findings
from qidesk.analysis.limits import nan_sum, r_mean
from qidesk.analysis.mdc import mdc_xmr
from qidesk.analysis.points import classify_points


def two_pass_long_double(values: np.ndarray) -> float:
    """R's real_mean without any short cut: long-double sum, divide, add the residual."""
    values = values[~np.isnan(values)]
    if not values.size:
        return float("nan")
    mean = np.add.reduce(values, dtype=np.longdouble) / values.size
    if np.isfinite(mean):
        mean += np.add.reduce(values - mean, dtype=np.longdouble) / values.size
    return float(mean)


# Data a ward enters: one or two decimals, thirds and sevenths, percentages, big counts,
# and values offset far from zero (where the residual pass matters most).
decimals = st.integers(-10_000, 10_000).map(lambda k: k / 10)
hundredths = st.integers(-100_000, 100_000).map(lambda k: k / 100)
fractions = st.tuples(st.integers(-3000, 3000), st.sampled_from([3, 7, 9, 11])).map(
    lambda p: p[0] / p[1])
offset = st.integers(0, 1000).map(lambda k: 1e9 + k / 10)
values = st.one_of(decimals, hundredths, fractions, offset,
                   st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(values, st.just(float("nan"))), max_size=300), st.booleans())
def test_r_mean_equals_the_full_two_pass_long_double_mean(raw, repeat):
    data = np.array(raw * (7 if repeat else 1), dtype=float)
    expected, got = two_pass_long_double(data), r_mean(data)
    assert np.isnan(expected) and np.isnan(got) or got == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 10**6).map(float), hundredths, st.just(float("nan"))),
                max_size=300))
def test_nan_sum_equals_the_long_double_sum(raw):
    data = np.array(raw, dtype=float)
    kept = data[~np.isnan(data)]
    assert nan_sum(data) == float(np.add.reduce(kept, dtype=np.longdouble))


def test_mdc_mean_is_r_mean_so_a_point_on_it_sits_on_the_centre_line():
    # A double mean (even two-pass) gives 4.500000000000001 here; R's mean() gives 4.5.
    y = [0, 0, 0, 0, 0, 0, 0, 68.7, 4.5, 16.6, -1.6, -34.2]
    m = mdc_xmr(y, improvement="increase")
    assert m.mean[0] == 4.5
    assert m.relative_to_mean[8] == 0


def test_ihi_findings_on_a_moving_range_chart_do_not_fail():
    y = [3, 5, 4, 6, 5, 7, 4, 5, 6, 8, 5, 4, 6, 7, 5, 4]
    result = spc(y, chart="mr")
    classes = classify_points(result, "up", rule_set="ihi")
    assert findings(result, improvement_direction="up", classes=classes, rule_set="ihi")
