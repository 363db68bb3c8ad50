"""A project's driver diagram: the tree to edit on the left, the drawing on the right.

Keyboard first (the keys are in KEYS, the buttons' tooltips and the hint line); boxes
can also be dragged in the tree. Every edit is an undoable command and the drawing is
made again from the workbook after each one (and after Edit > Undo).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPen, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from qidesk.domain.entities import DriverNode, Project
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.reports import palette
from qidesk.reports.driver_diagram import (
    ITEM_LEVEL,
    ITEM_NODE,
    ITEM_ROLE,
    STATUS_STYLES,
    diagram_scene,
    export_diagram,
)
from qidesk.reports.scene_export import drawn_rect
from qidesk.services import drivers
from qidesk.services.workbook import Workbook
from qidesk.ui.driver_commands import DriverEditing
from qidesk.ui.models.driver_tree_model import DriverTreeModel

EXPORT_FILTERS = {"PNG picture (*.png)": ".png", "SVG drawing (*.svg)": ".svg",
                  "PDF document (*.pdf)": ".pdf"}
# name: (button text, keys, what it does); the first key is shown in the tooltip.
KEYS = {
    "add_under": ("Add under", ["Ins", "Ctrl+I"], "Add a box in the next column under this one"),
    "add_below": ("Add below", ["Ctrl+Return", "Ctrl+Enter"], "Add a box just below this one, "
                  "at the same level"),
    "rename": ("Rename", ["F2"], "Change this box's words"),
    "delete": ("Delete", ["Del"], "Delete this box and the boxes under it (Ctrl+Z brings "
               "them back)"),
    "move_up": ("Up", ["Alt+Up"], "Move this box above the one before it"),
    "move_down": ("Down", ["Alt+Down"], "Move this box below the one after it"),
    "promote": ("Promote", ["Alt+Left"], "Move this box one column left, after its parent"),
    "demote": ("Demote", ["Alt+Right"], "Move this box one column right, under the box above"),
}
HINT = ("Ins add under · Ctrl+Enter add below · F2 rename · Del delete · Alt+↑↓ move · "
        "Alt+←→ promote/demote · drag boxes to move them · click a change idea to see its "
        "PDSA cycles")


class DiagramView(QGraphicsView):
    """The drawing; a click on a box reports its node id."""

    node_clicked = Signal(int, bool)  # node id, whether it is a change idea

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName("Driver diagram drawing")

    def box_at(self, position):
        for item in self.items(position):
            if item.data(ITEM_NODE) is not None and item.data(ITEM_NODE) > 0:
                box = next((i for i in self.scene().items() if i.data(ITEM_ROLE) == "box"
                            and i.data(ITEM_NODE) == item.data(ITEM_NODE)), None)
                return box
        return None

    def mousePressEvent(self, event):
        box = self.box_at(event.position().toPoint())
        if box is not None and event.button() == Qt.MouseButton.LeftButton:
            self.node_clicked.emit(box.data(ITEM_NODE),
                                   box.data(ITEM_LEVEL) == DriverLevel.CHANGE_IDEA.value)
            return
        super().mousePressEvent(event)

    zoom = 0.0  # 0: fit the width; else the scale the reader chose

    def fit_width(self) -> None:
        """Whole width in sight (not larger than life, never unreadably small), or the
        reader's own zoom."""
        scene = self.scene()
        if scene is None:
            return
        width = scene.sceneRect().width()
        scale = self.zoom or max(0.5, min(1.0, (self.viewport().width() - 4) / max(width, 1)))
        self.resetTransform()
        self.scale(scale, scale)

    def show_start(self) -> None:
        """The aim (the first box drawn in the left column) centred, the left edge in sight."""
        boxes = [i for i in self.scene().items() if i.data(ITEM_ROLE) == "box"
                 and i.data(ITEM_LEVEL) == DriverLevel.AIM.value] if self.scene() else []
        if boxes:
            self.centerOn(boxes[0].sceneBoundingRect().center())
        self.horizontalScrollBar().setValue(0)

    def zoom_by(self, factor: float) -> None:
        self.zoom = max(0.3, min(2.5, self.transform().m11() * factor)) if factor else 0.0
        self.fit_width()

    def wheelEvent(self, event):
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            return
        super().wheelEvent(event)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.fit_width()


