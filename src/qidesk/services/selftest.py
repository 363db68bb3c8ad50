"""The storage part of `qidesk --self-test`: prove the bundle can keep a ward's data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qidesk.domain.entities import DataPoint, Measure, Project, Team
from qidesk.domain.enums import Frequency, ValueType
from qidesk.services import data_points, measures, projects, teams
from qidesk.services.workbook import open_workbook
from qidesk.storage.backup import verify


def storage_self_test(folder: Path) -> str:
    """Create, migrate, write, back up and re-open a workbook in `folder`; returns a
    one-line summary, raises on any failure."""
    folder = Path(folder)
    path = folder / "self-test.qidesk"
    backups = folder / "self-test-backups"
    with open_workbook(path, "Self-test", create=True, backup_folder=backups) as wb:
        team = teams.add_team(wb, Team(name="Self-test ward")).id
        project = projects.add_project(wb, Project(team_id=team, title="Self-test")).id
        measure = measures.add_measure(wb, Measure(
            project_id=project, name="Checks done", value_type=ValueType.COUNT,
            frequency=Frequency.MONTH)).id
        data_points.record_data_point(wb, DataPoint(measure_id=measure,
                                                    period=date(2024, 1, 1), value=3))
        info = wb.backup_now("manual")
        verify(info.path)
        revision = wb.schema_revision
    with open_workbook(path, "Self-test", backup_folder=backups) as wb:
        points = data_points.list_data_points(wb, measure)
    if [p.value for p in points] != [3.0]:
        raise RuntimeError(f"self-test: wrote 1 data point, read back {len(points)}")
    return (f"storage ok: workbook created at schema {revision}, 1 data point written and "
            f"read back after re-opening, backup verified ({info.size:,} bytes)")
