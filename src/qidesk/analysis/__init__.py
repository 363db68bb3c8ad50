"""Run charts and SPC statistics: numpy only, no Qt, no database."""

from qidesk.analysis.aggregate import Subgroups, aggregate
from qidesk.analysis.anhoej import crossings_min, longest_run_max
from qidesk.analysis.errors import AnalysisInputError
from qidesk.analysis.spc import PartRuns, SpcResult, spc

# Making Data Count, IHI rules and the ward-facing interpretation layer.
from qidesk.analysis.chart_choice import laney_sigma_z, suggest_chart
from qidesk.analysis.findings import Finding, findings, format_date
from qidesk.analysis.ihi import IhiRuns, ihi_rules, runs_limits
from qidesk.analysis.mdc import MdcGroup, MdcResult, mdc_xmr
from qidesk.analysis.points import PointClasses, RuleFlag, classify_points
from qidesk.analysis.rebase import Suggestion, suggest_rebase

__all__ = [
    "AnalysisInputError",
    "PartRuns",
    "SpcResult",
    "Subgroups",
    "aggregate",
    "crossings_min",
    "longest_run_max",
    "spc",
    "Finding",
    "IhiRuns",
    "MdcGroup",
    "MdcResult",
    "PointClasses",
    "RuleFlag",
    "Suggestion",
    "classify_points",
    "findings",
    "format_date",
    "ihi_rules",
    "laney_sigma_z",
    "mdc_xmr",
    "runs_limits",
    "suggest_chart",
    "suggest_rebase",
]
