"""Every NHSRplotthedots 0.2.2 reference case (`mdc_cases[]`) replayed through mdc_xmr."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.mdc import mdc_xmr

REFERENCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "reference" / "public_cases.json"


def load_cases() -> list[dict]:
    if not REFERENCE.exists():
        return []
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["mdc_cases"]


CASES = load_cases()


def number(value) -> float:
    if value is None or value == "NaN":
        return math.nan
    if value in ("Inf", "-Inf"):
        return math.inf if value == "Inf" else -math.inf
    return float(value)


def run_case(case):
    args, dates = case["args"], case["input"]["date"]
    rebase = [dates.index(d) for d in args["rebase"] if d in dates] if args["rebase"] else None
    return mdc_xmr(case["input"]["y"], improvement=args["improvement_direction"],
                   target=args["target"], rebase=rebase,
                   fix_after=args["fix_after_n_points"],
                   screen_outliers=args["screen_outliers"])


def test_reference_file_has_mdc_cases():
    assert len(CASES) >= 6


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    if case["error"]:
        with pytest.raises(AnalysisInputError):
            run_case(case)
        return
    m = run_case(case)
    data = case["output"]["data"]
    assert m.y.size == case["output"]["n_points"]
    for field, mine in (("mean_col", m.mean), ("lpl", m.lpl), ("upl", m.upl),
                        ("y", m.y)):
        np.testing.assert_allclose(mine, [number(v) for v in data[field]], rtol=1e-9,
                                   equal_nan=True, err_msg=field)
    for field, mine in (("outside_limits", m.outside_limits),
                        ("relative_to_mean", m.relative_to_mean),
                        ("close_to_limits", m.close_to_limits),
                        ("special_cause_flag", m.special_cause_flag),
                        ("rebase_group", m.group),
                        ("short_group_warning", m.short_group_warning)):
        assert mine.tolist() == data[field], field
    assert m.special_cause_type == data["special_cause_type"]
    assert m.point_type == data["point_type"]
    fixed = [v is not None for v in data["fix_y"]]
    assert m.baseline.tolist() == fixed


@pytest.mark.parametrize("case", [c for c in CASES if not c["error"]],
                         ids=[c["id"] for c in CASES if not c["error"]])
def test_summary_and_icons(case):
    m = run_case(case)
    summary = case["output"]["summary"]
    assert len(m.groups) == len(summary)
    for group, row in zip(m.groups, summary):
        assert group.rebase_group == row.get("rebase_group", group.rebase_group)
        for field, mine in (("mean_col", group.mean), ("lpl", group.lpl), ("upl", group.upl)):
            assert mine == pytest.approx(number(row[field]), rel=1e-9, nan_ok=True), field
        assert group.n == row["n"]
        assert group.common_cause == row["common_cause"]
        assert group.special_cause_improvement == row["special_cause_improvement"]
        assert group.special_cause_concern == row["special_cause_concern"]
        assert group.variation_type == row["variation_type"]
        assert group.assurance_type == row.get("assurance_type")
    icons = [(i["type"], i["icon"]) for i in case["output"]["icons"]]
    assert list(m.icons) == icons
    assert bool(m.warnings) == bool(case["warnings"])
