"""The audit trail from the command line: read it (``admin audit``), prune it, and sign acts.

Every admin command leaves an entry naming the operating-system account that ran it and what
it acted on (user names, device ids, record ids, file names), never a password or a person's
details.
"""

import argparse
import datetime as dt
import getpass
import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from sync.server import audit
from sync.server.audit import Action

# The arguments an entry may name, under the label an administrator reads.
_NAMED_ARGUMENTS = {
    "name": "usuario",
    "role": "rol",
    "prefixes": "territorios",
    "replace": "reemplazar",
    "device_id": "equipo",
    "kind": "tipo",
    "record_id": "registro",
    "user": "usuario",
    "keep_days": "dias",
}


def admin_actor() -> str:
    """Who runs an admin command: ``admin:`` and the operating-system account."""
    try:
        account = getpass.getuser()
    except (OSError, KeyError):
        account = "?"
    return f"admin:{account}"


def add_audit_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """``audit`` and ``prune-audit``."""
    read = commands.add_parser(
        "audit", help="consultar la auditoría (accesos, envíos, descargas, administración)"
    )
    read.add_argument("--since", type=_date, metavar="AAAA-MM-DD", help="desde ese día (UTC)")
    read.add_argument("--until", type=_date, metavar="AAAA-MM-DD", help="hasta ese día incluido")
    read.add_argument("--user", metavar="USUARIO", help="solo las de ese usuario")
    read.add_argument("--device", type=_device, metavar="ID_EQUIPO", help="solo de ese equipo")
    read.add_argument(
        "--action",
        action="append",
        default=[],
        choices=[action.value for action in Action],
        metavar="ACCIÓN",
        help="solo esa acción (puede repetirse): " + ", ".join(action.value for action in Action),
    )
    read.add_argument("--limit", type=positive_number, default=200, metavar="N")
    prune = commands.add_parser(
        "prune-audit", help="borrar de la auditoría lo anterior a un número de días"
    )
    prune.add_argument("--keep-days", type=positive_number, required=True, metavar="DÍAS")


def read_trail(session: Session, args: argparse.Namespace) -> str:
    """The entries that match, oldest first, as tab-separated lines."""
    found = audit.query(
        session,
        since=args.since,
        until=args.until + dt.timedelta(days=1) if args.until else None,
        actor=args.user,
        device_id=args.device,
        actions=args.action,
        limit=args.limit,
    )
    if not found:
        return "No hay entradas de auditoría con esos filtros."
    lines = ["FECHA\tUSUARIO\tEQUIPO\tDIRECCIÓN\tACCIÓN\tREGISTRO\tDETALLE"]
    for e in found:
        record = f"{e.kind} {e.record_id}" if e.kind and e.record_id else "—"
        lines.append(
            f"{e.at:%Y-%m-%d %H:%M:%S} UTC\t{e.actor}\t{e.device_id or '—'}\t"
            f"{e.address or '—'}\t{e.action}\t{record}\t{e.detail}"
        )
    return "\n".join(lines)


def prune_trail(session: Session, args: argparse.Namespace, now: dt.datetime) -> str:
    """Drop what is older than ``--keep-days``."""
    dropped = audit.prune(session, now - dt.timedelta(days=args.keep_days))
    return f"Auditoría: {dropped} entrada(s) de hace más de {args.keep_days} día(s) borradas."


def note_command(session: Session, args: argparse.Namespace, now: dt.datetime) -> None:
    """The entry of one admin command, in its transaction."""
    detail: dict[str, object] = {"comando": args.command}
    for name, label in _NAMED_ARGUMENTS.items():
        value = getattr(args, name, None)
        if value not in (None, False, [], ""):
            detail[label] = value if isinstance(value, bool | int | list) else str(value)
    file = getattr(args, "file", None)
    if file is not None:
        detail["archivo"] = Path(file).name
    session.add(audit.entry(now, Action.ADMIN, admin_actor(), detail=detail))


def _date(text: str) -> dt.datetime:
    try:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» no es una fecha AAAA-MM-DD") from None


def _device(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» no es un identificador de equipo") from None


def positive_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» no es un número entero") from None
    if value < 1:
        raise argparse.ArgumentTypeError("debe ser al menos 1")
    return value
