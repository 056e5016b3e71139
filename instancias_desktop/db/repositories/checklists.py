"""Stored definitions, each visit's pinned checklist and its answers."""

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    ChecklistResponseRow,
    ChecklistRow,
    FormDefinitionRow,
    VisitRow,
)
from instancias_desktop.db.repositories.values import assign_changed
from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.forms import FormRef, ItemAnswer, answer_id, checklist_id


@dataclass(frozen=True)
class StoredDefinition:
    """A released definition as kept in the database: canonical JSON and its SHA-256."""

    ref: FormRef
    title: str
    levels: tuple[InstanciaLevel, ...]
    content: str
    content_hash: str
    released_on: dt.date
    source: str


@dataclass(frozen=True)
class EarlierChecklist:
    """The checklist of an earlier visit to the same instancia, for comparison."""

    visit_id: uuid.UUID
    acta_number: str
    visit_date: dt.date
    ref: FormRef


def _stored(row: FormDefinitionRow) -> StoredDefinition:
    return StoredDefinition(
        ref=FormRef(row.form_id, row.version),
        title=row.title,
        levels=tuple(InstanciaLevel(v) for v in row.levels.split(",") if v),
        content=row.content,
        content_hash=row.content_hash,
        released_on=row.released_on,
        source=row.source,
    )


