"""Screenshots of the PDSA timeline page and a rendered PDSA worksheet, to look at.

Run on an X display (Xvfb): `DISPLAY=:94 uv run python tools/timeline_screenshots.py 1280x720`.
Writes under screenshots/out/: the timeline of the demo's falls project, the timeline of a
busy project (15 change ideas, 40 cycles), and the worksheet PDF of a cycle with long text.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from qidesk.domain.entities import DriverNode, PdsaCycle, Project
from qidesk.domain.enums import DriverLevel, PdsaDecision, PdsaStatus
from qidesk.services import drivers, pdsa, projects, teams
from qidesk.services.demo import write_demo_workbook
from qidesk.services.workbook import open_workbook

OUT = Path(__file__).resolve().parents[1] / "screenshots" / "out"
DECISIONS = (PdsaDecision.ADAPT, PdsaDecision.ADAPT, PdsaDecision.ADOPT, PdsaDecision.ABANDON)


def add_busy_project(wb, team_id: int, today: date) -> int:
    """15 change ideas, 40 cycles: ramps of 1 to 5 cycles, some planned, some running."""
    project = projects.add_project(wb, Project(team_id=team_id, title="Busy ward ramp")).id
    aim = drivers.add_node(wb, DriverNode(project_id=project, level=DriverLevel.AIM,
                                          text="Fewer falls")).id
    primary = drivers.add_node(wb, DriverNode(project_id=project, parent_id=aim,
                                              level=DriverLevel.PRIMARY, text="Safer bays")).id
    counts = [5, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2]
    for i, count in enumerate(counts):
        idea = drivers.add_node(wb, DriverNode(project_id=project, parent_id=primary,
                                               level=DriverLevel.CHANGE_IDEA, position=i,
                                               text=f"Change idea {i + 1}: a named nurse "
                                                    f"in bay {i % 6 + 1}")).id
        start = today - timedelta(days=300 - 9 * i)
        for number in range(1, count + 1):
            length = 10 + (i * 7 + number * 5) % 25
            last = number == count
            fields = {"planned_start": start, "planned_end": start + timedelta(days=length)}
            if last and i % 3 == 0:
                status = PdsaStatus.PLANNED  # a cycle still to come
                fields = {"planned_start": today + timedelta(days=10 + i),
                          "planned_end": today + timedelta(days=30 + i)}
            elif last and i % 3 == 1:
                status = PdsaStatus.DOING
                fields["started_on"] = today - timedelta(days=12)
                fields["planned_start"] = fields["started_on"]
                fields["planned_end"] = today + timedelta(days=14)
            else:
                status = PdsaStatus.DONE
                fields.update(started_on=start, finished_on=start + timedelta(days=length),
                              decision=DECISIONS[(i + number) % 4])
            pdsa.add_cycle(wb, PdsaCycle(change_idea_id=idea, cycle_number=number,
                                         title=f"Test {number}", status=status, **fields))
            start += timedelta(days=length + 4)
    return project


def main(size: str) -> None:
    width, height = (int(n) for n in size.split("x"))
    app = QApplication(sys.argv)
    from qidesk.reports.pdsa_worksheet import write_worksheet_pdf
    from qidesk.ui.screens.pdsa_timeline_screen import PdsaTimelineScreen
    from PySide6.QtGui import QUndoStack

    folder = Path(tempfile.mkdtemp())
    path = folder / "ward7.qidesk"
    write_demo_workbook(path)
    wb = open_workbook(path, "Lisa Duffy")
    today = date.today()
    team = teams.list_teams(wb)[0]
    busy = add_busy_project(wb, team.id, today)
    falls = next(p for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                 if "falls" in p.title.lower())
    screen = PdsaTimelineScreen(wb, QUndoStack())
    screen.resize(width - 300, height - 80)  # beside the navigator, below the menus
    screen.show()
    shots = [("timeline-falls", falls), ("timeline-busy", busy)]

    def shoot() -> None:
        if not shots:
            app.quit()
            return
        name, project = shots.pop(0)
        screen.show_record("pdsa_cycles", project if isinstance(project, Project)
                           else projects.get_project(wb, project))
        QTimer.singleShot(400, lambda: (screen.grab().save(str(OUT / f"{name}-{size}.png")),
                                        shoot()))

    QTimer.singleShot(300, shoot)
    app.exec()
    cycle = pdsa.list_cycles(wb, drivers.change_ideas(wb, falls.id)[0].id)[-1]
    write_worksheet_pdf(wb, cycle.id, OUT / "worksheet.pdf")
    wb.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    main(sys.argv[1] if len(sys.argv) > 1 else "1920x1080")
