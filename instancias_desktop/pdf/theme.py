"""Sizes, colours and paragraph styles shared by the acta and the report."""

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

from instancias_desktop.pdf.fonts import BOLD, ITALIC, REGULAR

PAGE = A4
MARGIN_X = 1.8 * cm
MARGIN_TOP = 2.3 * cm
MARGIN_BOTTOM = 2.0 * cm
WIDTH = PAGE[0] - 2 * MARGIN_X
ACCENT = colors.HexColor("#5b1a4a")
RULE = colors.HexColor("#9c8496")
HEADER_FILL = colors.HexColor("#efe5ec")
SECTION_FILL = colors.HexColor("#f7f2f5")
MUTED = colors.HexColor("#555555")
WATERMARK = colors.Color(0.6, 0.6, 0.6, alpha=0.35)
WATERMARK_OUTLINE = colors.Color(0.25, 0.25, 0.25, alpha=0.7)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a document."""

    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    note: ParagraphStyle
    heading: ParagraphStyle
    label: ParagraphStyle  # a part's title inside a section, kept with what follows
    title: ParagraphStyle
    institution: ParagraphStyle


def make_styles() -> Styles:
    """Styles in the embedded fonts (built per document: reportlab styles are mutable)."""
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=10,
        leading=13.5,
        spaceAfter=4,
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=BOLD),
        note=ParagraphStyle("note", parent=cell, fontName=ITALIC, textColor=MUTED),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=5,
        ),
        label=ParagraphStyle("label", parent=body, fontName=BOLD, keepWithNext=1),
        title=ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=15, leading=19, alignment=TA_CENTER
        ),
        institution=ParagraphStyle(
            "institution", parent=body, fontSize=9, leading=11.5, alignment=TA_CENTER, spaceAfter=0
        ),
    )
