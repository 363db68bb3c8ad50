"""The board report: a Making Data Count table of measures (latest value, target,
variation and assurance icons, the last sign-off's comment) as a vector PDF on A4
landscape pages, each repeating the header row, and as an Excel workbook.

Draws services.board_report_data rows; computes nothing.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPainter

from qidesk.domain.periods import format_date
from qidesk.reports import palette
from qidesk.reports.chart_text import format_value
from qidesk.reports.mdc_icons import paint_icon
from qidesk.reports.page_layout import draw_fitted, fit_text, font, text_height
from qidesk.reports.report_file import A4_LANDSCAPE, write_pdf

MARGIN = 36.0
ICON = 30.0
PAD = 5.0
ROW_MIN = ICON + 2 * PAD
COMMENT_MAX = 96.0  # a longer comment shrinks, then is shortened with "…"
HEADER = ("Measure", "Team / project", "Latest", "Target", "Variation", "Assurance", "Comment")
WIDTHS = (245, 165, 120, 75, 120, 115)  # the comment takes the rest of the page
# The icons' own letters, then their meaning: read the same on paper, screen and in Excel.
ICON_LABELS = {
    "common_cause": "C Common cause",
    "improvement_high": "H Improvement (high)", "improvement_low": "L Improvement (low)",
    "concern_high": "H! Concern (high)", "concern_low": "L! Concern (low)",
    "neutral_high": "H Neither (high)", "neutral_low": "L Neither (low)",
    "pass": "P Pass", "fail": "F Fail", "inconsistent": "? Inconsistent",
}
KEY = ("Variation: C common cause; H or L special cause, high or low (blue improvement, "
       "orange concern with !, purple neither). Assurance against the target: P pass "
       "(consistently met), F fail (not met without change), ? inconsistent (met some of "
       "the time). A blank icon: no data, no limits, or no target or direction.")


def icon_label(name: str | None) -> str:
    return ICON_LABELS.get(name, name) if name else "—"


def latest_text(row) -> str:
    if row.latest_value is None:
        return "No data yet"
    unit = "" if row.percent or not row.measure.unit else f" {row.measure.unit}"
    if unit == " %":
        unit = "%"
    value = format_value(row.latest_value, row.percent)
    # "1 patient", not "1 patients": units are written as plurals ("patients", "falls").
    if value == "1" and re.fullmatch(r" [a-z]+[^s]s", unit):
        unit = unit[:-1]
    return value + unit


def target_text(row) -> str:
    return "—" if row.target is None else format_value(row.target, row.percent)


@dataclass(frozen=True)
class _LaidOutRow:
    row: object
    cells: tuple  # FittedText per text column: measure, team/project, latest, target, comment
    kind: object  # FittedText: "Outcome measure", under the measure's name
    height: float


def _layout_row(row, comment_width: float) -> _LaidOutRow:
    where = f"{row.team_name}\n{row.project_title}"
    period = format_date(row.latest_period) if row.latest_period else ""
    latest = latest_text(row) + (f"\n{period}" if period else "")
    comment = row.comment or "Not signed off yet."
    if row.comment and row.signed_off_by:
        comment += f" — {row.signed_off_by}"
        if row.signed_off_at:
            comment += f", {format_date(row.signed_off_at.date())}"
    cells = (fit_text(row.measure.name, WIDTHS[0] - 2 * PAD, 64, 9, min_points=7.5, bold=True),
             fit_text(where, WIDTHS[1] - 2 * PAD, 80, 9, min_points=7.5),
             fit_text(latest, WIDTHS[2] - 2 * PAD, 60, 9),
             fit_text(target_text(row), WIDTHS[3] - 2 * PAD, 40, 9),
             fit_text(comment, comment_width - 2 * PAD, COMMENT_MAX, 9, min_points=7))
    kind = fit_text(f"{row.measure.kind.value.capitalize()} measure", WIDTHS[0] - 2 * PAD, 20, 8)
    height = max(ROW_MIN, cells[0].height + kind.height + 2 * PAD,
                 *(c.height + 2 * PAD for c in cells[1:]))
    return _LaidOutRow(row, cells, kind, height)


class BoardReport:
    """The table paged for A4 landscape; paint() draws it into a PDF or a printer."""

    page = A4_LANDSCAPE

    def __init__(self, rows, title: str, subtitle: str = ""):
        self.rows = list(rows)
        self.title = title
        self.subtitle = subtitle or (f"Making Data Count summary of {len(self.rows)} "
                                     f"measure{'s' if len(self.rows) != 1 else ''} · "
                                     f"produced {format_date(date.today())}")
        self.width = self.page.width() - 2 * MARGIN
        self.comment_width = self.width - sum(WIDTHS)
        self.laid_out = [_layout_row(r, self.comment_width) for r in self.rows]
        self.pages = self._paginate()

    def _paginate(self) -> list[list[_LaidOutRow]]:
        first_top, top = self._table_top(first=True), self._table_top(first=False)
        bottom = self.page.height() - MARGIN - self._key_height() - 24
        pages, current, y = [], [], first_top + self._header_height()
        for laid in self.laid_out:
            if current and y + laid.height > bottom:
                pages.append(current)
                current, y = [], top + self._header_height()
            current.append(laid)
            y += laid.height
        pages.append(current)
        return pages

    def row_boxes(self):
        """(page number, row, QRectF) of every row as painted: where to find it on the page."""
        for number, rows in enumerate(self.pages, start=1):
            y = self._table_top(first=number == 1) + self._header_height()
            for laid in rows:
                yield number, laid.row, QRectF(MARGIN, y, self.width, laid.height)
                y += laid.height

    def _table_top(self, *, first: bool) -> float:
        return MARGIN + (62 if first else 30)

    def _header_height(self) -> float:
        return text_height("Measure", 100, font(9, bold=True)) + 2 * PAD + 2

    def _key_height(self) -> float:
        return text_height(KEY, self.width, font(7.5))

    def paint(self, painter: QPainter, page: QSizeF, new_page) -> None:
        for number, rows in enumerate(self.pages, start=1):
            if number > 1:
                new_page()
            painter.fillRect(QRectF(0, 0, page.width(), page.height()), QColor(palette.NHS_WHITE))
            self._paint_title(painter, first=number == 1)
            y = self._paint_header_row(painter, self._table_top(first=number == 1))
            for k, laid in enumerate(rows):
                y = self._paint_row(painter, laid, y, shaded=k % 2 == 1)
            self._paint_footer(painter, number)

    def _paint_title(self, painter: QPainter, *, first: bool) -> None:
        if first:
            title = fit_text(self.title, self.width, 30, 16, min_points=12, bold=True)
            y = draw_fitted(painter, MARGIN, MARGIN, self.width, title, palette.NHS_DARK_BLUE)
            draw_fitted(painter, MARGIN, y + 2, self.width,
                        fit_text(self.subtitle, self.width, 20, 9.5))
        else:
            draw_fitted(painter, MARGIN, MARGIN, self.width,
                        fit_text(f"{self.title} (continued)", self.width, 20, 10, bold=True),
                        palette.NHS_DARK_BLUE)

    def _columns(self):
        x = MARGIN
        for width in (*WIDTHS, self.comment_width):
            yield x, width
            x += width

    def _paint_header_row(self, painter: QPainter, y: float) -> float:
        height = self._header_height()
        painter.fillRect(QRectF(MARGIN, y, self.width, height), QColor(palette.NHS_DARK_BLUE))
        painter.save()
        painter.setFont(font(9, bold=True))
        painter.setPen(QColor(palette.NHS_WHITE))
        for (x, width), label in zip(self._columns(), HEADER):
            painter.drawText(QRectF(x + PAD, y, width - 2 * PAD, height),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.restore()
        return y + height

    def _paint_row(self, painter: QPainter, laid: _LaidOutRow, y: float, *, shaded: bool) -> float:
        if shaded:
            painter.fillRect(QRectF(MARGIN, y, self.width, laid.height),
                             QColor(palette.NHS_PALE_GREY))
        columns = list(self._columns())
        measure, where, latest, target, comment = laid.cells
        for (x, width), cell in zip([*columns[:4], columns[6]], laid.cells):
            colour = palette.NHS_DARK_BLUE if cell is measure else palette.NHS_DARK_GREY
            below = draw_fitted(painter, x + PAD, y + PAD, width - 2 * PAD, cell, colour)
            if cell is measure:
                draw_fitted(painter, x + PAD, below, width - 2 * PAD, laid.kind)
        for (x, width), name in ((columns[4], laid.row.variation), (columns[5], laid.row.assurance)):
            self._paint_icon_cell(painter, x, y, width, name)
        painter.save()
        painter.setPen(QColor(palette.NHS_MID_GREY))
        painter.drawLine(MARGIN, y + laid.height, MARGIN + self.width, y + laid.height)
        painter.restore()
        return y + laid.height

    def _paint_icon_cell(self, painter: QPainter, x: float, y: float, width: float,
                         name: str | None) -> None:
        words = icon_label(name)
        if name:
            paint_icon(painter, QRectF(x + PAD, y + PAD, ICON, ICON), name)
            words = words.split(" ", 1)[1]  # the icon already shows the letter
        text_x = x + PAD + (ICON + 4 if name else 0)
        fitted = fit_text(words, x + width - PAD - text_x, ICON + 6, 8.5, min_points=7)
        draw_fitted(painter, text_x, y + PAD + max(0.0, (ICON - fitted.height) / 2),
                    x + width - PAD - text_x, fitted)

    def _paint_footer(self, painter: QPainter, number: int) -> None:
        key = fit_text(KEY, self.width, self._key_height() + 1, 7.5)
        bottom = self.page.height() - MARGIN
        draw_fitted(painter, MARGIN, bottom - key.height - 16, self.width, key)
        painter.save()
        painter.setFont(font(8))
        painter.setPen(QColor(palette.NHS_MID_GREY))
        painter.drawText(QRectF(MARGIN, bottom - 14, self.width, 14),
                         Qt.AlignmentFlag.AlignRight,
                         f"Page {number} of {len(self.pages)}")
        painter.drawText(QRectF(MARGIN, bottom - 14, self.width, 14),
                         Qt.AlignmentFlag.AlignLeft, "QIDesk board report")
        painter.restore()


def export_board_pdf(rows, path: str | Path, title: str) -> Path:
    report = BoardReport(rows, title)
    return write_pdf(path, report.page, report.paint, title=title)
