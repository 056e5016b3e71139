"""A printed acta checked from a scan or a phone photo: its QR code is read, offline."""

import datetime as dt
import json
import subprocess
import uuid
from pathlib import Path

import pytest
from helpers.acta_fixtures import FIXED, services_at, write_pdf
from helpers.gui_visits import finalize, unvisited_idc
from PIL import Image

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.acta_code import record_of
from instancias_desktop.paths import ProfilePaths, resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.services.app_services import AppServices

GOLDEN = Path(__file__).parent.parent / "unit" / "domain" / "acta_snapshots"


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths, FIXED)


def _finalized(services: AppServices) -> uuid.UUID:
    visit_id = services.start_visit(unvisited_idc(services).id)
    finalize(services, visit_id)
    return visit_id


def _photo_of_last_page(pdf: Path, folder: Path, dpi: int = 100) -> Image.Image:
    """The page with the QR code, as a phone would see it (a raster, no text)."""
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-l", "99", "-png", str(pdf), str(folder / "pagina")],
        check=True,
    )
    *_rest, last = sorted(folder.glob("pagina*.png"))
    return Image.open(last).convert("RGB")


def test_a_scan_of_a_finalized_acta_verifies_like_its_typed_code(
    services: AppServices, tmp_path: Path
) -> None:
    visit_id = _finalized(services)
    document = services.acta_document(visit_id)
    scan = write_pdf(document.pdf, tmp_path, "escaneo")
    check = services.verify_acta_paper(scan)
    assert check == services.verify_acta_code(document.code)
    assert check.valid and check.visit_id == visit_id


def test_a_sideways_phone_photo_is_turned_upright_and_read(
    services: AppServices, tmp_path: Path
) -> None:
    visit_id = _finalized(services)
    pdf = write_pdf(services.acta_document(visit_id).pdf, tmp_path, "acta")
    photo = _photo_of_last_page(pdf, tmp_path).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # «rotate 90° clockwise to view», as phones write it
    photo.save(tmp_path / "foto.jpg", quality=80, exif=exif)
    check = services.verify_acta_paper(tmp_path / "foto.jpg")
    assert check.valid and check.visit_id == visit_id


def test_the_qr_code_is_read_not_the_footer_text(
    services: AppServices, tmp_path: Path, database: Database, profile_paths: ProfilePaths
) -> None:
    _finalized(services)
    elsewhere = services_at(database, profile_paths, FIXED + dt.timedelta(days=1))
    other = elsewhere.acta_document(_finalized(elsewhere))
    foreign = other.pdf.replace(other.code.encode(), b"ZZZZ-ZZZZ-ZZZZ")  # text only: QR intact
    check = services.verify_acta_paper(write_pdf(foreign, tmp_path, "otra"))
    assert check.valid and check.message.startswith(f"Código {other.code} válido")


def test_the_paper_of_an_acta_not_on_this_laptop_is_not_taken_for_another(
    services: AppServices, tmp_path: Path
) -> None:
    _finalized(services)
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    paper = render_acta(record_of(stored["content"]), stored["code"], resources_dir() / "fonts")
    check = services.verify_acta_paper(write_pdf(paper, tmp_path, "ajena"))
    assert (check.valid, check.visit_id) == (False, None)
    assert check.message.startswith(
        f"Ningún acta finalizada en este equipo tiene el código {stored['code']}."
    )


def test_a_draft_or_a_stray_file_says_what_to_do(services: AppServices, tmp_path: Path) -> None:
    draft = services.start_visit(unvisited_idc(services).id)
    scan = write_pdf(services.acta_document(draft).pdf, tmp_path, "borrador")
    assert services.verify_acta_paper(scan).message == (
        "No se encontró un código QR de acta en borrador.pdf. Pruebe con una foto más nítida "
        "de la página del código, o escriba el código impreso al pie de cada página."
    )
    (tmp_path / "notas.txt").write_text("no es un acta", encoding="utf-8")
    stray = services.verify_acta_paper(tmp_path / "notas.txt")
    assert (stray.valid, stray.message) == (
        False,
        "El archivo no es un PDF ni una imagen que se pueda leer (JPEG, PNG…).",
    )
