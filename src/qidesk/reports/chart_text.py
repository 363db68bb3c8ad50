"""The words around a chart: chart names, icon meanings, how to read it, what it covers."""

from __future__ import annotations

from qidesk.domain.periods import format_date

CHART_NAMES = {
    "run": "Run chart", "i": "I chart (individuals)", "mr": "Moving range chart",
    "p": "P chart (proportion)", "pp": "P′ chart (Laney)", "u": "U chart (rate)",
    "up": "U′ chart (Laney)", "c": "C chart (count)", "g": "G chart (cases between events)",
    "t": "T chart (days between events)", "xbar": "Xbar chart", "s": "S chart",
}
RULE_SET_NAMES = {"anhoej": "Anhøj rules (as qicharts2)", "ihi": "IHI run chart rules",
                  "mdc": "Making Data Count rules"}
VARIATION_TEXT = {
    "common_cause": "Common cause variation: no signal of change",
    "improvement_high": "Special cause variation: improvement (higher)",
    "improvement_low": "Special cause variation: improvement (lower)",
    "concern_high": "Special cause variation: concern (higher)",
    "concern_low": "Special cause variation: concern (lower)",
    "neutral_high": "Special cause variation: neither better nor worse (higher)",
    "neutral_low": "Special cause variation: neither better nor worse (lower)",
}
ASSURANCE_TEXT = {
    "pass": "Assurance: pass — the target lies outside the limits on the good side; "
            "the process should meet it consistently",
    "fail": "Assurance: fail — the target lies outside the limits on the wrong side; "
            "the process will not meet it without change",
    "inconsistent": "Assurance: inconsistent — the target lies within the limits; "
                    "it will be met some of the time",
}
TRIAL_LIMITS = "trial limits"


def reading_guide(has_limits: bool) -> str:
    """A few sentences on how to read the chart, for someone new to run and SPC charts."""
    lines = ("The solid dark line is the centre line (the median on a run chart, the mean "
             "on a control chart). ")
    if has_limits:
        lines += ("The dashed lines are the control limits: where nearly all points fall "
                  "while nothing has changed. ")
    lines += ("Grey dots are common cause variation, the ordinary ups and downs. Blue "
              "upward triangles mark improvement, orange downward triangles concern and "
              "purple diamonds a change that is neither; a cross marks a point left out "
              "of the calculations. ")
    lines += ("A single point outside the limits, or a long run of points on one side of "
              "the centre line, is a signal that something has changed — not chance.")
    return lines


def date_range(periods) -> str:
    if not periods:
        return "no data yet"
    return f"{format_date(periods[0])} to {format_date(periods[-1])}"

RULE_TEXT = {
    ("sigma", "outside_limits"): "Outside the control limits",
    ("anhoej", "shift"): "Shift: an unusually long run on one side of the centre line",
    ("anhoej", "crossings"): "Too few crossings of the centre line",
    ("ihi", "shift"): "Shift: 6 or more points on one side of the median",
    ("ihi", "trend"): "Trend: 5 or more points rising or falling",
    ("ihi", "runs"): "Too few or too many runs",
    ("mdc", "outside_limits"): "Outside the process limits",
    ("mdc", "trend"): "Trend: 7 points rising or falling",
    ("mdc", "two_in_three"): "2 of 3 points close to a limit",
    ("mdc", "seven_one_side"): "7 points on one side of the mean",
}
CLASS_TEXT = {"common_cause": "Common cause", "improvement": "Improvement",
              "concern": "Concern", "neutral": "Special cause (neither better nor worse)",
              "excluded": "Excluded", "missing": "Missing"}


def rule_names(rules) -> list[str]:
    """Plain names of (rule_set, rule) pairs, as PointClasses.rules_at gives them."""
    return [RULE_TEXT.get(r, f"{r[0]}: {r[1]}") for r in rules]


def format_value(value: float, percent: bool = False) -> str:
    """A figure as a ward reads it: no needless decimals, thousands separated."""
    if value != value:  # NaN
        return "missing"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + ("%" if percent else "")