class DriverScreen(QWidget):
    """Page for the navigator's "driver_diagram" row (see ui/screens/pages.py)."""

    open_requested = Signal(str, int)
    records_changed = Signal()
    sign_in_requested = Signal(str)  # why a name is needed (nobody is signed in)

    def __init__(self, wb: Workbook, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self.project: Project | None = None
        self.nodes: list[DriverNode] = []
        self.scene = None
        self.frame = None  # marks the current box in the drawing
        self.pushing = False  # an edit of ours is going on the undo stack
        self.heading = QLabel("Driver diagram")
        self.heading.setObjectName("screenHeading")
        self.hint = QLabel(HINT if not wb.read_only else
                           "Read-only: you can look at and export the diagram, not change it.")
        self.hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.hide()
        self.model = DriverTreeModel(self)
        self.model.editable = not wb.read_only
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Driver diagram boxes")
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  if not wb.read_only else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop
                                  if not wb.read_only else QAbstractItemView.DragDropMode.NoDragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setWordWrap(True)
        self.status = QComboBox()
        for status, style in STATUS_STYLES.items():
            self.status.addItem(style.label, status)
        self.status.setAccessibleName("Change idea status")
        self.status.setToolTip("Where this change idea has got to in testing")
        status_label = QLabel("&Status:")
        status_label.setBuddy(self.status)
        self.view = DiagramView()
        self.export_button = QPushButton("&Export diagram…")
        self.export_button.setToolTip("Save the drawing as a PNG picture, SVG drawing or PDF")
        self.editing = DriverEditing(self)
        self.actions_by_name = self._make_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self._splitter(status_label), 1)
        self._connect_signals()

    def _make_actions(self) -> dict[str, QAction]:
        made = {}
        for name, (text, keys, tip) in KEYS.items():
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shown = QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shown})")
            action.setEnabled(not self.wb.read_only)
            action.triggered.connect(getattr(self.editing, name))
            self.addAction(action)
            made[name] = action
        return made

    def _splitter(self, status_label: QLabel) -> QSplitter:
        buttons = QGridLayout()
        buttons.setSpacing(4)
        for k, action in enumerate(self.actions_by_name.values()):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            buttons.addWidget(button, k // 4, k % 4)
        status_row = QHBoxLayout()
        status_row.addWidget(status_label)
        status_row.addWidget(self.status, 1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.tree, 1)
        column.addLayout(status_row)
        right = QWidget()
        drawing = QVBoxLayout(right)
        drawing.setContentsMargins(0, 0, 0, 0)
        drawing.addWidget(self.view, 1)
        under = QHBoxLayout()
        for text, factor, tip in (("−", 1 / 1.25, "Smaller (Ctrl+wheel)"),
                                  ("Fit", 0.0, "Fit the width of the diagram in the window"),
                                  ("+", 1.25, "Larger (Ctrl+wheel)")):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, f=factor: self.view.zoom_by(f))
            under.addWidget(button)
        under.addStretch(1)
        under.addWidget(self.export_button)
        drawing.addLayout(under)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 30)
        splitter.setStretchFactor(1, 70)
        splitter.setSizes([300, 700])
        return splitter

    def _connect_signals(self) -> None:
        queued = Qt.ConnectionType.QueuedConnection  # after the editor or drop has finished
        self.model.add_requested.connect(self.editing.add_typed, queued)
        self.model.rename_requested.connect(self.editing.rename_typed, queued)
        self.model.move_requested.connect(self.editing.move_dropped, queued)
        self.tree.itemDelegate().closeEditor.connect(self.editing.editor_closed)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.activated.connect(self._on_tree_activated)
        self.status.activated.connect(self._on_status_activated)
        self.view.node_clicked.connect(self._on_view_node_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)

    def show_record(self, kind: str, entity) -> None:
        if isinstance(entity, Project):
            first = self.project is None or self.project.id != entity.id
            self.project = entity
            self.heading.setText(f"Driver diagram: {entity.title}")
            self.refresh()
            if first:  # start with the aim in sight, at the left edge
                self.view.show_start()

    def refresh(self, select: int | None = None) -> None:
        """Read the diagram again, redraw it and keep (or move to) the chosen box."""
        if self.project is None:
            return
        current = self.current_node()
        nodes = drivers.driver_diagram(self.wb, self.project.id)
        keep = select if select is not None else (current.id if current else None)
        if nodes == self.nodes and self.scene is not None and self.model.pending is None:
            if keep is not None:  # nothing changed (the navigator showing the page again)
                self.tree.setCurrentIndex(self.model.index_of(keep))
            return
        self.nodes = nodes
        self.model.load(self.nodes)
        self.tree.expandAll()
        index = self.model.index_of(keep) if keep is not None else QModelIndex()
        if not index.isValid() and self.nodes:
            index = self.model.index(0, 0)
        self.tree.setCurrentIndex(index)
        self._draw()

    def _draw(self) -> None:
        old = self.scene
        if self.nodes:
            self.scene = diagram_scene("", self.nodes)
        else:
            self.scene = QGraphicsScene()
            words = ("No driver diagram yet. Press Ins (or Add under) to start it with the "
                     "project's aim." if not self.wb.read_only else "No driver diagram yet.")
            self.scene.addText(words).setTextWidth(420)
        self.scene.setParent(self)  # Qt frees it with the page, not Python at exit
        self.frame = self.scene.addRect(QRectF(), QPen(QColor(palette.NHS_DARK_GREY), 2,
                                                       Qt.PenStyle.DotLine))
        self.frame.setData(ITEM_ROLE, "current")
        self.frame.hide()
        self.scene.setSceneRect(drawn_rect(self.scene))
        self.view.setScene(self.scene)
        if old is not None:
            old.deleteLater()
        self.view.fit_width()
        self._mark_current()

    def _mark_current(self) -> None:
        """A frame round the tree's current box, kept in sight."""
        if self.frame is None or not isValid(self.frame):  # the page is closing
            return
        self.frame.hide()
        node = self.current_node()
        for item in self.scene.items():
            if item.data(ITEM_ROLE) != "box":
                continue
            if item.data(ITEM_LEVEL) == DriverLevel.CHANGE_IDEA.value:
                item.setCursor(Qt.CursorShape.PointingHandCursor)
            if node is not None and item.data(ITEM_NODE) == node.id:
                self.frame.setRect(item.rect().adjusted(-5, -5, 5, 5))
                self.frame.show()
                self.view.ensureVisible(item, 20, 20)

    def current_node(self) -> DriverNode | None:
        return self.model.node(self.tree.currentIndex())

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_tree_current_changed(self, *_args) -> None:
        node = self.current_node()
        idea = node is not None and node.level == DriverLevel.CHANGE_IDEA
        self.status.setEnabled(idea and not self.wb.read_only)
        self.status.setCurrentIndex(self.status.findData(node.status or ChangeIdeaStatus.UNTESTED)
                                    if idea else -1)
        self._mark_current()

    def _on_tree_activated(self, index) -> None:
        node = self.model.node(index)
        if node is not None and node.level == DriverLevel.CHANGE_IDEA:
            self.open_requested.emit("change_idea", node.id)

    def _on_status_activated(self, _row: int) -> None:
        self.editing.set_status(self.status.currentData())

    def _on_view_node_clicked(self, node_id: int, is_idea: bool) -> None:
        self.tree.setCurrentIndex(self.model.index_of(node_id))
        if is_idea:
            self.open_requested.emit("change_idea", node_id)

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        # Undo / redo from the Edit menu; our own edits refresh once they are pushed. (The
        # workbook screen re-reads the navigator on every step itself.)
        if self.project is not None and self.model.pending is None and not self.pushing:
            self.refresh()

    def _on_export_button_clicked(self) -> None:
        name = f"Driver diagram - {self.project.title if self.project else 'project'}.pdf"
        path, chosen = QFileDialog.getSaveFileName(self, "Export driver diagram", name,
                                                   ";;".join(EXPORT_FILTERS))
        if path:
            self.export_to(Path(path), EXPORT_FILTERS.get(chosen, ".pdf"))

    def export_to(self, path: Path, default_suffix: str = ".pdf") -> Path | None:
        if path.suffix.lower() not in EXPORT_FILTERS.values():
            path = path.with_suffix(default_suffix)
        try:
            saved = export_diagram(diagram_scene("", self.nodes), path)
        except OSError as exc:
            self.show_message(f"Could not save the diagram there ({exc}). Choose another folder.")
            return None
        self.show_message("")
        return saved

    def queue(self, step) -> None:
        QTimer.singleShot(0, step)
