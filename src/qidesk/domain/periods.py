"""Periods of a measure, and reading dates and numbers the way a UK ward writes them.

Stdlib only. A measure's data point sits on its period's canonical date: the day
itself, the Monday of the week (ISO 8601 weeks), the 1st of the month, the 1st of a
calendar quarter (Jan/Apr/Jul/Oct: the label names the months, so nobody confuses it
with an NHS financial quarter), or the event's own date.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from qidesk.domain.enums import Frequency
from qidesk.domain.errors import ValidationError

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Dates outside this range are typing slips (or a birth date), never a QI period.
EARLIEST_DATE = date(1950, 1, 1)
LATEST_DATE = date(2099, 12, 31)
# Excel's 1900 date system counts 29 Feb 1900 (serial 60), a day that never existed
# (Lotus 1-2-3 compatibility), so from serial 61 on, day 0 is 30 Dec 1899.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
_TWO_DIGIT_YEAR_PIVOT = 69  # as Python's %y and Excel: 00-69 -> 20xx, 70-99 -> 19xx

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update({name.lower(): i for i, name in enumerate(MONTH_ABBR, start=1)})
_MONTHS.update({"sept": 9})
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+", re.I)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")
_COMPACT_ISO = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]*([a-z]+)\.?,?[\s\-]*('?\d{4}|'?\d{2})$", re.I)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?[\s\-]*('?\d{4}|'?\d{2})$", re.I)
_QUARTER = re.compile(r"^q([1-4])[\s\-/]*(\d{4})(?:\s*\(.*\))?$", re.I)
_WEEK_COMMENCING = re.compile(r"^(?:w/?c|w/?b|week\s+(?:commencing|beginning)|wk\s+comm\.?)\s*:?\s*", re.I)


def format_date(d: date) -> str:
    """A date as a ward writes it: '3 Mar 2026' (no locale, no leading zero)."""
    return f"{d.day} {MONTH_ABBR[d.month - 1]} {d.year}"


def period_start(d: date, frequency: Frequency) -> date:
    """The canonical date of the period `d` falls in."""
    d = _as_date(d)
    if frequency is Frequency.WEEK:
        return d - timedelta(days=d.weekday())
    if frequency is Frequency.MONTH:
        return d.replace(day=1)
    if frequency is Frequency.QUARTER:
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return d  # DAY and EVENT: the date itself


def check_period(d: date, frequency: Frequency) -> None:
    """Raise ValidationError(field="period") unless `d` is its period's canonical date."""
    d = _as_date(d)
    start = period_start(d, frequency)
    if start == d:
        return
    if frequency is Frequency.WEEK:
        rule = "the period is the Monday of the week"
        what = f"{format_date(d)} is a {WEEKDAY_NAMES[d.weekday()]}"
        measure = "weekly"
    elif frequency is Frequency.MONTH:
        rule, what, measure = "the period is the 1st of the month", format_date(d), "monthly"
    else:
        rule = "the period is the first day of the quarter (1 Jan, 1 Apr, 1 Jul or 1 Oct)"
        what, measure = format_date(d), "quarterly"
    raise ValidationError(
        f"For a {measure} measure {rule}: {what} — use {format_date(start)}.", field="period"
    )


def next_period(d: date, frequency: Frequency) -> date:
    """The canonical date of the period after the one `d` falls in."""
    start = period_start(d, frequency)
    if frequency is Frequency.DAY:
        return start + timedelta(days=1)
    if frequency is Frequency.WEEK:
        return start + timedelta(days=7)
    if frequency is Frequency.MONTH:
        return _add_months(start, 1)
    if frequency is Frequency.QUARTER:
        return _add_months(start, 3)
    raise ValidationError("A per-event measure has no regular periods.", field="period")


