"""The driver diagram page: build a diagram by keyboard, see it drawn without overlaps,
move, reorder, promote, delete and undo, drag a box to a new parent, set a change idea's
status, click a change idea to go to its cycles, export it, and read-only workbooks."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from qidesk.domain.entities import Project
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.reports.driver_diagram import ITEM_NODE, ITEM_ROLE
from qidesk.reports.driver_layout import Rect, overlapping_pairs
from qidesk.services import drivers, projects, teams
from qidesk.services.workbook import open_workbook
from qidesk.ui.models.driver_tree_model import MIME_TYPE
from qidesk.ui.screens.workbook_screen import WorkbookScreen

FALLS = "Reducing inpatient falls"


@pytest.fixture
def wb(demo_copy, tmp_path):
    book = open_workbook(demo_copy, "Sam Jones", backup_folder=tmp_path / "backups")
    yield book
    book.close()


def _open_page(qtbot, wb, title: str):
    screen = WorkbookScreen(wb)
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.show()
    qtbot.waitExposed(screen)
    project = next(p for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                   if p.title == title)
    assert screen.show_item("driver_diagram", project.id)
    page = screen.current_page()
    assert type(page).__name__ == "DriverScreen"
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)
    page.tree.setFocus()
    return screen, page, project


def _new_project(wb, title="Pressure ulcers") -> Project:
    team = teams.list_teams(wb)[0]
    projects.add_project(wb, Project(team_id=team.id, title=title, aim_statement=(
        "No avoidable pressure ulcers on Ward 7 by 31 March 2027")))
    return title


def _drawn(page, role: str) -> list:
    return [i for i in page.scene.items() if i.data(ITEM_ROLE) == role]


def _rect(item) -> Rect:
    r = item.sceneBoundingRect()
    return Rect(r.x(), r.y(), r.width(), r.height())


def _assert_nothing_overlaps(page) -> None:
    boxes = _drawn(page, "box")
    marks = _drawn(page, "label") + _drawn(page, "status") + _drawn(page, "symbol")
    labels = [m for m in marks if m.data(ITEM_NODE) > 0]
    assert overlapping_pairs([_rect(b) for b in boxes]) == []
    assert overlapping_pairs([_rect(t) for t in labels]) == []
    box_of = {b.data(ITEM_NODE): b.sceneBoundingRect() for b in boxes}
    for text in labels:  # words and marks stay inside their own box
        assert box_of[text.data(ITEM_NODE)].contains(text.sceneBoundingRect())
    # Column headings above, the key to the marks below: clear of every box.
    around = _drawn(page, "heading") + _drawn(page, "key") + [m for m in marks if m not in labels]
    assert len(around) >= 4 + 8
    assert overlapping_pairs([_rect(i) for i in around] + [_rect(b) for b in boxes]) == []


def _type_new_box(qtbot, page, key, text: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press the add key on the tree, type the box's words and Enter; wait until saved."""
    before = len(page.nodes)
    qtbot.keyClick(page.tree, key, modifier)
    editor = QApplication.focusWidget()
    assert editor not in (None, page.tree), "no editor opened for the new box"
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.nodes) == before + 1)
    assert page.current_node().text == text
    page.tree.setFocus()


def _build_by_keyboard(qtbot, page, primaries: int, secondaries: int, ideas: int) -> None:
    """The aim (its words from the project), then drivers and ideas, all by keys."""
    qtbot.keyClick(page.tree, Qt.Key.Key_Insert)
    assert QApplication.focusWidget() not in (None, page.tree), "Ins opened no editor"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # accept the project's aim
    qtbot.waitUntil(lambda: len(page.nodes) == 1)
    page.tree.setFocus()
    below, under = Qt.Key.Key_Return, Qt.Key.Key_Insert
    ctrl = Qt.KeyboardModifier.ControlModifier
    for p in range(primaries):
        if p:
            _climb(qtbot, page, DriverLevel.PRIMARY)
        _type_new_box(qtbot, page, *((below, f"Primary driver {p + 1}: skin checked on "
                                      "every shift by the named nurse", ctrl) if p else
                                     (under, "Primary driver 1: skin checked on every shift")))
        for s in range(secondaries):
            if s:
                _climb(qtbot, page, DriverLevel.SECONDARY)
                _type_new_box(qtbot, page, below, f"Secondary {p + 1}.{s + 1}", ctrl)
            else:
                _type_new_box(qtbot, page, under, f"Secondary {p + 1}.{s + 1}: mattresses right")
            for i in range(ideas):
                words = f"Idea {p + 1}.{s + 1}.{i + 1}: a longer change idea that wraps"
                if i:
                    _type_new_box(qtbot, page, below, words, ctrl)
                else:
                    _type_new_box(qtbot, page, under, words)


def _climb(qtbot, page, level: DriverLevel) -> None:
    """Move the tree's current row up to the last box of `level` with Left / Up keys."""
    while page.current_node().level != level:
        qtbot.keyClick(page.tree, Qt.Key.Key_Left)
        if page.current_node().level != level:
            qtbot.keyClick(page.tree, Qt.Key.Key_Left)


def test_build_a_40_box_diagram_by_keyboard_and_see_it_drawn_without_overlaps(qtbot, wb):
    title = _new_project(wb)
    _screen, page, project = _open_page(qtbot, wb, title)
    assert _drawn(page, "box") == []
    _build_by_keyboard(qtbot, page, primaries=3, secondaries=2, ideas=5)
    nodes = drivers.driver_diagram(wb, project.id)
    assert len(nodes) == 40
    levels = [n.level for n in nodes]
    assert levels.count(DriverLevel.PRIMARY) == 3 and levels.count(DriverLevel.SECONDARY) == 6
    assert nodes[0].text == project.aim_statement
    assert all(n.status == ChangeIdeaStatus.UNTESTED for n in nodes
               if n.level == DriverLevel.CHANGE_IDEA)
    assert len(_drawn(page, "box")) == 40 and len(_drawn(page, "connector")) == 39
    _assert_nothing_overlaps(page)
    # Each level in its own column, left to right.
    xs = {lvl: {round(b.rect().x()) for b in _drawn(page, "box")
                if next(n for n in nodes if n.id == b.data(ITEM_NODE)).level == lvl}
          for lvl in DriverLevel}
    assert all(len(v) == 1 for v in xs.values())
    columns = [xs[lvl].pop() for lvl in DriverLevel]
    assert columns == sorted(columns) and len(set(columns)) == 4
    # Twenty more boxes: still nothing overlaps at 60.
    _climb(qtbot, page, DriverLevel.PRIMARY)
    for s in range(4):
        _type_new_box(qtbot, page, *((Qt.Key.Key_Insert, f"Late secondary {s}") if s == 0 else
                                     (Qt.Key.Key_Return, f"Late secondary {s}",
                                      Qt.KeyboardModifier.ControlModifier)))
        for i in range(4):
            _type_new_box(qtbot, page, *((Qt.Key.Key_Insert, f"Late idea {s}.{i} with words "
                                          "enough to wrap onto a second line") if i == 0 else
                                         (Qt.Key.Key_Return, f"Late idea {s}.{i}",
                                          Qt.KeyboardModifier.ControlModifier)))
        _climb(qtbot, page, DriverLevel.SECONDARY)
    assert len(drivers.driver_diagram(wb, project.id)) == 60
    assert len(_drawn(page, "box")) == 60
    _assert_nothing_overlaps(page)
