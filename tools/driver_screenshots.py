"""Screenshots of the driver diagram page in a real window under Xvfb: the demo's falls
project, and a 60-box diagram, at each screen size; plus the 60-box diagram exported.

    uv run python tools/driver_screenshots.py [--display :92] [--sizes 1280x720 1920x1080]

Writes screenshots/out/drivers-<falls|sixty>-<w>x<h>.png and drivers-sixty.png (export).
"""

from __future__ import annotations

import os
from pathlib import Path

from xvfb_kit import OUT, demo_workbook, grab, run_sizes, screen_window, settle

STATUSES = ("untested", "testing", "adopted", "abandoned")


def _sixty(wb) -> int:
    """A pressure ulcer project with 60 boxes: 3 primaries, 8 secondaries, 48 ideas."""
    from qidesk.domain.entities import DriverNode, Project
    from qidesk.domain.enums import ChangeIdeaStatus, DriverLevel
    from qidesk.services import drivers, projects, teams

    team = teams.list_teams(wb)[0]
    project = projects.add_project(wb, Project(
        team_id=team.id, title="No avoidable pressure ulcers",
        aim_statement="No avoidable category 2 or worse pressure ulcers on Ward 7 by 31 March 2027")).id

    def add(level, text, parent=None, status=None):
        return drivers.add_node_at(wb, DriverNode(project_id=project, parent_id=parent,
                                                  level=level, text=text, status=status)).id

    aim = add(DriverLevel.AIM, "No avoidable category 2 or worse pressure ulcers on Ward 7 "
              "by 31 March 2027")
    count = 1
    for p, primary in enumerate(("Skin is checked and risk is known on every shift",
                                 "Pressure is relieved for every patient at risk",
                                 "Patients and families know how to help")):
        pid = add(DriverLevel.PRIMARY, primary, aim)
        count += 1
        for s in range(3 if p < 2 else 2):
            sid = add(DriverLevel.SECONDARY, f"Secondary driver {p + 1}.{s + 1}: the right "
                      "equipment and time for it", pid)
            count += 1
            for i in range(6):
                status = ChangeIdeaStatus(STATUSES[(p + s + i) % 4])
                words = ("SSKIN bundle on the e-record with prompts at each round" if i % 3 == 0
                         else f"Change idea {p + 1}.{s + 1}.{i + 1}" if i % 3 == 1
                         else "Two-hourly turns with a visible turning clock by the bed")
                add(DriverLevel.CHANGE_IDEA, words, sid, status)
                count += 1
    assert count == 60, count
    return project


def child(width: int, height: int, folder: Path) -> None:
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from qidesk.ui.application import create_application

    app = create_application()
    from qidesk.reports.driver_diagram import diagram_scene, export_diagram
    from qidesk.services import drivers, projects, teams

    wb = demo_workbook(folder, width)
    sixty = _sixty(wb)
    falls = next(p.id for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)
                 if p.title == "Reducing inpatient falls")
    window, screen = screen_window(wb, width, height)
    for name, project in (("falls", falls), ("sixty", sixty)):
        screen.show_item("driver_diagram", project)
        page = screen.current_page()
        page.tree.setCurrentIndex(page.model.index(0, 0))
        settle(app, 1.5)
        grab(OUT / f"drivers-{name}-{width}x{height}.png")
    export_diagram(diagram_scene("", drivers.driver_diagram(wb, sixty)), OUT / "drivers-sixty.png")
    export_diagram(diagram_scene("", drivers.driver_diagram(wb, sixty)), OUT / "drivers-sixty.pdf")
    window.close()
    wb.close()


if __name__ == "__main__":
    run_sizes(__doc__, child, display=":92")
