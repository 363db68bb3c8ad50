"""The one error type the domain and services raise for input a user must fix."""

from __future__ import annotations


class ValidationError(ValueError):
    """Input that breaks a value rule; `message` is shown to the user as it is.

    `field` names the field at fault (e.g. "denominator") so a form or grid can put the
    message next to the right cell; `row` is the 1-based row of an import or paste.
    """

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row
