"""Text contrast as a reader sees it on screen: WCAG ratios measured on a widget's pixels.

``text_contrast(label)`` renders the label, takes its most frequent colour as the background
(composited over the window colour where transparent) and the pixel that stands out most from
it as the text; anti-aliasing only lightens edges, and a 10 pt stem reaches the full colour.
"""

from collections import Counter

from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QWidget

AA_TEXT = 4.5  # WCAG 2.1 AA for ordinary text


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.1) of an opaque sRGB colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = channel(colour.redF()), channel(colour.greenF()), channel(colour.blueF())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(one: QColor, other: QColor) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _over(pixel: tuple[int, int, int, int], under: QColor) -> QColor:
    b, g, r, a = pixel  # ARGB32 in memory on a little-endian machine: B, G, R, A
    alpha = a / 255
    return QColor.fromRgbF(
        r / 255 * alpha + under.redF() * (1 - alpha),
        g / 255 * alpha + under.greenF() * (1 - alpha),
        b / 255 * alpha + under.blueF() * (1 - alpha),
    )


def text_contrast(widget: QWidget) -> float:
    """The contrast between a widget's text and the background it is drawn on."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    data = bytes(image.constBits())
    counts = Counter(data[i : i + 4] for i in range(0, len(data), 4))
    under = widget.palette().color(QPalette.ColorRole.Window)
    background = _over(tuple(counts.most_common(1)[0][0]), under)  # type: ignore[arg-type]
    return max(ratio(background, _over(tuple(p), under)) for p in counts)  # type: ignore[arg-type]


def high_contrast_palette() -> QPalette:
    """White on black with a cyan highlight, as Windows' «Contraste alto n.º 1» and GNOME's."""
    palette = QPalette()
    black, white = QColor("#000000"), QColor("#ffffff")
    roles = QPalette.ColorRole
    for role in (roles.Window, roles.Base, roles.AlternateBase, roles.Button, roles.ToolTipBase):
        palette.setColor(role, black)
    for role in (roles.WindowText, roles.Text, roles.ButtonText, roles.ToolTipText):
        palette.setColor(role, white)
    palette.setColor(roles.BrightText, QColor("#ffff00"))
    palette.setColor(roles.PlaceholderText, QColor("#c0c0c0"))
    palette.setColor(roles.Highlight, QColor("#1aebff"))
    palette.setColor(roles.HighlightedText, black)
    palette.setColor(roles.Mid, QColor("#c0c0c0"))
    palette.setColor(roles.Link, QColor("#ffff00"))
    return palette
