"""Produced documents and the answer of a code check, as the screens receive them."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from instancias_desktop.i18n import _

_STEM_ROOM = 60  # characters of the acta number kept in a file name


@dataclass(frozen=True)
class ActaDocument:
    """A rendered acta, with the name to give its file."""

    acta_number: str
    finalized: bool
    code: str
    pdf: bytes

    @property
    def file_name(self) -> str:
        """A file name safe on every system, e.g. acta-001-2026-MIMP-DGCVG-DPVLV-E07.pdf."""
        return acta_file_name(self.acta_number, "" if self.finalized else "borrador")


def acta_file_name(acta_number: str, suffix: str = "") -> str:
    """acta-<number>[-suffix].pdf, with only letters, digits and hyphens in the number."""
    safe = "".join(c if c.isalnum() else "-" for c in acta_number.replace("N°", ""))
    stem = "-".join(part for part in safe.split("-") if part)
    if len(stem) > _STEM_ROOM:  # a long configured pattern: keep paths short on Windows
        digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
        stem = f"{stem[: _STEM_ROOM - 9]}-{digest}"
    return f"acta-{stem}{f'-{suffix}' if suffix else ''}.pdf"


@dataclass(frozen=True)
class ExportedList:
    """A list written to a file, and the personal data it carries out of the laptop."""

    path: Path
    personal_data: tuple[str, ...]

    @property
    def message(self) -> str:
        """What the screen says once it is written."""
        if not self.personal_data:
            return _("Exportado: {path}. No contiene datos personales.").format(path=self.path)
        return _(
            "Exportado: {path}. Contiene datos personales ({what}): guárdelo en un lugar "
            "protegido y úselo solo para el seguimiento (Ley 29733)."
        ).format(path=self.path, what="; ".join(self.personal_data))


@dataclass(frozen=True)
class ReportDocument:
    """A rendered report, with the name to give its file."""

    file_name: str
    pdf: bytes


@dataclass(frozen=True)
class CodeCheck:
    """What a verification code says about a printed acta."""

    valid: bool
    message: str
    visit_id: uuid.UUID | None = None
