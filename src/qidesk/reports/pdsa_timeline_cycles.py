"""What the PDSA timeline says of each cycle, before anything is drawn: the dates its bar
covers, its words and tooltip, the style of its Act decision, and the dates the whole
timeline spans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from qidesk.domain.entities import DriverNode, PdsaCycle
from qidesk.domain.enums import PdsaDecision, PdsaStatus
from qidesk.domain.periods import format_date
from qidesk.reports import palette


@dataclass(frozen=True)
class DecisionStyle:
    """An Act decision: colour, symbol and word (never colour alone)."""

    colour: str
    text: str  # words on white (the yellow fails contrast)
    on_bar: str  # words drawn on a bar of this colour
    symbol: str  # "tick", "adapt" or "cross"
    label: str


DECISION_STYLES = {
    PdsaDecision.ADOPT: DecisionStyle(palette.NHS_GREEN, palette.NHS_GREEN, palette.NHS_WHITE,
                                      "tick", "Adopt"),
    PdsaDecision.ADAPT: DecisionStyle(palette.NHS_WARM_YELLOW, palette.TRIAL_TEXT,
                                      "#231F20", "adapt", "Adapt"),
    PdsaDecision.ABANDON: DecisionStyle(palette.NHS_RED, palette.NHS_RED, palette.NHS_WHITE,
                                        "cross", "Abandon"),
}


@dataclass(frozen=True)
class TimelineRow:
    """One change idea and its cycles (in cycle order)."""

    idea: DriverNode
    cycles: tuple[PdsaCycle, ...]


@dataclass(frozen=True)
class Span:
    """Where a cycle's bar runs: planned dates only, actual ones, or still under way."""

    start: date
    end: date
    planned: bool  # no actual start yet: the planned dates are drawn
    running: bool  # started, not finished: runs to today
    planned_end: date | None = None  # a running cycle's planned end, drawn as a dashed tail


def cycle_span(cycle: PdsaCycle, today: date) -> Span | None:
    """The dates a cycle's bar covers, or None when it has no dates at all."""
    if cycle.started_on is not None:
        if cycle.finished_on is not None:
            return Span(cycle.started_on, cycle.finished_on, False, False)
        if cycle.status == PdsaStatus.DONE:  # done, but the finish was never dated
            ends = [cycle.decided_on, cycle.studied_on,
                    cycle.planned_end]
            end = next((d for d in ends if d is not None and d >= cycle.started_on),
                       cycle.started_on)
            return Span(cycle.started_on, end, False, False)
        tail = cycle.planned_end if cycle.planned_end and cycle.planned_end > today else None
        return Span(cycle.started_on, max(today, cycle.started_on), False, True, tail)
    start = cycle.planned_start or cycle.planned_end
    if start is None:
        return None
    return Span(start, cycle.planned_end or start, True, False)


def cycle_words(cycle: PdsaCycle, span: Span | None) -> str:
    """The words beside a bar: "Cycle 2 · Adapt", "Cycle 3 · running", "Cycle 4 · planned"."""
    if cycle.decision is not None:
        return f"Cycle {cycle.cycle_number} · {DECISION_STYLES[cycle.decision].label}"
    if span is not None and span.running:
        return f"Cycle {cycle.cycle_number} · running"
    if span is not None and span.planned:
        return f"Cycle {cycle.cycle_number} · planned"
    return f"Cycle {cycle.cycle_number}"


def cycle_tip(cycle: PdsaCycle, idea: DriverNode) -> str:
    """A cycle's tooltip: its dates, status and decision."""
    lines = [f"{idea.text}: cycle {cycle.cycle_number}" + (f" — {cycle.title}" if cycle.title
                                                            else "")]
    if cycle.planned_start or cycle.planned_end:
        lines.append(f"Planned: {day_words(cycle.planned_start)} to "
                     f"{day_words(cycle.planned_end)}")
    if cycle.started_on:
        lines.append(f"Started {day_words(cycle.started_on)}"
                     + (f", finished {day_words(cycle.finished_on)}" if cycle.finished_on
                        else ""))
    lines.append(f"Status: {cycle.status.value}"
                 + (f"; decision: {cycle.decision.value}" if cycle.decision else ""))
    return "\n".join(lines) + "\nClick to open the cycle."


def day_words(d: date | None) -> str:
    return format_date(d) if d else "not set"


def date_range(spans: list[Span], today: date) -> tuple[date, date]:
    """The first and last day drawn: every bar and today, with a margin."""
    if not spans:
        return today - timedelta(days=90), today + timedelta(days=30)
    first = min(s.start for s in spans)
    last = max([today] + [s.planned_end or s.end for s in spans])
    first = min(first, today)
    pad = max(7, (last - first).days // 25)
    return first - timedelta(days=pad), last + timedelta(days=pad * 3)
