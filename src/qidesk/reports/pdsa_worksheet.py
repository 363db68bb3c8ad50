"""A PDSA cycle as a one-page A4 worksheet (the IHI worksheet's fields), painted onto any
QPagedPaintDevice: a QPdfWriter for a PDF, a QPrinter for paper.

Long answers are wrapped; when the worksheet would overflow the page the words get
smaller (down to 7.5 pt), and only beyond that it continues on a second page with a
running head, so nothing is ever cut off.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPagedPaintDevice,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from qidesk.domain.entities import DriverNode, Measure, PdsaCycle
from qidesk.domain.enums import ImprovementDirection, PdsaDecision
from qidesk.domain.periods import format_date
from qidesk.reports import palette

LOGICAL_DPI = 96  # the worksheet is laid out in 1/96 inch units on any device
MARGIN_MM = 14
BAND = 26.0  # the running head and the footer, above and below the body
FONT_STEPS = (14, 13, 12, 11, 10)  # px at 96 dpi: 10.5 pt down to 7.5 pt
DECISION_WORDS = {PdsaDecision.ADOPT: "Adopt", PdsaDecision.ADAPT: "Adapt",
                  PdsaDecision.ABANDON: "Abandon"}
DECISION_COLOURS = {PdsaDecision.ADOPT: palette.NHS_GREEN, PdsaDecision.ADAPT: palette.TRIAL_TEXT,
                    PdsaDecision.ABANDON: palette.NHS_RED}
KIND_WORDS = {"outcome": "outcome", "process": "process", "balancing": "balancing"}


@dataclass(frozen=True)
class Worksheet:
    """Everything the worksheet prints, read from the workbook once."""

    project: str
    idea: str
    cycle: PdsaCycle
    linked: tuple[Measure, ...]
    prediction_measure: Measure | None
    printed_on: date


def worksheet_data(wb, cycle_id: int, printed_on: date | None = None) -> Worksheet:
    from qidesk.services import measures, pdsa, projects, records

    cycle = pdsa.get_cycle(wb, cycle_id)
    idea = records.get(wb, DriverNode, cycle.change_idea_id)
    linked = tuple(measures.get_measure(wb, m) for m in pdsa.linked_measures(wb, cycle_id))
    predicted = (measures.get_measure(wb, cycle.prediction_measure_id)
                 if cycle.prediction_measure_id is not None else None)
    return Worksheet(projects.get_project(wb, idea.project_id).title, idea.text, cycle, linked,
                     predicted, printed_on or date.today())


def numeric_prediction(sheet: Worksheet) -> str:
    """"Falls per 1,000 bed days will be below 5 by 30 Jun 2026", or "" when none."""
    cycle, measure = sheet.cycle, sheet.prediction_measure
    if measure is None or cycle.prediction_value is None:
        return ""
    direction = cycle.prediction_direction or {
        ImprovementDirection.DOWN: "below", ImprovementDirection.UP: "above"}.get(
        measure.improvement_direction, "at")
    value = f"{cycle.prediction_value:,.6g}" + (f" {measure.unit}" if measure.unit else "")
    when = f" by {format_date(cycle.prediction_by)}" if cycle.prediction_by else ""
    return f"{measure.name} will be {direction} {value}{when}"


def _text(value: str) -> str:
    """Free text as HTML: escaped, its line breaks kept, a grey dash when empty."""
    if not value.strip():
        return f"<span style='color:{palette.NHS_MID_GREY}'>Not written</span>"
    return html.escape(value.strip()).replace("\n", "<br>")


def _day(value: date | None) -> str:
    return format_date(value) if value else "—"


def _field(label: str, value: str, px: int) -> str:
    return (f"<p style='margin:0 0 {px // 2}px 0'><span style='color:{palette.NHS_DARK_GREY};"
            f" font-weight:bold; font-size:{px - 1}px'>{label}</span><br>{value}</p>")


def _stage(name: str, dated: str, px: int) -> str:
    return (f"<table width='100%' cellspacing='0' cellpadding='3' style='margin-top:{px // 2}px;"
            f" margin-bottom:{px // 3}px'><tr><td bgcolor='{palette.NHS_BLUE}'>"
            f"<span style='color:white; font-weight:bold; font-size:{round(px * 1.2)}px'>"
            f"{name}</span></td><td bgcolor='{palette.NHS_BLUE}' align='right'>"
            f"<span style='color:white'>{dated}</span></td></tr></table>")


def _decision(cycle: PdsaCycle) -> str:
    """The three choices as tick boxes, the one made marked, coloured and in bold."""
    boxes = []
    for decision, word in DECISION_WORDS.items():
        if decision == cycle.decision:
            boxes.append(f"<b style='color:{DECISION_COLOURS[decision]}'>☒ {word}</b>")
        else:
            boxes.append(f"<span style='color:{palette.NHS_MID_GREY}'>☐ {word}</span>")
    return " &nbsp; ".join(boxes) + ("" if cycle.decision else " &nbsp; (not decided yet)")


def worksheet_html(sheet: Worksheet, px: int) -> str:
    c = sheet.cycle
    plan_dates = f"Planned {_day(c.planned_start)} to {_day(c.planned_end)}"
    studied = c.studied_on
    decided = c.decided_on
    grid = "".join(
        f"<td width='25%' valign='top'>{_field(label, _text(value), px)}</td>"
        for label, value in (("Who", c.plan_who), ("What", c.plan_what), ("When", c.plan_when),
                             ("Where", c.plan_where)))
    numeric = numeric_prediction(sheet)
    linked = "<br>".join(f"{html.escape(m.name)} ({KIND_WORDS.get(m.kind.value, m.kind.value)})"
                         for m in sheet.linked) or _text("")
    title = html.escape(c.title.strip()) if c.title.strip() else html.escape(sheet.idea)
    facts = [("Change idea", html.escape(sheet.idea)), ("Scale of test", _text(c.scale)),
             ("Status", c.status.value.capitalize())]
    return "".join([
        f"<div style='font-size:{px}px; color:#231F20'>",
        f"<p style='margin:0; font-size:{round(px * 1.7)}px; font-weight:bold;"
        f" color:{palette.NHS_DARK_BLUE}'>Cycle {c.cycle_number}: {title}</p>",
        "<table width='100%' cellspacing='0' cellpadding='2' style='margin-top:4px'><tr>",
        "".join(f"<td valign='top' width='{w}%'>{_field(label, value, px)}</td>"
                for (label, value), w in zip(facts, (50, 30, 20), strict=True)),
        "</tr></table>",
        _stage("Plan", plan_dates, px),
        _field("Objective", _text(c.objective), px),
        _field("Questions", _text(c.questions), px),
        _field("Predictions", _text(c.predictions), px),
        _field("Numeric prediction", html.escape(numeric) if numeric else _text(""), px),
        f"<table width='100%' cellspacing='0' cellpadding='0' style='margin-bottom:"
        f"{px // 2}px'><tr>{grid}</tr></table>",
        _field("Data to collect", _text(c.data_plan), px),
        _stage("Do", f"Started {_day(c.started_on)}", px),
        _field("What happened", _text(c.do_notes), px),
        _field("Observations", _text(c.observations), px),
        _stage("Study", f"Studied {_day(studied)}", px),
        _field("Results against predictions", _text(c.study_results), px),
        _field("Learning", _text(c.learning), px),
        _stage("Act", f"Decided {_day(decided)} · finished {_day(c.finished_on)}", px),
        _field("Decision", _decision(c), px),
        _field("Next step", _text(c.next_step), px),
        _field("Linked measures", linked, px),
        "</div>",
    ])


def _document(sheet: Worksheet, px: int, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    font = QFont()
    font.setPixelSize(px)
    doc.setDefaultFont(font)
    doc.setHtml(worksheet_html(sheet, px))
    doc.setTextWidth(width)
    return doc


def fit_document(sheet: Worksheet, body: QSizeF) -> QTextDocument:
    """The largest words that fit on one page; the smallest, paged, when none does."""
    for px in FONT_STEPS:
        doc = _document(sheet, px, body.width())
        if doc.size().height() <= body.height():
            return doc
    doc.setPageSize(body)  # lines move whole onto the next page, never split or cut
    return doc


def paint_worksheet(painter: QPainter, device: QPagedPaintDevice, sheet: Worksheet) -> int:
    """Paint the worksheet onto `device` (pages added as needed); returns the page count."""
    dpi = device.logicalDpiX()
    area = device.pageLayout().paintRectPixels(dpi).size()
    scale = dpi / LOGICAL_DPI
    page = QSizeF(area.width() / scale, area.height() / scale)
    body = QSizeF(page.width(), page.height() - 2 * BAND)
    doc = fit_document(sheet, body)
    pages = max(1, doc.pageCount())
    painter.save()
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for number in range(pages):
        if number:
            device.newPage()
        _paint_bands(painter, page, sheet, number, pages)
        painter.save()
        painter.translate(0, BAND - number * body.height())
        doc.drawContents(painter, QRectF(0, number * body.height(), body.width(), body.height()))
        painter.restore()
    painter.restore()
    return pages


def _paint_bands(painter: QPainter, page: QSizeF, sheet: Worksheet, number: int,
                 pages: int) -> None:
    font = QFont()
    font.setPixelSize(11)
    painter.setFont(font)
    painter.setPen(QColor(palette.NHS_BLUE))
    head = "PDSA worksheet" + (f" (continued): cycle {sheet.cycle.cycle_number} of "
                               f"{sheet.idea}" if number else "")
    top = QRectF(0, 0, page.width(), BAND - 8)
    painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                     painter.fontMetrics().elidedText(head, Qt.TextElideMode.ElideRight,
                                                      round(page.width() * 0.6)))
    painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                     painter.fontMetrics().elidedText(sheet.project, Qt.TextElideMode.ElideLeft,
                                                      round(page.width() * 0.38)))
    painter.drawLine(0, round(BAND - 8), round(page.width()), round(BAND - 8))
    painter.setPen(QColor(palette.NHS_DARK_GREY))
    foot = QRectF(0, page.height() - BAND + 8, page.width(), BAND - 8)
    painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                     f"Printed from QIDesk on {format_date(sheet.printed_on)}")
    painter.drawText(foot, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                     f"Page {number + 1} of {pages}")


def a4_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                       QPageLayout.Unit.Millimeter)


def write_worksheet_pdf(wb, cycle_id: int, path: str | Path) -> Path:
    """Save the cycle's worksheet as an A4 PDF (vector text) at `path`."""
    path = Path(path)
    sheet = worksheet_data(wb, cycle_id)
    writer = QPdfWriter(str(path))
    writer.setTitle(f"PDSA worksheet: {sheet.idea}, cycle {sheet.cycle.cycle_number}")
    writer.setCreator("QIDesk")
    writer.setResolution(300)
    writer.setPageLayout(a4_layout())
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError(f"Could not write {path.name}: choose a folder you can save in.")
    paint_worksheet(painter, writer, sheet)
    painter.end()
    return path
