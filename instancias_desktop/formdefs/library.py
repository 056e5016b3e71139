"""The definitions folder (forms/): its files, the register of released versions, publishing.

A released version is immutable: ``releases.toml`` records the SHA-256 of its canonical content,
and a released file whose content no longer matches is an error, never a silent change.
"""

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from instancias_desktop.formdefs.errors import FormDefinitionError, FormError
from instancias_desktop.formdefs.load import SCHEMA_NAME, CheckedDefinition, read_definition
from instancias_desktop.formdefs.locate import LineIndex
from instancias_desktop.i18n import _

RELEASES_NAME = "releases.toml"
_VERSION_FILE = re.compile(r"^v(\d+)\.toml$")


@dataclass(frozen=True)
class Release:
    """One published version: which file content it is, and since when."""

    form_id: str
    version: int
    sha256: str
    released: dt.date


@dataclass(frozen=True)
class ReleasedDefinition:
    """A released version read back from its file and matched against its recorded hash."""

    checked: CheckedDefinition
    released: dt.date


class FormLibrary:
    """The definitions of one forms/ folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.schema_file = root / SCHEMA_NAME
        self.releases_file = root / RELEASES_NAME

    def name(self, path: Path) -> str:
        """How a file is named in messages: relative to the folder above forms/."""
        try:
            return str(path.resolve().relative_to(self.root.resolve().parent))
        except ValueError:
            return str(path)

    def files(self) -> list[Path]:
        """Every definition file: forms/<form>/v<version>.toml."""
        return sorted(
            (p for p in self.root.glob("*/*.toml") if _VERSION_FILE.match(p.name)),
            key=lambda p: (p.parent.name, int(p.stem[1:])),
        )

    def releases(self) -> list[Release]:
        """The released versions, as registered."""
        if not self.releases_file.exists():
            return []
        data = tomllib.loads(self.releases_file.read_text(encoding="utf-8"))
        return [
            Release(r["form"], r["version"], r["sha256"], r["released"])
            for r in data.get("release", ())
        ]

    def path_of(self, form_id: str, version: int) -> Path:
        """Where a version's file lives."""
        return self.root / form_id / f"v{version}.toml"

    def check_file(self, path: Path) -> CheckedDefinition:
        """Read and check one file, its place in the folder and, once released, its hash."""
        name = self.name(path)
        checked = read_definition(path, self.schema_file, name)
        form = checked.definition
        lines = LineIndex(path.read_text(encoding="utf-8"))
        errors = []
        if path.parent.name != form.form_id:
            errors.append(
                FormError(
                    name,
                    lines.line_of(("form",)),
                    "form",
                    _("la ficha «{form}» está en la carpeta «{folder}».").format(
                        form=form.form_id, folder=path.parent.name
                    ),
                    _("mueva el archivo a forms/{form}/ o corrija form.").format(form=form.form_id),
                )
            )
        if path.name != f"v{form.version}.toml":
            errors.append(
                FormError(
                    name,
                    lines.line_of(("version",)),
                    "version",
                    _("el archivo se llama {file} pero declara version = {version}.").format(
                        file=path.name, version=form.version
                    ),
                    _("llame al archivo v{version}.toml o corrija version.").format(
                        version=form.version
                    ),
                )
            )
        releases = self.releases()
        newest = max((r.version for r in releases if r.form_id == form.form_id), default=0)
        for release in releases:
            if (release.form_id, release.version) == (form.form_id, form.version) and (
                release.sha256 != checked.content_hash
            ):
                errors.append(
                    FormError(
                        name,
                        1,
                        _("versión publicada"),
                        _(
                            "la versión {version} ya fue publicada el {date} y su contenido cambió."
                        ).format(version=form.version, date=release.released.strftime("%d/%m/%Y")),
                        _(
                            "deshaga el cambio; para cambiar la ficha cópiela como v{next}.toml,"
                            " edite la copia y publíquela."
                        ).format(next=max(newest, form.version) + 1),  # never one that exists
                    )
                )
        if errors:
            raise FormDefinitionError(errors)
        return checked

    def check_all(self, paths: Iterable[Path] | None = None) -> list[FormError]:
        """Every error of the given files (all by default) and of released files gone missing."""
        errors: list[FormError] = []
        for path in paths if paths is not None else self.files():
            try:
                self.check_file(path)
            except FormDefinitionError as error:
                errors.extend(error.errors)
        if paths is None:
            for release in self.releases():
                if not self.path_of(release.form_id, release.version).exists():
                    errors.append(self._missing(release))
        return sorted(errors)

    def _missing(self, release: Release) -> FormError:
        return FormError(
            self.name(self.releases_file),
            1,
            release.form_id,
            _("falta el archivo de la versión publicada {version}.").format(
                version=release.version
            ),
            _("restaure {file}: las visitas que la usan la necesitan.").format(
                file=self.name(self.path_of(release.form_id, release.version))
            ),
        )

    def released(self) -> list[ReleasedDefinition]:
        """Every released version, checked against its hash (FormDefinitionError if not)."""
        return [
            ReleasedDefinition(self.check_file(self.path_of(r.form_id, r.version)), r.released)
            for r in self.releases()
        ]

    def publish(self, path: Path, today: dt.date) -> Release:
        """Register a checked file as a new released version of its form."""
        checked = self.check_file(path)
        form = checked.definition
        name = self.name(path)
        earlier = [r.version for r in self.releases() if r.form_id == form.form_id]
        if earlier and form.version <= max(earlier):
            raise FormDefinitionError(
                [
                    FormError(
                        name,
                        1,
                        "version",
                        _(
                            "la versión {version} ya está publicada o es anterior a la {last}."
                        ).format(version=form.version, last=max(earlier)),
                        _("publique una versión nueva: v{next}.toml.").format(
                            next=max(earlier) + 1
                        ),
                    )
                ]
            )
        release = Release(form.form_id, form.version, checked.content_hash, today)
        entry = (
            f'\n[[release]]\nform = "{release.form_id}"\nversion = {release.version}\n'
            f'sha256 = "{release.sha256}"\nreleased = {release.released.isoformat()}\n'
        )
        with self.releases_file.open("a", encoding="utf-8") as out:
            out.write(entry)
        return release
