"""Fixtures of the data-entry tests: the demo workbook signed in, and its first project."""

from __future__ import annotations

import pytest

from qidesk.services import projects, teams
from qidesk.services.workbook import open_workbook


@pytest.fixture
def wb(demo_copy):
    workbook = open_workbook(demo_copy, "Staff Nurse Patel")
    yield workbook
    workbook.close()


@pytest.fixture
def project_id(wb):
    return projects.list_projects(wb, teams.list_teams(wb)[0].id)[0].id
