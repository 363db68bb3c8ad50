"""The printable PDSA worksheet: one A4 page of the cycle's IHI fields, from a real workbook,
checked the way a reader would see it (pdftoppm pages, pdftotext words)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from qidesk.domain.entities import DriverNode, PdsaCycle
from qidesk.domain.enums import DriverLevel, ImprovementDirection, PdsaDecision, PdsaStatus
from qidesk.reports.pdsa_worksheet import a4_layout, paint_worksheet, worksheet_data, \
    write_worksheet_pdf
from qidesk.services import drivers, measures, pdsa
from qidesk.ui.printing import print_pages

LONG_OBJECTIVE = ("Find out whether the night staff can offer every patient a walk to the "
                  "toilet at each two-hourly round without missing the other rounds, and "
                  "whether patients at risk of falling accept the offer. ") * 6


@pytest.fixture
def cycle_id(wb, ward):
    measures.update_measure(wb, ward.bed_days, improvement_direction=ImprovementDirection.DOWN)
    aim = drivers.add_node(wb, DriverNode(project_id=ward.project_id, level=DriverLevel.AIM,
                                          text="Fewer falls")).id
    primary = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=aim,
                                              level=DriverLevel.PRIMARY, text="Safe nights")).id
    idea = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=primary,
                                           level=DriverLevel.CHANGE_IDEA,
                                           text="Two-hourly toileting offer at night")).id
    new = pdsa.add_cycle(wb, PdsaCycle(
        change_idea_id=idea, cycle_number=2, title="Bay 3, nights, one week",
        scale="One bay, nights only", status=PdsaStatus.DONE,
        objective="Offer every patient in bay 3 the toilet at each night round.",
        questions="Will patients accept the offer at 02:00?",
        predictions="Most patients will accept; no falls on the way to the toilet at night.",
        plan_who="Night nurse in charge", plan_what="Offer at each round", plan_when="1-7 June",
        plan_where="Bay 3", data_plan="Tally of offers and acceptances each night.",
        do_notes="Done on 6 of 7 nights.", observations="Two patients declined at 04:00.",
        study_results="31 of 36 offers accepted; no falls.", learning="04:00 wakes people.",
        decision=PdsaDecision.ADAPT, next_step="Skip the 04:00 round for sleeping patients.",
        planned_start=date(2026, 6, 1), planned_end=date(2026, 6, 7),
        started_on=date(2026, 6, 1), finished_on=date(2026, 6, 8),
        prediction_measure_id=ward.bed_days, prediction_value=5.0,
        prediction_by=date(2026, 6, 30))).id
    pdsa.set_linked_measures(wb, new, [ward.bed_days, ward.falls])
    return new


def _text(pdf) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    # NFKC turns the font's ligatures ("ﬀ") back into letters.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", out))


def _pages(pdf, tmp_path) -> list[QImage]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    return [QImage(str(p)) for p in sorted(tmp_path.glob("page*.png"))]


def _ink(image: QImage) -> float:
    """Share of the page that is not white."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                               image.bytesPerLine())
    return float((pixels[:, :image.width()] < 200).mean())


def _is_a4(pdf) -> bool:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return "595 x 842 pts (A4)" in info


def test_worksheet_pdf_is_one_a4_page_with_every_stage(qapp, wb, cycle_id, tmp_path):
    pdf = write_worksheet_pdf(wb, cycle_id, tmp_path / "worksheet.pdf")

    pages = _pages(pdf, tmp_path)
    assert len(pages) == 1 and _is_a4(pdf)
    assert _ink(pages[0]) > 0.02
    words = _text(pdf)
    for expected in ("Cycle 2: Bay 3, nights, one week", "Two-hourly toileting offer at night",
                     "One bay, nights only", "Offer every patient in bay 3 the toilet",
                     "Most patients will accept", "31 of 36 offers accepted",
                     "Skip the 04:00 round for sleeping patients", "Night nurse in charge",
                     "Planned 1 Jun 2026 to 7 Jun 2026", "Started 1 Jun 2026",
                     "Falls per 1,000 bed days will be below 5 by 30 Jun 2026",
                     "Falls (outcome)", "Page 1 of 1"):
        assert expected in words, expected
    # The decision taken is the box that is ticked.
    assert re.search(r"☒ Adapt", words) and "☐ Adopt" in words and "☐ Abandon" in words


def test_long_answers_shrink_to_stay_on_one_page(qapp, wb, cycle_id, tmp_path):
    pdsa.update_cycle(wb, cycle_id, objective=LONG_OBJECTIVE, predictions=LONG_OBJECTIVE,
                      learning=LONG_OBJECTIVE, next_step="Carry on: " + LONG_OBJECTIVE)
    short = worksheet_data(wb, cycle_id)
    pdf = write_worksheet_pdf(wb, cycle_id, tmp_path / "long.pdf")

    assert len(_pages(pdf, tmp_path)) == 1
    words = _text(pdf)
    # Every word of the long answers is there: wrapped, never cut off.
    assert words.count("whether patients at risk of falling accept the offer.") == 4 * 6
    assert "Carry on: Find out whether" in words
    assert "below 5 by 30 Jun 2026" in words and "☒ Adapt" in words
    assert short.cycle.objective == LONG_OBJECTIVE


def test_too_long_for_one_page_continues_on_the_next(qapp, wb, cycle_id, tmp_path):
    essay = LONG_OBJECTIVE * 4
    pdsa.update_cycle(wb, cycle_id, objective=essay, predictions=essay, do_notes=essay,
                      observations=essay, next_step="Last words of the next step.")
    pdf = write_worksheet_pdf(wb, cycle_id, tmp_path / "essay.pdf")

    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 2 and all(_ink(page) > 0.02 for page in pages)
    words = _text(pdf)
    assert words.count("whether patients at risk of falling accept the offer.") == 4 * 24
    assert "Last words of the next step." in words
    assert f"Page 1 of {len(pages)}" in words and "PDSA worksheet (continued)" in words


def test_printing_through_the_helper_paints_the_worksheet_on_the_printer(qapp, wb, cycle_id,
                                                                          tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    asked = []
    sheet = worksheet_data(wb, cycle_id)

    printed = print_pages(None, "PDSA worksheet", lambda p, d: paint_worksheet(p, d, sheet),
                          page_layout=a4_layout(), printer=printer,
                          ask=lambda chosen, parent, title: asked.append(title) or True)

    assert printed and asked == ["PDSA worksheet"]
    assert len(_pages(tmp_path / "printed.pdf", tmp_path)) == 1
    assert "Skip the 04:00 round for sleeping patients" in _text(tmp_path / "printed.pdf")


def test_a_cancelled_print_dialog_prints_nothing(qapp, tmp_path):
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "never.pdf"))
    painted = []

    printed = print_pages(None, "Chart", lambda p, d: painted.append(d), printer=printer,
                          ask=lambda *_: False)

    assert not printed and not painted and not (tmp_path / "never.pdf").exists()
