"""The patient-data question asked before free text that looks identifiable is saved."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

FIELD_WORDS = {"comment": "Comment", "exclusion_reason": "Reason", "definition":
               "Operational definition", "data_source": "Data source", "name": "Name"}


def confirm_pid(parent: QWidget | None, warnings: dict[str, list[str]]) -> bool:
    """True when the user says the text holds no patient-identifiable data."""
    lines = "\n".join(f"• {FIELD_WORDS.get(name, name.replace('_', ' ').capitalize())}: "
                      f"{', '.join(reasons)}" for name, reasons in warnings.items())
    answer = QMessageBox.question(
        parent, "Possible patient information",
        "This text may identify a patient:\n\n"
        f"{lines}\n\nQIDesk holds ward totals only. Save it anyway?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Save
