"""Invariants of spc() over generated series (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qidesk.analysis import spc

FINITE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
POINT = st.one_of(st.none(), FINITE)
SERIES = st.lists(POINT, min_size=1, max_size=60)
POSITIVE = st.lists(st.one_of(st.none(), st.floats(0.01, 1e4)), min_size=1, max_size=60)
CHARTS = ("run", "i", "mr", "c", "g")


@st.composite
def proportions(draw):
    n = draw(st.lists(st.integers(0, 500), min_size=1, max_size=60))
    y = [draw(st.integers(0, k)) for k in n]
    return y, n


def finite_pairs(a, b):
    keep = np.isfinite(a) & np.isfinite(b)
    return a[keep], b[keep]


@settings(max_examples=150, deadline=None)
@given(SERIES, st.sampled_from(["i", "mr", "g"]), st.booleans())
def test_limits_bracket_the_centre_line(y, chart, screen):
    if chart == "g":  # counts of opportunities between events are not negative
        y = [None if v is None else abs(v) for v in y]
    r = spc(y, chart=chart, screen_mr=screen)
    for low, high in ((r.lcl, r.cl), (r.cl, r.ucl), (r.lcl_95, r.cl), (r.cl, r.ucl_95),
                      (r.lcl, r.lcl_95), (r.ucl_95, r.ucl)):
        a, b = finite_pairs(low, high)
        assert (a <= b + 1e-9 * (1 + np.abs(b))).all()


@settings(max_examples=150, deadline=None)
@given(proportions(), st.sampled_from(["p", "pp"]), st.booleans())
def test_proportion_limits_stay_within_zero_and_one(data, chart, screen):
    y, n = data
    r = spc(y, n, chart=chart, screen_mr=screen)
    for line in (r.lcl, r.ucl, r.lcl_95, r.ucl_95):
        kept = line[~np.isnan(line)]
        assert ((kept >= 0) & (kept <= 1)).all()
    assert np.isnan(r.ucl[np.asarray(n) == 0]).all()  # zero denominators: no limits


@settings(max_examples=150, deadline=None)
@given(SERIES, st.sampled_from(CHARTS), st.floats(0.001, 1e4))
def test_multiply_scales_values_and_lines_linearly(y, chart, factor):
    y = [None if v is None else abs(v) for v in y]  # c and g charts count things
    base = spc(y, chart=chart)
    scaled = spc(y, chart=chart, multiply=factor)
    for name in ("y", "cl", "ucl", "lcl", "ucl_95", "lcl_95"):
        np.testing.assert_allclose(getattr(scaled, name), getattr(base, name) * factor,
                                   rtol=1e-9, atol=1e-9)
    assert [p.signal for p in scaled.runs] == [p.signal for p in base.runs]


@settings(max_examples=150, deadline=None)
@given(SERIES, st.data())
def test_excluded_points_do_not_change_the_lines(y, data):
    size = len(y)
    excluded = data.draw(st.lists(st.integers(0, size - 1), max_size=size, unique=True))
    changed = list(y)
    for i in excluded:
        changed[i] = data.draw(POINT)
    for chart in ("run", "c", "g"):
        a = spc(y, chart=chart, exclude=excluded)
        b = spc(changed, chart=chart, exclude=excluded)
        np.testing.assert_array_equal(a.cl, b.cl)
        np.testing.assert_array_equal(a.ucl, b.ucl)


@settings(max_examples=150, deadline=None)
@given(SERIES, st.data())
def test_i_chart_limits_ignore_excluded_values(y, data):
    size = len(y)
    excluded = data.draw(st.lists(st.integers(0, size - 1), max_size=size, unique=True))
    changed = list(y)
    for i in excluded:
        changed[i] = data.draw(FINITE)
    a = spc(y, chart="i", exclude=excluded)
    b = spc(changed, chart="i", exclude=excluded)
    np.testing.assert_array_equal(a.cl, b.cl)
    np.testing.assert_array_equal(a.ucl, b.ucl)


@settings(max_examples=150, deadline=None)
@given(st.lists(FINITE, min_size=2, max_size=40), st.data())
def test_permuting_the_baseline_keeps_the_i_chart_centre(y, data):
    freeze = data.draw(st.integers(1, len(y)))
    order = data.draw(st.permutations(range(freeze)))
    shuffled = [y[i] for i in order] + y[freeze:]
    a = spc(y, chart="i", freeze=freeze)
    b = spc(shuffled, chart="i", freeze=freeze)
    np.testing.assert_allclose(a.cl, b.cl, rtol=1e-12, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(SERIES, st.data())
def test_parts_are_independent_series(y, data):
    assume(len(y) >= 2)
    cut = data.draw(st.integers(1, len(y) - 1))
    whole = spc(y, chart="i", parts=[cut])
    first, second = spc(y[:cut], chart="i"), spc(y[cut:], chart="i")
    for name in ("cl", "ucl", "lcl", "runs_signal"):
        np.testing.assert_array_equal(getattr(whole, name),
                                      np.concatenate([getattr(first, name), getattr(second, name)]))
    assert whole.runs[1].n_useful == second.runs[0].n_useful


@settings(max_examples=150, deadline=None)
@given(SERIES)
def test_sigma_signal_means_outside_the_limits(y):
    r = spc(y, chart="i")
    outside = (r.y > r.ucl) | (r.y < r.lcl)
    np.testing.assert_array_equal(r.sigma_signal, outside)
    assert sum(p.sigma_signals for p in r.runs) == int(outside.sum())


@settings(max_examples=100, deadline=None)
@given(POSITIVE)
def test_t_chart_lower_limit_is_never_negative_or_missing(y):
    r = spc(y, chart="t")
    assert (r.lcl[~np.isnan(r.cl)] >= 0).all()
