"""The SMART aim check names exactly what a vague aim is missing."""

from __future__ import annotations

import pytest

from qidesk.domain.progress_scale import PROGRESS_LEVELS, progress_level, score_label
from qidesk.domain.smart_aim import check_aim


def missing_keys(text: str) -> list[str]:
    return [p.key for p in check_aim(text).missing]


def test_empty_aim_misses_every_part():
    assert missing_keys("") == ["what", "how_much", "by_when", "for_whom"]


def test_a_full_aim_answers_every_part_with_its_own_words():
    check = check_aim("Reduce inpatient falls on Ward 7 from 7.6 to 4.5 per 1,000 occupied "
                      "bed days by 31 March 2026, and sustain it.")
    assert check.is_smart
    assert check.part("what").answer == "Reduce inpatient falls"
    assert check.part("how_much").answer == "from 7.6 to 4.5"
    assert check.part("by_when").answer == "31 March 2026"
    assert check.part("for_whom").answer == "on Ward 7"


def test_parts_are_found_one_by_one_as_the_lead_types():
    assert missing_keys("Reduce falls") == ["how_much", "by_when", "for_whom"]
    assert missing_keys("Reduce falls by 30%") == ["by_when", "for_whom"]
    assert missing_keys("Reduce falls by 30% by 31 March 2027") == ["for_whom"]
    assert missing_keys("Reduce falls for patients on Ward 7 by 30% by 31 March 2027") == []


def test_vague_words_are_named_in_the_prompt():
    how_much = check_aim("Better care on Ward 7").part("how_much")
    assert not how_much.found
    assert "“better” on its own is not a figure" in how_much.prompt
    assert "What will improve, and which way?" in check_aim("Better care").part("what").prompt


def test_a_month_without_a_year_asks_for_the_year():
    when = check_aim("Reduce falls on Ward 7 by 30% by March").part("by_when")
    assert not when.found
    assert "“by March” needs a year" in when.prompt


def test_years_and_ward_numbers_are_not_amounts():
    assert "how_much" in missing_keys("Reduce falls on Ward 12 by 31 March 2027")
    assert "how_much" in missing_keys("Reduce falls on Ward 12 by 2027")


def test_a_target_without_a_starting_point_gets_advice_not_a_prompt():
    how_much = check_aim("Increase obs on time to 90% by June 2027").part("how_much")
    assert how_much.found and "where you start from" in how_much.advice
    assert check_aim("Increase obs on time from 72% to 90%").part("how_much").advice == ""


@pytest.mark.parametrize("aim", [
    "Increase patients seen within 4 hours to 95% within six months in the emergency department",
    "Halve pressure ulcers across the elderly care wards by the end of 2027",
    "Reduce C. diff cases among inpatients from 6 to 2 by Q3 2027",
])
def test_other_common_wordings_are_read_as_smart(aim):
    assert check_aim(aim).is_smart, [p.prompt for p in check_aim(aim).missing]


def test_progress_scale_runs_half_steps_with_ihi_names():
    assert [level.score for level in PROGRESS_LEVELS] == [x / 2 for x in range(1, 11)]
    assert progress_level(2.5).name == "Changes tested, but no improvement"
    assert score_label(5.0) == "5.0 Outstanding sustainable results"
    assert progress_level(2.2) is None
    assert all(level.explanation for level in PROGRESS_LEVELS)
