"""What the screens show of synchronization: the enrolment, the state, the progress, the journal."""

import datetime as dt
import uuid
from dataclasses import dataclass


class SyncFailedError(Exception):
    """An enrolment or a sync that did not complete; ``str()`` says why and what to do.

    Nothing made on the laptop is lost: the next sync resumes where this one stopped.
    """


class DeviceWithdrawnError(SyncFailedError):
    """The administrator withdrew this laptop: it stays locked until its data is erased.

    Its unsent changes can still be exported, sealed, for the supervisor.
    """


@dataclass(frozen=True)
class Withdrawal:
    """Since when the laptop is withdrawn, and what the server never received."""

    since: dt.datetime
    changes: int
    files: int
    username: str = ""  # whose laptop it was (names the exported file)

    @property
    def anything_unsent(self) -> bool:
        """Whether erasing now would lose work (unless it was exported)."""
        return bool(self.changes or self.files)


def enrolment_setting(key: str) -> str:
    """Where the profile keeps one value of its enrolment («enrolment.token», …)."""
    return f"enrolment.{key}"


@dataclass(frozen=True)
class Enrolment:
    """A laptop signed in once to the central server (its device token is kept apart)."""

    server_url: str
    username: str
    device_id: uuid.UUID
    device_name: str
    enrolled_at: dt.datetime
    territories: tuple[str, ...] = ()  # ubigeo prefixes assigned to the user (at sign-in)
    role: str = "especialista"
    full_name: str = ""  # as her server account records it ("" when not recorded)
    post: str = ""


@dataclass(frozen=True)
class SignIn:
    """What the specialist types once to enrol the laptop (the password is never kept)."""

    server_url: str
    username: str
    password: str
    device_name: str

    def __repr__(self) -> str:
        """Never show the password (logs, tracebacks)."""
        return f"SignIn({self.server_url!r}, {self.username!r}, {self.device_name!r})"


@dataclass(frozen=True)
class SyncStatus:
    """Where this laptop stands: enrolled or not, and what still waits for the server."""

    enrolment: Enrolment | None
    pending: int  # «pendiente de envío» and «enviado»: not confirmed yet
    rejected: int  # «rechazado», not dismissed: the server refused them, each with its reason
    in_conflict: int  # open conflicts: another value won a field; the specialist decides
    last_sync: dt.datetime | None
    last_result: str  # the Spanish summary of the last sync ("" before the first)
    parked: int = 0  # received from the server, not stored here yet (each with its reason)

    @property
    def synchronized(self) -> bool:
        """Only when nothing waits: every change confirmed, nothing refused or parked."""
        waiting = self.pending or self.rejected or self.parked
        return self.enrolment is not None and not waiting and self.last_sync is not None


@dataclass(frozen=True)
class RefusalView:
    """A change the server refused, as the specialist typed it, with the server's reason."""

    op_id: uuid.UUID
    record: str  # «Acta N° 012-2026-…», «Participante María Núñez del acta N° …»
    change: str  # «Registro nuevo», «Cambio», «Eliminación»
    typed: str  # «Objetivo: Instalar la instancia; Lugar: …»
    reason: str
    made_at: dt.datetime

    def as_text(self) -> str:
        """All of it as plain text, to copy elsewhere."""
        return "\n".join(
            (
                f"{self.record} — {self.change} ({self.made_at.astimezone():%d/%m/%Y %H:%M})",
                self.typed,
                self.reason,
            )
        )


@dataclass(frozen=True)
class ParkedView:
    """A record received from the server that this laptop could not store yet, and why."""

    record: str
    reason: str


@dataclass(frozen=True)
class SyncProgress:
    """How far a running sync got: a stage, counts and bytes on the wire."""

    stage: str  # Spanish: «Enviando cambios», «Recibiendo cambios», …
    done: int
    total: int | None
    sent_bytes: int
    received_bytes: int


@dataclass(frozen=True)
class Rejection:
    """A change the server refused, with its reason in Spanish."""

    kind: str
    record_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class SyncSummary:
    """The result of one sync, said honestly: «sincronizado» only if all was confirmed."""

    complete: bool
    sent: int
    confirmed: int
    received: int
    rejected: tuple[Rejection, ...]
    conflicts: int
    message: str


@dataclass(frozen=True)
class JournalEntry:
    """One line of the sync journal, for the specialist and for support."""

    at: dt.datetime
    event: str  # «inicio», «envío», «recepción», «rechazo», «conflicto», «error», «fin»
    message: str
