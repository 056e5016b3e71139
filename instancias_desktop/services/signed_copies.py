"""The signed copy of a finalized acta: read the paper, check its QR code, append it.

Reading (slow: images, QR) and attaching are two steps, so that she can see what the check
found and attach a paper with another code or none only knowingly.
"""

import uuid
from collections.abc import Sequence
from pathlib import Path

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.acta_code import code_in_qr
from instancias_desktop.domain.documents import acta_file_name
from instancias_desktop.domain.enums import AuditAction, QrCheck, VisitStatus
from instancias_desktop.domain.signed_copies import (
    PaperReading,
    PapersFiled,
    SignedCopy,
    file_by_code,
    qr_check,
)
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _, decimal_text
from instancias_desktop.scans.paper import PaperFile, combine, read_file, read_full_size
from instancias_desktop.scans.qr import UnreadablePaperError
from instancias_desktop.services.actas import PAPER_LIMIT, acta_record
from instancias_desktop.services.form_catalogue import Definitions
from instancias_desktop.vault.annex_store import AnnexStore
from sync.kinds import SIGNED_COPY

SIGNED = "firmada"  # the file name's suffix: acta-…-firmada.pdf


def _refused(message: str) -> ValidationError:
    return ValidationError([FieldError(SIGNED_COPY.name, message)])


def _check_attachable(uow: UnitOfWork, visit_id: uuid.UUID) -> str:
    """The acta number, if she may append a signed copy: finalized, and hers."""
    visit = uow.visits.get(visit_id)
    if visit.status is VisitStatus.DRAFT:
        raise _refused(
            _(
                "El acta {n} aún es un borrador: finalícela e imprímala para la firma; la copia "
                "firmada se adjunta después."
            ).format(n=visit.acta_number)
        )
    author, _when = uow.visits.stamps(visit_id)
    if author != uow.actor:
        raise _refused(
            _("El acta {n} es de {author}: solo su autor(a) adjunta la copia firmada.").format(
                n=visit.acta_number, author=author
            )
        )
    return visit.acta_number


def _read(paths: Sequence[Path]) -> list[PaperFile]:
    files = []
    for path in paths:
        if not path.is_file():
            raise _refused(_("No se encontró el archivo {path}.").format(path=path))
        size = path.stat().st_size
        if size > PAPER_LIMIT:
            raise _refused(
                _("{name} pesa {mb} MB; el máximo es {limit} MB por archivo.").format(
                    name=path.name, mb=decimal_text(size / 1e6), limit=PAPER_LIMIT // 1_000_000
                )
            )
        try:
            files.append(read_file(path.read_bytes()))
        except UnreadablePaperError as error:
            raise _refused(f"{path.name}: {error}") from error
    if not files:
        raise _refused(_("Elija el escaneo o las fotos de la copia firmada."))
    if not any(_codes(file) for file in files):  # a code too small once reduced: full size
        files = [read_full_size(file) for file in files]
    return files


def _codes(file: PaperFile) -> list[str]:
    return list(dict.fromkeys(c for c in (code_in_qr(t) for t in file.texts) if c))


def read_signed_copy(
    database: Database, definitions: Definitions, visit_id: uuid.UUID, paths: Sequence[Path]
) -> PaperReading:
    """Read the picked scan or photos (pages in order) as this acta's signed copy."""
    with database.reader() as uow:
        number = _check_attachable(uow, visit_id)
    _record, expected = acta_record(database, definitions, visit_id)
    files = _read(paths)
    pdf, pages = combine(files)
    codes = list(dict.fromkeys(code for file in files for code in _codes(file)))
    check = qr_check(codes, expected)
    with database.reader() as uow:
        message = _message(uow, check, number, codes)
    read = expected if check is QrCheck.MATCHES else (codes[0] if codes else "")
    return PaperReading(
        visit_id, number, acta_file_name(number, SIGNED), pdf, pages, check, read, message
    )


