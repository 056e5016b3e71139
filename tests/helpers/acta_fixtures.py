"""Helpers for the acta and report tests: services at fixed clocks and readers of produced PDFs."""

import datetime as dt
import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pypdf
from PIL import Image
from sqlalchemy import text

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import Answer, DocumentType, ParticipantRole
from instancias_desktop.domain.forms import FormRef, ItemAnswer
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.paths import ProfilePaths, resources_dir
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings

FONTS = resources_dir() / "fonts"
FIXED = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)  # 09:30 of 10/03/2026 in Peru
ACTOR = "especialista.prueba"
SETTINGS = Settings(author=ACTOR, acta_series="E07")
WANCHAQ = "080108"  # an IDC whose unit is "Municipalidad Distrital de Wanchaq"
COMPLETE = {
    "start_time": dt.time(9),
    "end_time": dt.time(11),
    "objective": "Instalar",
    "agenda": "1",
    "development": "Ok",
}
IDC_V1 = FormRef("funcionamiento_idc", 1)
ORDINANCE = ItemAnswer(
    Answer.YES, evidence_type="Ordenanza Municipal", evidence_number="003-2025-MDW",
    evidence_date=dt.date(2025, 3, 15), note="Vigente",
)  # fmt: skip
SECTIONS = (
    "1. Datos generales",
    "2. Objetivo y agenda",
    "3. Desarrollo",
    "4. Diagnóstico",
    "5. Acuerdos",
    "6. Participantes",
    "7. Verificación",
)
PAGE_MARK = re.compile(r"Página (\d+) de (\d+)")
MIN_PNG_BYTES = 3_000  # a blank A4 page at 50 dpi is far smaller


# ---------------------------------------------------------------------------- services
def services_at(database: Database, paths: ProfilePaths, when: dt.datetime = FIXED) -> AppServices:
    """The services of the profile with the clock stopped at ``when``."""
    return AppServices(Database(database.engine, actor=ACTOR, clock=lambda: when), paths, SETTINGS)


def instancia(services: AppServices, ubigeo: str = WANCHAQ) -> uuid.UUID:
    return next(s.id for s in services.list_instancias() if s.ubigeo == ubigeo)


def person(
    dni: str = "45678912",
    name: str = "María Núñez Quispe",
    role: ParticipantRole = ParticipantRole.CHAIR,
) -> ParticipantInput:
    return ParticipantInput(
        DocumentType.DNI, dni, name, "Municipalidad de Wanchaq", "Regidora", role, consent=True
    )


def rows(database: Database, sql: str, **params: object) -> list[tuple[Any, ...]]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def execute(database: Database, sql: str, **params: object) -> None:
    """A raw write, as someone editing the SQLite file behind the application's back."""
    with database.engine.begin() as connection:
        connection.execute(text(sql), params)


# ---------------------------------------------------------------------------- PDF readers
def write_pdf(pdf: bytes, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.pdf"
    path.write_bytes(pdf)
    return path


def pdftotext(path: Path, mode: str) -> str:
    """The whole text of a PDF as pdftotext reads it: ``-layout`` (as printed) or ``-raw``
    (in drawing order, where a table cell's wrapped lines follow each other)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", mode, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def page_texts(path: Path) -> list[str]:
    """The text of every page, as ``pdftotext -layout`` reads it."""
    pages = pdftotext(path, "-layout").split("\f")
    assert pages[-1].strip() == ""  # pdftotext ends every page with a form feed
    return pages[:-1]


def flat(value: str) -> str:
    """Text with every run of whitespace as one space (for sentences wrapped by the layout)."""
    return " ".join(value.split())


def finalized_footer(code: str, number: int, total: int) -> str:
    """The footer of page ``number`` of a finalized acta: its code, room for initials (but on
    the last page, where the signatures are) and «Página n de N»."""
    initials = "Iniciales: ____________________ " if number < total else ""
    return f"Código de verificación: {code} {initials}Página {number} de {total}"


def footer(page: str) -> str:
    """The last line of a page's text, with its spacing flattened."""
    return flat([line for line in page.splitlines() if line.strip()][-1])


def page_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


def watermarks(path: Path) -> list[int]:
    """Per page, how many times a large rotated «BORRADOR» is drawn."""
    counts = []
    for page in pypdf.PdfReader(path).pages:
        found: list[str] = []

        def visit(
            value: str,
            matrix: list[float],
            _tm: Any,
            _font: Any,
            size: float,
            out: list[str] = found,
        ) -> None:
            if value.strip() == "BORRADOR" and size >= 48 and abs(matrix[1]) > 0.1:
                out.append(value)

        page.extract_text(visitor_text=visit)
        counts.append(len(found))
    return counts


def fonts(path: Path) -> list[tuple[str, str]]:
    """(name, embedded) of every font ``pdffonts`` lists."""
    out = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert out[0].split()[:2] == ["name", "type"], out
    return [(line.split()[0], line.split()[-5]) for line in out[2:] if line.strip()]


def assert_only_embedded_dejavu(path: Path) -> None:
    listed = fonts(path)
    assert listed, "the PDF declares no font"
    for name, embedded in listed:
        assert name.split("+")[-1].startswith("DejaVuSans"), listed
        assert embedded == "yes", listed
    assert "Helvetica" not in str(listed)


def assert_numbered(pages: list[str]) -> None:
    """Every page says «Página X de Y», exactly once, X running from 1 to Y."""
    total = len(pages)
    assert total >= 1
    for number, page in enumerate(pages, start=1):
        assert PAGE_MARK.findall(page) == [(str(number), str(total))], (number, total)


def assert_in_order(haystack: str, needles: tuple[str, ...] | list[str]) -> None:
    places = [haystack.find(n) for n in needles]
    assert -1 not in places, [n for n, p in zip(needles, places, strict=True) if p < 0]
    assert places == sorted(places), list(zip(needles, places, strict=True))


def render_pngs(path: Path, folder: Path, pages: int) -> list[Path]:
    """Each page at 50 dpi (for a human look); checks every page produced a real picture."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / path.stem
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(prefix)], check=True)
    pngs = sorted(folder.glob(f"{path.stem}-*.png"))
    assert len(pngs) == pages, pngs
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > MIN_PNG_BYTES, (png, png.stat().st_size)
    return pngs


def photos_of(pdf: Path, folder: Path, dpi: int = 120, stem: str = "foto") -> list[Path]:
    """Each page of a printed PDF as a phone's JPEG would hold it (a raster, no text), in order."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / f"{stem}-png"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    photos = []
    for index, png in enumerate(sorted(folder.glob(f"{stem}-png-*.png")), start=1):
        photo = folder / f"{stem}-{index:02d}.jpg"
        with Image.open(png) as page:
            page.convert("RGB").save(photo, quality=85)
        png.unlink()
        photos.append(photo)
    return photos
