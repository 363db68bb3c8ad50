"""Report files written whole or not at all, and paged painting shared by PDF and print.

A report is a `paint(painter, page, new_page)` function: it lays itself out on `page`
(logical pixels at 96 per inch) and calls `new_page()` between pages. The same function
draws into a QPdfWriter or a QPrinter (both QPagedPaintDevice).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPagedPaintDevice, QPainter, QPdfWriter

LOGICAL_DPI = 96
A4_PORTRAIT = QSizeF(794, 1123)
A4_LANDSCAPE = QSizeF(1123, 794)
A3_LANDSCAPE = QSizeF(1587, 1123)

Paint = Callable[[QPainter, QSizeF, Callable[[], None]], None]


class ReportNotSaved(OSError):
    """A report file could not be written; `message` says what to do, in ward words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@contextmanager
def written_atomically(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one step,
    so a reader never sees a half-written report and a failure leaves the old file."""
    path = Path(path)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix,
                                        dir=path.parent)
    except OSError as exc:
        raise ReportNotSaved(f"Could not save {path.name} in {path.parent}: {exc.strerror}. "
                             "Choose a folder you can save in (your Documents).") from exc
    os.close(handle)
    temp = Path(temp)
    try:
        yield temp
        os.replace(temp, path)
    except PermissionError as exc:
        raise ReportNotSaved(f"Could not save {path.name}: the file is open in another "
                             "program (Excel or a PDF reader) or the folder is read-only. "
                             "Close it there, or choose another name, and save again.") from exc
    except OSError as exc:
        raise ReportNotSaved(f"Could not save {path.name}: {exc.strerror or exc}.") from exc
    finally:
        temp.unlink(missing_ok=True)


def paint_pages(device: QPagedPaintDevice, page: QSizeF, paint: Paint) -> None:
    """Run `paint` on `device`, scaled so `page` (logical pixels) fills its printable area."""
    painter = QPainter()
    if not painter.begin(device):
        raise ReportNotSaved("The report could not be started: the printer or file refused it.")
    try:
        scale = min(device.width() / page.width(), device.height() / page.height())
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)

        def new_page() -> None:
            device.newPage()

        paint(painter, page, new_page)
    finally:
        painter.end()


def pdf_layout(page: QSizeF) -> QPageLayout:
    """A4 or A3, portrait or landscape, to match a logical page size; no margins
    (the report draws its own)."""
    landscape = page.width() > page.height()
    long_side = max(page.width(), page.height())
    size = QPageSize.PageSizeId.A3 if long_side > A4_LANDSCAPE.width() + 1 else QPageSize.PageSizeId.A4
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(size), orientation, QMarginsF(0, 0, 0, 0))


def write_pdf(path: str | Path, page: QSizeF, paint: Paint, *, title: str) -> Path:
    """Write a vector PDF of `paint` to `path` (all of it, or nothing)."""
    path = Path(path)
    with written_atomically(path) as temp:
        writer = QPdfWriter(str(temp))
        writer.setTitle(title)
        writer.setCreator("QIDesk")
        # 96 units per inch, as the report is laid out: text keeps its point size.
        writer.setResolution(LOGICAL_DPI)
        writer.setPageLayout(pdf_layout(page))
        paint_pages(writer, page, paint)
        del writer  # flushes and closes the file before it is renamed
    return path
