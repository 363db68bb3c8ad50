"""QIDesk: offline quality improvement for NHS ward teams."""

__version__ = "0.1.0"
