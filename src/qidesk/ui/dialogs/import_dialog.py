"""Import a measure's data from a file: which column is which, the rows as they would be
written, every problem found, and what to do with periods that already have figures.

Nothing is written here: "Import" emits import_requested and the caller runs the import
(off the UI thread) and reports back through show_refusal() or by closing the dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.domain.entities import Measure
from qidesk.domain.errors import ValidationError
from qidesk.services import data_points
from qidesk.services.data_points import ExistingPolicy
from qidesk.services.imports import ImportPreview, preview_import
from qidesk.services.tabular import ColumnMapping, RowProblem, guess_mapping, read_table
from qidesk.storage.errors import StorageError
from qidesk.ui.models.import_preview_model import (
    PREVIEW_ROWS,
    ImportProblemsModel,
    ImportRowsModel,
    RowColumn,
)

ROLE_LABELS = {"period": "&Period (date):", "value": "&Value:", "numerator": "&Numerator:",
               "denominator": "&Denominator:", "comment": "&Comment:"}
NOT_IN_FILE = "(not in the file)"
NO_UNDO_NOTE = ("A backup of the workbook is taken first. Undo (Ctrl+Z) cannot take an "
                "import back, nor changes made before it: restore the backup instead.")


def _table(model, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ImportDialog(QDialog):
    """Checks `path` against `measure` with the services' preview; never writes."""

    import_requested = Signal(object, object)  # ColumnMapping, ExistingPolicy

    def __init__(self, wb, measure: Measure, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.wb, self.measure, self.path = wb, measure, Path(path)
        self.preview: ImportPreview | None = None
        self.headers: list[str] = []
        self.setWindowTitle(f"Import data into {measure.name}")
        self.roles = (["period", "numerator", "denominator", "comment"]
                      if measure.value_type.has_denominator else ["period", "value", "comment"])
        self.combos = {role: QComboBox() for role in self.roles}
        self.rows_model = ImportRowsModel(measure, self)
        self.problems_model = ImportProblemsModel(self)
        self._build()
        self._connect_signals()
        self._load(None)

    def _build(self) -> None:
        self.file_label = QLabel(f"From <b>{self.path.name}</b> into <b>{self.measure.name}</b>")
        self.file_label.setToolTip(str(self.path))
        mapping_box = QGroupBox("Which column holds what")
        form = QFormLayout(mapping_box)
        for role, combo in self.combos.items():
            combo.setAccessibleName(f"{role.capitalize()} column")
            combo.setToolTip(f"The file's column that holds the {role}")
            form.addRow(ROLE_LABELS[role], combo)
        self.skip_radio = QRadioButton("&Skip periods that already have figures")
        self.replace_radio = QRadioButton("&Replace their figures with the file's")
        self.skip_radio.setChecked(True)
        self.existing_group = QButtonGroup(self)
        for radio in (self.skip_radio, self.replace_radio):
            radio.setAccessibleName(radio.text().replace("&", ""))
            self.existing_group.addButton(radio)
        existing_box = QGroupBox("Periods already in the workbook")
        existing_layout = QVBoxLayout(existing_box)
        self.existing_label = QLabel()
        self.existing_label.setWordWrap(True)
        existing_layout.addWidget(self.existing_label)
        existing_layout.addWidget(self.skip_radio)
        existing_layout.addWidget(self.replace_radio)
        top = QHBoxLayout()
        top.addWidget(mapping_box, 1)
        top.addWidget(existing_box, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        self.summary.setAccessibleName("What the import will do")
        self.rows_view = _table(self.rows_model, "Rows as they will be written")
        self.problems_view = _table(self.problems_model, "Problems found in the file")
        self._show_value_columns()
        note = QLabel(NO_UNDO_NOTE)
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import the rows")
        self.import_button.setToolTip("Write every row in one go: all of them or none")
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(f"First {PREVIEW_ROWS} rows as they will be written:"))
        layout.addWidget(self.rows_view, 3)
        self.problems_heading = QLabel("Problems to fix in the file first:")
        layout.addWidget(self.problems_heading)
        layout.addWidget(self.problems_view, 2)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(820, 600)  # fits a 1280x720 ward screen

    def _show_value_columns(self) -> None:
        ratio = self.measure.value_type.has_denominator
        self.rows_view.setColumnHidden(RowColumn.VALUE, ratio)
        self.rows_view.setColumnHidden(RowColumn.NUMERATOR, not ratio)
        self.rows_view.setColumnHidden(RowColumn.DENOMINATOR, not ratio)

    def _connect_signals(self) -> None:
        for combo in self.combos.values():
            combo.activated.connect(self._on_combo_activated)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    @property
    def existing(self) -> ExistingPolicy:
        return ExistingPolicy.REPLACE if self.replace_radio.isChecked() else ExistingPolicy.SKIP

    def mapping(self) -> ColumnMapping | None:
        """The mapping the combo boxes show (None while no period column is chosen)."""
        chosen = {role: combo.currentData() for role, combo in self.combos.items()}
        if chosen.get("period") is None:
            return None
        return ColumnMapping(**chosen)

    def _load(self, mapping: ColumnMapping | None) -> None:
        """Check the file with `mapping` (None: let the services guess)."""
        try:
            self.preview = preview_import(self.wb, self.measure.id, self.path, mapping=mapping)
        except (ValidationError, StorageError) as exc:
            self.preview = None
            if mapping is None:  # no guess: still offer the file's columns to choose from
                self._offer_columns()
            self._show_problem(exc.message)
            return
        self.headers = self.preview.table.headers
        self._fill_combos(self.preview.mapping)
        self._show_preview(self.preview)

    def _offer_columns(self) -> None:
        try:
            table = read_table(self.path)
        except (ValidationError, StorageError):
            return  # the message already says why the file can't be read
        self.headers = table.headers
        try:  # the guess may be half right (e.g. no values column): show that half
            guess = guess_mapping(table, self.measure.value_type)
        except ValidationError:
            guess = ColumnMapping(period=0)
        if self.headers:
            self._fill_combos(guess)

    def _fill_combos(self, mapping: ColumnMapping) -> None:
        for role, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            if role != "period":
                combo.addItem(NOT_IN_FILE, None)
            for index, heading in enumerate(self.headers):
                combo.addItem(heading, index)
            combo.setCurrentIndex(max(0, combo.findData(getattr(mapping, role))))
            combo.blockSignals(False)

    def _show_preview(self, preview: ImportPreview) -> None:
        self.rows_model.set_rows(preview.rows)
        self.problems_model.set_items(preview.problems)
        stored = {p.period for p in data_points.list_data_points(self.wb, self.measure.id)}
        clashes = sum(1 for row in preview.rows if row.period in stored)
        verb = "has" if clashes == 1 else "have"
        self.existing_label.setText(
            f"{clashes} of the file's periods already {verb} figures." if clashes
            else "None of the file's periods have figures yet.")
        rows = len(preview.rows)
        text = f"{rows} row{'s' if rows != 1 else ''} ready to import."
        if preview.problems:
            count = len(preview.problems)
            text = (f"{count} problem{'s' if count != 1 else ''} found: nothing can be "
                    "imported until the file is fixed (or a column changed above).")
        elif not rows:
            text = "The file has no data rows to import."
        self._set_summary(text, bool(preview.problems or not rows))

    def _show_problem(self, message: str) -> None:
        self.rows_model.set_rows([])
        self.problems_model.set_items([])
        self._set_summary(message, True)

    def _set_summary(self, text: str, blocked: bool) -> None:
        self.summary.setText(text)
        self.summary.setProperty("problem", blocked)
        self.import_button.setEnabled(not blocked)
        self.import_button.setDefault(not blocked)
        has_problems = self.problems_model.rowCount() > 0
        self.problems_heading.setVisible(has_problems)
        self.problems_view.setVisible(has_problems)

    def show_refusal(self, message: str, problems: list[RowProblem] | None = None, *,
                     blocked: bool = True) -> None:
        """The import was refused (e.g. the file changed since it was checked)."""
        if problems:
            self.problems_model.set_items(problems)
        self._set_summary(message, blocked)

    def _on_combo_activated(self, _index: int) -> None:
        mapping = self.mapping()
        if mapping is None:
            self._show_problem("Choose the column that holds the dates.")
            return
        self._load(mapping)

    def _on_buttons_accepted(self) -> None:
        mapping = self.mapping()
        if self.preview is None or mapping is None or self.preview.problems:
            return
        self.import_button.setEnabled(False)  # one import at a time
        self.import_requested.emit(mapping, self.existing)
