"""The sealed file of a withdrawn laptop's unsent work: only its passphrase opens it whole."""

import datetime as dt
import hashlib
import uuid

import pytest
from helpers.records import operation

from sync.kinds import VISIT
from sync.unsent_package import MAGIC, PackageError, UnsentPackage, open_sealed, seal

CHEAP = {"n": 2**14, "r": 8, "p": 1}  # the smallest cost a file may ask for
PASSPHRASE = "para-la-supervisora"


def package() -> UnsentPackage:
    photo = b"\xff\xd8" + b"foto" * 1000
    return UnsentPackage(
        username="ana",
        device_id=uuid.uuid4(),
        exported_at=dt.datetime(2026, 12, 6, 15, tzinfo=dt.UTC),
        operations=tuple(operation(VISIT.name) for _ in range(3)),
        files={hashlib.sha256(photo).hexdigest(): photo},
    )


def test_a_package_comes_back_whole_with_its_passphrase() -> None:
    made = package()
    opened = open_sealed(seal(made, PASSPHRASE, cost=CHEAP), PASSPHRASE)
    assert opened == made


def test_a_wrong_passphrase_a_flipped_byte_or_a_cut_file_is_refused() -> None:
    sealed = seal(package(), PASSPHRASE, cost=CHEAP)
    with pytest.raises(PackageError, match="no corresponde"):
        open_sealed(sealed, "otra-contrasena")
    for at in (len(MAGIC) + 10, len(sealed) // 2, len(sealed) - 1):
        flipped = bytearray(sealed)
        flipped[at] ^= 0x01
        with pytest.raises(PackageError):
            open_sealed(bytes(flipped), PASSPHRASE)
    with pytest.raises(PackageError):
        open_sealed(sealed[: len(sealed) - 16], PASSPHRASE)
    with pytest.raises(PackageError, match="no es un paquete"):
        open_sealed(b"PK\x03\x04 un zip cualquiera", PASSPHRASE)


def test_a_file_cannot_ask_for_a_cost_that_would_exhaust_the_machine() -> None:
    sealed = seal(package(), PASSPHRASE, cost=CHEAP)
    hostile = sealed.replace(b'"p": 1,', b'"p": 9,', 1)  # the same length: it parses
    assert hostile != sealed
    with pytest.raises(PackageError, match="costo"):
        open_sealed(hostile, PASSPHRASE)


def test_a_short_passphrase_is_refused_before_anything_is_sealed() -> None:
    with pytest.raises(PackageError, match="al menos 10"):
        seal(package(), "corta")
