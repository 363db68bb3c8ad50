"""The review board's tiles as a Qt list model, with a proxy that filters and sorts them.

One row per measure (services.board.BoardTile) of one or more open workbooks; the
proxy filters by team, project, measure kind and signal status, and sorts by any of
them. `TileRole` returns the tile, `SourceRole` the workbook it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt

from qidesk.domain.periods import format_date
from qidesk.reports.mdc_icons import icon_text
from qidesk.services.board import SIGNAL_ORDER, BoardTile
from qidesk.services.workbook import Workbook

SIGNAL_WORDS = {"concern": "Special cause: concern", "improvement": "Special cause: improvement",
                "neutral": "Special cause: neither better nor worse",
                "common_cause": "Common cause only", "no_data": "No data yet"}
# Sort keys offered on the board, in the order the menu lists them.
SORT_KEYS = {"board": "Team, project and measure", "signal": "Signal status (concerns first)",
             "overdue": "Overdue first", "new": "New since review first", "name": "Measure name",
             "kind": "Measure kind", "team": "Team", "project": "Project",
             "latest": "Last data date (oldest first)"}
_KIND_ORDER = {"outcome": 0, "process": 1, "balancing": 2}


class BoardRole(IntEnum):
    TILE = Qt.ItemDataRole.UserRole + 1
    SOURCE = Qt.ItemDataRole.UserRole + 2
    TEAM_KEY = Qt.ItemDataRole.UserRole + 3  # (workbook label, team name)
    PROJECT_KEY = Qt.ItemDataRole.UserRole + 4  # (workbook label, project id)


@dataclass(eq=False)
class BoardSource:
    """One workbook on the board: `label` names it when the board shows several."""

    wb: Workbook
    label: str


class BoardModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[BoardSource, BoardTile]] = []
        self.show_labels = False  # name the workbook on tiles when there are several

    def set_tiles(self, rows: list[tuple[BoardSource, BoardTile]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.show_labels = len({id(source) for source, _ in rows}) > 1
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        source, tile = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return tile.measure.name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return tile_summary(tile, source.label if self.show_labels else "")
        if role == BoardRole.TILE:
            return tile
        if role == BoardRole.SOURCE:
            return source
        if role == BoardRole.TEAM_KEY:
            return (source.label, tile.team_name)
        if role == BoardRole.PROJECT_KEY:
            return (source.label, tile.project_id)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def latest_text(tile: BoardTile) -> str:
    """'Latest 76.5% · target 90%' in the measure's own unit."""
    if tile.latest_value is None:
        return "No data yet"
    unit = "%" if tile.percent else (f" {tile.measure.unit}" if tile.measure.unit else "")
    text = f"Latest {_number(tile.latest_value)}{unit}"
    target = tile.measure.target
    if target is not None:
        text += f" · target {_number(target)}{unit}"
    return text


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"


def since_text(tile: BoardTile) -> str:
    """'New since your review: 3 points, 1 new signal, 1 PDSA decision' ('' if nothing)."""
    since = tile.since
    parts = []
    if since.new_points:
        parts.append(_count(since.new_points, "point"))
    if since.new_signals:
        parts.append(_count(since.new_signals, "new signal"))
    if since.phase_changes:
        parts.append(_count(since.phase_changes, "phase change"))
    if since.pdsa_decisions:
        parts.append(_count(len(since.pdsa_decisions), "PDSA decision"))
    return ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def tile_summary(tile: BoardTile, label: str = "") -> str:
    """Everything the tile shows, in words (tooltip and screen reader)."""
    lines = [tile.measure.name, f"{label + ' · ' if label else ''}{tile.team_name} · "
             f"{tile.project_title} · {tile.measure.kind.value} measure"]
    lines += [icon_text(n) for n in (tile.chart.variation, tile.chart.assurance) if n]
    lines.append(latest_text(tile))
    if tile.latest_period is not None:
        lines.append(f"Last data: {format_date(tile.latest_period)}")
    if tile.overdue is not None:
        lines.append(tile.overdue.text())
    if tile.since.reviewed_at is not None:
        lines.append(f"Signed off by {tile.since.reviewer} on "
                     f"{format_date(tile.since.reviewed_at.date())}")
        new = since_text(tile)
        lines.append(f"Since then: {new}" if new else "Nothing new since then")
    return "\n".join(lines)


class BoardFilter(QSortFilterProxyModel):
    """Shows the tiles matching the chosen team, project, kind and signal; sorts them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.team = None  # (label, team name) or None for every team
        self.project = None  # (label, project id)
        self.kind = None  # "outcome", "process", "balancing"
        self.signal = None  # a SIGNAL_ORDER name, "overdue" or "new"
        self.sort_key = "board"

    def set_filter(self, **chosen) -> None:
        self.beginFilterChange()
        for name, value in chosen.items():
            setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_sort_key(self, key: str) -> None:
        self.sort_key = key
        self.sort(-1)  # the proxy only re-sorts when the column changes
        self.sort(0)

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802 - Qt's name
        index = self.sourceModel().index(row, 0, parent)
        tile: BoardTile = index.data(BoardRole.TILE)
        if self.team is not None and index.data(BoardRole.TEAM_KEY) != self.team:
            return False
        if self.project is not None and index.data(BoardRole.PROJECT_KEY) != self.project:
            return False
        if self.kind is not None and tile.measure.kind.value != self.kind:
            return False
        if self.signal == "overdue":
            return tile.overdue is not None
        if self.signal == "new":
            return tile.since.anything
        return self.signal is None or tile.signal == self.signal

    def lessThan(self, left, right) -> bool:  # noqa: N802 - Qt's name
        return self._key(left) < self._key(right)

    def _key(self, index) -> tuple:
        tile: BoardTile = index.data(BoardRole.TILE)
        row = index.row()  # the board's own order breaks ties
        key = self.sort_key
        if key == "signal":
            return (SIGNAL_ORDER.index(tile.signal), row)
        if key == "overdue":
            return (-(tile.overdue.missing if tile.overdue else 0), row)
        if key == "new":
            return (not tile.since.anything, row)
        if key == "name":
            return (tile.measure.name.casefold(), row)
        if key == "kind":
            return (_KIND_ORDER[tile.measure.kind.value], row)
        if key == "team":
            return (tile.team_name.casefold(), row)
        if key == "project":
            return (tile.project_title.casefold(), row)
        if key == "latest":
            return (tile.latest_period or date.min, row)
        return (row,)
