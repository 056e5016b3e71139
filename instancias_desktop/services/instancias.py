"""Browse the instancia registry: the national list and the territorial filter options."""

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.ubigeo import UbigeoLevel
from instancias_desktop.services.api import TerritoryOptions


def list_instancias(database: Database) -> tuple[InstanciaSummary, ...]:
    """Every instancia with its territory, derived stage and visit figures."""
    with database.reader() as uow:
        return tuple(uow.registry.summaries())


def territory_options(database: Database) -> TerritoryOptions:
    """The departments and provinces in force, for the filters."""
    with database.reader() as uow:
        return TerritoryOptions(
            departments=uow.catalogue.territories(UbigeoLevel.DEPARTMENT),
            provinces=uow.catalogue.territories(UbigeoLevel.PROVINCE),
            catalogues=uow.catalogue.versions(),
        )
