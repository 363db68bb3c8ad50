"""A date axis that reads like a ward's calendar: months by name, years where they turn."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pyqtgraph as pg

from qidesk.domain.periods import MONTH_ABBR

DAY = 86_400.0
MIN_LABEL_PX = 64.0  # room for "Sep 2026" at the default font
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
DAY_STEPS = (1, 2, 7, 14)


def epoch_seconds(d: date) -> float:
    """A date as seconds since 1970 at midday UTC, so no time zone moves a point's day."""
    return datetime(d.year, d.month, d.day, 12, tzinfo=UTC).timestamp()


def _date(seconds: float) -> date:
    return datetime.fromtimestamp(seconds, UTC).date()


def month_ticks(first: float, last: float, width_px: float) -> tuple[str, list[float]]:
    """("month", tick positions) or ("day", ...) for a span of x in epoch seconds."""
    span_days = max((last - first) / DAY, 1.0)
    px_per_day = max(width_px, 1.0) / span_days
    start, end = _date(first), _date(last)
    if span_days < 120:
        step = next((s for s in DAY_STEPS if s * px_per_day >= MIN_LABEL_PX), 28)
        if step >= 7:
            start -= timedelta(days=start.weekday())  # weekly ticks on Mondays
        ticks, current = [], start
        while current <= end:
            ticks.append(epoch_seconds(current))
            current += timedelta(days=step)
        return "day", ticks
    step = next((s for s in MONTH_STEPS if s * 30.4 * px_per_day >= MIN_LABEL_PX), 120)
    index = (start.year * 12 + start.month - 1 + step - 1) // step * step
    ticks = []
    while True:
        current = date(index // 12, index % 12 + 1, 1)
        if current > end:
            break
        ticks.append(epoch_seconds(current))
        index += step
    return "month", ticks


def tick_label(seconds: float, kind: str, first: bool) -> str:
    d = _date(seconds)
    if kind == "day":
        return f"{d.day} {MONTH_ABBR[d.month - 1]}" + (f" {d.year}" if first else "")
    if d.month == 1 or first:
        return f"{MONTH_ABBR[d.month - 1]} {d.year}"
    return MONTH_ABBR[d.month - 1]


class MonthAxis(pg.AxisItem):
    """Bottom axis for dates (epoch seconds): 'Jan 2026', 'Feb', 'Mar', ... or '3 Mar'."""

    def __init__(self, **kwargs):
        super().__init__(orientation="bottom", **kwargs)
        self._kind = "month"

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph's name)
        self._kind, ticks = month_ticks(minVal, maxVal, size)
        return [(DAY, ticks)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [tick_label(v, self._kind, i == 0) for i, v in enumerate(values)]
