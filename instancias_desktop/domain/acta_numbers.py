"""Acta numbers: a per-specialist series and a yearly sequence, so laptops never collide offline."""

import secrets
import string
from dataclasses import dataclass

from instancias_desktop.i18n import _

# The fields a pattern may use: {numero} (the sequence, e.g. {numero:03d}), {anio} and {serie}.
DEFAULT_ACTA_PATTERN = "N° {numero:03d}-{anio}-MIMP/DGCVG-DPVLV-{serie}"
_SERIES_ALPHABET = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"


@dataclass(frozen=True)
class ActaNumber:
    """The parts of an acta number; the text is made from them with the configured pattern."""

    series: str
    year: int
    sequence: int

    def format(self, pattern: str = DEFAULT_ACTA_PATTERN) -> str:
        """The correlative number as printed on the acta."""
        return pattern.format(numero=self.sequence, anio=self.year, serie=self.series)


def check_acta_pattern(pattern: str) -> str | None:
    """A Spanish message when a pattern could repeat numbers or does not format, else None."""
    samples = [
        ActaNumber(series, year, sequence)
        for series in ("E01", "E02")
        for year in (2026, 2027)
        for sequence in (1, 2, 12)
    ]
    try:
        texts = {number.format(pattern) for number in samples}
    except Exception as error:
        return _("El formato del N° de acta no es válido ({error}); use {example}").format(
            error=error, example=DEFAULT_ACTA_PATTERN
        )
    if len(texts) != len(samples):
        return _(
            "El formato del N° de acta debe incluir {{numero}}, {{anio}} y {{serie}} para que "
            "ningún número se repita entre equipos ni entre años; por ejemplo: {example}"
        ).format(example=DEFAULT_ACTA_PATTERN)
    return None


def new_series_code() -> str:
    """A device series for acta numbers until the ministry assigns one (e.g. 'D7KQ2M').

    Unambiguous characters only (no O/0, I/1), so it can be read aloud and typed back.
    """
    return "D" + "".join(secrets.choice(_SERIES_ALPHABET) for _n in range(5))


def check_series_code(code: str) -> str | None:
    """A Spanish message when a series code is empty or holds characters that break numbers."""
    if not code or not all(c.isascii() and (c.isalnum() or c == "-") for c in code):
        return _("La serie de actas lleva letras, números o guiones (p. ej. E01).")
    if len(code) > 20:
        return _("La serie de actas admite hasta 20 caracteres.")
    return None
