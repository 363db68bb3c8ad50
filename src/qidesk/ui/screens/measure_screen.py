"""One measure: its heading, its chart panel (and, in time, its data grid)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qidesk.services.charts import MeasureChart
from qidesk.ui.screens.chart_panel import ChartPanel

CHART_NAMES = {
    "run": "Run chart", "i": "I chart (individuals)", "mr": "Moving range chart",
    "p": "P chart (proportion)", "pp": "P′ chart (Laney)", "u": "U chart (rate)",
    "up": "U′ chart (Laney)", "c": "C chart (count)", "g": "G chart (cases between events)",
    "t": "T chart (days between events)", "xbar": "Xbar chart", "s": "S chart",
}
DIRECTION_WORDS = {"up": "higher is better", "down": "lower is better", "neither": "no better direction"}
FREQUENCY_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
                   "event": "per event"}


class MeasureScreen(QWidget):
    """Shows one measure's computed chart under a heading that says what it measures."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("screenHeading")
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.chart_panel = ChartPanel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.chart_panel, 1)

    @property
    def chart(self):
        return self.chart_panel.chart

    @property
    def findings(self):
        return self.chart_panel.findings

    def show_chart(self, chart: MeasureChart) -> None:
        measure = chart.measure
        self.heading.setText(measure.name)
        unit = f" · {measure.unit}" if measure.unit else ""
        self.subheading.setText(
            f"{measure.kind.value.capitalize()} measure{unit} · "
            f"{FREQUENCY_WORDS[measure.frequency.value]} · "
            f"{DIRECTION_WORDS[measure.improvement_direction.value]} · "
            f"{CHART_NAMES.get(chart.chart, chart.chart)}"
        )
        self.chart_panel.show_chart(chart)
