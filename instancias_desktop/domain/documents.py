"""Produced documents and the answer of a code check, as the screens receive them."""

import uuid
from dataclasses import dataclass


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
    return f"acta-{stem}{f'-{suffix}' if suffix else ''}.pdf"


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
