"""Two laptops edit one instancia's record offline: members merge field by field, the same field
is a conflict she resolves; sessions, attendance, instruments and the schedule reach everyone."""

import datetime as dt
import os
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from helpers.app import instancia
from helpers.instancia_records import (
    as_typed,
    creating_ordinance,
    representative,
    rules_instrument,
    session,
)
from helpers.office import Laptop, Office

from instancias_desktop.domain.conflict_views import ConflictChoice
from instancias_desktop.domain.instancia_records import MemberView
from instancias_desktop.domain.visit_views import InstanciaDetail
from sync.kinds import MEMBER
from sync.server.store import Record


def member(laptop: Laptop, instancia_id: uuid.UUID, member_id: uuid.UUID) -> MemberView:
    found = laptop.services.instancia_detail(instancia_id).member(member_id)
    assert found is not None
    return found


def on_server(office: Office, kind: str, record_id: uuid.UUID) -> dict[str, object]:
    with office.sessions.begin() as db:
        record = db.get(Record, (kind, record_id))
        assert record is not None
        return dict(record.fields)


def seated(ana: Laptop, beto: Laptop) -> tuple[uuid.UUID, uuid.UUID]:
    """A PNP representative typed on ana's laptop and known to both."""
    wanchaq = instancia(ana.services)
    detail = ana.services.save_member(
        wanchaq, representative("pnp_distrital", "Comisaría PNP de Wanchaq", "Carlos Huarca")
    )
    assert ana.sync().complete and beto.sync().complete
    return wanchaq, detail.members[0].id


def edited(
    laptop: Laptop, instancia_id: uuid.UUID, member_id: uuid.UUID, **changes: Any
) -> InstanciaDetail:
    """Save the member with some fields changed, as the «Corregir» dialog does."""
    typed = replace(as_typed(member(laptop, instancia_id, member_id)), **changes)
    return laptop.services.save_member(instancia_id, typed, member_id)


def test_different_fields_of_a_member_merge_on_every_laptop(office: Office) -> None:
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    wanchaq, pnp = seated(ana, beto)
    assert member(beto, wanchaq, pnp).person_name == "Carlos Huarca"

    edited(ana, wanchaq, pnp, post="Comisario")
    edited(beto, wanchaq, pnp, document_number="45678912")
    first, second = ana.sync(), beto.sync()
    assert first.complete and second.complete and (first.conflicts, second.conflicts) == (0, 0)
    assert ana.sync().complete

    for laptop in (ana, beto):
        shown = member(laptop, wanchaq, pnp)
        assert (shown.post, shown.document_number) == ("Comisario", "45678912")
    fields = on_server(office, MEMBER.name, pnp)
    assert (fields["post"], fields["document_number"]) == ("Comisario", "45678912")


def test_the_same_field_of_a_member_is_a_conflict_she_resolves(office: Office) -> None:
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    wanchaq, pnp = seated(ana, beto)

    edited(ana, wanchaq, pnp, person_name="Carlos Huarca Pérez")
    edited(beto, wanchaq, pnp, person_name="Mayor Carlos Huarca")
    assert ana.sync().complete
    assert beto.sync().conflicts == 1
    assert on_server(office, MEMBER.name, pnp)["person_name"] == "Carlos Huarca Pérez"
    (conflict,) = beto.services.open_conflicts()
    assert (conflict.current, conflict.mine) == ("Carlos Huarca Pérez", "Mayor Carlos Huarca")
    assert conflict.field_label.lower() == MEMBER.fields["person_name"].label

    beto.services.resolve_conflict(conflict.conflict_id, ConflictChoice.USE_MINE)
    assert beto.sync().complete and ana.sync().complete
    assert member(ana, wanchaq, pnp).person_name == "Mayor Carlos Huarca"
    assert beto.services.open_conflicts() == ()


def test_a_seat_changed_on_two_laptops_at_once_is_shown_and_settled(office: Office) -> None:
    """Each ended the former tenure and began its own: two current titulars of one seat is
    said on both laptops until she removes the one that does not belong."""
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    wanchaq, pnp = seated(ana, beto)
    on = dt.date(2026, 2, 2)
    entity = ("pnp_distrital", "Comisaría PNP de Wanchaq")
    ana.services.change_representative(pnp, representative(*entity, "Rosa Díaz"), on)
    beto.services.change_representative(pnp, representative(*entity, "Luis Vega"), on)
    assert ana.sync().complete and beto.sync().complete and ana.sync().complete

    for laptop in (ana, beto):
        gaps = laptop.services.instancia_detail(wanchaq).composition_gaps
        assert gaps[0].startswith(
            "Dos o más representantes vigentes como titular de Comisaría PNP de Wanchaq: "
            "Luis Vega, Rosa Díaz."
        ), gaps
    luis = next(
        m for m in beto.services.instancia_detail(wanchaq).members if m.person_name == "Luis Vega"
    )
    beto.services.remove_record("member", luis.id)
    assert beto.sync().complete and ana.sync().complete
    for laptop in (ana, beto):
        detail = laptop.services.instancia_detail(wanchaq)
        assert not any(g.startswith("Dos o más") for g in detail.composition_gaps)
        current = {m.person_name for m in detail.members if m.until is None}
        assert current == {"Rosa Díaz"}
        assert member(laptop, wanchaq, pnp).until == on  # the former tenure ended once


def test_the_whole_record_reaches_the_other_laptop_and_a_supervisor(
    office: Office, tmp_path: Path
) -> None:
    office.user("sara", (), role="supervisor")
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    sara = office.laptop("sara", "sara-laptop")
    wanchaq, pnp = seated(ana, beto)
    # Offline on both: a change of representative on ana's, a session with him on beto's.
    ana.services.change_representative(
        pnp, representative("pnp_distrital", "", "Mayor Rosa Díaz"), dt.date(2026, 3, 1)
    )
    beto.services.save_session(wanchaq, session(dt.date(2026, 2, 20), frozenset({pnp})))
    norm = ana.services.save_norm(wanchaq, creating_ordinance()).norms[0].id
    ana.services.save_instrument(wanchaq, rules_instrument(norm, dt.date(2025, 6, 2)))
    scan = tmp_path / "ordenanza 003-2025.pdf"
    scan.write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    ana.services.attach_record_file("norm", norm, scan)
    ana.services.set_schedule(wanchaq, {"target_installation_on": dt.date(2026, 4, 30)})
    for laptop in (ana, beto, ana, sara):
        assert laptop.sync(files=True).complete

    for laptop in (ana, beto, sara):
        detail = laptop.services.instancia_detail(wanchaq)
        held = {(m.person_name, m.until) for m in detail.members}
        assert held == {("Carlos Huarca", dt.date(2026, 3, 1)), ("Mayor Rosa Díaz", None)}
        (met,) = detail.sessions
        assert met.attendee_ids == frozenset({pnp})  # who held the seat that day
        (rules,) = detail.instruments
        assert rules.norm_title == "Ordenanza Municipal N° 003-2025-MDW"
        assert detail.schedule[1].target == dt.date(2026, 4, 30)
        (ordinance,) = detail.norms
        (file,) = ordinance.files
        assert file.filename == "ordenanza 003-2025.pdf"
        assert laptop.services.annex_content(file.sha256) == scan.read_bytes()
        assert laptop.services.open_conflicts() == ()
