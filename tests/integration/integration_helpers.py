"""Small helpers shared by integration tests."""

from __future__ import annotations

from datetime import date, timedelta

FIRST_MONDAY = date(2024, 1, 1)


def monday(week: int) -> date:
    return FIRST_MONDAY + timedelta(weeks=week)
