"""PDSA > Export PDSA worksheet (PDF)… and Print PDSA worksheet…, for the cycle chosen in
the navigator (or right-clicked), and Export timeline… on a project's "PDSA cycles" row.

Exporting and printing change nothing, so read-only workbooks offer them too.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from qidesk.ui.models.navigator_model import NavigatorRole

if TYPE_CHECKING:
    from qidesk.domain.entities import Project
    from qidesk.ui.workbook_controller import WorkbookController

TIMELINE_FILTERS = {"PNG picture (*.png)": ".png", "SVG drawing (*.svg)": ".svg",
                    "PDF document (*.pdf)": ".pdf"}


def file_name(words: str) -> str:
    """Words safe as a Windows file name (no \\ / : * ? " < > |), kept short."""
    return re.sub(r'[\\/:*?"<>|]+', " ", words).strip()[:80].strip() or "PDSA"


def save_timeline(wb, project_id: int, path: str | Path, today: date | None = None) -> Path:
    """Write the project's PDSA timeline to `path` (.png, .svg or .pdf)."""
    from qidesk.reports.pdsa_timeline import TimelineScene, export_timeline, timeline_rows

    return export_timeline(TimelineScene(timeline_rows(wb, project_id), today or date.today()),
                           path)


def choose_timeline_file(parent: QWidget, wb, project: Project, today: date | None = None,
                         folder: Path | None = None) -> Path | None:
    """Ask where to save the timeline (PNG, SVG or PDF) and save it there."""
    start = (folder or Path.home()) / f"{file_name('PDSA timeline - ' + project.title)}.png"
    chosen, selected = QFileDialog.getSaveFileName(parent, "Export timeline", str(start),
                                                   ";;".join(TIMELINE_FILTERS))
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in TIMELINE_FILTERS.values():
        path = path.with_name(path.name + TIMELINE_FILTERS.get(selected, ".png"))
    return save_timeline(wb, project.id, path, today)


class PdsaPrintActions(QObject):
    """Worksheet export and printing, and the timeline export, for the workbook on show."""

    exported = Signal(Path)  # a worksheet or timeline file written

    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.export_action = QAction("&Export PDSA worksheet (PDF)…", self)
        self.export_action.setStatusTip("Save the chosen cycle as a one-page PDSA worksheet "
                                        "(PDF) for a meeting or the ward's QI folder")
        self.print_action = QAction("&Print PDSA worksheet…", self)
        self.print_action.setStatusTip("Print the chosen cycle as a one-page PDSA worksheet")
        menu = self.window.menu("&PDSA")
        if menu.actions():
            menu.addSeparator()
        menu.addActions([self.export_action, self.print_action])
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.print_action.triggered.connect(self._on_print_action_triggered)
        self.c.workbook_opened.connect(self._on_controller_workbook_opened)
        self.c.workbook_closed.connect(self.update_actions)
        self.update_actions()

    def current_cycle_id(self) -> int | None:
        """The cycle of the navigator's current row, if it is a PDSA cycle."""
        screen = self.c.screen
        if screen is None or self.c.wb is None:
            return None
        index = screen.navigator.currentIndex()
        if index.data(NavigatorRole.KIND) != "pdsa_cycle":
            return None
        return index.data(NavigatorRole.ENTITY).id

    def update_actions(self, *_args) -> None:
        chosen = self.current_cycle_id() is not None
        self.export_action.setEnabled(chosen)
        self.print_action.setEnabled(chosen)
        tip = "" if chosen else " (choose a PDSA cycle in the list first)"
        self.export_action.setToolTip("Export the cycle as a PDSA worksheet" + tip)
        self.print_action.setToolTip("Print the cycle as a PDSA worksheet" + tip)

    # Worksheet

    def choose_worksheet_file(self, cycle_id: int | None = None) -> Path | None:
        cycle_id = cycle_id or self.current_cycle_id()
        if cycle_id is None:
            return None
        from qidesk.reports.pdsa_worksheet import worksheet_data

        sheet = worksheet_data(self.c.wb, cycle_id)
        name = file_name(f"PDSA worksheet - {sheet.idea} - cycle {sheet.cycle.cycle_number}")
        chosen, _ = QFileDialog.getSaveFileName(self.window, "Export PDSA worksheet",
                                                str(self.c.data_folder / f"{name}.pdf"),
                                                "PDF document (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen)
        return self.export_worksheet_to(cycle_id, path if path.suffix.lower() == ".pdf"
                                        else path.with_name(path.name + ".pdf"))

    def export_worksheet_to(self, cycle_id: int, path: Path) -> Path | None:
        """Write the worksheet PDF; the status bar says where, or what went wrong."""
        from qidesk.reports.pdsa_worksheet import write_worksheet_pdf

        return self._saving(path, lambda: write_worksheet_pdf(self.c.wb, cycle_id, path))

    def print_worksheet(self, cycle_id: int | None = None, **print_options) -> bool:
        """Print through the system print dialog (`print_options` go to print_pages)."""
        cycle_id = cycle_id or self.current_cycle_id()
        if cycle_id is None or self.c.wb is None:
            return False
        from qidesk.reports.pdsa_worksheet import a4_layout, paint_worksheet, worksheet_data
        from qidesk.ui.printing import PrintFailed, print_pages

        sheet = worksheet_data(self.c.wb, cycle_id)
        title = f"PDSA worksheet: {sheet.idea}, cycle {sheet.cycle.cycle_number}"
        try:
            printed = print_pages(self.window, title,
                                  lambda painter, device: paint_worksheet(painter, device, sheet),
                                  page_layout=a4_layout(), **print_options)
        except PrintFailed as exc:
            self.window.statusBar().showMessage(exc.message, 30_000)
            return False
        if printed:
            self.window.statusBar().showMessage(f"Sent to the printer: {title}", 15_000)
        return printed

    # Timeline

    def export_timeline(self, project: Project) -> Path | None:
        if self.c.wb is None:
            return None
        return self._saving(None, lambda: choose_timeline_file(
            self.window, self.c.wb, project, folder=self.c.data_folder))

    def _saving(self, path: Path | None, save) -> Path | None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = save()
        except (OSError, ValueError) as exc:
            name = path.name if path else "the file"
            self.window.statusBar().showMessage(
                f"Not saved: could not write {name} ({getattr(exc, 'message', exc)}). Choose "
                "a folder you can save in, or close the file if another program has it open.",
                30_000)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        if written is not None:
            self.window.statusBar().showMessage(f"Saved {written}", 15_000)
            self.exported.emit(written)
        return written

    # Wiring

    def _on_controller_workbook_opened(self, _wb) -> None:
        screen = self.c.screen
        screen.row_actions += [  # exports and prints: offered on read-only workbooks too
            ("&Export PDSA worksheet (PDF)…", {"pdsa_cycle"},
             lambda _kind, cycle: self.choose_worksheet_file(cycle.id), True),
            ("&Print PDSA worksheet…", {"pdsa_cycle"},
             lambda _kind, cycle: self.print_worksheet(cycle.id), True),
            ("E&xport timeline…", {"pdsa_cycles"},
             lambda _kind, project: self.export_timeline(project), True),
        ]
        screen.navigator.selectionModel().currentChanged.connect(self.update_actions)
        self.update_actions()

    def _on_export_action_triggered(self) -> None:
        self.choose_worksheet_file()

    def _on_print_action_triggered(self) -> None:
        self.print_worksheet()
