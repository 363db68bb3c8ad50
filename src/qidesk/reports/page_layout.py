"""Text on report pages that is never clipped silently: measured, wrapped, shrunk to fit
down to a readable size, and only then shortened with an ellipsis (and reported, so the
page can say that something was left out).

Sizes are in points on a page laid out at 96 logical pixels per inch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from qidesk.reports import palette
from qidesk.reports.report_file import LOGICAL_DPI

WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
# A word wider than its box breaks inside the word rather than running out of the box.
WRAP_ANYWHERE = WRAP | Qt.TextFlag.TextWrapAnywhere
ELLIPSIS = "…"
# A sentence ends at . ! or ? before a space and a capital or digit ("1 Nov 2025." stays whole).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# Below this a printed page is hard to read at arm's length: shorten instead of shrinking.
SMALLEST_POINTS = 6.5


def font(points: float, *, bold: bool = False, italic: bool = False) -> QFont:
    """A font of `points` on a 96-per-inch page (pixel-sized: the same on screen and paper)."""
    f = QFont()
    f.setPixelSize(max(1, round(points * LOGICAL_DPI / 72)))
    f.setBold(bold)
    f.setItalic(italic)
    return f


def text_height(text: str, width: float, f: QFont, flags=WRAP) -> float:
    return _text_size(text, width, f, flags)[1]


def _text_size(text: str, width: float, f: QFont, flags=WRAP) -> tuple[float, float]:
    if not text:
        return 0.0, 0.0
    rect = QFontMetricsF(f).boundingRect(QRectF(0, 0, width, 1e6), flags, text)
    return rect.width(), rect.height()


@dataclass(frozen=True)
class FittedText:
    """Text ready to draw: the font it fits at, its height, and whether it was shortened."""

    text: str
    font: QFont
    height: float
    shortened: bool
    flags: object = WRAP


def fit_text(text: str, width: float, max_height: float, points: float, *,
             min_points: float | None = None, bold: bool = False) -> FittedText:
    """The largest size from `points` down to `min_points` at which `text` fits the box;
    if even the smallest does not fit, the words that fit with an ellipsis."""
    text = text.strip()
    smallest = max(SMALLEST_POINTS, min_points if min_points is not None else points)
    size = points
    while True:
        f = font(size, bold=bold)
        used_width, height = _text_size(text, width, f)
        fits = height <= max_height and used_width <= width + 0.5
        if fits or size <= smallest:
            break
        size = max(smallest, size - 0.5)
    if fits:
        return FittedText(text, f, height, False)
    flags = WRAP if used_width <= width + 0.5 else WRAP_ANYWHERE
    height = text_height(text, width, f, flags)
    if height <= max_height:
        return FittedText(text, f, height, False, flags)
    return _shortened(text, width, max_height, f, flags)


def fit_sentences(text: str, width: float, max_height: float, points: float, *,
                  min_points: float | None = None, bold: bool = False) -> FittedText:
    """Like fit_text, but what does not fit is left out a sentence at a time, so the
    reader gets complete statements: all of it, else the first sentences that fit, else
    the first sentence up to one of its colons ("Shift: 15 points in a row above the
    centre line (8 Jun – 14 Sep 2026)."); cut with an ellipsis only if none of them fits."""
    text = text.strip()
    whole = fit_text(text, width, max_height, points, min_points=min_points, bold=bold)
    if not whole.shortened:
        return whole
    sentences = SENTENCE_END.split(text)
    candidates = [" ".join(sentences[:k]) for k in range(len(sentences) - 1, 0, -1)]
    first = sentences[0]
    colons = [m.start() for m in re.finditer(r":\s", first)]
    # The longest lead-in first; a bare "Phase 2" says nothing on its own.
    candidates += [first[:c].rstrip(",;") + "." for c in reversed(colons)
                   if len(first[:c].split()) > 3]
    for candidate in candidates:
        fitted = fit_text(candidate, width, max_height, points, min_points=min_points,
                          bold=bold)
        if not fitted.shortened:
            return fitted
    return whole


def _shortened(text: str, width: float, max_height: float, f: QFont, flags) -> FittedText:
    # Words with the space or line break after each, so paragraphs stay paragraphs.
    words = re.findall(r"\S+\s*", text)

    def cut(count: int) -> str:
        return "".join(words[:count]).rstrip() + ELLIPSIS

    low, high = 0, len(words) - 1  # the most words (with an ellipsis) that fit
    while low < high:
        middle = (low + high + 1) // 2
        if text_height(cut(middle), width, f, flags) <= max_height:
            low = middle
        else:
            high = middle - 1
    short = cut(low) if low else ""
    return FittedText(short, f, text_height(short, width, f, flags), True, flags)


def draw_fitted(painter: QPainter, x: float, y: float, width: float, fitted: FittedText,
                colour: str = palette.NHS_DARK_GREY) -> float:
    """Draw fitted text with its top-left at (x, y); returns the y just below it."""
    if fitted.text:
        painter.save()
        painter.setFont(fitted.font)
        painter.setPen(QColor(colour))
        painter.drawText(QRectF(x, y, width, fitted.height + 2), fitted.flags, fitted.text)
        painter.restore()
    return y + fitted.height


def draw_text(painter: QPainter, text: str, box: QRectF, points: float, *,
              min_points: float | None = None, bold: bool = False,
              colour: str = palette.NHS_DARK_GREY) -> FittedText:
    """Fit `text` into `box` and draw it at the box's top-left."""
    fitted = fit_text(text, box.width(), box.height(), points, min_points=min_points, bold=bold)
    draw_fitted(painter, box.left(), box.top(), box.width(), fitted, colour)
    return fitted


def section_title(painter: QPainter, title: str, x: float, y: float, width: float) -> float:
    """A section heading with a rule under it, as NHS reports set them; returns y below."""
    f = font(11, bold=True)
    height = QFontMetricsF(f).height()
    painter.save()
    painter.setFont(f)
    painter.setPen(QColor(palette.NHS_DARK_BLUE))
    painter.drawText(QRectF(x, y, width, height), Qt.AlignmentFlag.AlignLeft, title)
    painter.setPen(QPen(QColor(palette.NHS_BLUE), 1.2))
    painter.drawLine(x, y + height + 1.5, x + width, y + height + 1.5)
    painter.restore()
    return y + height + 6


def boxed(painter: QPainter, rect: QRectF, fill: str = palette.NHS_PALE_GREY) -> None:
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(fill))
    painter.drawRoundedRect(rect, 4, 4)
    painter.restore()