def periods_between(first: date, last: date, frequency: Frequency) -> list[date]:
    """Every expected period from `first`'s to `last`'s, inclusive; [] for per-event measures."""
    if frequency is Frequency.EVENT:
        return []
    current, end = period_start(first, frequency), period_start(last, frequency)
    periods = []
    while current <= end:
        periods.append(current)
        current = next_period(current, frequency)
    return periods


def format_period(d: date, frequency: Frequency) -> str:
    """Ward-readable label: 'w/c 2 Mar 2026', 'Mar 2026', 'Q1 2026 (Jan–Mar)', '3 Mar 2026'."""
    start = period_start(d, frequency)
    if frequency is Frequency.WEEK:
        return f"w/c {format_date(start)}"
    if frequency is Frequency.MONTH:
        return f"{MONTH_ABBR[start.month - 1]} {start.year}"
    if frequency is Frequency.QUARTER:
        quarter = (start.month - 1) // 3 + 1
        months = f"{MONTH_ABBR[start.month - 1]}–{MONTH_ABBR[start.month + 1]}"
        return f"Q{quarter} {start.year} ({months})"
    return format_date(start)


def parse_uk_date(value: str | float | int | datetime | date) -> date:
    """Read a date as typed, pasted or stored by Excel; day/month/year comes first.

    Text: 03/03/2026, 3/3/26, 03-03-2026, 03.03.2026, 3 Mar 2026, 3rd March 2026,
    Tue 3 Mar 2026, 03-Mar-26, 2026-03-03 (ISO, optionally with a time), 20260303,
    and QIDesk's own labels (w/c 2 Mar 2026, Mar 2026, Q1 2026 (Jan–Mar)).
    Numbers (and five-digit text) are Excel serial dates in the 1900 date system.
    """
    if isinstance(value, datetime):
        return _in_range(value.date(), value)
    if isinstance(value, date):
        return _in_range(value, value)
    if isinstance(value, bool):
        raise ValidationError("TRUE/FALSE isn't a date.", field="period")
    if isinstance(value, (int, float)):
        return _from_excel_serial(value)
    if isinstance(value, str):
        return _parse_date_text(value)
    raise ValidationError("This cell doesn't hold a date.", field="period")


def excel_serial_to_date(serial: float) -> date:
    """The day an Excel (1900 date system) serial number stands for; time of day dropped."""
    return _from_excel_serial(serial)


def _from_excel_serial(serial: float) -> date:
    if not math.isfinite(serial):
        raise ValidationError("This cell holds a number that isn't a date.", field="period")
    whole = math.floor(serial)
    if whole == _EXCEL_FAKE_LEAP_DAY:
        raise ValidationError("Excel's 29 Feb 1900 never existed: check the date.", field="period")
    low = (EARLIEST_DATE - _EXCEL_EPOCH).days
    high = (LATEST_DATE - _EXCEL_EPOCH).days
    if not low <= whole <= high:
        raise ValidationError(
            f"{_short(serial)} isn't a date: type the date as day/month/year, e.g. 03/03/2026.",
            field="period",
        )
    return _EXCEL_EPOCH + timedelta(days=whole)


def _parse_date_text(raw: str) -> date:
    match = _DAY_FIRST.match(raw)  # the common case, kept fast for big imports
    if match:
        day, month, year = match.groups()
        return _build(raw, year, int(month), day)
    text = " ".join(raw.replace("\u00a0", " ").split())
    if not text:
        raise ValidationError("No date given.", field="period")
    text = _WEEKDAY_PREFIX.sub("", _WEEK_COMMENCING.sub("", _TIME_SUFFIX.sub("", text)))
    if _SERIAL_TEXT.match(text):
        return _from_excel_serial(float(text))
    for pattern, order in ((_DAY_FIRST, "dmy"), (_ISO, "ymd"), (_COMPACT_ISO, "ymd")):
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, match.groups(), strict=True))
            return _build(raw, parts["y"], int(parts["m"]), parts["d"])
    return _parse_wordy(raw, text)


