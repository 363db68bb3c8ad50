"""GUI fixtures: one demo workbook written per session, copied for each test."""

from __future__ import annotations

import shutil

import pytest

from qidesk.services.demo import write_demo_workbook


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
