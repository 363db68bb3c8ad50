"""The things a ward team records, as plain dataclasses (read models and drafts alike).

Field names equal storage column names so the storage layer maps them one to one.
`id` is None on a draft that has not been saved yet. Text fields carry their length
limit and whether they are free text (checked for patient-identifiable data) in the
field metadata, so one generic rule covers every entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from qidesk.domain.enums import (
    AnnotationKind,
    ChangeIdeaStatus,
    ChartChoice,
    DriverLevel,
    Frequency,
    ImprovementDirection,
    MeasureKind,
    PdsaDecision,
    PdsaStatus,
    ProjectStatus,
    ReviewSubject,
    ValueType,
)

NAME_MAX = 120
TITLE_MAX = 200
SHORT_TEXT_MAX = 1_000
LONG_TEXT_MAX = 10_000
STAFF_ROLE_MAX = 60  # "Staff nurse", "HCA", "QI lead": fits beside a name in a list


def name_field(max_len: int = NAME_MAX, *, required: bool = True, label: str = ""):
    """A short name or title: length-checked, and checked for patient data like all text."""
    return field(default="", metadata={"max_len": max_len, "free_text": True,
                                       "required": required, "label": label})


def text_field(max_len: int = LONG_TEXT_MAX, label: str = ""):
    """Optional free text (notes, definitions, PDSA worksheet answers)."""
    return field(default="", metadata={"max_len": max_len, "free_text": True,
                                       "required": False, "label": label})


@dataclass(frozen=True, kw_only=True)
class Staff:
    """A name people pick to sign in on a shared PC (no passwords: audit, not security)."""

    id: int | None = None
    name: str = name_field(label="Name")
    role: str = name_field(STAFF_ROLE_MAX, required=False, label="Role")


@dataclass(frozen=True, kw_only=True)
class Team:
    """A ward or unit."""

    id: int | None = None
    name: str = name_field(label="Team name")
    description: str = text_field(SHORT_TEXT_MAX, "Description")


@dataclass(frozen=True, kw_only=True)
class Project:
    id: int | None = None
    team_id: int
    title: str = name_field(TITLE_MAX, label="Title")
    aim_statement: str = text_field(SHORT_TEXT_MAX, "Aim statement")
    problem: str = text_field(label="Problem")
    status: ProjectStatus = ProjectStatus.PLANNING
    lead: str = name_field(required=False, label="Lead")
    sponsor: str = name_field(required=False, label="Sponsor")
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True, kw_only=True)
class ProjectMember:
    id: int | None = None
    project_id: int
    name: str = name_field(label="Name")
    role: str = name_field(required=False, label="Role")


@dataclass(frozen=True, kw_only=True)
class ProgressScore:
    """One entry of a project's IHI progress score history (0.5 to 5.0)."""

    id: int | None = None
    project_id: int
    score: float
    scored_on: date
    note: str = text_field(SHORT_TEXT_MAX, "Note")


@dataclass(frozen=True, kw_only=True)
class DriverNode:
    """A box of the driver diagram; change ideas are the right-most level and have a status."""

    id: int | None = None
    project_id: int
    parent_id: int | None = None
    level: DriverLevel
    text: str = name_field(SHORT_TEXT_MAX, label="Text")
    position: int = 0
    status: ChangeIdeaStatus | None = None


@dataclass(frozen=True, kw_only=True)
class PdsaCycle:
    """One Plan-Do-Study-Act cycle of a change idea, with every IHI worksheet field."""

    id: int | None = None
    change_idea_id: int
    cycle_number: int
    title: str = name_field(TITLE_MAX, required=False, label="Title")
    scale: str = name_field(SHORT_TEXT_MAX, required=False, label="Scale of test")
    status: PdsaStatus = PdsaStatus.PLANNED
    objective: str = text_field(label="Objective")
    questions: str = text_field(label="Questions")
    predictions: str = text_field(label="Predictions")
    plan_who: str = text_field(SHORT_TEXT_MAX, "Who")
    plan_what: str = text_field(SHORT_TEXT_MAX, "What")
    plan_when: str = text_field(SHORT_TEXT_MAX, "When")
    plan_where: str = text_field(SHORT_TEXT_MAX, "Where")
    data_plan: str = text_field(label="Data to collect")
    do_notes: str = text_field(label="What happened")
    observations: str = text_field(label="Observations")
    study_results: str = text_field(label="Results against predictions")
    learning: str = text_field(label="Learning")
    decision: PdsaDecision | None = None
    next_step: str = text_field(label="Next step")
    planned_start: date | None = None
    planned_end: date | None = None
    started_on: date | None = None
    finished_on: date | None = None
    prediction_measure_id: int | None = None
    prediction_value: float | None = None
    prediction_by: date | None = None
    studied_on: date | None = None  # the Study stage's date (Plan and Do have theirs above)
    decided_on: date | None = None  # the Act stage's date
    # "below" or "above" the predicted value; None reads as the measure's better direction.
    prediction_direction: str | None = None


@dataclass(frozen=True, kw_only=True)
class Measure:
    id: int | None = None
    project_id: int
    name: str = name_field(TITLE_MAX, label="Measure name")
    kind: MeasureKind = MeasureKind.OUTCOME
    definition: str = text_field(label="Operational definition")
    data_source: str = text_field(SHORT_TEXT_MAX, "Data source")
    unit: str = name_field(required=False, label="Unit")
    value_type: ValueType = ValueType.CONTINUOUS
    frequency: Frequency = Frequency.WEEK
    improvement_direction: ImprovementDirection = ImprovementDirection.NEITHER
    target: float | None = None
    chart_choice: ChartChoice = ChartChoice.AUTO
    rate_multiplier: float | None = None  # e.g. 1000 for "per 1,000 bed days"
    baseline_points: int | None = None  # freeze centre and limits on the first k points
    position: int = 0


@dataclass(frozen=True, kw_only=True)
class DataPoint:
    """One period's figure: `value`, or `numerator` + `denominator` for proportions and rates."""

    id: int | None = None
    measure_id: int
    period: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    comment: str = text_field(2_000, "Comment")
    excluded: bool = False
    exclusion_reason: str = text_field(SHORT_TEXT_MAX, "Reason for exclusion")
    entered_by: str = ""
    entered_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Phase:
    """A split of the chart's centre line and limits starting at `start_date`."""

    id: int | None = None
    measure_id: int
    start_date: date
    reason: str = name_field(SHORT_TEXT_MAX, label="Reason")


@dataclass(frozen=True, kw_only=True)
class Annotation:
    id: int | None = None
    measure_id: int
    on_date: date
    kind: AnnotationKind = AnnotationKind.CHANGE
    text: str = name_field(SHORT_TEXT_MAX, label="Note")
    pdsa_cycle_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class Review:
    """A reviewer's sign-off of a measure or a project."""

    id: int | None = None
    subject: ReviewSubject
    subject_id: int
    reviewer: str = name_field(label="Reviewer")
    comment: str = text_field(label="Comment")
    reviewed_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """Who changed what, when (UTC). `changes` maps field -> [old, new]; a field the
    patient-data guard flagged shows a placeholder instead of its text, and
    `pid_warnings` maps that field to the reasons shown (never the text)."""

    id: int
    at: datetime
    staff_name: str
    os_user: str
    computer: str
    app_version: str
    action: str
    table_name: str
    record_id: int | None
    changes: dict = field(default_factory=dict)
    pid_warnings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DeletedRecord:
    """A soft-deleted record that can be restored."""

    kind: str
    id: int
    label: str
    deleted_at: datetime
