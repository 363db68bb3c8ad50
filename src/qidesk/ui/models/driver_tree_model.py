"""The driver diagram as an editable tree: aim → drivers → change ideas, in sibling order.

The model never writes: renames, new boxes and drops are emitted as requests and the page
turns them into undoable commands, then loads the model again. A box being added lives
as a "pending" row (id 0) until its text is typed, so adding is one step of history.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, Qt, Signal

from qidesk.domain.entities import DriverNode
from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
from qidesk.domain.errors import ValidationError
from qidesk.reports.driver_diagram import STATUS_STYLES
from qidesk.services.drivers import ALLOWED_PARENT, LEVEL_WORDS, level_under

MIME_TYPE = "application/x-qidesk-driver-node"
PENDING = 0  # id of the row being added (database ids start at 1)
NODE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Pending:
    """A box being typed: where it will go and at what level."""

    parent_id: int | None
    index: int
    level: DriverLevel
    text: str = ""  # offered in the editor (the aim starts from the project's aim)
    typed: bool = False  # Enter pressed: being saved, not to be dropped with the editor


class DriverTreeModel(QAbstractItemModel):
    """One project's boxes; NODE_ROLE gives the DriverNode of a row."""

    rename_requested = Signal(int, str)  # node id, new text
    add_requested = Signal(object)  # Pending with the typed text
    move_requested = Signal(int, int, int)  # node id, new parent id, index under it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.nodes: dict[int, DriverNode] = {}
        self.children: dict[int | None, list[int]] = {}
        self.pending: Pending | None = None
        self.editable = True

    def load(self, nodes: list[DriverNode]) -> None:
        self.beginResetModel()
        self.pending = None
        self.nodes = {n.id: n for n in nodes}
        self.children = {}
        for node in sorted(nodes, key=lambda n: (n.position, n.id)):
            parent = node.parent_id if node.parent_id in self.nodes else None
            self.children.setdefault(parent, []).append(node.id)
        self.endResetModel()

    def _kids(self, parent_id: int | None) -> list[int]:
        kids = list(self.children.get(parent_id, []))
        if self.pending is not None and self.pending.parent_id == parent_id:
            kids.insert(min(self.pending.index, len(kids)), PENDING)
        return kids

    def _parent_of(self, node_id: int) -> int | None:
        if node_id == PENDING:
            return self.pending.parent_id
        parent = self.nodes[node_id].parent_id
        return parent if parent in self.nodes else None

    def node(self, index: QModelIndex) -> DriverNode | None:
        return self.nodes.get(index.internalId()) if index.isValid() else None

    def index_of(self, node_id: int) -> QModelIndex:
        if node_id != PENDING and node_id not in self.nodes:
            return QModelIndex()
        parent = self._parent_of(node_id)
        return self.createIndex(self._kids(parent).index(node_id), 0, node_id)

    def start_adding(self, pending: Pending) -> QModelIndex:
        """Show an empty row where a new box will go; returns its index to edit."""
        self.cancel_adding()
        parent = self.index_of(pending.parent_id) if pending.parent_id else QModelIndex()
        row = min(pending.index, len(self.children.get(pending.parent_id, [])))
        self.beginInsertRows(parent, row, row)
        self.pending = Pending(pending.parent_id, row, pending.level, pending.text)
        self.endInsertRows()
        return self.index_of(PENDING)

    def cancel_adding(self) -> None:
        if self.pending is None:
            return
        index = self.index_of(PENDING)
        self.beginRemoveRows(index.parent(), index.row(), index.row())
        self.pending = None
        self.endRemoveRows()

    # QAbstractItemModel
    def index(self, row, column, parent=QModelIndex()):
        if column != 0 or row < 0:
            return QModelIndex()
        parent_id = parent.internalId() if parent.isValid() else None
        kids = self._kids(parent_id)
        return self.createIndex(row, 0, kids[row]) if row < len(kids) else QModelIndex()

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        parent = self._parent_of(index.internalId())
        return self.index_of(parent) if parent is not None else QModelIndex()

    def rowCount(self, parent=QModelIndex()):
        if parent.column() > 0:
            return 0
        return len(self._kids(parent.internalId() if parent.isValid() else None))

    def columnCount(self, parent=QModelIndex()):
        return 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == PENDING:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return self.pending.text
            tip = role == Qt.ItemDataRole.ToolTipRole
            return f"New {LEVEL_WORDS[self.pending.level]}: type its words, Enter" if tip else None
        node = self.nodes[index.internalId()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.DisplayRole and node.level == DriverLevel.CHANGE_IDEA:
                return f"{node.text}  ·  {_status(node).label.lower()}"
            return node.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tip(node)
        if role == NODE_ROLE:
            return node
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = str(value).strip()
        if index.internalId() == PENDING:
            if text:
                self.pending = Pending(self.pending.parent_id, self.pending.index,
                                       self.pending.level, text, typed=True)
                self.dataChanged.emit(index, index)
                self.add_requested.emit(self.pending)
            return bool(text)
        node = self.nodes[index.internalId()]
        if text and text != node.text:
            self.rename_requested.emit(node.id, text)
        return False

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if not self.editable:
            return flags
        flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDropEnabled
        node = self.nodes.get(index.internalId())
        if node is not None and node.level != DriverLevel.AIM:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # Drag and drop: the dragged box's id travels in the mime data.
    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self):
        return [MIME_TYPE]

    def mimeData(self, indexes):
        node = next((self.node(i) for i in indexes if self.node(i) is not None), None)
        if node is None:
            return None
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(str(node.id).encode()))
        return data

    def drop_target(self, data: QMimeData, row: int, parent: QModelIndex):
        """(node id, new parent id, index) of a drop that keeps the tree whole, else None."""
        target = self.node(parent)
        if not self.editable or target is None or not data.hasFormat(MIME_TYPE):
            return None
        node = self.nodes.get(int(bytes(data.data(MIME_TYPE)).decode() or 0))
        if node is None or not self._may_hang(node, target):
            return None
        siblings = self.children.get(target.id, [])
        index = len(siblings) if row < 0 else row
        if node.id in siblings and siblings.index(node.id) < index:
            index -= 1  # the box leaves its old place first
        return node.id, target.id, index

    def _may_hang(self, node: DriverNode, target: DriverNode) -> bool:
        ancestor = target
        while ancestor is not None:
            if ancestor.id == node.id:
                return False
            ancestor = self.nodes.get(ancestor.parent_id)
        try:
            return target.level in ALLOWED_PARENT[level_under(node, target)]
        except ValidationError:
            return False

    def canDropMimeData(self, data, action, row, column, parent):
        return self.drop_target(data, row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent):
        target = self.drop_target(data, row, parent)
        if target is not None:
            self.move_requested.emit(*target)
        # False: the page moves the box through the undo stack and reloads the tree,
        # so the view must not remove the dragged row itself.
        return False


def _status(node: DriverNode):
    return STATUS_STYLES[node.status or ChangeIdeaStatus.UNTESTED]


def _tip(node: DriverNode) -> str:
    if node.level == DriverLevel.CHANGE_IDEA:
        return (f"Change idea ({_status(node).label.lower()}): {node.text}\n"
                "Press Enter or double-click to see its PDSA cycles.")
    return f"{LEVEL_WORDS[node.level].capitalize()}: {node.text}"
