"""Printing a PDF through Qt: each page rasterized (pypdfium2) at the printer's resolution."""

from collections.abc import Iterator

import pypdfium2
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

PRINT_DPI = 300  # sharp text and QR codes on office printers, within memory for an A4 page


def page_images(pdf: bytes, dpi: int = PRINT_DPI) -> Iterator[QImage]:
    """Every page of a PDF as an image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=False, prefer_bgrx=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB32,
            )
            yield image.copy()  # owns its pixels once the bitmap is freed
            bitmap.close()
            page.close()
    finally:
        document.close()


def print_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Send every page to the printer, scaled to its printable area; returns the pages sent."""
    dpi = min(PRINT_DPI, max(printer.resolution(), 96))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("No se pudo iniciar la impresión: revise la impresora elegida.")
    pages = 0
    try:
        for image in page_images(pdf, dpi):
            if pages:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x(), area.y(), size.width(), size.height())
            painter.drawImage(target, image)
            pages += 1
    finally:
        painter.end()
    return pages
