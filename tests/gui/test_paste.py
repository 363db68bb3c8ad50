"""Pasting a block copied from Excel: a preview of what will be written (new, replaced,
unchanged) with problems listed per row; nothing written until confirmed, then one
transaction and one undo step."""

from __future__ import annotations

from datetime import timedelta

from grid_helpers import new_measure, open_screen, stored, weeks_ago
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QApplication

from qidesk.domain.entities import DataPoint
from qidesk.domain.enums import ValueType
from qidesk.services import data_points
from qidesk.ui.dialogs.paste_preview_dialog import PastePreviewDialog, PreviewColumn

pytest_plugins = ["grid_fixtures"]  # the wb and project_id fixtures


class PreviewAnswer:
    """Reads the preview dialog when it opens, then writes (Enter) or cancels (Escape)."""

    def __init__(self, qtbot, key):
        self.qtbot, self.key = qtbot, key
        self.summary = ""
        self.rows: list[dict[str, str]] = []
        self.write_text = ""
        QTimer.singleShot(50, self._answer)

    def _answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PastePreviewDialog):
            QTimer.singleShot(50, self._answer)
            return
        model = dialog.table.model()
        self.summary = dialog.summary.text()
        self.write_text = dialog.write_button.text()
        self.rows = [{c.name: model.index(r, c).data() or "" for c in PreviewColumn}
                     for r in range(model.rowCount())]
        self.qtbot.keyClick(dialog.table, self.key)


def _paste(qtbot, view, text, key):
    QGuiApplication.clipboard().setText(text)
    answer = PreviewAnswer(qtbot, key)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(answer.rows), timeout=5000)
    return answer


def _uk(d):
    return d.strftime("%d/%m/%Y")


def _values(wb, measure_id):
    return {d: (p.value, p.comment) for d, p in stored(wb, measure_id).items()}


def _setup(qtbot, wb, project_id, stack=None):
    measure_id = new_measure(wb, project_id)
    for weeks, figure in ((5, 10.0), (4, 11.0)):
        data_points.record_data_point(wb, DataPoint(measure_id=measure_id,
                                                    period=weeks_ago(weeks), value=figure))
    return measure_id, open_screen(qtbot, wb, measure_id, stack)


def test_a_pasted_block_is_previewed_then_written_as_one_undo_step(qtbot, wb, project_id):
    stack = QUndoStack()
    measure_id, screen = _setup(qtbot, wb, project_id, stack)
    before = _values(wb, measure_id)
    text = ("Week commencing\tMinutes\tNotes\n"
            f"{_uk(weeks_ago(5))}\t10\t\n"
            f"{_uk(weeks_ago(4))}\t15\tagency staff\n"
            f"{_uk(weeks_ago(3))}\t1,234\t\n"
            f"{_uk(weeks_ago(2))}\tabc\t\n"
            f"{_uk(weeks_ago(1) + timedelta(days=1))}\t12\t\n")
    answer = _paste(qtbot, screen.grid, text, Qt.Key.Key_Return)
    assert [(r["ROW"], r["ACTION"]) for r in answer.rows] == [
        ("2", "Unchanged (skipped)"), ("3", "Replaces"), ("4", "New"), ("5", "Not written"),
        ("6", "Not written")]
    assert answer.rows[1]["BEFORE"] == "11" and answer.rows[1]["AFTER"] == "15 · agency staff"
    assert answer.rows[2]["AFTER"] == "1,234"
    assert "'abc' isn't a number" in answer.rows[3]["PROBLEM"]
    assert "Monday" in answer.rows[4]["PROBLEM"]
    assert "1 new, 1 replaced, 1 unchanged" in answer.summary and "2 rows have problems" in answer.summary
    assert answer.write_text == "&Write 2 periods"

    qtbot.waitUntil(lambda: stack.count() == 1 or bool(screen.data_grid.message.text()))
    assert screen.data_grid.message.text() == ""
    after = _values(wb, measure_id)
    assert after == {weeks_ago(5): (10.0, ""), weeks_ago(4): (15.0, "agency staff"),
                     weeks_ago(3): (1234.0, "")}
    assert sum(screen.chart.point_counts.values()) == 3
    model = screen.data_grid.model
    assert [model.index(r, 1).data() for r in range(3)] == ["10", "15", "1,234"]

    stack.undo()
    assert _values(wb, measure_id) == before
    assert sum(screen.chart.point_counts.values()) == 2
    assert [model.index(r, 1).data() for r in range(2)] == ["10", "11"]
    stack.redo()
    assert _values(wb, measure_id) == after
    assert sum(screen.chart.point_counts.values()) == 3


