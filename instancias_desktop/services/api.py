"""What the screens may ask of the services: an interface and its values, with no database import.

The screens import only this module, so the window can paint before SQLAlchemy is even loaded.
Every method is one user action in one transaction, called off the GUI thread.
"""

from __future__ import annotations  # the domain types below are only named, not loaded

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from instancias_desktop.domain.checklist_views import ChecklistView
    from instancias_desktop.domain.conflict_views import ConflictChoice, ConflictView
    from instancias_desktop.domain.documents import ActaDocument, CodeCheck, ReportDocument
    from instancias_desktop.domain.entities import Visit
    from instancias_desktop.domain.enums import AttachmentKind
    from instancias_desktop.domain.form_changes import FormUpgrade
    from instancias_desktop.domain.forms import FormRef, ItemAnswer
    from instancias_desktop.domain.identity import Identity
    from instancias_desktop.domain.instancia_records import (
        InstrumentInput,
        MemberInput,
        NormRecordInput,
        SessionInput,
    )
    from instancias_desktop.domain.readmodels import AboutInfo, CatalogueInfo, InstanciaSummary
    from instancias_desktop.domain.signed_copies import PaperReading, PapersFiled
    from instancias_desktop.domain.sync_views import (
        JournalEntry,
        ParkedView,
        RefusalView,
        SignIn,
        SyncProgress,
        SyncStatus,
        SyncSummary,
        Withdrawal,
    )
    from instancias_desktop.domain.ubigeo import Territory
    from instancias_desktop.domain.visit_inputs import (
        AgreementInput,
        ParticipantInput,
        StageEventInput,
    )
    from instancias_desktop.domain.visit_views import (
        InstanciaDetail,
        PersonMatch,
        VisitDetail,
        VisitSummary,
    )

from instancias_desktop.services.planning_api import (
    ExportService,
    FollowUpService,
    PlanService,
    PriorityService,
)


class ProfileOpenError(RuntimeError):
    """The profile cannot be opened; the message says why and what to do (nothing was changed)."""


@dataclass(frozen=True)
class TerritoryOptions:
    """Departments and provinces to filter by, and the catalogue versions behind them."""

    departments: tuple[Territory, ...]
    provinces: tuple[Territory, ...]
    catalogues: tuple[CatalogueInfo, ...]
    assigned: tuple[str, ...] = ()  # ubigeo prefixes of the enrolled specialist (none: all)
    assigned_names: str = ""  # «Cusco, Apurímac»


@dataclass(frozen=True)
class RegistryView:
    """What the registry page shows: its filters' options and every instancia."""

    options: TerritoryOptions
    rows: tuple[InstanciaSummary, ...]


class RegistryReader(Protocol):
    """Reads the instancia registry."""

    def list_instancias(self) -> tuple[InstanciaSummary, ...]:
        """Every instancia with its territory, derived stage and visit figures."""
        ...

    def territory_options(self) -> TerritoryOptions:
        """Departments and provinces in force, for the filters."""
        ...

    def territory_warning(self, instancia_id: uuid.UUID) -> str | None:
        """Why the server would refuse a visit to this instancia (None when it is hers)."""
        ...

    def instancia_detail(self, instancia_id: uuid.UUID) -> InstanciaDetail:
        """Everything the instancia page shows."""
        ...


class RegistryEditor(Protocol):
    """Changes the shared data of an instancia (any specialist of its territory)."""

    def update_instancia(
        self, instancia_id: uuid.UUID, changes: Mapping[str, str]
    ) -> InstanciaDetail:
        """Save the chair or technical secretariat (ValidationError names each refused field)."""
        ...


