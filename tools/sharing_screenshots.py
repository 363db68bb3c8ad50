"""The Share menu's dialogs in a real window: the import dialog for a clean import into
another ward, for a title clash with patient-data warnings, and for a damaged bundle, and
the navigator after an import, and the message after an export.

Writes screenshots/out/share-<scene>-<w>x<h>.png for each screen size (Xvfb).

    uv run python tools/sharing_screenshots.py [--display :97] [--sizes 1280x720 1920x1080]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from xvfb_kit import OUT, in_displays, main_window

PROJECT = "Reducing inpatient falls"
SCENES = ["import", "clash", "refused", "imported", "exported"]


def prepare(folder: Path) -> None:
    """The demo ward's workbook, another ward's, and the bundles the scenes import."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qidesk.domain.entities import Annotation, Team
    from qidesk.domain.enums import AnnotationKind
    from qidesk.services import measures, projects, sharing, teams
    from qidesk.services.demo import write_demo_workbook
    from qidesk.services.workbook import open_workbook

    write_demo_workbook(folder / "ward7.qidesk")
    with open_workbook(folder / "ward7.qidesk", "Lisa Duffy") as wb:
        falls = next(p for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                     if p.title == PROJECT)
        sharing.export_project(wb, falls.id, folder / "clean.qidesk-project")
        measure = measures.list_measures(wb, falls.id)[0]
        measures.add_annotation(wb, Annotation(
            measure_id=measure.id, on_date=date(2026, 1, 5), kind=AnnotationKind.DATA_ISSUE,
            text="Fall of patient NHS 943 476 5919 in bay 2"), confirm_pid=True)
        sharing.export_project(wb, falls.id, folder / "flagged.qidesk-project")
    with zipfile.ZipFile(folder / "clean.qidesk-project") as z:
        manifest, payload = z.read("manifest.json"), json.loads(z.read("project.json"))
    payload["measure"][0]["name"] = "Edited by hand"
    with zipfile.ZipFile(folder / "damaged.qidesk-project", "w") as z:
        z.writestr("manifest.json", manifest)
        z.writestr("project.json", json.dumps(payload))
    with open_workbook(folder / "ward9.qidesk", "Ola Nowak", create=True) as wb:
        teams.add_team(wb, Team(name="Ward 9 — Respiratory"))


def window(width: int, height: int, folder: Path) -> None:
    """Runs inside the virtual display: each scene's dialog over the main window."""
    from PySide6.QtCore import QTimer

    from qidesk.ui.sharing_actions import SharingActions

    app, main, controller = main_window(width, height, folder)
    group = next(g for g in controller.action_groups if isinstance(g, SharingActions))
    group.choose_save_path = lambda _parent, proposed: folder / proposed.name
    scenes = {"import": ("ward9.qidesk", "Ola Nowak", "clean.qidesk-project"),
              "clash": ("ward7.qidesk", "Lisa Duffy", "flagged.qidesk-project"),
              "refused": ("ward9.qidesk", "Ola Nowak", "damaged.qidesk-project")}
    queue = list(SCENES)

    def shoot(name: str) -> None:
        app.processEvents()
        subprocess.run(["import", "-window", "root", "-crop", f"{width}x{height}+0+0",
                        str(OUT / f"share-{name}-{width}x{height}.png")], check=True)

    def next_scene() -> None:
        if not queue:
            controller.close()
            app.quit()
            return
        scene = queue.pop(0)
        if scene == "exported":
            controller.open(folder / "ward7.qidesk", signed_in_as="Lisa Duffy")
            group.export_finished.connect(lambda _ok: QTimer.singleShot(700, exported))
            group.export_project(_falls_id(controller))
            return
        workbook, person, bundle = scenes["import" if scene == "imported" else scene]
        controller.open(folder / workbook, signed_in_as=person)
        dialog = group.import_project(path=folder / bundle)
        if scene == "imported":  # press Import: the project shows in the navigator
            group.import_finished.connect(lambda _ok: QTimer.singleShot(700, imported))
            dialog.import_button.click()
            return
        QTimer.singleShot(700, lambda: shown(scene, dialog))

    def shown(scene: str, dialog) -> None:
        shoot(scene)
        dialog.reject()
        QTimer.singleShot(100, next_scene)

    def imported() -> None:
        shoot("imported")
        QTimer.singleShot(100, next_scene)

    def exported() -> None:
        shoot("exported")
        group.message_box.accept()
        QTimer.singleShot(100, next_scene)

    QTimer.singleShot(1500, next_scene)
    app.exec()


def _falls_id(controller) -> int:
    from qidesk.services import projects, teams

    wb = controller.wb
    return next(p.id for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                if p.title == PROJECT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", default=":97")
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        window(int(args.child[0]), int(args.child[1]), Path(args.child[2]))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        prepare(Path(folder))
        in_displays(args.sizes, args.display, Path(folder))


if __name__ == "__main__":
    main()
