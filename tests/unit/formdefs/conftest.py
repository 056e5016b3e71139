"""Fixtures of the formdefs tests: forms/ folders in a temporary directory."""

import shutil
from pathlib import Path

import pytest

from instancias_desktop.paths import forms_dir


@pytest.fixture
def empty_forms(tmp_path: Path) -> Path:
    """tmp_path/forms with only the schema: no definition, nothing released."""
    root = tmp_path / "forms"
    root.mkdir()
    shutil.copy(forms_dir() / "schema.json", root)
    return root


@pytest.fixture
def forms_copy(tmp_path: Path) -> Path:
    """tmp_path/forms as a full copy of forms/: schema, the definitions and releases.toml."""
    root = tmp_path / "forms"
    shutil.copytree(forms_dir(), root)
    return root
