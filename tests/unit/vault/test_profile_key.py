"""The profile's key: derived from the passphrase, checked without the database, slowed down."""

from pathlib import Path

import pytest

from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.profile_keys import MAX_WAIT_S, Unlocker, create_key
from instancias_desktop.vault.profile_key import (
    WrongPassphraseError,
    new_key_file,
    passphrase_problems,
    read_key_file,
    write_key_file,
)

PHRASE = "mi frase del perfil de campo"


def test_the_key_file_keeps_no_secret_and_gives_the_same_key_back(tmp_path: Path) -> None:
    key_file, key = new_key_file(PHRASE, cost=2**10)
    write_key_file(tmp_path / "clave.json", key_file)
    stored = (tmp_path / "clave.json").read_bytes()
    assert PHRASE.encode() not in stored and key.hex().encode() not in stored
    read = read_key_file(tmp_path / "clave.json")
    assert read == key_file and read.unlock(PHRASE) == key and len(key) == 32
    with pytest.raises(WrongPassphraseError):
        read.unlock(PHRASE.upper())
    with pytest.raises(FileExistsError):  # a second window never replaces the first one's
        write_key_file(tmp_path / "clave.json", new_key_file(PHRASE, cost=2**10)[0])
    assert read_key_file(tmp_path / "otra.json") is None


def test_a_new_passphrase_must_be_long_and_typed_twice_alike() -> None:
    assert passphrase_problems(PHRASE, PHRASE) == []
    assert any("al menos 10" in p for p in passphrase_problems("corta", "corta"))
    assert any("no coinciden" in p for p in passphrase_problems(PHRASE, PHRASE + "x"))
    assert any("espacios" in p for p in passphrase_problems(f" {PHRASE}", f" {PHRASE}"))


def test_wrong_passphrases_wait_longer_each_time_and_never_erase(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "perfil")
    key = create_key(paths, PHRASE, PHRASE)
    with pytest.raises(ValidationError, match="ya tiene contraseña"):
        create_key(paths, "otra frase distinta", "otra frase distinta")
    waits: list[float] = []
    unlocker = Unlocker(paths, sleep=waits.append)
    for _ in range(8):
        with pytest.raises(ValidationError, match="no es la de este perfil"):
            unlocker.unlock("no es la frase")
    assert waits == [1, 2, 4, 8, 16, MAX_WAIT_S, MAX_WAIT_S]
    assert unlocker.unlock(PHRASE) == key  # still opens: nothing counted toward erasing
    assert paths.key_file.is_file()
    unlocker.unlock(PHRASE)
    assert waits[-1] == MAX_WAIT_S and len(waits) == 8  # the wait before the right one, then none
