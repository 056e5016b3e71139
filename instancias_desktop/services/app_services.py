"""The services of one opened profile, bound together for the screens by the composition root."""

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from instancias_desktop import __version__
from instancias_desktop.db.repositories.audit import AuditEntry
from instancias_desktop.db.repositories.sync_records import LAST_SYNC, WAITING, WITHDRAWN_AT
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.checklist_views import ChecklistView
from instancias_desktop.domain.conflict_views import ConflictChoice, ConflictView
from instancias_desktop.domain.documents import ActaDocument, CodeCheck, ReportDocument
from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.enums import AttachmentKind
from instancias_desktop.domain.form_changes import FormUpgrade
from instancias_desktop.domain.forms import FormRef, ItemAnswer
from instancias_desktop.domain.identity import Identity
from instancias_desktop.domain.readmodels import AboutInfo, InstanciaSummary
from instancias_desktop.domain.registry_seed import SeedOptions
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
from instancias_desktop.domain.visit_inputs import AgreementInput, ParticipantInput, StageEventInput
from instancias_desktop.domain.visit_views import (
    InstanciaDetail,
    PersonMatch,
    VisitDetail,
    VisitSummary,
)
from instancias_desktop.i18n import _
from instancias_desktop.paths import ProfilePaths, resources_dir
from instancias_desktop.services import (
    agreements,
    attachments,
    checklists,
    identity,
    instancias,
    participants,
    stage_events,
    visits,
)
from instancias_desktop.services.api import TerritoryOptions
from instancias_desktop.services.catalogue_files import CATALOGUE_LABELS
from instancias_desktop.services.form_catalogue import Definitions
from instancias_desktop.services.planning_services import PlanningServices
from instancias_desktop.services.record_services import RecordServices
from instancias_desktop.settings import Settings
from instancias_desktop.vault.annex_store import AnnexStore

if TYPE_CHECKING:
    from instancias_desktop.syncing.runner import LinkFactory