class RecordEditor(Protocol):
    """Changes the instancia's own record (any specialist of its territory).

    Each call returns the page as stored; ValidationError names each refused field.
    """

    def save_member(
        self, instancia_id: uuid.UUID, data: MemberInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Add a representative to a seat, or correct one's data."""
        ...

    def change_representative(
        self, member_id: uuid.UUID, data: MemberInput, on: dt.date
    ) -> InstanciaDetail:
        """A new representative takes a seat; the former one's tenure ends that day."""
        ...

    def save_norm(
        self, instancia_id: uuid.UUID, data: NormRecordInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Record or correct a norm of the instancia."""
        ...

    def save_session(
        self, instancia_id: uuid.UUID, data: SessionInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Record or correct a session and its attendance."""
        ...

    def save_instrument(
        self, instancia_id: uuid.UUID, data: InstrumentInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Record or correct a reglamento interno, a plan or a report."""
        ...

    def set_schedule(
        self, instancia_id: uuid.UUID, dates: Mapping[str, dt.date | None]
    ) -> InstanciaDetail:
        """Set the agreed dates of the ordinance, installation and first session."""
        ...

    def remove_record(self, what: str, record_id: uuid.UUID) -> InstanciaDetail:
        """Remove a member, norm, session or instrument typed by mistake."""
        ...

    def attach_record_file(self, what: str, record_id: uuid.UUID, source: Path) -> InstanciaDetail:
        """Link a file to a norm, a session (its acta) or an instrument."""
        ...

    def remove_record_file(self, file_id: uuid.UUID) -> InstanciaDetail:
        """Withdraw a file linked by mistake."""
        ...

    def annex_content(self, sha256: str) -> bytes:
        """A sealed file's content, decrypted and checked."""
        ...


class AnnexReader(Protocol):
    """The content of the profile's annex files, which are kept sealed."""

    def annex_content(self, sha256: str) -> bytes:
        """An annex's content (a scan, a photo, a signed copy), decrypted and checked."""
        ...


class VisitService(AnnexReader, Protocol):
    """Records visits: drafts saved field by field, finalized for good, corrected by addenda."""

    def list_visits(self) -> tuple[VisitSummary, ...]:
        """Every live visit, newest first."""
        ...

    def place_options(self) -> tuple[tuple[str, str], ...]:
        """(ubigeo, 'District, Province, Department') of every territory in force."""
        ...

    def visit_detail(self, visit_id: uuid.UUID) -> VisitDetail:
        """One visit with everything its editor shows."""
        ...

    def start_visit(self, instancia_id: uuid.UUID) -> uuid.UUID:
        """A new numbered draft for an instancia."""
        ...

    def update_visit(self, visit_id: uuid.UUID, changes: Mapping[str, object]) -> Visit:
        """Save some header or narrative fields of a draft (ValidationError on bad input)."""
        ...

    def identity(self) -> Identity:
        """Who uses the profile (the name an acta prints as who finalized it)."""
        ...

    def set_identity(self, full_name: str, post: str) -> Identity:
        """Record her full name and post (ValidationError saying what to fix)."""
        ...

    def finalize_visit(self, visit_id: uuid.UUID) -> None:
        """Close the acta (IncompleteVisitError lists what is missing)."""
        ...

    def create_addendum(self, visit_id: uuid.UUID) -> uuid.UUID:
        """A new draft that corrects a finalized acta."""
        ...

    def delete_draft(self, visit_id: uuid.UUID) -> None:
        """Remove a draft; its number is never reused."""
        ...

    def save_participant(
        self,
        visit_id: uuid.UUID,
        data: ParticipantInput,
        participant_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Add or edit a participant."""
        ...

    def remove_participant(self, participant_id: uuid.UUID) -> None:
        """Take a participant off the list."""
        ...

    def move_participant(self, participant_id: uuid.UUID, offset: int) -> None:
        """Move a participant up or down the list."""
        ...

    def find_persons(self, query: str) -> tuple[PersonMatch, ...]:
        """Persons known from earlier visits matching a name or document."""
        ...

    def save_agreement(
        self, visit_id: uuid.UUID, data: AgreementInput, agreement_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Add or edit an agreement."""
        ...

    def remove_agreement(self, agreement_id: uuid.UUID) -> None:
        """Remove an agreement; later ones move up a number."""
        ...

    def attach_file(self, visit_id: uuid.UUID, source: Path, kind: AttachmentKind) -> uuid.UUID:
        """Copy a file into the profile and annex it."""
        ...

    def remove_attachment(self, attachment_id: uuid.UUID) -> None:
        """Unlink an annex."""
        ...

    def record_stage_event(self, visit_id: uuid.UUID, data: StageEventInput) -> str | None:
        """Append a hito from a visit; returns a warning for an unusual change."""
        ...


class ChecklistService(Protocol):
    """Fills a visit's functioning checklist, pinned to the definition version it started on."""

    def checklist(self, visit_id: uuid.UUID) -> ChecklistView | None:
        """The checklist with its score and comparison (None: no definition for the level)."""
        ...

    def save_checklist_answers(
        self, visit_id: uuid.UUID, ref: FormRef, answers: Mapping[str, ItemAnswer | None]
    ) -> ChecklistView:
        """Answer (or clear, with None) items; ValidationError names each refused item."""
        ...

    def checklist_upgrade_plan(self, visit_id: uuid.UUID) -> FormUpgrade | None:
        """What moving a draft to the newest version would change (None when current)."""
        ...

    def upgrade_checklist(self, visit_id: uuid.UUID, to: FormRef) -> ChecklistView:
        """Move a draft's checklist to a newer version, dropping answers it no longer admits."""
        ...


class DocumentService(Protocol):
    """The acta and the instancia report as PDFs, and the check of a printed acta's code."""

    def acta_document(self, visit_id: uuid.UUID) -> ActaDocument:
        """The acta as finalized (or the draft as it stands, watermarked)."""
        ...

    def verify_acta_code(self, typed: str) -> CodeCheck:
        """Whether a code typed or scanned from a paper matches a finalized acta here."""
        ...

    def verify_acta_paper(self, path: Path) -> CodeCheck:
        """The same check, by the QR code read from a scan (PDF) or a photo of the paper."""
        ...

    def instancia_report(self, instancia_id: uuid.UUID) -> ReportDocument:
        """The report of an instancia for a supervisor."""
        ...

    def save_export(self, file_name: str, data: bytes) -> Path:
        """Keep a produced PDF in the profile's exports folder; returns where it is."""
        ...


class SignedCopyService(AnnexReader, Protocol):
    """The signed paper of a finalized acta: read, checked by its QR code, appended."""

    def read_signed_copy(self, visit_id: uuid.UUID, paths: Sequence[Path]) -> PaperReading:
        """Read a scan or photos (pages in order) as the acta's signed copy; nothing stored."""
        ...

    def attach_signed_copy(self, reading: PaperReading, *, knowingly: bool = False) -> uuid.UUID:
        """Append what was read; a paper with another code or none only ``knowingly``."""
        ...

    def withdraw_signed_copy(self, copy_id: uuid.UUID) -> None:
        """Withdraw a signed copy attached by mistake."""
        ...

    def file_signed_copies(self, paths: Sequence[Path]) -> PapersFiled:
        """Read files of several actas and file each under its acta by its QR code."""
        ...


class SyncService(Protocol):
    """Synchronization with the central server: enrolment, a sync, the journal."""

    def sync_status(self) -> SyncStatus:
        """Enrolled or not, what waits for the server, how the last sync ended."""
        ...

    def enrol(self, sign_in: SignIn) -> SyncStatus:
        """Sign the laptop in once (ValidationError on bad input, SyncError if refused)."""
        ...

    def synchronize(self, progress: Callable[[SyncProgress], None]) -> SyncSummary:
        """Push, pull, verify; ``progress`` is called from the worker thread as it goes."""
        ...

    def sync_journal(self) -> tuple[JournalEntry, ...]:
        """The newest journal entries, newest first."""
        ...

    def server_reachable(self) -> bool:
        """Whether the enrolled server answers now (a quick probe, no retries)."""
        ...

    def open_conflicts(self) -> tuple[ConflictView, ...]:
        """The conflicts the specialist still has to look at, oldest first."""
        ...

    def resolve_conflict(
        self, conflict_id: uuid.UUID, choice: ConflictChoice, text: str = ""
    ) -> None:
        """Keep the current value, take this laptop's again, or write a merged text."""
        ...

    def export_sync_journal(self, target: Path) -> Path:
        """Write the journal as text to ``target`` for support."""
        ...

    def refusals(self) -> tuple[RefusalView, ...]:
        """Changes the server refused and she has not dismissed, oldest first."""
        ...

    def received_not_stored(self) -> tuple[ParkedView, ...]:
        """Records received from the server that this laptop could not store yet, and why."""
        ...

    def dismiss_refusals(self, op_ids: Sequence[uuid.UUID]) -> int:
        """She read these refusals: they no longer hold the laptop «por sincronizar»."""
        ...

    def resend_refusals(self, op_ids: Sequence[uuid.UUID]) -> int:
        """Send these refused changes again at the next sync."""
        ...


class InstanciaReading(RegistryReader, RegistryEditor, RecordEditor, DocumentService, Protocol):
    """What the instancia page needs: the registry, its shared data and the report."""


class VisitEditing(
    VisitService, ChecklistService, DocumentService, FollowUpService, SignedCopyService, Protocol
):
    """What the visit editor needs: the visit's parts, its checklist, its acta and its paper."""


class Services(
    RegistryReader,
    RegistryEditor,
    VisitEditing,
    SyncService,
    ExportService,
    PriorityService,
    PlanService,
    Protocol,
):
    """Everything the main window needs from an opened profile."""

    def describe_profile(self) -> str:
        """Profile folder and catalogue versions, for the status bar and support."""
        ...

    def about(self) -> AboutInfo:
        """The app's version, the catalogues loaded and the fichas held («Acerca de»)."""
        ...

    def change_passphrase(self, current: str, new: str, repeated: str) -> None:
        """Set a new passphrase for the profile (ValidationError: what to fix)."""
        ...

    def verify_passphrase(self, passphrase: str) -> None:
        """Whether this is the profile's passphrase (ValidationError when it is not)."""
        ...

    def withdrawal(self) -> Withdrawal | None:
        """The administrator withdrew this laptop (since when, what it never sent), or None."""
        ...

    def export_unsent(self, target: Path, passphrase: str, repeated: str) -> Path:
        """Seal the unsent changes and annexes for the supervisor (ValidationError: fix)."""
        ...

    def erase_profile(self) -> int:
        """Release the database and erase the whole profile; how many files were erased."""
        ...

    def close(self) -> None:
        """Release the database (at exit)."""
        ...
