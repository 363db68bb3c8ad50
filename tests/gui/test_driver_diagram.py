"""The driver diagram page: build a diagram by keyboard, see it drawn without overlaps,
move, reorder, promote, delete and undo, drag a box to a new parent, set a change idea's
status, click a change idea to go to its cycles, export it, and read-only workbooks."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from qidesk.domain.entities import Project
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.reports.driver_diagram import ITEM_NODE, ITEM_ROLE
from qidesk.reports.driver_layout import Rect, overlapping_pairs
from qidesk.services import drivers, projects, teams
from qidesk.services.workbook import open_workbook
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


def _choose(page, text: str):
    node = next(n for n in page.nodes if n.text.startswith(text))
    page.tree.setCurrentIndex(page.model.index_of(node.id))
    page.tree.setFocus()
    return node


def _box(page, node_id):
    return next(b for b in _drawn(page, "box") if b.data(ITEM_NODE) == node_id)


def _under(page, parent_id) -> list[str]:
    return [page.model.nodes[i].text for i in page.model.children.get(parent_id, [])]


def test_reorder_promote_refused_demote_and_delete_by_keys_each_undone(qtbot, wb):
    screen, page, project = _open_page(qtbot, wb, FALLS)
    alt = Qt.KeyboardModifier.AltModifier
    walking = _choose(page, "Walking aid")
    footwear = walking.parent_id
    assert _under(page, footwear)[1].startswith("Walking aid")
    old_y = _box(page, walking.id).rect().y()
    qtbot.keyClick(page.tree, Qt.Key.Key_Up, alt)
    assert _under(page, footwear)[0].startswith("Walking aid")
    assert _box(page, walking.id).rect().y() < old_y  # drawn above the socks now
    assert page.current_node().id == walking.id
    screen.undo_stack.undo()
    assert _under(page, footwear)[1].startswith("Walking aid")

    medicines = _choose(page, "Medicines that raise")
    primary_x = _box(page, _choose(page, "Patients move").id).rect().x()
    _choose(page, "Medicines that raise")
    qtbot.keyClick(page.tree, Qt.Key.Key_Left, alt)
    moved = drivers.driver_diagram(wb, project.id)
    promoted = next(n for n in moved if n.id == medicines.id)
    assert promoted.level == DriverLevel.PRIMARY and _under(page, promoted.parent_id)[-1] == promoted.text
    assert _box(page, medicines.id).rect().x() == primary_x
    assert _under(page, medicines.id) == ["Pharmacist falls medication review within 48 hours"]
    screen.undo_stack.undo()
    assert next(n for n in page.nodes if n.id == medicines.id).level == DriverLevel.SECONDARY

    _choose(page, "Patients move about safely")
    qtbot.keyClick(page.tree, Qt.Key.Key_Right, alt)  # would put secondaries 3 columns deep
    assert page.message.isVisible() and "secondary drivers under it" in page.message.text()
    assert next(n for n in page.nodes if n.text == "Patients move about safely").level \
        == DriverLevel.PRIMARY

    boxes = len(_drawn(page, "box"))
    _choose(page, "Footwear and walking aids")
    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    assert len(_drawn(page, "box")) == boxes - 3
    assert not any(n.text.startswith("Non-slip") for n in drivers.driver_diagram(wb, project.id))
    screen.undo_stack.undo()
    assert len(_drawn(page, "box")) == boxes
    socks = next(n for n in page.nodes if n.text.startswith("Non-slip"))
    assert socks.status == ChangeIdeaStatus.ABANDONED and socks.parent_id == footwear
    screen.undo_stack.redo()
    assert len(_drawn(page, "box")) == boxes - 3


def test_rename_with_f2_and_undo(qtbot, wb):
    screen, page, _project = _open_page(qtbot, wb, FALLS)
    huddle = _choose(page, "Falls safety huddle")
    qtbot.keyClick(page.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    boxes = len(page.nodes)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)  # deletes a letter while typing, not the box
    assert editor.text() == huddle.text[1:] and len(page.nodes) == boxes
    editor.selectAll()
    qtbot.keyClicks(editor, "Safety huddle at 14:00, changes only")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(n.text == "Safety huddle at 14:00, changes only"
                                for n in page.nodes))
    label = next(i for i in _drawn(page, "label") if i.data(ITEM_NODE) == huddle.id)
    assert label.toPlainText() == "Safety huddle at 14:00, changes only"
    screen.undo_stack.undo()
    assert next(n for n in page.nodes if n.id == huddle.id).text == huddle.text


def _drag_onto(qtbot, page, node_id: int, target_id: int) -> None:
    """A drop of `node_id`'s row on the middle of `target_id`'s row, as the view gets it."""
    view = page.tree
    data = page.model.mimeData([page.model.index_of(node_id)])
    spot = view.visualRect(page.model.index_of(target_id)).center()
    move, buttons = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(spot, move, data, buttons, none),
                  QDragMoveEvent(spot, move, data, buttons, none)):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted()
    QApplication.sendEvent(view.viewport(), QDropEvent(spot.toPointF(), move, data, buttons, none))


def test_drag_a_change_idea_onto_another_driver(qtbot, wb):
    screen, page, project = _open_page(qtbot, wb, FALLS)
    pharmacist = _choose(page, "Pharmacist falls")
    toileting = next(n for n in page.nodes if n.text.startswith("Toileting needs"))
    _drag_onto(qtbot, page, pharmacist.id, toileting.id)
    qtbot.waitUntil(lambda: next(n for n in page.nodes if n.id == pharmacist.id).parent_id
                    == toileting.id)
    assert _under(page, toileting.id)[-1] == pharmacist.text
    stored = next(n for n in drivers.driver_diagram(wb, project.id) if n.id == pharmacist.id)
    assert stored.parent_id == toileting.id
    # The drawing follows: the idea's connector now starts at the toileting box.
    box = _box(page, toileting.id).rect()
    assert any(i.path().elementAt(0).x == box.right() and
               abs(i.path().elementAt(0).y - box.center().y()) < 0.01 and
               i.path().elementCount() == 4 and
               abs(i.path().elementAt(3).y - _box(page, pharmacist.id).rect().center().y()) < 0.01
               for i in _drawn(page, "connector"))
    screen.undo_stack.undo()
    assert next(n for n in page.nodes if n.id == pharmacist.id).parent_id == pharmacist.parent_id


def test_a_drop_that_would_break_the_tree_is_refused(qtbot, wb):
    _screen, page, _project = _open_page(qtbot, wb, FALLS)
    primary = _choose(page, "Patients move about safely")
    idea = next(n for n in page.nodes if n.text.startswith("Bay nursing"))
    data = page.model.mimeData([page.model.index_of(primary.id)])
    assert not page.model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0,
                                          page.model.index_of(idea.id))
    own = next(n for n in page.nodes if n.parent_id == primary.id)
    assert not page.model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0,
                                          page.model.index_of(own.id))


def test_status_set_here_shows_in_colour_and_symbol_and_a_click_opens_the_cycles(qtbot, wb):
    screen, page, _project = _open_page(qtbot, wb, FALLS)
    walking = _choose(page, "Walking aid")
    assert page.status.isEnabled() and page.status.currentText() == "Not tested yet"
    page.status.setFocus()
    qtbot.keyClick(page.status, Qt.Key.Key_Down)  # → Testing
    qtbot.waitUntil(lambda: next(n for n in page.nodes if n.id == walking.id).status
                    == ChangeIdeaStatus.TESTING)
    status_words = next(i for i in _drawn(page, "status") if i.data(ITEM_NODE) == walking.id)
    assert status_words.toPlainText() == "Testing"
    assert _box(page, walking.id).pen().color().name().upper() == "#FFB81C"
    symbol = next(i for i in _drawn(page, "symbol") if i.data(ITEM_NODE) == walking.id)
    assert symbol.childItems(), "the half-filled circle of 'testing' is missing"
    assert page.tree.currentIndex().data().endswith("testing")
    screen.undo_stack.undo()
    assert next(n for n in page.nodes if n.id == walking.id).status == ChangeIdeaStatus.UNTESTED
    # Primary drivers have no status; clicking a change idea's box goes to its cycles.
    _choose(page, "Patients move about safely")
    assert not page.status.isEnabled()
    with qtbot.waitSignal(page.open_requested) as opened:
        box = _box(page, walking.id)
        spot = page.view.mapFromScene(box.rect().center())
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert opened.args == ["change_idea", walking.id]
    assert screen.current_item() == ("change_idea", walking.id)


def _non_blank(image: QImage) -> bool:
    small = image.scaled(200, 200)
    return len({small.pixel(x, y) for x in range(0, 200, 4) for y in range(0, 200, 4)}) > 3


def test_export_png_svg_and_pdf(qtbot, wb, tmp_path, monkeypatch):
    _screen, page, _project = _open_page(qtbot, wb, FALLS)
    files = []
    for name, chosen in (("falls.png", "PNG picture (*.png)"), ("falls.svg", "SVG drawing (*.svg)"),
                         ("falls", "PDF document (*.pdf)")):
        monkeypatch.setattr("qidesk.ui.screens.driver_screen.QFileDialog.getSaveFileName",
                            lambda *a, n=name, c=chosen: (str(tmp_path / n), c))
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
        files.append(tmp_path / name)
    png, svg, pdf = files[0], files[1], tmp_path / "falls.pdf"
    image = QImage(str(png))
    assert image.width() > 1500 and _non_blank(image)
    root = ET.parse(svg).getroot()
    words = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Bay nursing" in words and "Abandoned" in words and "Change ideas" in words
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    page_image = QImage(str(tmp_path / "page.png"))
    assert not page_image.isNull() and _non_blank(page_image)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    assert "Bay nursing" in text  # vectors and real text, not a picture


def test_read_only_workbook_shows_the_diagram_but_offers_no_editing(qtbot, demo_copy, tmp_path):
    book = open_workbook(demo_copy, "Sam Jones", read_only=True, backup_folder=tmp_path / "b")
    try:
        screen, page, project = _open_page(qtbot, book, FALLS)
        count = len(_drawn(page, "box"))
        assert count == len(drivers.driver_diagram(book, project.id)) > 10
        assert "Read-only" in page.hint.text()
        assert not any(a.isEnabled() for a in page.actions_by_name.values())
        _choose(page, "Walking aid")
        assert not page.status.isEnabled()
        for key in (Qt.Key.Key_Insert, Qt.Key.Key_Delete, Qt.Key.Key_F2):
            qtbot.keyClick(page.tree, key)
        assert QApplication.focusWidget() is page.tree and page.model.pending is None
        index = page.tree.currentIndex()
        assert not page.model.flags(index) & (Qt.ItemFlag.ItemIsEditable
                                              | Qt.ItemFlag.ItemIsDragEnabled)
        assert len(_drawn(page, "box")) == count and screen.undo_stack.count() == 0
        assert page.export_button.isEnabled()
    finally:
        book.close()


def test_project_rows_offer_the_driver_diagram_and_its_export(qtbot, demo_copy, tmp_path,
                                                             monkeypatch):
    from shared_pc_helpers import make_window

    from qidesk.ui.driver_actions import DriverActions

    window, controller = make_window(qtbot)
    controller.open(demo_copy)
    controller.session.dialog.reject()
    controller.session.sign_in_as("Sam Jones")
    screen = controller.screen
    group = next(g for g in controller.action_groups if isinstance(g, DriverActions))
    project = next(p for t in teams.list_teams(controller.wb)
                   for p in projects.list_projects(controller.wb, t.id) if p.title == FALLS)
    screen.navigator.setCurrentIndex(screen.model.index_of("project", project.id))
    menu = screen.context_menu_for(screen.navigator.currentIndex())
    labels = [a.text() for a in menu.actions()]
    assert "&Driver diagram" in labels and "E&xport driver diagram…" in labels
    next(a for a in menu.actions() if a.text() == "&Driver diagram").trigger()
    assert screen.current_item() == ("driver_diagram", project.id)
    assert type(screen.current_page()).__name__ == "DriverScreen"
    monkeypatch.setattr("qidesk.ui.driver_actions.QFileDialog.getSaveFileName",
                        lambda *a: (str(tmp_path / "falls"), "SVG drawing (*.svg)"))
    assert group.export_action.isEnabled()
    group.export_action.trigger()
    root = ET.parse(tmp_path / "falls.svg").getroot()
    assert "Falls safety huddle" in " ".join(root.itertext())
    # Signed out: an edit asks for a name first and changes nothing.
    page = screen.current_page()
    controller.session.sign_out()
    before = len(page.nodes)
    page.tree.setCurrentIndex(page.model.index(0, 0))
    page.actions_by_name["add_under"].trigger()
    dialog = controller.session.dialog
    assert dialog is not None and dialog.isVisible()
    assert page.model.pending is None and len(page.nodes) == before
    dialog.reject()
    controller.close()


def test_tree_model_passes_the_model_tester_with_a_box_being_added(qtmodeltester, wb):
    from qidesk.ui.models.driver_tree_model import DriverTreeModel, Pending

    project = next(p for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                   if p.title == FALLS)
    model = DriverTreeModel()
    model.load(drivers.driver_diagram(wb, project.id))
    qtmodeltester.check(model)
    aim = model.children[None][0]
    model.start_adding(Pending(aim, 1, DriverLevel.PRIMARY))
    qtmodeltester.check(model)
    assert [model.index(r, 0, model.index_of(aim)).data() for r in range(4)][1] == ""
    model.cancel_adding()
    assert model.rowCount(model.index_of(aim)) == 3


def test_enter_on_a_change_idea_in_the_tree_goes_to_its_cycles(qtbot, wb):
    _screen, page, _project = _open_page(qtbot, wb, FALLS)
    huddle = _choose(page, "Falls safety huddle")
    with qtbot.waitSignal(page.open_requested) as opened:
        qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert opened.args == ["change_idea", huddle.id]
    _choose(page, "Patients move about safely")
    with qtbot.assertNotEmitted(page.open_requested):
        qtbot.keyClick(page.tree, Qt.Key.Key_Return)


def test_escape_drops_a_box_being_added_and_a_change_idea_has_nothing_under_it(qtbot, wb):
    title = _new_project(wb)
    screen, page, _project = _open_page(qtbot, wb, title)
    qtbot.keyClick(page.tree, Qt.Key.Key_Insert)
    editor = QApplication.focusWidget()
    assert editor.text() == "No avoidable pressure ulcers on Ward 7 by 31 March 2027"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert page.model.pending is None and page.model.rowCount() == 0
    assert screen.undo_stack.count() == 0
    page.tree.setFocus()
    _type_new_box(qtbot, page, Qt.Key.Key_Insert, "Fewer pressure ulcers")
    _type_new_box(qtbot, page, Qt.Key.Key_Insert, "Skin checked")
    # Ctrl+I does what Ins does, for laptops without an Insert key.
    _type_new_box(qtbot, page, Qt.Key.Key_I, "Mirror on every trolley",
                  Qt.KeyboardModifier.ControlModifier)
    assert page.current_node().level == DriverLevel.SECONDARY
    _type_new_box(qtbot, page, Qt.Key.Key_Insert, "Turning clock")
    assert page.current_node().level == DriverLevel.CHANGE_IDEA
    qtbot.keyClick(page.tree, Qt.Key.Key_Insert)
    assert page.model.pending is None
    assert "last column" in page.message.text() and page.message.isVisible()
