"""Parse the territory figures CSV (cases, CEM, alerts, requests) that analysts save from Excel."""

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from instancias_desktop.domain.text import fold
from instancias_desktop.i18n import _

# Column names are part of the file format, so they are not translated.
UBIGEO = "ubigeo"
VIOLENCE_CASES = "casos_violencia"
CEM = "cem"
ALERTS = "alertas_defensoria"
REQUESTED = "solicitud"
FIGURE_COLUMNS = (VIOLENCE_CASES, CEM, ALERTS, REQUESTED)
ALLOWED_COLUMNS = (UBIGEO, *FIGURE_COLUMNS)

_TRUE_WORDS = frozenset({"si", "s", "1", "true", "x", "verdadero"})
# A blank cell counts as "no": analysts mark the territories that have it with an "x".
_FALSE_WORDS = frozenset({"no", "n", "0", "false", "falso", ""})
_DECIMAL = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{1,6})?")
_GROUPED = re.compile(r"[0-9]{1,3}(?:([.,])[0-9]{3})+(?:([.,])[0-9]{1,2})?")
_SIMPLE = re.compile(r"[0-9]{1,12}(?:[.,](?:[0-9]{1,2}|[0-9]{4,6}))?")
_INTEGER = re.compile(r"([0-9]{1,9})(?:[.,]0{1,6})?")
_DIGITS = re.compile(r"[0-9]+")
_EXAMPLE_HEADER = ";".join(ALLOWED_COLUMNS)

_T = TypeVar("_T")


@dataclass(frozen=True)
class FigureError:
    """One problem in the file: its 1-based line (header = 1), column and what to fix."""

    line: int
    column: str  # "" when the problem concerns the whole file or its header
    message: str


@dataclass(frozen=True)
class TerritoryFigure:
    """The figures of one territory; None means the file does not give that figure."""

    ubigeo: str
    violence_cases: float | None
    has_cem: bool | None
    alerts: int | None
    requested: bool | None
    line: int


@dataclass(frozen=True)
class FiguresImport:
    """The valid rows of a figures file and every error found in it."""

    rows: tuple[TerritoryFigure, ...]
    errors: tuple[FigureError, ...]

    @property
    def rejected(self) -> bool:
        """Whether the file as a whole could not be read (no row was even looked at)."""
        return any(not error.column for error in self.errors)

    def summary(self) -> str:
        """Spanish one-liner, e.g. «152 filas válidas, 3 con errores»."""
        if self.rejected:
            return _("No se importó ninguna fila: corrija la línea {line}.").format(
                line=self.errors[0].line
            )
        valid = len(self.rows)
        text = (_("1 fila válida") if valid == 1 else _("{n} filas válidas")).format(n=valid)
        bad = len({error.line for error in self.errors})
        if not bad:
            return _("{valid}, sin errores").format(valid=text)
        return _("{valid}, {bad} con errores").format(valid=text, bad=bad)


def report(errors: Iterable[FigureError]) -> str:
    """The errors one per line, «Línea 7, casos_violencia: …», for a dialog."""
    lines = []
    for error in errors:
        template = _("Línea {line}, {message}") if error.column else _("Línea {line}: {message}")
        lines.append(template.format(line=error.line, message=error.message))
    return "\n".join(lines)


class _FileError(Exception):
    """The file cannot be read as a figures table; carries the errors to show."""

    def __init__(self, errors: Sequence[FigureError]) -> None:
        super().__init__(errors)
        self.errors = tuple(errors)


class _CellError(ValueError):
    """One cell's value is rejected; the argument is the Spanish message."""


def parse_figures(data: bytes, known_ubigeos: Collection[str]) -> FiguresImport:
    """Read the CSV bytes, check each row against the ubigeo catalogue and report every error.

    Excel drops the leading zero of codes such as 010101; a code of 1, 3 or 5 digits is
    left-padded with one zero only when the padded code is in ``known_ubigeos``.
    A row with any error is left out of ``rows``; its errors are in ``errors``.
    """
    try:
        records = _records(_decode(data))
        header_line, header = records[0]
        columns = _columns(header_line, header)
        if len(records) == 1:
            raise _FileError([_no_rows(header_line)])
    except _FileError as problem:
        return FiguresImport((), problem.errors)
    parser = _RowParser(columns, frozenset(known_ubigeos))
    for line, cells in records[1:]:
        parser.parse(line, cells)
    return FiguresImport(tuple(parser.rows), tuple(parser.errors))


def _file_error(message: str, line: int = 1) -> _FileError:
    return _FileError([FigureError(line, "", message)])


