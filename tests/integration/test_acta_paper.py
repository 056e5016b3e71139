"""The acta as paper: measured on the PDF itself (word boxes from pdftotext -bbox)."""

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pypdf
from helpers.acta_fixtures import flat, page_texts, pdftotext, write_pdf
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


def _words_at(pdf: Path) -> dict[str, list[float]]:
    words: dict[str, list[float]] = {}
    for x, word in _boxes(pdf)[1]:
        words.setdefault(word, []).append(x)
    return words


def test_tabs_and_indented_lines_keep_their_indentation(tmp_path: Path) -> None:
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    typed = "Puntos tratados:\n\tPrimero: instalación\n    Segundo: reglamento\nTercero: plan"
    record = dataclasses.replace(record_of(stored["content"]), objective=typed)
    words = _words_at(write_pdf(render_acta(record, stored["code"], FONTS), tmp_path, "a"))
    margin = words["Puntos"][0]
    assert words["Primero:"][0] - margin > 20  # a tab: eight spaces, about 0.9 cm
    assert words["Segundo:"][0] - margin > 10  # four spaces
    assert abs(words["Tercero:"][0] - margin) < 1


def test_every_page_but_the_signatures_has_room_for_initials(tmp_path: Path) -> None:
    pages = page_texts(_acta(tmp_path))
    assert len(pages) >= 2
    assert ["Iniciales:" in page for page in pages] == [True] * (len(pages) - 1) + [False]


def test_a_draft_says_borrador_beside_its_number_and_its_mark_is_outlined(
    tmp_path: Path,
) -> None:
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    draft = dataclasses.replace(record_of(stored["content"]), finalized=False, finalized_at="")
    pdf = write_pdf(render_acta(draft, "", FONTS), tmp_path, "borrador")
    pages = page_texts(pdf)
    beside = f"{draft.acta_number} — BORRADOR"
    assert all(beside in page.splitlines()[0] for page in pages)  # the running header
    assert beside in flat(pages[0]).split("1. Datos generales")[0]  # under the title
    assert not any("Iniciales:" in page for page in pages)  # nobody initials a draft
    for page in pypdf.PdfReader(pdf).pages:
        content = page.get_contents().get_data()
        assert b"2 Tr" in content  # filled and outlined: the outline survives toner saving
        assert b".25 .25 .25 RG" in content


def test_a_long_hyphenated_surname_breaks_at_its_hyphens(tmp_path: Path) -> None:
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    record = record_of(stored["content"])
    long_name = "Rosa Ccorimanya-Huamanchumo-Quispe"  # split mid-name before
    first = dataclasses.replace(record.participants[0], full_name=long_name)
    record = dataclasses.replace(record, participants=(first, *record.participants[1:]))
    pdf = write_pdf(render_acta(record, stored["code"], FONTS), tmp_path, "a")
    in_order = flat(pdftotext(pdf, "-raw"))  # the cell's lines, one after the other
    assert long_name in in_order.replace("- ", "-")  # broken only after a hyphen or a space


def test_an_agreement_carried_over_to_the_next_page_repeats_its_number(tmp_path: Path) -> None:
    stored = json.loads((GOLDEN / "v2-con-seguimiento.json").read_text(encoding="utf-8"))
    record = record_of(stored["content"])
    long_text = "\n".join(f"Actividad {n}: coordinar con la municipalidad." for n in range(140))
    agreement = dataclasses.replace(record.agreements[0], description=long_text)
    record = dataclasses.replace(record, agreements=(agreement, *record.agreements[1:]))
    pages = page_texts(write_pdf(render_acta(record, stored["code"], FONTS), tmp_path, "a"))
    started = next(i for i, page in enumerate(pages) if "Actividad 0:" in page)
    ended = next(i for i, page in enumerate(pages) if "Actividad 139:" in page)
    assert ended - started >= 2, "the agreement spans three pages or more"
    for index in range(started + 1, ended + 1):
        lines = [line.split() for line in pages[index].splitlines() if line.strip()]
        carried = [n for n, row in enumerate(lines) if row[:1] == [str(agreement.number)]]
        assert any(lines[n + 1][:1] == ["(cont.)"] for n in carried), index  # «1» over «(cont.)»
