"""Who is calling and what they may read and write: roles, territories, ownership."""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, delete, false, or_, select, true, tuple_
from sqlalchemy.orm import Session

from sync.server.store import Reach, Record, Territory, User

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
PREFIX_PATTERN = re.compile(r"^[0-9]{2}([0-9]{2}){0,2}$")  # an ubigeo prefix: 2, 4 or 6 digits


class AccountError(ValueError):
    """A refused account change; the message is Spanish and says what to do."""


class Role(StrEnum):
    """What a user is: a specialist of some territories, a supervisor of all, or headquarters.

    «sede» is headquarters staff: it reads the whole country in the web dashboard and never
    signs a laptop in, so it writes nothing.
    """

    ESPECIALISTA = "especialista"
    SUPERVISOR = "supervisor"
    SEDE = "sede"


@dataclass(frozen=True)
class Caller:
    """The signed-in user behind a request, and the device it came from (None in-process)."""

    username: str
    role: Role
    territories: tuple[str, ...] = ()
    device_id: uuid.UUID | None = None

    @property
    def is_supervisor(self) -> bool:
        """Supervisors read everything and write like a specialist of every territory."""
        return self.role is Role.SUPERVISOR

    def covers(self, scope: str) -> bool:
        """Whether ``scope`` lies inside one of the caller's territories."""
        return self.is_supervisor or scope.startswith(self.territories)

    def can_read(self, scope: str, owner: str) -> bool:
        """Whether a record of that scope and owner is visible to the caller."""
        return owner == self.username or self.covers(scope)


def visible_to(caller: Caller) -> ColumnElement[bool]:
    """The SQL condition selecting the records the caller may read.

    Her own records, those of her territories, and those a record of her territories names
    (``Reach``: a person first recorded elsewhere, named by a participant here).
    """
    if caller.is_supervisor:
        return true()
    conditions: list[ColumnElement[bool]] = [Record.owner == caller.username]
    conditions.extend(Record.scope.startswith(prefix) for prefix in caller.territories)
    if caller.territories:
        reached = select(Reach.kind, Reach.record_id).where(
            or_(*(Reach.scope.startswith(prefix) for prefix in caller.territories))
        )
        conditions.append(tuple_(Record.kind, Record.record_id).in_(reached))
    return or_(false(), *conditions)


def out_of_scope(scope: str) -> str:
    """The reason given for a record outside the caller's territories."""
    return (
        f"El registro está fuera de su ámbito (ubigeo {scope}): no pertenece a los territorios "
        "que tiene asignados. Si debería tenerlo, pida a su supervisor que se lo asigne."
    )


def load_caller(session: Session, username: str, device_id: uuid.UUID | None = None) -> Caller:
    """The caller for a user, with the territories assigned now (``AccountError`` if unknown)."""
    user = session.get(User, username)
    if user is None:
        raise AccountError(f"No existe el usuario «{username}».")
    prefixes = session.scalars(
        select(Territory.prefix).where(Territory.username == username).order_by(Territory.prefix)
    )
    return Caller(
        username=user.username,
        role=Role(user.role),
        territories=tuple(prefixes),
        device_id=device_id,
    )


def assign_territories(
    session: Session, username: str, prefixes: Iterable[str], *, replace: bool = False
) -> tuple[str, ...]:
    """Add (or, with ``replace``, set) a user's ubigeo prefixes; answer all of them, sorted."""
    wanted = sorted(set(prefixes))
    invalid = [prefix for prefix in wanted if not PREFIX_PATTERN.match(prefix)]
    if invalid:
        raise AccountError(
            f"Ubigeo no válido: {', '.join(invalid)}. Use 2, 4 o 6 dígitos "
            "(departamento, provincia o distrito)."
        )
    if session.get(User, username) is None:
        raise AccountError(f"No existe el usuario «{username}». Créelo primero.")
    if replace:
        session.execute(delete(Territory).where(Territory.username == username))
    held = set(session.scalars(select(Territory.prefix).where(Territory.username == username)))
    session.add_all(
        Territory(username=username, prefix=prefix) for prefix in wanted if prefix not in held
    )
    session.flush()
    return tuple(sorted(held | set(wanted)))


def check_username(username: str) -> None:
    """Refuse user names that would be hard to type or to show (``AccountError``)."""
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            f"Nombre de usuario no válido: «{username}». Use letras sin tilde, números, "
            "punto, guion o arroba (hasta 100 caracteres)."
        )
