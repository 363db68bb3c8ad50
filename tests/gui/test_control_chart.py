"""The chart widget draws what the analysis layer computed, in the shapes users read."""

from __future__ import annotations

import numpy as np

from qidesk.analysis import spc
from qidesk.ui.charts.control_chart import LEGIBLE_SYMBOL_LIMIT, ControlChart, step_line


def test_step_line_holds_each_value_and_breaks_between_phases():
    xs, ys = step_line(np.array([0.0, 2, 4, 6]), np.array([1.0, 1, 5, 5]), np.array([0, 0, 1, 1]))
    assert np.isnan(xs[2]) and np.isnan(ys[2])  # the gap between the two phases
    np.testing.assert_allclose(xs[:2], [-1, 3])  # equal values: one segment
    np.testing.assert_allclose(ys[3:], [5, 5])


def test_step_line_steps_where_the_limit_changes_and_breaks_at_a_missing_value():
    xs, ys = step_line(np.array([0.0, 2, 4, 6, 8]), np.array([1.0, np.nan, 1, 2, 2]),
                       np.zeros(5, dtype=int))
    np.testing.assert_allclose(xs, [-1, 1, 1, 3, 3, 5, 5, 9])
    np.testing.assert_allclose(ys, [1, 1, np.nan, np.nan, 1, 1, 2, 2])


def test_chart_draws_classed_points_with_their_own_markers(qtbot):
    y = [5.0] * 12 + [9.0] * 12
    result = spc(y, chart="run")
    chart = ControlChart(dates=False)
    qtbot.addWidget(chart)
    classes = ["common_cause"] * 12 + ["improvement"] * 11 + ["excluded"]
    chart.show_result(np.arange(24), result, classes)
    assert chart.point_counts == {"common_cause": 12, "improvement": 11, "excluded": 1}
    image = chart.render_image(600, 340)
    assert not image.isNull()


def test_long_series_keep_markers_only_for_signals(qtbot):
    n = LEGIBLE_SYMBOL_LIMIT + 500
    result = spc(np.random.default_rng(1).normal(10, 1, n), chart="i")
    chart = ControlChart(dates=False)
    qtbot.addWidget(chart)
    classes = ["common_cause"] * (n - 3) + ["concern"] * 3
    chart.show_result(np.arange(n), result, classes)
    assert chart.point_counts == {"concern": 3}


def test_a_phase_with_a_runs_signal_gets_the_dashed_orange_centre_line(qtbot):
    # Phase 1 is random; phase 2 crosses its median too rarely (two long runs).
    y = [5, 7, 4, 8, 6, 3, 7, 5, 8, 4, 6, 7] + [5.0] * 11 + [9.0] * 11
    result = spc(y, chart="run", parts=[12])
    assert not result.runs_signal[:12].any() and result.runs_signal[12:].all()
    chart = ControlChart(dates=False)
    qtbot.addWidget(chart)
    chart.show_result(np.arange(len(y)), result)
    plain_x, plain_y = chart.drawing.centre.getData()
    signal_x, signal_y = chart.drawing.centre_signal.getData()
    # Each line holds from midway between points: phase 2 starts half a step before point 12.
    assert plain_x[np.isfinite(plain_y)].max() <= 11.5 <= signal_x[np.isfinite(signal_y)].min()
