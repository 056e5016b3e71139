"""Input rules with clear Spanish messages: documents, dates, required fields."""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from instancias_desktop.domain.enums import DocumentType
from instancias_desktop.domain.printable import describe, unprintable
from instancias_desktop.i18n import _


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: which field, and what the user must fix."""

    field: str
    message: str


class ValidationError(ValueError):
    """Raised when input is rejected; carries every field error, never a partial write."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(e.message for e in self.errors))

    def for_field(self, field: str) -> tuple[str, ...]:
        """The messages that concern one field."""
        return tuple(e.message for e in self.errors if e.field == field)


class Collector:
    """Gathers field errors so a form reports all of them at once."""

    def __init__(self) -> None:
        self._errors: list[FieldError] = []

    def add(self, field: str, message: str | None) -> None:
        """Record a message for a field (``None`` means the field is fine)."""
        if message:
            self._errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        """Raise a ValidationError when anything was recorded."""
        if self._errors:
            raise ValidationError(self._errors)


def run_checks(*checks: tuple[str, Callable[[], None]]) -> None:
    """Run several record checks and raise every error at once; fields take the given prefix."""
    errors: list[FieldError] = []
    for prefix, check in checks:
        try:
            check()
        except ValidationError as error:
            errors.extend(FieldError(prefix + e.field, e.message) for e in error.errors)
    if errors:
        raise ValidationError(errors)


# ASCII only: a full-width "１２３" pasted from a PDF must not pass for a DNI.
_DIGITS = re.compile(r"[0-9]+")
_ALNUM = re.compile(r"[A-Z0-9]+")


def normalize_document_number(raw: str) -> str:
    """Remove spaces, dots and dashes people type inside document numbers; upper-case letters."""
    return re.sub(r"[\s.\-]", "", raw).upper()


@dataclass(frozen=True)
class _DocumentRule:
    pattern: re.Pattern[str]
    shortest: int
    longest: int
    message: str


_DOCUMENT_RULES = {
    DocumentType.FOREIGN_ID: _DocumentRule(
        _ALNUM, 9, 12, "El carné de extranjería tiene de 9 a 12 letras o números."
    ),
    DocumentType.PASSPORT: _DocumentRule(
        _ALNUM, 6, 12, "El pasaporte tiene de 6 a 12 letras o números."
    ),
    DocumentType.OTHER: _DocumentRule(
        re.compile(r"\S+"), 1, 20, "El número de documento admite hasta 20 caracteres."
    ),
}


def check_document(document_type: DocumentType, raw_number: str) -> str | None:
    """Return a Spanish message when the number does not fit its document type, else None."""
    number = normalize_document_number(raw_number)
    if not number:
        return _("Escriba el número de documento.")
    if document_type is DocumentType.DNI:
        if not _DIGITS.fullmatch(number):
            return _("El DNI solo lleva números (8 dígitos).")
        if len(number) != 8:
            return _("El DNI debe tener 8 dígitos; tiene {n}.").format(n=len(number))
        return None
    rule = _DOCUMENT_RULES[document_type]
    if rule.pattern.fullmatch(number) and rule.shortest <= len(number) <= rule.longest:
        return None
    return _(rule.message)


def check_required(value: str | None, label: str) -> str | None:
    """Message for an empty required text field."""
    if value is None or not value.strip():
        return _("Complete el campo «{label}».").format(label=label)
    return None


def check_text(value: str, label: str, limit: int) -> str | None:
    """Message for text longer than its column allows, or that the acta cannot print."""
    if len(value) > limit:
        return _("«{label}» admite hasta {limit} caracteres; tiene {n}.").format(
            label=label, limit=limit, n=len(value)
        )
    strays = unprintable(value)
    if strays:
        return _(
            "«{label}» tiene caracteres que el acta no puede imprimir: {chars}. Escríbalos "
            "con letras latinas (por ejemplo, el nombre como figura en su documento) o quítelos."
        ).format(label=label, chars=describe(strays))
    return None


def check_not_future(day: dt.date, today: dt.date, label: str) -> str | None:
    """Message when a date that must have happened lies in the future."""
    if day > today:
        return _("La {label} ({day}) no puede ser posterior a hoy ({today}).").format(
            label=label, day=day.strftime("%d/%m/%Y"), today=today.strftime("%d/%m/%Y")
        )
    return None


def check_time_order(start: dt.time | None, end: dt.time | None) -> str | None:
    """Message when a meeting ends before (or when) it starts."""
    if start is not None and end is not None and end <= start:
        return _("La hora de término ({end}) debe ser posterior a la de inicio ({start}).").format(
            end=end.strftime("%H:%M"), start=start.strftime("%H:%M")
        )
    return None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9]{6,15}")


def check_email(value: str) -> str | None:
    """Message for a malformed e-mail address (empty is allowed)."""
    if value and not _EMAIL.fullmatch(value.strip()):
        return _(
            "El correo «{value}» no es válido; revise que tenga la forma nombre@dominio.pe."
        ).format(value=value)
    return None


def check_phone(value: str) -> str | None:
    """Message for a phone number with letters or the wrong length (empty is allowed)."""
    if value and not _PHONE.fullmatch(re.sub(r"[\s\-]", "", value)):
        return _("El teléfono lleva de 6 a 15 dígitos (puede separarlos con espacios o guiones).")
    return None
