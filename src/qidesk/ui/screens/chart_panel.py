"""A measure's chart with what it says and what the measure means, beside each other.

The panel draws a computed MeasureChart and never computes statistics itself. Changes
made from it (point menu, phases dialog, the rebase bar) are undo commands on
`undo_stack`; the measure screen redraws on every step of that stack.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Phase
from qidesk.domain.periods import format_date
from qidesk.reports import chart_image
from qidesk.reports.chart_text import CHART_NAMES, RULE_SET_NAMES, date_range, reading_guide
from qidesk.reports.mdc_icons import icon_text
from qidesk.services.charts import MeasureChart
from qidesk.services.workbook import Workbook
from qidesk.ui import palette
from qidesk.ui.charts.chart_commands import AddPhaseCommand
from qidesk.ui.charts.chart_header import ChartHeader
from qidesk.ui.charts.chart_table_model import ChartTableModel
from qidesk.ui.charts.control_chart import ControlChart
from qidesk.ui.charts.legend_strip import LegendStrip
from qidesk.ui.charts.point_menu import PointActions
from qidesk.ui.charts.rebase_bar import RebaseBar
from qidesk.ui.dialogs.phase_dialog import PhaseDialog
from qidesk.ui.dialogs.sign_off_dialog import last_sign_off_html

FINDING_COLOURS = {
    "improvement": palette.MDC_IMPROVEMENT, "concern": palette.MDC_CONCERN,
    "neutral": palette.MDC_NEUTRAL, "common_cause": palette.MDC_COMMON_CAUSE,
    "info": palette.NHS_MID_GREY,
}
EXPORT_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "pdf": "PDF (*.pdf)"}
EXPORTERS = {"png": chart_image.export_png, "svg": chart_image.export_svg,
             "pdf": chart_image.export_pdf}


def findings_html(chart: MeasureChart) -> str:
    """The findings as a short list, each with a coloured marker and its words."""
    items = []
    for finding in chart.findings:
        colour = FINDING_COLOURS.get(finding.direction, palette.NHS_MID_GREY)
        items.append(f'<p style="margin:0 0 6px 0"><span style="color:{colour}">■</span> '
                     f"{html.escape(finding.text)}</p>")
    rules = RULE_SET_NAMES.get(chart.rule_set, chart.rule_set)
    guide = html.escape(reading_guide(chart.has_limits))
    return (f"<p style='margin:0 0 8px 0'><b>What this chart says</b> "
            f"<span style='color:{palette.NHS_MID_GREY}'>· {html.escape(rules)}</span></p>"
            + "".join(items) + _markers_html(chart)
            + f"<p style='margin:8px 0 0 0; color:{palette.NHS_DARK_GREY}'>"
              f"<b>Reading the chart.</b> {guide}</p>")


def _markers_html(chart: MeasureChart) -> str:
    """The notes marked on the chart in words (a crowded chart shows only their letters)."""
    if not chart.markers:
        return ""
    rows = "".join(
        f"<li>{format_date(m.on_date)} · {html.escape(_marker_words(m.kind))}: "
        f"{html.escape(m.text)}</li>" for m in chart.markers)
    return f"<p style='margin:8px 0 0 0'><b>Marked on the chart</b></p><ul style='margin:0'>{rows}</ul>"


def _marker_words(kind: str) -> str:
    style = palette.MARKER_STYLES[kind]
    return f"{style.letter} {style.label}".strip()


def chart_summary(chart: MeasureChart) -> str:
    """One line a screen reader says for the chart itself (the table has the detail)."""
    parts = [f"{CHART_NAMES.get(chart.chart, chart.chart)} of {len(chart.periods)} points, "
             f"{date_range(chart.periods)}"]
    parts += [icon_text(n).split(" — ")[0] for n in (chart.variation, chart.assurance) if n]
    if chart.findings:
        parts.append(chart.findings[-1].text)
    return ". ".join(parts)


class ChartPanel(QWidget):
    """Draws a computed MeasureChart; it never computes statistics itself.

    `chart_type_requested(measure_id)`: the reader picked another chart type; the owner
    recomputes with `chart=chart_choice_for(measure_id)` and calls show_chart again.
    """

    chart_type_requested = Signal(int)
    pdsa_cycle_requested = Signal(int)

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.current: MeasureChart | None = None
        self.chart_choices: dict[int, str] = {}
        self.dismissed: set[tuple[int, date]] = set()
        self.header = ChartHeader()
        self.rebase_bar = RebaseBar()
        self.chart = ControlChart()
        self.chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.table_model = ChartTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Chart as a table")
        # The point menu from the keyboard too (Menu key or Shift+F10 on a row).
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Size columns from the first rows only: a 100,000-point chart stays quick to show.
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.views = QStackedWidget()
        self.views.addWidget(self.chart)
        self.views.addWidget(self.table)
        self.legend = LegendStrip()
        self.findings = _panel("What this chart says")
        self.about = _panel("About this measure")
        self.point_actions = PointActions(self, wb, undo_stack)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        words = QWidget()
        below = QHBoxLayout(words)
        below.setContentsMargins(0, 0, 4, 0)
        below.addWidget(self.findings, 3)
        below.addWidget(self.about, 2)
        # The words scroll, so a long list of findings never squeezes the chart.
        self.words = QScrollArea()
        self.words.setWidget(words)
        self.words.setWidgetResizable(True)
        self.words.setFrameShape(QFrame.Shape.NoFrame)
        self.words.setAccessibleName("What this chart says and about this measure")
        top = QWidget()
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.rebase_bar)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.legend)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.words)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)

    def _connect_signals(self) -> None:
        self.header.chart_type_requested.connect(self._on_header_chart_type_requested)
        self.header.phases_requested.connect(self._on_header_phases_requested)
        self.header.table_toggled.connect(self._on_header_table_toggled)
        self.header.export_requested.connect(self._on_header_export_requested)
        self.chart.point_clicked.connect(self._on_chart_point_clicked)
        self.chart.pdsa_cycle_clicked.connect(self.pdsa_cycle_requested)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.rebase_bar.start_requested.connect(self._on_rebase_bar_start_requested)
        self.rebase_bar.dismissed.connect(self._on_rebase_bar_dismissed)

    def chart_choice_for(self, measure_id: int | None) -> str | None:
        """The chart type picked on the panel for this measure (None: the measure's own)."""
        return self.chart_choices.get(measure_id)

    def show_chart(self, chart: MeasureChart) -> None:
        self.current = chart
        measure = chart.measure
        self.header.show_chart(chart)
        self.header.setEnabled(True)
        if chart.has_data:
            self.chart.show_chart(chart)
            self.findings.setText(findings_html(chart))
            self.chart.setAccessibleDescription(chart_summary(chart))
        else:
            self.chart.clear_chart()
            self.findings.setText("<b>What this chart says</b><p>No data yet: type the first "
                                  "period's figure to start the chart.</p>")
        self.table_model.set_chart(chart)
        self.legend.show_chart(chart)
        suggestion = chart.rebase
        if suggestion is not None and (measure.id, suggestion.date) in self.dismissed:
            suggestion = None
        self.rebase_bar.offer(suggestion)
        self.about.setText(
            "<b>About this measure</b>"
            f"<p>{html.escape(measure.definition or 'No operational definition written yet.')}</p>"
            f"<p style='color:{palette.NHS_DARK_GREY}'>Why this chart: {html.escape(chart.chart_reason)}</p>"
            + last_sign_off_html(self.wb, measure.id)  # the measure's review history
        )

    def clear_chart(self) -> None:
        """Nothing to show (the measure was deleted)."""
        self.current = None
        self.chart.clear_chart()
        self.table_model.set_chart(None)
        self.legend.show_chart(None)
        self.rebase_bar.offer(None)
        self.header.setEnabled(False)

    def _on_header_chart_type_requested(self, chart_type: str) -> None:
        if self.current is None:
            return
        self.chart_choices[self.current.measure.id] = chart_type
        self.chart_type_requested.emit(self.current.measure.id)

    def _on_header_phases_requested(self) -> None:
        if self.current is not None:
            dialog = PhaseDialog(self.wb, self.undo_stack, self.current.measure.id, self)
            dialog.exec()
            dialog.deleteLater()  # it listens to the undo stack while it lives

    def _on_header_table_toggled(self, on: bool) -> None:
        self.views.setCurrentWidget(self.table if on else self.chart)
        self.header.table.setText("Show as &chart" if on else "Show as &table")

    def _on_chart_point_clicked(self, index: int, where: QPoint) -> None:
        if self.current is not None:
            self.point_actions.menu(self.current, index).popup(where)

    def _on_table_context_menu_requested(self, where: QPoint) -> None:
        row = self.table.currentIndex().row()
        if self.current is not None and row >= 0:
            where = self.table.viewport().mapToGlobal(where)
            self.point_actions.menu(self.current, row).popup(where)

    def _on_rebase_bar_start_requested(self, suggestion) -> None:
        measure_id = self.current.measure.id
        phase = Phase(measure_id=measure_id, start_date=suggestion.date,
                      reason=suggestion.reason[:1000])
        self.point_actions.push(lambda ok: AddPhaseCommand(self.wb, phase, confirm_pid=ok))

    def _on_rebase_bar_dismissed(self) -> None:
        if self.current is not None and self.current.rebase is not None:
            self.dismissed.add((self.current.measure.id, self.current.rebase.date))

    def _on_header_export_requested(self, kind: str) -> None:
        if self.current is None or not self.current.has_data:
            return
        if kind == "clipboard":
            self.copy_chart()
            return
        name = f"{self.current.measure.name}.{kind}".replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(self, "Export chart", str(Path.home() / name),
                                              EXPORT_FILTERS[kind])
        if path:
            self.export_chart(kind, path)

    def export_chart(self, kind: str, path: str) -> Path | None:
        try:
            return EXPORTERS[kind](self.current, path)
        except OSError as exc:
            QMessageBox.warning(self, "Chart not saved", f"Could not save {path}: {exc}")
            return None

    def copy_chart(self) -> None:
        """Put the chart on the clipboard as an image (pastes into PowerPoint and Word)."""
        QGuiApplication.clipboard().setImage(chart_image.chart_image(self.current, dpi=192))


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
