"""Territory figures CSV: files as Excel saves them, and every bad case with its line."""

from pathlib import Path

import pytest

from instancias_desktop.domain.territory_figures import (
    FigureError,
    FiguresImport,
    TerritoryFigure,
    parse_figures,
    report,
)

KNOWN = frozenset({"01", "0101", "010101", "15", "1501", "150101", "150102", "150103", "070101"})
ALLOWED = "ubigeo, casos_violencia, cem, alertas_defensoria, solicitud"

FIX_UBIGEO = (
    "Escriba el código INEI de 2, 4 o 6 dígitos del departamento, la provincia o el distrito."
)


def saved(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> bytes:
    """Write the file as Excel would and read its bytes back."""
    path = tmp_path / "cifras.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path.read_bytes()


def errors_of(result: FiguresImport) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in result.errors]


def test_good_file_with_semicolons_decimal_commas_and_bom(tmp_path: Path) -> None:
    data = saved(
        tmp_path,
        "ubigeo;casos_violencia;cem;alertas_defensoria;solicitud\n"
        "150101;1234,5;sí;2;x\n"
        "150102;0;no;0;\n"
        "15;12.25;;;NO\n",
    )
    assert data.startswith(b"\xef\xbb\xbf")
    result = parse_figures(data, KNOWN)
    assert result.errors == ()
    assert result.rows == (
        TerritoryFigure("150101", 1234.5, True, 2, True, line=2),
        TerritoryFigure("150102", 0.0, False, 0, False, line=3),
        TerritoryFigure("15", 12.25, False, None, False, line=4),
    )
    assert result.summary() == "3 filas válidas, sin errores"


