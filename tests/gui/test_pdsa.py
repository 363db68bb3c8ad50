"""PDSA cycles through the UI: the worksheet, the ramp, Study against real data, chart markers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from qidesk.domain.enums import ChangeIdeaStatus, ValueType
from qidesk.services import data_points, drivers, measures, pdsa
from qidesk.storage.lease import LeaseInfo, lease_path
from qidesk.ui.models.navigator_model import NavigatorRole
from qidesk.ui.pdsa_actions import PdsaActions
from qidesk.ui.screens.pdsa_screen import PdsaScreen
from qidesk.ui.screens.ramp_screen import RampScreen

WALKING_AID = "Walking aid within reach, checked at intentional rounding"
PHARMACIST = "Pharmacist falls medication review within 48 hours"


@pytest.fixture
def opened(qtbot, demo_copy):
    from shared_pc_helpers import make_window

    window, controller = make_window(qtbot)
    controller.open(demo_copy)
    dialog = controller.session.dialog
    qtbot.keyClicks(dialog.new_name, "Sam Jones")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    yield window, controller
    controller.close()


def select(screen, kind: str, text: str | None = None, record_id: int | None = None):
    pending = [screen.model.item(r) for r in range(screen.model.rowCount())]
    while pending:
        item = pending.pop(0)
        entity = item.data(NavigatorRole.ENTITY)
        if item.data(NavigatorRole.KIND) == kind and (
                (text is None or item.text().startswith(text))
                and (record_id is None or entity.id == record_id)):
            screen.navigator.setCurrentIndex(item.index())
            return entity
        pending[:0] = [item.child(r) for r in range(item.rowCount())]
    raise AssertionError(f"no {kind} row {text or record_id}")


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def retype(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def test_a_three_cycle_ramp_adapt_then_adopt_carries_the_plan(opened, qtbot):
    window, controller = opened
    screen = controller.screen
    idea = select(screen, "change_idea", WALKING_AID)
    ramp = screen.current_page()
    assert isinstance(ramp, RampScreen) and ramp.model.rowCount() == 0
    assert "Not tested yet" in ramp.subheading.text()
    click(qtbot, ramp.new_button)
    page = screen.current_page()
    assert isinstance(page, PdsaScreen) and page.heading.text() == "PDSA cycle 1"
    form = page.form
    qtbot.keyClicks(form.title, "Walking aid check at rounding")
    qtbot.keyClicks(form.scale, "Bay 2, day shifts, one week")
    qtbot.keyClicks(form.objective, "See whether rounding can check walking aids every time.")
    qtbot.keyClicks(form.predictions, "Aid in reach at 8 of 10 spot checks.")
    qtbot.keyClicks(form.plan_who, "HCA doing intentional rounding")
    qtbot.keyClicks(form.data_plan, "Spot checks twice a shift")
    form.setCurrentIndex(1)
    qtbot.keyClicks(form.started_on, "01/06/2026")
    qtbot.keyClicks(form.do_notes, "Checked at 9 of 10 rounds.")
    form.setCurrentIndex(3)
    qtbot.keyClicks(form.next_step, "Add nights: the night HCA does the check.")
    click(qtbot, form.buttons["adapt"])
    second = screen.current_page()
    assert second is page and page.heading.text() == "PDSA cycle 2: Walking aid check at rounding"
    # The plan is carried over: the team adapts it rather than starting again.
    assert form.scale.text() == "Bay 2, day shifts, one week"
    assert form.plan_who.text() == "HCA doing intentional rounding"
    assert form.objective.toPlainText().startswith("See whether rounding")
    assert form.do_notes.toPlainText() == "" and form.started_on.text() == ""
    retype(qtbot, form.scale, "Bays 1 and 2, days and nights, two weeks")
    form.setCurrentIndex(3)
    qtbot.keyClicks(form.next_step, "Spread to every bay, days and nights.")
    click(qtbot, form.buttons["adopt"])
    assert page.heading.text() == "PDSA cycle 3: Walking aid check at rounding"
    assert form.scale.text() == "Bays 1 and 2, days and nights, two weeks"
    click(qtbot, page.ramp_button)
    assert screen.current_page() is ramp
    rows = [[ramp.model.index(r, c).data() for c in range(ramp.model.columnCount())]
            for r in range(ramp.model.rowCount())]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert rows[0][2] == "Bay 2, day shifts, one week"
    assert rows[1][2] == rows[2][2] == "Bays 1 and 2, days and nights, two weeks"
    assert rows[0][5] == "Adapt: Add nights: the night HCA does the check."
    assert rows[1][5] == "Adopt: Spread to every bay, days and nights." and rows[2][5] == ""
    assert "Adopted" in ramp.subheading.text()
    status = next(n for n in drivers.change_ideas(controller.wb, idea.project_id)
                  if n.id == idea.id).status
    assert status == ChangeIdeaStatus.ADOPTED
    # Opening a cycle from the ramp, by keyboard.
    ramp.table.setFocus()
    ramp.table.selectRow(0)
    qtbot.keyClick(ramp.table, Qt.Key.Key_Return)
    assert screen.current_page() is page and page.heading.text().startswith("PDSA cycle 1")
    # Undo takes back the adopt decision and the cycle it started.
    window.undo_action.trigger()
    assert [c.cycle_number for c in pdsa.list_cycles(controller.wb, idea.id)] == [1, 2]
    status = next(n for n in drivers.change_ideas(controller.wb, idea.project_id)
                  if n.id == idea.id).status
    assert status == ChangeIdeaStatus.TESTING


def test_a_numeric_prediction_is_compared_with_the_measure_data(opened, qtbot):
    _window, controller = opened
    screen, wb = controller.screen, controller.wb
    idea = select(screen, "change_idea", PHARMACIST)
    rate = next(m for m in measures.list_measures(wb, idea.project_id)
                if m.value_type == ValueType.RATE)
    points = data_points.list_data_points(wb, rate.id)[-3:]
    observed = (sum(p.numerator for p in points) / sum(p.denominator for p in points)
                * rate.rate_multiplier)
    click(qtbot, screen.current_page().new_button)
    page = screen.current_page()
    form = page.form
    qtbot.keyClicks(form.title, "Medication review on admission")
    form.prediction_measure.setFocus()
    form.prediction_measure.setCurrentIndex(form.prediction_measure.findData(rate.id))
    form.prediction_direction.setCurrentIndex(form.prediction_direction.findData("below"))
    qtbot.keyClicks(form.prediction_value, f"{observed + 0.5:.2f}")
    qtbot.keyClicks(form.prediction_by, f"{points[-1].period:%d/%m/%Y}")
    form.setCurrentIndex(1)
    qtbot.keyClicks(form.started_on, f"{points[0].period:%d/%m/%Y}")
    click(qtbot, page.save_button)
    cycle = pdsa.get_cycle(wb, page.cycle.id)
    assert cycle.prediction_measure_id == rate.id and cycle.prediction_direction == "below"
    text = form.study.text()
    assert "✔ Met" in text and f"Observed: {observed:.3g}" in text and "over 3 points" in text
    # A stricter prediction, below what the ward recorded, is not met.
    retype(qtbot, form.prediction_value, f"{observed - 0.5:.2f}")
    click(qtbot, page.save_button)
    assert "✘ Not met" in form.study.text()


def test_the_pdsa_marker_on_the_linked_chart_opens_the_cycle(opened, qtbot):
    _window, controller = opened
    screen = controller.screen
    select(screen, "measure", "Falls per 1,000 occupied bed days")
    chart = screen.measure_screen.chart
    lanes = chart.drawing.lanes
    marked = [(m, label) for m, label in zip(lanes.markers, lanes.labels) if m.pdsa_cycle_id]
    assert marked, "the falls rate chart shows the PDSA cycles linked to it"
    marker, label = marked[-1]
    where = chart.mapFromScene(label.sceneBoundingRect().center())
    QTest.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where.x(), where.y()))
    page = screen.current_page()
    assert isinstance(page, PdsaScreen) and page.cycle.id == marker.pdsa_cycle_id
    assert screen.current_item() == ("pdsa_cycle", marker.pdsa_cycle_id)


def test_hints_show_and_never_block_saving_and_bad_dates_are_named(opened, qtbot):
    _window, controller = opened
    screen, wb = controller.screen, controller.wb
    select(screen, "change_idea", PHARMACIST)
    click(qtbot, screen.current_page().new_button)
    page = screen.current_page()
    assert page.hints.isVisible() and "No prediction written" in page.hints.text()
    qtbot.keyClicks(page.form.scale, "Whole ward, every patient")
    page.form.setCurrentIndex(1)
    qtbot.keyClicks(page.form.started_on, "31/02/2026")
    click(qtbot, page.save_button)
    problems = page.errors.shown()
    assert list(problems) == ["started_on"] and "Test started" in problems["started_on"]
    assert page.errors.labels["started_on"].isVisible() and page.form.currentIndex() == 1
    assert pdsa.get_cycle(wb, page.cycle.id).scale == ""
    retype(qtbot, page.form.started_on, "01/03/2026")
    click(qtbot, page.save_button)
    assert page.errors.shown() == {} and page.saved_note.text() == "Saved."
    assert pdsa.get_cycle(wb, page.cycle.id).scale == "Whole ward, every patient"
    assert page.hint_codes[:2] == ["no_prediction", "full_scale_first"]
    assert "start small" in page.hints.text()


def test_new_cycle_from_the_pdsa_menu_and_abandon_closes_the_ramp(opened, qtbot):
    window, controller = opened
    screen, wb = controller.screen, controller.wb
    actions = next(g for g in controller.action_groups if isinstance(g, PdsaActions))
    idea = select(screen, "change_idea", PHARMACIST)
    menu = screen.context_menu_for(screen.navigator.currentIndex())
    assert "New &PDSA cycle…" in [a.text() for a in menu.actions()]
    assert actions.new_action.isEnabled()
    actions.new_action.trigger()
    page = screen.current_page()
    assert isinstance(page, PdsaScreen) and page.cycle.cycle_number == 1
    assert screen.current_item() == ("pdsa_cycle", page.cycle.id)
    qtbot.keyClicks(page.form.title, "Pharmacist review on the post-take ward round")
    click(qtbot, page.save_button)
    # Save is undoable like every other change.
    window.undo_action.trigger()
    assert pdsa.get_cycle(wb, page.cycle.id).title == ""
    assert page.form.title.text() == ""
    window.redo_action.trigger()
    page.form.setCurrentIndex(3)
    click(qtbot, page.form.buttons["abandon"])
    assert "Say why the idea is abandoned" in page.errors.shown()["next_step"]
    assert page.errors.labels["next_step"].isVisible()
    qtbot.keyClicks(page.form.next_step, "No pharmacist cover at weekends.")
    click(qtbot, page.form.buttons["abandon"])
    assert page.cycle.decision == "abandon" and "abandoned" in page.subheading.text()
    click(qtbot, page.ramp_button)
    ramp = screen.current_page()
    assert isinstance(ramp, RampScreen) and ramp.model.rowCount() == 1
    assert ramp.closed_note.isVisible()
    assert ramp.closed_note.text() == "Ramp closed after cycle 1: No pharmacist cover at weekends."
    assert not ramp.new_button.isEnabled()
    status = next(n for n in drivers.change_ideas(wb, idea.project_id) if n.id == idea.id).status
    assert status == ChangeIdeaStatus.ABANDONED


def test_a_read_only_workbook_shows_cycles_but_offers_no_editing(qtbot, demo_copy):
    from shared_pc_helpers import make_window

    heard = datetime.now(UTC) - timedelta(seconds=20)  # another ward PC holds it
    info = LeaseInfo("Sister Jones", "ward7", "WARD7-PC-03", 4242, heard - timedelta(hours=1),
                     heard, "0123456789abcdef")
    lease_path(demo_copy).write_text(info.to_json(), encoding="utf-8")
    window, controller = make_window(qtbot)
    assert controller.open(demo_copy) and controller.wb.read_only
    screen = controller.screen
    actions = next(g for g in controller.action_groups if isinstance(g, PdsaActions))
    select(screen, "change_idea", "Bay nursing")
    ramp = screen.current_page()
    assert ramp.model.rowCount() == 3 and not ramp.new_button.isVisible()
    assert not actions.new_action.isEnabled() and actions.ramp_action.isEnabled()
    menu = screen.context_menu_for(screen.navigator.currentIndex())
    assert all(not a.isEnabled() for a in menu.actions())
    ramp.table.selectRow(0)
    click(qtbot, ramp.open_button)
    page = screen.current_page()
    assert isinstance(page, PdsaScreen) and page.heading.text().startswith("PDSA cycle 1")
    assert page.form.title.text() and page.form.title.isReadOnly()
    assert page.form.objective.isReadOnly() and page.form.started_on.isReadOnly()
    assert not page.form.prediction_measure.isEnabled() and not page.form.linked.isEnabled()
    assert not any(b.isEnabled() for b in page.form.buttons.values())
    assert not page.save_button.isVisible() and "Read-only" in page.status.text()
    before = pdsa.get_cycle(controller.wb, page.cycle.id)
    qtbot.keyClicks(page.form.title, " changed")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert pdsa.get_cycle(controller.wb, page.cycle.id) == before
    assert "Study" in page.form.tabText(2) and page.form.study.text()
    controller.close()


def test_the_ramp_model_passes_the_model_tester(qtmodeltester, opened):
    _window, controller = opened
    select(controller.screen, "change_idea", "Bay nursing")
    qtmodeltester.check(controller.screen.current_page().model)
