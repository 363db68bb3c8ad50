"""What a hover over a chart point says: period, figures, comment and the rules it broke."""

from __future__ import annotations

import html

from qidesk.domain.enums import ValueType
from qidesk.domain.periods import format_period
from qidesk.reports.chart_text import CLASS_TEXT, format_value, rule_names

PERCENT_CHARTS = ("p", "pp")


def is_percent(chart) -> bool:
    return chart.measure.value_type == ValueType.PROPORTION and chart.chart in PERCENT_CHARTS


def point_tooltip(chart, index: int) -> str:
    """Rich text for the tooltip of point `index` of a services.charts.MeasureChart."""
    measure = chart.measure
    lines = [f"<b>{html.escape(format_period(chart.periods[index], measure.frequency))}</b>"]
    value = float(chart.result.y[index])
    lines.append(f"Value: {format_value(value, is_percent(chart))}")
    if chart.denominators is not None:
        lines.append(f"{format_value(float(chart.numerators[index]))} of "
                     f"{format_value(float(chart.denominators[index]))}")
    lines.append(CLASS_TEXT.get(chart.classes.classes[index], ""))
    rules = rule_names(chart.classes.rules_at(index))
    if rules:
        lines.append("Flagged by: " + "; ".join(html.escape(r) for r in rules))
    comment = chart.comments.get(index)
    if comment:
        lines.append(f"<i>{html.escape(comment)}</i>")
    return "<br>".join(lines)
