"""`qidesk --self-test`: prove an installation works, offscreen, in a few seconds.

Paints the main window offscreen, opens a temporary workbook (create, migrate, write,
back up, re-open), computes a measure's chart from a workbook and exports it as PNG, SVG
and PDF, checking the image is not blank. Prints one line and exits 0, or names the step
that failed.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, timedelta
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
            ("window", _check_window),
            ("workbook", _check_workbook),
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

    from qidesk.reports.chart_image import export_pdf, export_png, export_svg
    from qidesk.services.charts import measure_chart

    with _sample_workbook(folder) as (wb, measure_id):
        chart = measure_chart(wb, measure_id)
    if chart.chart != "i" or not np.isfinite(chart.result.ucl).all() or not chart.result.runs_signal.any():
        raise SelfTestFailure("the sample series' I chart has no limits or no signal")
    png = export_png(chart, folder / "chart.png", dpi=100)
    image = QImage(str(png))
    if image.isNull():
        raise SelfTestFailure("the exported PNG could not be read back")
    coloured = _share_of_non_background(image)
    if coloured < 0.005:
        raise SelfTestFailure(f"the exported chart is blank ({coloured:.2%} of pixels drawn)")
    svg = export_svg(chart, folder / "chart.svg").read_text(encoding="utf-8")
    pdf = export_pdf(chart, folder / "chart.pdf").read_bytes()
    if "<path" not in svg or not pdf.startswith(b"%PDF") or len(pdf) < 2000:
        raise SelfTestFailure("the SVG or PDF export is empty")
    return (f"I chart computed from a workbook and exported as PNG ({coloured:.1%} of pixels "
            f"drawn), SVG and PDF")


@contextmanager
def _sample_workbook(folder: Path):
    """A fresh workbook holding the sample series as a weekly measure."""
    from qidesk.domain.entities import DataPoint, Measure, Project, Team
    from qidesk.domain.enums import ChartChoice, Frequency
    from qidesk.services import data_points, measures, projects, teams
    from qidesk.services.workbook import open_workbook

    path, backups = folder / "chart.qidesk", folder / "chart-backups"
    with open_workbook(path, "Self-test", create=True, backup_folder=backups) as wb:
        team = teams.add_team(wb, Team(name="Self-test ward")).id
        project = projects.add_project(wb, Project(team_id=team, title="Self-test chart")).id
        measure = measures.add_measure(wb, Measure(
            project_id=project, name="Minutes to first observation",
            frequency=Frequency.WEEK, chart_choice=ChartChoice.I)).id
        first = date(2026, 1, 5)  # a Monday
        points = [DataPoint(measure_id=measure, period=first + timedelta(weeks=k), value=v)
                  for k, v in enumerate(_SAMPLE)]
        data_points.record_data_points(wb, measure, points)
        yield wb, measure


def _share_of_non_background(image) -> float:
    """Fraction of pixels that differ from the top-left (background) pixel."""
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), dtype=np.uint32, count=rgb.width() * rgb.height())
    return float(np.mean(pixels != pixels[0]))
