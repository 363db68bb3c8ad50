"""Settings: run-chart rule set, idle sign-out, default frequency, data folder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qidesk.settings import FREQUENCIES, IDLE_MINUTES_RANGE, RULE_SETS, Settings


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `result_settings()` gives it back after OK."""

    def __init__(self, settings: Settings, *, default_data_folder: Path,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self._settings = dataclasses.replace(settings)
        self._default_folder = default_data_folder
        self._build()
        self._load(settings)
        self.rule_set_combo.setFocus()

    def _build(self) -> None:
        self.rule_set_combo = QComboBox()
        for key, words in RULE_SETS.items():
            self.rule_set_combo.addItem(words, key)
        self.rule_set_combo.setAccessibleName("Rule set for run charts")
        self.rule_set_combo.setToolTip("Which rules decide that a run chart shows a signal. "
                                       "Anhøj rules are the NHS and qicharts2 default.")
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(*IDLE_MINUTES_RANGE)
        self.idle_spin.setSuffix(" minutes")
        self.idle_spin.setAccessibleName("Sign out after idle minutes")
        self.idle_spin.setToolTip("On a shared PC, sign the user out after this long without "
                                  "a key press or mouse movement")
        self.frequency_combo = QComboBox()
        for key, words in FREQUENCIES.items():
            self.frequency_combo.addItem(words, key)
        self.frequency_combo.setAccessibleName("Default frequency for new measures")
        self.frequency_combo.setToolTip("How often new measures collect a figure, unless you "
                                        "choose otherwise")
        self.folder_edit = QLineEdit()
        self.folder_edit.setAccessibleName("Data folder")
        self.folder_edit.setPlaceholderText(str(self._default_folder))
        self.folder_edit.setToolTip("Where new workbooks and the demo are saved; leave empty "
                                    "for the usual folder")
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAccessibleName("Choose the data folder")
        self.browse_button.setToolTip("Choose the folder for new workbooks")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        form = QFormLayout()
        for text, field, widget in (("&Rule set for run charts:", self.rule_set_combo, None),
                                    ("Sign out after &idle:", self.idle_spin, None),
                                    ("Default &frequency:", self.frequency_combo, None),
                                    ("&Data folder:", self.folder_edit, folder_row)):
            label = QLabel(text)
            label.setBuddy(field)
            if widget is None:
                form.addRow(label, field)
            else:
                form.addRow(label, widget)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setAccessibleName("Save settings")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.setMinimumWidth(520)

    def _load(self, settings: Settings) -> None:
        self.rule_set_combo.setCurrentIndex(self.rule_set_combo.findData(settings.run_chart_rules))
        self.idle_spin.setValue(settings.idle_sign_out_minutes)
        self.frequency_combo.setCurrentIndex(
            self.frequency_combo.findData(settings.default_frequency))
        self.folder_edit.setText(settings.data_folder or "")

    def _on_browse_button_clicked(self) -> None:
        start = self.folder_edit.text() or str(self._default_folder)
        chosen = QFileDialog.getExistingDirectory(self, "Folder for new workbooks", start)
        if chosen:
            self.folder_edit.setText(chosen)

    def _on_buttons_accepted(self) -> None:
        folder = self.folder_edit.text().strip()
        if folder and not Path(folder).is_dir():
            self.error_label.setText(f"There is no folder {folder}. Choose an existing folder, "
                                     "or leave it empty for the usual one.")
            self.error_label.show()
            self.folder_edit.setFocus()
            return
        self._settings.run_chart_rules = self.rule_set_combo.currentData()
        self._settings.idle_sign_out_minutes = self.idle_spin.value()
        self._settings.default_frequency = self.frequency_combo.currentData()
        self._settings.data_folder = folder or None
        self.accept()

    def result_settings(self) -> Settings:
        return self._settings
