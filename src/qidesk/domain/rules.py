"""Value rules every record must pass before it is written; each failure is a
ValidationError naming the field, worded for the person at the keyboard."""

from __future__ import annotations

import math
from dataclasses import fields
from functools import cache
from datetime import date

from qidesk.domain.entities import DriverNode, Measure, PdsaCycle, ProgressScore, Project
from qidesk.domain.enums import DriverLevel, Frequency
from qidesk.domain.errors import ValidationError

# IHI's progress scale runs 1.0-5.0 in half steps; 0.5 means "intent to participate".
PROGRESS_SCORE_MIN = 0.5
PROGRESS_SCORE_MAX = 5.0
PROGRESS_SCORE_STEP = 0.5

# Far beyond any ward figure; keeps typos like 1e308 out of the chart's scale.
LARGEST_VALUE = 1e12


class PidConfirmationRequired(Exception):
    """Free text looks like patient-identifiable data; ask the user, then call again with
    confirm_pid=True. `warnings` maps field name -> short reasons (never the text)."""

    def __init__(self, warnings: dict[str, list[str]]):
        reasons = "; ".join(f"{name}: {', '.join(r)}" for name, r in warnings.items())
        super().__init__(f"This text may identify a patient ({reasons}).")
        self.warnings = warnings


def check_number(value: float | None, field: str, label: str, *, required: bool = False,
                 whole: bool = False, minimum: float | None = None) -> None:
    """A finite number (optionally whole and at least `minimum`)."""
    if value is None:
        if required:
            raise ValidationError(f"{label} is needed.", field=field)
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(f"{label} must be a number.", field=field)
    if not math.isfinite(value) or abs(value) > LARGEST_VALUE:
        raise ValidationError(f"{label} must be an ordinary number.", field=field)
    if whole and value != int(value):
        raise ValidationError(f"{label} must be a whole number.", field=field)
    if minimum is not None and value < minimum:
        noun = "negative" if minimum == 0 else f"less than {minimum:g}"
        raise ValidationError(f"{label} cannot be {noun}.", field=field)


@cache
def _text_fields(cls: type) -> tuple[tuple[str, int, str, bool, bool], ...]:
    """(name, max length, label, required, free text) of each text field of a class."""
    return tuple((f.name, f.metadata["max_len"], f.metadata.get("label") or f.name,
                  bool(f.metadata.get("required")), bool(f.metadata.get("free_text")))
                 for f in fields(cls) if "max_len" in f.metadata)


def check_text(entity: object) -> None:
    """Required text present and every text within its length limit."""
    for name, limit, label, required, _ in _text_fields(type(entity)):
        text = getattr(entity, name)
        if not isinstance(text, str):
            raise ValidationError(f"{label} must be text.", field=name)
        if required and not text.strip():
            raise ValidationError(f"{label} is needed.", field=name)
        if len(text) > limit:
            raise ValidationError(
                f"{label} is too long ({len(text):,} characters; at most {limit:,}).",
                field=name)


def free_text(entity: object) -> dict[str, str]:
    """The free-text fields of a record that the patient-data guard must look at."""
    return {name: getattr(entity, name) for name, _, _, _, free in _text_fields(type(entity))
            if free and getattr(entity, name)}


def pid_findings(entity: object, only: set[str] | None = None) -> dict[str, list[str]]:
    """Patient-data warnings per free-text field (only those in `only`, if given)."""
    from qidesk.domain.pid_guard import pid_warnings

    found = {}
    for name, text in free_text(entity).items():
        if only is not None and name not in only:
            continue
        reasons = pid_warnings(text)
        if reasons:
            found[name] = reasons
    return found


def check_date_order(start: date | None, end: date | None, field: str, message: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(message, field=field)


def check_progress_score(score: ProgressScore) -> None:
    check_number(score.score, "score", "IHI progress score", required=True)
    steps = score.score / PROGRESS_SCORE_STEP
    if not (PROGRESS_SCORE_MIN <= score.score <= PROGRESS_SCORE_MAX) or steps != int(steps):
        raise ValidationError(
            "The IHI progress score goes from 0.5 to 5.0 in steps of 0.5.", field="score")


def check_project(project: Project) -> None:
    check_date_order(project.start_date, project.end_date, "end_date",
                     "The end date is before the start date.")


def check_driver_node(node: DriverNode) -> None:
    if node.level == DriverLevel.AIM and node.parent_id is not None:
        raise ValidationError("The aim is the root of the driver diagram.", field="parent_id")
    if node.level != DriverLevel.AIM and node.parent_id is None:
        raise ValidationError("Only the aim can stand without a parent.", field="parent_id")
    if node.level != DriverLevel.CHANGE_IDEA and node.status is not None:
        raise ValidationError("Only change ideas have a testing status.", field="status")


def check_pdsa_cycle(cycle: PdsaCycle) -> None:
    check_number(cycle.cycle_number, "cycle_number", "Cycle number", required=True,
                 whole=True, minimum=1)
    check_date_order(cycle.planned_start, cycle.planned_end, "planned_end",
                     "The planned end is before the planned start.")
    check_date_order(cycle.started_on, cycle.finished_on, "finished_on",
                     "The cycle finishes before it starts.")
    check_number(cycle.prediction_value, "prediction_value", "Predicted value")
    has_any = (cycle.prediction_value is not None or cycle.prediction_by is not None)
    if has_any and cycle.prediction_measure_id is None:
        raise ValidationError("Choose the measure the prediction is about.",
                              field="prediction_measure_id")
    if cycle.prediction_measure_id is not None and cycle.prediction_value is None:
        raise ValidationError("Enter the value you predict for the measure.",
                              field="prediction_value")


def check_measure(measure: Measure) -> None:
    check_number(measure.target, "target", "Target")
    check_number(measure.rate_multiplier, "rate_multiplier", "Rate multiplier", minimum=0)
    if measure.rate_multiplier == 0:
        raise ValidationError("Rate multiplier must be more than zero.", field="rate_multiplier")
    check_number(measure.baseline_points, "baseline_points", "Baseline points",
                 whole=True, minimum=2)
    if measure.value_type.is_per_event and measure.frequency != Frequency.EVENT:
        raise ValidationError("Days or cases between events are recorded per event.",
                              field="frequency")
    if measure.frequency == Frequency.EVENT and not measure.value_type.is_per_event:
        raise ValidationError("Only days or cases between events are recorded per event.",
                              field="frequency")
