"""Rules for one data point, which depend on the measure's value type and frequency."""

from __future__ import annotations

from qidesk.domain.entities import DataPoint, Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.errors import ValidationError
from qidesk.domain.rules import check_number, check_text


_LABELS = {ValueType.COUNT: "The count", ValueType.DAYS_BETWEEN: "Days between events",
           ValueType.CASES_BETWEEN: "Cases between events"}


def check_data_point(point: DataPoint, measure: Measure) -> None:
    """Raise ValidationError if `point` cannot be a data point of `measure`."""
    from qidesk.domain.periods import check_period

    check_text(point)
    if measure.frequency != Frequency.EVENT:
        check_period(point.period, measure.frequency)
    if measure.value_type.has_denominator:
        _check_fraction(point, measure.value_type)
    else:
        _check_single_value(point, measure.value_type)
    if point.excluded and not point.exclusion_reason.strip():
        raise ValidationError("Say why this point is left out of the calculations.",
                              field="exclusion_reason")


def _check_single_value(point: DataPoint, value_type: ValueType) -> None:
    if point.numerator is not None or point.denominator is not None:
        raise ValidationError("This measure takes one value, not a numerator and denominator.",
                              field="numerator")
    whole = value_type in (ValueType.COUNT, ValueType.CASES_BETWEEN)
    minimum = None if value_type == ValueType.CONTINUOUS else 0
    check_number(point.value, "value", _LABELS.get(value_type, "The value"), required=True,
                 whole=whole, minimum=minimum)


def _check_fraction(point: DataPoint, value_type: ValueType) -> None:
    if point.value is not None:
        raise ValidationError("This measure takes a numerator and a denominator.", field="value")
    proportion = value_type == ValueType.PROPORTION
    check_number(point.numerator, "numerator", "The numerator", required=True,
                 whole=True, minimum=0)
    check_number(point.denominator, "denominator", "The denominator", required=True,
                 whole=proportion)
    if point.denominator <= 0:
        raise ValidationError("The denominator must be more than zero.", field="denominator")
    if proportion and point.numerator > point.denominator:
        raise ValidationError("The numerator cannot be more than the denominator.",
                              field="numerator")
