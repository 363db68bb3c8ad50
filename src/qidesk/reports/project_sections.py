"""The parts of a project report page, each painted into the rectangle it is given:
the title band, text boxes (aim, problem, team), the driver diagram, the PDSA log and
the findings. Whatever does not fit is shortened or left out and noted, never clipped.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter

from qidesk.domain.enums import DriverLevel, PdsaDecision
from qidesk.domain.periods import format_date
from qidesk.reports import palette
from qidesk.reports.driver_diagram import FONT_PX, diagram_scene
from qidesk.reports.driver_layout import PRINT
from qidesk.reports.page_layout import (
    SMALLEST_POINTS,
    boxed,
    draw_fitted,
    fit_text,
    font,
    section_title,
    text_height,
)
from qidesk.reports.report_file import LOGICAL_DPI

PAD = 6.0
# Below the scale that prints the diagram's words at the page's smallest text size, the
# page shows a summary instead (13-pixel words at 0.67 are 6.5 points).
MIN_DIAGRAM_SCALE = SMALLEST_POINTS / (FONT_PX * 72 / LOGICAL_DPI)


class Sheet:
    """A page being painted: the painter, the base text size, and notes on what was left
    out or shortened (printed at the foot of the page)."""

    def __init__(self, painter: QPainter, points: float):
        self.painter = painter
        self.points = points
        self.notes: list[str] = []
        self.shortened = False

    def text(self, text: str, x: float, y: float, width: float, max_height: float, *,
             scale: float = 1.0, bold: bool = False, colour: str = palette.NHS_DARK_GREY,
             shrink_to: float = 0.85) -> float:
        """Fit and draw text; returns the y below it."""
        points = self.points * scale
        fitted = fit_text(text, width, max_height, points, min_points=points * shrink_to, bold=bold)
        self.shortened |= fitted.shortened
        return draw_fitted(self.painter, x, y, width, fitted, colour)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def paint_title_band(sheet: Sheet, rect: QRectF, data, *, band: bool) -> float:
    """Title, team and people, dates and the progress score; returns the y below."""
    project, painter = data.project, sheet.painter
    score_width = (210.0 if band else 150.0) if data.score else 0.0
    if band:
        painter.fillRect(rect, QColor(palette.NHS_BLUE))
    colour = palette.NHS_WHITE if band else palette.NHS_DARK_BLUE
    detail_colour = palette.NHS_WHITE if band else palette.NHS_DARK_GREY
    side = 36.0 if band else 0.0  # the band spans the page: keep its text in the margins
    inner = rect.adjusted(side, PAD * (3 if band else 1), -side, -PAD)
    width = inner.width() - score_width - PAD
    y = sheet.text(project.title, inner.left(), inner.top(), width, inner.height() * 0.5,
                   scale=2.1, bold=True, colour=colour, shrink_to=0.7)
    people = [f"Lead: {project.lead}" if project.lead else "",
              f"Sponsor: {project.sponsor}" if project.sponsor else "",
              f"Status: {project.status.value.capitalize()}",
              f"Started {format_date(project.start_date)}" if project.start_date else ""]
    line = " · ".join([data.team_name, *(p for p in people if p)])
    y = sheet.text(line, inner.left(), y + 2, width, inner.bottom() - y - 2, scale=1.05,
                   colour=detail_colour)
    if data.score:
        _paint_score(sheet, QRectF(inner.right() - score_width, inner.top(), score_width,
                                   min(inner.height(), 64)), data.score, band)
    return rect.bottom() if band else max(y, rect.top() + 64)


def _paint_score(sheet: Sheet, rect: QRectF, score, band: bool) -> None:
    painter = sheet.painter
    boxed(painter, rect, palette.NHS_WHITE if band else palette.NHS_PALE_GREY)
    painter.save()
    painter.setFont(font(sheet.points * 2.4, bold=True))
    painter.setPen(QColor(palette.NHS_DARK_BLUE))
    number = QRectF(rect.left() + PAD, rect.top(), sheet.points * 6.5, rect.height())
    painter.drawText(number, Qt.AlignmentFlag.AlignCenter, f"{score.score:.1f}")
    painter.restore()
    text = f"IHI progress score, {format_date(score.scored_on)}"
    if score.note:
        text += f": {score.note}"
    sheet.text(text, number.right() + 4, rect.top() + PAD, rect.right() - number.right() - PAD - 4,
               rect.height() - 2 * PAD, scale=0.85)


def paint_text_box(sheet: Sheet, rect: QRectF, title: str, text: str, *,
                   scale: float = 1.0) -> float:
    """A shaded box with a heading; returns the height used (at most rect's)."""
    text = text.strip() or "Not written yet."
    heading = font(sheet.points * 0.95, bold=True)
    inner_width = rect.width() - 2 * PAD
    heading_height = text_height(title, inner_width, heading)
    body = fit_text(text, inner_width, rect.height() - heading_height - 3 * PAD,
                    sheet.points * scale, min_points=sheet.points * scale * 0.85)
    sheet.shortened |= body.shortened
    height = min(rect.height(), heading_height + body.height + 3 * PAD)
    boxed(sheet.painter, QRectF(rect.left(), rect.top(), rect.width(), height))
    painter = sheet.painter
    painter.save()
    painter.setFont(heading)
    painter.setPen(QColor(palette.NHS_DARK_BLUE))
    painter.drawText(QRectF(rect.left() + PAD, rect.top() + PAD, inner_width, heading_height),
                     Qt.AlignmentFlag.AlignLeft, title)
    painter.restore()
    draw_fitted(painter, rect.left() + PAD, rect.top() + PAD + heading_height + PAD / 2,
                inner_width, body)
    return height


def team_text(data) -> str:
    if not data.members:
        return "No team members recorded yet."
    return ", ".join(f"{m.name} ({m.role})" if m.role else m.name for m in data.members)


def paint_driver_diagram(sheet: Sheet, rect: QRectF, data) -> float:
    """The driver diagram drawn by reports.driver_diagram, scaled to fit (as vectors) and
    centred; a summary with a note when it would be too small to read. Returns the y
    below what was drawn, so the page can give the rest of `rect` to what follows."""
    y = section_title(sheet.painter, "Driver diagram", rect.left(), rect.top(), rect.width())
    area = QRectF(rect.left(), y, rect.width(), rect.bottom() - y)
    if not any(n.parent_id is not None for n in data.nodes):
        return sheet.text("No driver diagram drawn yet.", area.left(), area.top(),
                          area.width(), 40) + 4
    scale, source, scene = diagram_fit(data, area.width(), area.height())
    if scale < MIN_DIAGRAM_SCALE:
        sheet.note(f"Driver diagram ({len(data.nodes)} boxes) summarised: too big to read "
                   "here; export it from its screen.")
        return _paint_summary(sheet, area, data.nodes)
    width, height = source.width() * scale, source.height() * scale
    target = QRectF(area.left() + (area.width() - width) / 2, area.top(), width, height)
    sheet.painter.save()
    scene.render(sheet.painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    sheet.painter.restore()
    return target.bottom()


def diagram_fit(data, width: float, height: float):
    """(scale, drawn area, scene) of the project's diagram in a `width` x `height` box:
    never larger than the screen draws it."""
    scene = diagram_scene(data.aim_text, data.nodes, PRINT)
    source = scene.itemsBoundingRect()
    return _scale(source, width, height), source, scene


def _scale(source: QRectF, width: float, height: float) -> float:
    return max(0.0, min(width / source.width(), height / source.height(), 1.0))


def diagram_share(data, width: float, room: float, shares: tuple[float, ...]) -> float:
    """The first of `shares` of `room` (on a column `width` wide) in which the diagram is
    drawn readably, else the first: one a little too tall for its usual share takes a
    little more of the page rather than being summarised."""
    if not any(n.parent_id is not None for n in data.nodes):
        return shares[0]
    source = diagram_scene(data.aim_text, data.nodes, PRINT).itemsBoundingRect()
    title = QFontMetricsF(font(11, bold=True)).height() + 6  # as section_title draws it
    return next((share for share in shares
                 if _scale(source, width, room * share - title) >= MIN_DIAGRAM_SCALE), shares[0])


def diagram_height(data, width: float, height: float) -> float:
    """Page height the diagram needs at `width`, at most `height` (0 without one)."""
    if not any(n.parent_id is not None for n in data.nodes):
        return 0.0
    scale, source, _scene = diagram_fit(data, width, height)
    return source.height() * scale if scale >= MIN_DIAGRAM_SCALE else height


def _paint_summary(sheet: Sheet, area: QRectF, nodes) -> float:
    """Each primary driver with how many change ideas it has, and where they stand, in
    two columns as tall as their words; returns the y below."""
    children: dict = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    primaries = [n for n in nodes if n.level == DriverLevel.PRIMARY]
    ideas = [n for n in nodes if n.level == DriverLevel.CHANGE_IDEA]
    y = sheet.text(f"{len(primaries)} primary drivers, "
                   f"{sum(n.level == DriverLevel.SECONDARY for n in nodes)} secondary drivers, "
                   f"{len(ideas)} change ideas ({_status_counts(ideas)}).", area.left(),
                   area.top(), area.width(), 30, bold=True) + 4
    columns = 2
    width = (area.width() - PAD) / columns
    bottom = y
    for k, primary in enumerate(sorted(primaries, key=lambda n: n.position)):
        if k % columns == 0:
            y = bottom
        ideas_below = [n for n in _descendants(primary, children)
                       if n.level == DriverLevel.CHANGE_IDEA]
        lines = [f"{primary.text}: {_status_counts(ideas_below)}"]
        for secondary in sorted(children.get(primary.id, []), key=lambda n: n.position):
            count = sum(n.level == DriverLevel.CHANGE_IDEA
                        for n in _descendants(secondary, children))
            lines.append(f"• {secondary.text} ({count} change idea{'s' if count != 1 else ''})")
        used = sheet.text("\n".join(lines), area.left() + (k % columns) * (width + PAD), y,
                          width, max(area.bottom() - y, 12), scale=0.9)
        bottom = max(bottom, used + 6)
    return bottom


def _descendants(node, children) -> list:
    found = []
    for child in children.get(node.id, []):
        found += [child, *_descendants(child, children)]
    return found


def _status_counts(ideas) -> str:
    counts: dict[str, int] = {}
    for idea in ideas:
        status = idea.status.value if idea.status else "untested"
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in counts.items()) or "no change ideas"


def cycle_line(logged) -> tuple[str, str, str, str]:
    """(cycle, dates, decision, learning) of one PDSA cycle, as the log shows it."""
    c = logged.cycle
    title = f"{logged.change_idea} — PDSA {c.cycle_number}" + (f": {c.title}" if c.title else "")
    start, end = c.started_on or c.planned_start, c.finished_on or c.planned_end
    dates = " – ".join(format_date(d) for d in (start, end) if d) or "Not dated"
    decision = c.decision.value.capitalize() if c.decision else c.status.value.capitalize()
    learning = c.learning or c.study_results or c.next_step or ""
    return title, dates, decision, learning


PDSA_COLUMNS = (("PDSA cycle", 0.37), ("Dates", 0.16), ("Act", 0.12), ("Learning", 0.35))


def paint_pdsa_log(sheet: Sheet, rect: QRectF, cycles) -> None:
    """The cycles as a table, newest kept when they do not all fit (the rest noted)."""
    painter = sheet.painter
    y = section_title(painter, "PDSA log", rect.left(), rect.top(), rect.width())
    if not cycles:
        sheet.text("No PDSA cycles recorded yet.", rect.left(), y, rect.width(), 30)
        return
    head = font(sheet.points * 0.85, bold=True)
    rows = [cycle_line(c) for c in cycles]
    widths, heights = _log_rows(sheet, rect.width(), rows)
    header_height = text_height("PDSA", 100, head) + 2
    room = rect.bottom() - y - header_height
    first = len(rows)
    while first > 0 and sum(heights[first - 1:]) <= room:
        first -= 1
    if first:
        sheet.note(f"{first} earlier PDSA cycle{'s' if first != 1 else ''} not shown.")
    x = rect.left()
    painter.save()
    painter.setFont(head)
    painter.setPen(QColor(palette.NHS_DARK_BLUE))
    for (label, _), width in zip(PDSA_COLUMNS, widths):
        painter.drawText(QRectF(x, y, width, header_height), Qt.AlignmentFlag.AlignLeft, label)
        x += width
    painter.restore()
    y += header_height
    for k, row in enumerate(rows[first:]):
        height = heights[first + k]
        if k % 2 == 0:
            painter.fillRect(QRectF(rect.left(), y, rect.width(), height),
                             QColor(palette.NHS_PALE_GREY))
        x = rect.left()
        for text, width in zip(row, widths):
            sheet.text(text, x + 2, y + 1.5, width - 4, height, scale=0.85, shrink_to=0.8)
            x += width
        y += height


def _log_rows(sheet: Sheet, width: float, rows) -> tuple[list[float], list[float]]:
    """(column widths, row heights) of the PDSA log at `width`."""
    widths = [width * share for _, share in PDSA_COLUMNS]
    row_font = font(sheet.points * 0.85)
    return widths, [max(text_height(t, w - 4, row_font) for t, w in zip(row, widths)) + 3
                    for row in rows]


def pdsa_log_height(sheet: Sheet, width: float, cycles) -> float:
    """Height the whole log needs at `width`, heading included."""
    heading = font(11, bold=True)
    height = text_height("PDSA log", width, heading) + 6
    if not cycles:
        return height + 30
    head = font(sheet.points * 0.85, bold=True)
    _, heights = _log_rows(sheet, width, [cycle_line(c) for c in cycles])
    return height + text_height("PDSA", 100, head) + 2 + sum(heights)


def text_box_height(sheet: Sheet, width: float, title: str, text: str, *,
                    scale: float = 1.0) -> float:
    """Height paint_text_box needs to show `text` whole at `width`."""
    heading = font(sheet.points * 0.95, bold=True)
    body = font(sheet.points * scale)
    inner = width - 2 * PAD
    return (text_height(title, inner, heading)
            + text_height(text.strip() or "Not written yet.", inner, body) + 3 * PAD)


def findings_text(data) -> str:
    """The project's latest sign-off and what the adopted or abandoned cycles taught."""
    parts = []
    if data.sign_offs:
        review = data.sign_offs[0]
        when = format_date(review.reviewed_at.date()) if review.reviewed_at else ""
        parts.append(f"{review.comment} ({review.reviewer}{', ' + when if when else ''})")
    # Adopt and abandon close a ramp: their learning is what the project found out.
    decided = [c for c in data.cycles if c.cycle.learning
               and c.cycle.decision in (PdsaDecision.ADOPT, PdsaDecision.ABANDON)]
    for logged in decided[::-1]:
        decision = logged.cycle.decision.value.capitalize()
        parts.append(f"{decision}ed — {logged.change_idea}: {logged.cycle.learning}")
    return "\n".join(parts) or "No findings or learning written yet."
