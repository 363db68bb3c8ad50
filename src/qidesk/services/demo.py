"""The demo workbook: one elderly-care ward's three QI projects, written through the services.

`write_demo_workbook` builds it in a new file (never over an existing one) exactly as a
team would through the app, so it exercises the same rules and audit trail. The
projects come from `demo_projects` and their figures from `demo_data` (seeded, fixed
dates); the story: falls fell after bay nursing was adopted (Nov 2025), NEWS2
observations improved after an obs-due board (Mar 2026), and discharges before noon rose
after TTOs moved to the day before (Jul 2026).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

from qidesk.domain.entities import DriverNode, ProgressScore, ProjectMember, Review, Team
from qidesk.domain.enums import ReviewSubject
from qidesk.domain.errors import ValidationError
from qidesk.services import data_points, drivers, measures, pdsa, projects, reviews, teams
from qidesk.services.demo_data import DemoMeasure
from qidesk.services.demo_projects import WARD_NAME, DemoNode, DemoProject, demo_projects
from qidesk.services.workbook import Workbook, open_workbook

STAFF = ("Priya Shah", "Amara Okafor", "Tom Reilly", "Helen Marsh", "Grace Mensah",
         "Lisa Duffy", "Joanne Pike", "Sam Adeyemi", "Ben Carter")
STAFF_ROLES = {"Priya Shah": "QI lead", "Lisa Duffy": "Matron", "Tom Reilly": "Charge nurse",
               "Amara Okafor": "Staff nurse", "Grace Mensah": "HCA"}  # the rest left blank
BUILDER = "Priya Shah"  # the QI lead who "set up" the demo
MATRON = "Lisa Duffy"


def write_demo_workbook(path: Path) -> None:
    """Write the demo workbook to `path`, which must not exist yet; all of it or nothing."""
    path = Path(path)
    if path.exists():
        raise ValidationError(f"{path.name} already exists: the demo workbook is only "
                              "written to a new file.", field="path")
    # Build-time backups go to a scratch folder: a demo needs no backup history.
    with tempfile.TemporaryDirectory(prefix="qidesk-demo-") as scratch:
        wb = open_workbook(path, BUILDER, create=True, backup_folder=Path(scratch))
        try:
            _write_ward(wb)
        except BaseException:
            wb.close()
            _remove_half_built(path)
            raise
        wb.close()


def _remove_half_built(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        try:
            os.remove(leftover)
        except FileNotFoundError:
            pass


def _write_ward(wb: Workbook) -> None:
    for name in STAFF:
        teams.add_staff(wb, name, role=STAFF_ROLES.get(name, ""))
    team_id = teams.add_team(wb, Team(
        name=WARD_NAME, description="28-bed elderly care ward: frailty, delirium and "
                                    "rehabilitation after acute illness.")).id
    for project in demo_projects():
        _write_project(wb, team_id, project)


def _write_project(wb: Workbook, team_id: int, demo: DemoProject) -> None:
    project_id = projects.add_project(wb, dataclasses.replace(demo.project, team_id=team_id)).id
    for name, role in demo.members:
        projects.add_member(wb, ProjectMember(project_id=project_id, name=name, role=role))
    for scored_on, score, comment in demo.scores:
        projects.record_score(wb, ProgressScore(project_id=project_id, score=score,
                                                scored_on=scored_on, note=comment))
    measure_ids = {m.key: _write_measure(wb, project_id, i, m) for i, m in enumerate(demo.measures)}
    cycle_ids: dict[str, int] = {}
    _write_node(wb, project_id, None, 0, demo.drivers, measure_ids, cycle_ids)
    for m in demo.measures:
        for note in m.annotations:
            measures.add_annotation(wb, dataclasses.replace(
                note.annotation, measure_id=measure_ids[m.key],
                pdsa_cycle_id=cycle_ids[note.pdsa_key] if note.pdsa_key else None))
    wb.sign_in(MATRON)
    for measure_key, comment in demo.reviews:
        subject = ReviewSubject.MEASURE if measure_key else ReviewSubject.PROJECT
        subject_id = measure_ids[measure_key] if measure_key else project_id
        reviews.sign_off(wb, Review(subject=subject, subject_id=subject_id, comment=comment))
    wb.sign_in(BUILDER)


def _write_measure(wb: Workbook, project_id: int, position: int, demo: DemoMeasure) -> int:
    measure_id = measures.add_measure(wb, dataclasses.replace(
        demo.measure, project_id=project_id, position=position)).id
    wb.sign_in(demo.entered_by)  # the person who collects this measure typed its data in
    data_points.record_data_points(wb, measure_id, list(demo.points))
    wb.sign_in(BUILDER)
    for phase in demo.phases:
        measures.add_phase(wb, dataclasses.replace(phase, measure_id=measure_id))
    return measure_id


def _write_node(wb: Workbook, project_id: int, parent_id: int | None, position: int,
                node: DemoNode, measure_ids: dict[str, int], cycle_ids: dict[str, int]) -> None:
    node_id = drivers.add_node(wb, DriverNode(project_id=project_id, parent_id=parent_id,
                                              level=node.level, text=node.text,
                                              position=position, status=node.status)).id
    for demo in node.cycles:
        cycle = dataclasses.replace(
            demo.cycle, change_idea_id=node_id,
            prediction_measure_id=measure_ids.get(demo.prediction_measure))
        cycle_id = pdsa.add_cycle(wb, cycle).id
        cycle_ids[demo.key] = cycle_id
        if demo.linked_measures:
            pdsa.set_linked_measures(wb, cycle_id, [measure_ids[k] for k in demo.linked_measures])
    for child_position, child in enumerate(node.children):
        _write_node(wb, project_id, node_id, child_position, child, measure_ids, cycle_ids)
