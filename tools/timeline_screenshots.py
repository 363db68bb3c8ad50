"""Screenshots of the PDSA timeline page in a real window under Xvfb: the demo's falls
project and a busy project (15 change ideas, 40 cycles), at each screen size; plus the
busy timeline exported and a worksheet PDF (with long answers) rendered to PNG.

    uv run python tools/timeline_screenshots.py [--display :94] [--sizes 1280x720 1920x1080]

Writes screenshots/out/timeline-<falls|busy>-<w>x<h>.png, timeline-busy.png/.pdf,
worksheet.pdf and worksheet-1.png.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

from xvfb_kit import OUT, demo_workbook, grab, run_sizes, screen_window, settle

from qidesk.domain.entities import DriverNode, PdsaCycle, Project
from qidesk.domain.enums import DriverLevel, PdsaDecision, PdsaStatus
from qidesk.services import drivers, pdsa, projects

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



def child(width: int, height: int, folder: Path) -> None:
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from qidesk.ui.application import create_application

    app = create_application()
    from qidesk.reports.pdsa_timeline import TimelineScene, export_timeline, timeline_rows
    from qidesk.reports.pdsa_worksheet import write_worksheet_pdf
    from qidesk.services import teams

    wb = demo_workbook(folder, width)
    busy = add_busy_project(wb, teams.list_teams(wb)[0].id, date.today())
    falls = next(p.id for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                 if p.title == "Reducing inpatient falls")
    window, screen = screen_window(wb, width, height)
    for name, project in (("falls", falls), ("busy", busy)):
        screen.show_item("pdsa_cycles", project)
        settle(app, 1.5)
        grab(OUT / f"timeline-{name}-{width}x{height}.png")
    scene = TimelineScene(timeline_rows(wb, busy), date.today())
    export_timeline(scene, OUT / "timeline-busy.png")
    export_timeline(scene, OUT / "timeline-busy.pdf")
    idea = drivers.change_ideas(wb, falls)[0]
    cycle = pdsa.list_cycles(wb, idea.id)[-1]
    pdsa.update_cycle(wb, cycle.id, learning=(
        "Bay nursing held on nights once the side rooms had their own HCA. Staff said the "
        "bay felt calmer; relatives noticed a nurse was always there. ") * 5)
    write_worksheet_pdf(wb, cycle.id, OUT / "worksheet.pdf")
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(OUT / "worksheet.pdf"),
                    str(OUT / "worksheet")], check=True)
    window.close()
    wb.close()


if __name__ == "__main__":
    run_sizes(__doc__, child, display=":94")
