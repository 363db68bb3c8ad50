"""Which measures go on a board report: a checklist grouped by team and project, with
the measures of the row the reader was on already ticked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

MEASURE_ID = Qt.ItemDataRole.UserRole + 1


class BoardChoiceDialog(QDialog):
    """Tick the measures for the board; `chosen_ids()` after OK."""

    def __init__(self, rows, ticked: set[int] | None, parent: QWidget | None = None):
        """`rows`: services.reviews.BoardRow-like (team_name, project_title, measure)."""
        super().__init__(parent)
        self.setWindowTitle("Board report: choose measures")
        self.model = QStandardItemModel(self)
        self.measure_items: list[QStandardItem] = []
        self._fill(rows, ticked)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Measures on the board report")
        self.tree.expandAll()
        self.count = QLabel()
        self.all_button = QPushButton("Tick &all")
        self.none_button = QPushButton("Tick &none")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Make report")
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the measures the board should see (one row each)."))
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.resize(560, 520)
        self._connect_signals()
        self._on_model_item_changed()

    def _fill(self, rows, ticked: set[int] | None) -> None:
        groups: dict[tuple[str, str], QStandardItem] = {}
        for row in rows:
            key = (row.team_name, row.project_title)
            group = groups.get(key)
            if group is None:
                group = groups[key] = QStandardItem(f"{row.project_title}  ·  {row.team_name}")
                group.setEditable(False)
                group.setSelectable(False)
                self.model.appendRow(group)
            item = QStandardItem(row.measure.name)
            item.setEditable(False)
            item.setCheckable(True)
            item.setData(row.measure.id, MEASURE_ID)
            on = ticked is None or row.measure.id in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            group.appendRow(item)
            self.measure_items.append(item)

    def _connect_signals(self) -> None:
        self.all_button.clicked.connect(lambda: self.tick_all(True))
        self.none_button.clicked.connect(lambda: self.tick_all(False))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.model.itemChanged.connect(self._on_model_item_changed)

    def tick_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for item in self.measure_items:
            item.setCheckState(state)

    def chosen_ids(self) -> list[int]:
        return [item.data(MEASURE_ID) for item in self.measure_items
                if item.checkState() == Qt.CheckState.Checked]

    def _on_model_item_changed(self, *_args) -> None:
        chosen = len(self.chosen_ids())
        self.count.setText(f"{chosen} of {len(self.measure_items)} measures ticked")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(chosen > 0)
