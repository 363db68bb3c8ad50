"""A measure is overdue when a finished period's figure is still missing after the grace."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qidesk.domain.enums import Frequency
from qidesk.domain.overdue import GRACE_DAYS, latest_due_period, overdue, previous_period

MONDAY = date(2026, 3, 2)  # w/c 2 Mar 2026


def test_last_weeks_figure_is_due_on_thursday_not_monday():
    last_week = MONDAY - timedelta(weeks=1)
    two_weeks_ago = MONDAY - timedelta(weeks=2)
    # Monday to Wednesday: last week's figure may still come; the week before is in.
    for day in range(3):
        assert overdue(two_weeks_ago, Frequency.WEEK, MONDAY + timedelta(days=day)) is None
    late = overdue(two_weeks_ago, Frequency.WEEK, MONDAY + timedelta(days=3))
    assert late is not None and late.due_period == last_week and late.missing == 1
    assert late.text() == "1 week overdue: no figure after w/c 16 Feb 2026"
    assert overdue(last_week, Frequency.WEEK, MONDAY + timedelta(days=6)) is None


def test_several_missing_weeks_are_counted():
    late = overdue(MONDAY - timedelta(weeks=5), Frequency.WEEK, MONDAY + timedelta(days=4))
    assert late.missing == 4
    assert late.short_text() == "4 weeks overdue"


def test_a_figure_on_any_day_of_the_week_counts_for_its_week():
    assert overdue(MONDAY - timedelta(days=3), Frequency.WEEK, MONDAY + timedelta(days=4)) is None


@pytest.mark.parametrize("frequency, last, today, missing", [
    (Frequency.MONTH, date(2026, 1, 1), date(2026, 3, 10), None),  # Feb due from 11 Mar
    (Frequency.MONTH, date(2026, 1, 1), date(2026, 3, 11), 1),
    (Frequency.MONTH, date(2025, 11, 1), date(2026, 3, 11), 3),
    (Frequency.QUARTER, date(2025, 10, 1), date(2026, 4, 21), None),  # Q1 due from 22 Apr
    (Frequency.QUARTER, date(2025, 10, 1), date(2026, 4, 22), 1),
    (Frequency.DAY, date(2026, 3, 1), date(2026, 3, 3), None),  # 2 Mar's due from the 4th
    (Frequency.DAY, date(2026, 3, 1), date(2026, 3, 4), 1),
])
def test_monthly_quarterly_and_daily_grace(frequency, last, today, missing):
    late = overdue(last, frequency, today)
    assert (late.missing if late else None) == missing


def test_per_event_measures_and_measures_without_data_are_never_overdue():
    assert overdue(date(2020, 1, 1), Frequency.EVENT, MONDAY) is None
    assert latest_due_period(MONDAY, Frequency.EVENT) is None
    assert overdue(None, Frequency.WEEK, MONDAY) is None


def test_a_figure_for_the_current_period_is_never_overdue():
    for frequency in GRACE_DAYS:
        assert overdue(MONDAY + timedelta(days=2), frequency, MONDAY + timedelta(days=2)) is None


def test_previous_period_of_each_frequency():
    assert previous_period(date(2026, 3, 4), Frequency.WEEK) == date(2026, 2, 23)
    assert previous_period(date(2026, 1, 15), Frequency.MONTH) == date(2025, 12, 1)
    assert previous_period(date(2026, 2, 15), Frequency.QUARTER) == date(2025, 10, 1)
    assert previous_period(date(2026, 3, 1), Frequency.DAY) == date(2026, 2, 28)
