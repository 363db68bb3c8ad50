"""Screenshots of the live chart and of a chart export, in a real window under Xvfb.

Starts Xvfb on the given display, opens a fresh demo workbook in the main window at each
size, shows a measure whose chart has a shift (grid beside it), grabs the window, and
saves the exported figure of the same chart. Writes screenshots/out/chart-<w>x<h>.png
and screenshots/out/chart-export.png.

    uv run python tools/chart_screenshots.py [--display :63] [--sizes 1280x720 1920x1080]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots" / "out"
MEASURE = "Minutes from arrival to first NEWS2 observations"  # a shift after a change


def _choose(workbook_screen, measure_id: int) -> None:
    """Pick the measure in the navigator, as a person would."""
    from qidesk.ui.models.navigator_model import NavigatorRole

    model = workbook_screen.model
    pending = [model.item(row) for row in range(model.rowCount())]
    while pending:
        item = pending.pop()
        entity = item.data(NavigatorRole.ENTITY)
        if item.data(NavigatorRole.KIND) == "measure" and entity.id == measure_id:
            workbook_screen.navigator.setCurrentIndex(item.index())
            return
        pending += [item.child(row) for row in range(item.rowCount())]


def child(width: int, height: int, folder: Path) -> None:
    """Runs inside the virtual display: open, show, grab."""
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from PySide6.QtCore import QTimer

    from qidesk.ui.application import create_application

    app = create_application()  # QIDesk's own style sheet and icon, as users see it
    from qidesk.paths import app_paths
    from qidesk.reports.chart_image import chart_image
    from qidesk.services import measures
    from qidesk.services.demo import write_demo_workbook
    from qidesk.settings import Settings
    from qidesk.ui.main_window import MainWindow
    from qidesk.ui.workbook_controller import WorkbookController

    workbook = folder / "ward7.qidesk"
    if not workbook.exists():
        write_demo_workbook(workbook)
    window = MainWindow()
    window.resize(width, height)
    window.show()
    paths = app_paths()
    paths.ensure()
    controller = WorkbookController(window, paths, Settings())
    controller.open(workbook)
    screen = controller.screen.measure_screen
    _choose(controller.screen, measures.find_measure(screen.wb, MEASURE).id)

    def grab() -> None:
        window.grab().save(str(OUT / f"chart-{width}x{height}.png"))
        chart_image(screen.current_chart, dpi=110).save(str(OUT / "chart-export.png"))
        controller.close()
        app.quit()

    QTimer.singleShot(2000, grab)
    app.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", default=":63")
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        width, height = map(int, args.child.split("x"))
        child(width, height, Path(args.folder))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    xvfb = subprocess.Popen(["Xvfb", args.display, "-screen", "0", "1920x1080x24"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        env = {**os.environ, "DISPLAY": args.display, "QT_QPA_PLATFORM": "xcb"}
        with tempfile.TemporaryDirectory() as folder:
            for size in args.sizes:
                subprocess.run([sys.executable, __file__, "--child", size, "--folder", folder],
                               env=env, check=True, timeout=120)
                print(OUT / f"chart-{size}.png")
        print(OUT / "chart-export.png")
    finally:
        xvfb.terminate()
        xvfb.wait()


if __name__ == "__main__":
    main()
