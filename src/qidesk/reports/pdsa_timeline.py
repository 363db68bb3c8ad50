"""The PDSA timeline: one row per change idea, each cycle a bar from its start to its end,
drawn as a QGraphicsScene from plain data. Shared by the timeline page and reports.

Bars use the actual dates when there are any (solid), the planned ones otherwise (dashed
outline); a cycle under way runs to today with a pointed end. Cycles and labels that
would collide go on lanes of their own within the row, so nothing is ever drawn over
anything else. Every clickable item carries (kind, id) of the record it opens in
data(ITEM_TARGET): ("pdsa_cycle", id) or ("change_idea", id).

This module lays out the rows, the month axis and the key; each cycle's bar and words
are drawn by pdsa_timeline_bars from what pdsa_timeline_cycles says of the cycle.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
)

from qidesk.domain.entities import PdsaCycle
from qidesk.domain.enums import PdsaDecision
from qidesk.domain.periods import MONTH_ABBR
from qidesk.reports import palette
from qidesk.reports.pdsa_timeline_bars import (
    BAR,
    FONT_PX,
    ITEM_ROLE,
    ITEM_TARGET,
    LABEL_WIDTH,
    PLOT_LEFT,
    SYMBOL,
    CycleBar,
    bar_item,
    mark_item,
    symbol_item,
    timeline_font,
)
from qidesk.reports.pdsa_timeline_cycles import (
    DECISION_STYLES,
    TimelineRow,
    cycle_span,
    date_range,
)
from qidesk.reports.scene_export import export_scene, render_scene

__all__ = ["AXIS_HEIGHT", "ITEM_ROLE", "ITEM_TARGET", "TimelineRow", "TimelineScene",
           "cycle_span", "export_timeline", "render_timeline", "timeline_rows"]

AXIS_HEIGHT = 40.0
LANE = 28.0
ROW_PAD = 8.0
LANE_GAP = 10.0  # room kept between neighbours on a lane
ROW_SHADE = "#F4F6F7"
NAME_CHARS = 90  # a change idea's name is cut to about three lines beside its row


class TimelineScene(QGraphicsScene):
    """The drawn timeline; `x_of(date)` and the item dictionaries let views and tests
    find what is where."""

    def __init__(self, rows: list[TimelineRow], today: date, width: float = 1100.0):
        super().__init__()
        self.setBackgroundBrush(QBrush(QColor(palette.NHS_WHITE)))
        self.today = today
        self.drawn_width = max(width, PLOT_LEFT + 360)
        self.bars: dict[int, QGraphicsItem] = {}  # cycle id → its bar
        self.labels: dict[int, list[QGraphicsItem]] = {}  # cycle id → words (and symbol)
        self.row_labels: dict[int, QGraphicsItem] = {}  # change idea id → its name
        self.row_tops: list[float] = []
        self.undated: list[int] = []  # cycle ids with no dates, named in their row's label
        # What a click can open, in reading order: each idea's name, then its cycles by date.
        self.reading_order: list[tuple[tuple[str, int], QGraphicsItem]] = []
        spans = {c.id: cycle_span(c, today) for row in rows for c in row.cycles}
        self.first, self.last = date_range([s for s in spans.values() if s], today)
        days = max((self.last - self.first).days, 1)
        self.px_per_day = (self.drawn_width - PLOT_LEFT - 12) / days
        bottom = AXIS_HEIGHT
        for number, row in enumerate(rows):
            self.row_tops.append(bottom)
            bottom = self._add_row(row, spans, bottom, shaded=number % 2 == 0)
        self.rows_bottom = bottom
        self._add_axis(bottom)
        self._add_key(bottom + 16)

    def x_of(self, day: date) -> float:
        return PLOT_LEFT + (day - self.first).days * self.px_per_day

    def label_rect(self, cycle_id: int) -> QRectF:
        """Scene area of a cycle's words (and symbol)."""
        rect = QRectF()
        for item in self.labels.get(cycle_id, []):
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def _add_row(self, row: TimelineRow, spans: dict, top: float, shaded: bool) -> float:
        placed = []
        for cycle in sorted(row.cycles, key=lambda c: (spans[c.id].start if spans[c.id]
                                                         else date.max, c.cycle_number)):
            span = spans[cycle.id]
            if span is None:
                self.undated.append(cycle.id)
                continue
            placed.append(CycleBar(self, cycle, span, row.idea))
        lanes: list[float] = []
        for bar in placed:
            left, right = bar.extent()
            lane = next((i for i, end in enumerate(lanes) if end + LANE_GAP <= left), len(lanes))
            if lane == len(lanes):
                lanes.append(right)
            lanes[lane] = right
            bar.lane = lane
        name = self._row_label(row, [c for c in row.cycles if spans[c.id] is None])
        height = max(name.boundingRect().height() + 2 * ROW_PAD, len(lanes) * LANE + 2 * ROW_PAD,
                     LANE + 2 * ROW_PAD)
        if shaded:
            shade = self.addRect(QRectF(0, top, self.drawn_width, height),
                                 QPen(Qt.PenStyle.NoPen), QBrush(QColor(ROW_SHADE)))
            shade.setZValue(-3)
        name.setPos(0, top + ROW_PAD)
        self.reading_order.append((("change_idea", row.idea.id), name))
        for bar in placed:
            bar.draw(top + ROW_PAD + bar.lane * LANE + (LANE - BAR) / 2)
            self.reading_order.append((("pdsa_cycle", bar.cycle.id), self.bars[bar.cycle.id]))
        return top + height

    def _row_label(self, row: TimelineRow, undated: list[PdsaCycle]) -> QGraphicsTextItem:
        item = QGraphicsTextItem()
        item.document().setDocumentMargin(0)
        item.setFont(timeline_font(13))
        item.setTextWidth(LABEL_WIDTH - 8)
        count = len(row.cycles)
        notes = f"{count} cycle{'s' if count != 1 else ''}"
        if undated:
            numbers = ", ".join(str(c.cycle_number) for c in undated)
            notes += f"; not dated yet: cycle {numbers}"
        text = html.escape(_shortened(row.idea.text))
        item.setHtml(f"<div style='color:{palette.NHS_BLUE}'>{text}</div>"
                     f"<div style='color:{palette.NHS_DARK_GREY}; font-size:11px'>{notes}</div>")
        item.setToolTip(f"{row.idea.text}\nClick to open the change idea.")
        mark_item(item, "row_label", ("change_idea", row.idea.id))
        self.addItem(item)
        self.row_labels[row.idea.id] = item
        return item

    def _add_axis(self, bottom: float) -> None:
        from qidesk.reports.date_axis import epoch_seconds, month_ticks, tick_label

        kind, ticks = month_ticks(epoch_seconds(self.first), epoch_seconds(self.last),
                                  self.drawn_width - PLOT_LEFT)
        grid = QPen(QColor(palette.NHS_PALE_GREY), 1)
        words_end = 0.0
        for i, seconds in enumerate(ticks):
            day = date(1970, 1, 1) + timedelta(days=int(seconds // 86_400))
            x = self.x_of(day)
            words = QGraphicsSimpleTextItem(tick_label(seconds, kind, i == 0))
            words.setFont(timeline_font())
            if x + 3 + words.boundingRect().width() > self.drawn_width:
                break
            line = self.addLine(x, AXIS_HEIGHT - 6, x, bottom, grid)
            line.setZValue(-2)
            mark_item(line, "tick")
            if x + 3 < words_end + 10:  # "May 2025" leaves no room for "Jun": line only
                continue
            words_end = x + 3 + words.boundingRect().width()
            words.setBrush(QColor(palette.NHS_DARK_GREY))
            words.setPos(x + 3, AXIS_HEIGHT - 24)
            mark_item(words, "tick")
            self.addItem(words)
        x = self.x_of(self.today)
        today = self.addLine(x, AXIS_HEIGHT - 10, x, bottom,
                             QPen(QColor(palette.NHS_DARK_PINK), 2, Qt.PenStyle.DashLine))
        today.setZValue(3)
        mark_item(today, "today")
        words = QGraphicsSimpleTextItem(f"Today {self.today.day} "
                                        f"{MONTH_ABBR[self.today.month - 1]}")
        words.setFont(timeline_font(FONT_PX, True))
        words.setBrush(QColor(palette.NHS_DARK_PINK))
        # Sits on a white patch above the month names so the two never collide.
        words.setPos(min(x - words.boundingRect().width() / 2,
                         self.drawn_width - words.boundingRect().width()), 0)
        mark_item(words, "today")
        self.addItem(words)

    def _add_key(self, top: float) -> None:
        """What the bar styles and decision marks mean, in rows below the timeline."""
        x, y = 0.0, top
        entries = [("planned", "Planned dates"), ("done", "Actual dates"),
                   ("running", "Running to today")]
        entries += [(d, s.label) for d, s in DECISION_STYLES.items()]
        for what, words in entries:
            text = QGraphicsSimpleTextItem(words)
            text.setFont(timeline_font())
            text.setBrush(QColor(palette.NHS_DARK_GREY))
            needed = 34 + text.boundingRect().width() + 22
            if x + needed > self.drawn_width:
                x, y = 0.0, y + LANE
            if isinstance(what, PdsaDecision):
                style = DECISION_STYLES[what]
                mark = symbol_item(style.symbol, QRectF(x + 8, y + 3, SYMBOL, SYMBOL),
                                   style.text)
            else:
                mark = bar_item(QRectF(x, y + 2, 28, 13), planned=what == "planned",
                                running=what == "running", colour=palette.NHS_BLUE)
            mark_item(mark, "key")
            self.addItem(mark)
            text.setPos(x + 34, y)
            mark_item(text, "key")
            self.addItem(text)
            x += needed


def _shortened(text: str, limit: int = NAME_CHARS) -> str:
    """At most about three lines of a long change idea (the tooltip has it whole)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def timeline_rows(wb, project_id: int) -> list[TimelineRow]:
    """The project's change ideas in driver diagram order, each with its ramp of cycles."""
    from qidesk.services import drivers, pdsa

    return [TimelineRow(idea, tuple(pdsa.list_cycles(wb, idea.id)))
            for idea in drivers.change_ideas(wb, project_id)]


def export_timeline(scene: TimelineScene, path: str | Path) -> Path:
    """Save the timeline as .png (image), .svg or .pdf (vectors) by the file's suffix."""
    return export_scene(scene, path, title="PDSA timeline")


def render_timeline(scene: TimelineScene, painter: QPainter, target: QRectF,
                    source: QRectF | None = None) -> None:
    """Draw the timeline into `target` on any painter (a report page, an image), kept in
    proportion; `source` defaults to everything drawn plus a white margin."""
    render_scene(scene, painter, target, source)
