"""Plain-English findings for a ward."""

from __future__ import annotations

import datetime as dt

import pytest

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.findings import MAX_EPISODES, findings, format_date
from qidesk.analysis.mdc import mdc_xmr
from qidesk.analysis.spc import spc

SHIFT_DOWN = [10, 11] * 7 + [5] * 10
WEEKS = [dt.date(2026, 1, 6) + dt.timedelta(weeks=i) for i in range(24)]


def by_rule(items):
    return {(f.rule_set, f.rule): f for f in items}


def test_anhoej_shift_sentence_with_dates_limit_and_direction():
    f = by_rule(findings(spc(SHIFT_DOWN, chart="run"), improvement_direction="down",
                         labels=WEEKS))[("anhoej", "shift")]
    assert f.text == ("Shift: 10 points in a row below the median (14 Apr – 16 Jun 2026). "
                      "With 17 useful points, more than 7 in a row is unlikely by chance: "
                      "this is a signal of improvement.")
    assert tuple(f.points) == tuple(range(14, 24)) and f.direction == "improvement"


def test_crossings_sentence():
    f = by_rule(findings(spc(SHIFT_DOWN, chart="run")))[("anhoej", "crossings")]
    assert f.text.startswith("Crossings: the line crosses the median only 1 time (points 1–24).")
    assert "fewer than 5 crossings" in f.text and f.direction == "neutral"


def test_common_cause_wording():
    y = [6, 5, 5, 8, 3, 7, 6, 1, 4, 7, 5, 1, 7, 6, 7, 2]
    (f,) = findings(spc(y, chart="run"))
    assert f.rule == "common_cause" and f.direction == "common_cause"
    assert f.text.startswith("Only common-cause variation (points 1–16): with ")
    (g,) = findings(spc(y, chart="i"))
    assert g.text.endswith("crossings of the centre line, and no point outside the limits.")
    (h,) = findings(spc(y, chart="run"), rule_set="ihi")
    assert "no shift of 6, no trend of 5" in h.text
    (m,) = findings(mdc_xmr(y, improvement="increase"))
    assert m.rule_set == "mdc" and "no run of 7 on one side of the mean" in m.text


def test_short_series_cannot_be_judged_yet():
    out = findings(spc([3, 4, 5, 3, 4, 5, 3], chart="run"))
    assert [f.rule for f in out] == ["too_few_points"]
    assert out[0].text == ("Only 5 useful points (points 1–7): too few to judge the run-chart "
                           "rules yet; at least 10 are needed.")
    assert out[0].direction == "info"


def test_trial_limits_for_spc_and_mdc():
    y = [5, 7, 4, 6, 5, 8, 4, 6, 7, 5, 6]
    rules = [f.rule for f in findings(spc(y, chart="i"))]
    assert "trial_limits" in rules
    assert "trial_limits" not in [f.rule for f in findings(spc(y * 2, chart="i"))]
    m = findings(mdc_xmr(y, improvement="increase"))
    trial = by_rule(m)[("mdc", "trial_limits")]
    assert "rest on only 11 points" in trial.text and "at least 13" in trial.text


def test_phases_are_named():
    out = findings(spc(SHIFT_DOWN, chart="i", parts=[14]), labels=WEEKS)
    assert {f.text.split(":")[0] for f in out} == {"Phase 1", "Phase 2"}


def test_sigma_and_ihi_wording():
    y = [5, 7, 4, 6, 5, 8, 4, 6, 7, 5, 6, 4, 7, 5, 30, 5, 6]
    f = by_rule(findings(spc(y, chart="i"), improvement_direction="down"))
    assert f[("sigma", "outside_limits")].text.startswith(
        "Outside the limits: 1 point above the upper limit (point 15).")
    assert f[("sigma", "outside_limits")].direction == "concern"
    dated = by_rule(findings(spc(y, chart="i"), labels=WEEKS[: len(y)]))
    assert "(14 Apr 2026)" in dated[("sigma", "outside_limits")].text
    trend = [5, 1, 2, 2, 3, 4, 5, 9, 1, 8, 2, 7, 3]
    t = by_rule(findings(spc(trend, chart="run"), rule_set="ihi"))[("ihi", "trend")]
    assert t.text.startswith("Trend: 6 points in a row going up (points 2–8).")
    zigzag = by_rule(findings(spc([1, 9] * 8, chart="run"), rule_set="ihi"))
    assert zigzag[("ihi", "runs")].text.startswith("Too many runs: 16 runs")
    few = findings(spc(SHIFT_DOWN, chart="run"), rule_set="ihi")
    assert by_rule(few)[("ihi", "runs")].text.startswith("Too few runs: 2 runs")
    shifts = [f.text for f in few if f.rule == "shift"]
    assert shifts[0].startswith("Shift: 7 points in a row above the median (points 2–14).")
    assert shifts[1].startswith("Shift: 10 points in a row below the median")


def test_mdc_wording_and_assurance():
    y = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9, 3, 4, 5, 6, 7, 8, 9]
    out = by_rule(findings(mdc_xmr(y, improvement="increase", target=100,
                                   screen_outliers=False)))
    assert out[("mdc", "trend")].text.startswith("Trend: 7 points in a row rising")
    assert out[("mdc", "assurance")].text == (
        "Assurance: the target (100) is above the upper process limit, so the process "
        "will consistently miss it unless the process changes.")
    low = by_rule(findings(mdc_xmr(y, improvement="increase", target=-100)))
    assert low[("mdc", "assurance")].direction == "improvement"
    mid = by_rule(findings(mdc_xmr(y, improvement="increase", target=3)))
    assert "sometimes meet it" in mid[("mdc", "assurance")].text


def test_many_episodes_are_summed_up():
    y = ([9] * 8 + [1] * 8) * 5
    out = findings(mdc_xmr(y, improvement="increase", screen_outliers=False))
    runs = [f for f in out if f.rule == "seven_one_side"]
    assert len(runs) == MAX_EPISODES + 1
    assert runs[-1].direction == "info" and "earlier signals" in runs[-1].text


def test_date_formats():
    assert format_date(dt.datetime(2026, 3, 3, 9, 30)) == "3 Mar 2026"
    assert format_date("Q1") == "Q1"
    years = [dt.date(2025, 12, 1) + dt.timedelta(days=30 * i) for i in range(24)]
    f = by_rule(findings(spc(SHIFT_DOWN, chart="run"), labels=years))[("anhoej", "crossings")]
    assert "(1 Dec 2025 – 22 Oct 2027)" in f.text
    text = [str(i) for i in range(24)]
    f = by_rule(findings(spc(SHIFT_DOWN, chart="run"), labels=text))[("anhoej", "shift")]
    assert "(14 – 23)" in f.text


def test_labels_must_match_the_points():
    with pytest.raises(AnalysisInputError):
        findings(spc(SHIFT_DOWN, chart="run"), labels=WEEKS[:3])
