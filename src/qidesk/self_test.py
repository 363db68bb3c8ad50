"""`qidesk --self-test`: prove an installation works, offscreen, in a few seconds.

Opens a temporary workbook (create, migrate, write, back up, re-open), computes a chart,
paints the main window and the chart offscreen, exports the chart as PNG and checks the
image is not blank. Prints one line and exits 0, or names the step that failed.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qidesk.paths import AppPaths
from qidesk.process_clock import process_age_ms

_log = logging.getLogger(__name__)

# A weekly series with a clear shift: the chart must show limits and a signal.
_SAMPLE = [7.1, 8.3, 6.4, 7.9, 9.2, 6.8, 7.7, 8.8, 7.2, 6.9, 8.1, 7.5,
           5.2, 4.9, 5.8, 4.4, 5.1, 4.7, 5.5, 4.2, 5.0, 4.6, 5.3, 4.8]


class SelfTestFailure(RuntimeError):
    """A self-test step failed; the message names the step."""


def run_self_test(paths: AppPaths) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    passed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="qidesk-self-test-") as tmp:
        folder = Path(tmp)
        steps: list[tuple[str, Callable[[Path], str]]] = [
            ("workbook", _check_workbook),
            ("window", _check_window),
            ("chart", _check_chart),
        ]
        for name, step in steps:
            try:
                passed.append(step(folder))
            except Exception as exc:  # noqa: BLE001 - report any failure as the step's
                _log.exception("Self-test step %s failed", name)
                print(f"QIDesk self-test FAILED at {name}: {type(exc).__name__}: {exc}", flush=True)
                return 1
    elapsed = (time.perf_counter() - started) * 1000
    print(f"QIDesk self-test passed in {elapsed:.0f} ms: " + "; ".join(passed), flush=True)
    return 0


def _check_workbook(folder: Path) -> str:
    from qidesk.services.selftest import storage_self_test

    workbook_folder = folder / "workbook"
    workbook_folder.mkdir()
    return storage_self_test(workbook_folder)


def _check_window(folder: Path) -> str:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from qidesk.ui.application import create_application
    from qidesk.ui.main_window import MainWindow

    create_application()
    window = MainWindow()
    loop = QEventLoop()
    window.first_painted.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    window.show()
    if not window.has_painted:
        loop.exec()
    if not window.has_painted:
        raise SelfTestFailure("the main window was not painted within 10 s")
    first_paint_ms = process_age_ms()
    window.close()
    QCoreApplication.processEvents()
    return f"main window painted {first_paint_ms:.0f} ms after process start"


def _check_chart(folder: Path) -> str:
    from PySide6.QtGui import QImage

    from qidesk.analysis import spc
    from qidesk.ui.charts.control_chart import ControlChart

    result = spc(_SAMPLE, chart="i")
    if not np.isfinite(result.ucl).all() or not result.runs_signal.any():
        raise SelfTestFailure("the I chart of the sample series has no limits or no signal")
    chart = ControlChart(dates=False)
    chart.show_result(np.arange(len(_SAMPLE)), result, title="Self-test: I chart")
    target = folder / "chart.png"
    if not chart.render_image(1200, 675).save(str(target)):
        raise SelfTestFailure(f"could not write {target.name}")
    image = QImage(str(target))
    if image.isNull():
        raise SelfTestFailure("the exported PNG could not be read back")
    coloured = _share_of_non_background(image)
    if coloured < 0.005:
        raise SelfTestFailure(f"the exported chart is blank ({coloured:.2%} of pixels drawn)")
    return f"I chart computed, drawn and exported as PNG ({coloured:.1%} of pixels drawn)"


def _share_of_non_background(image) -> float:
    """Fraction of pixels that differ from the top-left (background) pixel."""
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), dtype=np.uint32, count=rgb.width() * rgb.height())
    return float(np.mean(pixels != pixels[0]))
