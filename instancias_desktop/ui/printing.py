"""Printing a PDF through Qt: each page rasterized (pypdfium2) at the printer's resolution."""

from collections.abc import Iterator

import pypdfium2
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter
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


def a4_printer() -> QPrinter:
    """A printer set to A4 (the acta's paper) at high resolution; the dialog may change it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    return printer


def placement(page: QSize, paper: QRect) -> QRect:
    """Where a page goes on the paper: at 100% and centred when it fits, else shrunk to fit.

    Both in the printer's pixels; the PDF's own margins (1.8 cm and more) stay clear of what
    printers cannot reach.
    """
    size = page
    if page.width() > paper.width() or page.height() > paper.height():
        size = page.scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = paper.x() + (paper.width() - size.width()) // 2
    top = paper.y() + (paper.height() - size.height()) // 2
    return QRect(left, top, size.width(), size.height())


def print_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Send every page to the printer at its true size (A4 at 100%); returns the pages sent."""
    printer.setFullPage(True)  # the painter covers the whole sheet: no scaling to a margin box
    dpi = printer.resolution()
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("No se pudo iniciar la impresión: revise la impresora elegida.")
    pages = 0
    try:
        for image in page_images(pdf, min(PRINT_DPI, max(dpi, 96))):
            if pages:
                printer.newPage()
            scale = dpi / min(PRINT_DPI, max(dpi, 96))  # the image's pixels -> the printer's
            true_size = QSize(round(image.width() * scale), round(image.height() * scale))
            painter.drawImage(placement(true_size, painter.viewport()), image)
            pages += 1
    finally:
        painter.end()
    return pages
