from collections import Counter

from instancias_desktop.domain.enums import InstanciaLevel, UnitKind
from instancias_desktop.domain.registry_seed import SeedOptions, government_units, instancia_for
from instancias_desktop.domain.ubigeo import Territory

TERRITORY = (
    Territory("07", "Callao"),
    Territory("15", "Lima"),
    Territory("0701", "Callao"),
    Territory("1501", "Lima"),
    Territory("070101", "Callao"),
    Territory("070102", "Bellavista"),
    Territory("150101", "Lima"),
    Territory("150102", "Ancón"),
    Territory("150199", "Retirado", vigente=False),
)


def test_units_per_level_and_lima_metropolitana_in_its_regional_role() -> None:
    units = government_units(TERRITORY, SeedOptions())
    kinds = Counter(u.kind for u in units)
    assert kinds == {UnitKind.REGIONAL: 3, UnitKind.PROVINCIAL: 2, UnitKind.DISTRICT: 2}
    names = {u.code: u.name for u in units}
    assert names["GR07"] == "Gobierno Regional del Callao"
    assert names["MML"] == "Municipalidad Metropolitana de Lima (función regional)"
    assert names["MP1501"] == "Municipalidad Metropolitana de Lima"
    assert names["MD070102"] == "Municipalidad Distrital de Bellavista"
    assert "MD150101" not in names, (
        "the capital district is governed by the provincial municipality"
    )
    assert "MD150199" not in names, "retired codes get no government unit"


def test_cercado_districts_get_an_idc_when_configured() -> None:
    units = government_units(TERRITORY, SeedOptions(cercado_has_idc=True))
    assert {u.code for u in units if u.kind is UnitKind.DISTRICT} == {
        "MD070101",
        "MD070102",
        "MD150101",
        "MD150102",
    }


def test_instancia_names_follow_level_and_territory() -> None:
    units = {u.code: u for u in government_units(TERRITORY, SeedOptions())}
    assert (
        instancia_for(units["GR07"], "Callao").name
        == "Instancia Regional de Concertación del Callao"
    )
    assert (
        instancia_for(units["MML"], "Lima").name
        == "Instancia Regional de Concertación de Lima Metropolitana"
    )
    idc = instancia_for(units["MD150102"], "Ancón")
    assert (idc.level, idc.name) == (
        InstanciaLevel.IDC,
        "Instancia Distrital de Concertación de Ancón",
    )
