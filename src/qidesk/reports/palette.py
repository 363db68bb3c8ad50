"""Colours, marker shapes and line styles for charts: one place, so every drawing agrees.

NHS identity colours (NHS England brand guidelines) and the Making Data Count point
colours as NHSRplotthedots 0.2 draws them (`ptd_spc_colours()`). Every point class also
has its own marker shape, and every marker type its own line style and letter, so colour
is never the only cue. Lives in reports/ so exports and the live chart (ui/) share it.
"""

from __future__ import annotations

from dataclasses import dataclass

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
NHS_WHITE = "#FFFFFF"
NHS_RED = "#DA291C"
NHS_WARM_YELLOW = "#FFB81C"
NHS_GREEN = "#007F3B"
NHS_PURPLE = "#330072"
NHS_DARK_PINK = "#7C2855"

MDC_COMMON_CAUSE = "#7B7D7D"
MDC_IMPROVEMENT = "#289DE0"
MDC_CONCERN = "#FAB428"
MDC_NEUTRAL = "#361475"

CENTRE_LINE = NHS_DARK_GREY
# qicharts2 dashes the centre line of a phase whose runs analysis signals (a long run or
# too few crossings): the pattern as a whole is not random, even where no point stands out.
RUNS_SIGNAL_LINE = "#ED8B00"  # NHS orange
LIMIT_LINE = NHS_MID_GREY
TARGET_LINE = NHS_RED
VALUE_LINE = NHS_MID_GREY  # drawn 1 px wide (fast): mid grey keeps it readable
BASELINE_SHADE = (0, 94, 184, 22)  # NHS blue, faint: the frozen baseline's span
TRIAL_TEXT = "#8A5A00"


@dataclass(frozen=True)
class PointStyle:
    """How one class of point is drawn: pyqtgraph symbol, fill, outline, and its words."""

    symbol: str
    brush: str
    pen: str
    label: str


POINT_STYLES: dict[str, PointStyle] = {
    "common_cause": PointStyle("o", MDC_COMMON_CAUSE, MDC_COMMON_CAUSE, "Common cause"),
    "improvement": PointStyle("t1", MDC_IMPROVEMENT, NHS_DARK_BLUE, "Special cause: improvement"),
    "concern": PointStyle("t", MDC_CONCERN, "#9A6700", "Special cause: concern"),
    "neutral": PointStyle("d", MDC_NEUTRAL, MDC_NEUTRAL, "Special cause: neither better nor worse"),
    "excluded": PointStyle("x", NHS_WHITE, NHS_DARK_GREY, "Excluded from calculations"),
}


@dataclass(frozen=True)
class MarkerStyle:
    """How one kind of dated marker is drawn: colour, Qt pen style name, letter, words."""

    colour: str
    dash: str  # "solid", "dash", "dot" or "dashdot"
    letter: str
    label: str


MARKER_STYLES: dict[str, MarkerStyle] = {
    "change": MarkerStyle(NHS_DARK_BLUE, "solid", "C", "Change"),
    "pdsa": MarkerStyle(NHS_GREEN, "dash", "P", "PDSA cycle"),
    # A line only, no label: the cycle's start marker names it (letter "" = no label).
    "pdsa_end": MarkerStyle(NHS_GREEN, "dot", "", "End of a PDSA cycle"),
    "external_event": MarkerStyle(NHS_DARK_PINK, "dot", "E", "External event"),
    "data_issue": MarkerStyle(NHS_DARK_GREY, "dashdot", "D", "Data issue"),
}
