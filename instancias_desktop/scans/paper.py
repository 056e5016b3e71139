"""A signed paper as one PDF: photos and scans read, turned upright, reduced and combined.

A single PDF from a scanner is kept as it is (its pages are only read for the QR code). Photos,
and several files together, become one PDF of JPEG pages in the order picked: each page at
most about ``MAX_SIDE`` pixels on its longer side (about 170 dpi on A4: signatures and stamps
stay legible, a page weighs a few hundred kB instead of several MB).
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from instancias_desktop.scans.qr import is_pdf, page_count, pages_of, texts_on

MAX_SIDE = 2000  # pixels on the longer side of a page
SLACK = 1.25  # a page up to 2,500 pixels is kept as it is: resampling it gains little
QUALITY = 75  # JPEG: text and signatures stay sharp, paper grain is dropped
A4_LONG_INCHES = 11.69


@dataclass(frozen=True)
class PaperFile:
    """One picked file: its pages, reduced and upright, and the QR texts read on them."""

    data: bytes
    pages: tuple[Image.Image, ...]
    texts: tuple[str, ...]
    reduced: bool  # a photo read smaller than taken: its full size may read a small code


def read_file(data: bytes) -> PaperFile:
    """Read a picked file's pages and the QR codes on them (raises UnreadablePaperError)."""
    read = pages_of(data, fit=MAX_SIDE)
    pages = tuple(_reduced(page) for page in read)
    texts = texts_on(page.convert("L") for page in pages)
    reduced = not is_pdf(data) and any(p.size != r.size for p, r in zip(pages, read, strict=True))
    return PaperFile(data, pages, tuple(texts), reduced or _drafted(data, read))


def read_full_size(file: PaperFile) -> PaperFile:
    """The same file with its QR codes read on the photo at full size (a code far away)."""
    if not file.reduced:
        return file
    texts = texts_on(page.convert("L") for page in pages_of(file.data))
    return PaperFile(file.data, file.pages, tuple(texts), reduced=False)


def _drafted(data: bytes, read: list[Image.Image]) -> bool:
    """Whether a photo was decoded smaller than it is."""
    if is_pdf(data) or len(read) != 1:
        return False
    with Image.open(io.BytesIO(data)) as image:  # the header only
        return max(image.size) > max(read[0].size)


def combine(files: Sequence[PaperFile]) -> tuple[bytes, int]:
    """One PDF of the files' pages in order, and its page count."""
    if len(files) == 1 and is_pdf(files[0].data):
        return files[0].data, page_count(files[0].data)
    pages = [page for file in files for page in file.pages]
    if not pages:
        raise ValueError("no pages to combine")
    out = io.BytesIO()
    dpi = max(pages[0].size) / A4_LONG_INCHES  # printed back at about A4
    first, *rest = pages
    first.save(out, "PDF", resolution=dpi, save_all=True, append_images=rest, quality=QUALITY)
    return out.getvalue(), len(pages)


def _reduced(page: Image.Image) -> Image.Image:
    """The page in RGB (or grey), at most ``MAX_SIDE`` pixels on its longer side."""
    image = page if page.mode in {"RGB", "L"} else page.convert("RGB")
    if max(image.size) > MAX_SIDE * SLACK:
        image = image.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image
