"""The fixed vocabularies of QI work, as stored in workbooks (values are stable strings)."""

from __future__ import annotations

from enum import StrEnum


class MeasureKind(StrEnum):
    """Family of measures (IHI): what the measure tells the team."""

    OUTCOME = "outcome"
    PROCESS = "process"
    BALANCING = "balancing"


class ValueType(StrEnum):
    """How one data point of a measure is recorded."""

    CONTINUOUS = "continuous"  # a measurement, e.g. minutes to antibiotics
    COUNT = "count"  # events in a period, e.g. falls per week
    PROPORTION = "proportion"  # numerator / denominator, e.g. obs on time / obs due
    RATE = "rate"  # count per exposure x multiplier, e.g. falls per 1,000 bed days
    DAYS_BETWEEN = "days_between"  # days since the previous rare event
    CASES_BETWEEN = "cases_between"  # cases (patients, procedures) since the previous event

    @property
    def has_denominator(self) -> bool:
        return self in (ValueType.PROPORTION, ValueType.RATE)

    @property
    def is_per_event(self) -> bool:
        return self in (ValueType.DAYS_BETWEEN, ValueType.CASES_BETWEEN)


class Frequency(StrEnum):
    """How often a measure gets a data point."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    EVENT = "event"  # one point per rare event: any date, duplicates allowed


class ImprovementDirection(StrEnum):
    UP = "up"
    DOWN = "down"
    NEITHER = "neither"


class ChartChoice(StrEnum):
    """Chart a measure is drawn as; AUTO lets the analysis layer suggest one."""

    AUTO = "auto"
    RUN = "run"
    I = "i"  # noqa: E741 - the chart's conventional name
    MR = "mr"
    P = "p"
    PP = "pp"
    U = "u"
    UP = "up"
    C = "c"
    G = "g"
    T = "t"
    XBAR = "xbar"
    S = "s"


class ProjectStatus(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    SUSTAINING = "sustaining"
    CLOSED = "closed"


class DriverLevel(StrEnum):
    """Columns of a driver diagram, left to right."""

    AIM = "aim"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    CHANGE_IDEA = "change_idea"


class ChangeIdeaStatus(StrEnum):
    UNTESTED = "untested"
    TESTING = "testing"
    ADOPTED = "adopted"
    ABANDONED = "abandoned"


class PdsaDecision(StrEnum):
    """The Act stage's decision on a change idea after a cycle."""

    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"


class PdsaStatus(StrEnum):
    PLANNED = "planned"
    DOING = "doing"
    STUDYING = "studying"
    DONE = "done"


class AnnotationKind(StrEnum):
    CHANGE = "change"
    PDSA = "pdsa"
    EXTERNAL_EVENT = "external_event"
    DATA_ISSUE = "data_issue"


class ReviewSubject(StrEnum):
    MEASURE = "measure"
    PROJECT = "project"
