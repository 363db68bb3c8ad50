"""Rendered report pages, and the Reports menu and board dialog in a real window.

Writes the demo's board report, every demo project's A4 report and A3 poster, and the A4
report of a crowded project (12 measures, 40 driver boxes, 20 PDSA cycles) as PDFs, then
renders each page with pdftoppm to screenshots/out/report-*.png (--pages-only stops there). Then, under Xvfb, opens
the demo at each size with the Reports menu open, and the board report's measure
checklist, and grabs the screen (screenshots/out/reports-menu-<w>x<h>.png,
board-choice-<w>x<h>.png).

    uv run python tools/report_screenshots.py [--display :98] [--sizes 1280x720 1920x1080]
        [--pages-only]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import tempfile
from pathlib import Path

from xvfb_kit import OUT, ROOT, in_displays, main_window

PROJECT = "Reducing inpatient falls"


def _crowded_project():
    spec = importlib.util.spec_from_file_location("bench_reports", ROOT / "benchmarks" / "reports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.crowded_project


def pages(folder: Path) -> None:
    """The report PDFs, rendered page by page."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from qidesk.reports.board_report import export_board_pdf
    from qidesk.reports.project_report import export_project_pdf
    from qidesk.services import projects, teams
    from qidesk.services.board_report_data import board_report_rows
    from qidesk.services.demo import write_demo_workbook
    from qidesk.services.project_report_data import project_report_data
    from qidesk.services.workbook import open_workbook

    _app = QApplication.instance() or QApplication([])
    write_demo_workbook(folder / "ward7.qidesk")
    wb = open_workbook(folder / "ward7.qidesk", "Screenshots")
    written = [export_board_pdf(board_report_rows(wb), folder / "board.pdf",
                                "Board report: Ward 7 — Elderly Care")]
    for k, project in enumerate(projects.list_projects(wb, teams.list_teams(wb)[0].id)):
        # The falls project keeps the plain names earlier screenshots used.
        name = "project" if project.title == PROJECT else f"project{k + 1}"
        for layout in ("a4", "a3"):
            written.append(export_project_pdf(project_report_data(wb, project.id),
                                              folder / f"{name}-{layout}.pdf", layout))
    crowded = _crowded_project()(wb)
    written.append(export_project_pdf(project_report_data(wb, crowded),
                                      folder / "crowded-a4.pdf", "a4"))
    wb.close()
    for pdf in written:
        subprocess.run(["pdftoppm", "-r", "110", "-png", str(pdf), str(OUT / f"report-{pdf.stem}")],
                       check=True)
    for png in sorted(OUT.glob("report-*.png")):
        print(png)


def window(width: int, height: int, folder: Path) -> None:
    """Runs inside the virtual display: the Reports menu open, then the board dialog."""
    from PySide6.QtCore import QPoint, Qt, QTimer

    from qidesk.services.reviews import review_board
    from qidesk.ui.board_choice_dialog import BoardChoiceDialog
    from qidesk.ui.models.navigator_model import NavigatorRole

    app, main, controller = main_window(width, height, folder)
    controller.open(folder / "ward7.qidesk", signed_in_as="Lisa Duffy")
    model = controller.screen.model
    found = model.match(model.index(0, 0), NavigatorRole.KIND, "project", -1,
                        Qt.MatchFlag.MatchRecursive)
    controller.screen.navigator.setCurrentIndex(
        next(i for i in found if i.data(NavigatorRole.ENTITY).title == PROJECT))
    menu_action = next(a for a in main.menuBar().actions() if a.text() == "&Reports")
    state = {}

    def shoot(name: str) -> None:
        app.processEvents()
        subprocess.run(["import", "-window", "root", "-crop", f"{width}x{height}+0+0",
                        str(OUT / f"{name}-{width}x{height}.png")], check=True)

    def open_menu() -> None:
        geometry = main.menuBar().actionGeometry(menu_action)
        menu_action.menu().popup(main.menuBar().mapToGlobal(QPoint(geometry.left(), geometry.bottom())))
        QTimer.singleShot(700, menu_shown)

    def menu_shown() -> None:
        shoot("reports-menu")
        menu_action.menu().hide()
        board = review_board(controller.wb)
        ticked = {r.measure.id for r in board if r.project_title == PROJECT}
        state["dialog"] = BoardChoiceDialog(board, ticked, main)
        state["dialog"].show()
        QTimer.singleShot(700, dialog_shown)

    def dialog_shown() -> None:
        shoot("board-choice")
        state["dialog"].close()
        controller.close()
        app.quit()

    QTimer.singleShot(1500, open_menu)
    app.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", default=":98")
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    parser.add_argument("--pages-only", action="store_true",
                        help="render the report pages only, without the windows")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        window(int(args.child[0]), int(args.child[1]), Path(args.child[2]))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pages(Path(folder))
        if not args.pages_only:
            in_displays(args.sizes, args.display, Path(folder), timeout=120)


if __name__ == "__main__":
    main()
