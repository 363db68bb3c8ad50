"""What spc() and aggregate() accept, refuse with a clear message, and return for edge cases."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from qidesk.analysis import AnalysisInputError, aggregate, spc


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: spc([1, 2], chart="x"), "unknown chart"),
        (lambda: spc([1, 2], chart=None), "unknown chart"),
        (lambda: spc([1, 2], chart="p"), "needs denominators"),
        (lambda: spc([1, 2], chart="u"), "needs denominators"),
        (lambda: spc([1, 2], [1], chart="p"), "one denominator per point"),
        (lambda: spc([1, 5], [2, 4], chart="p"), "greater than its denominator"),
        (lambda: spc([1, 1], [2, -4], chart="pp"), "negative denominator"),
        (lambda: spc([-1, 1], [2, 4], chart="p"), "negative numerator"),
        (lambda: spc([3, 0, 2], chart="t"), "greater than zero"),
        (lambda: spc([3, -1, 2], chart="t"), "greater than zero"),
        (lambda: spc([1, 2, 3], chart="i", freeze=4), "freeze"),
        (lambda: spc([1, 2, 3], chart="i", freeze=0), "freeze"),
        (lambda: spc([1, 2, 3], chart="i", freeze=1.5), "whole number"),
        (lambda: spc([1, 2, 3], chart="i", parts=[3]), "out of range"),
        (lambda: spc([1, 2, 3], chart="i", parts=[-1]), "out of range"),
        (lambda: spc([1, 2, 3, 4], chart="i", parts=[2, 1]), "strictly increasing"),
        (lambda: spc([1, 2, 3, 4], chart="i", parts=[2, 2]), "strictly increasing"),
        (lambda: spc([1, 2, 3, 4], chart="i", parts=2), "sequence"),
        (lambda: spc([1, 2, 3], chart="i", exclude=[3]), "out of range"),
        (lambda: spc([1, 2, 3], chart="i", exclude=[True]), "whole number"),
        (lambda: spc([1.0, 2.0, 3.0], chart="xbar"), "single value"),
        (lambda: spc(np.array([1.0, 2.0]), chart="s"), "single value"),
        (lambda: spc("abc", chart="xbar"), "sequence of subgroups"),
        (lambda: spc([[1, 2]], [3], chart="xbar"), "not denominators"),
        (lambda: spc(["a", "b"], chart="i"), "numbers"),
        (lambda: spc([[1, 2], [3, 4]], chart="i"), "one value per point"),
        (lambda: spc([1, 2], chart="i", multiply="x"), "multiply"),
        (lambda: spc([1, 2], chart="i", multiply=math.inf), "multiply"),
        (lambda: spc([1, 2], chart="i", cl=[1, 2, 3]), "cl must be"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, message):
    with pytest.raises(AnalysisInputError, match=message):
        call()


def test_analysis_input_error_is_a_value_error():
    assert issubclass(AnalysisInputError, ValueError)


@pytest.mark.parametrize("chart", ["run", "i", "mr", "c", "g", "t", "ip"])
def test_empty_series_gives_an_empty_result(chart):
    r = spc([], chart=chart)
    assert r.y.size == 0 and r.cl.size == 0 and r.part.size == 0 and r.runs == ()


def test_empty_subgroups_and_denominators():
    assert spc([], chart="xbar").runs == ()
    assert spc([], [], chart="p").n.size == 0


@pytest.mark.parametrize("chart", ["run", "i", "mr", "c", "g", "t", "ip", "p", "pp", "u", "up"])
def test_all_missing_series_gives_missing_lines(chart):
    n = [None, None, None] if chart in ("p", "pp", "u", "up") else None
    r = spc([None, None, None], n, chart=chart)
    assert np.isnan(r.y).all() and np.isnan(r.cl).all() and np.isnan(r.ucl).all()
    assert not r.sigma_signal.any() and not r.runs_signal.any()
    part = r.runs[0]
    assert part.n_obs == 3 and part.n_useful == 0 and part.longest_run is None
    assert part.crossings_min is None and part.signal is False and math.isnan(part.centre)


def test_all_missing_subgroups():
    r = spc([[None], [], [None, None]], chart="s")
    assert np.isnan(r.y).all() and r.n.tolist() == [0, 0, 0]


@pytest.mark.parametrize("size", [1, 2])
def test_very_short_series(size):
    y = [3.0, 5.0][:size]
    for chart in ("run", "i", "mr", "c", "g", "t", "ip"):
        r = spc(y, chart=chart)
        assert r.y.size == size
    one = spc([3.0], chart="i")
    assert one.cl[0] == 3.0 and np.isnan(one.ucl[0])
    assert one.runs[0].n_useful == 0


def test_subgroups_of_size_one_have_no_xbar_or_s_limits():
    r = spc([[1.0], [2.0], [4.0]], chart="xbar")
    assert r.y.tolist() == [1.0, 2.0, 4.0] and np.isnan(r.ucl).all()
    assert np.isnan(spc([[1.0], [2.0]], chart="s").y).all()


def test_two_dimensional_subgroups():
    r = spc(np.array([[1.0, 2.0], [3.0, 5.0]]), chart="xbar")
    assert r.y.tolist() == [1.5, 4.0]


def test_none_is_a_gap_never_a_zero():
    r = spc([1.0, None, 3.0, 4.0], chart="i")
    assert np.isnan(r.y[1]) and r.cl[0] == pytest.approx(8 / 3)
    assert r.runs[0].n_obs == 4 and r.runs[0].n_useful == 3


def test_nan_next_to_an_excluded_point():
    y = [1.0, 2.0, np.nan, 40.0, 3.0, 2.0, 1.0]
    r = spc(y, chart="i", exclude=[3], screen_mr=False)
    # B = 1, 2, NaN, 3, 2, 1: the MR beside the NaN drops, the excluded 40 is bridged
    mr = [1.0, 1.0, 1.0, 1.0]
    assert r.ucl[0] == pytest.approx(9 / 5 + 3 * (sum(mr) / 4) / 1.128)
    assert r.include.tolist() == [True, True, True, False, True, True, True]


def test_aggregate_sums_and_sorts_by_period():
    sub = aggregate(["2024-02", "2024-01", "2024-02", None], [3, 1, None, 9], [10, 5, 4, 2])
    assert sub.x == ("2024-01", "2024-02")
    assert sub.y_sum.tolist() == [1.0, 3.0] and sub.n.tolist() == [5.0, 10.0]
    assert sub.y.tolist() == pytest.approx([0.2, 0.3])


def test_aggregate_without_denominators():
    sub = aggregate([2, 1, 2, 3, 3], [4.0, 1.0, 6.0, None, None])
    assert sub.x == (1, 2, 3)
    assert sub.y_length.tolist() == [1, 2, 0] and sub.y_sum.tolist() == [1.0, 10.0, 0.0]
    assert sub.y_mean[1] == 5.0 and math.isnan(sub.y_mean[2]) and math.isnan(sub.y_sd[0])
    assert sub.y_sd[1] == pytest.approx(math.sqrt(2))
    single_gap = aggregate([1], [None])
    assert math.isnan(single_gap.y_sum[0])  # sum(NA, na.rm = FALSE)
    for agg, want in (("median", 5.0), ("sum", 10.0), ("sd", math.sqrt(2))):
        assert aggregate([2, 1, 2], [4.0, 1.0, 6.0], agg=agg).y[1] == pytest.approx(want)
    assert math.isnan(aggregate([1], [None], agg="median").y[0])
    assert math.isnan(aggregate([1], [2.0], agg="sd").y[0])
    padded = aggregate([1, 3], [1.0, 2.0], keys=[1, 2, 3, None])
    assert padded.x == (1, 2, 3) and math.isnan(padded.y[1]) and padded.values[1].size == 0


def test_aggregate_refuses_bad_input():
    with pytest.raises(AnalysisInputError, match="agg"):
        aggregate([1], [1.0], agg="max")
    with pytest.raises(AnalysisInputError, match="one entry per row"):
        aggregate([1, 2], [1.0])
    with pytest.raises(AnalysisInputError, match="all numbers"):
        aggregate([1, "a"], [1.0, 2.0])
    with pytest.raises(AnalysisInputError, match="numbers or None"):
        aggregate([1], ["x"])
    with pytest.raises(AnalysisInputError, match="one value per row"):
        aggregate([1], [[1.0]])


def test_analysis_imports_no_gui_or_database():
    code = (
        "import sys, qidesk.analysis, qidesk.analysis.spc;"
        "bad = [m for m in ('PySide6', 'pyqtgraph', 'sqlalchemy', 'sqlmodel', 'scipy')"
        " if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_r_arithmetic_raises_no_numpy_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spc([1.0, np.inf, -np.inf, 0.0], [0.0, 0.0, 1.0, 0.0], chart="up", multiply=0.0)
        spc([[np.inf, -np.inf], [1.0]], chart="s")
        spc([np.inf, 1.0, None], chart="i", y_neg=False)
