"""Every layout of acta ever finalized still prints, with its code, from its sealed snapshot."""

import json
from pathlib import Path

import pytest
from helpers.acta_fixtures import flat, page_texts, pdftotext, write_pdf

from instancias_desktop.domain.acta_code import record_of
from instancias_desktop.paths import resources_dir
from instancias_desktop.pdf.acta import render_acta

GOLDEN = sorted(
    (Path(__file__).parent.parent / "unit" / "domain" / "acta_snapshots").glob("*.json")
)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_a_golden_snapshot_prints_with_its_code(path: Path, tmp_path: Path) -> None:
    stored = json.loads(path.read_text(encoding="utf-8"))
    record = record_of(stored["content"])
    pdf = write_pdf(render_acta(record, stored["code"], resources_dir() / "fonts"), tmp_path, "a")
    printed = flat(" ".join(page_texts(pdf)))
    assert f"Código de verificación: {stored['code']}" in printed
    assert record.acta_number in printed
    in_drawing_order = flat(pdftotext(pdf, "-raw"))  # a name wrapped in its cell, joined
    assert all(p.full_name in in_drawing_order for p in record.participants)
