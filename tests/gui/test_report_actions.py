"""Reports menu and project-row actions: board reports for the measures ticked, project
report and poster, and printing through the print path to a PDF printer."""

from __future__ import annotations

import subprocess
from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from qidesk.ui.board_choice_dialog import BoardChoiceDialog
from qidesk.ui.models.navigator_model import NavigatorRole
from qidesk.ui.report_actions import ReportActions

MENU = ["&Board report (PDF)…", "Board report (&Excel)…", "&Project report (A4 PDF)…",
        "Project &poster (A3 PDF)…", "", "Print &chart…", "Print project &report…",
        "Print b&oard report…"]


@pytest.fixture
def reports(controller, demo_copy, tmp_path) -> ReportActions:
    assert controller.open(demo_copy, signed_in_as="Lisa Duffy")
    group = next(g for g in controller.action_groups if isinstance(g, ReportActions))
    group.proposed = []

    def save_to(_parent, _caption, proposed, _filter):
        group.proposed.append(proposed)
        return tmp_path / proposed.name

    group.choose_save_path = save_to
    return group


def to_pdf_printer(path):
    """The print dialog's part: pick a PDF 'printer' writing to `path`."""
    def choose(printer: QPrinter, _parent) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return True
    return choose


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.replace("ﬁ", "fi").replace("ﬀ", "ff").split())


def page_count(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def not_blank(path, tmp_path) -> bool:
    from PySide6.QtGui import QImage

    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(path),
                    str(tmp_path / "shown")], check=True)
    image = QImage(str(next(tmp_path.glob("shown*.png"))))
    dark = sum(image.pixelColor(x, y).lightness() < 200
               for y in range(0, image.height(), 4) for x in range(0, image.width(), 4))
    return dark > 50


def reports_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Reports")


def menu_action(window, text):
    return next(a for a in reports_menu(window).actions() if a.text() == text)


def select(controller, kind, predicate):
    model = controller.screen.model
    matches = model.match(model.index(0, 0), NavigatorRole.KIND, kind, -1,
                          Qt.MatchFlag.MatchRecursive)
    index = next(i for i in matches if predicate(i.data(NavigatorRole.ENTITY)))
    controller.screen.navigator.setCurrentIndex(index)
    return index


def test_reports_menu_offers_every_report_and_print(window, reports):
    assert [a.text() for a in reports_menu(window).actions()] == MENU
    assert all(a.isEnabled() for a in reports_menu(window).actions() if a.text())


def test_print_chart_sends_the_chart_on_show_to_the_printer(qtbot, window, controller, reports,
                                                           tmp_path):
    measure = select(controller, "measure", lambda m: m.name == "Falls per week").data(
        NavigatorRole.ENTITY)
    qtbot.waitUntil(lambda: controller.screen.measure_screen.measure_id == measure.id)
    printed = tmp_path / "printed-chart.pdf"
    reports.print_dialog = to_pdf_printer(printed)
    action = menu_action(window, "Print &chart…")
    assert action.isEnabled()
    action.trigger()
    assert printed.exists() and page_count(printed) == 1
    assert "Falls per week" in pdf_text(printed)
    assert not_blank(printed, tmp_path)
    assert "Sent to the printer" in window.statusBar().currentMessage()


def test_reports_wait_for_an_open_workbook(window, controller, reports):
    controller.close()
    assert not any(a.isEnabled() for a in reports_menu(window).actions() if a.text())


