"""The matron's review board: every measure of one or more workbooks as a tile, with
filters, sorting, "new since your review", sign-off and the full chart a click away.

A window of its own. It reads through services only; sign-offs and opening a chart
are requests (`sign_off_requested`, `chart_requested`) the review actions carry out,
because only they know the main window's workbook and its undo stack.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qidesk.services.board import board_tiles
from qidesk.ui.models.board_model import (
    SIGNAL_WORDS,
    SORT_KEYS,
    BoardFilter,
    BoardModel,
    BoardRole,
    BoardSource,
)
from qidesk.ui.screens.measure_screen import MeasureScreen
from qidesk.ui.widgets.measure_tile import MeasureTileDelegate

KINDS = {"outcome": "Outcome", "process": "Process", "balancing": "Balancing"}


class ReviewBoard(QMainWindow):
    """Tiles of every measure in `sources`; `reviewer` is whose last review counts."""

    chart_requested = Signal(object, int)  # BoardSource, measure id
    sign_off_requested = Signal(object, str, object)  # BoardSource, "measure"/"project", tile

    def __init__(self, sources: list[BoardSource], reviewer: str | None, *,
                 today: date | None = None, rule_set: str = "anhoej", parent=None):
        super().__init__(parent)
        self.sources = sources
        self.reviewer = reviewer or None
        self.today = today or date.today()
        self.rule_set = rule_set
        self.setWindowTitle("Review board — QIDesk")
        self.model = BoardModel(self)
        self.proxy = BoardFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(False)
        self.delegate = MeasureTileDelegate(self)
        self.tiles = TileView(self.delegate)
        self.tiles.setViewMode(QListView.ViewMode.IconMode)
        self.tiles.setResizeMode(QListView.ResizeMode.Adjust)
        self.tiles.setMovement(QListView.Movement.Static)
        self.tiles.setUniformItemSizes(True)
        self.tiles.setSpacing(4)
        self.tiles.setWordWrap(True)
        self.tiles.setModel(self.proxy)
        self.tiles.setItemDelegate(self.delegate)
        self.tiles.setAccessibleName("Measures on the board")
        self.tiles.setToolTip("Double-click a tile (or press Enter) to open its chart")
        self.team = _combo("Team", "Show the measures of one team (ward)")
        self.project = _combo("Project", "Show the measures of one project")
        self.kind = _combo("Measure kind", "Outcome, process or balancing measures")
        self.signal = _combo("Signal", "Measures with a signal, overdue data, or news "
                                       "since your last review")
        self.sort = _combo("Sort by", "The order of the tiles")
        self.count = QLabel()
        self.heading = QLabel()
        self.heading.setObjectName("screenHeading")
        self.open_button = _button("&Open chart", "Open the selected measure's full chart")
        self.sign_measure = _button("Sign off &measure…", "Sign off the selected measure "
                                    "with a comment")
        self.sign_project = _button("Sign off &project…", "Sign off the selected measure's "
                                    "whole project with a comment")
        self._build()
        self._connect_signals()
        self.reload()

    def _build(self) -> None:
        filters = QHBoxLayout()
        for label, combo in (("&Team", self.team), ("&Project", self.project),
                             ("&Kind", self.kind), ("S&ignal", self.signal),
                             ("Sor&t by", self.sort)):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)
        for key, words in SORT_KEYS.items():
            self.sort.addItem(words, key)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        for button in (self.open_button, self.sign_measure, self.sign_project):
            actions.addWidget(button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.tiles, 1)
        layout.addLayout(actions)
        self.setCentralWidget(body)
        self.resize(1280, 800)

    def _connect_signals(self) -> None:
        for combo in (self.team, self.project, self.kind, self.signal):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.sort.currentIndexChanged.connect(self._on_sort_current_index_changed)
        self.tiles.activated.connect(self._on_tiles_activated)
        self.tiles.selectionModel().currentChanged.connect(self._on_tiles_current_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.sign_measure.clicked.connect(self._on_sign_measure_clicked)
        self.sign_project.clicked.connect(self._on_sign_project_clicked)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)

    def reload(self) -> None:
        """Read every source's tiles again (after a sign-off, or F5)."""
        current = self.current_tile()
        rows = []
        for source in self.sources:
            rows += [(source, tile) for tile in
                     board_tiles(source.wb, self.reviewer, self.today, rule_set=self.rule_set)]
        self.delegate.forget()
        self.model.set_tiles(rows)
        self._fill_filters()
        self.proxy.sort(0)
        who = f"reviewing as {self.reviewer}" if self.reviewer else "nobody signed in"
        places = (f"{len(self.sources)} workbooks" if len(self.sources) > 1
                  else self.sources[0].label if self.sources else "no workbook")
        self.heading.setText(f"Review board · {places} · {who}")
        self._update_count()
        if current is not None:
            self.select(current[0], current[1].measure.id)
        elif self.proxy.rowCount():
            self.tiles.setCurrentIndex(self.proxy.index(0, 0))

    def _fill_filters(self) -> None:
        chosen = {combo: combo.currentData() for combo in (self.team, self.project, self.kind,
                                                           self.signal)}
        several = self.model.show_labels
        teams, projects = {}, {}
        for source, tile in self.model.rows:
            label = f"{source.label} · " if several else ""
            teams.setdefault((source.label, tile.team_name), f"{label}{tile.team_name}")
            projects.setdefault((source.label, tile.project_id), f"{label}{tile.project_title}")
        options = {
            self.team: [("All teams", None), *[(v, k) for k, v in teams.items()]],
            self.project: [("All projects", None), *[(v, k) for k, v in projects.items()]],
            self.kind: [("All kinds", None), *[(v, k) for k, v in KINDS.items()]],
            self.signal: [("Any signal", None), *[(v, k) for k, v in SIGNAL_WORDS.items()],
                          ("Overdue data", "overdue"), ("New since my review", "new")],
        }
        for combo, items in options.items():
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(chosen[combo])))
            combo.blockSignals(False)
        self._on_filter_changed()

    def current_tile(self):
        """(source, tile) of the selected tile, or None."""
        index = self.tiles.currentIndex()
        if not index.isValid():
            return None
        return index.data(BoardRole.SOURCE), index.data(BoardRole.TILE)

    def visible_tiles(self) -> list:
        return [self.proxy.index(r, 0).data(BoardRole.TILE) for r in range(self.proxy.rowCount())]

    def select(self, source, measure_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if (index.data(BoardRole.SOURCE) is source
                    and index.data(BoardRole.TILE).measure.id == measure_id):
                self.tiles.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.tiles.scrollTo(index)
                return True
        return False

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        new = sum(1 for tile in self.visible_tiles() if tile.since.anything)
        overdue = sum(1 for tile in self.visible_tiles() if tile.overdue is not None)
        self.count.setText(f"Showing {shown} of {total} measures · {new} with news since "
                           f"the last review · {overdue} overdue")
        self._on_tiles_current_changed()

    def _on_filter_changed(self, *_args) -> None:
        self.proxy.set_filter(team=self.team.currentData(), project=self.project.currentData(),
                              kind=self.kind.currentData(), signal=self.signal.currentData())
        self._update_count()

    def _on_sort_current_index_changed(self, _index: int) -> None:
        self.proxy.set_sort_key(self.sort.currentData())

    def _on_tiles_current_changed(self, *_args) -> None:
        current = self.current_tile()
        writable = current is not None and not current[0].wb.read_only
        self.open_button.setEnabled(current is not None)
        for button in (self.sign_measure, self.sign_project):
            button.setEnabled(writable)
            button.setToolTip(button.toolTip().split("\n")[0] + (
                "" if writable or current is None else
                "\nThis workbook is open read-only for review: open it in the main window "
                "(File > Open) to sign off."))

    def _on_tiles_activated(self, index) -> None:
        self.chart_requested.emit(index.data(BoardRole.SOURCE), index.data(BoardRole.TILE).measure.id)

    def _on_open_button_clicked(self) -> None:
        if self.tiles.currentIndex().isValid():
            self._on_tiles_activated(self.tiles.currentIndex())

    def _on_sign_measure_clicked(self) -> None:
        current = self.current_tile()
        if current is not None:
            self.sign_off_requested.emit(current[0], "measure", current[1])

    def _on_sign_project_clicked(self) -> None:
        current = self.current_tile()
        if current is not None:
            self.sign_off_requested.emit(current[0], "project", current[1])


class TileView(QListView):
    """The tiles in whole columns that fill the width (no ragged gap at the right)."""

    def __init__(self, delegate: MeasureTileDelegate):
        super().__init__()
        self.tile_delegate = delegate

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.tile_delegate.fit_width(self.viewport().width(), self.spacing()):
            self.scheduleDelayedItemsLayout()
        super().resizeEvent(event)


class ChartView(QDialog):
    """A measure's full chart from a workbook opened read-only for review."""

    def __init__(self, source: BoardSource, measure_id: int, *, rule_set: str = "anhoej",
                 parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{source.label} — read-only")
        self.screen = MeasureScreen(source.wb, QUndoStack(self), rule_set=rule_set)
        self.screen.show_measure(measure_id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        note = QLabel(f"  {source.label}: opened read-only for review")
        note.setObjectName("readOnlyNote")
        layout.addWidget(note)
        layout.addWidget(self.screen)
        self.resize(QSize(1100, 720))


def _combo(name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button
