"""Screenshots of QIDesk in a real window under Xvfb, at the sizes ward PCs use.

Needs xvfb, xauth and imagemagick (`import`). Starts a virtual screen per size, runs the
app in portable mode on a fresh demo workbook, waits until the workbook screen is ready,
then captures the whole screen. Writes screenshots/out/<name>-<width>x<height>.png.

    uv run python tools/take_screenshots.py [--sizes 1280x720 1920x1080]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots" / "out"
READY = "Workbook screen ready"


def _wait_for(log: Path, text: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(encoding="utf-8"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"QIDesk exited with {process.returncode}")
        time.sleep(0.1)
    raise RuntimeError(f"QIDesk did not log {text!r} within {timeout} s")


def capture(width: int, height: int, name: str = "main", extra_args: tuple[str, ...] = ()) -> Path:
    for tool in ("Xvfb", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb xauth imagemagick")
    display = f":{90 + width % 7}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"])
    try:
        time.sleep(1.0)
        with tempfile.TemporaryDirectory() as data_dir:
            env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
            app = subprocess.Popen([sys.executable, "-m", "qidesk", "--data-dir", data_dir, *extra_args], env=env)
            try:
                _wait_for(Path(data_dir) / "logs" / "qidesk.log", READY, app)
                time.sleep(1.5)  # let the window manager-less screen settle its last paint
                OUT.mkdir(parents=True, exist_ok=True)
                target = OUT / f"{name}-{width}x{height}.png"
                subprocess.run(["import", "-display", display, "-window", "root", str(target)], check=True)
                return target
            finally:
                app.terminate()
                app.wait(timeout=10)
    finally:
        xvfb.terminate()
        xvfb.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    args = parser.parse_args()
    for size in args.sizes:
        width, height = (int(v) for v in size.split("x"))
        print(capture(width, height))


if __name__ == "__main__":
    main()
