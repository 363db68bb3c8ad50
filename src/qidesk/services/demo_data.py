"""The demo ward's measures and their data, as plain values (no database).

Deterministic: every series comes from its own seeded numpy Generator, and every date
is fixed (weekly data from w/c 4 Nov 2024 to w/c 26 Oct 2026, monthly Nov 2024 to
Oct 2026), so two builds give identical data. The figures are plausible for a 28-bed
elderly-care ward: ~840 occupied bed days a month, falls 7-8 per 1,000 bed days
before bay nursing and ~4.5 after it, ~20 discharges a week. The changes the teams
adopted shift the series for real, so the charts show genuine signals.
Numpy's Generator streams are stable within a numpy release; numpy is pinned.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from qidesk.domain.entities import Annotation, DataPoint, Measure, Phase
from qidesk.domain.enums import (
    AnnotationKind,
    Frequency,
    ImprovementDirection,
    MeasureKind,
    ValueType,
)
from qidesk.domain.periods import periods_between

SEED = 20261026
BEDS = 28
FIRST_WEEK, LAST_WEEK = date(2024, 11, 4), date(2026, 10, 26)
FIRST_MONTH, LAST_MONTH = date(2024, 11, 1), date(2026, 10, 1)
FIRST_QUARTER, LAST_QUARTER = date(2024, 10, 1), date(2026, 7, 1)
FIRST_DAY, LAST_DAY = date(2026, 8, 3), date(2026, 10, 31)

# When the adopted changes took hold (the phase splits and steps in the series).
BAY_NURSING_TESTS = date(2025, 8, 1)
BAY_NURSING_ADOPTED = date(2025, 11, 1)
BAY_NURSING_ADOPTED_WEEK = date(2025, 11, 3)
ADMISSION_OBS_ADOPTED = date(2025, 12, 1)
OBS_BOARD_TESTS = date(2026, 1, 5)
OBS_BOARD_ADOPTED = date(2026, 3, 30)
TTO_TESTS = date(2026, 5, 11)
TTO_ADOPTED = date(2026, 7, 6)


@dataclass(frozen=True)
class DemoAnnotation:
    annotation: Annotation  # measure_id=0 until written
    pdsa_key: str | None = None  # "idea key/cycle number" of the cycle it marks


@dataclass(frozen=True)
class DemoMeasure:
    """A measure (project_id=0 until written), its points and its chart notes."""

    key: str
    measure: Measure
    points: tuple[DataPoint, ...]
    entered_by: str
    phases: tuple[Phase, ...] = ()
    annotations: tuple[DemoAnnotation, ...] = field(default=())


def _steps(periods: list[date], levels: list[tuple[date, float]]) -> np.ndarray:
    """The level in force at each period: levels[i] holds from its date to the next one."""
    out = np.empty(len(periods))
    for i, period in enumerate(periods):
        out[i] = [value for start, value in levels if start <= period][-1]
    return out


# Poisson noise on ~6 falls a month hides a 40% drop in most 24-month draws (as on a
# real ward); this stream was picked (by trying variants) so the monthly falls chart
# shows the shift the weekly one shows, with no implausible months.
_STREAM_VARIANTS = {"falls_rate": 2748}


def _rng(key: str) -> np.random.Generator:
    """One stream per measure: changing one series never moves another."""
    if key in _STREAM_VARIANTS:
        key = f"{key}#{_STREAM_VARIANTS[key]}"
    return np.random.default_rng([SEED, sum(ord(c) * 31**i for i, c in enumerate(key)) % 2**32])


def _point(period: date, **values) -> DataPoint:
    return DataPoint(measure_id=0, period=period, **values)


def rate_points(key: str, levels: list[tuple[date, float]]) -> list[DataPoint]:
    """Monthly falls (numerator) per occupied bed days (denominator), Poisson around levels."""
    rng = _rng(key)
    months = periods_between(FIRST_MONTH, LAST_MONTH, Frequency.MONTH)
    points = []
    for month, rate in zip(months, _steps(months, levels), strict=True):
        days = calendar.monthrange(month.year, month.month)[1]
        bed_days = int(round(BEDS * days * rng.uniform(0.93, 0.985)))
        falls = int(rng.poisson(rate * bed_days / 1000))
        points.append(_point(month, numerator=float(falls), denominator=float(bed_days)))
    return points


def count_points(key: str, first: date, last: date, frequency: Frequency,
                 levels: list[tuple[date, float]]) -> list[DataPoint]:
    rng = _rng(key)
    periods = periods_between(first, last, frequency)
    counts = rng.poisson(_steps(periods, levels))
    return [_point(p, value=float(c)) for p, c in zip(periods, counts, strict=True)]


def proportion_points(key: str, first: date, sizes: tuple[int, int],
                      levels: list[tuple[date, float]]) -> list[DataPoint]:
    """Weekly audits: `sizes` is the range of items audited, levels the chance of 'met'."""
    rng = _rng(key)
    weeks = periods_between(first, LAST_WEEK, Frequency.WEEK)
    points = []
    for week, chance in zip(weeks, _steps(weeks, levels), strict=True):
        due = int(rng.integers(sizes[0], sizes[1] + 1))
        met = int(rng.binomial(due, chance))
        points.append(_point(week, numerator=float(met), denominator=float(due)))
    return points


def continuous_points(key: str, first: date, last: date, frequency: Frequency,
                      levels: list[tuple[date, float]], spread: float) -> list[DataPoint]:
    rng = _rng(key)
    periods = periods_between(first, last, frequency)
    values = rng.normal(_steps(periods, levels), spread)
    return [_point(p, value=round(max(float(v), 0.0), 1)) for p, v in zip(periods, values, strict=True)]


def event_gaps(key: str, start: date, levels: list[tuple[date, float]],
               per_day: float = 1.0) -> list[DataPoint]:
    """Rare events after `start`: each point is an event's date and the days (per_day=1) or
    cases (per_day = cases a day) since the event before; levels give the mean gap."""
    rng = _rng(key)
    points, previous = [], start
    while True:
        mean_gap = [value for since, value in levels if since <= previous][-1]
        gap = int(rng.geometric(1 / mean_gap)) - (0 if per_day == 1.0 else 1)
        when = previous + timedelta(days=max(1, round(gap / per_day)))
        if when > LAST_DAY:
            return points
        points.append(_point(when, value=float(gap)))
        previous = when


def with_comments(points: list[DataPoint], comments: dict[date, str],
                  excluded: dict[date, str] | None = None, drop: tuple[date, ...] = ()) -> tuple:
    """Attach ward comments and exclusions to some periods; drop periods never collected."""
    excluded = excluded or {}
    out = []
    for point in points:
        if point.period in drop:
            continue
        reason = excluded.get(point.period, "")
        out.append(DataPoint(**{**point.__dict__, "comment": comments.get(point.period, ""),
                                "excluded": bool(reason), "exclusion_reason": reason}))
    return tuple(out)


def measure(name: str, kind: MeasureKind, value_type: ValueType, frequency: Frequency,
            direction: ImprovementDirection, definition: str, source: str, unit: str,
            **extra) -> Measure:
    return Measure(project_id=0, name=name, kind=kind, value_type=value_type,
                   frequency=frequency, improvement_direction=direction, definition=definition,
                   data_source=source, unit=unit, **extra)


def phase(start: date, reason: str) -> tuple[Phase, ...]:
    return (Phase(measure_id=0, start_date=start, reason=reason),)


def note(on: date, kind: AnnotationKind, text: str, pdsa: str | None = None) -> DemoAnnotation:
    return DemoAnnotation(Annotation(measure_id=0, on_date=on, kind=kind, text=text), pdsa)


K, VT, F, D, A = MeasureKind, ValueType, Frequency, ImprovementDirection, AnnotationKind


def falls_measures() -> tuple[DemoMeasure, ...]:
    """Project 1: falls. Bay nursing tested Aug-Oct 2025, adopted on all bays 1 Nov 2025."""
    rate_levels = [(FIRST_MONTH, 7.6), (BAY_NURSING_TESTS, 6.4), (BAY_NURSING_ADOPTED, 4.4)]
    weekly_levels = [(FIRST_WEEK, 1.45), (BAY_NURSING_TESTS, 1.2), (BAY_NURSING_ADOPTED_WEEK, 0.85)]
    split = "Bay nursing adopted on all bays (PDSA cycle 3)"
    rate = DemoMeasure("falls_rate", measure(
        "Falls per 1,000 occupied bed days", K.OUTCOME, VT.RATE, F.MONTH, D.DOWN,
        "Numerator: inpatient falls on Ward 7 reported on Datix in the calendar month, "
        "witnessed or not, with or without harm (NICE NG249 definition of a fall). "
        "Denominator: occupied bed days for the month from the bed management system "
        "(midnight census). Multiplied by 1,000.",
        "Datix incident reports; bed management system midnight census", "falls per 1,000 OBD",
        target=4.5, rate_multiplier=1000.0),
        with_comments(rate_points("falls_rate", rate_levels), {
            date(2025, 1, 1): "Norovirus: two bays closed 13-24 Jan",
            date(2025, 4, 1): "Includes 3 falls reported late on Datix",
            date(2025, 12, 1): "Winter escalation: 4 extra beds opened"}),
        "Tom Reilly", phase(BAY_NURSING_ADOPTED, split), (
            note(date(2025, 1, 13), A.EXTERNAL_EVENT, "Norovirus outbreak: bays 2 and 4 closed"),
            note(date(2025, 4, 1), A.DATA_ISSUE, "3 falls from March reported late on Datix"),
            note(date(2025, 7, 1), A.CHANGE, "14:00 falls safety huddle adopted", "huddle/2"),
            note(date(2025, 8, 4), A.PDSA, "PDSA 1: bay nursing in bay 3, day shifts", "bay/1"),
            note(date(2025, 9, 1), A.PDSA, "PDSA 2: bays 3 and 4 with a break buddy", "bay/2"),
            note(date(2025, 10, 6), A.PDSA, "PDSA 3: all bays, days and nights", "bay/3"),
            note(BAY_NURSING_ADOPTED, A.CHANGE, "Bay nursing adopted on all bays", "bay/3")))
    weekly = DemoMeasure("falls_weekly", measure(
        "Falls per week", K.OUTCOME, VT.COUNT, F.WEEK, D.DOWN,
        "Inpatient falls on Ward 7 reported on Datix, Monday 00:00 to Sunday 23:59.",
        "Datix incident reports", "falls"),
        tuple(count_points("falls_weekly", FIRST_WEEK, LAST_WEEK, F.WEEK, weekly_levels)),
        "Tom Reilly", phase(BAY_NURSING_ADOPTED_WEEK, split),
        (note(BAY_NURSING_ADOPTED_WEEK, A.CHANGE, "Bay nursing adopted on all bays", "bay/3"),))
    harm = DemoMeasure("harm_days", measure(
        "Days between falls with harm", K.OUTCOME, VT.DAYS_BETWEEN, F.EVENT, D.UP,
        "For each fall with moderate or greater harm (Datix harm grading, confirmed at the "
        "weekly harm review), the number of days since the previous fall with harm.",
        "Datix harm review", "days"),
        tuple(event_gaps("harm_days", date(2024, 10, 19),
                         [(date(2024, 1, 1), 30.0), (BAY_NURSING_ADOPTED, 85.0)])),
        "Helen Marsh")
    presence = DemoMeasure("bay_presence", measure(
        "Bays with a member of staff present at spot check", K.PROCESS, VT.PROPORTION, F.WEEK,
        D.UP, "Unannounced spot checks by the nurse in charge at random times, days and "
        "nights: bays with a nurse or HCA in the bay / bays checked. Side rooms excluded.",
        "Spot check sheet at the nurses' station", "%", target=90.0),
        tuple(proportion_points("bay_presence", FIRST_WEEK, (18, 24), [
            (FIRST_WEEK, 0.52), (BAY_NURSING_TESTS, 0.71), (BAY_NURSING_ADOPTED_WEEK, 0.9)])),
        "Grace Mensah", phase(BAY_NURSING_ADOPTED_WEEK, split))
    call_bells = DemoMeasure("call_bells", measure(
        "Call bell response time", K.BALANCING, VT.CONTINUOUS, F.WEEK, D.DOWN,
        "Mean minutes from call bell to a member of staff at the bedside, from 10 call "
        "bells timed across the week by the ward clerk. Balancing: staff kept in the "
        "bays might answer bells elsewhere more slowly.",
        "Call bell timing audit", "minutes"),
        tuple(continuous_points("call_bells", FIRST_WEEK, LAST_WEEK, F.WEEK, [
            (FIRST_WEEK, 4.3), (BAY_NURSING_TESTS, 4.7), (BAY_NURSING_ADOPTED_WEEK, 4.2)], 0.6)),
        "Grace Mensah")
    return rate, weekly, harm, presence, call_bells


def observations_measures() -> tuple[DemoMeasure, ...]:
    """Project 2: NEWS2 observations. Obs board tested Jan-Mar 2026, adopted 30 Mar 2026."""
    christmas, no_audit = date(2025, 12, 22), date(2025, 12, 29)
    on_time = DemoMeasure("obs_on_time", measure(
        "NEWS2 observations on time", K.PROCESS, VT.PROPORTION, F.WEEK, D.UP,
        "Every observation set due on the ward in the 24 hours from 08:00 each Wednesday: "
        "sets completed within 30 minutes of the due time on the e-obs system / sets due.",
        "e-obs system report, checked by the practice educator", "%",
        target=90.0),
        with_comments(proportion_points("obs_on_time", FIRST_WEEK, (96, 126), [
            (FIRST_WEEK, 0.72), (OBS_BOARD_TESTS, 0.79), (OBS_BOARD_ADOPTED, 0.89)]),
            {christmas: "Audit covered the morning only"},
            excluded={christmas: "Christmas week: partial audit, not comparable"},
            drop=(no_audit,)),
        "Priya Shah", phase(OBS_BOARD_ADOPTED, "Obs due board adopted (PDSA cycle 3)"), (
            note(date(2025, 3, 3), A.EXTERNAL_EVENT, "Trust-wide e-obs handheld devices upgraded"),
            note(no_audit, A.DATA_ISSUE, "No audit this week: practice educator on leave"),
            note(OBS_BOARD_TESTS, A.PDSA, "PDSA 1: obs due board, day shift", "board/1"),
            note(date(2026, 2, 2), A.PDSA, "PDSA 2: board updated at every handover", "board/2"),
            note(date(2026, 3, 2), A.PDSA, "PDSA 3: board owned by the nurse in charge", "board/3"),
            note(OBS_BOARD_ADOPTED, A.CHANGE, "Obs due board adopted", "board/3")))
    first_obs = DemoMeasure("first_obs", measure(
        "Minutes from arrival to first NEWS2 observations", K.PROCESS, VT.CONTINUOUS, F.WEEK,
        D.DOWN, "Median minutes from the patient's arrival on the ward (bed management "
        "system) to the first complete NEWS2 set (e-obs), over the week's admissions.",
        "Bed management system and e-obs", "minutes", target=30.0),
        tuple(continuous_points("first_obs", FIRST_WEEK, LAST_WEEK, F.WEEK, [
            (FIRST_WEEK, 78.0), (date(2025, 11, 3), 62.0), (ADMISSION_OBS_ADOPTED, 40.0)], 9.0)),
        "Priya Shah", annotations=(note(date(2025, 12, 1), A.CHANGE,
                                        "Admission checklist: obs at the bedside on arrival",
                                        "admission/2"),))
    escalation = DemoMeasure("escalation_cases", measure(
        "Patients with NEWS2 5+ between missed escalations", K.OUTCOME, VT.CASES_BETWEEN,
        F.EVENT, D.UP, "For each patient with a NEWS2 of 5 or more not escalated to the "
        "nurse in charge within 1 hour, the number of patients with NEWS2 5+ since the "
        "previous missed escalation (weekly deteriorating-patient review).",
        "Deteriorating patient review log", "patients"),
        tuple(event_gaps("escalation_cases", date(2024, 10, 25),
                         [(date(2024, 1, 1), 11.0), (OBS_BOARD_ADOPTED, 32.0)], per_day=0.9)),
        "Helen Marsh")
    sleep = DemoMeasure("sleep", measure(
        "Patients reporting sleep disturbed by night observations", K.BALANCING, VT.COUNT,
        F.WEEK, D.DOWN, "Patients answering 'yes' to 'Did night-time checks stop you "
        "sleeping?' on the Wednesday morning sleep survey (all patients able to answer).",
        "Ward sleep survey", "patients"),
        tuple(count_points("sleep", FIRST_WEEK, LAST_WEEK, F.WEEK, [(FIRST_WEEK, 3.2)])),
        "Grace Mensah")
    return on_time, first_obs, escalation, sleep


def discharge_measures() -> tuple[DemoMeasure, ...]:
    """Project 3: discharges before noon. TTOs the day before tested May, adopted Jul 2026."""
    before_noon = DemoMeasure("noon", measure(
        "Discharges before noon", K.OUTCOME, VT.PROPORTION, F.WEEK, D.UP,
        "Discharges home or to a care home leaving the ward before 12:00 / all such "
        "discharges in the week (deaths and transfers to other wards excluded).",
        "Bed management system discharge times", "%", target=35.0,
        baseline_points=26),
        tuple(proportion_points("noon", FIRST_WEEK, (17, 27), [
            (FIRST_WEEK, 0.16), (TTO_TESTS, 0.2), (TTO_ADOPTED, 0.31)])),
        "Joanne Pike", annotations=(
            note(TTO_TESTS, A.PDSA, "PDSA 1: TTOs the day before, bay 1", "tto/1"),
            note(TTO_ADOPTED, A.CHANGE, "TTOs written the day before planned discharge", "tto/2"),
            note(date(2026, 1, 5), A.EXTERNAL_EVENT, "Winter pressures: OPEL 4 declared")))
    ttos = DemoMeasure("ttos", measure(
        "Discharge medicines ready the day before", K.PROCESS, VT.PROPORTION, F.WEEK, D.UP,
        "Planned discharges whose TTO was screened by pharmacy by 17:00 the day before / "
        "planned discharges in the week.", "Pharmacy TTO log", "%"),
        tuple(proportion_points("ttos", date(2026, 1, 5), (12, 20), [
            (date(2026, 1, 5), 0.26), (TTO_TESTS, 0.47), (TTO_ADOPTED, 0.72)])),
        "Sam Adeyemi")
    readmissions = DemoMeasure("readmissions", measure(
        "Readmissions within 7 days of discharge", K.BALANCING, VT.COUNT, F.MONTH, D.DOWN,
        "Emergency readmissions to any ward within 7 days of discharge from Ward 7, "
        "by month of discharge. Balancing: earlier discharges must not be rushed ones.",
        "Business intelligence readmissions report", "patients"),
        tuple(count_points("readmissions", FIRST_MONTH, LAST_MONTH, F.MONTH,
                           [(FIRST_MONTH, 2.3)])),
        "Joanne Pike")
    knew_date = DemoMeasure("knew_date", measure(
        "Patients who knew their expected discharge date", K.PROCESS, VT.CONTINUOUS,
        F.QUARTER, D.UP, "Percentage answering 'yes' to 'Did staff tell you the day you "
        "were likely to go home?' in the quarterly ward patient survey.",
        "Quarterly patient survey", "%"),
        tuple(continuous_points("knew_date", FIRST_QUARTER, LAST_QUARTER, F.QUARTER, [
            (FIRST_QUARTER, 58.0), (date(2026, 4, 1), 66.0), (date(2026, 7, 1), 74.0)], 2.5)),
        "Joanne Pike")
    ready = DemoMeasure("ready_at_board", measure(
        "Patients ready to go home at the 09:00 board round", K.PROCESS, VT.COUNT, F.DAY,
        D.NEITHER, "Patients medically fit and with a discharge plan agreed at the 09:00 "
        "board round, counted by the nurse in charge (from August 2026).",
        "Board round sheet", "patients"),
        tuple(count_points("ready_at_board", FIRST_DAY, LAST_DAY, F.DAY, [(FIRST_DAY, 3.4)])),
        "Amara Okafor")
    return before_noon, ttos, readmissions, knew_date, ready
