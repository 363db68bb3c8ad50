"""The error type `qidesk.analysis` raises for input the caller must fix."""

from __future__ import annotations


class AnalysisInputError(ValueError):
    """Input an analysis cannot use; the message names what to fix."""
