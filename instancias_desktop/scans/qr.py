"""The texts of the QR codes on a scanned or photographed paper (zxing-cpp; no network).

A PDF's pages are rasterized (pypdfium2) at a resolution that reads a 3 cm code well; a
photo is turned upright by its EXIF orientation first. Every page is read; the texts come
in page order, each once.
"""

import io
import math
from collections.abc import Iterable

import pypdfium2
import zxingcpp
from PIL import Image, ImageOps, UnidentifiedImageError

from instancias_desktop.i18n import _

READ_DPI = 150  # a 3 cm QR code is some 180 pixels wide: well within what the reader needs
MAX_PAGES = 30  # a signed acta is a few pages; a stray file of hundreds is not read whole


class UnreadablePaperError(ValueError):
    """The file is neither a PDF nor an image this app can read (message in Spanish)."""


def qr_texts(data: bytes) -> list[str]:
    """The texts of every QR code found on the paper's pages, in order, without repeats."""
    return texts_on(page.convert("L") for page in pages_of(data, grey=True))


def texts_on(pages: Iterable[Image.Image]) -> list[str]:
    """The texts of the QR codes on these page images, in order, without repeats."""
    found: list[str] = []
    # Made per call: a module-level zxing-cpp object outlives the module at exit (a warning).
    qr_only = zxingcpp.barcode_formats_from_str("QRCode")
    for page in pages:
        for result in zxingcpp.read_barcodes(page, formats=qr_only):
            if result.text and result.text not in found:
                found.append(result.text)
    return found


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF (by its signature, not by the file's name)."""
    return data.startswith(b"%PDF")


def pages_of(data: bytes, *, grey: bool = False, fit: int = 0) -> list[Image.Image]:
    """The pages of a PDF (rasterized; ``grey``: in greys, quicker) or the photo, upright.

    ``fit``: a JPEG photo may be decoded at 1/2, 1/4… of its size, never under ``fit`` pixels
    on either side (a phone's 12 MP photo decodes four times faster at half its size).
    """
    if is_pdf(data):
        return _pdf_pages(data, grey)
    try:
        image = Image.open(io.BytesIO(data))
        if fit and max(image.size) > fit:  # both sides kept at or above the page's at ``fit``
            scale = fit / max(image.size)
            image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        raise UnreadablePaperError(
            _("El archivo no es un PDF ni una imagen que se pueda leer (JPEG, PNG…).")
        ) from error
    return [ImageOps.exif_transpose(image)]


def _pdf_pages(data: bytes, grey: bool) -> list[Image.Image]:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise UnreadablePaperError(
            _("El PDF está dañado o protegido con contraseña: no se pudo leer.")
        ) from error
    try:
        return [
            document[index].render(scale=READ_DPI / 72, grayscale=grey).to_pil()
            for index in range(min(len(document), MAX_PAGES))
        ]
    finally:
        document.close()


def page_count(data: bytes) -> int:
    """How many pages a PDF has."""
    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()
