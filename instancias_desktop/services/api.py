"""What the screens may ask of the services: an interface and its values, with no database import.

The screens import only this module, so the window can paint before SQLAlchemy is even loaded.
"""

from dataclasses import dataclass
from typing import Protocol

from instancias_desktop.domain.readmodels import CatalogueInfo, InstanciaSummary
from instancias_desktop.domain.ubigeo import Territory


class ProfileOpenError(RuntimeError):
    """The profile cannot be opened; the message says why and what to do (nothing was changed)."""


@dataclass(frozen=True)
class TerritoryOptions:
    """Departments and provinces to filter by, and the catalogue versions behind them."""

    departments: tuple[Territory, ...]
    provinces: tuple[Territory, ...]
    catalogues: tuple[CatalogueInfo, ...]


class RegistryReader(Protocol):
    """Reads the instancia registry (each call is one unit of work, run off the GUI thread)."""

    def list_instancias(self) -> tuple[InstanciaSummary, ...]:
        """Every instancia with its territory, derived stage and visit figures."""
        ...

    def territory_options(self) -> TerritoryOptions:
        """Departments and provinces in force, for the filters."""
        ...


class Services(RegistryReader, Protocol):
    """Everything the main window needs from an opened profile."""

    def describe_profile(self) -> str:
        """Profile folder and catalogue versions, for the status bar and support."""
        ...

    def close(self) -> None:
        """Release the database (at exit)."""
        ...
