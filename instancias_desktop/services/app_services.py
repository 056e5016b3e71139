"""The services of one opened profile, bound together for the screens by the composition root."""

from dataclasses import dataclass

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.i18n import _
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import instancias
from instancias_desktop.services.api import TerritoryOptions
from instancias_desktop.services.catalogue_files import CATALOGUE_LABELS


@dataclass(frozen=True)
class AppServices:
    """Implements services.api.Services over the profile's database."""

    database: Database
    paths: ProfilePaths

    def list_instancias(self) -> tuple[InstanciaSummary, ...]:
        """The registry, for the instancias page."""
        return instancias.list_instancias(self.database)

    def territory_options(self) -> TerritoryOptions:
        """Departments and provinces, for the filters."""
        return instancias.territory_options(self.database)

    def describe_profile(self) -> str:
        """Profile folder and catalogue versions."""
        with self.database.reader() as uow:
            versions = ", ".join(
                f"{CATALOGUE_LABELS.get(c.name, c.name)} {c.version}"
                for c in uow.catalogue.versions()
            )
        return _("Perfil: {root} · Catálogos: {versions}").format(
            root=self.paths.root, versions=versions
        )

    def close(self) -> None:
        """Release the database connections."""
        self.database.dispose()
