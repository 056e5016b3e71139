"""The one translation function for user-facing text (source strings are Spanish, es-PE)."""

import functools
import gettext
from pathlib import Path

_DOMAIN = "instancias_desktop"
_LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"  # optional


@functools.cache
def _catalogue() -> gettext.NullTranslations:
    return gettext.translation(_DOMAIN, localedir=_LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    """Translate a user-facing message; Spanish is the source language and the default."""
    return _catalogue().gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` («1 conflicto», «2 conflictos»), with ``{n}`` filled in (es-PE digits).

    Through gettext's ngettext, so a catalogue may give a language its own plural rules.
    """
    return _catalogue().ngettext(singular, plural, n).format(n=count_text(n))


def count_text(n: int) -> str:
    """A count as written in Peru: 1,917 (thousands with a comma, as the es-PE locale)."""
    return f"{n:,}"


def decimal_text(value: float, digits: int = 1) -> str:
    """A decimal with a decimal comma: 0,1 kB, 12,5 MB (no thousands separator, no ambiguity)."""
    return f"{value:.{digits}f}".replace(".", ",")
