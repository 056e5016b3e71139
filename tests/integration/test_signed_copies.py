"""The signed copy of a finalized acta: photos or a scan read, checked by the QR, appended."""

import hashlib
import io
import uuid
from pathlib import Path

import pypdf
import pytest
from helpers.acta_fixtures import ACTOR, FIXED, SETTINGS, photos_of, services_at, write_pdf
from helpers.gui_visits import finalize, unvisited_idc
from PIL import Image

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import ActaState, QrCheck
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.scans.paper import MAX_SIDE, SLACK
from instancias_desktop.services.app_services import AppServices
from sync.kinds import SIGNED_COPY


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths, FIXED)


def _finalized(services: AppServices) -> uuid.UUID:
    visit_id = services.start_visit(unvisited_idc(services).id)
    finalize(services, visit_id)
    return visit_id


def _printed(services: AppServices, visit_id: uuid.UUID, folder: Path) -> Path:
    return write_pdf(services.acta_document(visit_id).pdf, folder, f"acta-{visit_id.hex[:6]}")


def _outbox_kinds(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return [k for (k,) in connection.exec_driver_sql("SELECT kind FROM outbox ORDER BY seq")]


def test_photos_of_every_page_become_one_pdf_and_the_acta_is_signed(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    visit_id = _finalized(services)
    printed = _printed(services, visit_id, tmp_path)
    photos = photos_of(printed, tmp_path / "fotos")
    pages = len(pypdf.PdfReader(printed).pages)
    assert len(photos) == pages

    reading = services.read_signed_copy(visit_id, photos)
    assert reading.qr_check is QrCheck.MATCHES
    assert reading.qr_code == services.acta_document(visit_id).code
    assert reading.page_count == pages
    assert len(pypdf.PdfReader(io.BytesIO(reading.pdf)).pages) == pages
    assert reading.filename.endswith("-firmada.pdf")
    assert services.visit_detail(visit_id).acta_state is ActaState.FINALIZED

    copy_id = services.attach_signed_copy(reading)
    detail = services.visit_detail(visit_id)
    assert detail.acta_state is ActaState.SIGNED
    (copy,) = detail.signed_copies
    assert (copy.id, copy.page_count, copy.qr_check) == (copy_id, pages, QrCheck.MATCHES)
    assert hashlib.sha256(services.annex_content(copy.sha256)).hexdigest() == copy.sha256
    (summary,) = [v for v in services.list_visits() if v.id == visit_id]
    assert summary.acta_state is ActaState.SIGNED
    assert _outbox_kinds(database)[-1] == SIGNED_COPY.name  # travels after the sealed acta

    services.withdraw_signed_copy(copy_id)
    assert services.visit_detail(visit_id).acta_state is ActaState.FINALIZED


def test_a_scanner_pdf_is_kept_as_it_is(services: AppServices, tmp_path: Path) -> None:
    visit_id = _finalized(services)
    scan = _printed(services, visit_id, tmp_path)
    reading = services.read_signed_copy(visit_id, [scan])
    assert reading.pdf == scan.read_bytes()
    assert reading.qr_check is QrCheck.MATCHES


def test_a_large_sideways_photo_is_turned_upright_and_reduced(
    services: AppServices, tmp_path: Path
) -> None:
    visit_id = _finalized(services)
    *_earlier, last = photos_of(_printed(services, visit_id, tmp_path), tmp_path, dpi=300)
    with Image.open(last) as page:
        sideways = page.rotate(90, expand=True).resize((4200, 2970))
    exif = Image.Exif()
    exif[0x0112] = 6  # «rotate 90° clockwise to view», as phones write it
    big = tmp_path / "IMG_0001.jpg"
    sideways.save(big, quality=92, exif=exif)

    reading = services.read_signed_copy(visit_id, [big])
    assert reading.qr_check is QrCheck.MATCHES
    (page,) = pypdf.PdfReader(io.BytesIO(reading.pdf)).pages
    (image,) = page.images
    width, height = image.image.size
    assert height > width and max(width, height) <= MAX_SIDE * SLACK  # upright, reduced
    assert len(reading.pdf) < big.stat().st_size / 3


def test_the_paper_of_another_acta_is_attached_only_knowingly(
    services: AppServices, tmp_path: Path
) -> None:
    visit_id, other_id = _finalized(services), _finalized(services)
    other_number = services.visit_detail(other_id).visit.acta_number
    photos = photos_of(_printed(services, other_id, tmp_path), tmp_path)

    reading = services.read_signed_copy(visit_id, photos)
    assert reading.qr_check is QrCheck.OTHER_CODE
    assert f"Ese código es del acta {other_number}" in reading.message
    with pytest.raises(ValidationError, match="no es el del acta"):
        services.attach_signed_copy(reading)
    assert services.visit_detail(visit_id).signed_copies == ()
    services.attach_signed_copy(reading, knowingly=True)
    (copy,) = services.visit_detail(visit_id).signed_copies
    assert copy.qr_check is QrCheck.OTHER_CODE and copy.qr_code


def test_a_paper_without_a_legible_code_is_said_so(services: AppServices, tmp_path: Path) -> None:
    visit_id = _finalized(services)
    blank = tmp_path / "borrosa.png"
    Image.new("RGB", (1200, 1700), "white").save(blank)
    reading = services.read_signed_copy(visit_id, [blank])
    assert reading.qr_check is QrCheck.UNREADABLE
    assert "No se pudo leer el código QR" in reading.message


def test_a_draft_or_another_authors_acta_takes_no_signed_copy(
    services: AppServices, database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    draft = services.start_visit(unvisited_idc(services).id)
    photo = tmp_path / "foto.png"
    Image.new("RGB", (800, 1100), "white").save(photo)
    with pytest.raises(ValidationError, match="aún es un borrador"):
        services.read_signed_copy(draft, [photo])
    visit_id = _finalized(services)
    other = AppServices(
        Database(database.engine, actor="otra.especialista", clock=lambda: FIXED),
        profile_paths,
        SETTINGS,
    )
    with pytest.raises(ValidationError, match=f"es de {ACTOR}"):
        other.read_signed_copy(visit_id, [photo])


def test_files_of_several_actas_are_filed_by_their_codes(
    services: AppServices, tmp_path: Path
) -> None:
    first, second = _finalized(services), _finalized(services)
    photos = [
        *photos_of(_printed(services, first, tmp_path), tmp_path / "a", stem="a"),
        *photos_of(_printed(services, second, tmp_path), tmp_path / "b", stem="b"),
    ]
    stray = tmp_path / "suelta.png"
    Image.new("RGB", (800, 1100), "white").save(stray)

    filed = services.file_signed_copies([*photos, stray])
    assert [r.visit_id for r in filed.readings] == [first, second]
    assert all(r.qr_check is QrCheck.MATCHES for r in filed.readings)
    pages = [len(pypdf.PdfReader(io.BytesIO(r.pdf)).pages) for r in filed.readings]
    assert sum(pages) == len(photos)
    assert len(filed.left_out) == 1 and filed.left_out[0].startswith("suelta.png")
    for reading in filed.readings:
        services.attach_signed_copy(reading)
    states = {v.id: v.acta_state for v in services.list_visits()}
    assert states[first] is states[second] is ActaState.SIGNED
