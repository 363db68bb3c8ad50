"""Suggest a chart for a measure from its value type and its data, with a reason.

Laney's over-dispersion check (Laney, Quality Engineering 2002;14(4):531-537): with
large denominators the p and u limits become very narrow and most points fall outside
them, because real processes vary more between periods than the binomial or Poisson
model allows. Laney measures that extra variation as sigma_z, the moving-range sigma of
the points' z-scores (mean moving range / 1.128): about 1 when the model fits. QIDesk
suggests p' or u' when sigma_z >= `LANEY_SIGMA_Z` (1.5): 50% more spread than the model,
well beyond what sampling error gives sigma_z with the 12 or more points a control chart
needs (its standard error is about 0.2 at 20 points).
"""

from __future__ import annotations

import numpy as np

from qidesk.analysis.errors import AnalysisInputError

VALUE_TYPES = ("continuous", "count", "proportion", "rate", "days_between", "cases_between")
LANEY_SIGMA_Z = 1.5
D2 = 1.128  # bias constant of the moving range of two (Montgomery, Appendix VI)
# Control limits want about 12 points or more (Provost & Murray 2011); fewer: a run chart.
MIN_POINTS_FOR_LIMITS = 12
# Rare events: most periods have no event, so counts or proportions carry little
# information; chart the time or cases between events (Benneyan 2001, g and t charts).
RARE_ZERO_SHARE = 0.5


def suggest_chart(value_type: str, values=None, denominators=None) -> tuple[str, str]:
    """(chart, one-sentence reason) for a measure; `values` may be subgroups (lists)."""
    if value_type not in VALUE_TYPES:
        raise AnalysisInputError(
            f"value_type must be one of {', '.join(VALUE_TYPES)}, not {value_type!r}")
    if value_type == "days_between":
        return "t", "Days between rare events: a t chart shows whether events come more or less often."
    if value_type == "cases_between":
        return "g", "Cases between rare events: a g chart shows whether events come more or less often."
    subgroups = _is_subgroups(values)
    y = _flat(values) if not subgroups else None
    n_points = len(values) if values is not None else 0
    if n_points and n_points < MIN_POINTS_FOR_LIMITS:
        return "run", (f"Only {n_points} points so far: start with a run chart; control "
                       f"limits need about {MIN_POINTS_FOR_LIMITS} or more.")
    if value_type == "continuous":
        return _continuous(subgroups)
    if value_type == "count" and denominators is None:
        return _count(y)
    return _ratio(value_type, y, _flat(denominators))


def _is_subgroups(values) -> bool:
    return values is not None and any(isinstance(v, (list, tuple, np.ndarray)) for v in values)


def _flat(values) -> np.ndarray | None:
    if values is None:
        return None
    try:
        return np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise AnalysisInputError("values must be numbers (None for missing)") from None


def _continuous(subgroups: bool) -> tuple[str, str]:
    if subgroups:
        return "xbar", ("Measurements in subgroups: an Xbar chart tracks the subgroup "
                        "averages (pair it with an S chart for their spread).")
    return "i", "One measurement per period: an I chart (individuals) fits continuous data."


def _count(y) -> tuple[str, str]:
    if y is not None and _rare(y):
        return "t", ("Events are rare (most periods have none): record the date of each "
                     "event and chart the days between them on a t chart.")
    return "c", ("Counts with the same opportunity each period: a c chart fits counts "
                 "of events.")


def _rare(numerators) -> bool:
    seen = numerators[~np.isnan(numerators)]
    return seen.size > 0 and np.count_nonzero(seen == 0) / seen.size > RARE_ZERO_SHARE


def _ratio(value_type, y, n) -> tuple[str, str]:
    proportion = value_type == "proportion"
    basic, laney = ("p", "pp") if proportion else ("u", "up")
    noun = "proportion" if proportion else "rate"
    if y is not None and _rare(y):
        between = "g", ("Events are rare (most periods have none): chart the number of "
                        "cases between events on a g chart.")
        return between if proportion else ("t", (
            "Events are rare (most periods have none): chart the days between events on "
            "a t chart."))
    if y is None or n is None:
        return basic, f"A {noun} with a denominator each period: a {basic} chart fits."
    sigma_z = laney_sigma_z(y, n, proportion)
    if np.isfinite(sigma_z) and sigma_z >= LANEY_SIGMA_Z:
        return laney, (f"The points vary {sigma_z:.1f} times as much as a {basic} chart "
                       f"expects (Laney's sigma z), as large denominators often do: a "
                       f"{basic}′ chart widens the limits to match.")
    return basic, (f"A {noun} with a denominator each period, and no more variation "
                   f"than the model expects (Laney's sigma z {sigma_z:.1f}): a {basic} "
                   "chart fits.")


def laney_sigma_z(numerators, denominators, proportion: bool = True) -> float:
    """Laney's sigma_z: moving-range sigma of the z-scores under the p (or u) model."""
    y = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    if y.shape != n.shape:
        raise AnalysisInputError("numerators and denominators must be the same length")
    ok = np.isfinite(y) & np.isfinite(n) & (n > 0)
    y, n = y[ok], n[ok]
    if y.size < 2:
        return float("nan")
    centre = y.sum() / n.sum()
    variance = centre * (1 - centre) if proportion else centre
    if variance <= 0:
        return float("nan")
    z = (y / n - centre) / np.sqrt(variance / n)
    return float(np.mean(np.abs(np.diff(z))) / D2)
