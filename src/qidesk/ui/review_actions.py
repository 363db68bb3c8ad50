"""The Review menu: the review board (of the open workbook, or of several workbooks
opened read-only), and signing off a measure or a project with a comment.

Review mode opens other wards' workbooks read-only, which takes no lease (a ward
keeps writing while the matron reviews); they close with the board.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qidesk.domain.entities import Measure, Project
from qidesk.domain.enums import ReviewSubject
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import PidConfirmationRequired
from qidesk.storage.errors import StorageError
from qidesk.ui.actions import menu_action
from qidesk.ui.models.navigator_model import NavigatorRole

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

WORKBOOK_FILTER = "QIDesk workbooks (*.qidesk);;All files (*)"


class ReviewActions(QObject):
    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.board = None  # the open ReviewBoard window
        self.review_books: list = []  # workbooks opened read-only for the board
        self.chart_views: list = []
        self.dialog = None  # the SignOffDialog while it is open
        # Figures typed in the main window since the board last read them: it reads them
        # again when the reviewer comes back to it (not on every keystroke: a trust's
        # board takes a second or two to read).
        self.board_behind = False
        menu = controller.window.menu("&Review")
        self.board_action = _action(menu, "Review &board", "See every measure of this "
                                    "workbook as a tile, with what changed since your review",
                                    QKeySequence("Ctrl+B"))
        self.several_action = _action(menu, "Review &several workbooks…", "Open several "
                                      "wards' workbooks read-only on one board")
        menu.addSeparator()
        self.measure_action = _action(menu, "Sign off this &measure…", "Sign off the measure "
                                      "on show with a comment")
        self.project_action = _action(menu, "Sign off this &project…", "Sign off the chosen "
                                      "project (all its measures) with a comment")
        self.board_action.triggered.connect(self.open_board)
        self.several_action.triggered.connect(self._on_several_action_triggered)
        self.measure_action.triggered.connect(self._on_measure_action_triggered)
        self.project_action.triggered.connect(self._on_project_action_triggered)
        controller.workbook_opened.connect(self._on_controller_workbook_opened)
        controller.workbook_closed.connect(self._on_controller_workbook_closed)
        self._on_controller_workbook_closed()

    def open_board(self):
        """The board of the workbook open in the main window."""
        from qidesk.ui.models.board_model import BoardSource

        if self.c.wb is None:
            return None
        return self._show_board([BoardSource(self.c.wb, self.c.wb.path.stem)])

    def open_review(self, paths: list[Path]):
        """A board of several workbooks, each opened read-only (no lease taken)."""
        from qidesk.services.workbook import open_workbook
        from qidesk.ui.models.board_model import BoardSource

        sources, refused = [], []
        for path in paths:
            path = Path(path)
            if self.c.wb is not None and path.resolve() == self.c.wb.path.resolve():
                sources.append(BoardSource(self.c.wb, path.stem))  # already open: sign-offs work
                continue
            try:
                wb = open_workbook(path, self.c.session.name or "", read_only=True)
            except StorageError as exc:
                refused.append(f"{path.name}: {exc.message}")
                continue
            sources.append(BoardSource(wb, path.stem))
        if refused:
            QMessageBox.warning(self.c.window, "Some workbooks were not opened",
                                "These workbooks could not be opened for review:\n\n"
                                + "\n".join(refused))
        if not sources:
            return None
        return self._show_board(sources)

    def _show_board(self, sources):
        from qidesk.ui.screens.review_board import ReviewBoard

        self._close_board()
        self.review_books = [s.wb for s in sources if s.wb is not self.c.wb]
        self.board = ReviewBoard(sources, self.c.session.name,
                                 rule_set=self.c.settings.run_chart_rules)
        self.board.chart_requested.connect(self._on_board_chart_requested)
        self.board.sign_off_requested.connect(self._on_board_sign_off_requested)
        self.board.installEventFilter(self)
        self.board_behind = False
        self.board.show()
        return self.board

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if (watched is self.board and event.type() == QEvent.Type.WindowActivate
                and self.board_behind):
            self.board_behind = False
            self.board.reload()
        return False

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        if self.board is not None and any(s.wb is self.c.wb for s in self.board.sources):
            self.board_behind = True

    def _close_board(self) -> None:
        for view in self.chart_views:
            view.close()
        self.chart_views = []
        if self.board is not None:
            self.board.close()
            self.board.deleteLater()
            self.board = None
        for wb in self.review_books:
            wb.close()
        self.review_books = []

    def sign_off(self, subject: ReviewSubject, subject_id: int, name: str,
                 details: str = "") -> bool:
        """Ask for a comment and record the sign-off on the open workbook (undoable)."""
        from qidesk.ui import undo
        from qidesk.ui.dialogs.sign_off_dialog import SignOffCommand, SignOffDialog
        from qidesk.ui.widgets.pid_prompt import confirm_pid

        wb, screen = self.c.wb, self.c.screen
        if wb is None or screen is None or wb.read_only:
            return False
        if self.c.session.name is None:  # a sign-off records who signed
            self.c.session.ask("Pick your name before signing off.")
            return False
        parent = self.board if self.board is not None and self.board.isActiveWindow() else self.c.window
        self.dialog = SignOffDialog(subject.value, name, self.c.session.name, details, parent)
        try:
            if not self.dialog.exec():
                return False
            comment = self.dialog.text
        finally:
            self.dialog.deleteLater()
            self.dialog = None
        confirm = False
        while True:
            try:
                undo.push(screen.undo_stack, SignOffCommand(wb, subject, subject_id, comment,
                                                            name, confirm_pid=confirm))
                break
            except PidConfirmationRequired as exc:
                if confirm or not confirm_pid(parent, exc.warnings):
                    return False
                confirm = True
            except (ValidationError, StorageError) as exc:
                QMessageBox.warning(parent, "Not signed off", exc.message)
                return False
        self.c.window.statusBar().showMessage(f"Signed off {name}", 10_000)
        if self.board is not None:
            self.board.reload()
        return True

    def _on_controller_workbook_opened(self, wb) -> None:
        self.board_action.setEnabled(True)
        writable = not wb.read_only
        self.measure_action.setEnabled(writable)
        self.project_action.setEnabled(writable)
        self.c.screen.row_actions += [
            ("&Sign off this measure…", {"measure"}, self._on_row_sign_off),
            ("&Sign off this project…", {"project"}, self._on_row_sign_off),
        ]
        self.c.screen.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    def _on_controller_workbook_closed(self) -> None:
        if self.board is not None and any(s.wb is not None and s.wb not in self.review_books
                                          for s in self.board.sources):
            self._close_board()  # it showed the workbook just closed
        for action in (self.board_action, self.measure_action, self.project_action):
            action.setEnabled(False)

    def _on_row_sign_off(self, kind: str, entity) -> None:
        if kind == "measure":
            self.sign_off(ReviewSubject.MEASURE, entity.id, entity.name)
        elif kind == "project":
            self.sign_off(ReviewSubject.PROJECT, entity.id, entity.title)

    def _current(self):
        index = self.c.screen.navigator.currentIndex() if self.c.screen is not None else None
        if index is None or not index.isValid():
            return None, None
        return index.data(NavigatorRole.KIND), index.data(NavigatorRole.ENTITY)

    def _on_measure_action_triggered(self) -> None:
        kind, entity = self._current()
        if kind == "measure" and isinstance(entity, Measure):
            self.sign_off(ReviewSubject.MEASURE, entity.id, entity.name)
        else:
            self.c.window.statusBar().showMessage("Choose a measure in the list first.", 10_000)

    def _on_project_action_triggered(self) -> None:
        from qidesk.services import projects

        kind, entity = self._current()
        if kind == "measure" and isinstance(entity, Measure):
            entity = projects.get_project(self.c.wb, entity.project_id)
        if isinstance(entity, Project):
            self.sign_off(ReviewSubject.PROJECT, entity.id, entity.title)
        else:
            self.c.window.statusBar().showMessage("Choose a project or one of its measures "
                                                  "first.", 10_000)

    def _on_several_action_triggered(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.c.window, "Review several workbooks",
                                                str(self.c.data_folder), WORKBOOK_FILTER)
        if paths:
            self.open_review([Path(p) for p in paths])

    def _on_board_chart_requested(self, source, measure_id: int) -> None:
        from qidesk.ui.screens.review_board import ChartView

        if source.wb is self.c.wb and self.c.screen is not None:
            self.c.screen.show_item("measure", measure_id)
            self.c.window.showNormal()
            self.c.window.raise_()
            self.c.window.activateWindow()
            return
        view = ChartView(source, measure_id, rule_set=self.c.settings.run_chart_rules,
                         parent=self.board)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.destroyed.connect(lambda *_a, v=view: self.chart_views.remove(v)
                               if v in self.chart_views else None)
        self.chart_views.append(view)
        view.show()

    def _on_board_sign_off_requested(self, source, what: str, tile) -> None:
        if source.wb is not self.c.wb:
            return  # read-only for review: the board offers no sign-off there
        from qidesk.ui.models.board_model import since_text

        new = since_text(tile)
        details = f"New since the last review: {new}." if new else ""
        if what == "measure":
            self.sign_off(ReviewSubject.MEASURE, tile.measure.id, tile.measure.name, details)
        else:
            self.sign_off(ReviewSubject.PROJECT, tile.project_id, tile.project_title)


def _action(menu, text: str, tip: str, shortcut: QKeySequence | None = None) -> QAction:
    action = menu_action(menu, text, tip, shortcut)
    menu.addAction(action)
    return action
