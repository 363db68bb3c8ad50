"""IHI run-chart rules and the derived runs table."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.analysis.ihi import (
    _normal_limits,
    ihi_rules,
    runs_limits,
    swed_eisenhart_counts,
)

# Rows of the published table (Perla, Provost & Murray 2011, Table 1; Provost & Murray,
# The Health Care Data Guide, 2011) that the derivation is checked against.
PUBLISHED = {10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 16: (5, 13),
             18: (6, 14), 20: (6, 16), 22: (7, 17), 24: (8, 18), 26: (9, 19), 28: (10, 20),
             30: (11, 21)}


@pytest.mark.parametrize("n,limits", sorted(PUBLISHED.items()))
def test_derived_table_reproduces_published_rows(n, limits):
    assert runs_limits(n) == limits


def test_derivation_is_the_one_sided_five_percent_critical_value():
    for n in range(10, 61):
        lower, upper = runs_limits(n)
        counts = swed_eisenhart_counts(n // 2, n - n // 2)
        total = math.comb(n, n // 2)
        p_le = lambda r: Fraction(sum(c for k, c in counts.items() if k <= r), total)
        p_ge = lambda r: Fraction(sum(c for k, c in counts.items() if k >= r), total)
        assert p_le(lower) <= Fraction(1, 20) < p_le(lower + 1)
        assert p_ge(upper) <= Fraction(1, 20) < p_ge(upper - 1)


def test_swed_eisenhart_is_a_distribution():
    for n1, n2 in ((1, 1), (5, 5), (7, 8), (3, 12)):
        counts = swed_eisenhart_counts(n1, n2)
        assert sum(counts.values()) == math.comb(n1 + n2, n1)
        assert min(counts) == 2 and max(counts) == 2 * min(n1, n2) + (n1 != n2)


def test_fewer_than_ten_useful_points_have_no_limits():
    assert runs_limits(9) is None and runs_limits(0) is None


def test_large_series_use_the_normal_approximation_which_meets_the_exact_values():
    assert _normal_limits(500, 500) == runs_limits(1000)
    lower, upper = runs_limits(100_000)
    assert lower < 50_001 < upper


def test_shift_skips_points_on_the_median():
    y = [1, 9, 1, 9, 9, 9, 5, 9, 9, 9, 1, 1]
    r = ihi_rules(y, 5)
    assert r.shift.tolist() == [False, False, False, True, True, True, False, True, True,
                                True, False, False]
    assert set(r.shift_side[r.shift].tolist()) == {1}
    assert r.n_useful == 11


def test_five_in_a_row_is_not_a_shift():
    r = ihi_rules([9, 9, 9, 9, 9, 1, 1, 1, 1, 1], 5)
    assert not r.shift.any() and r.runs == 2 and r.too_few_runs


def test_trend_counts_equal_values_once():
    r = ihi_rules([5, 1, 2, 2, 3, 4, 5, 3], 3)
    assert r.trend.tolist() == [False, True, True, True, True, True, True, False]
    assert r.trend_side[1] == 1
    assert not ihi_rules([1, 2, 2, 3, 4], 3).trend.any()  # 4 distinct values only


def test_trend_peak_takes_the_later_direction():
    r = ihi_rules([1, 2, 3, 4, 5, 4, 3, 2, 1], 3)
    assert r.trend.all()
    assert r.trend_side.tolist() == [1, 1, 1, 1, -1, -1, -1, -1, -1]


def test_missing_points_are_skipped():
    r = ihi_rules([1, 2, np.nan, 3, 4, 5], 10)
    assert r.trend.tolist() == [True, True, False, True, True, True]
    assert r.n_useful == 5


def test_too_many_runs():
    y = [1, 9] * 10
    r = ihi_rules(y, 5)
    assert r.runs == 20 and r.too_many_runs and r.signal
    assert not ihi_rules([1, 9, 9, 1, 1, 9, 9, 1, 9, 1, 1, 9], 5).signal


def slow_shift(y, centre):
    useful = [(i, (v > centre) - (v < centre)) for i, v in enumerate(y)
              if not math.isnan(v) and v != centre]
    flags = [False] * len(y)
    i = 0
    while i < len(useful):
        j = i
        while j + 1 < len(useful) and useful[j + 1][1] == useful[i][1]:
            j += 1
        if j - i + 1 >= 6:
            for k in range(i, j + 1):
                flags[useful[k][0]] = True
        i = j + 1
    return flags


def slow_trend(y):
    seen = [(i, v) for i, v in enumerate(y) if not math.isnan(v)]
    groups = []  # runs of equal values collapsed
    for i, v in seen:
        if groups and groups[-1][1] == v:
            groups[-1][0].append(i)
        else:
            groups.append(([i], v))
    flags = [False] * len(y)
    values = [g[1] for g in groups]
    for a in range(len(groups)):
        for b in range(a + 4, len(groups)):
            steps = [values[k + 1] - values[k] for k in range(a, b)]
            if all(d > 0 for d in steps) or all(d < 0 for d in steps):
                for g in groups[a: b + 1]:
                    for i in g[0]:
                        flags[i] = True
    return flags


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 6).map(float), st.just(math.nan)), max_size=50))
def test_vectorised_rules_equal_the_slow_loops(y):
    r = ihi_rules(y, 3.0)
    assert r.shift.tolist() == slow_shift(y, 3.0)
    assert r.trend.tolist() == slow_trend(y)
