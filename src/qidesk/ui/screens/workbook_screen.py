"""The workbook screen: the navigator on the left, the chosen measure on the right."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qidesk.services.workbook import Workbook
from qidesk.storage.lease import LeaseInfo
from qidesk.ui.models.navigator_model import NavigatorModel, NavigatorRole
from qidesk.ui.screens.measure_screen import MeasureScreen
from qidesk.ui.screens.pages import page_class

_log = logging.getLogger(__name__)

START_TEXT = (
    "<h2>This workbook has no projects yet</h2>"
    "<p>Start with <b>Project &gt; New project…</b> (Ctrl+Shift+N): give it a title and "
    "your ward's name, then write its aim.</p>"
    "<p>Then add the measures that tell you whether things are improving with "
    "<b>Measure &gt; New measure…</b>: an outcome, a process and a balancing measure.</p>"
    "<p>To see how a ward uses QIDesk, open <b>File &gt; Open the demo workbook</b>.</p>")


class ReadOnlyBanner(QFrame):
    """Why the workbook is read-only, with "Take over" when the holder has gone quiet."""

    take_over_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Read-only notice")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.take_over_button = QPushButton("&Take over…")
        self.take_over_button.setAccessibleName("Take over this workbook")
        self.take_over_button.setToolTip("Open this workbook for changes here. Only offered "
                                         "when the other PC has been silent for 10 minutes.")
        self.take_over_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.take_over_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.take_over_button.clicked.connect(self.take_over_requested)

    def text(self) -> str:
        return self.label.text()

    def show_notice(self, notice: str | None, holder: LeaseInfo | None) -> None:
        self.label.setText(notice or "This workbook is open read-only.")
        self.offer_take_over(holder is not None and holder.is_stale())

    def offer_take_over(self, offer: bool) -> None:
        self.take_over_button.setVisible(offer)

    def holder_left(self) -> None:
        """The other PC has closed the workbook: offer to open it for changes here."""
        self.label.setText("The other PC has closed this workbook. You are still looking at "
                           "it read-only; open it for changes to record your own figures.")
        self.take_over_button.setText("&Open for changes")
        self.take_over_button.setAccessibleName("Open this workbook for changes")
        self.take_over_button.show()


class WorkbookScreen(QWidget):
    """Browse an open workbook's teams, projects and measures and see each chart."""

    measure_shown = Signal(int)
    take_over_requested = Signal()

    def __init__(self, wb: Workbook, *, rule_set: str = "anhoej", parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.rule_set = rule_set
        self.banner = ReadOnlyBanner()
        self.banner.setVisible(bool(wb.read_only))
        if wb.read_only:
            self.banner.show_notice(wb.notice, wb.lease_holder)
        self.model = NavigatorModel(self)
        self.navigator = QTreeView()
        self.navigator.setAccessibleName("Teams, projects and measures")
        self.navigator.setToolTip("Choose a measure to see its chart; right-click for more")
        self.navigator.setModel(self.model)
        self.navigator.setHeaderHidden(True)
        self.navigator.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # One history per open workbook: Edit > Undo / Redo act on it.
        self.undo_stack = QUndoStack(self)
        self.measure_screen = MeasureScreen(wb, self.undo_stack, rule_set=rule_set)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("workbookSplitter")
        self.splitter.addWidget(self.navigator)
        # At 200% scaling on a 1080p screen the measure screen may need more room than
        # there is: it scrolls rather than clipping its controls.
        self.measure_scroll = QScrollArea()
        self.measure_scroll.setWidget(self.measure_screen)
        self.measure_scroll.setWidgetResizable(True)
        self.measure_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.measure_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The right-hand side shows the page for the navigator's current row.
        self.pages = QStackedWidget()
        self.pages.addWidget(self.measure_scroll)
        self.start_page = QLabel(START_TEXT)  # a workbook with no projects yet
        self.start_page.setObjectName("startPage")
        self.start_page.setWordWrap(True)
        self.start_page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.start_page.setContentsMargins(24, 24, 24, 24)
        self.pages.addWidget(self.start_page)
        self._pages: dict[type, QWidget] = {}
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([300, 900])
        # (label, row kinds, callback(kind, entity)[, reads_only]) offered on navigator rows,
        # added by the action groups. Actions that change nothing (reports, exports) pass
        # reads_only=True and stay enabled on a read-only workbook.
        self.row_actions: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.navigator.selectionModel().currentChanged.connect(self._on_navigator_current_changed)
        self.navigator.customContextMenuRequested.connect(self._on_navigator_context_menu_requested)
        self.banner.take_over_requested.connect(self.take_over_requested)
        self.measure_screen.open_requested.connect(self._on_page_open_requested)
        # Measures may be added, renamed or removed by any command: keep the tree in step.
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    def reload(self) -> None:
        """Re-read the tree, keeping the current item (or showing the first measure)."""
        current = self.current_item()
        if not self.model.load(self.wb):
            return
        self._expand_teams_and_projects()
        index = self.model.index_of(*current) if current else None
        if index is None:  # first a chart, else a project to add measures to
            index = self.model.first_measure_index() or self.model.first_index("project")
        if index is not None:
            self.navigator.setCurrentIndex(index)
        else:
            self.pages.setCurrentWidget(self.start_page)

    def _expand_teams_and_projects(self) -> None:
        """Show every measure; the driver diagram and PDSA lists stay folded."""
        for team_row in range(self.model.rowCount()):
            team = self.model.index(team_row, 0)
            self.navigator.expand(team)
            for project_row in range(self.model.rowCount(team)):
                self.navigator.expand(self.model.index(project_row, 0, team))

    def current_item(self) -> tuple[str, int] | None:
        """(kind, id) of the navigator's current row."""
        index = self.navigator.currentIndex()
        entity = index.data(NavigatorRole.ENTITY) if index.isValid() else None
        return (index.data(NavigatorRole.KIND), entity.id) if entity is not None else None

    def current_id_of(self, kind: str) -> int | None:
        """Id of the record of `kind` the current row is, or sits under (a measure's
        project, a cycle's team...); None when there is none."""
        index = self.navigator.currentIndex()
        while index.isValid():
            if index.data(NavigatorRole.KIND) == kind:
                return index.data(NavigatorRole.ENTITY).id
            index = index.parent()
        return None

    def show_item(self, kind: str, record_id: int) -> bool:
        index = self.model.index_of(kind, record_id)
        if index is not None:
            self.navigator.setCurrentIndex(index)
        return index is not None

    def set_rule_set(self, rule_set: str) -> None:
        """Redraw the current chart with another run-chart rule set."""
        self.rule_set = rule_set
        self.measure_screen.rule_set = rule_set
        self.measure_screen.refresh()

    def _on_undo_stack_index_changed(self, index: int) -> None:
        # Figures typed into the grid never change the tree: skip the re-read on those
        # (it would cost every keystroke-commit a few dozen milliseconds).
        stack = self.undo_stack
        touched = [stack.command(i) for i in (index - 1, index) if 0 <= i < stack.count()]
        if touched and all(_changes_figures_only(c) for c in touched):
            return
        self.reload()

    def page_for(self, kind: str) -> QWidget | None:
        """The page showing rows of `kind` (made the first time), or None."""
        cls = page_class(kind)
        if cls is None:
            return None
        page = self._pages.get(cls)
        if page is None:
            page = self._pages[cls] = cls(self.wb, self.undo_stack)
            page.open_requested.connect(self._on_page_open_requested)
            page.records_changed.connect(self.reload)
            self.pages.addWidget(page)
        return page

    def current_page(self) -> QWidget:
        """What the right-hand side shows now (the measure screen, or another page)."""
        current = self.pages.currentWidget()
        return self.measure_screen if current is self.measure_scroll else current

    def _on_page_open_requested(self, kind: str, record_id: int) -> None:
        if not self.show_item(kind, record_id):
            self.reload()  # a record just added: the tree may not show it yet
            self.show_item(kind, record_id)

    def _on_navigator_current_changed(self, current, _previous) -> None:
        kind, entity = current.data(NavigatorRole.KIND), current.data(NavigatorRole.ENTITY)
        if kind != "measure":
            page = self.page_for(kind) if entity is not None else None
            if page is not None:
                page.show_record(kind, entity)
                self.pages.setCurrentWidget(page)
            return
        self.pages.setCurrentWidget(self.measure_scroll)
        measure = entity
        if self.measure_screen.measure_id != measure.id or self.measure_screen.current_chart is None:
            self.measure_screen.show_measure(measure.id)
        self.measure_shown.emit(measure.id)

    def _on_navigator_context_menu_requested(self, position) -> None:
        index = self.navigator.indexAt(position)
        if not index.isValid():
            return
        menu = self.context_menu_for(index)
        if menu is not None:
            menu.exec(self.navigator.viewport().mapToGlobal(position))

    def context_menu_for(self, index) -> QMenu | None:
        """The actions offered on a navigator row (None when there are none)."""
        kind, entity = index.data(NavigatorRole.KIND), index.data(NavigatorRole.ENTITY)
        menu = QMenu(self.navigator)
        for label, kinds, callback, *reads_only in self.row_actions:
            if kind in kinds and entity is not None:
                action = menu.addAction(label)
                action.setEnabled(not self.wb.read_only or reads_only == [True])
                action.triggered.connect(lambda _=False, e=entity, k=kind, c=callback: c(k, e))
        return menu if menu.actions() else None


def _changes_figures_only(command) -> bool:
    """Data point commands (ui/undo.py) add, change or remove figures, not tree rows."""
    return "DataPoint" in type(command).__name__
