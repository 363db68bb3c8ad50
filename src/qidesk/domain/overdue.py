"""When a measure's data is overdue: its frequency says a finished period has no figure.

A period's figure is due a few days after the period ends (the grace below), so a
weekly measure is not flagged on Monday morning for the week that ended on Sunday;
it is flagged once last week's figure is still missing on Thursday. Per-event
measures have no regular periods and are never overdue. Stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from qidesk.domain.enums import Frequency
from qidesk.domain.periods import format_period, next_period, period_start

# Days after a period ends within which a missing figure is still normal: wards
# collect weekly figures early in the next week; monthly and quarterly figures wait
# for validated counts (e.g. Datix and bed-day returns) after the month or quarter.
GRACE_DAYS = {Frequency.DAY: 1, Frequency.WEEK: 3, Frequency.MONTH: 10, Frequency.QUARTER: 21}


_UNITS = {Frequency.DAY: "day", Frequency.WEEK: "week", Frequency.MONTH: "month",
          Frequency.QUARTER: "quarter"}


@dataclass(frozen=True)
class Overdue:
    """The periods whose figure is due by now but missing (oldest first)."""

    last_period: date  # the period of the latest figure
    due_period: date  # the latest period whose figure is due by now
    missing: int  # how many periods after the last figure are due and missing
    frequency: Frequency

    def short_text(self) -> str:
        """'3 weeks overdue'."""
        unit = _UNITS[self.frequency]
        return f"{self.missing} {unit}{'' if self.missing == 1 else 's'} overdue"

    def text(self) -> str:
        """'3 weeks overdue: no figure after w/c 2 Mar 2026'."""
        return (f"{self.short_text()}: no figure after "
                f"{format_period(self.last_period, self.frequency)}")


def previous_period(d: date, frequency: Frequency) -> date:
    """The canonical date of the period before the one `d` falls in."""
    return period_start(period_start(d, frequency) - timedelta(days=1), frequency)


def latest_due_period(today: date, frequency: Frequency) -> date | None:
    """The latest period whose figure is due by `today` (None for per-event measures)."""
    if frequency is Frequency.EVENT:
        return None
    due = previous_period(today, frequency)
    # The figure of the period just ended is due once the grace after its end is over.
    while next_period(due, frequency) + timedelta(days=GRACE_DAYS[frequency]) > today:
        due = previous_period(due, frequency)
    return due


def overdue(last_period: date | None, frequency: Frequency, today: date) -> Overdue | None:
    """What is overdue for a measure whose latest figure is for `last_period`.

    None when nothing is due and missing, for per-event measures, and for measures
    with no data yet (they have not started collecting: nothing is late).
    """
    due = latest_due_period(today, frequency)
    if due is None or last_period is None:
        return None
    last = period_start(last_period, frequency)
    if last >= due:
        return None
    missing, current = 0, last
    while current < due:
        current = next_period(current, frequency)
        missing += 1
    return Overdue(last, due, missing, frequency)
