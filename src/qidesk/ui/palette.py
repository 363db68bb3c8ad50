"""Chart colours and shapes for the UI: the same palette the exports draw with."""

from qidesk.reports.palette import *  # noqa: F401,F403
from qidesk.reports.palette import MARKER_STYLES, POINT_STYLES, MarkerStyle, PointStyle  # noqa: F401
