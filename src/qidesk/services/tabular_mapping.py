"""Which column holds what: guessed from the headings, then from the cells."""

from __future__ import annotations

from dataclasses import dataclass

from qidesk.domain.enums import ValueType
from qidesk.domain.errors import ValidationError
from qidesk.domain.periods import parse_uk_date
from qidesk.services.tabular_read import RawTable, cell_number, reads_as


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based) holds each part of a data point; None = not in the table."""

    period: int
    value: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    comment: int | None = None



# Heading words per role, most specific first; a heading equal to a word beats one
# merely containing it. Rates and proportions also take a value-like heading
# ("Falls") as their numerator.
_ROLE_WORDS = {
    "period": ("period", "date", "week commencing", "week beginning", "week ending", "w/c",
               "wc", "week", "month", "quarter", "day", "event date", "when"),
    "numerator": ("numerator", "num", "met", "achieved", "compliant", "on time", "yes",
                  "successes"),
    "denominator": ("denominator", "denom", "den", "occupied bed days", "bed days", "obd",
                    "total", "due", "eligible", "opportunities", "exposure", "audited",
                    "patients", "sample"),
    "value": ("value", "count", "rate", "result", "number", "score", "minutes", "mins",
              "hours", "days", "cases", "falls", "total"),
    "comment": ("comment", "comments", "note", "notes", "remarks", "reason", "narrative"),
}
_CONTENT_SAMPLE = 200  # rows looked at when guessing from cell contents
_CONTENT_SHARE = 0.8  # share of non-blank cells that must read as dates / numbers


def guess_mapping(table: RawTable, value_type: ValueType) -> ColumnMapping:
    """Guess which column is which from the headings, then from what the cells hold."""
    roles = (["period", "numerator", "denominator", "comment"] if value_type.has_denominator
             else ["period", "value", "comment"])
    chosen: dict[str, int] = {}
    if table.has_header:
        chosen = _match_headings(table.headers, roles)
    _fill_from_contents(table, roles, chosen)
    if "period" not in chosen:
        raise ValidationError(
            "Can't tell which column holds the dates: choose the period column.", field="period")
    return ColumnMapping(**chosen)


def _match_headings(headers: list[str], roles: list[str]) -> dict[str, int]:
    scores = []
    for index, heading in enumerate(headers):
        words = " " + " ".join(_normalise(heading).split()) + " "
        for role in roles:
            keywords = _ROLE_WORDS[role]
            if role == "numerator":
                keywords = keywords + _ROLE_WORDS["value"]
            for rank, word in enumerate(keywords):
                if words.strip() == word:
                    scores.append((2, -rank, role, index))
                elif f" {word} " in words:
                    scores.append((1, -rank, role, index))
    chosen: dict[str, int] = {}
    for *_, role, index in sorted(scores, reverse=True):
        if role not in chosen and index not in chosen.values():
            chosen[role] = index
    return chosen


def _normalise(heading: str) -> str:
    return "".join(c if c.isalnum() or c == "/" else " " for c in heading.lower())


def _fill_from_contents(table: RawTable, roles: list[str], chosen: dict[str, int]) -> None:
    sample = table.rows[:_CONTENT_SAMPLE]
    free = [i for i in range(len(table.headers)) if i not in chosen.values()]
    kinds = {i: _column_kind([row[i] for row in sample]) for i in free}
    for role in roles:
        if role in chosen:
            continue
        wanted = {"period": "date", "comment": "text"}.get(role, "number")
        match = next((i for i in free if kinds[i] == wanted and i not in chosen.values()), None)
        if match is not None:
            chosen[role] = match


def _column_kind(cells: list[object]) -> str:
    """'date', 'number', 'text' or 'blank': what most of a column's cells hold."""
    present = [c for c in cells if c is not None]
    if not present:
        return "blank"
    need = _CONTENT_SHARE * len(present)
    if sum(reads_as(parse_uk_date, c, numbers_ok=False) for c in present) >= need:
        return "date"
    if sum(reads_as(cell_number, c) for c in present) >= need:
        return "number"
    return "text"

