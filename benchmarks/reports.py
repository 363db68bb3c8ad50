"""Project report speed: from the workbook to a written one-page PDF (read the project,
compute every measure's chart, lay out and draw the page, write the file).

Two projects: the demo's falls project (5 measures, 6 PDSA cycles, 15-box driver
diagram) and a crowded one (12 measures × 100 weekly points, 20 PDSA cycles, 40-box
driver diagram). Prints the median of several rounds for the A4 report, the A3 poster
and the board report of every demo measure; target ≤ 3 s for the project report.

    uv run python benchmarks/reports.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402  (PySide6 before pyqtgraph)
import numpy as np  # noqa: E402

from qidesk.domain.entities import (  # noqa: E402
    DataPoint,
    DriverNode,
    Measure,
    PdsaCycle,
    Project,
    Team,
)
from qidesk.domain.enums import DriverLevel, MeasureKind, PdsaDecision, ValueType  # noqa: E402
from qidesk.reports.board_report import export_board_pdf  # noqa: E402
from qidesk.reports.project_report import export_project_pdf  # noqa: E402
from qidesk.services import data_points, drivers, measures, pdsa, projects, teams  # noqa: E402
from qidesk.services.board_report_data import board_report_rows  # noqa: E402
from qidesk.services.demo import write_demo_workbook  # noqa: E402
from qidesk.services.project_report_data import project_report_data  # noqa: E402
from qidesk.services.workbook import open_workbook  # noqa: E402

TARGET_S = 3.0


def crowded_project(wb) -> int:
    """12 measures of 100 weekly points, 4 × 3 × 3 drivers and ideas, 20 PDSA cycles."""
    team = teams.add_team(wb, Team(name="Ward 9")).id
    project = projects.add_project(wb, Project(
        team_id=team, title="Skin integrity", lead="Sam Jones",
        aim_statement="No avoidable pressure ulcers on Ward 9 by 31 March 2027.",
        problem="Two category 2 pressure ulcers a month.")).id
    rng = np.random.default_rng(11)
    start = date(2024, 1, 1)
    for k in range(12):
        measure = measures.add_measure(wb, Measure(
            project_id=project, name=f"Skin measure {k + 1}", kind=list(MeasureKind)[k % 3],
            value_type=ValueType.CONTINUOUS, target=50.0)).id
        data_points.record_data_points(wb, measure, [
            DataPoint(measure_id=measure, period=start + timedelta(weeks=w), value=float(v))
            for w, v in enumerate(np.round(rng.normal(50, 6, 100), 1))])
    aim = drivers.add_node(wb, DriverNode(project_id=project, level=DriverLevel.AIM,
                                          text="No avoidable pressure ulcers")).id
    ideas = []
    for p in range(4):
        primary = drivers.add_node(wb, DriverNode(project_id=project, parent_id=aim,
                                                  level=DriverLevel.PRIMARY, text=f"Driver {p}")).id
        for s in range(3):
            secondary = drivers.add_node(wb, DriverNode(
                project_id=project, parent_id=primary, level=DriverLevel.SECONDARY,
                text=f"Secondary driver {p}.{s}")).id
            for i in range(2):
                ideas.append(drivers.add_node(wb, DriverNode(
                    project_id=project, parent_id=secondary, level=DriverLevel.CHANGE_IDEA,
                    text=f"Change idea {p}.{s}.{i}")).id)
    for n in range(20):
        pdsa.add_cycle(wb, PdsaCycle(
            change_idea_id=ideas[n % len(ideas)], cycle_number=n // len(ideas) + 1,
            title=f"Test {n + 1}", started_on=start + timedelta(weeks=3 * n),
            decision=PdsaDecision.ADAPT, learning="Worked on most shifts."))
    return project


def median_s(job, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    _app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        write_demo_workbook(folder / "demo.qidesk")
        wb = open_workbook(folder / "demo.qidesk", "Benchmark")
        falls = next(p for p in projects.list_projects(wb, teams.list_teams(wb)[0].id)
                     if p.title == "Reducing inpatient falls").id
        big = crowded_project(wb)
        results = {}
        for name, project in (("demo falls project", falls), ("12 measures × 100 points", big)):
            for layout in ("a4", "a3"):
                def job(project=project, layout=layout):
                    data = project_report_data(wb, project)
                    export_project_pdf(data, folder / f"{project}-{layout}.pdf", layout)
                results[f"{layout.upper()} {name}"] = median_s(job, rounds)
        results["Board report, every measure"] = median_s(
            lambda: export_board_pdf(board_report_rows(wb), folder / "board.pdf", "Board"), rounds)
        wb.close()
    for label, seconds in results.items():
        verdict = "ok" if seconds <= TARGET_S else f"SLOWER than {TARGET_S:.0f} s"
        print(f"{label:<40} {seconds * 1000:7.0f} ms  (median of {rounds})  {verdict}")


if __name__ == "__main__":
    main()
