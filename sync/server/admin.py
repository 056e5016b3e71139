"""Administration commands: users, passwords, territories and devices (``admin`` subcommand)."""

import argparse
import datetime as dt
import getpass
import json
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sync.kinds import KINDS
from sync.server import auth, oversight
from sync.server.access import AccountError, Role, assign_territories
from sync.server.admin_audit import (
    add_audit_commands,
    admin_actor,
    note_command,
    prune_trail,
    read_trail,
)
from sync.server.admin_unsent import UnsentImportError, add_unsent_command, import_unsent
from sync.server.db import (
    SchemaRefusedError,
    begin_writing,
    create_server_engine,
    migrate,
    session_factory,
)
from sync.server.oversight import OversightError
from sync.server.published import PublishError, publish

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command that could not be carried out; the message is Spanish."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def add_admin_commands(parser: argparse.ArgumentParser) -> None:
    """The ``admin`` subcommands and their arguments."""
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMANDO")
    create = commands.add_parser("create-user", help="crear un usuario")
    create.add_argument("name", metavar="USUARIO")
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--password-file", type=Path, help="archivo con la contraseña")
    identity = commands.add_parser(
        "set-identity", help="registrar el nombre completo y el cargo (se imprimen en las actas)"
    )
    identity.add_argument("name", metavar="USUARIO")
    for command in (create, identity):
        command.add_argument("--full-name", default="", metavar="NOMBRE", help="nombre completo")
        command.add_argument("--post", default="", metavar="CARGO", help="cargo")
    assign = commands.add_parser("assign", help="asignar territorios (ubigeo) a un usuario")
    assign.add_argument("name", metavar="USUARIO")
    assign.add_argument("prefixes", metavar="UBIGEO", nargs="+")
    assign.add_argument("--replace", action="store_true", help="reemplazar los asignados")
    reset = commands.add_parser("reset-password", help="cambiar la contraseña de un usuario")
    reset.add_argument("name", metavar="USUARIO")
    reset.add_argument("--password-file", type=Path, help="archivo con la contraseña")
    revoke = commands.add_parser("revoke-device", help="dar de baja un equipo (su token)")
    revoke.add_argument("device_id", metavar="ID_EQUIPO")
    devices = commands.add_parser("list-devices", help="listar los equipos registrados")
    devices.add_argument("name", metavar="USUARIO", nargs="?")
    form = commands.add_parser(
        "publish-form", help="publicar una ficha (JSON de «instancias-forms export»)"
    )
    form.add_argument("file", metavar="ARCHIVO", type=Path)
    catalogue = commands.add_parser(
        "publish-catalogue", help="publicar una versión de un catálogo (ubigeo, entidades)"
    )
    catalogue.add_argument("file", metavar="ARCHIVO", type=Path)
    catalogue.add_argument("--name", required=True, choices=sorted(CATALOGUES))
    weights = commands.add_parser(
        "publish-weights", help="publicar los pesos de los criterios de prioridad (TOML)"
    )
    weights.add_argument("file", metavar="ARCHIVO", type=Path)
    refused = commands.add_parser(
        "list-quarantine", help="listar las operaciones rechazadas, con su motivo"
    )
    refused.add_argument("--user", metavar="USUARIO")
    refused.add_argument("--limit", type=int, default=50, metavar="N")
    withdraw = commands.add_parser(
        "withdraw", help="retirar un registro aplicado que no debía estar (queda auditado)"
    )
    withdraw.add_argument("kind", metavar="TIPO", choices=sorted(KINDS))
    withdraw.add_argument("record_id", metavar="ID_REGISTRO")
    withdraw.add_argument("--reason", required=True, metavar="MOTIVO")
    add_audit_commands(commands)
    add_unsent_command(commands)


def run_admin(
    args: argparse.Namespace,
    engine: Engine,
    *,
    stdin: TextIO,
    stdout: TextIO,
    now: dt.datetime,
) -> int:
    """Run one admin command in one transaction, audited; print the outcome in Spanish."""
    handlers: dict[str, Callable[[Session], str]] = {
        "create-user": lambda s: _create_user(s, args, stdin, now),
        "set-identity": lambda s: _set_identity(s, args),
        "assign": lambda s: _assign(s, args),
        "reset-password": lambda s: _reset_password(s, args, stdin, now),
        "revoke-device": lambda s: _revoke(s, args, now),
        "list-devices": lambda s: _list_devices(s, args),
        "publish-form": lambda s: _publish_form(s, args, now),
        "publish-catalogue": lambda s: _publish_catalogue(s, args, now),
        "publish-weights": lambda s: _publish_weights(s, args, now),
        "list-quarantine": lambda s: _list_quarantine(s, args),
        "withdraw": lambda s: _withdraw(s, args, now),
        "audit": lambda s: read_trail(s, args),
        "prune-audit": lambda s: prune_trail(s, args, now),
        "import-unsent": lambda s: import_unsent(s, args.file, _read_password(args, stdin), now),
    }
    try:
        migrate(engine)
        with session_factory(engine).begin() as session:
            begin_writing(session)  # the server may be writing too (its audit trail, pushes)
            output = handlers[args.command](session)
            note_command(session, args, now)
    except (AccountError, PublishError, OversightError, UnsentImportError) as error:
        raise CommandError(str(error)) from None
    except SchemaRefusedError as error:
        raise CommandError(str(error)) from None
    except SQLAlchemyError as error:
        raise CommandError(
            f"No se pudo usar la base de datos: {error.__class__.__name__}."
        ) from None
    print(output, file=stdout)
    return EXIT_OK


