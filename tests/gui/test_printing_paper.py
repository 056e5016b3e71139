"""The acta printed on paper: A4 at 100% and centred; on Letter, shrunk to fit and centred."""

import json
import subprocess
from pathlib import Path

from PySide6.QtGui import QImage, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from instancias_desktop.domain.acta_code import record_of
from instancias_desktop.paths import resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.ui.printing import a4_printer, print_pdf

GOLDEN = Path(__file__).parent.parent / "unit" / "domain" / "acta_snapshots"
DPI = 50
INK = 235  # darker than this is printed (thin light rules included)


def _acta() -> bytes:
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    return render_acta(record_of(stored["content"]), stored["code"], resources_dir() / "fonts")


def _first_page(pdf: Path, folder: Path, stem: str) -> QImage:
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-png", str(pdf), str(folder / stem)],
        check=True,
    )
    (png,) = folder.glob(f"{stem}*.png")
    return QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)


def _inked(image: QImage) -> tuple[int, int, int, int]:
    """The box (left, top, right, bottom) of what is printed, in pixels."""
    rows = [
        y
        for y in range(image.height())
        if min(bytes(image.constScanLine(y))[: image.width()]) < INK
    ]
    columns = [
        x
        for x in range(image.width())
        if any(image.pixelColor(x, y).value() < INK for y in range(rows[0], rows[-1] + 1, 3))
    ]
    return columns[0], rows[0], columns[-1], rows[-1]


def _printed(tmp_path: Path, paper: QPageSize.PageSizeId) -> QImage:
    printer = a4_printer()
    printer.setPageSize(QPageSize(paper))
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "impreso.pdf"))
    assert print_pdf(printer, _acta()) >= 1
    return _first_page(tmp_path / "impreso.pdf", tmp_path, "impreso")


def test_the_printer_starts_on_a4(qapp: QApplication) -> None:
    assert a4_printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.A4


def test_on_a4_the_acta_prints_at_its_true_size_and_place(
    qapp: QApplication, tmp_path: Path
) -> None:
    (tmp_path / "acta.pdf").write_bytes(_acta())
    original = _inked(_first_page(tmp_path / "acta.pdf", tmp_path, "acta"))
    printed = _inked(_printed(tmp_path, QPageSize.PageSizeId.A4))
    assert all(abs(p - o) <= 2 for p, o in zip(printed, original, strict=True)), (
        printed,
        original,
    )


def test_on_letter_it_is_shrunk_to_fit_and_centred(qapp: QApplication, tmp_path: Path) -> None:
    (tmp_path / "acta.pdf").write_bytes(_acta())
    a4 = _first_page(tmp_path / "acta.pdf", tmp_path, "acta")
    left, _top, right, _bottom = _inked(a4)
    letter = _printed(tmp_path, QPageSize.PageSizeId.Letter)
    p_left, _p_top, p_right, _p_bottom = _inked(letter)
    shrink = 279.4 / 297  # Letter's height over A4's: the whole page fits
    offset = (letter.width() - a4.width() * shrink) / 2  # the shrunk page, centred
    assert abs(p_left - (offset + left * shrink)) <= 2
    assert abs(p_right - (offset + right * shrink)) <= 2