def _parse_wordy(raw: str, text: str) -> date:
    if match := _WORDY.match(text):
        day, month_name, year = match.groups()
        return _build(raw, year, _month_number(raw, month_name), day)
    if match := _MONTH_YEAR.match(text):
        month_name, year = match.groups()
        return _build(raw, year, _month_number(raw, month_name), "1")
    if match := _QUARTER.match(text):
        quarter, year = match.groups()
        return _build(raw, year, 3 * (int(quarter) - 1) + 1, "1")
    raise ValidationError(
        f"Can't read '{_short(raw)}' as a date: use day/month/year, e.g. 03/03/2026.",
        field="period",
    )


def _month_number(raw: str, name: str) -> int:
    number = _MONTHS.get(name.lower())
    if number is None:
        raise ValidationError(f"Can't read '{_short(raw)}' as a date: unknown month '{_short(name)}'.", field="period")
    return number


def _build(raw: str, year_text: str, month: int, day_text: str) -> date:
    year_text = year_text.lstrip("'")
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year <= _TWO_DIGIT_YEAR_PIVOT else 1900
    if not 1 <= month <= 12:
        raise ValidationError(
            f"'{_short(raw)}' isn't a date: there is no month {month}. "
            "QIDesk reads dates as day/month/year.",
            field="period",
        )
    try:
        parsed = date(year, month, int(day_text))
    except ValueError:
        raise ValidationError(
            f"'{_short(raw)}' isn't a date: {MONTH_ABBR[month - 1]} {year} has no day {int(day_text)}.",
            field="period",
        ) from None
    return _in_range(parsed, raw)


def _in_range(d: date, raw: object) -> date:
    if not EARLIEST_DATE <= d <= LATEST_DATE:
        raise ValidationError(
            f"{_short(raw)} is outside the dates QIDesk accepts "
            f"({EARLIEST_DATE.year}–{LATEST_DATE.year}): check the year.",
            field="period",
        )
    return d


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _short(value: object, limit: int = 30) -> str:
    if isinstance(value, datetime | date):
        return format_date(_as_date(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Numbers ------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")
_EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
_UK_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?(?:[eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})*,\d+$|^[+-]?\d+,\d{1,2}$|^[+-]?\d+,\d{4,}$")


def parse_number(text: str) -> float:
    """Read a number pasted or typed by a UK user: '1,234.5', ' 12 ', '-3', '1.2E+03'.

    A trailing '%' is dropped and the number kept as shown ('45%' -> 45.0), because that
    is what the ward sees in Excel; proportions are entered as numerator and denominator.
    Decimal commas ('1.234,5', '12,5') are refused rather than guessed, as are blanks,
    Excel error values and anything that isn't a finite number.
    """
    if isinstance(text, str) and _PLAIN_NUMBER.fullmatch(text):  # the common case, kept fast for big imports
        return float(text)
    cleaned = "".join(str(text).split()).replace("\u2212", "-")  # drops nbsp/thin spaces too
    if not cleaned:
        raise ValidationError("No number given.", field="value")
    if cleaned.upper() in _EXCEL_ERRORS:
        raise ValidationError(f"{cleaned.upper()} is an Excel error, not a number: fix it in the sheet.", field="value")
    body = cleaned[:-1] if cleaned.endswith("%") else cleaned
    if not (_UK_NUMBER.match(body) and any(c.isdigit() for c in body)):
        if _DECIMAL_COMMA.match(body):
            raise ValidationError(
                f"'{_short(text)}' uses a comma as the decimal point: "
                "write it with a full stop, e.g. 12.5.",
                field="value",
            )
        raise ValidationError(f"'{_short(text)}' isn't a number.", field="value")
    number = float(body.replace(",", ""))
    if not math.isfinite(number):
        raise ValidationError(f"'{_short(text)}' is too large to be a number QIDesk can use.", field="value")
    return number
