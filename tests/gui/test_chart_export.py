"""Exporting a chart: PNG at print resolution, SVG and PDF with the title, definition,
rule set and dates on them, and a copy on the clipboard; none of them blank."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import numpy as np
from PySide6.QtGui import QGuiApplication, QImage

from qidesk.reports import chart_image
from qidesk.services.charts import measure_chart

from chart_helpers import measure_named, open_measure, wb  # noqa: F401

ARRIVAL = "Minutes from arrival to first NEWS2 observations"
SVG = "{http://www.w3.org/2000/svg}"


def _drawn_share(image: QImage) -> float:
    """Share of pixels that differ from the white background."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), dtype=np.uint32, count=rgb.width() * rgb.height())
    return float(np.mean((pixels & 0xFFFFFF) != 0xFFFFFF))


def _exported(qtbot, screen, monkeypatch, kind: str, path) -> None:
    monkeypatch.setattr("qidesk.ui.screens.chart_panel.QFileDialog.getSaveFileName",
                        lambda *args: (str(path), ""))
    screen.chart_panel.header.export_actions[kind].trigger()


def test_png_export_is_a_print_resolution_picture_of_the_chart(qtbot, wb, tmp_path, monkeypatch):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    path = tmp_path / "arrival.png"
    _exported(qtbot, screen, monkeypatch, "png", path)
    image = QImage(str(path))
    assert image.width() == 3509 and image.height() == 2481  # A4 landscape at 300 dpi
    assert round(image.dotsPerMeterX() * 0.0254) == 300
    assert 0.03 < _drawn_share(image) < 0.6


def test_svg_export_parses_and_carries_the_words_and_the_lines(qtbot, wb, tmp_path, monkeypatch):
    measure = measure_named(wb, ARRIVAL)
    screen = open_measure(qtbot, wb, measure.id)
    path = tmp_path / "arrival.svg"
    _exported(qtbot, screen, monkeypatch, "svg", path)
    root = ET.parse(path).getroot()
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert measure.name in text
    assert "Anhøj rules" in text and "4 Nov 2024 to 26 Oct 2026" in text
    assert measure.definition.split()[0] in text
    assert len(list(root.iter(f"{SVG}path"))) + len(list(root.iter(f"{SVG}polyline"))) > 20


def test_pdf_export_renders_a_non_blank_page(qtbot, wb, tmp_path, monkeypatch):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    path = tmp_path / "arrival.pdf"
    _exported(qtbot, screen, monkeypatch, "pdf", path)
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    page = QImage(str(pages[0]))
    assert page.width() > page.height()  # landscape
    assert _drawn_share(page) > 0.03


def test_copy_chart_puts_an_image_on_the_clipboard(qtbot, wb):
    screen = open_measure(qtbot, wb, measure_named(wb, ARRIVAL).id)
    QGuiApplication.clipboard().clear()
    screen.chart_panel.header.export_actions["clipboard"].trigger()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() >= 2000
    assert _drawn_share(image) > 0.03


def test_the_figure_names_the_measure_chart_rules_and_dates(wb):
    chart = measure_chart(wb, measure_named(wb, "Falls per 1,000 occupied bed days").id)
    title, definition, details = chart_image.figure_lines(chart)
    assert title == "Falls per 1,000 occupied bed days"
    assert definition == chart.measure.definition
    assert details.startswith("U chart (rate) · Anhøj rules (as qicharts2) · ")
