"""What the screenshot tools share: a real X display at each screen size, letting the
window settle, and grabbing the screen with ImageMagick's `import`.

A tool defines `child(width, height, folder)` (runs inside the display: builds the
window and calls `grab`) and ends with `run_sizes(__doc__, child, display=":9x")`.
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


def settle(app, seconds: float) -> None:
    """Let Qt lay out and paint for `seconds` before a grab."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main_window(width: int, height: int, folder: Path):
    """(app, main window, controller) of a QIDesk window at (0, 0) filling the screen, its
    settings and data in `folder`, past the first-start welcome."""
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from qidesk.paths import app_paths
    from qidesk.settings import Settings
    from qidesk.ui.application import create_application
    from qidesk.ui.main_window import MainWindow
    from qidesk.ui.workbook_controller import WorkbookController

    app = create_application()
    main = MainWindow()
    main.resize(width, height)
    main.move(0, 0)
    main.show()
    paths = app_paths()
    paths.ensure()
    return app, main, WorkbookController(main, paths, Settings(welcome_shown=True))


def demo_workbook(folder: Path, width: int):
    """A fresh demo workbook in `folder`, open for writing as Sam Jones."""
    from qidesk.services.demo import write_demo_workbook
    from qidesk.services.workbook import open_workbook

    path = folder / f"ward7-{width}.qidesk"
    write_demo_workbook(path)
    return open_workbook(path, "Sam Jones", backup_folder=folder / "backups")


def screen_window(wb, width: int, height: int):
    """(main window, workbook screen) showing `wb` at (0, 0) filling the screen, without
    the controller (no sign-in, no menus of action groups)."""
    from qidesk.ui.main_window import MainWindow
    from qidesk.ui.screens.workbook_screen import WorkbookScreen

    window = MainWindow()
    screen = WorkbookScreen(wb)
    window.screens.addWidget(screen)
    window.screens.setCurrentWidget(screen)
    window.setGeometry(0, 0, width, height)
    window.show()
    return window, screen


def grab(path: Path) -> None:
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    print("wrote", path)


def run_sizes(doc: str, child, *, display: str) -> None:
    """The tool's command line: start Xvfb at each size and run `child` inside it (in a
    fresh process of the calling script), sharing one scratch folder."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--display", default=display)
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), int(args.child[1]), Path(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as temp:
        in_displays(args.sizes, args.display, Path(temp))


def in_displays(sizes: list[str], display: str, folder: Path, timeout: float = 180) -> None:
    """Run the calling script again as `--child WIDTH HEIGHT FOLDER` inside Xvfb at each
    size ("1280x720"), one display at a time."""
    OUT.mkdir(parents=True, exist_ok=True)
    script = sys.modules["__main__"].__file__
    for size in sizes:
        width, height = (int(n) for n in size.split("x"))
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size}x24"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.0)
            env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
            subprocess.run([sys.executable, script, "--child", str(width), str(height),
                            str(folder)], env=env, check=True, timeout=timeout)
        finally:
            xvfb.terminate()
            xvfb.wait()
