"""The verification code of a finalized acta: a short form of the SHA-256 of its canonical content.

Printed in the footer and as a QR code, it lets anyone check a paper against the database: the
same content always gives the same code, and any change to any part gives another one.
"""

import hashlib
import json
import re
from dataclasses import dataclass

from instancias_desktop.domain.acta_record import ActaRecord, record_from_dict, record_to_dict
from instancias_desktop.i18n import _

# Crockford's base 32: no I, L, O or U, so a code read aloud or retyped is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS = 3
_GROUP = 4
# Between groups, any one separator with spaces around it, or none: a barcode scanner set to
# a US layout but typing into a Spanish or Latin-American one sends «'» for «-».
_SEP = r"\s*[^0-9A-Z\s]?\s*"
_CODE = re.compile(
    rf"(?<![0-9A-Z])([0-9A-Z]{{4}}){_SEP}([0-9A-Z]{{4}}){_SEP}([0-9A-Z]{{4}})(?![0-9A-Z])"
)
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


# The layout of the hashed content. Codes are printed on signed paper and must verify for
# years: a snapshot's content is kept as it was hashed, never rebuilt, and every layout ever
# used stays readable (golden snapshots in tests/unit/domain/acta_snapshots). 1: no key
# (follow-ups absent when there were none); 2: this key added. A change to ActaRecord or to
# its JSON that alters the content of a current snapshot needs the next number.
SCHEMA_KEY = "acta_schema"
ACTA_SCHEMA = 2


class NewerActaError(ValueError):
    """A snapshot in a layout this version of the app does not know yet."""


def canonical_content(record: ActaRecord) -> str:
    """The record as compact JSON with sorted keys: what is hashed and kept as the snapshot."""
    values = {**record_to_dict(record), SCHEMA_KEY: ACTA_SCHEMA}
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def schema_of(content: str) -> int:
    """The layout a snapshot's content was written in."""
    return int(json.loads(content).get(SCHEMA_KEY, 1))


def record_of(content: str) -> ActaRecord:
    """The record a snapshot holds, whatever layout (up to this app's) it was written in."""
    data = json.loads(content)
    schema = int(data.pop(SCHEMA_KEY, 1))
    if schema > ACTA_SCHEMA:
        raise NewerActaError(
            _(
                "Esta acta se finalizó con una versión más reciente de la aplicación (formato "
                "{schema}); actualice la aplicación para verla."
            ).format(schema=schema)
        )
    return record_from_dict(data)


def content_hash(content: str) -> str:
    """The SHA-256 of a canonical content, in hex."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def code_of(digest: str) -> str:
    """The first 60 bits of the hash in base 32, as XXXX-XXXX-XXXX."""
    value = int(digest[:15], 16)  # 60 bits
    chars = []
    for _step in range(_GROUPS * _GROUP):
        value, index = divmod(value, 32)
        chars.append(_ALPHABET[index])
    text = "".join(reversed(chars))
    return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def qr_text(acta_number: str, code: str) -> str:
    """What the QR code of an acta holds: readable by any scanner, the code last."""
    return f"Acta MIMP {acta_number} - codigo de verificacion {code}"


_QR = re.compile(
    rf"Acta MIMP .+ - codigo de verificacion ([{_ALPHABET}]{{4}}-[{_ALPHABET}]{{4}}-"
    rf"[{_ALPHABET}]{{4}})"
)


def code_in_qr(text: str) -> str | None:
    """The code an acta's QR holds (as ``qr_text`` writes it); None for any other QR.

    A QR is read exactly or not at all: a stray code on the paper (a poster, a product) never
    yields an acta code.
    """
    found = _QR.fullmatch(text)
    return found.group(1) if found else None


def find_code(text: str) -> str | None:
    """The code in what was typed or scanned (spaces, lower case and misread letters forgiven)."""
    read = text.upper().translate(_READ_AS)
    # The match that ends last: a scanned QR ends with the code, and a word just before it
    # («código:» reads as «C0D1G0») must not take its first groups.
    matches = (_CODE.match(read, start) for start in range(len(read)))
    last = max((m for m in matches if m), key=lambda m: (m.end(), m.start()), default=None)
    return "-".join(last.groups()) if last else None


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
