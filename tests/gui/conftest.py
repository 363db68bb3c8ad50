"""GUI fixtures: one demo workbook written per session, copied for each test."""

from __future__ import annotations

import shutil

import pytest

from qidesk.paths import app_paths
from qidesk.services.demo import write_demo_workbook
from qidesk.settings import Settings
from qidesk.ui.main_window import MainWindow
from qidesk.ui.workbook_controller import WorkbookController


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-master") / "demo.qidesk"
    write_demo_workbook(path)
    return path


@pytest.fixture
def demo_copy(demo_master, tmp_path):
    target = tmp_path / "ward7.qidesk"
    shutil.copy2(demo_master, target)
    return target


@pytest.fixture
def window(qtbot):
    """The main window, shown (offscreen)."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def controller(window):
    """The window's workbook side, past the first-start welcome."""
    paths = app_paths()
    paths.ensure()
    controller = WorkbookController(window, paths, Settings(welcome_shown=True))
    yield controller
    controller.close()
