"""What a specialist types, read strictly: a value is stored only as she meant it, or refused.

A date is written day first (dd/mm/aaaa), as in Peru; pasted text with other separators or in
ISO order (2027-02-28) is read too. Nothing is guessed: a two-digit year, a day that does not
exist in its month or trailing text is refused with a message that says what to write.
"""

import datetime as dt
import re

from instancias_desktop.i18n import _

DATE_FORMAT = "%d/%m/%Y"
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d+)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"([01]?\d|2[0-3])[:.h]?([0-5]\d)")
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


class FieldInputError(ValueError):
    """What the user typed cannot be read; the message says how to write it."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def parse_time(text: str, *, optional: bool) -> dt.time | None:
    """'9:30', '09:30', '0930' or '9.30' → 09:30; empty is None when the field is optional."""
    text = text.strip()
    if not text and optional:
        return None
    match = _TIME.fullmatch(text)
    if not match:
        raise FieldInputError(_("Escriba la hora como hh:mm, por ejemplo 09:30 o 15:45."))
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_day(text: str, *, optional: bool) -> dt.date | None:
    """'28/02/2027', '28-2-2027', '28.02.2027' or '2027-02-28' → 28 February 2027.

    Empty is None when the field is optional. Anything else is refused with a message.
    """
    text = text.strip()
    if not text:
        if optional:
            return None
        raise FieldInputError(_("Escriba la fecha como dd/mm/aaaa, por ejemplo 28/02/2027."))
    iso = _ISO.fullmatch(text)
    match = iso or _DAY_FIRST.fullmatch(text)
    if match is None:
        raise FieldInputError(
            _(
                "«{text}» no es una fecha: escríbala como dd/mm/aaaa, por ejemplo 28/02/2027."
            ).format(text=text)
        )
    if iso:
        year_text, month_text, day_text = match.groups()
    else:
        day_text, month_text, year_text = match.groups()
    if len(year_text) != 4:
        raise FieldInputError(
            _("Escriba el año con sus 4 cifras (por ejemplo 28/02/2027, no 28/02/27).")
        )
    day, month, year = int(day_text), int(month_text), int(year_text)
    if not 1 <= month <= 12:
        raise FieldInputError(
            _("El mes {month} no existe: escriba un mes del 1 al 12 (dd/mm/aaaa).").format(
                month=month
            )
        )
    if year < 1900:
        raise FieldInputError(_("Revise el año {year}: es anterior a 1900.").format(year=year))
    try:
        return dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        raise FieldInputError(
            _("El día {day} no existe en {month} de {year}, que tiene {last} días.").format(
                day=day, month=MONTHS[month - 1], year=year, last=last
            )
        ) from None


def format_day(day: dt.date | None) -> str:
    """A date as the fields show it: 28/02/2027 ('' for none)."""
    return day.strftime(DATE_FORMAT) if day else ""
