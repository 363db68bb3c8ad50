"""The Reports menu: board reports (PDF, Excel), the project report (A4) and poster (A3),
and printing of the chart on show, a project report or a board, through the system's
print dialog. Project rows of the navigator offer the project's reports too.

Reports only read, so they are offered on read-only workbooks as well. The steps that
ask the reader something (file name, measures, printer) are attributes a test can
replace: `choose_save_path`, `choose_measures`, `print_dialog`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qidesk.ui.actions import menu_action
from qidesk.ui.models.navigator_model import NavigatorRole
from qidesk.ui.workbook_files import busy

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

PDF_FILTER = "PDF documents (*.pdf)"
XLSX_FILTER = "Excel workbooks (*.xlsx)"
_UNSAFE = re.compile(r'[\\/:*?"<>|]+')
# Rows that belong to one project: the project's reports are offered on them.
PROJECT_ROWS = {"project", "measure", "driver_diagram", "pdsa_cycles", "change_idea", "pdsa_cycle"}


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def file_name(*parts: str, suffix: str) -> str:
    """'Reducing inpatient falls - project report 2026-11-27.pdf': safe on Windows."""
    name = " - ".join(p for p in parts if p) + f" {date.today():%Y-%m-%d}"
    return _UNSAFE.sub("-", name).strip() + suffix


def ask_save_path(parent, caption: str, proposed: Path, file_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, str(proposed), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == proposed.suffix else path.with_name(path.name + proposed.suffix)


def ask_printer(printer, parent) -> bool:
    from PySide6.QtPrintSupport import QPrintDialog

    return QPrintDialog(printer, parent).exec() == QPrintDialog.DialogCode.Accepted


def ask_measures(parent, rows, ticked: set[int] | None) -> list[int] | None:
    from qidesk.ui.board_choice_dialog import BoardChoiceDialog

    dialog = BoardChoiceDialog(rows, ticked, parent)
    try:
        return dialog.chosen_ids() if dialog.exec() else None
    finally:
        dialog.deleteLater()


def print_pages(parent, title: str, page, paint, print_dialog=ask_printer) -> bool:
    """Print a report laid out on `page` (logical pixels) after the print dialog; False if
    the reader cancelled. Orientation and paper size follow the report."""
    from PySide6.QtPrintSupport import QPrinter

    from qidesk.reports.report_file import paint_pages, pdf_layout

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    wanted = pdf_layout(page)
    printer.setPageSize(QPageSize(wanted.pageSize().id()))
    printer.setPageOrientation(wanted.orientation())
    if not print_dialog(printer, parent):
        return False
    paint_pages(printer, page, paint)
    return True


class ReportActions(QObject):
    """Reports menu and project-row actions for the controller's open workbook."""

    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.choose_save_path = ask_save_path
        self.choose_measures = ask_measures
        self.print_dialog = ask_printer
        self.message_box: QMessageBox | None = None
        self.board_pdf = menu_action(self, "&Board report (PDF)…", "Making Data Count table of "
                                     "the measures you choose, for a board paper")
        self.board_xlsx = menu_action(self, "Board report (&Excel)…", "The board report as an "
                                      "Excel workbook")
        self.project_a4 = menu_action(self, "&Project report (A4 PDF)…", "One page on the chosen "
                                      "project: aim, driver diagram, key charts, PDSA log")
        self.project_a3 = menu_action(self, "Project &poster (A3 PDF)…", "The chosen project as "
                                      "an A3 poster")
        self.print_chart = menu_action(self, "Print &chart…", "Print the chart on show")
        self.print_project = menu_action(self, "Print project &report…", "Print the chosen "
                                         "project's one-page report")
        self.print_board = menu_action(self, "Print b&oard report…", "Print the board report")
        menu = self.window.menu("&Reports")
        menu.addActions([self.board_pdf, self.board_xlsx, self.project_a4, self.project_a3])
        menu.addSeparator()
        menu.addActions([self.print_chart, self.print_project, self.print_board])
        self._connect_signals()
        self.update_actions()

    def _connect_signals(self) -> None:
        self.board_pdf.triggered.connect(lambda: self.board_report("pdf"))
        self.board_xlsx.triggered.connect(lambda: self.board_report("xlsx"))
        self.project_a4.triggered.connect(lambda: self.project_report("a4"))
        self.project_a3.triggered.connect(lambda: self.project_report("a3"))
        self.print_chart.triggered.connect(self.print_current_chart)
        self.print_project.triggered.connect(lambda: self.project_report("print"))
        self.print_board.triggered.connect(lambda: self.board_report("print"))
        self.c.workbook_opened.connect(self._on_controller_workbook_opened)
        self.c.workbook_closed.connect(self.update_actions)

    def _on_controller_workbook_opened(self, _wb) -> None:
        screen = self.c.screen
        screen.row_actions += [
            ("Project report (A4 PDF)…", {"project"},
             lambda _k, entity: self.project_report("a4", entity.id), True),
            ("Project poster (A3 PDF)…", {"project"},
             lambda _k, entity: self.project_report("a3", entity.id), True),
            ("Print project report…", {"project"},
             lambda _k, entity: self.project_report("print", entity.id), True),
        ]
        screen.navigator.selectionModel().currentChanged.connect(self.update_actions)
        screen.measure_shown.connect(self.update_actions)
        self.update_actions()

    def update_actions(self, *_args) -> None:
        opened = self.c.wb is not None and self.c.screen is not None
        for action in (self.board_pdf, self.board_xlsx, self.print_board):
            action.setEnabled(opened)
        has_project = opened and self.current_project_id() is not None
        for action in (self.project_a4, self.project_a3, self.print_project):
            action.setEnabled(has_project)
        self.print_chart.setEnabled(opened and self.current_chart() is not None)

    def current_project_id(self) -> int | None:
        """The project of the navigator's current row (or of the row above it)."""
        return self.c.screen.current_id_of("project") if self.c.screen is not None else None

    def current_chart(self):
        screen = self.c.screen
        if screen is None or screen.current_page() is not screen.measure_screen:
            return None
        chart = screen.measure_screen.current_chart
        return chart if chart is not None and chart.has_data else None

    # Board

    def board_report(self, output: str) -> Path | bool | None:
        """Ask for the measures, then write the board as "pdf" or "xlsx", or "print" it."""
        from qidesk.services.reviews import review_board

        if self.c.wb is None:
            return None
        board = review_board(self.c.wb)
        if not board:
            self._warn("No board report", "This workbook has no measures yet.")
            return None
        chosen = self.choose_measures(self.window, board, self._ticked(board))
        if not chosen:
            return None
        from qidesk.services.board_report_data import board_report_rows

        with busy(self.window, "Making the board report…"):
            rows = board_report_rows(self.c.wb, chosen)
        teams = ", ".join(dict.fromkeys(r.team_name for r in rows))
        title = f"Board report: {teams}"
        if output == "print":
            from qidesk.reports.board_report import BoardReport

            report = BoardReport(rows, title)
            return self._print(title, report.page, report.paint)
        suffix, file_filter = (".pdf", PDF_FILTER) if output == "pdf" else (".xlsx", XLSX_FILTER)
        path = self.choose_save_path(self.window, "Save the board report",
                                     documents_folder() / file_name("Board report", teams,
                                                                    suffix=suffix), file_filter)
        if path is None:
            return None
        if output == "pdf":
            from qidesk.reports.board_report import export_board_pdf as export
        else:
            from qidesk.reports.board_workbook import export_board_xlsx as export
        return self._save(path, lambda: export(rows, path, title))

    def _ticked(self, board) -> set[int] | None:
        """Measures of the project (or team) the reader is on; None: all of them."""
        project_id = self.current_project_id()
        if project_id is not None:
            return {r.measure.id for r in board if r.measure.project_id == project_id}
        index = self.c.screen.navigator.currentIndex()
        if index.isValid() and index.data(NavigatorRole.KIND) == "team":
            team = index.data(NavigatorRole.ENTITY).name
            return {r.measure.id for r in board if r.team_name == team}
        return None

    # Project

    def project_report(self, output: str, project_id: int | None = None) -> Path | bool | None:
        """The project's report as "a4" or "a3" PDF, or "print" the A4 page."""
        project_id = project_id or self.current_project_id()
        if self.c.wb is None or project_id is None:
            return None
        from qidesk.reports.project_report import ProjectReport, export_project_pdf
        from qidesk.services.project_report_data import project_report_data

        with busy(self.window, "Reading the project…"):
            data = project_report_data(self.c.wb, project_id, rule_set=self.c.screen.rule_set)
        if output == "print":
            report = ProjectReport(data, "a4")
            return self._print(report.title, report.page, report.paint)
        kind = "project poster A3" if output == "a3" else "project report"
        path = self.choose_save_path(self.window, f"Save the {kind}", documents_folder()
                                     / file_name(data.project.title, kind, suffix=".pdf"),
                                     PDF_FILTER)
        if path is None:
            return None
        return self._save(path, lambda: export_project_pdf(data, path, output))

    # Chart

    def print_current_chart(self) -> bool | None:
        chart = self.current_chart()
        if chart is None:
            return None
        from qidesk.reports.chart_image import PAGE, ChartFigure

        def paint(painter, page, _new_page):
            ChartFigure(chart, page).paint(painter)

        return self._print(chart.measure.name, PAGE, paint)

    # Shared steps

    def _print(self, title: str, page, paint) -> bool:
        from qidesk.reports.report_file import ReportNotSaved

        try:
            printed = print_pages(self.window, title, page, paint, self.print_dialog)
        except ReportNotSaved as exc:
            self._warn("Not printed", exc.message)
            return False
        if printed:
            self.window.statusBar().showMessage(f"Sent to the printer: {title}", 10_000)
        return printed

    def _save(self, path: Path, write) -> Path | None:
        from qidesk.reports.report_file import ReportNotSaved

        try:
            with busy(self.window, f"Saving {path.name}…"):
                write()
        except ReportNotSaved as exc:
            self._warn("Report not saved", exc.message)
            return None
        self.window.statusBar().showMessage(f"Saved {path}", 15_000)
        return path

    def _warn(self, title: str, message: str) -> None:
        """A message the reader closes; shown without blocking (tests read it back)."""
        self.message_box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                                       QMessageBox.StandardButton.Ok, self.window)
        self.message_box.open()
