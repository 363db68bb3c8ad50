"""Fidelity hints for a PDSA cycle: gentle prompts, never a reason to refuse a save.

After Taylor et al., "Systematic review of the application of the plan-do-study-act
method to improve quality in healthcare", BMJ Qual Saf 2014;23:290-298: few published
cycles wrote a prediction, ran iterative small-scale tests, or collected data over time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from qidesk.domain.entities import PdsaCycle
from qidesk.domain.enums import PdsaStatus

# Words that say a test covers everyone, everywhere, all the time.
_FULL_SCALE = re.compile(
    r"\b(whole (ward|unit|hospital|trust|team)|ward[- ]wide|all (bays|patients|staff|shifts|"
    r"wards|beds)|every (patient|bay|shift|ward)|full scale|days and nights|24/7|trust[- ]wide)\b",
    re.IGNORECASE)
# Open more than this many times its planned length, and at least a week over, is "far".
OVERRUN_FACTOR = 2
OVERRUN_MIN_DAYS = 7


@dataclass(frozen=True)
class Hint:
    code: str  # "no_prediction", "full_scale_first", "no_data", "overrun"
    text: str


def no_prediction(cycle: PdsaCycle) -> Hint | None:
    if cycle.predictions.strip() or cycle.prediction_value is not None:
        return None
    return Hint("no_prediction", "No prediction written yet: say what you expect to happen "
                                 "before the test, so Study can compare it with what did.")


def full_scale_first(cycle: PdsaCycle) -> Hint | None:
    if cycle.cycle_number != 1 or not _FULL_SCALE.search(f"{cycle.scale} {cycle.title}"):
        return None
    return Hint("full_scale_first", "This first test looks full scale: start small (one "
                                    "patient, one nurse, one shift) and widen the test "
                                    "as confidence grows.")


def no_data(cycle: PdsaCycle, linked_measures: int, points_in_window: int,
            today: date) -> Hint | None:
    """A started cycle with no figures on its linked measures over its dates."""
    started = cycle.started_on or cycle.planned_start
    if started is None or started > today or cycle.status == PdsaStatus.PLANNED:
        return None
    if linked_measures == 0:
        return Hint("no_data", "No measures are linked to this cycle: link the measures it "
                               "should move, so its effect shows over time.")
    if points_in_window:
        return None
    return Hint("no_data", "No figures have been recorded on the linked measures over the "
                           "cycle's dates: collect data over time, not just before and after.")


def overrun(cycle: PdsaCycle, today: date) -> Hint | None:
    if cycle.status == PdsaStatus.DONE or cycle.planned_start is None or cycle.planned_end is None:
        return None
    planned = (cycle.planned_end - cycle.planned_start).days + 1
    open_days = (today - (cycle.started_on or cycle.planned_start)).days + 1
    late = (today - cycle.planned_end).days
    if open_days <= OVERRUN_FACTOR * planned or late < OVERRUN_MIN_DAYS:
        return None
    return Hint("overrun", f"Open for {open_days} days against {planned} planned: study what "
                           "you have and decide in Act (adopt, adapt or abandon), or re-plan "
                           "the dates.")


def cycle_hints(cycle: PdsaCycle, *, linked_measures: int, points_in_window: int,
                today: date) -> list[Hint]:
    """Every hint that applies to the cycle, in worksheet order."""
    found = (no_prediction(cycle), full_scale_first(cycle),
             no_data(cycle, linked_measures, points_in_window, today), overrun(cycle, today))
    return [hint for hint in found if hint is not None]
