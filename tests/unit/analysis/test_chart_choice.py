"""Chart suggestions from a measure's value type and data."""

from __future__ import annotations

import numpy as np
import pytest

from qidesk.analysis.chart_choice import LANEY_SIGMA_Z, laney_sigma_z, suggest_chart
from qidesk.analysis.errors import AnalysisInputError

rng = np.random.default_rng(7)
N_BIG = np.full(24, 20_000)
# Binomial at p = 0.1: sigma_z near 1. A drifting p (0.08-0.12) with huge n: over-dispersed.
P_PLAIN = rng.binomial(200, 0.1, 24)
P_DRIFT = rng.binomial(N_BIG, rng.uniform(0.08, 0.12, 24))


@pytest.mark.parametrize("value_type,chart", [("days_between", "t"), ("cases_between", "g")])
def test_rare_event_types(value_type, chart):
    chart_, reason = suggest_chart(value_type)
    assert chart_ == chart and reason.endswith(".")


def test_short_series_get_a_run_chart():
    chart, reason = suggest_chart("continuous", [1.0] * 8)
    assert chart == "run" and "Only 8 points" in reason


def test_continuous():
    assert suggest_chart("continuous", list(range(20)))[0] == "i"
    assert suggest_chart("continuous")[0] == "i"
    assert suggest_chart("continuous", [[1, 2, 3]] * 15)[0] == "xbar"


def test_counts():
    assert suggest_chart("count", list(rng.poisson(6, 20)))[0] == "c"
    chart, reason = suggest_chart("count", [0] * 15 + [1] * 5)
    assert chart == "t" and "rare" in reason
    assert suggest_chart("count", list(rng.poisson(6, 20)), [100] * 20)[0] == "u"


def test_proportions_use_laneys_check():
    assert laney_sigma_z(P_PLAIN, [200] * 24) < LANEY_SIGMA_Z
    assert suggest_chart("proportion", P_PLAIN, [200] * 24)[0] == "p"
    assert laney_sigma_z(P_DRIFT, N_BIG) > LANEY_SIGMA_Z
    chart, reason = suggest_chart("proportion", P_DRIFT, N_BIG)
    assert chart == "pp" and "p′" in reason
    assert suggest_chart("proportion")[0] == "p"
    assert suggest_chart("proportion", [0] * 15 + [1] * 5, [50] * 20)[0] == "g"


def test_rates_use_laneys_check():
    drift = rng.poisson(N_BIG * rng.uniform(0.01, 0.02, 24))
    assert suggest_chart("rate", drift, N_BIG)[0] == "up"
    assert suggest_chart("rate", rng.poisson(5, 24), [1000] * 24)[0] == "u"
    assert suggest_chart("rate", [0] * 15 + [2] * 5, [1000] * 20)[0] == "t"


def test_laney_edge_cases():
    assert np.isnan(laney_sigma_z([1], [10]))
    assert np.isnan(laney_sigma_z([0, 0, 0], [10, 10, 10]))
    with pytest.raises(AnalysisInputError):
        laney_sigma_z([1, 2], [10])


@pytest.mark.parametrize("args", [("weight",), ("count", ["a", "b"])])
def test_bad_input(args):
    with pytest.raises(AnalysisInputError):
        suggest_chart(*args)
