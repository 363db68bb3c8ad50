"""The workbook's tables. Column names equal the domain dataclass field names.

Dates are DATE, instants are UTC DATETIME without zone, enums are their string values:
the same definitions work on SQLite and PostgreSQL. Every record table has `deleted_at`
because deletes are soft and restorable.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

# Named constraints let Alembic's batch mode rebuild SQLite tables reliably.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _long_text():
    return Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Record(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    deleted_at: datetime | None = None


class StaffRow(Record, table=True):
    __tablename__ = "staff"
    name: str
    role: str = ""  # added in revision 0003


class TeamRow(Record, table=True):
    __tablename__ = "team"
    name: str
    description: str = _long_text()


class ProjectRow(Record, table=True):
    __tablename__ = "project"
    team_id: int = Field(foreign_key="team.id", index=True)
    title: str
    aim_statement: str = _long_text()
    problem: str = _long_text()
    status: str
    lead: str = ""
    sponsor: str = ""
    start_date: date | None = None
    end_date: date | None = None


class ProjectMemberRow(Record, table=True):
    __tablename__ = "project_member"
    project_id: int = Field(foreign_key="project.id", index=True)
    name: str
    role: str = ""


class ProgressScoreRow(Record, table=True):
    __tablename__ = "progress_score"
    project_id: int = Field(foreign_key="project.id", index=True)
    score: float
    scored_on: date
    note: str = _long_text()


class DriverNodeRow(Record, table=True):
    __tablename__ = "driver_node"
    project_id: int = Field(foreign_key="project.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="driver_node.id")
    level: str
    text: str = _long_text()
    position: int = 0
    status: str | None = None


class MeasureRow(Record, table=True):
    __tablename__ = "measure"
    project_id: int = Field(foreign_key="project.id", index=True)
    name: str
    kind: str
    definition: str = _long_text()
    data_source: str = _long_text()
    unit: str = ""
    value_type: str
    frequency: str
    improvement_direction: str
    target: float | None = None
    chart_choice: str
    rate_multiplier: float | None = None
    baseline_points: int | None = None
    position: int = 0


class PdsaCycleRow(Record, table=True):
    __tablename__ = "pdsa_cycle"
    change_idea_id: int = Field(foreign_key="driver_node.id", index=True)
    cycle_number: int
    title: str = ""
    scale: str = _long_text()
    status: str
    objective: str = _long_text()
    questions: str = _long_text()
    predictions: str = _long_text()
    plan_who: str = _long_text()
    plan_what: str = _long_text()
    plan_when: str = _long_text()
    plan_where: str = _long_text()
    data_plan: str = _long_text()
    do_notes: str = _long_text()
    observations: str = _long_text()
    study_results: str = _long_text()
    learning: str = _long_text()
    decision: str | None = None
    next_step: str = _long_text()
    planned_start: date | None = None
    planned_end: date | None = None
    started_on: date | None = None
    finished_on: date | None = None
    prediction_measure_id: int | None = Field(default=None, foreign_key="measure.id")
    prediction_value: float | None = None
    prediction_by: date | None = None
    studied_on: date | None = None  # added in revision 0004
    decided_on: date | None = None  # added in revision 0004
    prediction_direction: str | None = None  # added in revision 0004


class PdsaMeasureRow(Record, table=True):
    """A measure a PDSA cycle expects to move."""

    __tablename__ = "pdsa_measure"
    pdsa_cycle_id: int = Field(foreign_key="pdsa_cycle.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)


class DataPointRow(Record, table=True):
    __tablename__ = "data_point"
    __table_args__ = (Index("ix_data_point_series", "measure_id", "deleted_at", "period", "id",
                            "value", "numerator", "denominator", "excluded"),)
    measure_id: int = Field(foreign_key="measure.id")
    period: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    comment: str = _long_text()
    excluded: bool = False
    exclusion_reason: str = _long_text()
    entered_by: str = ""
    entered_at: datetime | None = None


class PhaseRow(Record, table=True):
    __tablename__ = "phase"
    measure_id: int = Field(foreign_key="measure.id", index=True)
    start_date: date
    reason: str = _long_text()


class AnnotationRow(Record, table=True):
    __tablename__ = "annotation"
    measure_id: int = Field(foreign_key="measure.id", index=True)
    on_date: date
    kind: str
    text: str = _long_text()
    pdsa_cycle_id: int | None = Field(default=None, foreign_key="pdsa_cycle.id")


class ReviewRow(Record, table=True):
    __tablename__ = "review"
    subject: str
    subject_id: int
    reviewer: str
    comment: str = _long_text()
    reviewed_at: datetime | None = None


class AuditEventRow(SQLModel, table=True):
    """Append-only: never updated or deleted by QIDesk."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_record", "table_name", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    staff_name: str
    os_user: str
    computer: str
    app_version: str
    action: str
    table_name: str
    record_id: int | None = None
    changes: str = _long_text()  # JSON: {field: [old, new]}
    pid_warnings: str = _long_text()  # JSON: {field: [reason, ...]}, never the text


class WorkbookInfoRow(SQLModel, table=True):
    """Key/value facts about the workbook itself (added in revision 0002)."""

    __tablename__ = "workbook_info"
    key: str = Field(primary_key=True)
    value: str = ""


RECORD_TABLES: dict[str, type[Record]] = {
    t.__tablename__: t for t in (
        StaffRow, TeamRow, ProjectRow, ProjectMemberRow, ProgressScoreRow, DriverNodeRow,
        MeasureRow, PdsaCycleRow, PdsaMeasureRow, DataPointRow, PhaseRow, AnnotationRow,
        ReviewRow)
}
