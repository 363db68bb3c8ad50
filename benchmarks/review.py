"""Review board and project report speed, printed as medians (run by hand, not a test).

    uv run python benchmarks/review.py              # 300 measures x 50 points, 5 repeats
    uv run python benchmarks/review.py --quick      # 60 measures, 3 repeats

Targets (issue 7): the board for 300 measures opens <= 2 s (from "open board" to every
tile in sight painted, small charts included); a project report PDF <= 3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qidesk.domain.entities import DataPoint, Measure, Project, Team  # noqa: E402
from qidesk.domain.enums import Frequency, ImprovementDirection, MeasureKind, ValueType  # noqa: E402
from qidesk.services import data_points, measures, projects, reviews, teams  # noqa: E402
from qidesk.services.workbook import open_workbook  # noqa: E402

TODAY = date(2026, 11, 26)
KINDS = (MeasureKind.OUTCOME, MeasureKind.PROCESS, MeasureKind.BALANCING)
WARDS = ("Ward 7 — Elderly Care", "Ward 9 — Stroke", "Ward 12 — Surgery", "AMU",
         "Ward 3 — Respiratory", "Ward 5 — Cardiology", "Ward 14 — Orthopaedics",
         "Ward 21 — Renal", "Maternity", "Children's ward")
TOPICS = ("Falls", "NEWS2 obs on time", "Pressure ulcers", "Discharges before noon",
          "Medicines given on time", "Call bell response", "Hand hygiene", "Sepsis six",
          "Fluid balance charts complete", "Patient experience")


def build_board_workbook(path: Path, count: int = 300, points: int = 50,
                         seed: int = 7) -> Path:
    """A workbook of `count` weekly and monthly measures in 10 wards, each with `points`
    figures ending near TODAY (some late), built through the services."""
    rng = random.Random(seed)
    with open_workbook(path, "Benchmark", create=True,
                       backup_folder=path.parent / "backups") as wb:
        per_ward = max(1, count // len(WARDS))
        made = 0
        for ward in WARDS:
            team = teams.add_team(wb, Team(name=ward)).id
            project_ids = [projects.add_project(wb, Project(team_id=team, title=t)).id
                           for t in (f"Safer care on {ward.split(' — ')[0]}",
                                     f"Flow on {ward.split(' — ')[0]}")]
            for k in range(per_ward):
                if made >= count:
                    break
                _add_measure(wb, rng, project_ids[k % 2], k, points)
                made += 1
        for measure in [m for p in (1, 2, 3) for m in measures.list_measures(wb, p)][:8]:
            reviews.sign_off_measure(wb, measure.id, "Reviewed at the quality meeting.")
    return path


def _add_measure(wb, rng: random.Random, project_id: int, k: int, points: int) -> None:
    weekly = k % 3 != 2
    frequency = Frequency.WEEK if weekly else Frequency.MONTH
    proportion = k % 2 == 0
    measure_id = measures.add_measure(wb, Measure(
        project_id=project_id, name=f"{TOPICS[k % len(TOPICS)]} ({k + 1})", kind=KINDS[k % 3],
        value_type=ValueType.PROPORTION if proportion else ValueType.COUNT,
        frequency=frequency, improvement_direction=ImprovementDirection.UP if proportion
        else ImprovementDirection.DOWN, target=90.0 if proportion and k % 4 == 0 else None,
        unit="" if proportion or k % len(TOPICS) else "falls")).id
    late = rng.choice((0, 0, 0, 1, 3))  # some wards are behind with their figures
    shift_at = rng.choice((None, points - 10, points - 20))
    rows = []
    for i in range(points):
        back = points - i + late  # periods before this one
        if weekly:
            period = TODAY - timedelta(days=TODAY.weekday() + 7 * back)
        else:
            months = TODAY.year * 12 + TODAY.month - 1 - back
            period = date(months // 12, months % 12 + 1, 1)
        lift = 12 if shift_at is not None and i >= shift_at else 0
        if proportion:
            denominator = rng.randint(30, 60)
            rate = min(0.98, (70 + lift + rng.gauss(0, 5)) / 100)
            rows.append(DataPoint(measure_id=measure_id, period=period,
                                  numerator=round(denominator * rate), denominator=denominator))
        else:
            rows.append(DataPoint(measure_id=measure_id, period=period,
                                  value=max(0, round(rng.gauss(6 - lift / 3, 2)))))
    data_points.record_data_points(wb, measure_id, rows)


def time_board(path: Path, repeats: int) -> tuple[float, float, int]:
    """Medians (s) of the board's tile data alone, and of open-to-painted; tiles painted."""
    from PySide6.QtWidgets import QApplication

    from qidesk.services.board import board_tiles
    from qidesk.ui.models.board_model import BoardSource
    from qidesk.ui.screens.review_board import ReviewBoard

    from qidesk.ui.application import create_application

    app = QApplication.instance() or create_application([])  # the app's style sheet too
    data, opened, painted = [], [], 0
    for _ in range(repeats):
        with open_workbook(path, read_only=True) as wb:
            start = time.perf_counter()
            board_tiles(wb, "Lisa Duffy", TODAY)
            data.append(time.perf_counter() - start)
            start = time.perf_counter()
            board = ReviewBoard([BoardSource(wb, path.stem)], "Lisa Duffy", today=TODAY)
            board.resize(1920, 1080)
            board.show()
            while not _all_in_sight_painted(board):
                app.processEvents()
            opened.append(time.perf_counter() - start)
            painted = len(board.delegate.painted)
            board.close()
            board.deleteLater()
            app.processEvents()
    return statistics.median(data), statistics.median(opened), painted


def _all_in_sight_painted(board) -> bool:
    view = board.tiles
    if not view.isVisible():
        return False
    shown = view.viewport().rect()
    wanted = 0
    for row in range(board.proxy.rowCount()):
        if view.visualRect(board.proxy.index(row, 0)).intersects(shown):
            wanted += 1
    return wanted > 0 and len(board.delegate.painted) >= wanted


def time_project_report(path: Path, project_id: int, repeats: int, folder: Path) -> float | None:
    """Project report PDF: median seconds from the workbook to the written file."""
    try:
        from qidesk.reports.project_report import export_project_pdf
        from qidesk.services.project_report_data import project_report_data
    except ImportError:
        return None
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    times = []
    with open_workbook(path, read_only=True) as wb:
        for k in range(repeats):
            start = time.perf_counter()
            export_project_pdf(project_report_data(wb, project_id), folder / f"report{k}.pdf")
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count, repeats = (60, 3) if args.quick else (300, 5)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        start = time.perf_counter()
        path = build_board_workbook(folder / "trust board.qidesk", count, 50)
        print(f"built {count} measures x 50 points in {time.perf_counter() - start:.1f} s")
        data, opened, painted = time_board(path, repeats)
        print(f"board tile data ({count} measures): {data * 1000:.0f} ms (median of {repeats})")
        print(f"board open to tiles in sight painted: {opened * 1000:.0f} ms "
              f"({painted} tiles painted; target <= 2000 ms)")
        from qidesk.services.demo import write_demo_workbook

        demo = folder / "demo.qidesk"
        write_demo_workbook(demo)
        report = time_project_report(demo, 1, repeats, folder)
        if report is None:
            print("project report PDF: qidesk.reports.project_report not found (integrator: add)")
        else:
            print(f"project report PDF (demo project 1, A4): {report * 1000:.0f} ms "
                  f"(median of {repeats}; target <= 3000 ms)")


if __name__ == "__main__":
    sys.exit(main())