def open_engine(url: str) -> Engine:
    """The engine for ``--database-url``, or a usage error in Spanish."""
    try:
        return create_server_engine(url)
    except (ValueError, SQLAlchemyError) as error:
        raise CommandError(
            f"La dirección de la base de datos no es válida ({error}). "
            "Use sqlite:///RUTA o postgresql+psycopg://USUARIO@SERVIDOR/BASE.",
            EXIT_USAGE,
        ) from None


def _read_password(args: argparse.Namespace, stdin: TextIO) -> str:
    """From ``--password-file`` or standard input (asked twice on a terminal); never argv."""
    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CommandError(f"No se pudo leer {args.password_file}: {error.strerror}.") from None
        password = lines[0] if lines else ""
    elif stdin.isatty():
        password = getpass.getpass("Contraseña: ")
        if getpass.getpass("Repita la contraseña: ") != password:
            raise CommandError("Las contraseñas no coinciden; no se cambió nada.")
    else:
        password = stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError(
            "Falta la contraseña: escríbala en la entrada estándar o use --password-file."
        )
    return password


def _create_user(
    session: Session, args: argparse.Namespace, stdin: TextIO, now: dt.datetime
) -> str:
    auth.create_user(
        session,
        args.name,
        args.role,
        _read_password(args, stdin),
        now,
        full_name=args.full_name,
        post=args.post,
    )
    return f"Usuario «{args.name}» creado ({args.role})."


def _set_identity(session: Session, args: argparse.Namespace) -> str:
    auth.set_identity(session, args.name, args.full_name, args.post)
    return f"Identidad de «{args.name}»: {args.full_name or '—'}, {args.post or '—'}."


def _assign(session: Session, args: argparse.Namespace) -> str:
    held = assign_territories(session, args.name, args.prefixes, replace=args.replace)
    return f"Territorios de «{args.name}»: {', '.join(held) if held else 'ninguno'}."


def _reset_password(
    session: Session, args: argparse.Namespace, stdin: TextIO, now: dt.datetime
) -> str:
    revoked = auth.set_password(session, args.name, _read_password(args, stdin), now)
    return (
        f"Contraseña de «{args.name}» cambiada. {revoked} equipo(s) dado(s) de baja: en cada "
        "uno deberá iniciar sesión de nuevo con la nueva contraseña."
    )


def _revoke(session: Session, args: argparse.Namespace, now: dt.datetime) -> str:
    try:
        device_id = uuid.UUID(args.device_id)
    except ValueError:
        raise CommandError(
            f"«{args.device_id}» no es un identificador de equipo (UUID). Véalo con list-devices.",
            EXIT_USAGE,
        ) from None
    if not auth.revoke_device(session, device_id, now):
        raise CommandError(f"No existe el equipo {device_id}. Véalo con list-devices.")
    return f"Equipo {device_id} dado de baja: su token ya no sirve."


def _list_devices(session: Session, args: argparse.Namespace) -> str:
    devices = auth.list_devices(session, args.name)
    if not devices:
        return "No hay equipos registrados."
    lines = ["ID_EQUIPO\tUSUARIO\tNOMBRE\tREGISTRADO\tESTADO"]
    for device in devices:
        state = (
            "activo"
            if device.revoked_at is None
            else f"dado de baja {device.revoked_at:%Y-%m-%d %H:%M} UTC"
        )
        lines.append(
            f"{device.id}\t{device.username}\t{device.name}\t"
            f"{device.created_at:%Y-%m-%d %H:%M} UTC\t{state}"
        )
    return "\n".join(lines)


def _publish_form(session: Session, args: argparse.Namespace, now: dt.datetime) -> str:
    """A checklist definition for every laptop, as exported (canonical JSON, kept as is)."""
    try:
        content = Path(args.file).read_text(encoding="utf-8")
        data = json.loads(content)
        key = f"{data['form']}@{int(data['version'])}"
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(
            f"{args.file}: no es una ficha exportada ({error.__class__.__name__}). "
            "Use «instancias-forms export» para obtenerla."
        ) from None
    row, new = publish(session, "ficha", key, content, by="admin", now=now)
    if not new:
        return f"La ficha {key} ya estaba publicada (sin cambios)."
    return (
        f"Ficha {key} publicada (SHA-256 {row.sha256[:12]}…): llegará a los equipos al sincronizar."
    )


