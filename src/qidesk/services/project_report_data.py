"""Everything a one-page project report shows, read in one go: the project, its team,
people, progress score, driver diagram, measures' charts, PDSA log and sign-offs."""

from __future__ import annotations

from dataclasses import dataclass

from qidesk.domain.entities import (
    DriverNode,
    PdsaCycle,
    ProgressScore,
    Project,
    ProjectMember,
    Review,
)
from qidesk.domain.enums import MeasureKind, ReviewSubject
from qidesk.services import drivers, pdsa, projects, reviews, teams
from qidesk.services.charts import MeasureChart, measure_chart
from qidesk.services.measures import list_measures
from qidesk.services.workbook import Workbook

# Key charts on a report: what the project is for first, then how, then what it may harm.
KIND_ORDER = {MeasureKind.OUTCOME: 0, MeasureKind.PROCESS: 1, MeasureKind.BALANCING: 2}


@dataclass(frozen=True)
class LoggedCycle:
    """A PDSA cycle with the change idea it tests, for the report's log."""

    change_idea: str
    cycle: PdsaCycle

    @property
    def when(self):
        c = self.cycle
        return c.started_on or c.planned_start


@dataclass(frozen=True)
class ProjectReportData:
    project: Project
    team_name: str
    members: list[ProjectMember]
    score: ProgressScore | None
    nodes: list[DriverNode]
    charts: list[MeasureChart]  # outcome, process, balancing; each in the project's order
    cycles: list[LoggedCycle]  # in date order (undated last)
    sign_offs: list[Review]  # the project's, newest first

    @property
    def aim_text(self) -> str:
        aim = next((n.text for n in self.nodes if n.parent_id is None), "")
        return self.project.aim_statement or aim


def project_report_data(wb: Workbook, project_id: int, *,
                        rule_set: str = "anhoej") -> ProjectReportData:
    project = projects.get_project(wb, project_id)
    measures = sorted(list_measures(wb, project_id),
                      key=lambda m: (KIND_ORDER.get(m.kind, 3), m.position, m.name))
    charts = [measure_chart(wb, m.id, rule_set=rule_set) for m in measures]
    logged = [LoggedCycle(idea.text, cycle) for idea in drivers.change_ideas(wb, project_id)
              for cycle in pdsa.list_cycles(wb, idea.id)]
    logged.sort(key=lambda c: (c.when is None, c.when or 0, c.cycle.cycle_number))
    return ProjectReportData(
        project, teams.get_team(wb, project.team_id).name, projects.list_members(wb, project_id),
        projects.current_score(wb, project_id), drivers.driver_diagram(wb, project_id), charts,
        logged, reviews.list_reviews(wb, ReviewSubject.PROJECT, project_id))
