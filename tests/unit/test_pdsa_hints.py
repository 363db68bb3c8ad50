"""Fidelity hints: each fires on the case it names and stays quiet otherwise."""

from __future__ import annotations

from datetime import date

from qidesk.domain.entities import PdsaCycle
from qidesk.domain.enums import PdsaStatus
from qidesk.domain.pdsa_hints import cycle_hints

TODAY = date(2026, 6, 30)


def cycle(**fields) -> PdsaCycle:
    values = dict(change_idea_id=1, cycle_number=1, predictions="Fewer falls in bay 3",
                  scale="Bay 3, one day shift", status=PdsaStatus.DOING,
                  planned_start=date(2026, 6, 1), planned_end=date(2026, 6, 28),
                  started_on=date(2026, 6, 1))
    return PdsaCycle(**{**values, **fields})


def codes(c: PdsaCycle, linked: int = 1, points: int = 3) -> list[str]:
    return [h.code for h in cycle_hints(c, linked_measures=linked, points_in_window=points,
                                        today=TODAY)]


def test_a_well_run_small_test_gets_no_hints():
    assert codes(cycle()) == []


def test_no_prediction_in_words_or_numbers():
    assert codes(cycle(predictions="  ")) == ["no_prediction"]
    assert codes(cycle(predictions="", prediction_measure_id=4, prediction_value=5.0)) == []


def test_a_first_test_at_full_scale():
    assert codes(cycle(scale="Whole ward, days and nights")) == ["full_scale_first"]
    assert codes(cycle(scale="All bays for four weeks")) == ["full_scale_first"]
    # Growing to full scale on a later cycle is what a ramp is for.
    assert codes(cycle(cycle_number=3, scale="Whole ward, days and nights")) == []


def test_no_data_over_the_cycle_dates():
    assert codes(cycle(), points=0) == ["no_data"]
    assert "link the measures" in cycle_hints(cycle(), linked_measures=0, points_in_window=0,
                                               today=TODAY)[0].text
    # Not started yet: nothing to collect.
    assert codes(cycle(status=PdsaStatus.PLANNED, started_on=None), points=0) == []
    assert codes(cycle(started_on=date(2026, 7, 6), planned_start=date(2026, 7, 6),
                       planned_end=date(2026, 7, 10)), points=0) == []


def test_open_far_longer_than_planned():
    late = cycle(planned_start=date(2026, 5, 1), planned_end=date(2026, 5, 7),
                 started_on=date(2026, 5, 1))
    [hint] = cycle_hints(late, linked_measures=1, points_in_window=4, today=TODAY)
    assert hint.code == "overrun" and "61 days against 7 planned" in hint.text
    # A few days over is not far over; a finished cycle is not open.
    assert codes(cycle(planned_end=date(2026, 6, 26))) == []
    assert codes(late.__class__(**{**late.__dict__, "status": PdsaStatus.DONE})) == []


def test_hints_come_in_worksheet_order():
    bad = cycle(predictions="", scale="whole ward", planned_start=date(2026, 4, 1),
                planned_end=date(2026, 4, 7), started_on=date(2026, 4, 1))
    assert codes(bad, points=0) == ["no_prediction", "full_scale_first", "no_data", "overrun"]