def _list_quarantine(session: Session, args: argparse.Namespace) -> str:
    """The latest refused operations, newest first, one per line."""
    found = oversight.quarantine(session, args.user, max(1, args.limit))
    if not found:
        return "No hay operaciones rechazadas."
    lines = ["RECIBIDA\tUSUARIO\tTIPO\tID_REGISTRO\tACCIÓN\tMOTIVO"]
    lines += [
        f"{e.received_at:%Y-%m-%d %H:%M} UTC\t{e.username}\t{e.kind}\t{e.record_id}\t"
        f"{e.action}\t{e.reason}"
        for e in found
    ]
    return "\n".join(lines)


def _withdraw(session: Session, args: argparse.Namespace, now: dt.datetime) -> str:
    """Tombstone a record that should not be there (with what hangs from it), audited."""
    try:
        record_id = uuid.UUID(args.record_id)
    except ValueError:
        raise CommandError(
            f"«{args.record_id}» no es un identificador de registro (UUID).", EXIT_USAGE
        ) from None
    reason = args.reason.strip()
    if not reason:
        raise CommandError("Escriba el motivo del retiro (--reason): queda en la auditoría.")
    done = oversight.withdraw(
        session, args.kind, record_id, actor=admin_actor(), why=reason, now=now
    )
    if not done:
        return f"El registro «{args.kind}» {record_id} ya estaba eliminado: nada que retirar."
    return (
        f"Retirados {len(done)} registro(s) ({args.kind} {record_id} y lo que depende de él): "
        "los equipos lo recibirán como eliminado al sincronizar."
    )


# The catalogues laptops can take, and how each file says its version.
CATALOGUES = {"ubigeo": "json", "entidades_integrantes": "toml"}


def _publish_catalogue(session: Session, args: argparse.Namespace, now: dt.datetime) -> str:
    """A new version of a catalogue file (as shipped with the app), for every laptop."""
    try:
        content = Path(args.file).read_text(encoding="utf-8")
        data = json.loads(content) if CATALOGUES[args.name] == "json" else tomllib.loads(content)
        version = str(data["version"]).strip()
        if not version:
            raise ValueError("version")
    except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError) as error:
        raise CommandError(
            f"{args.file}: no es un catálogo «{args.name}» con su versión "
            f"({error.__class__.__name__})."
        ) from None
    key = f"{args.name}@{version}"
    row, new = publish(session, "catalogo", key, content, by="admin", now=now)
    if not new:
        return f"El catálogo {key} ya estaba publicado (sin cambios)."
    return (
        f"Catálogo {key} publicado (SHA-256 {row.sha256[:12]}…): "
        "llegará a los equipos al sincronizar."
    )


def _publish_weights(session: Session, args: argparse.Namespace, now: dt.datetime) -> str:
    """The priority weights every laptop ranks with (server wins over a laptop's own)."""
    try:
        content = Path(args.file).read_text(encoding="utf-8")
        data = tomllib.loads(content)
        version = str(data["version"]).strip()
        weights = data["pesos"]
        if not version or not isinstance(weights, dict) or not weights:
            raise ValueError("pesos")
    except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError) as error:
        raise CommandError(
            f"{args.file}: no es un archivo de pesos: se esperan «version» y una tabla "
            f"[pesos] con un número por criterio ({error.__class__.__name__})."
        ) from None
    problem = _weights_problem(weights)
    if problem:
        raise CommandError(f"{args.file}: {problem} No se publicó nada.")
    key = f"pesos@{version}"
    row, new = publish(session, "pesos", key, content, by="admin", now=now)
    if not new:
        return f"Los pesos {key} ya estaban publicados (sin cambios)."
    return (
        f"Pesos {key} publicados (SHA-256 {row.sha256[:12]}…): "
        "llegarán a los equipos al sincronizar."
    )


# The criteria the laptops rank by (instancias_desktop.domain.priority.Criterion): the same
# small rule is checked here so that a file the laptops would refuse is never published.
WEIGHT_CRITERIA = (
    "brecha_estado", "exposicion_legal", "reactivacion", "carga_violencia", "presencia_cem",
    "cascada", "alertas_externas", "solicitud", "tiempo_sin_visita", "acuerdos_vencidos",
)  # fmt: skip


def _weights_problem(weights: dict[str, object]) -> str:
    """What is wrong with a [pesos] table, in Spanish ("" when it can be published)."""
    unknown = sorted(set(weights) - set(WEIGHT_CRITERIA))
    if unknown:
        return f"criterio desconocido «{unknown[0]}»; use: {', '.join(WEIGHT_CRITERIA)}."
    for name, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            return f"el peso de «{name}» debe ser un número de 0 a 100, no «{value}»."
    if not any(value for value in weights.values()):
        return "al menos un criterio debe tener un peso mayor que 0."
    return ""
