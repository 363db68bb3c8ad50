"""Shared set-up for tests on real workbook files in a temporary folder."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from qidesk.domain.entities import Measure, Project, Team
from qidesk.domain.enums import Frequency, ValueType
from qidesk.services import measures, projects, teams
from qidesk.services.workbook import Workbook, open_workbook


@pytest.fixture
def workbook_path(tmp_path):
    return tmp_path / "ward.qidesk"


@pytest.fixture
def wb(workbook_path, tmp_path):
    book = open_workbook(workbook_path, "Sam Jones", create=True,
                         backup_folder=tmp_path / "backups")
    yield book
    book.close()


@dataclass
class Ward:
    team_id: int
    project_id: int
    falls: int  # count, weekly
    obs: int  # proportion, weekly
    minutes: int  # continuous, monthly
    bed_days: int  # rate, monthly
    between: int  # days between, per event


def make_ward(book: Workbook) -> Ward:
    team = teams.add_team(book, Team(name="Ward 7 (elderly care)")).id
    project = projects.add_project(book, Project(team_id=team, title="Fewer falls")).id

    def measure(name, value_type, frequency):
        return measures.add_measure(book, Measure(project_id=project, name=name,
                                                  value_type=value_type,
                                                  frequency=frequency)).id

    return Ward(team, project,
                measure("Falls", ValueType.COUNT, Frequency.WEEK),
                measure("Obs on time", ValueType.PROPORTION, Frequency.WEEK),
                measure("Minutes to antibiotics", ValueType.CONTINUOUS, Frequency.MONTH),
                measure("Falls per 1,000 bed days", ValueType.RATE, Frequency.MONTH),
                measure("Days between falls with harm", ValueType.DAYS_BETWEEN,
                        Frequency.EVENT))


@pytest.fixture
def ward(wb) -> Ward:
    return make_ward(wb)
