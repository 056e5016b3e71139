"""The country the dashboard counts against: every instancia the territorial catalogue implies.

Denominators come from the shipped INEI catalogue (1,917 instancias), not from what laptops
have sent: an instancia no one has visited still counts, as «no creada».
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from instancias_desktop.domain.enums import LEVEL_OF_UNIT, InstanciaLevel
from instancias_desktop.domain.registry_seed import SeedOptions, government_units
from instancias_desktop.paths import resources_dir
from instancias_desktop.services.catalogue_files import read_ubigeo


@dataclass(frozen=True)
class PlannedInstancia:
    """An instancia the catalogue implies: its government unit, level and territory."""

    unit_code: str
    level: InstanciaLevel
    ubigeo: str


@dataclass(frozen=True)
class Country:
    """Territory names and the instancias of every territory in force."""

    names: dict[str, str]
    instancias: tuple[PlannedInstancia, ...]

    def within(self, prefixes: Iterable[str]) -> list[PlannedInstancia]:
        """The instancias whose territory starts with one of ``prefixes`` (all for none)."""
        wanted = tuple(prefixes)
        return [i for i in self.instancias if not wanted or i.ubigeo.startswith(wanted)]


@functools.cache
def country() -> Country:
    """The shipped catalogue, read once per process."""
    catalogue = read_ubigeo(resources_dir() / "catalogues" / "ubigeo_inei.json")
    units = government_units(catalogue.territories, SeedOptions())
    return Country(
        {t.code: t.name for t in catalogue.territories if t.vigente},
        tuple(PlannedInstancia(u.code, LEVEL_OF_UNIT[u.kind], u.ubigeo) for u in units),
    )
