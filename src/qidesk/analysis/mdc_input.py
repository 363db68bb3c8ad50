"""The checked inputs of a Making Data Count chart: values, options and rebase groups.

Checked the way `mdc.mdc_xmr` promises, each fault an `AnalysisInputError` with a plain
message; the options follow R/ptd_spc_options.R of NHSRplotthedots 0.2.2.
"""

from __future__ import annotations

import numbers
import operator

import numpy as np

from qidesk.analysis.errors import AnalysisInputError

# R/ptd_spc_options.R:60-70: fix_after_n_points must be >= 12.
MIN_FIX_AFTER = 12

DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}


def read_values(y) -> tuple[np.ndarray, np.ndarray]:
    """y as a read-only float array (not copied if it already is one), and observed mask."""
    try:
        values = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AnalysisInputError(f"y must be numbers (None for missing): {exc}") from None
    if values.ndim != 1:
        raise AnalysisInputError("y must be one value per point (a flat sequence)")
    values = values.view()
    values.flags.writeable = False
    finite = np.isfinite(values)
    if finite.all():
        return values, finite
    if np.isinf(values).any():
        where = ", ".join(str(i) for i in np.flatnonzero(np.isinf(values))[:10])
        raise AnalysisInputError(f"Infinite values at points {where} (0-based)")
    return values, finite


def _real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_options(improvement, fix_after, target, missing) -> tuple[int, float, float | None]:
    """Checked (improvement sign, points the limits use, target)."""
    if not isinstance(improvement, str) or improvement not in DIRECTIONS:
        raise AnalysisInputError(
            f"improvement must be 'increase', 'decrease' or 'neutral', not {improvement!r}")
    if fix_after is not None and not (_real(fix_after) and fix_after >= MIN_FIX_AFTER):
        raise AnalysisInputError(
            f"fix_after must be a number of points >= {MIN_FIX_AFTER}, not {fix_after!r}")
    if target is not None and not (_real(target) and np.isfinite(target)):
        raise AnalysisInputError(f"target must be a finite number, not {target!r}")
    if missing not in ("error", "skip"):
        raise AnalysisInputError(f"missing must be 'error' or 'skip', not {missing!r}")
    fix_n = np.inf if fix_after is None else float(fix_after)
    return DIRECTIONS[improvement], fix_n, None if target is None else float(target)


def rebase_bounds(rebase, n: int) -> list[tuple[int, int, int]]:
    """(rebase_group, start, stop) per group; rebase_group = cumsum(date %in% rebase)."""
    starts = set()
    for raw in () if rebase is None else rebase:
        try:
            i = operator.index(raw)
        except TypeError:
            raise AnalysisInputError(f"rebase must be point indices, not {raw!r}") from None
        if not 0 <= i < n:
            raise AnalysisInputError(f"rebase index {i} is outside the series (0..{n - 1})")
        starts.add(i)
    edges = sorted(starts | {0, n})
    label0 = 1 if 0 in starts else 0
    return [(label0 + k, lo, hi) for k, (lo, hi) in enumerate(zip(edges, edges[1:]))]
