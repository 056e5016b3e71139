"""A document kept again while a viewer (or Excel) holds the earlier copy open, as on Windows."""

from contextlib import ExitStack
from pathlib import Path

import pytest
from helpers.held_files import held_open

from instancias_desktop.atomic_files import FileInUseError, write_atomically
from instancias_desktop.services import reports
from instancias_desktop.services.exports import write_table
from instancias_desktop.tables.table import Table


def test_a_held_file_is_not_replaced_and_the_refusal_says_what_to_do(tmp_path: Path) -> None:
    target = tmp_path / "acta-001.pdf"
    target.write_bytes(b"%PDF-1.4 primera")
    with held_open(target), pytest.raises(FileInUseError) as refused:
        write_atomically(target, b"%PDF-1.4 segunda")
    assert "«acta-001.pdf»" in str(refused.value)
    assert "otro programa lo tiene abierto" in str(refused.value)
    assert "Ciérrelo" in str(refused.value)
    assert target.read_bytes() == b"%PDF-1.4 primera"
    assert [p.name for p in tmp_path.iterdir()] == ["acta-001.pdf"]  # no temporary left


def test_the_same_pdf_again_opens_the_copy_the_viewer_holds(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    first = reports.save_export(folder, "acta-001.pdf", b"%PDF-1.4 acta")
    inode = first.stat().st_ino
    with held_open(first):
        again = reports.save_export(folder, "acta-001.pdf", b"%PDF-1.4 acta")
    assert again == first and first.stat().st_ino == inode  # not even rewritten
    assert [p.name for p in folder.iterdir()] == ["acta-001.pdf"]


def test_a_changed_pdf_goes_beside_the_copy_the_viewer_holds(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    first = reports.save_export(folder, "informe.pdf", b"%PDF-1.4 a las 10:00")
    with held_open(first):
        second = reports.save_export(folder, "informe.pdf", b"%PDF-1.4 a las 10:05")
        assert (second.name, second.read_bytes()) == ("informe (2).pdf", b"%PDF-1.4 a las 10:05")
        with held_open(second):  # the viewer opened that copy too
            third = reports.save_export(folder, "informe.pdf", b"%PDF-1.4 a las 10:09")
    assert first.read_bytes() == b"%PDF-1.4 a las 10:00"
    assert second.read_bytes() == b"%PDF-1.4 a las 10:05"
    assert (third.name, third.read_bytes()) == ("informe (3).pdf", b"%PDF-1.4 a las 10:09")
    fourth = reports.save_export(folder, "informe.pdf", b"%PDF-1.4 a las 10:30")
    assert fourth == first  # once the viewer lets go, the usual name is written again
    assert sorted(p.name for p in folder.iterdir()) == [
        "informe (2).pdf",
        "informe (3).pdf",
        "informe.pdf",
    ]


def test_a_list_exported_over_a_workbook_excel_holds_is_refused_in_spanish(
    tmp_path: Path,
) -> None:
    target = tmp_path / "acuerdos.xlsx"
    target.write_bytes(b"libro abierto en Excel")
    table = Table("Acuerdos", ("N°", "Acuerdo"), (("1", "Aprobar el plan"),))
    with held_open(target), pytest.raises(FileInUseError) as refused:
        write_table(table, target)
    assert "«acuerdos.xlsx»" in str(refused.value)
    assert "elija otro nombre" in str(refused.value)
    assert target.read_bytes() == b"libro abierto en Excel"
    assert [p.name for p in tmp_path.iterdir()] == ["acuerdos.xlsx"]


def test_when_every_copy_is_held_she_is_asked_to_close_the_viewer(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    reports.save_export(folder, "informe.pdf", b"%PDF-1.4 v0")
    with ExitStack() as stack:
        stack.enter_context(held_open(folder / "informe.pdf"))
        for copy in range(2, 22):
            stack.enter_context(held_open(folder / f"informe ({copy}).pdf", b"%PDF-1.4 vieja"))
        with pytest.raises(OSError, match="ciérrelo si está abierto y reintente"):
            reports.save_export(folder, "informe.pdf", b"%PDF-1.4 nueva")
    assert len(list(folder.iterdir())) == 21  # nothing half-written, no temporary left
