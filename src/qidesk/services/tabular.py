"""Tables in and out: CSV and XLSX files and blocks pasted from Excel.

The public names live here; the work is split by stage:
- tabular_read: files and pastes to raw cells (RawTable), never a traceback;
- tabular_mapping: which column holds what (ColumnMapping, guess_mapping);
- tabular_rows: cells to data points, every problem row explained (parse_rows);
- tabular_write: CSV/XLSX exports (write_table).

Decisions: CSV files are written UTF-8 with a BOM, comma separated, dates as ISO
2026-03-02; read_table reads that back, as well as day-first UK dates. Text starting
with = + - @ is written to CSV with a leading apostrophe, dropped again on reading.
"""

from __future__ import annotations

from qidesk.services.tabular_mapping import ColumnMapping, guess_mapping
from qidesk.services.tabular_read import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    RawTable,
    parse_pasted,
    read_table,
)
from qidesk.services.tabular_rows import ParsedRow, RowProblem, parse_rows
from qidesk.services.tabular_write import write_table

__all__ = [
    "MAX_COLUMNS", "MAX_FILE_BYTES", "MAX_ROWS", "ColumnMapping", "ParsedRow", "RawTable",
    "RowProblem", "guess_mapping", "parse_pasted", "parse_rows", "read_table", "write_table",
]
