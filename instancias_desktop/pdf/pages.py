"""What every page carries: running header, footer with «Página X de Y», code and watermark.

The total is known only at the end, so pages are drawn once the whole document is laid out.
"""

from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from instancias_desktop.i18n import _
from instancias_desktop.pdf.fonts import BOLD, REGULAR
from instancias_desktop.pdf.theme import (
    ACCENT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE,
    RULE,
    WATERMARK,
    WATERMARK_OUTLINE,
)


@dataclass(frozen=True)
class PageMarks:
    """The texts repeated on every page."""

    header_left: str
    header_right: str
    footer_left: str
    watermark: str = ""  # e.g. "BORRADOR"; empty for none
    initials: bool = False  # a line for the signers' initials on every page but the last


def canvas_with(marks: PageMarks) -> type[Canvas]:
    """A canvas class that decorates every page once their number is known."""

    class MarkedCanvas(Canvas):  # type: ignore[misc] # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The templates pass None: without a font of ours, an unembedded Helvetica appears.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _decorate(self, marks, number, total)
                super().showPage()
            super().save()

    return MarkedCanvas


def _decorate(canvas: Canvas, marks: PageMarks, number: int, total: int) -> None:
    width, height = PAGE
    canvas.saveState()
    if marks.watermark:
        _watermark(canvas, marks.watermark, width, height)
    top = height - MARGIN_TOP + 0.8 * 28.35
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, 7.5)
    canvas.drawString(MARGIN_X, top, marks.header_left)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawRightString(width - MARGIN_X, top, marks.header_right)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, top - 4, width - MARGIN_X, top - 4)
    bottom = MARGIN_BOTTOM - 0.9 * 28.35
    canvas.line(MARGIN_X, bottom + 10, width - MARGIN_X, bottom + 10)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(MARGIN_X, bottom, marks.footer_left)
    canvas.drawRightString(
        width - MARGIN_X, bottom, _("Página {n} de {total}").format(n=number, total=total)
    )
    if marks.initials and number < total:
        canvas.drawCentredString(width / 2 + 30, bottom, _("Iniciales: ____________________"))
    canvas.restoreState()


def _watermark(canvas: Canvas, word: str, width: float, height: float) -> None:
    """A large diagonal word, filled and outlined.

    The dark outline survives toner saving and photocopies, which drop a light grey fill.
    """
    size = 96
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(50)
    canvas.setFillColor(WATERMARK)
    canvas.setStrokeColor(WATERMARK_OUTLINE)
    canvas.setLineWidth(1.4)
    shape = canvas.beginText()
    shape.setTextRenderMode(2)  # fill, then stroke the outline
    shape.setFont(BOLD, size)
    shape.setTextOrigin(-canvas.stringWidth(word, BOLD, size) / 2, -30)
    shape.textOut(word)
    canvas.drawText(shape)
    canvas.restoreState()