def _message(uow: UnitOfWork, check: QrCheck, number: str, codes: Sequence[str]) -> str:
    if check is QrCheck.MATCHES:
        return _("El código QR del papel corresponde al acta {n}.").format(n=number)
    if check is QrCheck.UNREADABLE:
        return _(
            "No se pudo leer el código QR del papel. Revise que sea la copia firmada del acta "
            "{n} (el código va en la última página); si lo es, puede adjuntarla de todos modos."
        ).format(n=number)
    others = [uow.visits.acta_number(v) for code in codes for v in uow.visits.with_code(code)]
    whose = _(" Ese código es del acta {list}.").format(list=", ".join(others)) if others else ""
    return _(
        "El código QR del papel ({codes}) no es el del acta {n}: puede ser la copia de otra "
        "acta.{whose} Adjúntela solo si está segura de que es esta."
    ).format(codes=", ".join(codes), n=number, whose=whose)


def attach_signed_copy(
    database: Database, store: AnnexStore, limit_bytes: int, reading: PaperReading, *,
    knowingly: bool,
) -> uuid.UUID:  # fmt: skip
    """Append the read paper to its acta; another code or none only ``knowingly``."""
    if reading.qr_check is not QrCheck.MATCHES and not knowingly:
        raise _refused(reading.message)
    if len(reading.pdf) > limit_bytes:
        raise _refused(
            _(
                "La copia firmada pesa {mb} MB y el límite es {limit} MB: escanee con menor "
                "resolución o en escala de grises."
            ).format(mb=decimal_text(len(reading.pdf) / 1e6), limit=limit_bytes // 1_000_000)
        )
    with database.reader() as uow:
        _check_attachable(uow, reading.visit_id)
    sha256 = store.add_bytes(reading.pdf)
    copy = SignedCopy(
        reading.visit_id, reading.filename, sha256, len(reading.pdf), reading.page_count,
        reading.qr_check, reading.qr_code, database.clock(),
    )  # fmt: skip
    with database.unit_of_work() as uow:
        _check_attachable(uow, reading.visit_id)
        uow.signed_copies.add(copy)
        uow.commit()
    return copy.id


def withdraw_signed_copy(database: Database, copy_id: uuid.UUID) -> None:
    """Withdraw a signed copy attached by mistake (the acta becomes «por firmar» again)."""
    with database.unit_of_work() as uow:
        _check_attachable(uow, uow.signed_copies.visit_of(copy_id))
        uow.signed_copies.withdraw(copy_id)
        uow.audit.note(AuditAction.DELETED, SIGNED_COPY.name, copy_id)
        uow.commit()


def file_signed_copies(
    database: Database, definitions: Definitions, paths: Sequence[Path]
) -> PapersFiled:
    """Read files of several actas at once and file each under its acta by its QR code."""
    files = _read(paths)
    filing = file_by_code([_codes(file) for file in files])
    readings: list[PaperReading] = []
    left_out = [
        _("{name}: sin un código QR de acta que lo ubique; adjúntelo desde su acta.").format(
            name=paths[index].name
        )
        for index in filing.unfiled
    ]
    for code, indexes in filing.groups:
        names = ", ".join(paths[i].name for i in indexes)
        with database.reader() as uow:
            mine = [v for v in uow.visits.with_code(code) if _attachable(uow, v)]
        if not mine:
            left_out.append(
                _("{names}: ningún acta suya finalizada en este equipo tiene el código {code}.")
                .format(names=names, code=code)
            )  # fmt: skip
            continue
        pdf, pages = combine([files[i] for i in indexes])
        with database.reader() as uow:
            number = uow.visits.acta_number(mine[0])
        readings.append(
            PaperReading(
                mine[0], number, acta_file_name(number, SIGNED), pdf, pages, QrCheck.MATCHES,
                code, _("{names} → acta {n}").format(names=names, n=number),
            )
        )  # fmt: skip
    return PapersFiled(tuple(readings), tuple(left_out))


def _attachable(uow: UnitOfWork, visit_id: uuid.UUID) -> bool:
    try:
        _check_attachable(uow, visit_id)
    except ValidationError:
        return False
    return True