class ChecklistRepository:
    """Reads and writes checklists within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # ------------------------------------------------------------ definitions
    def definition_hashes(self) -> dict[FormRef, str]:
        """The SHA-256 of every stored version."""
        query = select(
            FormDefinitionRow.form_id, FormDefinitionRow.version, FormDefinitionRow.content_hash
        )
        return {FormRef(f, v): h for f, v, h in self._session.execute(query)}

    def store_definition(self, stored: StoredDefinition, now: dt.datetime) -> None:
        """Keep a released version; an (id, version) is stored once and never changed."""
        self._session.add(
            FormDefinitionRow(
                form_id=stored.ref.form_id,
                version=stored.ref.version,
                title=stored.title,
                levels=",".join(stored.levels),
                content=stored.content,
                content_hash=stored.content_hash,
                released_on=stored.released_on,
                source=stored.source,
                stored_at=now,
            )
        )
        self._session.flush()

    def definition(self, ref: FormRef) -> StoredDefinition | None:
        """One stored version."""
        row = self._session.get(FormDefinitionRow, (ref.form_id, ref.version))
        return _stored(row) if row else None

    def latest_for(self, level: InstanciaLevel) -> StoredDefinition | None:
        """The newest version of the definition meant for a level."""
        rows = self._session.scalars(
            select(FormDefinitionRow).where(FormDefinitionRow.levels.contains(level.value))
        )
        fitting = [r for r in rows if level.value in r.levels.split(",")]
        if not fitting:
            return None
        return _stored(max(fitting, key=lambda r: (r.released_on, r.version, r.form_id)))

    def latest_version(self, form_id: str) -> StoredDefinition | None:
        """The newest stored version of one definition."""
        query = (
            select(FormDefinitionRow)
            .where(FormDefinitionRow.form_id == form_id)
            .order_by(FormDefinitionRow.version.desc())
            .limit(1)
        )
        row = self._session.scalar(query)
        return _stored(row) if row else None

    # ------------------------------------------------------------- checklists
    def _pin_row(self, visit_id: uuid.UUID) -> ChecklistRow | None:
        return self._session.scalar(select(ChecklistRow).where(ChecklistRow.visit_id == visit_id))

    def pinned(self, visit_id: uuid.UUID) -> FormRef | None:
        """The version a visit's checklist follows, once started."""
        row = self._pin_row(visit_id)
        return FormRef(row.form_id, row.form_version) if row and not row.deleted else None

    def pin(self, visit_id: uuid.UUID, ref: FormRef) -> None:
        """Start (or move) a visit's checklist on a version."""
        row = self._pin_row(visit_id)
        if row is None:
            self._session.add(
                ChecklistRow(
                    id=checklist_id(visit_id),
                    visit_id=visit_id,
                    form_id=ref.form_id,
                    form_version=ref.version,
                )
            )
        else:
            assign_changed(row, {"form_id": ref.form_id, "form_version": ref.version})
            row.deleted = False
        self._session.flush()

    def answers(self, visit_id: uuid.UUID) -> dict[str, ItemAnswer]:
        """The live answers of a visit, by item code."""
        query = select(ChecklistResponseRow).where(
            ChecklistResponseRow.visit_id == visit_id, ChecklistResponseRow.deleted.is_(False)
        )
        return {row.item_code: _answer(row) for row in self._session.scalars(query)}

    def save_answer(self, visit_id: uuid.UUID, item_code: str, answer: ItemAnswer) -> None:
        """Record an item's answer (a cleared one comes back to life: one row per item)."""
        values = {
            "answer": answer.answer,
            "option": answer.option,
            "evidence_type": answer.evidence_type,
            "evidence_number": answer.evidence_number,
            "evidence_date": answer.evidence_date,
            "evidence_attachment_id": (
                uuid.UUID(answer.evidence_attachment) if answer.evidence_attachment else None
            ),
            "note": answer.note,
            "deleted": False,
        }
        row = self._session.scalar(
            select(ChecklistResponseRow).where(
                ChecklistResponseRow.visit_id == visit_id,
                ChecklistResponseRow.item_code == item_code,
            )
        )
        if row is None:
            self._session.add(
                ChecklistResponseRow(
                    id=answer_id(visit_id, item_code),
                    visit_id=visit_id,
                    item_code=item_code,
                    **values,
                )
            )
        else:
            assign_changed(row, values)
        self._session.flush()

    def clear_answers(self, visit_id: uuid.UUID, item_codes: set[str] | None = None) -> None:
        """Withdraw some answers of a visit (all of them by default)."""
        query = select(ChecklistResponseRow).where(
            ChecklistResponseRow.visit_id == visit_id, ChecklistResponseRow.deleted.is_(False)
        )
        for row in self._session.scalars(query):
            if item_codes is None or row.item_code in item_codes:
                row.deleted = True
        self._session.flush()

    def forget_attachment(self, attachment_id: uuid.UUID) -> None:
        """Answers that pointed to a removed annex no longer have it as evidence."""
        query = select(ChecklistResponseRow).where(
            ChecklistResponseRow.evidence_attachment_id == attachment_id
        )
        for row in self._session.scalars(query):
            row.evidence_attachment_id = None
        self._session.flush()

    def tombstone(self, visit_id: uuid.UUID) -> None:
        """Withdraw a deleted draft's checklist and answers."""
        self.clear_answers(visit_id)
        row = self._pin_row(visit_id)
        if row is not None:
            row.deleted = True
        self._session.flush()

    def earlier(self, visit_id: uuid.UUID) -> EarlierChecklist | None:
        """The latest earlier live visit to the same instancia with an answered checklist."""
        visit = self._session.get(VisitRow, visit_id)
        if visit is None:
            return None
        # Correlated, so the visit_id index answers it (an IN over every answer scanned them all).
        answered = (
            exists()
            .where(ChecklistResponseRow.visit_id == VisitRow.id)
            .where(ChecklistResponseRow.deleted.is_(False))
        )
        query = (
            select(VisitRow.id, VisitRow.acta_number, VisitRow.visit_date, ChecklistRow)
            .join(ChecklistRow, ChecklistRow.visit_id == VisitRow.id)
            .where(
                VisitRow.instancia_id == visit.instancia_id,
                VisitRow.id != visit_id,
                VisitRow.deleted.is_(False),
                ChecklistRow.deleted.is_(False),
                answered,
                (VisitRow.visit_date < visit.visit_date)
                | (
                    (VisitRow.visit_date == visit.visit_date)
                    & (VisitRow.created_at < visit.created_at)
                ),
            )
            .order_by(VisitRow.visit_date.desc(), VisitRow.created_at.desc())
            .limit(1)
        )
        found = self._session.execute(query).first()
        if found is None:
            return None
        earlier_id, number, date, pin = found
        return EarlierChecklist(earlier_id, number, date, FormRef(pin.form_id, pin.form_version))


def _answer(row: ChecklistResponseRow) -> ItemAnswer:
    return ItemAnswer(
        answer=row.answer,
        option=row.option,
        evidence_type=row.evidence_type,
        evidence_number=row.evidence_number,
        evidence_date=row.evidence_date,
        evidence_attachment=str(row.evidence_attachment_id) if row.evidence_attachment_id else "",
        note=row.note,
    )
