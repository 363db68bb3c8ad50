"""Project > Driver diagram and Export driver diagram…, also on project rows' menus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qidesk.domain.entities import Measure, Project
from qidesk.ui.models.navigator_model import NavigatorRole

if TYPE_CHECKING:
    from qidesk.ui.workbook_controller import WorkbookController

EXPORT_FILTERS = {"PDF document (*.pdf)": ".pdf", "PNG picture (*.png)": ".png",
                  "SVG drawing (*.svg)": ".svg"}
PROJECT_ROWS = {"project", "driver_diagram", "pdsa_cycles"}


class DriverActions(QObject):
    """Go to a project's driver diagram, or save it as a picture or PDF."""

    def __init__(self, controller: WorkbookController):
        super().__init__(controller)
        self.c = controller
        self._wired: list = []  # driver diagram pages whose sign-in requests reach the session
        menu = controller.window.menu("&Project")
        self.show_action = QAction("&Driver diagram", menu)
        self.show_action.setToolTip("See and edit the chosen project's driver diagram")
        self.export_action = QAction("E&xport driver diagram…", menu)
        self.export_action.setToolTip("Save the chosen project's driver diagram as a PDF, "
                                      "PNG picture or SVG drawing")
        menu.addActions([self.show_action, self.export_action])
        self.show_action.triggered.connect(lambda: self._with_project(self.show_diagram))
        self.export_action.triggered.connect(lambda: self._with_project(self.export))
        controller.workbook_opened.connect(self._on_controller_workbook_opened)
        controller.workbook_closed.connect(self._wired.clear)
        self._on_navigator_current_changed()

    def _on_controller_workbook_opened(self, _wb) -> None:
        screen = self.c.screen
        screen.row_actions += [  # looking and exporting: offered on read-only workbooks too
            ("&Driver diagram", {"project"}, lambda _k, project: self.show_diagram(project), True),
            ("E&xport driver diagram…", PROJECT_ROWS, lambda _k, project: self.export(project),
             True),
        ]
        screen.navigator.selectionModel().currentChanged.connect(self._on_navigator_current_changed)
        self._on_navigator_current_changed()

    def _project(self) -> Project | None:
        screen = self.c.screen
        if screen is None or self.c.wb is None:
            return None
        index = screen.navigator.currentIndex()
        kind, entity = index.data(NavigatorRole.KIND), index.data(NavigatorRole.ENTITY)
        if kind in PROJECT_ROWS and isinstance(entity, Project):
            return entity
        if isinstance(entity, Measure):
            from qidesk.services import projects
            return projects.get_project(self.c.wb, entity.project_id)
        return None

    def _with_project(self, step) -> None:
        project = self._project()
        if project is not None:
            step(project)

    def _on_navigator_current_changed(self, *_args) -> None:
        chosen = self.c.screen is not None and self._project() is not None
        self.show_action.setEnabled(chosen)
        self.export_action.setEnabled(chosen)
        screen = self.c.screen
        index = screen.navigator.currentIndex() if screen is not None else None
        if index is not None and index.data(NavigatorRole.KIND) == "driver_diagram":
            page = screen.page_for("driver_diagram")  # made by now: the row is on show
            if page is not None and page not in self._wired:
                self._wired.append(page)
                page.sign_in_requested.connect(self.c.session.ask)

    def show_diagram(self, project: Project) -> None:
        if self.c.screen is not None:
            self.c.screen.show_item("driver_diagram", project.id)

    def export(self, project: Project, path: Path | None = None) -> Path | None:
        """Ask where (unless `path` is given) and save the diagram; the saved file."""
        from qidesk.reports.driver_diagram import diagram_scene, export_diagram
        from qidesk.services import drivers

        nodes = drivers.driver_diagram(self.c.wb, project.id)
        if not nodes:
            QMessageBox.information(self.c.window, "No driver diagram yet",
                                    f"“{project.title}” has no driver diagram yet. Open it "
                                    "from the navigator and press Ins to start with the aim.")
            return None
        if path is None:
            chosen_path, chosen = QFileDialog.getSaveFileName(
                self.c.window, "Export driver diagram", f"Driver diagram - {project.title}.pdf",
                ";;".join(EXPORT_FILTERS))
            if not chosen_path:
                return None
            path = Path(chosen_path)
            if path.suffix.lower() not in EXPORT_FILTERS.values():
                path = path.with_suffix(EXPORT_FILTERS.get(chosen, ".pdf"))
        try:
            return export_diagram(diagram_scene("", nodes), path)
        except OSError as exc:
            QMessageBox.warning(self.c.window, "Driver diagram not saved",
                                f"Could not save {path.name} ({exc}). Choose another folder.")
            return None
