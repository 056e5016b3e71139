"""Codes printed on signed paper verify forever: golden snapshots of every layout ever used."""

import json
from pathlib import Path

import pytest

from instancias_desktop.domain.acta_code import (
    ACTA_SCHEMA,
    SCHEMA_KEY,
    ActaSnapshot,
    NewerActaError,
    canonical_content,
    code_of,
    content_hash,
    record_of,
    schema_of,
)

GOLDEN = sorted((Path(__file__).parent / "acta_snapshots").glob("*.json"))


def _snapshot(path: Path) -> ActaSnapshot:
    stored = json.loads(path.read_text(encoding="utf-8"))
    return ActaSnapshot(stored["content"], stored["digest"], stored["code"])


def test_there_is_a_golden_snapshot_of_every_layout() -> None:
    assert {schema_of(_snapshot(p).content) for p in GOLDEN} == set(range(1, ACTA_SCHEMA + 1))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_a_golden_snapshot_still_verifies_and_reads(path: Path) -> None:
    snapshot = _snapshot(path)
    assert snapshot.intact()
    assert code_of(content_hash(snapshot.content)) == snapshot.code
    record = record_of(snapshot.content)
    assert record.finalized and record.acta_number and record.participants


@pytest.mark.parametrize(
    "path", [p for p in GOLDEN if schema_of(_snapshot(p).content) == ACTA_SCHEMA], ids=str
)
def test_the_current_layout_gives_the_same_content_and_code_as_before(path: Path) -> None:
    """Fails on any change to the record or its JSON that would alter a code: see the README."""
    snapshot = _snapshot(path)
    assert canonical_content(record_of(snapshot.content)) == snapshot.content


def test_a_snapshot_of_a_later_layout_says_to_update_the_app() -> None:
    content = json.loads(_snapshot(GOLDEN[-1]).content)
    content[SCHEMA_KEY] = ACTA_SCHEMA + 1
    with pytest.raises(NewerActaError, match="versión más reciente de la aplicación"):
        record_of(json.dumps(content))
