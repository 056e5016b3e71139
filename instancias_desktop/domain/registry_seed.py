"""Derive the government units and their instancias from the territorial catalogue."""

from collections.abc import Iterable
from dataclasses import dataclass

from instancias_desktop.domain.entities import GovernmentUnit, Instancia
from instancias_desktop.domain.enums import LEVEL_OF_UNIT, UnitKind
from instancias_desktop.domain.ubigeo import Territory, UbigeoLevel, is_capital_district
from sync import kinds

CALLAO = "07"
LIMA_METROPOLITANA = "1501"
MML_CODE = "MML"


@dataclass(frozen=True)
class SeedOptions:
    """Choices the guidelines leave open (domain.md section 2)."""

    cercado_has_idc: bool = False


def _of(name: str) -> str:
    """'de X', with the article the Callao takes in official names."""
    return "del Callao" if name == "Callao" else f"de {name}"


def government_units(territory: Iterable[Territory], options: SeedOptions) -> list[GovernmentUnit]:
    """26 regional-level units, one per province, one per non-capital (or every) district."""
    units: list[GovernmentUnit] = []
    for place in territory:
        if not place.vigente:
            continue
        if place.level is UbigeoLevel.DEPARTMENT:
            units.append(
                GovernmentUnit(
                    f"GR{place.code}",
                    UnitKind.REGIONAL,
                    f"Gobierno Regional {_of(place.name)}",
                    place.code,
                )
            )
            if place.code == "15":
                units.append(
                    GovernmentUnit(
                        MML_CODE,
                        UnitKind.REGIONAL,
                        "Municipalidad Metropolitana de Lima (función regional)",
                        LIMA_METROPOLITANA,
                    )
                )
        elif place.level is UbigeoLevel.PROVINCE:
            name = (
                "Municipalidad Metropolitana de Lima"
                if place.code == LIMA_METROPOLITANA
                else f"Municipalidad Provincial {_of(place.name)}"
            )
            units.append(GovernmentUnit(f"MP{place.code}", UnitKind.PROVINCIAL, name, place.code))
        elif not is_capital_district(place.code):
            units.append(
                GovernmentUnit(
                    f"MD{place.code}",
                    UnitKind.DISTRICT,
                    f"Municipalidad Distrital {_of(place.name)}",
                    place.code,
                )
            )
        elif options.cercado_has_idc:
            # The capital district is governed by the provincial municipality.
            units.append(
                GovernmentUnit(
                    f"MD{place.code}",
                    UnitKind.DISTRICT,
                    f"Municipalidad Provincial (distrito capital {place.name})",
                    place.code,
                )
            )
    return units


_LEVEL_WORD = {
    UnitKind.REGIONAL: "Regional",
    UnitKind.PROVINCIAL: "Provincial",
    UnitKind.DISTRICT: "Distrital",
}


# Every laptop and the server give a government unit's instancia the same id (derived from the
# unit's code, sync.kinds), so visits recorded anywhere point to the same instancia.
instancia_id = kinds.instancia_id


def instancia_for(unit: GovernmentUnit, place_name: str) -> Instancia:
    """The instancia a unit must create, named after its territory, stage 'no creada'."""
    where = "de Lima Metropolitana" if unit.code == MML_CODE else _of(place_name)
    return Instancia(
        id=instancia_id(unit.code),
        level=LEVEL_OF_UNIT[unit.kind],
        unit_code=unit.code,
        name=f"Instancia {_LEVEL_WORD[unit.kind]} de Concertación {where}",
    )
