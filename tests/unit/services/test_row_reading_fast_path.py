"""Reading a big file column by column (each distinct cell once) gives exactly the rows
and problems that reading it row by row gives, whatever the cells hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.domain.entities import Measure
from qidesk.domain.enums import Frequency, ValueType
from qidesk.domain.periods import format_period
from qidesk.services.tabular import ColumnMapping, RawTable, parse_rows
from qidesk.services.tabular_rows import RowProblem, _RowReader

PERIODS = ["01/01/2024", "08/01/2024", "15/01/2024", "02/01/2024", "31/02/2024", "soon",
           None]
FIGURES = ["0", "3", "-1", "2.5", "12", "1,200", "abc", None, 4.0, True]
COMMENTS = [None, "agency", "bay 3 – night", "x" * 2001, 5, "Tel 943 476 5919"]
KINDS = [(ValueType.COUNT, Frequency.EVENT), (ValueType.COUNT, Frequency.WEEK),
         (ValueType.PROPORTION, Frequency.WEEK)]


def one_by_one(table: RawTable, mapping: ColumnMapping, value_type, frequency):
    """parse_rows's meaning spelled out plainly: each row read by itself."""
    reader = _RowReader(table, mapping, Measure(project_id=0, value_type=value_type,
                                                frequency=frequency))
    parsed, problems, first_row_of = [], [], {}
    for index, cells in enumerate(table.rows):
        row = reader.read(cells, table.row_number(index))
        if row is None:
            continue
        if isinstance(row, list):
            problems.extend(row)
        elif frequency is not Frequency.EVENT and row.period in first_row_of:
            problems.append(RowProblem(row.row_number, table.headers[mapping.period],
                                       f"{format_period(row.period, frequency)} is also in "
                                       f"row {first_row_of[row.period]}: keep one of them."))
        else:
            first_row_of.setdefault(row.period, row.row_number)
            parsed.append(row)
    return parsed, problems


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), rows=st.lists(st.tuples(
    st.sampled_from(PERIODS), st.sampled_from(FIGURES), st.sampled_from(FIGURES),
    st.sampled_from(COMMENTS)), min_size=1, max_size=12),
    plain=st.booleans(), comment=st.sampled_from(COMMENTS))
def test_column_by_column_reading_matches_row_by_row(kind, rows, plain, comment):
    value_type, frequency = kind
    if plain:  # the big-import case: figures and dates fine, any comment
        rows = [("08/01/2024", "3", "7", None), ("15/01/2024", "0", "4", comment),
                ("01/01/2024", "12", "12", "agency")][:len(rows) + 1]
    table = RawTable(headers=["Week", "Falls", "Of", "Comment"], rows=[list(r) for r in rows],
                     source="test.csv")
    if value_type.has_denominator:
        mapping = ColumnMapping(period=0, numerator=1, denominator=2, comment=3)
    else:
        mapping = ColumnMapping(period=0, value=1, comment=3)
    got = parse_rows(table, mapping, value_type, frequency)
    assert got == one_by_one(table, mapping, value_type, frequency)
