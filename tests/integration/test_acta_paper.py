"""The acta as paper: measured on the PDF itself (word boxes from pdftotext -bbox)."""

import dataclasses
import json
import re
import subprocess
from pathlib import Path

from helpers.acta_fixtures import page_texts, write_pdf
from reportlab.lib.units import cm

from instancias_desktop.domain.acta_code import record_of
from instancias_desktop.paths import resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.pdf.theme import MARGIN_X

GOLDEN = Path(__file__).parent.parent / "unit" / "domain" / "acta_snapshots"
CELL_PADDING = 6  # reportlab's default left padding of a table cell, in points
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


FONTS = resources_dir() / "fonts"


def _acta(tmp_path: Path) -> Path:
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    pdf = render_acta(record_of(stored["content"]), stored["code"], FONTS)
    return write_pdf(pdf, tmp_path, "acta")


def _boxes(pdf: Path) -> tuple[list[tuple[float, float]], list[tuple[float, str]]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [(float(w), float(h)) for w, h in _PAGE.findall(html)]
    words = [(float(x), word) for x, word in _WORD.findall(html)]
    return pages, words


def test_the_acta_is_a4_and_each_signature_box_is_at_least_5_cm_wide(tmp_path: Path) -> None:
    pages, words = _boxes(_acta(tmp_path))
    assert {(round(w), round(h)) for w, h in pages} == {(595, 842)}  # A4 in points
    width = pages[0][0]
    starts = [x for x, word in words if word == "Firma"]
    assert starts, "the participants' table has its «Firma» column"
    signature = (width - MARGIN_X) - (starts[0] - CELL_PADDING)
    assert signature >= 5 * cm, f"the signature box is {signature / cm:.2f} cm wide"


def _last_lines(pdf: Path) -> list[str]:
    """The last line of each page's body (above the footer)."""
    found = []
    for page in page_texts(pdf):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        found.append(lines[-2])  # the footer is the last
    return found


def test_a_part_title_never_ends_a_page(tmp_path: Path) -> None:
    """«Instrumentos entregados» and its peers stay with their text, whatever comes before."""
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    record = record_of(stored["content"])
    titles = {"Objetivo", "Agenda", "Instrumentos entregados"}
    ended = []
    for lines in range(0, 60, 2):  # moves the titles down the page, line by line
        development = "\n\n".join(
            f"Párrafo {n} del desarrollo de la reunión." for n in range(lines)
        )
        shifted = dataclasses.replace(record, objective=development or record.objective)
        pdf = write_pdf(render_acta(shifted, stored["code"], FONTS), tmp_path, f"a{lines}")
        ended += [f"{lines}: {last}" for last in _last_lines(pdf) if last in titles]
    assert ended == []
