"""Printing through the system print dialog, for anything that can paint itself on pages.

`print_pages(parent, title, paint)` asks which printer (the system's print dialog), then
calls `paint(painter, printer)`; the painter is already active on the printer, and
`printer.newPage()` starts another sheet. Charts, worksheets and reports that paint onto
a QPagedPaintDevice (a QPdfWriter for their PDF) print the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QPageLayout, QPagedPaintDevice, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

Paint = Callable[[QPainter, QPagedPaintDevice], object]
AskPrinter = Callable[[QPrinter, QWidget | None, str], bool]


class PrintFailed(OSError):
    """The printer could not be started; `message` says what to try, in ward words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def ask_with_print_dialog(printer: QPrinter, parent: QWidget | None, title: str) -> bool:
    """The system's print dialog: True when the reader pressed Print."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_pages(parent: QWidget | None, title: str, paint: Paint, *,
                page_layout: QPageLayout | None = None, printer: QPrinter | None = None,
                ask: AskPrinter = ask_with_print_dialog) -> bool:
    """Print what `paint` draws. False when the reader cancelled the dialog.

    `page_layout` is the paper and margins offered first (the reader may change them);
    `printer` and `ask` let a caller (or a test) choose the printer without a dialog."""
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    if page_layout is not None:
        printer.setPageLayout(page_layout)
    if not ask(printer, parent, title):
        return False
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(f"Could not start printing {title}: check the printer is switched "
                          "on and chosen in the print dialog, then print again.")
    try:
        paint(painter, printer)
    finally:
        painter.end()
    return True
