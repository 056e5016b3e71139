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
