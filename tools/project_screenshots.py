"""Screenshots of the project page in a real window under Xvfb, at each screen size: the
demo's falls project, and a project with gaps (a vague aim, no balancing measure, a
measure without a definition) so the SMART and family prompts show.

    uv run python tools/project_screenshots.py [--display :91] [--sizes 1280x720 1920x1080]

Writes screenshots/out/project-<falls|gaps>-<w>x<h>.png (and -lower for the page scrolled
to its end when it does not fit).
"""

from __future__ import annotations

import os
from pathlib import Path

from xvfb_kit import OUT, grab, run_sizes, settle


def add_gaps(wb, project_id: int) -> None:
    from qidesk.domain.enums import MeasureKind
    from qidesk.services import measures, projects

    found = measures.list_measures(wb, project_id)
    measures.delete_measure(wb, next(m.id for m in found if m.kind == MeasureKind.BALANCING))
    measures.update_measure(wb, next(m.id for m in found if m.kind == MeasureKind.PROCESS),
                            definition="")
    projects.update_project(wb, project_id, aim_statement="Improve discharges before noon.")


def child(width: int, height: int, folder: Path) -> None:
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from qidesk.ui.application import create_application

    app = create_application()
    from qidesk.services import projects, teams
    from qidesk.services.demo import write_demo_workbook
    from qidesk.services.workbook import open_workbook
    from qidesk.ui.main_window import MainWindow
    from qidesk.ui.screens.workbook_screen import WorkbookScreen

    path = folder / f"ward7-{width}.qidesk"
    write_demo_workbook(path)
    wb = open_workbook(path, "Joanne Pike", backup_folder=folder / "backups")
    ids = {p.title: p.id for t in teams.list_teams(wb) for p in projects.list_projects(wb, t.id)}
    add_gaps(wb, ids["Discharges before noon"])
    window = MainWindow()
    screen = WorkbookScreen(wb)
    window.screens.addWidget(screen)
    window.screens.setCurrentWidget(screen)
    window.setGeometry(0, 0, width, height)
    window.show()
    for name, title in (("falls", "Reducing inpatient falls"), ("gaps", "Discharges before noon")):
        screen.show_item("project", ids[title])
        settle(app, 1.5)
        grab(OUT / f"project-{name}-{width}x{height}.png")
        bar = screen.current_page().scroll.verticalScrollBar()
        if bar.maximum() > 0:
            bar.setValue(bar.maximum())
            settle(app, 0.8)
            grab(OUT / f"project-{name}-{width}x{height}-lower.png")
    window.close()
    wb.close()


if __name__ == "__main__":
    run_sizes(__doc__, child, display=":91")
