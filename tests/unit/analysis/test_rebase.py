"""Suggesting a new phase after a documented change."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.rebase import suggest_rebase

WEEKS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=i) for i in range(36)]
BEFORE = [10, 12, 9, 11, 13, 10, 12, 9, 11, 10, 12, 11, 9, 13, 10, 12, 11, 10, 12, 9]
AFTER = [6, 5, 7, 6, 5, 6, 7, 5, 6, 5, 6, 7, 5, 6, 5, 6]
Y = BEFORE + AFTER
CHANGE = (dt.date(2026, 5, 20), "Ward round checklist")


def test_shift_after_a_change_is_suggested():
    s = suggest_rebase(Y, WEEKS, [], [CHANGE])
    assert s is not None and s.index == 20 and s.date == WEEKS[20]
    assert "16 points in a row below the median since 25 May 2026" in s.reason
    assert "'Ward round checklist' (20 May 2026)" in s.reason


def test_latest_change_before_the_shift_is_named_and_objects_work():
    changes = [SimpleNamespace(date=dt.date(2026, 3, 1), label="Early idea"),
               SimpleNamespace(date=dt.date(2026, 5, 18), label="PDSA 2"),
               SimpleNamespace(date=dt.date(2026, 8, 1), label="Later")]
    assert "PDSA 2" in suggest_rebase(Y, WEEKS, (), changes).reason


@pytest.mark.parametrize("values,changes,phases", [
    (Y, [], []),  # no documented change
    (Y, [(dt.date(2026, 6, 20), "too late")], []),  # change after the shift began
    (BEFORE + AFTER[:8], [CHANGE], []),  # too few points since
    (Y, [CHANGE], [20]),  # already a phase there
    ((BEFORE * 2)[:36], [CHANGE], []),  # no sustained shift
    ([None] * 36, [CHANGE], []),
    ([5.0] * 36, [CHANGE], []),
])
def test_no_suggestion(values, changes, phases):
    assert suggest_rebase(values, WEEKS[: len(values)], phases, changes) is None


def test_bad_input():
    with pytest.raises(AnalysisInputError):
        suggest_rebase(Y, WEEKS[:3], [], [CHANGE])
    with pytest.raises(AnalysisInputError):
        suggest_rebase(Y, WEEKS, [99], [CHANGE])
