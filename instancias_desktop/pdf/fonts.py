"""The embedded TrueType fonts: DejaVu Sans covers every Spanish character the actas use."""

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
FACES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}


def register_fonts(font_dir: Path) -> None:
    """Make the fonts known to reportlab (once per process; reportlab keeps one registry)."""
    known = set(pdfmetrics.getRegisteredFontNames())
    for name, file in FACES.items():
        if name not in known:
            pdfmetrics.registerFont(TTFont(name, str(font_dir / file)))
    # <b> and <i> in paragraphs pick the right face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
