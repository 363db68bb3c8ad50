"""The patient-identifiable-data guard: NHS numbers, dates of birth, postcodes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qidesk.domain.pid_guard import (
    DATE_OF_BIRTH_REASON,
    NHS_NUMBER_REASON,
    POSTCODE_REASON,
    is_valid_nhs_number,
    pid_warnings,
)

# Valid by the modulus 11 rule (NHS Data Dictionary examples and worked sums).
VALID_NHS_NUMBERS = ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137", "4010232137",
                     "485 777 3457", "450 557 1033"]
INVALID_NHS_NUMBERS = [
    "943 476 5918",  # wrong check digit
    "401 023 2138",
    "1234567890",  # check digit would be 10: never issued
    "94347659",  # too short
    "94347659190",  # too long
    "943 4765 919",  # not 3-3-4
    "943 476-5919",  # mixed separators
    "943a765919",
    "",
]


def _check_digit(nine: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1)))
    check = 11 - total % 11
    return {11: 0, 10: None}.get(check, check)


@pytest.mark.parametrize("number", VALID_NHS_NUMBERS)
def test_known_valid_nhs_numbers_pass(number):
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize("number", INVALID_NHS_NUMBERS)
def test_invalid_nhs_numbers_fail(number):
    assert not is_valid_nhs_number(number)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_modulus_11_agrees_with_the_data_dictionary_rule(nine):
    check = _check_digit(nine)
    for last in "0123456789":
        assert is_valid_nhs_number(nine + last) == (check is not None and int(last) == check)


def test_about_one_in_eleven_random_numbers_pass():
    rng = random.Random(7)
    numbers = ["".join(rng.choice("0123456789") for _ in range(10)) for _ in range(11_000)]
    passing = sum(is_valid_nhs_number(n) for n in numbers)
    assert 800 < passing < 1_200


@pytest.mark.parametrize(
    "text",
    [
        "Pt 943 476 5919 fell in bay 3",
        "nhs no 9434765919.",
        "NHS number: 401-023-2137",
        "(4010232137)",
    ],
)
def test_nhs_number_in_text_is_flagged(text):
    assert pid_warnings(text) == [NHS_NUMBER_REASON]


@pytest.mark.parametrize(
    "text",
    [
        "943 476 5918 falls",  # fails the check
        "ref 94347659190",  # eleven digits
        "phone 01632 960 001",
        "0000000000 placeholder",
        "1111111111",  # passes mod 11 but is a placeholder
        "cost £9,434,765,919",
        "9434765919.5 bed days",
    ],
)
def test_numbers_that_are_not_nhs_numbers_are_not_flagged(text):
    assert NHS_NUMBER_REASON not in pid_warnings(text)


@pytest.mark.parametrize(
    "text",
    [
        "DOB 12/03/1941",
        "dob: 12/3/41",
        "d.o.b. 12-03-1941",
        "D.O.B 3rd March 1941",
        "born 1941-03-12",
        "Born in 1941, lives alone",
        "date of birth 12 Mar 41",
        "Pt (DOB 12.03.1941) fell",
        "admitted, 12/03/1941 on wristband",  # a pre-1990 full date without a keyword
        "birth date: 1 January 1938",
    ],
)
def test_dates_of_birth_are_flagged(text):
    assert pid_warnings(text) == [DATE_OF_BIRTH_REASON]


@pytest.mark.parametrize(
    "text",
    [
        "week of 3/3/26 short-staffed",
        "audit 03/03/2026 done by FY1",
        "New falls huddle from 2 Mar 2026",
        "2026-03-02 data from Datix",
        "Q1 2026 (Jan–Mar)",
        "shift born of necessity",  # keyword but no date nearby
        "newborn unit borrowed our pump on 3/3/26",
        "adobe reader update 12/03/2025",
        "obs due 10:00, 14:00",
        "PDSA 1.2.3 tested",
    ],
)
def test_ordinary_period_dates_are_not_flagged(text):
    assert DATE_OF_BIRTH_REASON not in pid_warnings(text)


@pytest.mark.parametrize(
    "text",
    ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX",
     "lives at sw1a 1aa", "postcode: LS11AB", "GIR 0AA"],
)
def test_postcodes_are_flagged(text):
    assert pid_warnings(text) == [POSTCODE_REASON]


@pytest.mark.parametrize(
    "text",
    [
        "Q1 2026 results",
        "NEWS2 5 or more: escalate",
        "bay a1 2nd bed",  # an ordinal, not an inward code
        "28 beds, 800 OBD",
        "C1 2CI",  # C and I can't end a postcode
        "falls per 1,000 bed days",
        "QV1 1AA",  # Q can't start a postcode
    ],
)
def test_non_postcodes_are_not_flagged(text):
    assert POSTCODE_REASON not in pid_warnings(text)


def test_clean_ward_comments_give_no_warnings():
    comments = [
        "Staffing 2 RN short; falls huddle not held",
        "Bay nursing started w/c 2 Mar 2026 (PDSA 3)",
        "Datix reviewed by matron 12/10/2026",
        "Side room 4 closed for deep clean",
        "Agency HCA x3 this week",
        "",
    ]
    assert [pid_warnings(c) for c in comments] == [[]] * len(comments)


def test_several_reasons_are_reported_in_a_fixed_order_without_the_text():
    reasons = pid_warnings("Mrs X, DOB 12/03/1941, NHS 943 476 5919, M1 1AE")
    assert reasons == [NHS_NUMBER_REASON, DATE_OF_BIRTH_REASON, POSTCODE_REASON]
    assert not any(any(ch.isdigit() for ch in r) for r in reasons)


@given(st.text(max_size=300))
def test_any_text_gives_a_list_of_known_reasons(text):
    assert set(pid_warnings(text)) <= {NHS_NUMBER_REASON, DATE_OF_BIRTH_REASON, POSTCODE_REASON}
