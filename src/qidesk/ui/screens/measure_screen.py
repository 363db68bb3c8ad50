"""One measure: its heading, its data grid on the left and its chart panel beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from qidesk.domain.errors import ValidationError
from qidesk.reports.chart_text import CHART_NAMES
from qidesk.services.charts import MeasureChart, measure_chart
from qidesk.services.workbook import Workbook
from qidesk.ui.screens.chart_panel import ChartPanel
from qidesk.ui.widgets.data_grid import DataGrid

DIRECTION_WORDS = {"up": "higher is better", "down": "lower is better", "neither": "no better direction"}
FREQUENCY_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
                   "event": "per event"}


class MeasureScreen(QWidget):
    """One measure under a heading that says what it measures.

    Every change to the workbook goes through `undo_stack`, so any push, undo or redo
    redraws the measure on show from the workbook.
    """

    open_requested = Signal(str, int)  # a PDSA marker on the chart was clicked

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, *, rule_set: str = "anhoej",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.rule_set = rule_set
        self.measure_id: int | None = None
        self.current_chart: MeasureChart | None = None
        self.heading = QLabel()
        self.heading.setObjectName("screenHeading")
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.data_grid = DataGrid(wb, undo_stack)
        self.chart_panel = ChartPanel(wb, undo_stack)
        # Figures on the left, the chart they make on the right: type, and see it move.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.data_grid)
        self.splitter.addWidget(self.chart_panel)
        self.splitter.setStretchFactor(0, 40)
        self.splitter.setStretchFactor(1, 60)
        self.splitter.setSizes([400, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.splitter, 1)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self.chart_panel.chart_type_requested.connect(self._on_chart_panel_chart_type_requested)
        self.chart_panel.pdsa_cycle_requested.connect(
            lambda cycle_id: self.open_requested.emit("pdsa_cycle", cycle_id))

    @property
    def chart(self):
        return self.chart_panel.chart

    @property
    def findings(self):
        return self.chart_panel.findings

    def show_measure(self, measure_id: int) -> None:
        """Compute the measure's chart from the workbook and show it."""
        self.measure_id = measure_id
        self.refresh()
        self.data_grid.show_measure(measure_id)

    def refresh(self) -> None:
        if self.measure_id is not None:
            self.show_chart(measure_chart(self.wb, self.measure_id, rule_set=self.rule_set,
                                          chart=self.chart_panel.chart_choice_for(self.measure_id)))

    @property
    def grid(self):
        return self.data_grid.view

    def _on_chart_panel_chart_type_requested(self, _measure_id: int) -> None:
        self.refresh()

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        if self.wb.store.engine is None:
            return  # the workbook is closed: a dying stack clears itself on the way out
        try:
            self.refresh()
            if self.measure_id is not None:
                self.data_grid.reload()
        except ValidationError:  # the measure on show was deleted (e.g. its creation undone)
            self.measure_id = None
            self.data_grid.show_measure(None)
            self.chart_panel.clear_chart()
            self.heading.setText("This measure has been deleted")
            self.subheading.setText("Undo (Ctrl+Z) brings it back, or choose another measure.")

    def show_chart(self, chart: MeasureChart) -> None:
        self.current_chart = chart
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