def test_figures_without_dates_fill_the_periods_from_the_current_row(qtbot, wb, project_id):
    measure_id, screen = _setup(qtbot, wb, project_id)
    view, model = screen.grid, screen.data_grid.model
    view.setCurrentIndex(model.index(2, 1))  # three weeks ago: missing
    assert model.index(2, 1).data() == "missing"
    answer = _paste(qtbot, view, "7\n\n9\n", Qt.Key.Key_Return)
    assert [r["ACTION"] for r in answer.rows] == ["New", "New"]
    qtbot.waitUntil(lambda: len(stored(wb, measure_id)) == 4)
    values = _values(wb, measure_id)
    assert values[weeks_ago(3)] == (7.0, "") and values[weeks_ago(1)] == (9.0, "")
    assert weeks_ago(2) not in values  # the blank line skipped a week


def test_cancelling_the_preview_writes_nothing(qtbot, wb, project_id):
    stack = QUndoStack()
    measure_id, screen = _setup(qtbot, wb, project_id, stack)
    before = _values(wb, measure_id)
    answer = _paste(qtbot, screen.grid, f"{_uk(weeks_ago(3))}\t8\n", Qt.Key.Key_Escape)
    assert answer.rows[0]["ACTION"] == "New"
    qtbot.wait(100)
    assert _values(wb, measure_id) == before and stack.count() == 0


def test_a_proportion_block_and_an_empty_clipboard(qtbot, wb, project_id):
    measure_id = new_measure(wb, project_id, value_type=ValueType.PROPORTION)
    screen = open_screen(qtbot, wb, measure_id)
    QGuiApplication.clipboard().setText("   ")
    qtbot.keyClick(screen.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "Nothing was pasted" in screen.data_grid.message.text()
    text = (f"Week\tOn time\tDue\n{_uk(weeks_ago(2))}\t18\t24\n{_uk(weeks_ago(1))}\t30\t24\n")
    answer = _paste(qtbot, screen.grid, text, Qt.Key.Key_Return)
    assert [r["ACTION"] for r in answer.rows] == ["New", "Not written"]
    assert "more than the denominator" in answer.rows[1]["PROBLEM"]
    qtbot.waitUntil(lambda: len(stored(wb, measure_id)) == 1)
    point = stored(wb, measure_id)[weeks_ago(2)]
    assert (point.numerator, point.denominator) == (18, 24)


def test_the_preview_model_passes_the_tester_and_returns_each_line(qtmodeltester, wb, project_id):
    from qidesk.services import measures
    from qidesk.services.data_entry import plan_paste
    from qidesk.ui.dialogs.paste_preview_dialog import PastePreviewModel

    measure = measures.get_measure(wb, new_measure(wb, project_id))
    plan = plan_paste(measure, [], f"{_uk(weeks_ago(2))}\t4\n{_uk(weeks_ago(1))}\tx\n")
    model = PastePreviewModel(plan)
    qtmodeltester.check(model)
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) is plan.lines[0]
    assert model.index(1, PreviewColumn.PROBLEM).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_a_pasted_comment_that_may_identify_a_patient_is_written_only_after_confirming(
        qtbot, wb, project_id, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or answers[len(asked) - 1])
    stack = QUndoStack()
    measure_id, screen = _setup(qtbot, wb, project_id, stack)
    text = f"{_uk(weeks_ago(3))}\t8\tMr Jones, NHS 943 476 5919\n"
    _paste(qtbot, screen.grid, text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert "may identify a patient" in asked[0]
    assert screen.data_grid.message.text() == ("Nothing was pasted: a comment may identify "
                                               "a patient.")
    assert weeks_ago(3) not in stored(wb, measure_id) and stack.count() == 0
    _paste(qtbot, screen.grid, text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stack.count() == 1)
    assert stored(wb, measure_id)[weeks_ago(3)].comment == "Mr Jones, NHS 943 476 5919"
