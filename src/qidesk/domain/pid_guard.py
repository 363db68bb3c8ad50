"""Warn when free text looks like patient-identifiable data (stdlib only).

QIDesk holds aggregate ward data only, so a comment, note or PDSA field that contains
an NHS number, a date of birth or a postcode is almost certainly a mistake. These
checks *warn*; they never block (about 1 in 11 random 10-digit numbers passes the NHS
number check). The reasons returned never repeat the matched text, so a warning can be
logged or audited without copying the identifier.

Rules:
- NHS number: ten digits, run together or grouped 3-3-4 with spaces or dashes, not part
  of a longer number, passing the modulus 11 check (NHS Data Dictionary, "NHS Number").
  Ten identical digits (0000000000, 1111111111) are placeholders and are not flagged.
- Date of birth: any date (day/month/year in any common form, or a bare four-digit
  year) within a few words after "DOB", "d.o.b.", "date of birth", "born" or "birth
  date"; or a full date whose four-digit year is before 1990 even without a keyword —
  QI periods are recent, so such a date is far more likely to be someone's birthday.
  Ordinary period dates ("week of 3/3/26 short-staffed") are not flagged.
- Postcode: the standard UK postcode pattern (outward code, optional space, inward
  code, with the Royal Mail letter restrictions), upper or lower case. A lower-case
  inward code that reads as an ordinal ("a1 2nd") is ignored.
"""

from __future__ import annotations

import re

NHS_NUMBER_REASON = "looks like an NHS number"
DATE_OF_BIRTH_REASON = "looks like a date of birth"
POSTCODE_REASON = "looks like a postcode"

# NHS Data Dictionary: weights 10..2 on the first nine digits.
_NHS_WEIGHTS = tuple(range(10, 1, -1))
_NHS_NUMBER_EXACT = re.compile(r"(\d{3})([ -]?)(\d{3})\2(\d{4})")
# Ten digits, alone or grouped 3-3-4 with one consistent separator, not inside a longer number.
_NHS_NUMBER_IN_TEXT = re.compile(r"(?<![\d.,])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d]|[.,]\d)")

# A date written day-first or ISO, or with a month name; or a bare year after a keyword.
_MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_NUMERIC_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?P<y1>\d{4}|\d{2})"
_ISO_DATE = r"(?P<y2>\d{4})[/.\-]\d{1,2}[/.\-]\d{1,2}"
_WORDY_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?[ \-]?(?:{_MONTH_NAMES})\.?,?[ \-]?(?P<y3>\d{{4}}|'?\d{{2}})"
_ANY_DATE = re.compile(rf"(?<!\d)(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_WORDY_DATE})(?!\d)", re.IGNORECASE)
_DOB_KEYWORD = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth\b|birth\s*date\b|born\b|birthday\b)", re.IGNORECASE
)
# How far after a keyword a date may start ("DOB: 12/03/41", "born on the 12 March 1941").
_KEYWORD_REACH = 24
_BARE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# Before this year a full date is treated as a birth date even without a keyword.
_OLDEST_PLAUSIBLE_PERIOD_YEAR = 1990

# Royal Mail postcode format (outward: A9, A99, AA9, AA99, A9A, AA9A; inward: 9AA),
# with the letters each position may not hold left out; GIR 0AA is the one exception.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW]|\d{1,2}|[A-HK-Y]\d[ABEHMNPRV-Y]|[A-HK-Y]\d{1,2})"
    r" ?(?P<inward>\d[ABD-HJLNP-UW-Z]{2})))"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)")


def is_valid_nhs_number(digits: str) -> bool:
    """True when `digits` is a ten-digit NHS number with a correct modulus 11 check digit.

    Accepts the digits run together or grouped 3-3-4 with spaces or dashes.
    """
    match = _NHS_NUMBER_EXACT.fullmatch(digits.strip())
    if not match:
        return False
    return _passes_modulus_11(match.group(1) + match.group(3) + match.group(4))


def _passes_modulus_11(ten_digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(ten_digits[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:  # no valid check digit exists: the number was never issued
        return False
    return check == int(ten_digits[9])


def pid_warnings(text: str) -> list[str]:
    """Short reasons why `text` may hold patient-identifiable data; [] when it looks clean."""
    if not text:
        return []
    reasons = []
    if _has_nhs_number(text):
        reasons.append(NHS_NUMBER_REASON)
    if _has_date_of_birth(text):
        reasons.append(DATE_OF_BIRTH_REASON)
    if _has_postcode(text):
        reasons.append(POSTCODE_REASON)
    return reasons


def _has_nhs_number(text: str) -> bool:
    for match in _NHS_NUMBER_IN_TEXT.finditer(text):
        ten = match.group(1) + match.group(3) + match.group(4)
        if len(set(ten)) > 1 and _passes_modulus_11(ten):
            return True
    return False


def _has_date_of_birth(text: str) -> bool:
    for keyword in _DOB_KEYWORD.finditer(text):
        window = text[keyword.end() : keyword.end() + _KEYWORD_REACH + 20]
        starts = [m.start() for m in (_ANY_DATE.search(window), _BARE_YEAR.search(window)) if m]
        if starts and min(starts) <= _KEYWORD_REACH:
            return True
    for match in _ANY_DATE.finditer(text):
        year = next((y for y in match.group("y1", "y2", "y3") if y), "")
        if len(year) == 4 and int(year) < _OLDEST_PLAUSIBLE_PERIOD_YEAR:
            return True
    return False


def _has_postcode(text: str) -> bool:
    for match in _POSTCODE.finditer(text):
        inward = match.group("inward")
        if inward and inward.islower() and _ORDINAL.fullmatch(inward):
            continue
        return True
    return False
