"""Periods of a measure; UK dates, Excel serial dates and pasted numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qidesk.domain.enums import Frequency
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import (
    check_period,
    format_period,
    next_period,
    parse_number,
    parse_uk_date,
    period_start,
    periods_between,
)

F = Frequency
plausible_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("day", "frequency", "start"),
    [
        (date(2026, 3, 3), F.WEEK, date(2026, 3, 2)),  # Tuesday -> Monday
        (date(2026, 3, 2), F.WEEK, date(2026, 3, 2)),
        (date(2026, 3, 8), F.WEEK, date(2026, 3, 2)),  # Sunday belongs to the week before
        (date(2026, 1, 1), F.WEEK, date(2025, 12, 29)),  # week crosses the new year
        (date(2021, 1, 3), F.WEEK, date(2020, 12, 28)),  # ISO week 53 of 2020
        (date(2024, 2, 29), F.MONTH, date(2024, 2, 1)),
        (date(2026, 12, 31), F.MONTH, date(2026, 12, 1)),
        (date(2026, 3, 31), F.QUARTER, date(2026, 1, 1)),
        (date(2026, 4, 1), F.QUARTER, date(2026, 4, 1)),
        (date(2026, 9, 30), F.QUARTER, date(2026, 7, 1)),
        (date(2026, 11, 15), F.QUARTER, date(2026, 10, 1)),
        (date(2026, 3, 3), F.DAY, date(2026, 3, 3)),
        (date(2026, 3, 3), F.EVENT, date(2026, 3, 3)),
    ],
)
def test_period_start(day, frequency, start):
    assert period_start(day, frequency) == start


def test_period_start_of_a_datetime_is_a_date():
    assert period_start(datetime(2026, 3, 4, 13, 30), F.WEEK) == date(2026, 3, 2)
    assert type(period_start(datetime(2026, 3, 4, 13, 30), F.DAY)) is date


@given(plausible_dates, st.sampled_from([F.DAY, F.WEEK, F.MONTH, F.QUARTER]))
def test_period_start_is_canonical_and_contains_the_day(day, frequency):
    start = period_start(day, frequency)
    check_period(start, frequency)
    assert start <= day < next_period(day, frequency)
    assert period_start(start, frequency) == start


@given(plausible_dates)
def test_weekly_periods_are_iso_week_mondays(day):
    start = period_start(day, F.WEEK)
    assert start.isocalendar()[:2] == day.isocalendar()[:2]
    assert start.isoweekday() == 1


def test_check_period_message_names_the_weekday_and_the_right_date():
    with pytest.raises(ValidationError) as caught:
        check_period(date(2026, 3, 3), F.WEEK)
    assert caught.value.field == "period"
    assert caught.value.message == (
        "For a weekly measure the period is the Monday of the week: "
        "3 Mar 2026 is a Tuesday — use 2 Mar 2026."
    )


@pytest.mark.parametrize(
    ("day", "frequency", "suggestion"),
    [(date(2026, 3, 15), F.MONTH, "use 1 Mar 2026"), (date(2026, 5, 1), F.QUARTER, "use 1 Apr 2026")],
)
def test_check_period_suggests_the_canonical_date(day, frequency, suggestion):
    with pytest.raises(ValidationError, match=suggestion):
        check_period(day, frequency)


@given(plausible_dates)
def test_any_date_fits_a_daily_or_per_event_measure(day):
    check_period(day, F.DAY)
    check_period(day, F.EVENT)


@pytest.mark.parametrize(
    ("day", "frequency", "following"),
    [
        (date(2024, 2, 28), F.DAY, date(2024, 2, 29)),
        (date(2025, 2, 28), F.DAY, date(2025, 3, 1)),
        (date(2026, 12, 31), F.DAY, date(2027, 1, 1)),
        (date(2026, 12, 28), F.WEEK, date(2027, 1, 4)),
        (date(2026, 12, 1), F.MONTH, date(2027, 1, 1)),
        (date(2026, 1, 31), F.MONTH, date(2026, 2, 1)),
        (date(2026, 10, 1), F.QUARTER, date(2027, 1, 1)),
    ],
)
def test_next_period(day, frequency, following):
    assert next_period(day, frequency) == following


def test_per_event_measures_have_no_next_period_or_gaps():
    with pytest.raises(ValidationError):
        next_period(date(2026, 3, 3), F.EVENT)
    assert periods_between(date(2026, 1, 1), date(2026, 12, 31), F.EVENT) == []


def test_periods_between():
    assert periods_between(date(2026, 3, 4), date(2026, 3, 17), F.WEEK) == [
        date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert periods_between(date(2025, 11, 20), date(2026, 2, 1), F.MONTH) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert periods_between(date(2025, 12, 31), date(2026, 1, 1), F.QUARTER) == [
        date(2025, 10, 1), date(2026, 1, 1)]
    assert periods_between(date(2024, 2, 28), date(2024, 3, 1), F.DAY) == [
        date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]
    assert periods_between(date(2026, 3, 1), date(2026, 2, 1), F.MONTH) == []


@given(plausible_dates, st.integers(0, 800), st.sampled_from([F.DAY, F.WEEK, F.MONTH, F.QUARTER]))
def test_periods_between_is_gapless_and_canonical(first, span, frequency):
    last = min(first + timedelta(days=span), date(2099, 12, 31))
    periods = periods_between(first, last, frequency)
    assert periods[0] == period_start(first, frequency)
    assert periods[-1] == period_start(last, frequency)
    assert all(next_period(a, frequency) == b for a, b in zip(periods, periods[1:]))


@pytest.mark.parametrize(
    ("frequency", "label"),
    [
        (F.WEEK, "w/c 2 Mar 2026"),
        (F.MONTH, "Mar 2026"),
        (F.QUARTER, "Q1 2026 (Jan–Mar)"),
        (F.DAY, "3 Mar 2026"),
        (F.EVENT, "3 Mar 2026"),
    ],
)
def test_format_period(frequency, label):
    assert format_period(date(2026, 3, 3), frequency) == label


def test_format_period_last_quarter():
    assert format_period(date(2026, 12, 31), F.QUARTER) == "Q4 2026 (Oct–Dec)"


@given(plausible_dates, st.sampled_from(list(Frequency)))
def test_period_labels_read_back_as_the_period(day, frequency):
    assert parse_uk_date(format_period(day, frequency)) == period_start(day, frequency)


@pytest.mark.parametrize(
    "text",
    [
        "03/03/2026", "3/3/2026", "3/3/26", "03-03-2026", "03.03.2026", "3 Mar 2026",
        "3 March 2026", "3rd March 2026", "03-Mar-26", "3-Mar-2026", "Tue 3 Mar 2026",
        "Tuesday, 3 March 2026", "2026-03-03", "2026/03/03", "2026-03-03 00:00:00",
        "2026-03-03T00:00:00", "03/03/2026 00:00", "20260303", " 03/03/2026 ", "46084",
        "3 mar 2026", "3\u00a0Mar\u00a02026",
    ],
)
def test_parse_uk_date_text(text):
    assert parse_uk_date(text) == date(2026, 3, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (46084, date(2026, 3, 3)),
        (46084.75, date(2026, 3, 3)),  # time of day dropped
        (61, None),  # 1 Mar 1900: a real serial, but far too early for a QI period
        (datetime(2026, 3, 3, 14, 5), date(2026, 3, 3)),
        (date(2026, 3, 3), date(2026, 3, 3)),
        (43890, date(2020, 2, 29)),  # a leap day
        (18264, date(1950, 1, 1)),
    ],
)
def test_parse_uk_date_values(value, expected):
    if expected is None:
        with pytest.raises(ValidationError):
            parse_uk_date(value)
    else:
        assert parse_uk_date(value) == expected


@given(plausible_dates)
def test_excel_serials_round_trip(day):
    # Excel's 1900 system: 1 = 1 Jan 1900, 60 = the fictitious 29 Feb 1900.
    serial = (day - date(1899, 12, 30)).days
    assert parse_uk_date(serial) == day
    assert parse_uk_date(float(serial) + 0.5) == day


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("03/13/2026", "no month 13"),
        ("31/02/2026", "has no day 31"),
        ("29/02/2025", "has no day 29"),
        ("3 Smarch 2026", "unknown month"),
        ("next Tuesday", "Can't read"),
        ("", "No date"),
        ("12/03/1941", "outside the dates"),
        (60, "29 Feb 1900"),
        (5, "isn't a date"),
        (10_000_000, "isn't a date"),
        (float("nan"), "isn't a date"),
        (True, "TRUE/FALSE"),
        (None, "doesn't hold a date"),
        ("45%", "Can't read"),
    ],
)
def test_parse_uk_date_refusals_say_why(value, fragment):
    with pytest.raises(ValidationError, match=fragment) as caught:
        parse_uk_date(value)
    assert caught.value.field == "period"


def test_parse_uk_date_accepts_leap_days():
    assert parse_uk_date("29/02/2024") == date(2024, 2, 29)
    assert parse_uk_date("29/2/00") == date(2000, 2, 29)


def test_two_digit_years_pivot_like_excel():
    assert parse_uk_date("1/1/69") == date(2069, 1, 1)
    assert parse_uk_date("1/1/70") == date(1970, 1, 1)


@given(st.one_of(st.text(max_size=40), st.floats(), st.integers(), st.none(), st.datetimes()))
def test_parse_uk_date_only_ever_raises_validation_error(value):
    try:
        parse_uk_date(value)
    except ValidationError as error:
        assert error.message


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12.0), (" 12 ", 12.0), ("1,234.5", 1234.5), ("1,234", 1234.0), ("-3", -3.0),
        ("\u22123", -3.0), ("+4.25", 4.25), (".5", 0.5), ("45%", 45.0), ("1.2E+03", 1200.0),
        ("1\u00a0234", 1234.0), ("1,234,567", 1234567.0), ("0", 0.0),
    ],
)
def test_parse_number(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1.234,5", "comma as the decimal point"),
        ("12,5", "comma as the decimal point"),
        ("1,2345", "comma as the decimal point"),
        ("", "No number"),
        ("   ", "No number"),
        ("#DIV/0!", "Excel error"),
        ("#n/a", "Excel error"),
        ("nan", "isn't a number"),
        ("inf", "isn't a number"),
        ("1e400", "too large"),
        ("12 falls", "isn't a number"),
        ("£12", "isn't a number"),
        ("1,23,456", "isn't a number"),
        ("%", "isn't a number"),
        ("-", "isn't a number"),
    ],
)
def test_parse_number_refusals(text, fragment):
    with pytest.raises(ValidationError, match=fragment):
        parse_number(text)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_reads_what_python_and_excel_write(number):
    assert parse_number(repr(number)) == number
    assert parse_number(f"{number:,.2f}") == pytest.approx(round(number, 2))
