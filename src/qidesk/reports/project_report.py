"""The project report: one A4 page for a meeting, or an A3 poster, as a vector PDF (or
printed). Aim, problem, team and progress score; the driver diagram; key charts with
their annotations and findings (outcome measures first, then process, then balancing);
the PDSA log with its decisions; findings and learning.

Always exactly one page: text shrinks or is shortened, and charts or PDSA cycles that
do not fit are left out, each with a note at the foot of the page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPainter

from qidesk.domain.periods import format_date
from qidesk.reports import palette
from qidesk.reports.chart_tile import ChartTile, key_height, paint_key, shared_key
from qidesk.reports.page_layout import font, section_title
from qidesk.reports.project_sections import (
    Sheet,
    diagram_share,
    findings_text,
    paint_driver_diagram,
    paint_pdsa_log,
    paint_text_box,
    paint_title_band,
    pdsa_log_height,
    team_text,
    text_box_height,
)
from qidesk.reports.report_file import A3_LANDSCAPE, A4_PORTRAIT, write_pdf

GAP = 10.0
FOOTER = 48.0  # notes on what was left out, then the produced-by line
KEY_PAD = 8.0
# A3: the driver diagram takes at most the first of these shares of the right-hand column
# at which it reads (see diagram_share).
A3_DIAGRAM_SHARES = (0.45, 0.6)
A3_TEXT_GROWTH = (1.3, 1.2, 1.1)  # tried in turn while the poster's left column has room
# A4: the driver diagram takes at most a share of the page below the aim (the first of
# these at which it reads), the PDSA log at least A4_MIN_LOG pixels (a heading and two
# cycles) and at most its share of what the diagram leaves; the key charts have the rest.
A4_DIAGRAM_SHARES = (0.38, 0.5)
A4_MIN_LOG = 110.0
A4_MAX_LOG_SHARE = 0.25


class ProjectReport:
    """One project on one page; `layout` "a4" (portrait page) or "a3" (landscape poster)."""

    def __init__(self, data, layout: str = "a4"):
        if layout not in ("a4", "a3"):
            raise ValueError(f"layout must be 'a4' or 'a3', not {layout!r}")
        self.data = data
        self.layout = layout
        self.page = A4_PORTRAIT if layout == "a4" else A3_LANDSCAPE
        self.margin = 28.0 if layout == "a4" else 36.0
        self.points = 8.5 if layout == "a4" else 11.0
        self.chart_grid = (2, 2) if layout == "a4" else (3, 2)
        self.plot_scale = 0.75 if layout == "a4" else 0.9
        self.notes: list[str] = []

    @property
    def title(self) -> str:
        return f"{self.data.project.title} — project {'poster' if self.layout == 'a3' else 'report'}"

    def paint(self, painter: QPainter, page: QSizeF, _new_page=None) -> None:
        painter.fillRect(QRectF(0, 0, page.width(), page.height()), QColor(palette.NHS_WHITE))
        sheet = Sheet(painter, self.points)
        if self.layout == "a4":
            self._paint_a4(sheet)
        else:
            self._paint_a3(sheet)
        self._paint_footer(sheet)
        self.notes = list(sheet.notes)

    def _paint_a4(self, sheet: Sheet) -> None:
        m, width, data = self.margin, self.page.width() - 2 * self.margin, self.data
        y = paint_title_band(sheet, QRectF(m, m, width, 72), data, band=False) + 6
        half = (width - GAP) / 2
        used = max(paint_text_box(sheet, QRectF(m, y, half, 96), "Aim", data.aim_text),
                   paint_text_box(sheet, QRectF(m + half + GAP, y, half, 96), "Problem",
                                  data.project.problem))
        y = sheet.text(f"Team: {team_text(data)}", m, y + used + 6, width, 30, scale=0.9) + 8
        bottom = self.page.height() - m - FOOTER
        room = bottom - y
        # The diagram as large as reads well, up to a share of the page; what it leaves
        # goes to the charts, after the PDSA log and findings have their minimum.
        share = diagram_share(data, width, room, A4_DIAGRAM_SHARES)
        y = paint_driver_diagram(sheet, QRectF(m, y, width, room * share), data) + GAP
        log_width = width * 0.6
        findings = findings_text(data)
        wanted = max(pdsa_log_height(sheet, log_width, data.cycles),
                     text_box_height(sheet, width - log_width - GAP, "Findings and learning",
                                     findings, scale=0.9))
        log_height = max(A4_MIN_LOG, min(wanted, (bottom - y) * A4_MAX_LOG_SHARE))
        y = self._paint_charts(sheet, QRectF(m, y, width, bottom - y - log_height - GAP)) + GAP
        paint_pdsa_log(sheet, QRectF(m, y, log_width, bottom - y), data.cycles)
        self._paint_findings(sheet, QRectF(m + log_width + GAP, y, width - log_width - GAP,
                                           bottom - y))

    def _paint_a3(self, sheet: Sheet) -> None:
        m, data = self.margin, self.data
        band = paint_title_band(sheet, QRectF(0, 0, self.page.width(), 110), data, band=True)
        top, bottom = band + 20, self.page.height() - m - FOOTER
        left = QRectF(m, top, 470, bottom - top)
        right_x = left.right() + 24
        right = QRectF(right_x, top, self.page.width() - m - right_x, bottom - top)
        # A short story is told in larger words rather than over an empty column.
        grow = next((g for g in A3_TEXT_GROWTH if self._left_height(sheet, left.width(), g)
                     <= left.height()), 1.0)
        sheet.points = self.points * grow
        y = top
        for title, text, cap, scale in self._left_boxes():
            y += paint_text_box(sheet, QRectF(m, y, left.width(), cap * grow), title, text,
                                scale=scale) + GAP
        paint_pdsa_log(sheet, QRectF(m, y, left.width(), bottom - y), data.cycles)
        sheet.points = self.points
        share = diagram_share(data, right.width(), right.height(), A3_DIAGRAM_SHARES)
        y = paint_driver_diagram(sheet, QRectF(right.left(), top, right.width(),
                                               right.height() * share), data) + GAP
        self._paint_charts(sheet, QRectF(right.left(), y, right.width(), bottom - y))

    def _left_boxes(self):
        """(title, text, most height, text scale) of the poster's left-hand boxes."""
        data = self.data
        return (("Aim", data.aim_text, 140, 1.1), ("Problem", data.project.problem, 120, 1.0),
                ("Team", team_text(data), 90, 1.0),
                ("Findings and learning", findings_text(data), 200, 0.9))

    def _left_height(self, sheet: Sheet, width: float, grow: float) -> float:
        """Height the poster's left column needs with its words `grow` times larger."""
        sheet.points = self.points * grow
        try:
            boxes = sum(min(text_box_height(sheet, width, title, text, scale=scale), cap * grow)
                        + GAP for title, text, cap, scale in self._left_boxes())
            return boxes + pdsa_log_height(sheet, width, self.data.cycles)
        finally:
            sheet.points = self.points

    def _paint_charts(self, sheet: Sheet, rect: QRectF) -> float:
        """Key charts in a grid, outcome first, and their shared key (in the grid's empty
        cell when there is one, else below it); returns the y below them."""
        y = section_title(sheet.painter, "Key measures", rect.left(), rect.top(), rect.width())
        charts, bottom = self.data.charts, rect.bottom()
        if not charts:
            sheet.text("No measures yet: add an outcome, a process and a balancing measure.",
                       rect.left(), y, rect.width(), 40)
            return y + 40
        columns, rows = self.chart_grid
        shown = charts[: columns * rows]
        # Fewer, wider columns when they hold every chart: no row of empty cells.
        while columns > 1 and len(shown) <= (columns - 1) * rows:
            columns -= 1
        rows = -(-len(shown) // columns)
        entries = shared_key(shown)
        key_points = self.points * 0.8
        width = (rect.width() - GAP * (columns - 1)) / columns
        height = (rect.bottom() - y - GAP * (rows - 1)) / rows
        key_cell = QRectF(rect.left() + (columns - 1) * (width + GAP),
                          y + (rows - 1) * (height + GAP), width, height)
        in_cell = len(shown) < rows * columns and \
            key_height(entries, key_points, width - 2 * KEY_PAD) <= height - 2 * KEY_PAD
        if in_cell:
            used = key_height(entries, key_points, width - 2 * KEY_PAD)
            paint_key(sheet.painter, QRectF(key_cell.left() + KEY_PAD,
                                            key_cell.center().y() - used / 2,
                                            width - 2 * KEY_PAD, used), entries, key_points)
        else:
            used = key_height(entries, key_points, rect.width())
            paint_key(sheet.painter, QRectF(rect.left(), rect.bottom() - used, rect.width(),
                                            used), entries, key_points)
            height = (rect.bottom() - used - 4 - y - GAP * (rows - 1)) / rows
        for k, chart in enumerate(shown):
            tile = ChartTile(chart, points=self.points, plot_scale=self.plot_scale)
            column, row = k % columns, k // columns
            tile.paint(sheet.painter, QRectF(rect.left() + column * (width + GAP),
                                             y + row * (height + GAP), width, height))
            sheet.shortened |= tile.shortened
        if len(charts) > len(shown):
            names = [c.measure.name for c in charts[len(shown):]]
            count = len(names)
            # A few names, so the note itself fits the foot of the page.
            left_out = ", ".join(names[:3]) + (f" and {count - 3} more" if count > 3 else "")
            sheet.note(f"{count} more measure{'s' if count != 1 else ''} not shown ({left_out}).")
        return bottom

    def _paint_findings(self, sheet: Sheet, rect: QRectF) -> float:
        return paint_text_box(sheet, rect, "Findings and learning", findings_text(self.data),
                              scale=0.9)

    def _paint_footer(self, sheet: Sheet) -> None:
        notes = list(sheet.notes)
        if sheet.shortened:
            notes.append("Text ending in … was shortened to fit: the full text is in QIDesk.")
        footer = (f"QIDesk · {self.data.team_name} · produced {format_date(date.today())}")
        bottom = self.page.height() - self.margin
        width = self.page.width() - 2 * self.margin
        painter = sheet.painter
        if notes:
            sheet.text(" ".join(notes), self.margin, bottom - FOOTER + 4, width,
                       FOOTER - 17, scale=0.8, colour=palette.NHS_DARK_GREY, shrink_to=0.8)
        painter.save()
        painter.setFont(font(self.points * 0.8))
        painter.setPen(QColor(palette.NHS_MID_GREY))
        painter.drawText(QRectF(self.margin, bottom - 12, width, 12),
                         Qt.AlignmentFlag.AlignRight, footer)
        painter.restore()
        sheet.notes = notes


def export_project_pdf(data, path: str | Path, layout: str = "a4") -> Path:
    """The report (`layout` "a4") or poster ("a3") of one project, as a one-page PDF."""
    report = ProjectReport(data, layout)
    return write_pdf(path, report.page, report.paint, title=report.title)
