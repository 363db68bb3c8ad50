"""A measure's chart with what it says and what the measure means, beside each other."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from qidesk.services.charts import MeasureChart
from qidesk.services.workbook import Workbook
from qidesk.ui import palette
from qidesk.ui.charts.control_chart import ControlChart

RULE_SET_NAMES = {"anhoej": "Anhøj rules (as qicharts2)", "ihi": "IHI run chart rules"}
FINDING_COLOURS = {
    "improvement": palette.MDC_IMPROVEMENT, "concern": palette.MDC_CONCERN,
    "neutral": palette.MDC_NEUTRAL, "common_cause": palette.MDC_COMMON_CAUSE,
    "info": palette.NHS_MID_GREY,
}


def chart_x(periods: list[date]) -> list[float]:
    """Periods as seconds since 1970 at midday UTC, so no time zone moves a point's day."""
    return [datetime(d.year, d.month, d.day, 12, tzinfo=UTC).timestamp() for d in periods]


def findings_html(chart: MeasureChart) -> str:
    """The findings as a short list, each with a coloured marker and its words."""
    items = []
    for finding in chart.findings:
        colour = FINDING_COLOURS.get(finding.direction, palette.NHS_MID_GREY)
        items.append(f'<p style="margin:0 0 6px 0"><span style="color:{colour}">■</span> '
                     f"{html.escape(finding.text)}</p>")
    rules = RULE_SET_NAMES.get(chart.rule_set, chart.rule_set)
    return (f"<p style='margin:0 0 8px 0'><b>What this chart says</b> "
            f"<span style='color:{palette.NHS_MID_GREY}'>· {html.escape(rules)}</span></p>"
            + "".join(items))


class ChartPanel(QWidget):
    """Draws a computed MeasureChart; it never computes statistics itself.

    Changes made from the chart go through `undo_stack`, like every edit.
    """

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.chart = ControlChart()
        self.chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.findings = _panel("What this chart says")
        self.about = _panel("About this measure")
        below = QHBoxLayout()
        below.addWidget(self.findings, 3)
        below.addWidget(self.about, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart, 1)
        layout.addLayout(below)

    def show_chart(self, chart: MeasureChart) -> None:
        measure = chart.measure
        if chart.has_data:
            self.chart.show_result(chart_x(chart.periods), chart.result, chart.classes.classes,
                                   target=measure.target)
            self.findings.setText(findings_html(chart))
        else:
            self.chart.getPlotItem().clear()
            self.findings.setText("<b>What this chart says</b><p>No data yet: type the first "
                                  "period's figure to start the chart.</p>")
        self.about.setText(
            "<b>About this measure</b>"
            f"<p>{html.escape(measure.definition or 'No operational definition written yet.')}</p>"
            f"<p style='color:{palette.NHS_DARK_GREY}'>Why this chart: {html.escape(chart.chart_reason)}</p>"
        )


def _panel(accessible_name: str) -> QLabel:
    panel = QLabel()
    panel.setObjectName("findings")
    panel.setWordWrap(True)
    panel.setTextFormat(Qt.TextFormat.RichText)
    panel.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    panel.setAccessibleName(accessible_name)
    panel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return panel
