"""Form definitions as the central server delivers them, built from the bundled library."""

import json

from helpers.form_versions import following, latest
from instancias_desktop.formdefs.build import canonical_json, content_hash
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import forms_dir

LIBRARY = FormLibrary(forms_dir())


IDC_NEXT = following("funcionamiento_idc")  # a version forms/ does not hold yet


def delivered_next() -> tuple[str, str]:
    """The IDC definition as the server would send its next version (one weight changed)."""
    current = latest("funcionamiento_idc")
    newest = LIBRARY.check_file(LIBRARY.path_of(current.form_id, current.version))
    data = json.loads(newest.canonical)
    data["version"] = IDC_NEXT.version
    data["sections"][0]["items"][0]["weight"] = 9
    canonical = canonical_json(data)
    return canonical, content_hash(canonical)
