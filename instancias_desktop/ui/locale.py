"""Numbers and dates as people in Peru write them (es-PE: 1,917; 26/11/2026)."""

from PySide6.QtCore import QLocale

PERU = QLocale(QLocale.Language.Spanish, QLocale.Country.Peru)


def number(value: int) -> str:
    """An integer with the es-PE thousands separator."""
    return PERU.toString(value)
