"""Markup characters typed anywhere print as typed: never a broken acta, never lost words.

Every text of a real acta and of a real instancia report (names, band labels from the form
definitions, the specialist…) is replaced by a token holding «<x>», «&» and an unclosed «<b»;
the documents must render and every token must come back whole from the PDF's text.
"""

import dataclasses
import enum
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from helpers.acta_fixtures import (
    assert_only_embedded_dejavu,
    flat,
    page_texts,
    pdftotext,
    write_pdf,
)
from helpers.profiles import open_services

from instancias_desktop.demo.__main__ import main as demo_main
from instancias_desktop.domain import printable_ranges as printable_ranges_module
from instancias_desktop.domain.acta_record import ActaRecord
from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.printable_ranges import RANGES
from instancias_desktop.paths import ProfilePaths, resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.pdf.coverage import module_text, printable_ranges
from instancias_desktop.pdf.report import render_instancia_report
from instancias_desktop.services.actas import acta_record
from instancias_desktop.services.reports import instancia_report
from instancias_desktop.settings import Settings

FONTS = resources_dir() / "fonts"


class Poison:
    """Replaces every text of a record by a numbered token full of markup characters."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self.tokens: dict[str, str] = {}  # token -> the field it replaced

    def __call__(self, value: Any, field: str = "") -> Any:
        if isinstance(value, enum.Enum):
            return value
        if isinstance(value, str):
            if not value:
                return value
            token = f"Z{next(self._numbers)}<x>&<b"
            self.tokens[token] = field
            return token
        if isinstance(value, tuple):
            return tuple(self(v, field) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {
                f.name: self(getattr(value, f.name), f"{field}.{f.name}".strip("."))
                for f in dataclasses.fields(value)
                if f.init
            }
            return dataclasses.replace(value, **changes)
        return value


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> ProfilePaths:
    paths = ProfilePaths(tmp_path_factory.mktemp("markup") / "perfil")
    assert demo_main(["--data-dir", str(paths.root), "--visits", "60"]) == 0
    return paths


def _missing(pdf: Path, poison: Poison, fields: set[str]) -> list[str]:
    # In drawing order (-raw), a cell's lines follow each other: a token wrapped in a narrow
    # column («Respuesta») is whole again once whitespace is allowed between its characters.
    printed = pdftotext(pdf, "-raw")

    def found(token: str) -> bool:
        spread = r"\s*".join(re.escape(c) for c in token)
        return re.search(spread + r"(?!\d)", printed) is not None

    return sorted(
        f"{field}: {token}"
        for token, field in poison.tokens.items()
        if field in fields and not found(token)
    )


@pytest.fixture(scope="module")
def acta(worked: ProfilePaths) -> tuple[ActaRecord, str]:
    """The fullest finalized acta of the profile: checklist, agreements, participants."""
    services = open_services(worked, Settings())
    finalized = [v for v in services.list_visits() if v.status is VisitStatus.FINALIZED]
    found = max(
        (acta_record(services.database, services.definitions, v.id) for v in finalized),
        key=lambda found: (found[0].checklist is not None, len(found[0].agreements)),
    )
    services.close()
    return found


def test_every_text_of_an_acta_prints_as_typed(
    acta: tuple[ActaRecord, str], tmp_path: Path
) -> None:
    record, code = acta
    assert record.checklist is not None and record.agreements and record.participants
    poison = Poison()
    marked = poison(record)
    pdf = write_pdf(render_acta(marked, code, FONTS), tmp_path, "acta")
    printed_fields = {
        *(f.name for f in dataclasses.fields(record) if isinstance(getattr(record, f.name), str)),
        "checklist.title",
        "checklist.band",
        "checklist.suggested_stage",
        "checklist.lines.text",
        "checklist.lines.answer",
        "agreements.description",
        "participants.name",
    }
    assert _missing(pdf, poison, printed_fields) == []


def test_every_text_of_an_instancia_report_prints_as_typed(
    worked: ProfilePaths, tmp_path: Path
) -> None:
    services = open_services(worked, Settings())
    visited = max(services.list_instancias(), key=lambda s: s.visit_count)
    report = instancia_report(services.database, services.definitions, visited.id)
    services.close()
    assert report.scores and report.detail.visits
    poison = Poison()
    marked = poison(report)
    pdf = write_pdf(render_instancia_report(marked, FONTS), tmp_path, "informe")
    printed_fields = {
        "generated_by",
        "detail.summary.name",
        "detail.visits.acta_number",
        "scores.band",
        "scores.acta_number",
    }
    assert _missing(pdf, poison, printed_fields) == []


def test_the_printable_ranges_are_those_of_the_shipped_fonts() -> None:
    assert printable_ranges(FONTS) == RANGES, (
        "the fonts changed: regenerate domain/printable_ranges.py (see pdf/coverage.py)"
    )
    assert module_text(FONTS) == (
        Path(printable_ranges_module.__file__).read_text(encoding="utf-8")
    )


def test_text_the_fonts_cannot_draw_prints_as_a_visible_mark_not_a_blank(
    acta: tuple[ActaRecord, str], tmp_path: Path
) -> None:
    record, code = acta  # made on another laptop: input here would have refused it
    odd = dataclasses.replace(record, development="Reunión con 王小明 y محمد, sin boxes.")
    pdf = write_pdf(render_acta(odd, code, FONTS), tmp_path, "acta")
    assert "Reunión con \ufffd\ufffd\ufffd y \ufffd\ufffd\ufffd\ufffd, sin boxes." in flat(
        " ".join(page_texts(pdf))
    )
    assert_only_embedded_dejavu(pdf)
