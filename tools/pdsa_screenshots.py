"""Screenshots of the PDSA worksheet (each tab) and a change idea's ramp, in the main
window under Xvfb, at each screen size.

    uv run python tools/pdsa_screenshots.py [--display :93] [--sizes 1280x720 1920x1080]

Writes screenshots/out/pdsa-<plan|do|study|act|ramp|hints>-<w>x<h>.png.
"""

from __future__ import annotations

import os
from pathlib import Path

from xvfb_kit import OUT, grab, run_sizes, settle

TABS = ("plan", "do", "study", "act")


def child(width: int, height: int, folder: Path) -> None:
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from qidesk.ui.application import create_application

    app = create_application()
    from qidesk.services.demo import write_demo_workbook
    from qidesk.settings import Settings
    from qidesk.paths import app_paths
    from qidesk.ui.main_window import MainWindow
    from qidesk.ui.models.navigator_model import NavigatorRole
    from qidesk.ui.workbook_controller import WorkbookController

    demo = folder / "Ward 7.qidesk"
    if not demo.exists():
        write_demo_workbook(demo)
    window = MainWindow()
    window.setGeometry(0, 0, width, height)
    window.showMaximized()
    paths = app_paths()
    paths.ensure()
    controller = WorkbookController(window, paths, Settings(welcome_shown=True))
    controller.open(demo, signed_in_as="Sam Jones")
    screen = controller.screen

    def select(kind: str, text: str) -> None:
        pending = [screen.model.item(r) for r in range(screen.model.rowCount())]
        while pending:
            item = pending.pop(0)
            if item.data(NavigatorRole.KIND) == kind and item.text().startswith(text):
                parent = item.parent()
                while parent is not None:
                    screen.navigator.expand(parent.index())
                    parent = parent.parent()
                screen.navigator.setCurrentIndex(item.index())
                screen.navigator.scrollTo(item.index())
                return
            pending[:0] = [item.child(r) for r in range(item.rowCount())]
        raise LookupError(text)

    select("pdsa_cycle", "Cycle 1: Bay nursing in bay 3")
    page = screen.current_page()
    for index, tab in enumerate(TABS):
        page.form.setCurrentIndex(index)
        settle(app, 1.0)
        grab(OUT / f"pdsa-{tab}-{width}x{height}.png")
    select("change_idea", "Bay nursing")
    settle(app, 1.0)
    grab(OUT / f"pdsa-ramp-{width}x{height}.png")
    select("change_idea", "Pharmacist falls medication review")
    screen.current_page().new_button.click()  # a first test, not yet planned: hints show
    page = screen.current_page()
    page.form.scale.setText("Whole ward, every patient")
    page.save()
    settle(app, 1.0)
    grab(OUT / f"pdsa-hints-{width}x{height}.png")
    controller.close()
    window.close()


if __name__ == "__main__":
    run_sizes(__doc__, child, display=":93")
