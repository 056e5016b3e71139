"""Checklist answers the instancia's records support: only what a record says, never more."""

import datetime as dt
import uuid

from instancias_desktop.domain.enums import Answer, InstrumentType, NormRole, NormType, SessionType
from instancias_desktop.domain.instancia_records import InstrumentView, NormView, SessionView
from instancias_desktop.domain.record_evidence import RecordFacts, suggestions

TODAY = dt.date(2026, 3, 10)
EVERY_ANSWER = frozenset({"si", "parcial", "no"})
YES_NO = frozenset({"si", "no"})


def norm(role: NormRole, number: str, issued_on: dt.date) -> NormView:
    return NormView(uuid.uuid4(), role, NormType.MUNICIPAL_ORDINANCE, number, issued_on, "")


def held(day: dt.date) -> SessionView:
    return SessionView(uuid.uuid4(), day, SessionType.ORDINARY, True, "", "", "Acta 1",
                       frozenset())  # fmt: skip


def test_no_record_offers_nothing() -> None:
    assert suggestions(RecordFacts(TODAY), {"norma_creacion": EVERY_ANSWER}) == {}


def test_a_repealed_creating_norm_is_offered_as_no_with_the_repeal() -> None:
    facts = RecordFacts(TODAY, norms=(
        norm(NormRole.CREATES, "003-2019", dt.date(2019, 3, 1)),
        norm(NormRole.REPEALS, "010-2024", dt.date(2024, 5, 2)),
    ))  # fmt: skip
    offer = suggestions(facts, {"norma_creacion": EVERY_ANSWER})["norma_creacion"]
    assert offer.answer.answer is Answer.NO
    assert offer.answer.note == "Derogada por Ordenanza Municipal N° 010-2024 (02/05/2024)."


def test_sessions_of_the_last_semester_decide_the_answer() -> None:
    two = RecordFacts(TODAY, sessions=(held(dt.date(2026, 1, 5)), held(dt.date(2025, 11, 5))))
    old = RecordFacts(TODAY, sessions=(held(dt.date(2025, 1, 5)),))
    assert suggestions(two, {"sesiones": EVERY_ANSWER})["sesiones"].answer.answer is Answer.YES
    offer = suggestions(old, {"sesiones": EVERY_ANSWER})["sesiones"]
    assert (offer.answer.answer, offer.answer.evidence_date) == (Answer.NO, dt.date(2025, 1, 5))


def test_an_answer_the_item_does_not_offer_is_not_suggested() -> None:
    one = RecordFacts(TODAY, sessions=(held(dt.date(2026, 1, 5)),))  # «parcial»
    assert suggestions(one, {"sesiones": YES_NO}) == {}


def test_a_report_to_the_mimp_counts_for_a_year() -> None:
    report = InstrumentView(uuid.uuid4(), InstrumentType.REPORT, "Informe 2024", None, "", None,
                            None, None, "MIMP - DGCVG", dt.date(2024, 12, 20), "")  # fmt: skip
    offer = suggestions(RecordFacts(TODAY, instruments=(report,)), {"informes_mimp": YES_NO})
    assert offer["informes_mimp"].answer.answer is Answer.NO
    to_region = InstrumentView(uuid.uuid4(), InstrumentType.REPORT, "Informe", None, "", None,
                               None, None, "Gobierno Regional", TODAY, "")  # fmt: skip
    assert (
        suggestions(RecordFacts(TODAY, instruments=(to_region,)), {"informes_mimp": YES_NO}) == {}
    )


def test_the_chair_is_offered_only_as_the_top_authority() -> None:
    mayor = RecordFacts(TODAY, chair_name="Rosa Quispe", chair_post="Alcaldesa distrital",
                        sessions=(held(dt.date(2026, 1, 5)),))  # fmt: skip
    offer = suggestions(mayor, {"presidencia": YES_NO})["presidencia"]
    assert (offer.answer.answer, offer.answer.evidence_type, offer.answer.evidence_date) == (
        Answer.YES, "Acta de sesión", dt.date(2026, 1, 5),
    )  # fmt: skip
    assert offer.reason == "Presidencia registrada: Rosa Quispe (Alcaldesa distrital)"
    delegated = RecordFacts(TODAY, chair_name="Ana Ruiz", chair_post="Gerente de Desarrollo Social")
    offer = suggestions(delegated, {"presidencia": YES_NO})["presidencia"]
    assert offer.answer.answer is Answer.NO
    assert offer.answer.note == (
        "La presidencia registrada no es la máxima autoridad: Ana Ruiz (Gerente de Desarrollo "
        "Social)."
    )
    unnamed = RecordFacts(TODAY, chair_post="Alcalde")  # who, not only the post
    assert suggestions(unnamed, {"presidencia": YES_NO}) == {}
