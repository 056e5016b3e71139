"""All tables of the local database, imported together so the metadata is complete."""

from instancias_desktop.db.models.audit import AuditEntryRow
from instancias_desktop.db.models.catalogue import (
    CatalogueVersionRow,
    GovernmentUnitRow,
    MemberEntityTypeRow,
    TerritoryRow,
)
from instancias_desktop.db.models.fieldwork import (
    ActaCounterRow,
    AgreementRow,
    AttachmentRow,
    ChecklistResponseRow,
    ParticipantRow,
    PersonRow,
    SignedCopyRow,
    VisitRow,
)
from instancias_desktop.db.models.forms import ChecklistRow, FormDefinitionRow
from instancias_desktop.db.models.planning import (
    FollowUpRow,
    PlanEntryRow,
    PriorityWeightsRow,
    TerritoryFigureRow,
)
from instancias_desktop.db.models.registry import (
    AttendanceRow,
    InstanciaRow,
    InstrumentRow,
    MemberRow,
    NormRow,
    RecordFileRow,
    SessionRow,
    SpecialistRow,
    StageEventRow,
    TerritoryAssignmentRow,
)
from instancias_desktop.db.models.sync import OutboxRow, SeenVersionRow, SyncStateRow

__all__ = [
    "ActaCounterRow",
    "AgreementRow",
    "AttachmentRow",
    "AttendanceRow",
    "AuditEntryRow",
    "CatalogueVersionRow",
    "ChecklistResponseRow",
    "ChecklistRow",
    "FollowUpRow",
    "FormDefinitionRow",
    "GovernmentUnitRow",
    "InstanciaRow",
    "InstrumentRow",
    "MemberEntityTypeRow",
    "MemberRow",
    "NormRow",
    "OutboxRow",
    "ParticipantRow",
    "PersonRow",
    "PlanEntryRow",
    "PriorityWeightsRow",
    "RecordFileRow",
    "SeenVersionRow",
    "SessionRow",
    "SignedCopyRow",
    "SpecialistRow",
    "StageEventRow",
    "SyncStateRow",
    "TerritoryAssignmentRow",
    "TerritoryFigureRow",
    "TerritoryRow",
    "VisitRow",
]
