"""The acta as a document: its PDF (as finalized, or the draft as it stands) and its code check."""

import uuid
from pathlib import Path

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.acta_code import (
    code_in_qr,
    find_code,
    record_of,
    snapshot_of,
)
from instancias_desktop.domain.acta_record import ActaRecord, recorded_parts
from instancias_desktop.domain.documents import ActaDocument, CodeCheck
from instancias_desktop.domain.enums import AuditAction, VisitStatus
from instancias_desktop.i18n import _
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.scans.qr import UnreadablePaperError, qr_texts
from instancias_desktop.services.acta_records import build_record
from instancias_desktop.services.form_catalogue import Definitions
from sync.kinds import VISIT


def acta_record(
    database: Database, definitions: Definitions, visit_id: uuid.UUID
) -> tuple[ActaRecord, str]:
    """What the acta says and its code: the finalized snapshot, or the draft as it stands now.

    An acta finalized before snapshots existed (or brought in by the demo) gets its snapshot the
    first time it is printed, from what is recorded then; from that moment it never changes.
    """
    with database.reader() as uow:
        snapshot = uow.visits.snapshot(visit_id)
        finalized = uow.visits.get(visit_id).status is VisitStatus.FINALIZED
        if snapshot is None and not finalized:
            return build_record(uow, definitions, visit_id), ""
    if snapshot is None:
        # Kept on this device only: the server refuses changes to a finalized acta.
        with database.unit_of_work(record=False) as uow:
            snapshot = uow.visits.snapshot(visit_id) or snapshot_of(
                build_record(uow, definitions, visit_id)
            )
            uow.visits.keep_snapshot(visit_id, snapshot)
            uow.commit()
    return record_of(snapshot.content), snapshot.code


def acta_pdf(
    database: Database, definitions: Definitions, font_dir: Path, visit_id: uuid.UUID
) -> ActaDocument:
    """The acta as a PDF for printing and signature."""
    record, code = acta_record(database, definitions, visit_id)
    pdf = render_acta(record, code, font_dir)
    with database.unit_of_work(record=False) as uow:  # produced to be seen or printed
        uow.audit.note(AuditAction.PRODUCED, VISIT.name, visit_id)
        uow.commit()
    return ActaDocument(record.acta_number, record.finalized, code, pdf)


def verify_code(database: Database, definitions: Definitions, typed: str) -> CodeCheck:
    """Check a code typed in or scanned from a paper against the finalized actas on this device."""
    code = find_code(typed)
    if code is None:
        return CodeCheck(
            False,
            _("Escriba el código de verificación como figura en el acta: 12 letras y números,"
              " por ejemplo 7KQ2-M9XD-4TRB."),
        )  # fmt: skip
    with database.reader() as uow:
        for visit_id in uow.visits.with_code(code):
            snapshot = uow.visits.snapshot(visit_id)
            assert snapshot is not None
            record = record_of(snapshot.content)
            current = build_record(uow, definitions, visit_id)
            if snapshot.intact() and recorded_parts(current) == recorded_parts(record):
                return CodeCheck(
                    True,
                    _(
                        "Código {code} válido: corresponde al acta {number} de la {instancia},"
                        " del {date}{when}. Lo registrado no ha cambiado desde entonces."
                    ).format(
                        code=code,
                        number=record.acta_number,
                        instancia=record.instancia,
                        date=record.visit_date,
                        when=_(", finalizada el {when}").format(when=record.finalized_at)
                        if record.finalized_at
                        else "",
                    ),
                    visit_id,
                )
            return CodeCheck(
                False,
                _(
                    "El código {code} es del acta {number}, pero lo registrado en este equipo ya no"
                    " coincide con lo que se finalizó: no confíe en esta copia y avise a su"
                    " supervisor(a)."
                ).format(code=code, number=record.acta_number),
                visit_id,
            )
    return CodeCheck(
        False,
        _(
            "Ningún acta finalizada en este equipo tiene el código {code}. Revise que lo copió"
            " bien; si el acta se registró en otro equipo, verifíquela después de sincronizar."
        ).format(code=code),
    )


PAPER_LIMIT = 50 * 1024 * 1024  # a scan of a few pages or a phone photo is far smaller


def verify_paper(database: Database, definitions: Definitions, path: Path) -> CodeCheck:
    """Check a scan or a photo of a printed acta by the QR code printed on it."""
    size = path.stat().st_size
    if size > PAPER_LIMIT:
        return CodeCheck(
            False,
            _("El archivo pesa {mb} MB; el máximo es {limit} MB. Escanee menos páginas.").format(
                mb=size // (1024 * 1024), limit=PAPER_LIMIT // (1024 * 1024)
            ),
        )
    try:
        texts = qr_texts(path.read_bytes())
    except UnreadablePaperError as error:
        return CodeCheck(False, str(error))
    codes = list(dict.fromkeys(c for c in (code_in_qr(t) for t in texts) if c))
    if not codes:
        return CodeCheck(
            False,
            _(
                "No se encontró un código QR de acta en {name}. Pruebe con una foto más nítida "
                "de la página del código, o escriba el código impreso al pie de cada página."
            ).format(name=path.name),
        )
    check = verify_code(database, definitions, codes[0])
    if len(codes) == 1:
        return check
    others = ", ".join(codes[1:])
    return CodeCheck(
        check.valid,
        check.message
        + _(
            " El archivo tiene también códigos de otras actas ({codes}): verifíquelas aparte."
        ).format(codes=others),
        check.visit_id,
    )