def _tick_two_then_make(qtbot, names: list[str]):
    """In the open dialog: Tick none, tick two measures with the keyboard, Make report."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, BoardChoiceDialog)
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    assert dialog.count.text().startswith("0 of 14")
    for item in dialog.measure_items[:2]:
        dialog.tree.setCurrentIndex(item.index())
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Space)
        names.append(item.text())
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_board_pdf_has_only_the_measures_ticked(qtbot, window, reports, tmp_path):
    names: list[str] = []
    QTimer.singleShot(0, lambda: _tick_two_then_make(qtbot, names))
    menu_action(window, "&Board report (PDF)…").trigger()
    (proposed,) = reports.proposed
    assert proposed.name == f"Board report - Ward 7 — Elderly Care {date.today():%Y-%m-%d}.pdf"
    text = pdf_text(tmp_path / proposed.name)
    assert len(names) == 2 and all(n in text for n in names)
    assert "Call bell response time" not in text
    assert "Saved" in window.statusBar().currentMessage()


def test_board_excel_from_a_project_row_ticks_that_projects_measures(qtbot, window, controller,
                                                                     reports, tmp_path):
    project = select(controller, "project", lambda p: p.title == "NEWS2 observations on time")
    chosen = {}

    def accept_as_ticked(parent, rows, ticked):
        dialog = BoardChoiceDialog(rows, ticked, parent)
        chosen["ids"] = dialog.chosen_ids()
        chosen["label"] = dialog.count.text()
        return dialog.chosen_ids()

    reports.choose_measures = accept_as_ticked
    menu_action(window, "Board report (&Excel)…").trigger()
    assert chosen["label"] == "4 of 14 measures ticked"
    sheet = openpyxl.load_workbook(tmp_path / reports.proposed[0].name).active
    projects = {row[1].value for row in sheet.iter_rows(min_row=4)}
    assert projects == {project.data(NavigatorRole.ENTITY).title}
    assert sheet.max_row == 3 + 4


def test_project_row_actions_save_the_report_and_poster(qtbot, controller, reports, tmp_path):
    index = select(controller, "project", lambda p: p.title == "Reducing inpatient falls")
    menu = controller.screen.context_menu_for(index)
    labels = [a.text() for a in menu.actions()]
    assert {"Project report (A4 PDF)…", "Project poster (A3 PDF)…",
            "Print project report…"} <= set(labels)
    next(a for a in menu.actions() if a.text() == "Project report (A4 PDF)…").trigger()
    next(a for a in menu.actions() if a.text() == "Project poster (A3 PDF)…").trigger()
    report, poster = reports.proposed
    assert report.name.startswith("Reducing inpatient falls - project report ")
    assert poster.name.startswith("Reducing inpatient falls - project poster A3 ")
    for proposed in (report, poster):
        path = tmp_path / proposed.name
        assert page_count(path) == 1
        assert "Reduce inpatient falls on Ward 7" in pdf_text(path)


def test_print_project_report_prints_one_page(window, controller, reports, tmp_path):
    select(controller, "project", lambda p: p.title == "Discharges before noon")
    printed = tmp_path / "printed-report.pdf"
    reports.print_dialog = to_pdf_printer(printed)
    menu_action(window, "Print project &report…").trigger()
    assert page_count(printed) == 1
    assert "Increase discharges before 12:00" in pdf_text(printed)
    assert not_blank(printed, tmp_path)


def test_a_report_that_cannot_be_saved_says_what_to_do(window, controller, reports, tmp_path):
    select(controller, "project", lambda p: True)
    reports.choose_save_path = lambda *_a: tmp_path / "no such folder" / "report.pdf"
    assert menu_action(window, "&Project report (A4 PDF)…").trigger() is None
    box = reports.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "Report not saved" and "Choose a folder" in box.text()
    assert not (tmp_path / "no such folder").exists()


def test_a_read_only_workbook_still_makes_reports(window, controller, demo_copy, tmp_path):
    """A matron reading a ward's workbook can still take its reports to the board."""
    from qidesk.services.workbook import open_workbook

    controller.show_workbook(open_workbook(demo_copy, "Matron Okafor", read_only=True,
                                           backup_folder=tmp_path / "b"))
    assert controller.wb.read_only
    group = next(g for g in controller.action_groups if isinstance(g, ReportActions))
    group.choose_save_path = lambda _p, _c, proposed, _f: tmp_path / proposed.name
    select(controller, "project", lambda p: p.title == "NEWS2 observations on time")
    action = menu_action(window, "Project &poster (A3 PDF)…")
    assert action.isEnabled()
    action.trigger()
    (poster,) = tmp_path.glob("NEWS2 observations on time - project poster A3 *.pdf")
    assert page_count(poster) == 1
    assert "Increase NEWS2 observation sets done on time" in pdf_text(poster)
