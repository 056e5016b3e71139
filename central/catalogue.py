"""The country the dashboard counts against: every instancia the territorial catalogue implies.

Denominators come from the shipped INEI catalogue (1,917 instancias), not from what laptops
have sent: an instancia no one has visited still counts, as «no creada».
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from instancias_desktop.domain.enums import LEVEL_OF_UNIT, InstanciaLevel
from instancias_desktop.domain.registry_seed import SeedOptions, government_units, instancia_for
from instancias_desktop.paths import resources_dir
from instancias_desktop.services.catalogue_files import read_ubigeo
from sync.kinds import instancia_id


@dataclass(frozen=True)
class PlannedInstancia:
    """An instancia the catalogue implies: its government unit, level and territory."""

    unit_code: str
    level: InstanciaLevel
    ubigeo: str
    name: str = ""

    @functools.cached_property
    def record_id(self) -> str:
        """Its id on every laptop and on the server, as text (a UUIDv5: computed once)."""
        return str(instancia_id(self.unit_code))


@dataclass(frozen=True)
class Country:
    """Territory names and the instancias of every territory in force."""

    names: dict[str, str]
    instancias: tuple[PlannedInstancia, ...]

    def by_id(self, record_id: str) -> PlannedInstancia | None:
        """The instancia with that id (text), or None."""
        return self._ids.get(record_id)

    @functools.cached_property
    def _ids(self) -> dict[str, PlannedInstancia]:
        return {i.record_id: i for i in self.instancias}

    def within(self, prefixes: Iterable[str]) -> list[PlannedInstancia]:
        """The instancias whose territory starts with one of ``prefixes`` (all for none)."""
        wanted = tuple(prefixes)
        return [i for i in self.instancias if not wanted or i.ubigeo.startswith(wanted)]


@functools.cache
def country() -> Country:
    """The shipped catalogue, read once per process."""
    catalogue = read_ubigeo(resources_dir() / "catalogues" / "ubigeo_inei.json")
    units = government_units(catalogue.territories, SeedOptions())
    names = {t.code: t.name for t in catalogue.territories if t.vigente}
    return Country(
        names,
        tuple(
            PlannedInstancia(
                u.code, LEVEL_OF_UNIT[u.kind], u.ubigeo, instancia_for(u, names[u.ubigeo]).name
            )
            for u in units
        ),
    )