@dataclass(frozen=True)
class AppServices(PlanningServices, RecordServices):
    """Implements services.api.Services over the profile's database (thin: one call each)."""

    database: Database
    paths: ProfilePaths
    settings: Settings
    definitions: Definitions = field(default_factory=Definitions)
    # How a sync reaches the server (None: over HTTP; tests: a lossy link).
    sync_link: "LinkFactory | None" = None

    # --------------------------------------------------------------- registry
    def list_instancias(self) -> tuple[InstanciaSummary, ...]:
        """The registry, for the instancias page."""
        return instancias.list_instancias(self.database)

    def territory_warning(self, instancia_id: uuid.UUID) -> str | None:
        """Why the server would refuse a visit to this instancia (None when it is hers)."""
        return instancias.territory_warning(self.database, instancia_id)

    def territory_options(self) -> TerritoryOptions:
        """Departments and provinces, for the filters."""
        return instancias.territory_options(self.database)

    def instancia_detail(self, instancia_id: uuid.UUID) -> InstanciaDetail:
        """One instancia's page."""
        return instancias.instancia_detail(self.database, instancia_id)

    def update_instancia(
        self, instancia_id: uuid.UUID, changes: Mapping[str, str]
    ) -> InstanciaDetail:
        """Change an instancia's chair or technical secretariat."""
        return instancias.update_instancia(self.database, instancia_id, changes)

    def place_options(self) -> tuple[tuple[str, str], ...]:
        """Territories in force for the place of a visit."""
        return instancias.place_options(self.database)

    # ------------------------------------------------------------------ visits
    def list_visits(self) -> tuple[VisitSummary, ...]:
        """Every live visit."""
        return visits.list_visits(self.database)

    def visit_detail(self, visit_id: uuid.UUID) -> VisitDetail:
        """One visit for its editor."""
        return visits.visit_detail(self.database, visit_id)

    def start_visit(self, instancia_id: uuid.UUID) -> uuid.UUID:
        """A new draft."""
        return visits.start_visit(self.database, self.settings, instancia_id)

    def update_visit(self, visit_id: uuid.UUID, changes: Mapping[str, object]) -> Visit:
        """Save fields of a draft."""
        return visits.update_visit(self.database, visit_id, changes)

    def identity(self) -> Identity:
        """Who uses the profile."""
        return identity.identity_of(self.database)

    def set_identity(self, full_name: str, post: str) -> Identity:
        """Record her full name and post."""
        return identity.set_identity(self.database, full_name, post)

    def finalize_visit(self, visit_id: uuid.UUID) -> None:
        """Close the acta."""
        visits.finalize_visit(self.database, self.definitions, visit_id)

    def create_addendum(self, visit_id: uuid.UUID) -> uuid.UUID:
        """Correct a finalized acta."""
        return visits.create_addendum(self.database, self.settings, visit_id)

    def delete_draft(self, visit_id: uuid.UUID) -> None:
        """Remove a draft."""
        visits.delete_draft(self.database, visit_id)

    def save_participant(
        self,
        visit_id: uuid.UUID,
        data: ParticipantInput,
        participant_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Add or edit a participant."""
        return participants.save_participant(self.database, visit_id, data, participant_id)

    def remove_participant(self, participant_id: uuid.UUID) -> None:
        """Remove a participant."""
        participants.remove_participant(self.database, participant_id)

    def move_participant(self, participant_id: uuid.UUID, offset: int) -> None:
        """Reorder a participant."""
        participants.move_participant(self.database, participant_id, offset)

    def find_persons(self, query: str) -> tuple[PersonMatch, ...]:
        """Known persons."""
        return participants.find_persons(self.database, query)

    def save_agreement(
        self, visit_id: uuid.UUID, data: AgreementInput, agreement_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Add or edit an agreement."""
        return agreements.save_agreement(self.database, visit_id, data, agreement_id)

    def remove_agreement(self, agreement_id: uuid.UUID) -> None:
        """Remove an agreement."""
        agreements.remove_agreement(self.database, agreement_id)

    def attach_file(self, visit_id: uuid.UUID, source: Path, kind: AttachmentKind) -> uuid.UUID:
        """Annex a file."""
        limit = self.settings.attachment_limit_mb * 1_000_000
        return attachments.attach_file(self.database, self._annexes, limit, visit_id, source, kind)

    def remove_attachment(self, attachment_id: uuid.UUID) -> None:
        """Unlink an annex."""
        attachments.remove_attachment(self.database, attachment_id)

    def annex_content(self, sha256: str) -> bytes:
        """An annex's content (a scan, a photo, a signed copy), decrypted and checked."""
        return self._annexes.content(sha256)

    @property
    def _annexes(self) -> AnnexStore:
        return attachments.annex_store(self.database, self.paths.attachments)

    def record_stage_event(self, visit_id: uuid.UUID, data: StageEventInput) -> str | None:
        """Append a hito from a visit."""
        return stage_events.record_stage_event(self.database, visit_id, data)

    # -------------------------------------------------------------- checklists
    def checklist(self, visit_id: uuid.UUID) -> ChecklistView | None:
        """A visit's checklist."""
        return checklists.checklist(self.database, self.definitions, visit_id)

    def save_checklist_answers(
        self, visit_id: uuid.UUID, ref: FormRef, answers: Mapping[str, ItemAnswer | None]
    ) -> ChecklistView:
        """Answer or clear items."""
        return checklists.save_answers(
            self.database, self.definitions, visit_id, ref=ref, answers=answers
        )

    def checklist_upgrade_plan(self, visit_id: uuid.UUID) -> FormUpgrade | None:
        """What moving to the newest version changes."""
        return checklists.upgrade_plan(self.database, self.definitions, visit_id)

    def upgrade_checklist(self, visit_id: uuid.UUID, to: FormRef) -> ChecklistView:
        """Move a draft's checklist to a newer version."""
        return checklists.upgrade_checklist(self.database, self.definitions, visit_id, to)

    # --------------------------------------------------------------- documents
    def acta_document(self, visit_id: uuid.UUID) -> ActaDocument:
        """The acta as a PDF."""
        from instancias_desktop.services import actas  # noqa: PLC0415

        return actas.acta_pdf(self.database, self.definitions, self._fonts, visit_id)

    def verify_acta_code(self, typed: str) -> CodeCheck:
        """Check a printed acta's code."""
        from instancias_desktop.services import actas  # noqa: PLC0415

        return actas.verify_code(self.database, self.definitions, typed)

    def verify_acta_paper(self, path: Path) -> CodeCheck:
        """Check a printed acta by the QR code on a scan or photo of it."""
        from instancias_desktop.services import actas  # noqa: PLC0415

        return actas.verify_paper(self.database, self.definitions, path)

    # ----------------------------------------------------------- signed copies
    def read_signed_copy(self, visit_id: uuid.UUID, paths: Sequence[Path]) -> PaperReading:
        """Read a scan or photos as an acta's signed copy."""
        from instancias_desktop.services import signed_copies  # noqa: PLC0415

        return signed_copies.read_signed_copy(self.database, self.definitions, visit_id, paths)

    def attach_signed_copy(self, reading: PaperReading, *, knowingly: bool = False) -> uuid.UUID:
        """Append a read signed copy to its acta."""
        from instancias_desktop.services import signed_copies  # noqa: PLC0415

        limit = self.settings.attachment_limit_mb * 1_000_000
        return signed_copies.attach_signed_copy(
            self.database, self._annexes, limit, reading, knowingly=knowingly
        )

    def withdraw_signed_copy(self, copy_id: uuid.UUID) -> None:
        """Withdraw a signed copy attached by mistake."""
        from instancias_desktop.services import signed_copies  # noqa: PLC0415

        signed_copies.withdraw_signed_copy(self.database, copy_id)

    def file_signed_copies(self, paths: Sequence[Path]) -> PapersFiled:
        """Read files of several actas and file each under its acta."""
        from instancias_desktop.services import signed_copies  # noqa: PLC0415

        return signed_copies.file_signed_copies(self.database, self.definitions, paths)

    def instancia_report(self, instancia_id: uuid.UUID) -> ReportDocument:
        """An instancia's report as a PDF."""
        from instancias_desktop.services import reports  # noqa: PLC0415

        return reports.instancia_report_pdf(
            self.database, self.definitions, self._fonts, instancia_id
        )

    def save_export(self, file_name: str, data: bytes) -> Path:
        """Keep a PDF in the profile's exports folder."""
        from instancias_desktop.services import reports  # noqa: PLC0415

        return reports.save_export(self.paths.exports, file_name, data)

    @property
    def _fonts(self) -> Path:
        return resources_dir() / "fonts"

    # ------------------------------------------------------------------- sync
    def sync_status(self) -> SyncStatus:
        """Enrolment, what waits, the last sync."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.sync_status(self.database)

    def enrol(self, sign_in: SignIn) -> SyncStatus:
        """Sign the laptop in once."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.enrol(self.database, self.paths, sign_in)

    def synchronize(self, progress: Callable[[SyncProgress], None]) -> SyncSummary:
        """One sync with the enrolled server."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415
        from instancias_desktop.syncing.runner import http_link  # noqa: PLC0415

        options = SeedOptions(self.settings.cercado_has_idc)
        link = self.sync_link or http_link
        return synchronization.synchronize(self.database, self.paths, progress, link, options)

    def server_reachable(self) -> bool:
        """Whether the enrolled server answers now."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.server_reachable(self.database)

    def open_conflicts(self) -> tuple[ConflictView, ...]:
        """The conflicts still to look at."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.open_conflicts(self.database)

    def resolve_conflict(
        self, conflict_id: uuid.UUID, choice: ConflictChoice, text: str = ""
    ) -> None:
        """Resolve one conflict here; the server hears of it at the next sync."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        synchronization.resolve_conflict(self.database, conflict_id, choice, text)

    def sync_journal(self) -> tuple[JournalEntry, ...]:
        """The newest journal entries."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.journal(self.database, self.paths)

    def refusals(self) -> tuple[RefusalView, ...]:
        """Changes the server refused, not dismissed yet."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.refusals(self.database)

    def received_not_stored(self) -> tuple[ParkedView, ...]:
        """Records received but not stored here yet, and why."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.received_not_stored(self.database)

    def dismiss_refusals(self, op_ids: Sequence[uuid.UUID]) -> int:
        """She read these refusals."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.dismiss_refusals(self.database, op_ids)

    def resend_refusals(self, op_ids: Sequence[uuid.UUID]) -> int:
        """Send these refused changes again at the next sync."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.resend_refusals(self.database, op_ids)

    def export_sync_journal(self, target: Path) -> Path:
        """The journal as text, for support."""
        from instancias_desktop.services import synchronization  # noqa: PLC0415

        return synchronization.export_journal(self.database, self.paths, target)

    # ----------------------------------------------------------------- profile
    def change_passphrase(self, current: str, new: str, repeated: str) -> None:
        """A new passphrase for the profile (its data keeps its key)."""
        from instancias_desktop.services import profile_keys  # noqa: PLC0415

        profile_keys.change_passphrase(self.paths, current, new, repeated)

    def audit_trail(self, limit: int = 1000) -> list[AuditEntry]:
        """What was done on this laptop, newest first (for support and supervisors)."""
        with self.database.reader() as uow:
            return uow.audit.entries(limit)

    def verify_passphrase(self, passphrase: str) -> None:
        """Check the passphrase that lifts the window's lock."""
        from instancias_desktop.services import profile_keys  # noqa: PLC0415

        profile_keys.Unlocker(self.paths).unlock(passphrase)

    def withdrawal(self) -> Withdrawal | None:
        """Whether the administrator withdrew this laptop, and what it never sent."""
        with self.database.reader() as uow:  # read here: the sync client stays unloaded
            if not uow.sync.value(WITHDRAWN_AT):
                return None
        from instancias_desktop.services import withdrawal  # noqa: PLC0415

        return withdrawal.withdrawal_of(self.database, self.paths)

    def export_unsent(self, target: Path, passphrase: str, repeated: str) -> Path:
        """Seal what the server never received in a file for the supervisor."""
        from instancias_desktop.services import withdrawal  # noqa: PLC0415

        return withdrawal.export_unsent(self.database, self.paths, target, passphrase, repeated)

    def erase_profile(self) -> int:
        """Release the database, then overwrite and remove the whole profile."""
        from instancias_desktop.services import withdrawal  # noqa: PLC0415

        self.database.dispose()
        return withdrawal.erase_profile(self.paths)

    def describe_profile(self) -> str:
        """Profile folder, acta series and catalogue versions."""
        with self.database.reader() as uow:
            versions = ", ".join(
                f"{CATALOGUE_LABELS.get(c.name, c.name)} {c.version}"
                for c in uow.catalogue.versions()
            )
        return _("Perfil: {root} · Serie de actas: {series} · Catálogos: {versions}").format(
            root=self.paths.root, series=self.settings.acta_series, versions=versions
        )

    def about(self) -> AboutInfo:
        """The app's version, the catalogues loaded and the fichas held, for «Acerca de»."""
        with self.database.reader() as uow:
            catalogues = tuple(
                (CATALOGUE_LABELS.get(c.name, c.name), c.version, c.source)
                for c in uow.catalogue.versions()
            )
            refs = sorted(uow.checklists.definition_hashes(), key=lambda r: (r.form_id, r.version))
        forms: dict[str, list[int]] = {}
        for ref in refs:
            forms.setdefault(ref.form_id, []).append(ref.version)
        return AboutInfo(
            __version__, catalogues, tuple((f, tuple(sorted(v))) for f, v in forms.items())
        )

    def close(self) -> None:
        """Note what waits for the server (outside the encrypted data), release the database."""
        from instancias_desktop.services import profile_keys  # noqa: PLC0415

        if not self.paths.database.exists():
            return  # erased (a withdrawn laptop): nothing to note, nothing to release
        with self.database.reader() as uow:  # read here: the sync client stays unloaded
            states = uow.sync.states()
            last = uow.sync.value(LAST_SYNC)
        pending = sum(states.get(state, 0) for state in WAITING)
        when = dt.datetime.fromisoformat(last) if last else None
        profile_keys.remember_unsent(self.paths, pending, when)
        self.database.dispose()
