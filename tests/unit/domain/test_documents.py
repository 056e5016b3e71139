"""File names of produced documents: safe on every system and short enough for Windows."""

from pathlib import PurePosixPath

from instancias_desktop.domain.acta_numbers import DEFAULT_ACTA_PATTERN, ActaNumber
from instancias_desktop.domain.documents import acta_file_name
from instancias_desktop.paths import PATH_ROOM


def test_the_default_number_gives_a_plain_name() -> None:
    number = ActaNumber("E07", 2026, 12).format(DEFAULT_ACTA_PATTERN)
    assert acta_file_name(number) == "acta-012-2026-MIMP-DGCVG-DPVLV-E07.pdf"
    assert acta_file_name(number, "borrador") == "acta-012-2026-MIMP-DGCVG-DPVLV-E07-borrador.pdf"


def test_a_long_configured_pattern_is_cut_but_numbers_stay_apart() -> None:
    pattern = "N° {numero:03d}-{anio}-" + "MINISTERIO-DE-LA-MUJER-Y-POBLACIONES-VULNERABLES/" * 4
    pattern += "{serie}"
    names = {acta_file_name(ActaNumber("E07", 2026, n).format(pattern)) for n in (1, 2, 3)}
    assert len(names) == 3
    assert all(name.startswith("acta-00") and len(name) <= 70 for name in names)


def test_the_longest_name_kept_in_exports_fits_the_profile_room() -> None:
    number = ActaNumber("S" * 20, 2026, 999_999).format("{serie}" * 9 + "{numero}{anio}")
    name = acta_file_name(number, "borrador")
    # A copy beside one a viewer holds, while its temporary file is being written.
    held = PurePosixPath(name).stem + " (21).pdf"
    assert len(f"exports/{held}.{'x' * 8}.tmp") <= PATH_ROOM
