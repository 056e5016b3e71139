"""Form definitions as the central server delivers them, built from the bundled library."""

import json

from instancias_desktop.formdefs.build import canonical_json, content_hash
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import forms_dir

LIBRARY = FormLibrary(forms_dir())


def delivered_v2() -> tuple[str, str]:
    """The IDC definition as the server would send a version 2 of it."""
    v1 = LIBRARY.check_file(LIBRARY.path_of("funcionamiento_idc", 1))
    data = json.loads(v1.canonical)
    data["version"] = 2
    data["sections"][0]["items"][0]["weight"] = 9
    canonical = canonical_json(data)
    return canonical, content_hash(canonical)
