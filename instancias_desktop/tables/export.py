"""Write a table for Excel: CSV as Excel in es-PE opens it, and XLSX with real dates and numbers."""

import csv
import datetime as dt
import io
import math
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from instancias_desktop.i18n import _
from instancias_desktop.tables.table import Table

__all__ = ["Table", "sheet_name", "to_csv", "to_xlsx"]

CSV_DATE = "%d/%m/%Y"
CSV_DATETIME = "%d/%m/%Y %H:%M"
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "dd/mm/yyyy hh:mm"
SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
CELL_TEXT_LIMIT = 32_767  # Excel's limit for the text of one cell
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths, in characters
# Texts that a spreadsheet would run as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_SLASHES = re.compile(r"[/\\]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?]")


def to_csv(table: Table) -> bytes:
    """UTF-8 with BOM, comma-separated, decimal point, dates dd/mm/aaaa, «Sí»/«No».

    As Excel with Peru's regional settings (decimal point, list separator ',') opens it
    with a double click: es-PE writes 1,234.5.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    writer.writerow([_defused(header) for header in table.headers])
    writer.writerows([_csv_text(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_text(value: object) -> str:
    """How Excel in es-PE expects to read one value."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return _csv_number(value)
    if isinstance(value, dt.datetime):
        return _local(value).strftime(CSV_DATETIME)
    if isinstance(value, dt.date):
        return value.strftime(CSV_DATE)
    return _defused(str(value))


def _csv_number(value: bool | int | float) -> str:
    """«Sí»/«No» for booleans, a decimal point for floats; NaN and infinity stay empty."""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, int):
        return str(value)
    return repr(value) if math.isfinite(value) else ""


def _defused(text: str) -> str:
    """A leading quote keeps a spreadsheet from running the text as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _yes_no(value: bool) -> str:
    return _("Sí") if value else _("No")


def _local(moment: dt.datetime) -> dt.datetime:
    """Spreadsheets know no time zones: show an aware moment in the computer's local time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def to_xlsx(table: Table, *, created: dt.datetime | None = None) -> bytes:
    """One sheet: bold frozen header, autofilter, real dates and numbers, texts never formulas.

    ``created`` (naive UTC, default now) dates the file; the same table and date give the
    same bytes.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook always has one worksheet
    sheet.title = sheet_name(table.title)
    workbook.properties.title = table.title
    _write_header(sheet, table.headers)
    for row_index, row in enumerate(table.rows, start=2):
        for column_index, value in enumerate(row, start=1):
            _write_cell(sheet, row_index, column_index, value)
    if table.headers:
        last = get_column_letter(len(table.headers))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    sheet.freeze_panes = "A2"
    _fit_widths(sheet, table)
    _personal_data_sheet(workbook, table)
    moment = created or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return _save(workbook, moment)


PERSONAL_DATA_SHEET = "Datos personales"


def _personal_data_sheet(workbook: Workbook, table: Table) -> None:
    """A second sheet that says what personal data the list holds (or that it holds none)."""
    sheet = workbook.create_sheet(_(PERSONAL_DATA_SHEET))
    if table.personal_data:
        lines = [
            _("Esta lista contiene datos personales (Ley N° 29733, de Protección de Datos "
              "Personales):"),
            *(f"• {item}" for item in table.personal_data),
            _("Úsela solo para el seguimiento de la asistencia técnica, guárdela en un lugar "
              "protegido, no la comparta fuera del MIMP y bórrela cuando ya no la necesite."),
        ]  # fmt: skip
    else:
        lines = [_("Esta lista no contiene datos personales.")]
    for row, text in enumerate(lines, start=1):
        _write_text(sheet, row, 1, text)
    sheet.column_dimensions["A"].width = 100
    workbook.properties.description = " ".join(lines)


def sheet_name(title: str) -> str:
    r"""A valid Excel sheet name: no []:*?/\, no quotes at the ends, at most 31 characters."""
    name = _SHEET_SLASHES.sub("-", ILLEGAL_CHARACTERS_RE.sub("", title))  # 2024/2025 -> 2024-2025
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", name).split())
    name = name[:SHEET_NAME_LIMIT].strip("' ")
    if not name or name.casefold() == "history":  # Excel reserves "History"
        return _("Tabla")
    return name


def _write_header(sheet: Worksheet, headers: tuple[str, ...]) -> None:
    bold = Font(bold=True)
    for column_index, header in enumerate(headers, start=1):
        cell = _write_text(sheet, 1, column_index, header)
        if cell is not None:
            cell.font = bold


def _write_cell(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """Numbers and dates as Excel values; everything else as plain text."""
    if isinstance(value, bool):
        _write_text(sheet, row, column, _yes_no(value))
    elif isinstance(value, int | float):
        if math.isfinite(value):
            sheet.cell(row, column, value)
    elif isinstance(value, dt.datetime):
        sheet.cell(row, column, _local(value)).number_format = XLSX_DATETIME
    elif isinstance(value, dt.date):
        sheet.cell(row, column, value).number_format = XLSX_DATE
    elif value is not None:
        _write_text(sheet, row, column, str(value))


def _write_text(sheet: Worksheet, row: int, column: int, text: str) -> Cell | None:
    """Store text as a string even when it looks like a formula; Excel then shows it as typed."""
    clean = ILLEGAL_CHARACTERS_RE.sub("", text)[:CELL_TEXT_LIMIT]
    if not clean:
        return None
    cell = sheet.cell(row, column, clean)
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    if clean.startswith(_FORMULA_START):
        cell.quotePrefix = True  # and Excel keeps it as text when someone edits the cell
    return cell


def _fit_widths(sheet: Worksheet, table: Table) -> None:
    """Width of the longest line in each column, between MIN_WIDTH and MAX_WIDTH."""
    for column_index, header in enumerate(table.headers):
        texts = [header, *(_csv_text(row[column_index]) for row in table.rows)]
        longest = max(len(line) for text in texts for line in text.splitlines() or [""])
        width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
        sheet.column_dimensions[get_column_letter(column_index + 1)].width = width


def _save(workbook: Workbook, created: dt.datetime) -> bytes:
    """Write the workbook in memory; every date inside the file is ``created``."""
    workbook.properties.created = created
    workbook.properties.modified = created
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _redated(buffer.getvalue(), created)


def _redated(data: bytes, moment: dt.datetime) -> bytes:
    """The same zip with every entry dated ``moment`` instead of the clock at writing time."""
    stamp = (max(moment.year, 1980), *moment.timetuple()[1:6])
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info))
    return output.getvalue()
