"""The signed copy of an acta: what its QR code says, and how picked pages find their acta.

The QR code is printed once, in the acta's last part («Verificación»): the pages of one acta
photographed in order come before the page that carries it.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from instancias_desktop.domain.enums import QrCheck


@dataclass(frozen=True)
class SignedCopy:
    """A signed paper to append to a finalized acta: one PDF in the annex store."""

    visit_id: uuid.UUID
    filename: str
    sha256: str
    size_bytes: int
    page_count: int
    qr_check: QrCheck
    qr_code: str
    attached_at: dt.datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class PaperReading:
    """A signed paper read for one acta, before it is attached: its PDF and its QR check."""

    visit_id: uuid.UUID
    acta_number: str
    filename: str
    pdf: bytes = field(repr=False)
    page_count: int
    qr_check: QrCheck
    qr_code: str  # the code read ("" when none was legible)
    message: str  # what the check found, in Spanish, for her to read before attaching


@dataclass(frozen=True)
class PapersFiled:
    """Files of several actas picked at once: what was filed under each, and what was not."""

    readings: tuple[PaperReading, ...]
    left_out: tuple[str, ...]  # one Spanish line per file or code that found no acta here


def qr_check(codes: Sequence[str], expected: str) -> QrCheck:
    """Whether the codes read on a paper name this acta (any one of them), another, or none."""
    if expected and expected in codes:
        return QrCheck.MATCHES
    return QrCheck.OTHER_CODE if codes else QrCheck.UNREADABLE


@dataclass(frozen=True)
class Filing:
    """Picked files grouped by the acta code they belong to, and those that found none."""

    groups: tuple[tuple[str, tuple[int, ...]], ...]  # (code, indexes of its files, in order)
    unfiled: tuple[int, ...]  # files after the last code, or holding several codes


def file_by_code(codes_per_file: Sequence[Sequence[str]]) -> Filing:
    """Group files (in the order picked) under the acta code each belongs to.

    A file with one code closes a group: the files before it without a code are its earlier
    pages. A file with several codes (two actas in one scan) is left out whole, and so are the
    files after the last code: nothing is filed by guessing.
    """
    groups: dict[str, list[int]] = {}
    unfiled: list[int] = []
    waiting: list[int] = []
    for index, codes in enumerate(codes_per_file):
        distinct = list(dict.fromkeys(codes))
        if not distinct:
            waiting.append(index)
            continue
        if len(distinct) > 1:
            unfiled += [*waiting, index]
            waiting = []
            continue
        groups.setdefault(distinct[0], []).extend([*waiting, index])
        waiting = []
    unfiled += waiting
    return Filing(
        tuple((code, tuple(indexes)) for code, indexes in groups.items()), tuple(sorted(unfiled))
    )