def test_cp1252_file_with_accented_capitalised_headers(tmp_path: Path) -> None:
    data = saved(
        tmp_path,
        " Ubígeo ;Casos_Violéncia;Solicitud;CEM\n150101;7;Sí;VERDADERO\n150103;;N;FALSO\n",
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = parse_figures(data, KNOWN)
    assert result.errors == ()
    assert result.rows == (
        TerritoryFigure("150101", 7.0, True, None, True, line=2),
        TerritoryFigure("150103", None, False, None, False, line=3),
    )


def test_comma_delimited_file_with_quoted_decimal_comma(tmp_path: Path) -> None:
    data = saved(tmp_path, 'ubigeo,casos_violencia,cem\n150101,"12,5",1\n150102,3.75,0\n', "utf-8")
    result = parse_figures(data, KNOWN)
    assert [(r.ubigeo, r.violence_cases, r.has_cem) for r in result.rows] == [
        ("150101", 12.5, True),
        ("150102", 3.75, False),
    ]


def test_leading_zero_dropped_by_excel_is_restored_only_when_known(tmp_path: Path) -> None:
    data = saved(tmp_path, "ubigeo;cem\n10101;x\n101;x\n1;x\n70101;x\n15010;x\n")
    result = parse_figures(data, KNOWN)
    assert [r.ubigeo for r in result.rows] == ["010101", "0101", "01", "070101"]
    assert errors_of(result) == [
        (6, "ubigeo", "ubigeo: «15010» no existe en el catálogo del INEI. " + FIX_UBIGEO),
    ]


def test_known_codes_may_come_as_a_list(tmp_path: Path) -> None:
    result = parse_figures(saved(tmp_path, "ubigeo;cem\n150101;si\n"), sorted(KNOWN))
    assert [r.ubigeo for r in result.rows] == ["150101"]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("999999;1", "ubigeo", "ubigeo: «999999» no existe en el catálogo del INEI. " + FIX_UBIGEO),
        (
            "Lima;1",
            "ubigeo",
            "ubigeo: «Lima» no es un código. Escriba solo cifras, por ejemplo 150101.",
        ),
        (
            ";1",
            "ubigeo",
            "ubigeo: falta el código. Escriba el ubigeo del INEI (2, 4 o 6 dígitos).",
        ),
        (
            "150102;doce",
            "casos_violencia",
            "casos_violencia: «doce» no es un número. Escriba solo cifras, por ejemplo 1234, "
            "1,234 o 12.5.",
        ),
        (
            "150102;1,23,4",
            "casos_violencia",
            "casos_violencia: «1,23,4» no es un número. Escriba solo cifras, por ejemplo 1234, "
            "1,234 o 12.5.",
        ),
        (
            "150102;-3",
            "casos_violencia",
            "casos_violencia: «-3» no puede ser negativo. Escriba 0 o un número mayor.",
        ),
        (
            "150102;1;tal vez",
            "cem",
            "cem: «tal vez» no se entiende. Escriba sí o no (también vale x o 1 para sí, "
            "y 0 o vacío para no).",
        ),
        (
            "150102;1;;2,5",
            "alertas_defensoria",
            "alertas_defensoria: «2,5» debe ser un número entero, sin decimales, por ejemplo 3.",
        ),
        (
            "150102;1;;-1",
            "alertas_defensoria",
            "alertas_defensoria: «-1» no puede ser negativo. Escriba 0 o un número mayor.",
        ),
        (
            "150102;1;;;quizá",
            "solicitud",
            "solicitud: «quizá» no se entiende. Escriba sí o no (también vale x o 1 para sí, "
            "y 0 o vacío para no).",
        ),
    ],
)
def test_bad_value_is_reported_on_its_line(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    text = "ubigeo;casos_violencia;cem;alertas_defensoria;solicitud\n150101;4\n" + row + "\n"
    result = parse_figures(saved(tmp_path, text), KNOWN)
    assert errors_of(result) == [(3, column, message)]
    assert [r.line for r in result.rows] == [2]
    assert result.summary() == "1 fila válida, 1 con errores"


def test_duplicated_ubigeo_names_the_first_line(tmp_path: Path) -> None:
    text = "ubigeo;cem\n150101;si\n150102;no\n150101;no\n10101;si\n010101;no\n"
    result = parse_figures(saved(tmp_path, text), KNOWN)
    assert errors_of(result) == [
        (
            4,
            "ubigeo",
            "ubigeo 150101 repetido (ya está en la línea 2): deje una sola fila por territorio.",
        ),
        (
            6,
            "ubigeo",
            "ubigeo 010101 repetido (ya está en la línea 5): deje una sola fila por territorio.",
        ),
    ]
    assert [r.line for r in result.rows] == [2, 3, 5]


def test_several_errors_all_reported_and_good_rows_kept(tmp_path: Path) -> None:
    text = (
        "ubigeo;casos_violencia;alertas_defensoria\n"
        "150101;10;1\n"
        "\n"
        "999999;diez;-2\n"
        ";;\n"
        "150102;5;0\n"
        "150103;5,5;tres\n"
    )
    result = parse_figures(saved(tmp_path, text), KNOWN)
    assert [(r.ubigeo, r.line) for r in result.rows] == [("150101", 2), ("150102", 6)]
    assert [(e.line, e.column) for e in result.errors] == [
        (4, "ubigeo"),
        (4, "casos_violencia"),
        (4, "alertas_defensoria"),
        (7, "alertas_defensoria"),
    ]
    assert result.summary() == "2 filas válidas, 2 con errores"
    assert report(result.errors).splitlines()[0] == (
        "Línea 4, ubigeo: «999999» no existe en el catálogo del INEI. " + FIX_UBIGEO
    )
    assert report(result.errors).splitlines()[3] == (
        "Línea 7, alertas_defensoria: «tres» no es un número. Escriba solo cifras, por ejemplo 3."
    )


def test_value_without_a_header_points_to_the_separator(tmp_path: Path) -> None:
    data = saved(tmp_path, "ubigeo,casos_violencia\n150101,12,5\n150102,4\n", "utf-8")
    result = parse_figures(data, KNOWN)
    assert errors_of(result) == [
        (
            2,
            "columna 3",
            "columna 3: «5» está en una columna sin encabezado. Si escribe decimales con coma, "
            "separe las columnas con punto y coma (;).",
        )
    ]
    assert [r.ubigeo for r in result.rows] == ["150102"]


def test_unknown_columns_are_named_with_the_allowed_ones(tmp_path: Path) -> None:
    data = saved(tmp_path, "ubigeo;casos;cem;Distrito\n150101;1;si;Lima\n")
    result = parse_figures(data, KNOWN)
    assert errors_of(result) == [
        (
            1,
            "",
            f"Columnas desconocidas: «casos», «Distrito». Las columnas permitidas son: {ALLOWED}.",
        )
    ]
    assert result.rows == ()
    assert result.rejected
    assert result.summary() == "No se importó ninguna fila: corrija la línea 1."


def test_missing_ubigeo_column_is_one_error_at_line_one(tmp_path: Path) -> None:
    result = parse_figures(saved(tmp_path, "casos_violencia;cem\n12;si\n"), KNOWN)
    assert errors_of(result) == [
        (1, "", "Falta la columna «ubigeo» con el código INEI de cada territorio.")
    ]
    assert report(result.errors) == (
        "Línea 1: Falta la columna «ubigeo» con el código INEI de cada territorio."
    )


def test_header_needs_at_least_one_figure_column(tmp_path: Path) -> None:
    result = parse_figures(saved(tmp_path, "ubigeo\n150101\n"), KNOWN)
    assert errors_of(result) == [
        (
            1,
            "",
            "Agregue al menos una de las columnas casos_violencia, cem, alertas_defensoria "
            "o solicitud.",
        )
    ]


def test_repeated_column_is_rejected(tmp_path: Path) -> None:
    result = parse_figures(saved(tmp_path, "ubigeo;cem;CEM\n150101;si;no\n"), KNOWN)
    assert errors_of(result) == [(1, "", "La columna «cem» está repetida; deje solo una.")]


@pytest.mark.parametrize("text", ["", "\n\n", ";;;\n;;;\n"])
def test_empty_file_is_one_error_at_line_one(tmp_path: Path, text: str) -> None:
    result = parse_figures(saved(tmp_path, text), KNOWN)
    assert len(result.errors) == 1
    assert result.errors[0].line == 1
    assert result.errors[0].message.startswith("El archivo está vacío.")
    assert result.rows == ()


def test_file_without_header_row(tmp_path: Path) -> None:
    result = parse_figures(saved(tmp_path, "150101;12\n150102;3\n"), KNOWN)
    assert len(result.errors) == 1
    assert result.errors[0].line == 1
    assert result.errors[0].message.startswith("La línea 1 debe tener los nombres de las columnas")


def test_header_without_data_rows(tmp_path: Path) -> None:
    result = parse_figures(saved(tmp_path, "ubigeo;cem\n;\n\n"), KNOWN)
    assert errors_of(result) == [
        (
            1,
            "",
            "El archivo solo tiene la fila de encabezados: agregue una fila por territorio.",
        )
    ]


def test_excel_workbook_instead_of_csv(tmp_path: Path) -> None:
    path = tmp_path / "cifras.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(40))
    result = parse_figures(path.read_bytes(), KNOWN)
    assert len(result.errors) == 1
    assert "libro de Excel" in result.errors[0].message


def test_lines_count_physical_lines_across_quoted_newlines(tmp_path: Path) -> None:
    text = 'ubigeo;casos_violencia;cem\n"150101";"1";"si"\n\n"150102";"x\ny";"no"\n150103;2;z\n'
    result = parse_figures(saved(tmp_path, text), KNOWN)
    assert [(e.line, e.column) for e in result.errors] == [
        (4, "casos_violencia"),
        (6, "cem"),
    ]


def test_report_formats_each_error_on_its_own_line() -> None:
    errors = [
        FigureError(7, "casos_violencia", "casos_violencia: «doce» no es un número."),
        FigureError(1, "", "El archivo está vacío."),
    ]
    assert report(errors) == (
        "Línea 7, casos_violencia: «doce» no es un número.\nLínea 1: El archivo está vacío."
    )


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1234", 1234.0), ("1,234", 1234.0), ("1.234", 1234.0), ("12,5", 12.5), ("12.50", 12.5),
        ("1.234,5", 1234.5), ("1,234.56", 1234.56), ("12.345.678", 12345678.0),
    ],
)  # fmt: skip
def test_thousands_separators_of_peru_and_spain_are_read_as_such(
    tmp_path: Path, raw: str, value: float
) -> None:
    """Excel in es-PE writes 1,234; in es-ES 1.234: neither may become 1.234 cases."""
    text = f'ubigeo;casos_violencia\n150101;"{raw}"\n'
    (row,) = parse_figures(saved(tmp_path, text), KNOWN).rows
    assert row.violence_cases == value
