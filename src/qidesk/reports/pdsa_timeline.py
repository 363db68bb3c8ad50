"""The PDSA timeline: one row per change idea, each cycle a bar from its start to its end,
drawn as a QGraphicsScene from plain data. Shared by the timeline page and reports.

Bars use the actual dates when there are any (solid), the planned ones otherwise (dashed
outline); a cycle under way runs to today with a pointed end. Cycles and labels that
would collide go on lanes of their own within the row, so nothing is ever drawn over
anything else. Every clickable item carries (kind, id) of the record it opens in
data(ITEM_TARGET): ("pdsa_cycle", id) or ("change_idea", id).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
)

from qidesk.domain.entities import DriverNode, PdsaCycle
from qidesk.domain.enums import PdsaDecision, PdsaStatus
from qidesk.domain.periods import MONTH_ABBR, format_date
from qidesk.reports import palette
from qidesk.reports.driver_diagram import status_path
from qidesk.reports.scene_export import export_scene, render_scene

ITEM_TARGET = 0  # (kind, id) of the record a click opens
ITEM_ROLE = 1  # "bar", "tail", "label", "row_label", "tick", "today", "key"
LABEL_WIDTH = 230.0  # the change ideas' column
PLOT_LEFT = LABEL_WIDTH + 20
AXIS_HEIGHT = 40.0
LANE = 28.0
BAR = 18.0
ROW_PAD = 8.0
LABEL_GAP = 5.0
LANE_GAP = 10.0  # room kept between neighbours on a lane
MIN_BAR = 6.0
SYMBOL = 11.0
FONT_PX = 12
PLANNED_FILL = "#DCE9F5"
ROW_SHADE = "#F4F6F7"
NAME_CHARS = 90  # a change idea's name is cut to about three lines beside its row


@dataclass(frozen=True)
class DecisionStyle:
    """An Act decision: colour, symbol and word (never colour alone)."""

    colour: str
    text: str  # words on white (the yellow fails contrast)
    on_bar: str  # words drawn on a bar of this colour
    symbol: str  # "tick", "adapt" or "cross"
    label: str


DECISION_STYLES = {
    PdsaDecision.ADOPT: DecisionStyle(palette.NHS_GREEN, palette.NHS_GREEN, palette.NHS_WHITE,
                                      "tick", "Adopt"),
    PdsaDecision.ADAPT: DecisionStyle(palette.NHS_WARM_YELLOW, palette.TRIAL_TEXT,
                                      "#231F20", "adapt", "Adapt"),
    PdsaDecision.ABANDON: DecisionStyle(palette.NHS_RED, palette.NHS_RED, palette.NHS_WHITE,
                                        "cross", "Abandon"),
}


@dataclass(frozen=True)
class TimelineRow:
    """One change idea and its cycles (in cycle order)."""

    idea: DriverNode
    cycles: tuple[PdsaCycle, ...]


@dataclass(frozen=True)
class Span:
    """Where a cycle's bar runs: planned dates only, actual ones, or still under way."""

    start: date
    end: date
    planned: bool  # no actual start yet: the planned dates are drawn
    running: bool  # started, not finished: runs to today
    planned_end: date | None = None  # a running cycle's planned end, drawn as a dashed tail


def cycle_span(cycle: PdsaCycle, today: date) -> Span | None:
    """The dates a cycle's bar covers, or None when it has no dates at all."""
    if cycle.started_on is not None:
        if cycle.finished_on is not None:
            return Span(cycle.started_on, cycle.finished_on, False, False)
        if cycle.status == PdsaStatus.DONE:  # done, but the finish was never dated
            ends = [cycle.decided_on, cycle.studied_on,
                    cycle.planned_end]
            end = next((d for d in ends if d is not None and d >= cycle.started_on),
                       cycle.started_on)
            return Span(cycle.started_on, end, False, False)
        tail = cycle.planned_end if cycle.planned_end and cycle.planned_end > today else None
        return Span(cycle.started_on, max(today, cycle.started_on), False, True, tail)
    start = cycle.planned_start or cycle.planned_end
    if start is None:
        return None
    return Span(start, cycle.planned_end or start, True, False)


def cycle_words(cycle: PdsaCycle, span: Span | None) -> str:
    """The words beside a bar: "Cycle 2 · Adapt", "Cycle 3 · running", "Cycle 4 · planned"."""
    if cycle.decision is not None:
        return f"Cycle {cycle.cycle_number} · {DECISION_STYLES[cycle.decision].label}"
    if span is not None and span.running:
        return f"Cycle {cycle.cycle_number} · running"
    if span is not None and span.planned:
        return f"Cycle {cycle.cycle_number} · planned"
    return f"Cycle {cycle.cycle_number}"


