"""The PDSA timeline page: one row per change idea, each cycle a bar on a date axis, nothing
drawn over anything else at 15 ideas and 40 cycles, and a click opens what was clicked.
Also the PDSA menu's worksheet export and the timeline export on the navigator rows."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPen, QUndoStack
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from qidesk.domain.entities import PdsaCycle, Team
from qidesk.reports.pdsa_timeline import cycle_span
from qidesk.services import drivers, pdsa, projects, teams
from qidesk.services.workbook import open_workbook
from qidesk.settings import Settings
from qidesk.ui.main_window import MainWindow
from qidesk.ui.models.navigator_model import NavigatorRole
from qidesk.ui.screens.pages import page_class
from qidesk.ui.screens.pdsa_timeline_screen import PdsaTimelineScreen
from qidesk.ui.workbook_controller import WorkbookController

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from timeline_screenshots import add_busy_project  # noqa: E402 - the screenshot's own data

TODAY = date(2026, 11, 27)


def _falls_project(wb):
    return next(p for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                if "falls" in p.title.lower())


@pytest.fixture
def demo_wb(demo_copy):
    wb = open_workbook(demo_copy, "Staff Nurse Patel")
    yield wb
    wb.close()


def _page(qtbot, wb, project, width=1100, height=700) -> PdsaTimelineScreen:
    page = PdsaTimelineScreen(wb, QUndoStack())
    qtbot.addWidget(page)
    page.today = TODAY
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    page.show_record("pdsa_cycles", project)
    page.redraw()  # at the page's real width, without waiting for the resize timer
    return page


def test_rows_and_bars_match_the_workbooks_cycles(qtbot, demo_wb):
    project = _falls_project(demo_wb)
    page = _page(qtbot, demo_wb, project)
    scene = page.scene
    ideas = drivers.change_ideas(demo_wb, project.id)

    # One row per change idea, top to bottom in the driver diagram's order.
    tops = [scene.row_labels[idea.id].sceneBoundingRect().top() for idea in ideas]
    assert list(scene.row_labels) == [idea.id for idea in ideas]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    cycles = [c for idea in ideas for c in pdsa.list_cycles(demo_wb, idea.id)]
    assert sorted(scene.bars) == sorted(c.id for c in cycles) and len(cycles) >= 6
    for idea, top, bottom in zip(ideas, tops, tops[1:] + [scene.rows_bottom], strict=True):
        for cycle in pdsa.list_cycles(demo_wb, idea.id):
            bar = scene.bars[cycle.id].sceneBoundingRect()
            span = cycle_span(cycle, TODAY)
            # Dates to x: the bar runs from its first day to the end of its last day.
            assert bar.left() == pytest.approx(scene.x_of(span.start), abs=1.5)
            assert bar.right() == pytest.approx(scene.x_of(span.end) + scene.px_per_day,
                                                abs=1.5)
            assert top - 8 <= bar.top() and bar.bottom() <= bottom  # in its own row
    later = [c for c in cycles if c.change_idea_id == ideas[0].id]
    assert [scene.bars[c.id].sceneBoundingRect().left() for c in later] == sorted(
        scene.bars[c.id].sceneBoundingRect().left() for c in later)
    assert "cycles testing" in page.summary.text()
    assert scene.x_of(TODAY) > max(b.sceneBoundingRect().left() for b in scene.bars.values())


def test_planned_actual_running_and_decisions_are_told_apart_not_by_colour_alone(qtbot,
                                                                                  tmp_path):
    wb = open_workbook(tmp_path / "busy.qidesk", "Sam Jones", create=True)
    project = projects.get_project(wb, add_busy_project(
        wb, teams.add_team(wb, Team(name="Ward 7")).id, TODAY))
    page = _page(qtbot, wb, project)
    scene = page.scene
    cycles = {c.id: c for row in page.rows for c in row.cycles}
    words = {cid: " ".join(i.text() for i in items if hasattr(i, "text"))
             for cid, items in scene.labels.items()}
    styles = set()
    for cycle_id, cycle in cycles.items():
        span = cycle_span(cycle, TODAY)
        pen: QPen = scene.bars[cycle_id].pen()
        styles.add((span.planned, pen.style()))
        if span.planned:
            assert pen.style() == Qt.PenStyle.DashLine and "planned" in words[cycle_id]
        else:
            assert pen.style() == Qt.PenStyle.SolidLine
        if span.running:
            assert "running" in words[cycle_id]
            assert scene.bars[cycle_id].sceneBoundingRect().right() == pytest.approx(
                scene.x_of(TODAY) + scene.px_per_day, abs=1.5)
        if cycle.decision is not None:
            # A symbol beside the word, as well as the colour.
            assert len(scene.labels[cycle_id]) == 2
            assert cycle.decision.value.capitalize() in words[cycle_id]
    assert len(styles) == 2
    assert any(item.data(1) == "today" for item in scene.items())
    wb.close()


@pytest.mark.parametrize("width", [760, 1100, 1700])
def test_fifteen_ideas_forty_cycles_draw_nothing_over_anything_else(qtbot, tmp_path, width):
    wb = open_workbook(tmp_path / "busy.qidesk", "Sam Jones", create=True)
    project = projects.get_project(wb, add_busy_project(
        wb, teams.add_team(wb, Team(name="Ward 7")).id, TODAY))
    page = _page(qtbot, wb, project, width=width)
    scene = page.scene
    assert len(scene.row_labels) == 15 and len(scene.bars) == 40

    labels = {cid: scene.label_rect(cid) for cid in scene.bars}
    bars = {cid: item.sceneBoundingRect().adjusted(0.5, 0.5, -0.5, -0.5)
            for cid, item in scene.bars.items()}
    for (a, rect_a), (b, rect_b) in itertools.combinations(labels.items(), 2):
        assert not rect_a.intersects(rect_b), (a, b)
    for label_id, label in labels.items():
        for bar_id, bar in bars.items():
            assert label_id == bar_id or not label.intersects(bar), (label_id, bar_id)
    for (a, rect_a), (b, rect_b) in itertools.combinations(bars.items(), 2):
        assert not rect_a.intersects(rect_b), (a, b)
    names = [item.sceneBoundingRect() for item in scene.row_labels.values()]
    for rect_a, rect_b in itertools.combinations(names, 2):
        assert not rect_a.intersects(rect_b)
    axis = [i.sceneBoundingRect() for i in scene.items()
            if i.data(1) in ("tick", "today") and hasattr(i, "text")]
    assert len(axis) >= 4
    for rect_a, rect_b in itertools.combinations(axis, 2):
        assert not rect_a.intersects(rect_b)
    assert not page.view.horizontalScrollBar().isVisible()
    # The words of the cycles stay right of the change ideas' names.
    assert min(r.left() for r in labels.values()) > max(r.right() for r in names)
    wb.close()


def _click(qtbot, page, item) -> tuple[str, int]:
    view = page.view
    view.ensureVisible(item.sceneBoundingRect())
    point = view.mapFromScene(item.sceneBoundingRect().center())
    with qtbot.waitSignal(page.open_requested, timeout=2000) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    return tuple(opened.args)


def test_clicking_a_bar_opens_its_cycle_and_a_name_opens_the_change_idea(qtbot, demo_wb):
    project = _falls_project(demo_wb)
    page = _page(qtbot, demo_wb, project)
    idea = drivers.change_ideas(demo_wb, project.id)[0]
    third = pdsa.list_cycles(demo_wb, idea.id)[2]

    assert _click(qtbot, page, page.scene.bars[third.id]) == ("pdsa_cycle", third.id)
    assert _click(qtbot, page, page.scene.labels[third.id][-1]) == ("pdsa_cycle", third.id)
    assert _click(qtbot, page, page.scene.row_labels[idea.id]) == ("change_idea", idea.id)

    # By keyboard: arrows walk the ideas and cycles in reading order, Enter opens.
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.open_requested) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened.args == ["change_idea", idea.id]
    with qtbot.waitSignal(page.open_requested) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_Down)
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened.args == ["pdsa_cycle", pdsa.list_cycles(demo_wb, idea.id)[0].id]


def test_a_cycle_without_dates_is_named_in_its_row_not_drawn(qtbot, demo_wb):
    project = _falls_project(demo_wb)
    idea = drivers.change_ideas(demo_wb, project.id)[1]
    number = pdsa.next_cycle_number(demo_wb, idea.id)
    undated = pdsa.add_cycle(demo_wb, PdsaCycle(change_idea_id=idea.id, cycle_number=number,
                                                title="Huddle at weekends")).id
    page = _page(qtbot, demo_wb, project)
    assert undated not in page.scene.bars and undated in page.scene.undated
    assert f"not dated yet: cycle {number}" in page.scene.row_labels[idea.id].toPlainText()


def test_a_cycle_dated_later_moves_its_bar_when_the_page_is_shown_again(qtbot, demo_wb):
    project = _falls_project(demo_wb)
    page = _page(qtbot, demo_wb, project)
    idea = drivers.change_ideas(demo_wb, project.id)[1]
    cycle = pdsa.list_cycles(demo_wb, idea.id)[0]
    before = page.scene.bars[cycle.id].sceneBoundingRect().left()
    stages = ("started_on", "studied_on", "decided_on", "finished_on")
    pdsa.update_cycle(demo_wb, cycle.id, **{stage: getattr(cycle, stage) + timedelta(days=21)
                                            for stage in stages if getattr(cycle, stage, None)})
    page.undo_stack.indexChanged.emit(1)  # what any saved command does
    moved = page.scene.bars[cycle.id].sceneBoundingRect().left()
    assert moved == pytest.approx(before + 21 * page.scene.px_per_day, abs=1.5)


def test_a_project_without_cycles_says_how_to_start(qtbot, tmp_path):
    wb = open_workbook(tmp_path / "new.qidesk", "Sam Jones", create=True)
    from qidesk.domain.entities import Project
    team = teams.add_team(wb, Team(name="Ward 9")).id
    project = projects.get_project(wb, projects.add_project(
        wb, Project(team_id=team, title="Quicker discharges")).id)
    page = _page(qtbot, wb, project)
    assert page.empty.isVisible() and "No change ideas yet" in page.empty.text()
    assert not page.view.isVisible()
    wb.close()


@pytest.fixture
def controller(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    controller = WorkbookController(window, _paths(), Settings(welcome_shown=True))
    yield controller
    controller.close()


def _paths():
    from qidesk.paths import app_paths

    paths = app_paths()
    paths.ensure()
    return paths


def _text(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())


def test_pdsa_cycles_row_shows_the_timeline_and_the_pdsa_menu_exports(qtbot, controller,
                                                                       demo_copy, tmp_path,
                                                                       monkeypatch):
    assert page_class("pdsa_cycles") is PdsaTimelineScreen
    assert controller.open(demo_copy, signed_in_as="Staff Nurse Patel")
    wb, screen = controller.wb, controller.screen
    project = _falls_project(wb)
    assert screen.show_item("pdsa_cycles", project.id)
    page = screen.current_page()
    assert isinstance(page, PdsaTimelineScreen) and page.heading.text().endswith(project.title)

    group = next(g for g in controller.action_groups if type(g).__name__ == "PdsaPrintActions")
    menu = controller.window.menu("&PDSA")
    assert group.export_action in menu.actions() and group.print_action in menu.actions()
    assert not group.export_action.isEnabled()  # no cycle chosen yet

    # The timeline's row offers Export timeline…, saved where the file dialog says.
    index = screen.navigator.currentIndex()
    labels = [a.text() for a in screen.context_menu_for(index).actions()]
    assert "E&xport timeline…" in labels
    target = tmp_path / "timeline.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    next(a for a in screen.context_menu_for(index).actions()
         if a.text() == "E&xport timeline…").trigger()
    assert "Bay nursing" in target.read_text(encoding="utf-8")

    # Choose a cycle in the navigator: PDSA > Export PDSA worksheet (PDF)… writes it.
    idea = drivers.change_ideas(wb, project.id)[0]
    cycle = pdsa.list_cycles(wb, idea.id)[-1]
    assert screen.show_item("pdsa_cycle", cycle.id)
    assert screen.navigator.currentIndex().data(NavigatorRole.KIND) == "pdsa_cycle"
    assert group.export_action.isEnabled() and group.print_action.isEnabled()
    worksheet = tmp_path / "worksheet"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(worksheet), "")))
    with qtbot.waitSignal(group.exported):
        group.export_action.trigger()
    words = _text(tmp_path / "worksheet.pdf")
    assert cycle.objective.split(".")[0] in words and cycle.next_step[:30] in words
    assert "Saved" in controller.window.statusBar().currentMessage()

    # PDSA > Print PDSA worksheet… paints it on the printer chosen (here one writing a PDF).
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert group.print_worksheet(printer=printer, ask=lambda *_: True)
    assert cycle.next_step[:30] in _text(tmp_path / "printed.pdf")


def test_export_button_saves_the_timeline_as_a_one_page_pdf(qtbot, demo_wb, tmp_path,
                                                            monkeypatch):
    page = _page(qtbot, demo_wb, _falls_project(demo_wb))
    target = tmp_path / "timeline"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF document (*.pdf)")))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    pdf = tmp_path / "timeline.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info
    words = _text(pdf)
    assert "Bay nursing" in words and "Cycle 3 · Adopt" in words and "Today 27 Nov" in words


def test_the_dates_stay_in_sight_when_the_rows_are_scrolled(qtbot, tmp_path):
    wb = open_workbook(tmp_path / "busy.qidesk", "Sam Jones", create=True)
    project = projects.get_project(wb, add_busy_project(
        wb, teams.add_team(wb, Team(name="Ward 7")).id, TODAY))
    page = _page(qtbot, wb, project, width=1000, height=600)
    qtbot.waitUntil(page.view.verticalScrollBar().isVisible)
    viewport = page.view.viewport()
    band = QRect(0, 0, viewport.width(), 36)
    rows = QRect(0, 120, viewport.width(), 200)
    before = viewport.grab().toImage()
    page.view.verticalScrollBar().setValue(300)
    qtbot.wait(50)
    after = viewport.grab().toImage()
    assert after.copy(band) == before.copy(band)  # the month names and today, still there
    assert after.copy(rows) != before.copy(rows)  # while the change ideas moved up
    wb.close()
