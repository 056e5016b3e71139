"""Which checklist versions forms/ holds, read from it: no test names the latest one.

Adding a version as forms/README.md says (copy the file, raise ``version``, check, publish)
must leave the suite green, so tests ask here for the version in force and for the next one.
"""

import datetime as dt
from pathlib import Path

from instancias_desktop.domain.forms import FormRef
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import forms_dir


def latest(form_id: str, folder: Path | None = None) -> FormRef:
    """The newest released version of a definition."""
    versions = [
        r.version for r in FormLibrary(folder or forms_dir()).releases() if r.form_id == form_id
    ]
    return FormRef(form_id, max(versions))


def following(form_id: str, folder: Path | None = None) -> FormRef:
    """The version a new release of the definition would get."""
    return FormRef(form_id, latest(form_id, folder).version + 1)


def definition_count(folder: Path | None = None) -> int:
    """How many definition files (all forms, all versions) the folder holds."""
    return len(FormLibrary(folder or forms_dir()).files())


def file_of(ref: FormRef, folder: Path | None = None) -> Path:
    """The file of one version."""
    return FormLibrary(folder or forms_dir()).path_of(ref.form_id, ref.version)


def after_every_release(folder: Path | None = None) -> dt.date:
    """A release date later than every bundled one (a delivered version must be the newest)."""
    return max(r.released for r in FormLibrary(folder or forms_dir()).releases()) + dt.timedelta(1)
