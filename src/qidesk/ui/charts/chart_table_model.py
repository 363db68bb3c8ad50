"""The chart as a table, for screen-reader users: one row per point, what the chart shows."""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from qidesk.domain.periods import format_period
from qidesk.reports.chart_text import CLASS_TEXT, format_value, rule_names
from qidesk.ui.charts.tooltip import is_percent


class ChartColumn(IntEnum):
    PERIOD = 0
    VALUE = 1
    CENTRE = 2
    LOWER = 3
    UPPER = 4
    CLASS = 5
    RULES = 6


HEADERS = {ChartColumn.PERIOD: "Period", ChartColumn.VALUE: "Value",
           ChartColumn.CENTRE: "Centre line", ChartColumn.LOWER: "Lower limit",
           ChartColumn.UPPER: "Upper limit", ChartColumn.CLASS: "Reading",
           ChartColumn.RULES: "Rules that flagged it"}
_NUMBER_COLUMNS = (ChartColumn.VALUE, ChartColumn.CENTRE, ChartColumn.LOWER, ChartColumn.UPPER)


class ChartTableModel(QAbstractTableModel):
    """Rows of a services.charts.MeasureChart; UserRole gives the point's period (a date)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chart = None

    def set_chart(self, chart) -> None:
        self.beginResetModel()
        self.chart = chart if chart is not None and chart.has_data else None
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        if parent.isValid() or self.chart is None:
            return 0
        return len(self.chart.periods)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(ChartColumn)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[ChartColumn(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.chart is None:
            return None
        row, column = index.row(), ChartColumn(index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self.chart.periods[row]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        return None

    def _text(self, row: int, column: ChartColumn) -> str:
        chart = self.chart
        result = chart.result
        if column == ChartColumn.PERIOD:
            return format_period(chart.periods[row], chart.measure.frequency)
        if column == ChartColumn.CLASS:
            return CLASS_TEXT.get(chart.classes.classes[row], "")
        if column == ChartColumn.RULES:
            return "; ".join(rule_names(chart.classes.rules_at(row)))
        array = {ChartColumn.VALUE: result.y, ChartColumn.CENTRE: result.cl,
                 ChartColumn.LOWER: result.lcl, ChartColumn.UPPER: result.ucl}[column]
        value = float(array[row])
        if np.isnan(value):
            return "missing" if column == ChartColumn.VALUE else ""
        return format_value(round(value, 2), is_percent(chart))
