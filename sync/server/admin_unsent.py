"""``admin import-unsent``: a withdrawn laptop's unsent changes, applied by the administrator.

The specialist exported them to a sealed file (``sync.unsent_package``) and told her
supervisor the file's passphrase. Every operation goes through the same checks as a push of
hers (her territories, today's rules; a refusal is quarantined with its reason), and the annex
files the operations name are kept as if her laptop had uploaded them.
"""

import argparse
import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from sync.protocol import MAX_BATCH, MAX_CHUNK, Operation, PushRequest, UploadStart
from sync.server import attachments, service
from sync.server.access import Caller, load_caller
from sync.server.db import serialize_changes
from sync.unsent_package import PackageError, UnsentPackage, open_sealed

OUTCOME_LABELS = {
    "applied": "aplicados",
    "merged": "combinados",
    "conflict": "en conflicto (a resolver por la especialista o su supervisor)",
    "rejected": "rechazados (véalos con list-quarantine)",
}


class UnsentImportError(ValueError):
    """A package that cannot be applied; the message (Spanish) says why."""


def add_unsent_command(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """``import-unsent ARCHIVO [--password-file F]``."""
    command = commands.add_parser(
        "import-unsent",
        help="aplicar los cambios no enviados de un equipo dado de baja (archivo .cambios)",
    )
    command.add_argument("file", metavar="ARCHIVO", type=Path)
    command.add_argument("--password-file", type=Path, help="archivo con la contraseña del paquete")


def import_unsent(session: Session, path: Path, passphrase: str, now: dt.datetime) -> str:
    """Apply the package at ``path`` as its author would have pushed it; say what came of it."""
    try:
        package = open_sealed(path.read_bytes(), passphrase)
    except OSError as error:
        raise UnsentImportError(f"No se pudo leer {path}: {error.strerror}.") from None
    except PackageError as error:
        raise UnsentImportError(f"{path.name}: {error}") from None
    serialize_changes(session)  # before any read, as a push over HTTP
    caller = load_caller(session, package.username, package.device_id)
    outcomes: Counter[str] = Counter()
    for batch in _batches(package.operations):
        request = PushRequest(operations=batch)
        outcomes.update(
            r.outcome.value for r in service.push(session, caller, request, now).receipts
        )
    kept = _keep_files(session, caller, package, now)
    parts = [f"{count} {OUTCOME_LABELS[name]}" for name, count in sorted(outcomes.items())]
    return (
        f"Cambios de «{package.username}» exportados el {package.exported_at:%Y-%m-%d %H:%M}: "
        f"{len(package.operations)} operación(es): {', '.join(parts) or 'ninguna'}; "
        f"{kept} anexo(s) guardado(s) de {len(package.files)}."
    )


def _batches(operations: Sequence[Operation]) -> Iterator[tuple[Operation, ...]]:
    for start in range(0, len(operations), MAX_BATCH):
        yield tuple(operations[start : start + MAX_BATCH])


def _keep_files(session: Session, caller: Caller, package: UnsentPackage, now: dt.datetime) -> int:
    """Each file a record of hers names, uploaded piece by piece as her laptop would have."""
    kept = 0
    for sha, content in sorted(package.files.items()):
        if not content or not attachments.may_read(session, caller, sha):
            continue  # no applied record names it: nothing to attach it to
        size = len(content)
        state = attachments.start(
            session, caller, sha, UploadStart(size=size, chunk_size=MAX_CHUNK), now
        )
        if not state.complete:
            for index, at in enumerate(range(0, len(content), MAX_CHUNK)):
                data = content[at : at + MAX_CHUNK]
                attachments.put_chunk(session, caller, sha, index, data=data, now=now)
            _state, damaged = attachments.complete(session, caller, sha, now)
            if damaged:
                raise UnsentImportError(f"El anexo {sha[:12]}… no se pudo guardar: {damaged}")
        kept += 1
    return kept
