"""The demo ward's three QI projects as plain records, before anything is written: each
project's aim, team, progress scores, driver diagram with its ramps of PDSA cycles,
measures (from `demo_data`) and the matron's reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qidesk.domain.entities import PdsaCycle, Project
from qidesk.domain.enums import (
    ChangeIdeaStatus,
    DriverLevel,
    PdsaDecision,
    PdsaStatus,
    ProjectStatus,
)
from qidesk.services.demo_data import (
    DemoMeasure,
    discharge_measures,
    falls_measures,
    observations_measures,
)

WARD_NAME = "Ward 7 — Elderly Care"


@dataclass(frozen=True)
class DemoCycle:
    key: str  # "idea key/cycle number", referred to by chart annotations
    cycle: PdsaCycle  # change_idea_id=0 until written
    prediction_measure: str | None = None
    linked_measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoNode:
    level: DriverLevel
    text: str
    children: tuple[DemoNode, ...] = ()
    status: ChangeIdeaStatus | None = None
    cycles: tuple[DemoCycle, ...] = ()


@dataclass(frozen=True)
class DemoProject:
    project: Project  # team_id=0 until written
    members: tuple[tuple[str, str], ...]
    scores: tuple[tuple[date, float, str], ...]
    drivers: DemoNode
    measures: tuple[DemoMeasure, ...]
    reviews: tuple[tuple[str | None, str], ...]  # (measure key or None for the project, comment)


def _cycle(idea: str, number: int, title: str, start: date, end: date, decision: PdsaDecision | None,
           plan: tuple[str, str, str], do: str, study: str, act: str, *,
           prediction: tuple[str, float, date] | None = None, links: tuple[str, ...] = (),
           status: PdsaStatus = PdsaStatus.DONE) -> DemoCycle:
    """One PDSA cycle; `plan` is (objective, prediction in words, data to collect)."""
    objective, predictions, data_plan = plan
    done = status == PdsaStatus.DONE
    cycle = PdsaCycle(
        change_idea_id=0, cycle_number=number, title=title, scale=title, status=status,
        objective=objective, questions=f"Can we do this reliably? {objective}",
        predictions=predictions, plan_who="Nurse in charge with the shift team",
        plan_what=title, plan_when=f"{start:%d/%m/%Y} to {end:%d/%m/%Y}",
        plan_where=WARD_NAME, data_plan=data_plan, do_notes=do,
        observations=do if done else "", study_results=study if done else "",
        learning=study if done else "", decision=decision, next_step=act,
        planned_start=start, planned_end=end, started_on=start,
        finished_on=end if done else None,
        prediction_value=prediction[1] if prediction else None,
        prediction_by=prediction[2] if prediction else None)
    return DemoCycle(f"{idea}/{number}", cycle, prediction[0] if prediction else None, links)


def _idea(text: str, status: ChangeIdeaStatus, *cycles: DemoCycle) -> DemoNode:
    return DemoNode(DriverLevel.CHANGE_IDEA, text, status=status, cycles=cycles)


def _driver(level: DriverLevel, text: str, *children: DemoNode) -> DemoNode:
    return DemoNode(level, text, children)


P, S, CI = DriverLevel.PRIMARY, DriverLevel.SECONDARY, ChangeIdeaStatus
ADAPT, ADOPT, ABANDON = PdsaDecision.ADAPT, PdsaDecision.ADOPT, PdsaDecision.ABANDON


def _falls_drivers() -> DemoNode:
    bay = (
        _cycle("bay", 1, "Bay nursing in bay 3, day shifts for one week", date(2025, 8, 4),
               date(2025, 8, 10), ADAPT,
               ("See whether one member of staff can stay in bay 3 all shift.",
                "Staff will be in the bay at 8 of 10 spot checks; no unwitnessed falls in bay 3.",
                "Spot checks twice a shift; falls in bay 3 from Datix."),
               "Staff stayed in the bay except at breaks, when the bay was left empty.",
               "Present at 6 of 10 checks: breaks left the bay empty. No falls in bay 3.",
               "Adapt: add a break buddy from the next bay.",
               prediction=("bay_presence", 80.0, date(2025, 8, 10)), links=("bay_presence",)),
        _cycle("bay", 2, "Bays 3 and 4 with a break buddy, day shifts", date(2025, 9, 1),
               date(2025, 9, 14), ADAPT,
               ("Cover breaks with a buddy so the bays are never empty.",
                "Staff in the bay at 9 of 10 checks.", "Spot checks twice a shift."),
               "Break buddy worked on days; nights had too few staff for a buddy.",
               "Present at 9 of 10 checks by day, 5 of 10 at night.",
               "Adapt: night rota with the HCA covering two bays next to each other.",
               links=("bay_presence", "call_bells")),
        _cycle("bay", 3, "All bays, days and nights, for four weeks", date(2025, 10, 6),
               date(2025, 11, 2), ADOPT,
               ("Run bay nursing on every bay, day and night.",
                "Falls will drop to 5 or fewer per 1,000 bed days by March 2026.",
                "Spot checks; falls and bed days monthly; call bell times as a balance."),
               "Rota changed; HCA covers the two side rooms at night.",
               "Presence 9 of 10 checks; 3 falls in the month; call bells no slower.",
               "Adopt: bay nursing is now how Ward 7 works; review at the falls group.",
               prediction=("falls_rate", 4.5, date(2026, 3, 31)),
               links=("falls_rate", "falls_weekly", "bay_presence", "call_bells")),
    )
    huddle = (
        _cycle("huddle", 1, "14:00 falls huddle, weekdays for two weeks", date(2025, 6, 2),
               date(2025, 6, 13), ADAPT,
               ("Share the list of patients at high risk of falling at 14:00.",
                "The huddle will take under 5 minutes on 8 of 10 days.", "Huddle log."),
               "Held on 7 of 10 days; too long when the list was read out in full.",
               "Under 5 minutes on 4 of 7 days held.", "Adapt: read out only changes."),
        _cycle("huddle", 2, "14:00 huddle, changes only, every day", date(2025, 6, 16),
               date(2025, 6, 29), ADOPT,
               ("Keep the huddle short by reading out only changes in risk.",
                "Under 5 minutes on 12 of 14 days.", "Huddle log."),
               "Held every day; the nurse in charge leads it.",
               "Under 5 minutes on 13 of 14 days.", "Adopt from 1 July 2025.",
               links=("falls_weekly",)),
    )
    socks = (_cycle("socks", 1, "Non-slip socks for every patient in bay 2", date(2025, 5, 5),
                    date(2025, 5, 18), ABANDON,
                    ("Test whether patients will wear non-slip socks.",
                     "Most patients will wear them all day.", "Check feet at each round."),
                    "Patients took them off; several preferred their own well-fitting shoes.",
                    "Worn at 3 of 20 checks. No effect on falls.",
                    "Abandon: check own footwear at admission instead."),)
    return _driver(
        DriverLevel.AIM, "Falls below 4.5 per 1,000 occupied bed days by 31 March 2026",
        _driver(P, "Patients at high risk are seen and supervised",
                _driver(S, "Every bay has a member of staff in it at all times",
                        _idea("Bay nursing: a named nurse or HCA stays in each bay", CI.ADOPTED, *bay)),
                _driver(S, "Everyone knows who is at high risk on every shift",
                        _idea("Falls safety huddle at 14:00", CI.ADOPTED, *huddle))),
        _driver(P, "Patients move about safely",
                _driver(S, "Footwear and walking aids are right and within reach",
                        _idea("Non-slip slipper socks for every patient", CI.ABANDONED, *socks),
                        _idea("Walking aid within reach, checked at intentional rounding",
                              CI.UNTESTED))),
        _driver(P, "Causes of falls are found and treated",
                _driver(S, "Toileting needs are met before patients get up alone",
                        _idea("Two-hourly toileting offer at night", CI.TESTING, _cycle(
                            "toilet", 1, "Toileting offer at night in bay 1", date(2026, 10, 5),
                            date(2026, 11, 1), None,
                            ("Offer the toilet two-hourly at night in bay 1.",
                             "No night-time falls in bay 1 over four weeks.", "Night log."),
                            "Started; offers recorded on the night log.", "", "Study in November.",
                            status=PdsaStatus.DOING))),
                _driver(S, "Medicines that raise falls risk are reviewed",
                        _idea("Pharmacist falls medication review within 48 hours",
                              CI.UNTESTED))))


def _observations_drivers() -> DemoNode:
    board = (
        _cycle("board", 1, "Obs due board on the day shift, one week", date(2026, 1, 5),
               date(2026, 1, 11), ADAPT,
               ("Show whose observations are due in the next hour on a whiteboard.",
                "Obs on time will rise from 72% to 80% this week.", "Wednesday e-obs audit."),
               "Board kept up until lunchtime, then fell behind.",
               "76% on time: better, but the board was out of date by the afternoon.",
               "Adapt: update the board at every handover.",
               prediction=("obs_on_time", 80.0, date(2026, 1, 11)), links=("obs_on_time",)),
        _cycle("board", 2, "Board updated at every handover, days and nights", date(2026, 2, 2),
               date(2026, 2, 15), ADAPT,
               ("Keep the board current by updating it at handover.",
                "85% on time.", "Wednesday e-obs audit."),
               "Updated at handover, but nobody owned it between handovers.",
               "81% on time.", "Adapt: the nurse in charge owns the board."),
        _cycle("board", 3, "Nurse in charge owns the board, four weeks", date(2026, 3, 2),
               date(2026, 3, 29), ADOPT,
               ("Give the board a single owner on every shift.",
                "88% on time by the end of the four weeks.", "Wednesday e-obs audit."),
               "Owned by the nurse in charge; checked at the 14:00 huddle.",
               "89% on time in the last two audits.", "Adopt from 30 March 2026.",
               links=("obs_on_time", "escalation_cases", "sleep")),
    )
    admission = (
        _cycle("admission", 1, "Obs at the bedside on arrival, bay 1", date(2025, 11, 3),
               date(2025, 11, 16), ADAPT,
               ("Do the first NEWS2 set as the patient arrives, before the admission paperwork.",
                "Median time to first obs under 45 minutes.", "Arrival and e-obs times."),
               "Done for most arrivals; missed when two patients arrived together.",
               "Median 58 minutes.", "Adapt: add it to the admission checklist."),
        _cycle("admission", 2, "Admission checklist with obs first, whole ward", date(2025, 11, 17),
               date(2025, 11, 30), ADOPT,
               ("Make the first obs the first line of the admission checklist.",
                "Median under 45 minutes.", "Arrival and e-obs times."),
               "Checklist used for every admission.", "Median 41 minutes.",
               "Adopt from 1 December 2025.", links=("first_obs",)),
    )
    alert = (_cycle("alert", 1, "Hourly obs alert on handheld devices", date(2025, 10, 6),
                    date(2025, 10, 19), ABANDON,
                    ("Remind staff of obs due with an alert every hour.",
                     "Obs on time will reach 80%.", "Wednesday e-obs audit."),
                    "Alerts went off during drug rounds and were dismissed.",
                    "71% on time: no change; staff reported alert fatigue.",
                    "Abandon: too many alerts already."),)
    return _driver(
        DriverLevel.AIM, "90% of NEWS2 observation sets on time by 30 June 2026",
        _driver(P, "Staff know whose observations are due",
                _driver(S, "A visible list of observations due",
                        _idea("Obs due board at the nurses' station", CI.ADOPTED, *board)),
                _driver(S, "Reminders that arrive at the right time",
                        _idea("Hourly obs alert on handheld devices", CI.ABANDONED, *alert))),
        _driver(P, "New patients get a full set promptly",
                _idea("Admission obs at the bedside on arrival", CI.ADOPTED, *admission)),
        _driver(P, "Escalation happens when NEWS2 is 5 or more",
                _idea("Escalation prompt card on every obs machine", CI.UNTESTED)))


def _discharge_drivers() -> DemoNode:
    tto = (
        _cycle("tto", 1, "TTOs written the day before, bay 1", date(2026, 5, 11),
               date(2026, 5, 24), ADAPT,
               ("Have discharge medicines written the day before planned discharge.",
                "Half of bay 1's discharges will leave before noon.", "Pharmacy TTO log."),
               "Written the day before for 9 of 14; weekend discharges missed.",
               "5 of 14 left before noon.", "Adapt: Friday list for weekend discharges.",
               links=("ttos", "noon")),
        _cycle("tto", 2, "TTOs the day before, whole ward, with a Friday list", date(2026, 6, 8),
               date(2026, 7, 5), ADOPT,
               ("Extend to the whole ward, with a Friday list for weekends.",
                "30% of discharges before noon.", "Pharmacy TTO log; discharge times."),
               "Pharmacy screened most TTOs by 17:00 the day before.",
               "31% before noon; no rise in readmissions.", "Adopt from 6 July 2026.",
               prediction=("noon", 30.0, date(2026, 7, 31)),
               links=("ttos", "noon", "readmissions")),
    )
    lounge = (_cycle("lounge", 1, "Discharge lounge by 11:00 for patients waiting for transport",
                     date(2026, 9, 7), date(2026, 9, 20), ADAPT,
                     ("Move patients waiting for transport to the lounge by 11:00.",
                      "Four more discharges a week before noon.", "Discharge times."),
                     "Lounge full on two days.", "Two more a week before noon.",
                     "Adapt: book lounge places at the board round."),)
    return _driver(
        DriverLevel.AIM, "35% of discharges before noon by 31 December 2026",
        _driver(P, "Patients are ready to go the evening before",
                _driver(S, "Discharge medicines are prepared the day before",
                        _idea("TTOs written the day before planned discharge", CI.ADOPTED, *tto)),
                _driver(S, "Transport is booked early",
                        _idea("Transport booked at the board round the day before",
                              CI.UNTESTED))),
        _driver(P, "Mornings put discharges first",
                _idea("Discharge lounge by 11:00", CI.TESTING, *lounge),
                _idea("Nurse-led discharge against agreed criteria", CI.UNTESTED)))


def demo_projects() -> tuple[DemoProject, ...]:
    """The ward's three projects: falls, NEWS2 observations, discharges before noon."""
    falls = DemoProject(
        Project(team_id=0, title="Reducing inpatient falls", status=ProjectStatus.SUSTAINING,
                aim_statement="Reduce inpatient falls on Ward 7 from 7.6 to 4.5 per 1,000 "
                              "occupied bed days by 31 March 2026, and sustain it.",
                problem="Falls are the commonest harm on the ward: about six a month, "
                        "with a fall with harm most months.",
                lead="Tom Reilly", sponsor="Lisa Duffy", start_date=date(2025, 4, 1)),
        (("Tom Reilly", "Project lead"), ("Grace Mensah", "HCA champion"),
         ("Helen Marsh", "Consultant geriatrician"), ("Ben Carter", "Physiotherapist")),
        ((date(2025, 4, 1), 1.0, "Team formed"), (date(2025, 7, 1), 2.0, "Huddle adopted"),
         (date(2025, 11, 1), 3.5, "Bay nursing adopted"),
         (date(2026, 4, 1), 4.5, "Aim met and sustained")),
        _falls_drivers(), falls_measures(),
        ((None, "Aim met: a sustained shift since bay nursing was adopted. Keep monthly "
                "reporting to the falls group."),
         ("falls_rate", "Shift below the baseline since November 2025; no months above it.")))
    observations = DemoProject(
        Project(team_id=0, title="NEWS2 observations on time", status=ProjectStatus.ACTIVE,
                aim_statement="Increase NEWS2 observation sets done on time from 72% to 90% "
                              "by 30 June 2026.",
                problem="A quarter of observation sets are late, so deterioration can be "
                        "missed.", lead="Priya Shah", sponsor="Lisa Duffy",
                start_date=date(2025, 9, 1)),
        (("Priya Shah", "Project lead"), ("Amara Okafor", "Ward manager"),
         ("Helen Marsh", "Medical lead")),
        ((date(2025, 9, 1), 1.5, "Baseline collected"), (date(2026, 1, 5), 2.5, "Testing"),
         (date(2026, 4, 1), 3.5, "Obs board adopted")),
        _observations_drivers(), observations_measures(),
        (("obs_on_time", "Clear improvement since the obs due board; not yet at 90%."),))
    discharges = DemoProject(
        Project(team_id=0, title="Discharges before noon", status=ProjectStatus.ACTIVE,
                aim_statement="Increase discharges before 12:00 from 16% to 35% by "
                              "31 December 2026.",
                problem="Most patients leave in the late afternoon, so admissions wait in "
                        "the emergency department.", lead="Joanne Pike",
                sponsor="Amara Okafor", start_date=date(2026, 4, 1)),
        (("Joanne Pike", "Project lead"), ("Sam Adeyemi", "Ward pharmacist"),
         ("Amara Okafor", "Ward manager")),
        ((date(2026, 4, 1), 1.0, "Team formed"), (date(2026, 7, 6), 3.0, "TTOs adopted")),
        _discharge_drivers(), discharge_measures(), ())
    return falls, observations, discharges
