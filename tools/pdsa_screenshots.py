"""Screenshots of the PDSA worksheet (each tab) and a change idea's ramp, in the main
window under Xvfb, at each screen size.

    uv run python tools/pdsa_screenshots.py [--display :93] [--sizes 1280x720 1920x1080]

Writes screenshots/out/pdsa-<plan|do|study|act|ramp|hints>-<w>x<h>.png.
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
TABS = ("plan", "do", "study", "act")


def child(width: int, height: int, folder: Path) -> None:
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from qidesk.ui.application import create_application

    app = create_application()
    from qidesk.services.demo import write_demo_workbook
    from qidesk.settings import Settings
    from qidesk.paths import app_paths
    from qidesk.ui.main_window import MainWindow
    from qidesk.ui.models.navigator_model import NavigatorRole
    from qidesk.ui.workbook_controller import WorkbookController

    demo = folder / "Ward 7.qidesk"
    if not demo.exists():
        write_demo_workbook(demo)
    window = MainWindow()
    window.setGeometry(0, 0, width, height)
    window.showMaximized()
    paths = app_paths()
    paths.ensure()
    controller = WorkbookController(window, paths, Settings(welcome_shown=True))
    controller.open(demo, signed_in_as="Sam Jones")
    screen = controller.screen

    def select(kind: str, text: str) -> None:
        pending = [screen.model.item(r) for r in range(screen.model.rowCount())]
        while pending:
            item = pending.pop(0)
            if item.data(NavigatorRole.KIND) == kind and item.text().startswith(text):
                parent = item.parent()
                while parent is not None:
                    screen.navigator.expand(parent.index())
                    parent = parent.parent()
                screen.navigator.setCurrentIndex(item.index())
                screen.navigator.scrollTo(item.index())
                return
            pending[:0] = [item.child(r) for r in range(item.rowCount())]
        raise LookupError(text)

    select("pdsa_cycle", "Cycle 1: Bay nursing in bay 3")
    page = screen.current_page()
    for index, tab in enumerate(TABS):
        page.form.setCurrentIndex(index)
        _settle(app, 1.0)
        _grab(OUT / f"pdsa-{tab}-{width}x{height}.png")
    select("change_idea", "Bay nursing")
    _settle(app, 1.0)
    _grab(OUT / f"pdsa-ramp-{width}x{height}.png")
    select("change_idea", "Pharmacist falls medication review")
    screen.current_page().new_button.click()  # a first test, not yet planned: hints show
    page = screen.current_page()
    page.form.scale.setText("Whole ward, every patient")
    page.save()
    _settle(app, 1.0)
    _grab(OUT / f"pdsa-hints-{width}x{height}.png")
    controller.close()
    window.close()


def _settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _grab(path: Path) -> None:
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    print("wrote", path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", default=":93")
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), int(args.child[1]), Path(args.child[2]))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        for size in args.sizes:
            width, height = (int(n) for n in size.split("x"))
            xvfb = subprocess.Popen(["Xvfb", args.display, "-screen", "0", f"{size}x24"],
                                    stderr=subprocess.DEVNULL)
            try:
                time.sleep(1.0)
                env = dict(os.environ, DISPLAY=args.display, QT_QPA_PLATFORM="xcb")
                subprocess.run([sys.executable, __file__, "--child", str(width), str(height),
                                temp], env=env, check=True)
            finally:
                xvfb.terminate()
                xvfb.wait()


if __name__ == "__main__":
    main()
