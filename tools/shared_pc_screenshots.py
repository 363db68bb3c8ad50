"""Screenshots of opening and signing in on a shared PC, in a real window under Xvfb.

Runs QIDesk in this process on an Xvfb screen, drives it as a user would (welcome,
"Who is using QIDesk?", a workbook held by another PC, a damaged workbook, settings) and
captures the whole screen with ImageMagick's `import` after each step. Writes
screenshots/out/shared-pc-<step>-<width>x<height>.png.

    uv run python tools/shared_pc_screenshots.py [--sizes 1280x720 1920x1080] [--display :62]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots" / "out"


def _settle(app, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _shoot(app, display: str, name: str, size: str) -> Path:
    _settle(app)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"shared-pc-{name}-{size}.png"
    subprocess.run(["import", "-display", display, "-window", "root", str(target)], check=True)
    print(target)
    return target


def _wait(app, condition, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise RuntimeError("QIDesk did not reach the expected state in time")
        app.processEvents()
        time.sleep(0.02)


def _stale_lease(path: Path) -> None:
    from qidesk.storage.lease import LeaseInfo, lease_path

    started = datetime.now(UTC) - timedelta(hours=2)
    info = LeaseInfo("Sister Jones", "ward7", "WARD7-PC-03", 4242, started,
                     started + timedelta(minutes=70), "feedc0de")
    lease_path(path).write_text(info.to_json(), encoding="utf-8")


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // 4096):
        data[page * 4096 + 8: page * 4096 + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def run(display: str, size: str, data_dir: Path) -> None:
    os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QIDESK_DATA_DIR=str(data_dir))
    from qidesk.paths import app_paths
    from qidesk.ui.application import build_main_window, create_application

    app = create_application()
    paths = app_paths(data_dir)
    paths.ensure()
    window, controller = build_main_window(paths)
    window.show()
    controller.open_initial()
    _wait(app, lambda: controller.welcome is not None and controller.welcome.isVisible())
    _shoot(app, display, "1-welcome", size)
    controller.welcome.start_button.click()
    _wait(app, lambda: controller.session.dialog is not None)
    controller.session.dialog.new_name.setText("Sam Jones")
    _shoot(app, display, "2-sign-in", size)
    controller.session.dialog.sign_in_button.click()
    _shoot(app, display, "3-signed-in", size)
    controller.edit_settings()
    _shoot(app, display, "4-settings", size)
    controller.settings_dialog.reject()
    demo = controller.wb.path
    controller.close()
    held = demo.with_name("Held by another PC.qidesk")
    shutil.copy2(demo, held)
    _stale_lease(held)
    controller.open(held)
    _shoot(app, display, "5-read-only-stale", size)
    controller.close()
    from qidesk.services.workbook import open_workbook

    with open_workbook(demo) as wb:
        wb.backup_now("manual")
    _damage(demo)
    controller.open(demo)
    _wait(app, lambda: controller.restore_dialog is not None)
    _shoot(app, display, "6-restore", size)
    controller.restore_dialog.reject()
    controller.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    parser.add_argument("--display", default=":62")
    parser.add_argument("--size", help=argparse.SUPPRESS)  # one size, in a child process
    args = parser.parse_args()
    if args.size:
        with tempfile.TemporaryDirectory() as data_dir:
            run(args.display, args.size, Path(data_dir))
        return
    for size in args.sizes:
        xvfb = subprocess.Popen(["Xvfb", args.display, "-screen", "0", f"{size}x24",
                                 "-nolisten", "tcp"])
        try:
            time.sleep(1.0)
            subprocess.run([sys.executable, __file__, "--display", args.display, "--size", size],
                           check=True)
        finally:
            xvfb.terminate()
            xvfb.wait()


if __name__ == "__main__":
    main()
