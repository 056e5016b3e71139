"""Table export: CSV and XLSX files written to disk and read back as Excel users would."""

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from instancias_desktop.tables.export import Table, sheet_name, to_csv, to_xlsx

TABLE = Table(
    title="Visitas 2025/2026: [Lima]",
    headers=("Fecha", "Territorio", "Casos", "Acuerdos", "Con CEM", "Nota", "Registrado"),
    rows=(
        (
            dt.date(2025, 3, 5),
            "Lima; Cercado",
            12.5,
            3,
            True,
            "=1+1",
            dt.datetime(2025, 3, 5, 14, 30),
        ),
        (dt.date(2025, 12, 31), "Línea 1\nLínea 2", 0.25, -2, False, "-2 días", None),
        (None, "Áncash", 1e-7, 0, None, "@SUMA(A1)", dt.datetime(2025, 1, 2, 8, 5)),
    ),
)
CREATED = dt.datetime(2025, 6, 1, 12, 0)


def written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=","))


def test_csv_has_bom_commas_and_es_pe_values(tmp_path: Path) -> None:
    path = written(tmp_path, "visitas.csv", to_csv(TABLE))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfFecha,Territorio,")
    rows = read_csv(path)
    assert rows[0] == list(TABLE.headers)
    assert rows[1] == [
        "05/03/2025",
        "Lima; Cercado",
        "12.5",
        "3",
        "Sí",
        "'=1+1",
        "05/03/2025 14:30",
    ]
    assert rows[2] == ["31/12/2025", "Línea 1\nLínea 2", "0.25", "-2", "No", "'-2 días", ""]
    assert rows[3] == ["", "Áncash", "1e-07", "0", "", "'@SUMA(A1)", "02/01/2025 08:05"]
    assert len(rows) == 4


def test_csv_quotes_texts_with_separator_or_newline(tmp_path: Path) -> None:
    raw = written(tmp_path, "visitas.csv", to_csv(TABLE)).read_bytes().decode("utf-8-sig")
    assert ",Lima; Cercado," in raw  # no separator inside: no quotes
    commas = Table("t", ("Territorio",), (("Wanchaq, Cusco",),))
    assert to_csv(commas).decode("utf-8-sig") == 'Territorio\r\n"Wanchaq, Cusco"\r\n'
    assert '"Línea 1\nLínea 2"' in raw
    assert raw.endswith("\r\n")


def test_csv_defuses_formula_looking_headers(tmp_path: Path) -> None:
    table = Table("t", ("=cmd", "+x", "normal"), (("a", "b", "c"),))
    rows = read_csv(written(tmp_path, "t.csv", to_csv(table)))
    assert rows[0] == ["'=cmd", "'+x", "normal"]


def test_csv_of_aware_datetime_uses_local_time(tmp_path: Path) -> None:
    moment = dt.datetime(2025, 3, 5, 19, 30, tzinfo=dt.UTC)
    table = Table("t", ("Momento",), ((moment,),))
    rows = read_csv(written(tmp_path, "t.csv", to_csv(table)))
    assert rows[1] == [moment.astimezone().strftime("%d/%m/%Y %H:%M")]


def load_sheet(tmp_path: Path, table: Table = TABLE) -> Worksheet:
    path = written(tmp_path, "visitas.xlsx", to_xlsx(table, created=CREATED))
    sheet = openpyxl.load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_xlsx_sheet_header_and_filter(tmp_path: Path) -> None:
    sheet = load_sheet(tmp_path)
    assert sheet.title == "Visitas 2025-2026 Lima"
    assert [c.value for c in sheet[1]] == list(TABLE.headers)
    assert all(c.font.b for c in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G4"
    assert sheet.max_row == 4


def test_xlsx_dates_are_real_dates(tmp_path: Path) -> None:
    sheet = load_sheet(tmp_path)
    assert sheet["A2"].value == dt.datetime(2025, 3, 5)
    assert sheet["A2"].is_date
    assert "dd/mm" in sheet["A2"].number_format
    assert sheet["G2"].value == dt.datetime(2025, 3, 5, 14, 30)
    assert sheet["G2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["A4"].value is None


def test_xlsx_numbers_are_numbers_and_booleans_read_si_no(tmp_path: Path) -> None:
    sheet = load_sheet(tmp_path)
    assert sheet["C2"].value == 12.5
    assert sheet["C2"].data_type == "n"
    assert sheet["D3"].value == -2
    assert sheet["D3"].data_type == "n"
    assert [sheet["E2"].value, sheet["E3"].value, sheet["E4"].value] == ["Sí", "No", None]


def test_xlsx_formula_looking_text_stays_text(tmp_path: Path) -> None:
    sheet = load_sheet(tmp_path)
    for ref, text in (("F2", "=1+1"), ("F3", "-2 días"), ("F4", "@SUMA(A1)")):
        assert sheet[ref].value == text
        assert sheet[ref].data_type == "s"
        assert sheet[ref].quotePrefix
    assert sheet["B3"].value == "Línea 1\nLínea 2"


def test_xlsx_column_widths_follow_content_with_a_cap(tmp_path: Path) -> None:
    table = Table("t", ("A", "Territorio"), (("x" * 200, "Lima"),))
    sheet = load_sheet(tmp_path, table)
    assert sheet.column_dimensions["A"].width == 60
    assert sheet.column_dimensions["B"].width == len("Territorio") + 2


def test_xlsx_is_deterministic_for_the_same_date() -> None:
    assert to_xlsx(TABLE, created=CREATED) == to_xlsx(TABLE, created=CREATED)


def test_xlsx_of_empty_table_still_opens(tmp_path: Path) -> None:
    sheet = load_sheet(tmp_path, Table("Sin datos", ("Uno", "Dos"), ()))
    assert sheet.auto_filter.ref == "A1:B1"
    assert [c.value for c in sheet[1]] == ["Uno", "Dos"]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Informe: ¿prioridad? *2025*", "Informe ¿prioridad 2025"),
        ("a" * 40, "a" * 31),
        ("'citado'", "citado"),
        ("[]:*?", "Tabla"),
        ("History", "Tabla"),
    ],
)
def test_sheet_names_follow_excel_rules(title: str, name: str) -> None:
    assert sheet_name(title) == name


def test_rows_must_match_headers() -> None:
    with pytest.raises(ValueError, match="row 0 has 1 cells for 2 headers"):
        Table("t", ("a", "b"), (("x",),))


def test_csv_and_xlsx_are_written_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert isinstance(to_csv(TABLE), bytes)
    assert openpyxl.load_workbook(io.BytesIO(to_xlsx(TABLE))).sheetnames == [
        "Visitas 2025-2026 Lima",
        "Datos personales",
    ]
    assert list(tmp_path.iterdir()) == []
