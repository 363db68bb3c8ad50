"""Anhøj runs analysis: exact crossing limits, run-length limits, runs statistics."""

from __future__ import annotations

import math
import random
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.analysis import anhoej, crossings_min, longest_run_max, spc
from qidesk.analysis.errors import AnalysisInputError


def exact_quantile(m: int) -> int:
    """Smallest c with P(X <= c) >= 1/20, X ~ Bin(m, 1/2), by rational arithmetic."""
    total, term, target = 0, 1, Fraction(2**m, 20)
    for c in range(m + 1):
        total += term  # term == math.comb(m, c)
        if total >= target:
            assert term == math.comb(m, c)
            return c
        term = term * (m - c) // (c + 1)
    raise AssertionError


def test_crossings_and_run_limits_of_the_spec_examples():
    # SPC_RULES.md §2: n.useful 10 -> 6 and 2; 24 -> 8 and 8; 100 -> 10 and 41
    assert [longest_run_max(n) for n in (10, 24, 100)] == [6, 8, 10]
    assert [crossings_min(n) for n in (10, 24, 100)] == [2, 8, 41]
    assert crossings_min(1) == 0 and crossings_min(0) == 0


@pytest.mark.parametrize("n_useful", range(1, 400))
def test_crossings_min_is_exact_for_small_n(n_useful):
    assert crossings_min(n_useful) == exact_quantile(n_useful - 1)


def test_crossings_min_is_exact_across_the_switch_to_floating_point():
    sample = list(range(1990, 2130)) + random.Random(7).sample(range(2130, 12000), 40)
    for n_useful in sample:
        assert crossings_min(n_useful) == exact_quantile(n_useful - 1), n_useful


def test_exact_fallback_agrees_when_forced(monkeypatch):
    monkeypatch.setattr(anhoej, "_FLOAT_MARGIN", 10.0)  # every verdict re-checked exactly
    for m in (2001, 2500, 3001):
        assert anhoej._quantile_large(m) == anhoej._quantile_exact(m)


def _high_precision_cdf(m: int, c: int) -> Decimal:
    """P(X <= c) with 50 digits: Stirling series for log-factorials, then pmf ratios."""
    getcontext().prec = 60
    pi = Decimal("3.14159265358979323846264338327950288419716939937510582097494")

    def log_factorial(n: int) -> Decimal:
        d = Decimal(n)
        series = (1 / (12 * d) - 1 / (360 * d**3) + 1 / (1260 * d**5) - 1 / (1680 * d**7)
                  + 1 / (1188 * d**9))
        return d * d.ln() - d + (2 * pi * d).ln() / 2 + series

    log_pmf = log_factorial(m) - log_factorial(c) - log_factorial(m - c) - m * Decimal(2).ln()
    term = log_pmf.exp()
    total = term
    k = c
    while term > total * Decimal("1e-45") and k > 0:
        term = term * k / (m - k + 1)
        total += term
        k -= 1
    return total


@pytest.mark.parametrize("m", [20_000, 123_457, 1_000_000, 4_999_999])
def test_crossings_min_matches_a_high_precision_evaluation_for_large_n(m):
    c = crossings_min(m + 1)
    assert _high_precision_cdf(m, c) >= Decimal("0.05")
    assert _high_precision_cdf(m, c - 1) < Decimal("0.05")


def test_crossings_min_is_fast_for_a_million_points():
    anhoej.crossings_min.cache_clear()
    import time

    start = time.perf_counter()
    crossings_min(1_000_001)
    assert time.perf_counter() - start < 0.05


def test_longest_run_max_rounds_exactly():
    for n in range(1, 5000):
        assert longest_run_max(n) == round(math.log2(n)) + 3
    with pytest.raises(AnalysisInputError):
        longest_run_max(0)


def test_bd0_far_from_the_mean_uses_the_direct_formula():
    assert anhoej._bd0(10.0, 100.0) == pytest.approx(10 * math.log(0.1) + 90)


def slow_runs(y, cl, include):
    """Reference: qicharts2 runs.analysis written as a plain loop."""
    signs = []
    for value, centre, keep in zip(y, cl, include):
        if keep and not (math.isnan(value) or math.isnan(centre)) and value != centre:
            signs.append(1 if value > centre else -1)
    if not signs:
        return len([k for k in include if k]), 0, None, None
    runs, longest, current = 1, 1, 1
    for a, b in zip(signs, signs[1:]):
        current = current + 1 if a == b else 1
        runs += a != b
        longest = max(longest, current)
    return sum(bool(k) for k in include), len(signs), longest, runs - 1


values = st.one_of(st.none(), st.integers(-3, 3).map(float))


@settings(max_examples=300, deadline=None)
@given(st.lists(values, max_size=40), st.lists(st.booleans(), max_size=40))
def test_runs_statistics_match_a_slow_reference(y, excluded):
    y = np.array([np.nan if v is None else v for v in y], dtype=float)
    exclude = [i for i, flag in enumerate(excluded[: y.size]) if flag]
    result = spc(y, chart="run", exclude=exclude)
    if y.size == 0:
        assert result.runs == ()
        return
    part = result.runs[0]
    n_obs, n_useful, longest, crossings = slow_runs(y, result.cl, result.include)
    assert (part.n_obs, part.n_useful, part.longest_run, part.crossings) == (
        n_obs, n_useful, longest, crossings)
    if n_useful:
        expected = longest > longest_run_max(n_useful) or crossings < crossings_min(n_useful)
        assert part.signal == expected
        assert part.crossings_min == exact_quantile(n_useful - 1)
    else:
        assert part.signal is False and part.longest_run_max is None


def test_points_on_the_centre_line_neither_break_nor_extend_a_run():
    y = [1, 1, 5, 1, 9, 9, 9]  # median 5: the 5 sits on the line
    part = spc(y, chart="run").runs[0]
    assert (part.n_useful, part.longest_run, part.crossings) == (6, 3, 1)


def test_ties_at_the_median_are_dropped():
    part = spc([2, 2, 2, 2, 1, 3], chart="run").runs[0]
    assert part.n_useful == 2 and part.crossings == 1


@pytest.mark.parametrize(
    ("method", "n", "crossings", "longest", "signal"),
    [
        ("bestbox", 10, 2, 6, False),  # inside the best box for n = 10: c >= 2, l <= 6
        ("bestbox", 10, 1, 6, True),
        ("cutbox", 10, 2, 5, False),  # cbord 3 / lbord 5: c == cb and l <= lbord
        ("cutbox", 10, 2, 6, True),
        ("cutbox", 10, 3, 6, False),  # c >= cbord and l <= lb
        ("cutbox", 10, 3, 5, False),  # c >= cb + 1 and l <= lb - 1
        ("cutbox", 12, 3, 6, False),  # no cut-box border for n = 12: plain box
        ("cutbox", 12, 2, 6, True),
        ("bestbox", 101, 42, 10, False),  # outside 10..100: Anhøj limits (42, 10)
        ("bestbox", 101, 41, 10, True),
        ("anhoej", 24, 7, 8, True),
    ],
)
def test_box_methods(method, n, crossings, longest, signal):
    assert anhoej.crossings_signal(n, crossings, longest, method) is signal


def test_unknown_runs_method_is_refused():
    with pytest.raises(AnalysisInputError, match="method"):
        anhoej.crossings_signal(10, 2, 3, "ihi")
    with pytest.raises(AnalysisInputError, match="method"):
        spc([1, 2, 3], chart="run", method="ihi")
