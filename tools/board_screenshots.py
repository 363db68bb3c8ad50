"""Screenshots of the review board in a real window under Xvfb: the demo workbook (with
figures added after the matron's sign-off, so the "new since your review" band shows)
and a 300-measure trust workbook, at each screen size; and the sign-off dialog.

    uv run python tools/board_screenshots.py [--display :95] [--sizes 1280x720 1920x1080]

Writes screenshots/out/board-<demo|trust>-<w>x<h>.png and board-sign-off-<w>x<h>.png.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from xvfb_kit import OUT, ROOT, grab, run_sizes, settle

sys.path.insert(0, str(ROOT / "benchmarks"))


def _prepare(folder: Path) -> dict[str, Path]:
    """The demo with news since Lisa Duffy's sign-offs, and the trust-sized workbook."""
    from qidesk.domain.entities import DataPoint
    from qidesk.services import data_points, reviews
    from qidesk.services.demo import write_demo_workbook
    from qidesk.services.workbook import open_workbook
    from review import build_board_workbook

    demo = folder / "Ward 7.qidesk"
    if not demo.exists():
        write_demo_workbook(demo)
        time.sleep(0.05)
        with open_workbook(demo, "Sam Jones", backup_folder=folder / "backups") as wb:
            for row in reviews.review_board(wb)[:6]:  # figures typed after the review
                series, measure = row.series, row.measure
                if measure.frequency.value != "week" or not series.periods:
                    continue
                value = {"numerator": 40, "denominator": 42} if measure.value_type.has_denominator \
                    else {"value": series.values[-1] or 1}
                data_points.record_data_point(wb, DataPoint(
                    measure_id=measure.id, period=series.periods[-1] + timedelta(days=7), **value))
    trust = folder / "Trust board.qidesk"
    if not trust.exists():
        build_board_workbook(trust, 300, 50)
    return {"demo": demo, "trust": trust}


def child(width: int, height: int, folder: Path) -> None:
    os.environ["QIDESK_DATA_DIR"] = str(folder / "data")
    from PySide6.QtCore import QTimer

    from qidesk.ui.application import create_application

    app = create_application()
    from qidesk.services.workbook import open_workbook
    from qidesk.ui.dialogs.sign_off_dialog import SignOffDialog
    from qidesk.ui.models.board_model import BoardSource
    from qidesk.ui.screens.review_board import ReviewBoard

    books = _prepare(folder)
    for name, path in books.items():
        wb = open_workbook(path, read_only=True)
        board = ReviewBoard([BoardSource(wb, path.stem)], "Lisa Duffy", today=date(2026, 11, 26))
        board.setGeometry(0, 0, width, height)
        board.show()
        settle(app, 1.5)
        grab(OUT / f"board-{name}-{width}x{height}.png")
        if name == "demo":
            dialog = SignOffDialog("measure", board.current_tile()[1].measure.name, "Lisa Duffy",
                                   "New since the last review: 1 point.", board)
            QTimer.singleShot(0, lambda d=dialog: d.comment.setPlainText(
                "Seen at the safety huddle; keep the obs board going."))
            dialog.show()
            settle(app, 1.0)
            grab(OUT / f"board-sign-off-{width}x{height}.png")
            dialog.close()
        board.close()
        wb.close()


if __name__ == "__main__":
    run_sizes(__doc__, child, display=":95")
