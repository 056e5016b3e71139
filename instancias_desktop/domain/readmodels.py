"""Read models: immutable views assembled for screens and reports (no behaviour, no I/O)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from instancias_desktop.domain.enums import InstanciaLevel, Stage, UnitKind


@dataclass(frozen=True)
class InstanciaSummary:
    """One line of the instancia registry, with its territory names and derived stage."""

    id: uuid.UUID
    level: InstanciaLevel
    name: str
    unit_name: str
    unit_kind: UnitKind
    ubigeo: str
    department_name: str
    province_name: str
    district_name: str
    stage: Stage
    stage_date: dt.date | None
    visit_count: int
    last_visit_date: dt.date | None
    capital_name: str = ""  # the town it sits in (a region's or province's capital district)

    @property
    def department_code(self) -> str:
        """The department the instancia belongs to."""
        return self.ubigeo[:2]

    @property
    def province_code(self) -> str:
        """The province (empty for a regional instancia of a whole department)."""
        return self.ubigeo[:4] if len(self.ubigeo) >= 4 else ""


@dataclass(frozen=True)
class CatalogueInfo:
    """A loaded catalogue and its version, for the status bar and support."""

    name: str
    version: str
    source: str


@dataclass(frozen=True)
class AboutInfo:
    """What «Acerca de» tells support: this app's version, its catalogues and its fichas."""

    app_version: str
    catalogues: tuple[tuple[str, str, str], ...]  # (label, version, source)
    forms: tuple[tuple[str, tuple[int, ...]], ...]  # (ficha, its versions held here)
