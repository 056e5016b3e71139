"""The verification code of a finalized acta: a short form of the SHA-256 of its canonical content.

Printed in the footer and as a QR code, it lets anyone check a paper against the database: the
same content always gives the same code, and any change to any part gives another one.
"""

import hashlib
import json
import re
from dataclasses import dataclass

from instancias_desktop.domain.acta_record import ActaRecord, record_from_dict, record_to_dict

# Crockford's base 32: no I, L, O or U, so a code read aloud or retyped is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS = 3
_GROUP = 4
_CODE = re.compile(r"(?<![0-9A-Z])([0-9A-Z]{4})[-\s]?([0-9A-Z]{4})[-\s]?([0-9A-Z]{4})(?![0-9A-Z])")
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def canonical_content(record: ActaRecord) -> str:
    """The record as compact JSON with sorted keys: what is hashed and kept as the snapshot."""
    return json.dumps(
        record_to_dict(record), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def record_of(content: str) -> ActaRecord:
    """The record a snapshot holds."""
    return record_from_dict(json.loads(content))


def content_hash(content: str) -> str:
    """The SHA-256 of a canonical content, in hex."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def code_of(digest: str) -> str:
    """The first 60 bits of the hash in base 32, as XXXX-XXXX-XXXX."""
    value = int(digest[:15], 16)  # 60 bits
    chars = []
    for _ in range(_GROUPS * _GROUP):
        value, index = divmod(value, 32)
        chars.append(_ALPHABET[index])
    text = "".join(reversed(chars))
    return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def qr_text(acta_number: str, code: str) -> str:
    """What the QR code of an acta holds: readable by any scanner, the code last."""
    return f"Acta MIMP {acta_number} - codigo de verificacion {code}"


def find_code(text: str) -> str | None:
    """The code in what was typed or scanned (spaces, lower case and misread letters forgiven)."""
    found = _CODE.findall(text.upper().translate(_READ_AS))
    return "-".join(found[-1]) if found else None  # a scanned QR ends with the code


@dataclass(frozen=True)
class ActaSnapshot:
    """A finalized acta as kept: its canonical content, the SHA-256 of it and the printed code."""

    content: str
    digest: str
    code: str

    def intact(self) -> bool:
        """Whether the content still hashes to the recorded digest and code."""
        digest = content_hash(self.content)
        return digest == self.digest and code_of(digest) == self.code


def snapshot_of(record: ActaRecord) -> ActaSnapshot:
    """The snapshot that finalizing this record keeps."""
    content = canonical_content(record)
    digest = content_hash(content)
    return ActaSnapshot(content, digest, code_of(digest))
