"""The strip above the chart: chart type, Making Data Count icons, and chart actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from qidesk.domain.enums import ValueType
from qidesk.reports.chart_text import CHART_NAMES
from qidesk.reports.mdc_icons import icon_pixmap, icon_text

ICON_PX = 30
# Charts that make sense for each way of recording a measure (run first: always possible).
CHARTS_FOR = {
    ValueType.CONTINUOUS: ("run", "i", "mr"),
    ValueType.COUNT: ("run", "c", "i"),
    ValueType.PROPORTION: ("run", "p", "pp", "i"),
    ValueType.RATE: ("run", "u", "up", "i"),
    ValueType.DAYS_BETWEEN: ("run", "t", "i", "g"),
    ValueType.CASES_BETWEEN: ("run", "g", "i"),
}


class ChartHeader(QWidget):
    """Signals are requests: `chart_type_requested(chart)`, `phases_requested()`,
    `table_toggled(on)`, `export_requested(format)` with "png", "svg", "pdf" or "clipboard"."""

    chart_type_requested = Signal(str)
    phases_requested = Signal()
    table_toggled = Signal(bool)
    export_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart_type = QComboBox()
        self.chart_type.setAccessibleName("Chart type")
        self.chart_type.setToolTip("Draw this measure as another kind of chart")
        self.chart_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        chart_label = QLabel("C&hart:")
        chart_label.setBuddy(self.chart_type)
        self.variation = _icon_label("Variation")
        self.assurance = _icon_label("Assurance")
        self.phases = QPushButton("P&hases…")
        self.phases.setAccessibleName("Phases and baseline")
        self.phases.setToolTip("Split the chart into phases, or freeze a baseline")
        self.table = QPushButton("Show as &table")
        self.table.setCheckable(True)
        self.table.setAccessibleName("Show as table")
        self.table.setToolTip("Show the chart's figures as a table (for screen readers)")
        self.export = QToolButton()
        self.export.setText("E&xport")
        self.export.setAccessibleName("Export chart")
        self.export.setToolTip("Save the chart as PNG, SVG or PDF, or copy it")
        self.export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export.setMenu(self._export_menu())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (chart_label, self.chart_type, self.variation, self.assurance):
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in (self.phases, self.table, self.export):
            layout.addWidget(widget)
        self._connect_signals()

    def _export_menu(self) -> QMenu:
        menu = QMenu(self)
        self.export_actions: dict[str, QAction] = {}
        for key, text in (("png", "Save as &PNG image…"), ("svg", "Save as &SVG…"),
                          ("pdf", "Save as P&DF…"), ("clipboard", "&Copy chart")):
            action = menu.addAction(text)
            action.triggered.connect(lambda _=False, k=key: self.export_requested.emit(k))
            self.export_actions[key] = action
        self.export_actions["clipboard"].setShortcut(QKeySequence("Ctrl+Shift+C"))
        return menu

    def _connect_signals(self) -> None:
        self.chart_type.activated.connect(self._on_chart_type_activated)
        self.phases.clicked.connect(self.phases_requested)
        self.table.toggled.connect(self.table_toggled)

    def _on_chart_type_activated(self, index: int) -> None:
        self.chart_type_requested.emit(self.chart_type.itemData(index))

    def show_chart(self, chart) -> None:
        charts = CHARTS_FOR.get(chart.measure.value_type, ("run",))
        if chart.chart not in charts:
            charts = (*charts, chart.chart)
        self.chart_type.blockSignals(True)
        self.chart_type.clear()
        for key in charts:
            self.chart_type.addItem(CHART_NAMES.get(key, key), key)
        self.chart_type.setCurrentIndex(charts.index(chart.chart))
        self.chart_type.blockSignals(False)
        _set_icon(self.variation, chart.variation)
        _set_icon(self.assurance, chart.assurance)


def _icon_label(name: str) -> QLabel:
    label = QLabel()
    label.setFixedSize(ICON_PX, ICON_PX)
    label.setAccessibleName(name)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # screen readers reach it by Tab
    return label


def _set_icon(label: QLabel, name: str | None) -> None:
    label.setVisible(name is not None)
    if name is None:
        label.setAccessibleDescription("")
        label.setProperty("icon_name", None)
        return
    if label.property("icon_name") == name:
        return  # unchanged: no need to render the SVG again
    label.setPixmap(icon_pixmap(name, ICON_PX, label.devicePixelRatioF()))
    label.setToolTip(icon_text(name))
    label.setAccessibleDescription(icon_text(name))
    label.setProperty("icon_name", name)
