"""Opening a measure's screen on a copy of the demo workbook, for the chart tests."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from qidesk.domain.entities import Measure
from qidesk.services import measures, projects, teams
from qidesk.services.workbook import open_workbook
from qidesk.ui.screens.measure_screen import MeasureScreen


@pytest.fixture
def wb(demo_copy):
    workbook = open_workbook(demo_copy, "Sister Okafor")
    yield workbook
    workbook.close()


def measure_named(wb, name: str) -> Measure:
    return measures.find_measure(wb, name)


def first_project(wb) -> int:
    return projects.list_projects(wb, teams.list_teams(wb)[0].id)[0].id


def open_measure(qtbot, wb, measure_id: int, size=(1280, 720)) -> MeasureScreen:
    screen = MeasureScreen(wb, QUndoStack())
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    screen.show_measure(measure_id)
    qtbot.waitExposed(screen)
    qtbot.wait(50)  # one paint: the chart settles its range and lays its labels out
    return screen
