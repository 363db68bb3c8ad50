"""Every qicharts2 0.8.1 reference case replayed through `aggregate()` and `spc()`.

qicharts2 aggregates by x within each facet1 × facet2 combination and pads every
facet to all x values (split() keeps empty combinations); each facet is a separate
series here, and the reference rows are matched by (facet1, facet2, xx).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from qidesk.analysis import AnalysisInputError, aggregate, spc

REPO = Path(__file__).resolve().parents[3]
REFERENCE = REPO / ".." / "shared" / "reference" / "public_cases.json"


def load_cases() -> list[dict]:
    if not REFERENCE.exists():
        return []
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["cases"]


def number(value) -> float:
    """JSON encoding of R numbers: null is NA, 'NaN', 'Inf', '-Inf' (SPC_RULES.md §6)."""
    if value is None or value == "NaN":
        return math.nan
    if value in ("Inf", "-Inf"):
        return math.inf if value == "Inf" else -math.inf
    return float(value)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def character_part(labels: list, x: list) -> list[int]:
    """qic(): part <- part[!duplicated(x)]; match(unique, part)[-1] - 1."""
    seen, firsts = set(), []
    for label, key in zip(labels, x):
        if key not in seen:
            seen.add(key)
            firsts.append(label)
    starts, known = [], set()
    for position, label in enumerate(firsts):
        if label not in known:
            known.add(label)
            starts.append(position)
    return starts[1:]


def facet_series(case: dict) -> dict:
    """{(facet1, facet2): (Subgroups, kwargs)} for every facet combination."""
    inp, args = case["input"], case["args"]
    rows = len(inp["y"])
    f1 = inp.get("facet1") or [1] * rows
    f2 = inp.get("facet2") or [1] * rows
    keys = {k for k in inp["x"] if not _missing(k)}
    part = args.get("part")
    if part is not None and any(isinstance(p, str) for p in part):
        part = character_part(part, inp["x"])
    out = {}
    for facet in sorted({(a, b) for a, b in zip(f1, f2)}, key=lambda t: (str(t[0]), str(t[1]))):
        pick = [i for i in range(rows) if (f1[i], f2[i]) == facet]
        n = None if inp.get("n") is None else [inp["n"][i] for i in pick]
        sub = aggregate([inp["x"][i] for i in pick], [inp["y"][i] for i in pick], n,
                        agg=args.get("agg.fun", "mean"), keys=keys)
        out[facet] = (sub, _kwargs(case, sub, part))
    return out


def _kwargs(case: dict, sub, part) -> dict:
    args, size = case["args"], len(sub.x)
    kwargs = {
        "chart": args.get("chart", "run"),
        "multiply": args.get("multiply", 1),
        "screen_mr": bool((case.get("options") or {}).get("qic.screenedmr", False)),
        "categorical": case["input"].get("x_kind") == "category",
        "method": args.get("method", "anhoej"),
        "y_neg": args.get("y.neg", True),
    }
    if part is not None:  # makeparts keeps 0 <= k < n (helper.functions.R:532-539)
        kwargs["parts"] = sorted({int(k) for k in part if 0 < k < size})
    if args.get("freeze") is not None:
        kwargs["freeze"] = min(int(args["freeze"]), size)
    if args.get("exclude") is not None:
        kwargs["exclude"] = sorted({int(e) - 1 for e in args["exclude"] if 1 <= e <= size})
    if args.get("cl") is not None:
        kwargs["cl"] = args["cl"]
    return kwargs


def run_facet(case: dict, sub, kwargs: dict):
    chart = kwargs["chart"]
    if chart in ("xbar", "s") or (chart == "ip" and sub.n is None):
        return spc(list(sub.values), **kwargs)
    if sub.n is not None:
        return spc(sub.y_sum, sub.n, **kwargs)
    return spc(sub.y_sum if chart == "c" else sub.y, **kwargs)


def assert_close(label: str, got, want, rtol: float = 1e-6, atol: float = 1e-12) -> None:
    got = np.asarray(got, dtype=float)
    want = np.asarray([number(v) for v in want], dtype=float)
    assert got.shape == want.shape, f"{label}: {got.shape} points, reference {want.shape}"
    assert np.array_equal(np.isnan(got), np.isnan(want)), (
        f"{label}: missing at {np.flatnonzero(np.isnan(got)).tolist()}, "
        f"reference at {np.flatnonzero(np.isnan(want)).tolist()}"
    )
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    assert close.all(), (
        f"{label}: differs at {np.flatnonzero(~close).tolist()}: "
        f"{got[~close][:5].tolist()} vs {want[~close][:5].tolist()}"
    )


CASES = load_cases()
COLUMNS = {"cl": "cl", "lcl": "lcl", "ucl": "ucl", "lcl_95": "lcl.95", "ucl_95": "ucl.95"}
FLAGS = {"baseline": "baseline", "include": "include", "sigma_signal": "sigma.signal",
         "runs_signal": "runs.signal"}
COUNTS = {"n_obs": "n.obs", "n_useful": "n.useful", "longest_run": "longest.run",
          "longest_run_max": "longest.run.max", "crossings": "n.crossings",
          "crossings_min": "n.crossings.min"}
MEANS = {"a_lcl": "aLCL", "a_lcl_95": "aLCL.95", "centre": "CL", "a_ucl_95": "aUCL.95",
         "a_ucl": "aUCL"}


def test_reference_file_is_present():
    assert REFERENCE.exists(), f"qicharts2 reference outputs missing: expected {REFERENCE}"
    assert len(CASES) >= 49


def _rows_by_facet(data: dict) -> dict:
    """Reference row indices keyed by facet, in xx order."""
    out: dict = {}
    for i, (f1, f2, xx) in enumerate(zip(data["facet1"], data["facet2"], data["xx"])):
        out.setdefault((f1, f2), []).append((xx, i))
    return {k: [i for _, i in sorted(v)] for k, v in out.items()}


def _column(data: dict, name: str, rows: list[int]) -> list:
    return [data[name][i] for i in rows]


def _check_points(case: dict, facet, result, rows: list[int]) -> None:
    data, label = case["output"]["data"], f"{case['id']} {facet}"
    assert len(result.y) == len(rows), f"{label}: {len(result.y)} points, reference {len(rows)}"
    assert_close(f"{label} y", result.y, _column(data, "y", rows))
    for ours, theirs in COLUMNS.items():
        assert_close(f"{label} {theirs}", getattr(result, ours), _column(data, theirs, rows))
    for ours, theirs in FLAGS.items():
        assert getattr(result, ours).tolist() == _column(data, theirs, rows), f"{label} {theirs}"
    assert (result.part + 1).tolist() == _column(data, "part", rows), f"{label} part"
    if case["args"].get("chart") in ("xbar", "s"):
        assert_close(f"{label} subgroup sizes", result.n, _column(data, "y.length", rows))
    elif case["input"].get("n") is not None:
        present = ~np.isnan(result.y)  # qicharts2 reports n = 0 where the point is missing
        want = np.array([number(v) for v in _column(data, "n", rows)])
        assert_close(f"{label} n", result.n[present], want[present].tolist())


def _check_summary(case: dict, facet, result) -> None:
    rows = [r for r in case["output"]["summary"] if (r["facet1"], r["facet2"]) == facet]
    assert len(rows) == len(result.runs), f"{case['id']} {facet}: parts"
    for row, part in zip(sorted(rows, key=lambda r: r["part"]), result.runs):
        label = f"{case['id']} {facet} part {row['part']}"
        for ours, theirs in COUNTS.items():
            assert getattr(part, ours) == row[theirs], f"{label} {theirs}"
        assert int(part.signal) == row["runs.signal"], f"{label} runs.signal"
        assert part.sigma_signals == row["sigma.signal"], f"{label} sigma.signal"
        for ours, theirs in MEANS.items():
            assert_close(f"{label} {theirs}", [getattr(part, ours)], [row[theirs]])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_public_case_matches_qicharts2(case):
    if case.get("error"):
        with pytest.raises(AnalysisInputError):
            for sub, kwargs in facet_series(case).values():
                run_facet(case, sub, kwargs)
        return
    by_facet = _rows_by_facet(case["output"]["data"])
    series = facet_series(case)
    assert set(series) == set(by_facet), f"{case['id']}: facets"
    for facet, (sub, kwargs) in series.items():
        result = run_facet(case, sub, kwargs)
        _check_points(case, facet, result, by_facet[facet])
        _check_summary(case, facet, result)