def _no_rows(header_line: int) -> FigureError:
    message = _("El archivo solo tiene la fila de encabezados: agregue una fila por territorio.")
    return FigureError(header_line, "", message)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Excel's ANSI code page (cp1252)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _file_error(
            _(
                "El archivo está guardado como «Texto Unicode». En Excel use Guardar como y elija "
                "«CSV UTF-8 (delimitado por comas)»."
            )
        )
    if data.startswith(b"PK\x03\x04"):
        raise _file_error(
            _(
                "El archivo es un libro de Excel, no un CSV. En Excel use Guardar como y elija "
                "«CSV UTF-8 (delimitado por comas)»."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _records(text: str) -> list[tuple[int, list[str]]]:
    """The non-blank records with the line each starts on; the first one is the header."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        message = _("No se pudo leer la línea: {error}. Revise las comillas.").format(error=error)
        raise _file_error(message, start) from None
    if not records:
        raise _file_error(
            _(
                "El archivo está vacío. Debe tener una fila de encabezados, por ejemplo "
                "«{header}», y una fila por territorio."
            ).format(header=_EXAMPLE_HEADER)
        )
    return records


def _columns(line: int, header: Sequence[str]) -> dict[int, str]:
    """Map cell positions to column names; every header problem is raised at once."""
    _check_is_header(line, header)
    columns: dict[int, str] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for index, raw in enumerate(header):
        name = "_".join(fold(raw).replace("-", " ").split())
        if not name:
            continue  # Excel leaves empty header cells after the last column
        if name not in ALLOWED_COLUMNS:
            unknown.append(raw.strip())
        elif name in columns.values():
            problems.append(
                _("La columna «{name}» está repetida; deje solo una.").format(name=name)
            )
        else:
            columns[index] = name
    problems[:0] = _missing_columns(columns.values(), unknown)
    if problems:
        raise _FileError([FigureError(line, "", message) for message in problems])
    return columns


def _check_is_header(line: int, header: Sequence[str]) -> None:
    """A code among the names means the analyst left out the header row."""
    if any(_DIGITS.fullmatch(cell.strip()) for cell in header):
        raise _file_error(
            _(
                "La línea {line} debe tener los nombres de las columnas, por ejemplo "
                "«{header}», y no datos."
            ).format(line=line, header=_EXAMPLE_HEADER),
            line,
        )


def _missing_columns(present: Collection[str], unknown: Sequence[str]) -> list[str]:
    problems = []
    if unknown:
        problems.append(
            _("Columnas desconocidas: {unknown}. Las columnas permitidas son: {allowed}.").format(
                unknown=", ".join(f"«{name}»" for name in unknown),
                allowed=", ".join(ALLOWED_COLUMNS),
            )
        )
    if UBIGEO not in present:
        problems.append(_("Falta la columna «ubigeo» con el código INEI de cada territorio."))
    if not any(name in present for name in FIGURE_COLUMNS):
        problems.append(
            _("Agregue al menos una de las columnas {columns} o {last}.").format(
                columns=", ".join(FIGURE_COLUMNS[:-1]), last=FIGURE_COLUMNS[-1]
            )
        )
    return problems


class _RowParser:
    """Checks data rows one by one, remembering which ubigeo came on which line."""

    def __init__(self, columns: Mapping[int, str], known: frozenset[str]) -> None:
        self.columns = columns
        self.known = known
        self.first_line: dict[str, int] = {}
        self.rows: list[TerritoryFigure] = []
        self.errors: list[FigureError] = []
        self.line = 0
        self.row_errors: list[FigureError] = []

    def parse(self, line: int, cells: Sequence[str]) -> None:
        """Check one row; keep it when every cell is valid, else record its errors."""
        self.line, self.row_errors = line, []
        self._check_unnamed_cells(cells)
        values = {name: _cell(cells, i) for i, name in self.columns.items()}
        ubigeo = self._take(UBIGEO, lambda: self._ubigeo(values[UBIGEO]))
        figure = TerritoryFigure(
            ubigeo=ubigeo or "",
            violence_cases=self._optional(values, VIOLENCE_CASES, _decimal),
            has_cem=self._optional(values, CEM, _boolean),
            alerts=self._optional(values, ALERTS, _integer),
            requested=self._optional(values, REQUESTED, _boolean),
            line=line,
        )
        if self.row_errors:
            self.errors.extend(self.row_errors)
        else:
            self.rows.append(figure)

    def _optional(
        self, values: Mapping[str, str], column: str, read: Callable[[str, str], _T | None]
    ) -> _T | None:
        if column not in values:
            return None
        return self._take(column, lambda: read(column, values[column]))

    def _take(self, column: str, read: Callable[[], _T | None]) -> _T | None:
        try:
            return read()
        except _CellError as problem:
            self.row_errors.append(FigureError(self.line, column, str(problem)))
            return None

    def _check_unnamed_cells(self, cells: Sequence[str]) -> None:
        """A value under no known column would be lost silently: usually a misplaced separator."""
        index = next(
            (i for i, cell in enumerate(cells) if i not in self.columns and cell.strip()), None
        )
        if index is None:
            return
        column = _("columna {n}").format(n=index + 1)
        message = _(
            "{column}: «{value}» está en una columna sin encabezado. Si escribe decimales "
            "con coma, separe las columnas con punto y coma (;)."
        ).format(column=column, value=cells[index].strip())
        self.row_errors.append(FigureError(self.line, column, message))

    def _ubigeo(self, raw: str) -> str:
        code = _known_code(raw, self.known)
        first = self.first_line.setdefault(code, self.line)
        if first != self.line:
            raise _CellError(
                _(
                    "ubigeo {code} repetido (ya está en la línea {line}): deje una sola fila "
                    "por territorio."
                ).format(code=code, line=first)
            )
        return code


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _known_code(raw: str, known: frozenset[str]) -> str:
    if not raw:
        raise _CellError(
            _("ubigeo: falta el código. Escriba el ubigeo del INEI (2, 4 o 6 dígitos).")
        )
    if not _DIGITS.fullmatch(raw):
        raise _CellError(
            _("ubigeo: «{raw}» no es un código. Escriba solo cifras, por ejemplo 150101.").format(
                raw=raw
            )
        )
    if raw in known:
        return raw
    if len(raw) in (1, 3, 5) and "0" + raw in known:
        return "0" + raw
    raise _CellError(
        _(
            "ubigeo: «{raw}» no existe en el catálogo del INEI. Escriba el código INEI de "
            "2, 4 o 6 dígitos del departamento, la provincia o el distrito."
        ).format(raw=raw)
    )


def _amount(raw: str) -> float | None:
    """A count as people type it in Peru or Spain; None when it is not one.

    A separator followed by exactly three digits groups thousands («1,234», «1.234», «12.345,5»
    all have a thousands part); one followed by one, two or four to six digits is the decimal
    mark («12,5», «12.50»). Case counts are whole numbers, so «1,234» is never 1.234.
    """
    grouped = _GROUPED.fullmatch(raw)
    if grouped:
        group, decimal = grouped.group(1), grouped.group(2)
        body = raw if decimal is None else raw[: raw.rindex(decimal)]
        if decimal == group or set(body) - set("0123456789" + group):
            return None
        whole = body.replace(group, "")
        return float(whole + ("." + raw[raw.rindex(decimal) + 1 :] if decimal else ""))
    if _SIMPLE.fullmatch(raw):
        return float(raw.replace(",", "."))
    return None


def _decimal(column: str, raw: str) -> float | None:
    if not raw:
        return None
    value = _amount(raw)
    if value is not None:
        return value
    if raw.startswith("-") and _amount(raw[1:]) is not None:
        raise _negative(column, raw)
    raise _CellError(
        _(
            "{column}: «{raw}» no es un número. Escriba solo cifras, por ejemplo 1234, 1,234 "
            "o 12.5."
        ).format(column=column, raw=raw)
    )


def _integer(column: str, raw: str) -> int | None:
    if not raw:
        return None
    match = _INTEGER.fullmatch(raw)
    if match:
        return int(match.group(1))
    if raw.startswith("-") and _DECIMAL.fullmatch(raw[1:]):
        raise _negative(column, raw)
    if _DECIMAL.fullmatch(raw):
        message = _("{column}: «{raw}» debe ser un número entero, sin decimales, por ejemplo 3.")
    else:
        message = _("{column}: «{raw}» no es un número. Escriba solo cifras, por ejemplo 3.")
    raise _CellError(message.format(column=column, raw=raw))


def _negative(column: str, raw: str) -> _CellError:
    return _CellError(
        _("{column}: «{raw}» no puede ser negativo. Escriba 0 o un número mayor.").format(
            column=column, raw=raw
        )
    )


def _boolean(column: str, raw: str) -> bool:
    word = fold(raw)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise _CellError(
        _(
            "{column}: «{raw}» no se entiende. Escriba sí o no (también vale x o 1 para sí, "
            "y 0 o vacío para no)."
        ).format(column=column, raw=raw)
    )
