"""Run charts and SPC statistics: numpy only, no Qt, no database."""

from qidesk.analysis.aggregate import Subgroups, aggregate
from qidesk.analysis.anhoej import crossings_min, longest_run_max
from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.spc import PartRuns, SpcResult, spc

__all__ = [
    "AnalysisInputError",
    "PartRuns",
    "SpcResult",
    "Subgroups",
    "aggregate",
    "crossings_min",
    "longest_run_max",
    "spc",
]