def decision_path(symbol: str, box: QRectF) -> QPainterPath:
    """A tick, a cross, or a turning arrow (adapt: go round again) drawn in `box`."""
    if symbol != "adapt":
        return status_path(symbol, box)[0]
    # Most of a ring run round to its right-hand side, where an arrowhead points on up.
    ring = box.adjusted(1.5, 2.5, -2.5, -0.5)
    path = QPainterPath()
    path.arcMoveTo(ring, 80)
    path.arcTo(ring, 80, 280)
    tip = QPointF(ring.right(), ring.center().y() - 3.0)
    path.moveTo(tip)
    path.lineTo(ring.right() + 2.2, ring.center().y())
    path.lineTo(ring.right() - 2.2, ring.center().y())
    path.closeSubpath()
    return path


def _font(px: int = FONT_PX, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _mark(item: QGraphicsItem, role: str, target: tuple[str, int] | None = None) -> None:
    item.setData(ITEM_ROLE, role)
    if target is not None:
        item.setData(ITEM_TARGET, target)
        item.setCursor(Qt.CursorShape.PointingHandCursor)


def _tip(cycle: PdsaCycle, idea: DriverNode) -> str:
    lines = [f"{idea.text}: cycle {cycle.cycle_number}" + (f" — {cycle.title}" if cycle.title
                                                            else "")]
    if cycle.planned_start or cycle.planned_end:
        lines.append(f"Planned: {_day(cycle.planned_start)} to {_day(cycle.planned_end)}")
    if cycle.started_on:
        lines.append(f"Started {_day(cycle.started_on)}"
                     + (f", finished {_day(cycle.finished_on)}" if cycle.finished_on else ""))
    lines.append(f"Status: {cycle.status.value}"
                 + (f"; decision: {cycle.decision.value}" if cycle.decision else ""))
    return "\n".join(lines) + "\nClick to open the cycle."


def _day(d: date | None) -> str:
    return format_date(d) if d else "not set"


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
        self.first, self.last = _date_range([s for s in spans.values() if s], today)
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
            placed.append(_Bar(self, cycle, span, row.idea))
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
        item.setFont(_font(13))
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
        _mark(item, "row_label", ("change_idea", row.idea.id))
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
            words.setFont(_font())
            if x + 3 + words.boundingRect().width() > self.drawn_width:
                break
            line = self.addLine(x, AXIS_HEIGHT - 6, x, bottom, grid)
            line.setZValue(-2)
            _mark(line, "tick")
            if x + 3 < words_end + 10:  # "May 2025" leaves no room for "Jun": line only
                continue
            words_end = x + 3 + words.boundingRect().width()
            words.setBrush(QColor(palette.NHS_DARK_GREY))
            words.setPos(x + 3, AXIS_HEIGHT - 24)
            _mark(words, "tick")
            self.addItem(words)
        x = self.x_of(self.today)
        today = self.addLine(x, AXIS_HEIGHT - 10, x, bottom,
                             QPen(QColor(palette.NHS_DARK_PINK), 2, Qt.PenStyle.DashLine))
        today.setZValue(3)
        _mark(today, "today")
        words = QGraphicsSimpleTextItem(f"Today {self.today.day} "
                                        f"{MONTH_ABBR[self.today.month - 1]}")
        words.setFont(_font(FONT_PX, True))
        words.setBrush(QColor(palette.NHS_DARK_PINK))
        # Sits on a white patch above the month names so the two never collide.
        words.setPos(min(x - words.boundingRect().width() / 2,
                         self.drawn_width - words.boundingRect().width()), 0)
        _mark(words, "today")
        self.addItem(words)

    def _add_key(self, top: float) -> None:
        """What the bar styles and decision marks mean, in rows below the timeline."""
        x, y = 0.0, top
        entries = [("planned", "Planned dates"), ("done", "Actual dates"),
                   ("running", "Running to today")]
        entries += [(d, s.label) for d, s in DECISION_STYLES.items()]
        for what, words in entries:
            text = QGraphicsSimpleTextItem(words)
            text.setFont(_font())
            text.setBrush(QColor(palette.NHS_DARK_GREY))
            needed = 34 + text.boundingRect().width() + 22
            if x + needed > self.drawn_width:
                x, y = 0.0, y + LANE
            if isinstance(what, PdsaDecision):
                style = DECISION_STYLES[what]
                mark = _symbol_item(style.symbol, QRectF(x + 8, y + 3, SYMBOL, SYMBOL),
                                    style.text)
            else:
                mark = _bar_item(QRectF(x, y + 2, 28, 13), planned=what == "planned",
                                 running=what == "running", colour=palette.NHS_BLUE)
            _mark(mark, "key")
            self.addItem(mark)
            text.setPos(x + 34, y)
            _mark(text, "key")
            self.addItem(text)
            x += needed


def _shortened(text: str, limit: int = NAME_CHARS) -> str:
    """At most about three lines of a long change idea (the tooltip has it whole)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _date_range(spans: list[Span], today: date) -> tuple[date, date]:
    if not spans:
        return today - timedelta(days=90), today + timedelta(days=30)
    first = min(s.start for s in spans)
    last = max([today] + [s.planned_end or s.end for s in spans])
    first = min(first, today)
    pad = max(7, (last - first).days // 25)
    return first - timedelta(days=pad), last + timedelta(days=pad * 3)


def _bar_item(rect: QRectF, *, planned: bool, running: bool, colour: str) -> QGraphicsPathItem:
    path = QPainterPath()
    if running and rect.width() > 10:  # a pointed end: still going
        point = min(8.0, rect.width() / 3)
        path.moveTo(rect.topLeft())
        path.lineTo(rect.right() - point, rect.top())
        path.lineTo(rect.right(), rect.center().y())
        path.lineTo(rect.right() - point, rect.bottom())
        path.lineTo(rect.bottomLeft())
        path.closeSubpath()
    else:
        path.addRect(rect)
    item = QGraphicsPathItem(path)
    if planned:
        item.setPen(QPen(QColor(palette.NHS_BLUE), 1.5, Qt.PenStyle.DashLine))
        item.setBrush(QBrush(QColor(PLANNED_FILL)))
    else:
        item.setPen(QPen(QColor(colour).darker(120), 1))
        item.setBrush(QBrush(QColor(colour)))
    return item


def _symbol_item(symbol: str, box: QRectF, colour: str) -> QGraphicsPathItem:
    item = QGraphicsPathItem(decision_path(symbol, box))
    item.setPen(QPen(QColor(colour), 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                     Qt.PenJoinStyle.RoundJoin))
    return item


class _Bar:
    """One cycle's bar and words, measured first so the row can give it a lane."""

    def __init__(self, scene: TimelineScene, cycle: PdsaCycle, span: Span, idea: DriverNode):
        self.scene, self.cycle, self.span, self.idea = scene, cycle, span, idea
        self.lane = 0
        self.style = DECISION_STYLES.get(cycle.decision) if cycle.decision else None
        self.left = scene.x_of(span.start)
        self.right = max(scene.x_of(span.end) + scene.px_per_day, self.left + MIN_BAR)
        self.tail_right = scene.x_of(span.planned_end) if span.planned_end else None
        self.words = QGraphicsSimpleTextItem(cycle_words(cycle, span))
        self.words.setFont(_font(FONT_PX, cycle.decision is not None))
        self.label_width = self.words.boundingRect().width() + (SYMBOL + 4 if self.style else 0)
        self.inside = self.right - self.left >= self.label_width + 12
        outside_left = max(self.right, self.tail_right or 0) + LABEL_GAP
        # Words go after the bar, or before it when they would run off the right edge.
        if self.inside:
            self.label_left = self.left + 6
        elif outside_left + self.label_width <= scene.drawn_width or \
                self.left - LABEL_GAP - self.label_width < PLOT_LEFT:
            self.label_left = outside_left
        else:
            self.label_left = self.left - LABEL_GAP - self.label_width

    def extent(self) -> tuple[float, float]:
        ends = [self.right, self.tail_right or 0, self.label_left + self.label_width]
        return min(self.left, self.label_left), max(ends)

    def draw(self, y: float) -> None:
        scene, cycle, span = self.scene, self.cycle, self.span
        target = ("pdsa_cycle", cycle.id)
        colour = self.style.colour if self.style else palette.NHS_BLUE
        bar = _bar_item(QRectF(self.left, y, self.right - self.left, BAR), planned=span.planned,
                        running=span.running, colour=colour)
        bar.setToolTip(_tip(cycle, self.idea))
        _mark(bar, "bar", target)
        scene.addItem(bar)
        scene.bars[cycle.id] = bar
        if self.tail_right is not None:
            tail = scene.addLine(self.right, y + BAR / 2, self.tail_right, y + BAR / 2,
                                 QPen(QColor(palette.NHS_BLUE), 1.5, Qt.PenStyle.DashLine))
            tail.setToolTip(f"Planned to end {_day(span.planned_end)}")
            _mark(tail, "tail", target)
        if self.inside:
            ink = self.style.on_bar if self.style else (
                palette.NHS_DARK_BLUE if span.planned else palette.NHS_WHITE)
        else:
            ink = self.style.text if self.style else palette.NHS_DARK_GREY
        x = self.label_left
        items: list[QGraphicsItem] = []
        if self.style:
            symbol = _symbol_item(self.style.symbol, QRectF(x, y + (BAR - SYMBOL) / 2, SYMBOL,
                                                             SYMBOL), ink)
            scene.addItem(symbol)
            items.append(symbol)
            x += SYMBOL + 4
        self.words.setBrush(QColor(ink))
        self.words.setPos(x, y + (BAR - self.words.boundingRect().height()) / 2)
        scene.addItem(self.words)
        items.append(self.words)
        for item in items:
            item.setZValue(2)
            item.setToolTip(_tip(cycle, self.idea))
            _mark(item, "label", target)
        scene.labels[cycle.id] = items


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
