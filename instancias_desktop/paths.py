"""Where a profile keeps its files: one folder, chosen by flag, environment or OS default."""

import os
import site
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from instancias_desktop.i18n import _

APP_NAME = "instancias_desktop"
APP_AUTHOR = "MIMP"
HOME_ENV = "INSTANCIAS_HOME"
# The longest path the app makes inside a profile folder (an annex being received is
# attachments/ab/<64 hex>.part); tests/integration/test_profile_portability.py keeps it true.
PATH_ROOM = 110
_WINDOWS_MAX_PATH = 259  # MAX_PATH less its terminating NUL, where long paths are not enabled
_SHARE = Path("share") / APP_NAME


@dataclass(frozen=True)
class ProfilePaths:
    """Files of one profile; every test and every user profile gets its own root."""

    root: Path

    @property
    def database(self) -> Path:
        """The local SQLite database."""
        return self.root / "instancias.sqlite3"

    @property
    def key_file(self) -> Path:
        """How the database's key derives from her passphrase (salt, cost; no secret)."""
        return self.root / "clave.json"

    @property
    def backups(self) -> Path:
        """Copies of the database taken before each migration."""
        return self.root / "backups"

    @property
    def attachments(self) -> Path:
        """Annexed files, stored by content hash."""
        return self.root / "attachments"

    @property
    def exports(self) -> Path:
        """PDFs produced for printing or sharing (actas, reports)."""
        return self.root / "exports"

    @property
    def logs(self) -> Path:
        """Log files for support."""
        return self.root / "logs"

    @property
    def settings(self) -> Path:
        """Device preferences."""
        return self.root / "settings.json"

    def ensure(self) -> "ProfilePaths":
        """Create the folders of the profile when missing."""
        for folder in (self.root, self.backups, self.attachments, self.logs, self.exports):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_profile(data_dir: str | os.PathLike[str] | None = None) -> ProfilePaths:
    """The profile at ``data_dir``, else at $INSTANCIAS_HOME, else the user's data folder."""
    chosen = (
        data_dir or os.environ.get(HOME_ENV) or platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)
    )
    return ProfilePaths(Path(chosen).expanduser().resolve())


def path_room_problem(root: Path, platform: str = sys.platform) -> str | None:
    """On Windows, a Spanish message when files inside ``root`` would pass MAX_PATH."""
    if platform != "win32" or len(str(root)) + 1 + PATH_ROOM <= _WINDOWS_MAX_PATH:
        return None
    return _(
        "La carpeta del perfil tiene una ruta demasiado larga para Windows ({length} "
        "caracteres; admite hasta {room}): {root}. Inicie la aplicación con una carpeta de "
        "ruta más corta, por ejemplo --data-dir C:\\InstanciasDatos."
    ).format(length=len(str(root)), room=_WINDOWS_MAX_PATH - 1 - PATH_ROOM, root=root)


def resources_dir() -> Path:
    """Folder of shipped data (catalogues, stylesheet): checkout, bundle or installed copy."""
    for candidate in _resource_candidates():
        if (candidate / "catalogues").is_dir():
            return candidate
    raise FileNotFoundError("resources/ not found: reinstall the application")


def forms_dir() -> Path:
    """Folder of the checklist definitions (forms/): checkout, bundle or installed copy."""
    for candidate in _resource_candidates("forms"):
        if (candidate / "schema.json").is_file():
            return candidate
    raise FileNotFoundError("forms/ not found: reinstall the application")


def _resource_candidates(name: str = "resources") -> list[Path]:
    checkout = Path(__file__).resolve().parent.parent / name
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller
    return [
        checkout,
        *([Path(bundle) / name] if bundle else []),
        Path(sysconfig.get_path("data")) / _SHARE / name,
        Path(site.getuserbase()) / _SHARE / name,
    ]
