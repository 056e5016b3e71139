"""Rules for one checklist answer: an answer the item offers, evidence that makes sense."""

import datetime as dt
from collections.abc import Collection

from instancias_desktop.domain.entity_checks import LONG_TEXT_LIMIT
from instancias_desktop.domain.enums import Answer
from instancias_desktop.domain.forms import AnswerType, FormDefinition, ItemAnswer, answer_for
from instancias_desktop.domain.validation import Collector, check_text
from instancias_desktop.i18n import _

EVIDENCE_FIELD_LIMIT = 100


def check_answer(
    form: FormDefinition,
    item_code: str,
    answer: ItemAnswer,
    today: dt.date,
    attachment_ids: Collection[str],
) -> None:
    """Refuse (ValidationError, per field) an answer the item does not offer or odd evidence."""
    errors = Collector()
    item = form.item(item_code)
    if item is None:
        errors.add(
            "answer",
            _("La ficha {form} no tiene el ítem «{code}».").format(form=form.ref, code=item_code),
        )
        errors.raise_if_any()
        return
    if answer.option and (
        item.answer_type is not AnswerType.CHOICE or answer.option not in item.choices()
    ):
        errors.add(
            "answer",
            _("El ítem {n} no tiene la opción «{option}».").format(
                n=item.number, option=answer.option
            ),
        )
    elif answer.option and answer.answer is not answer_for(item, answer.option):
        errors.add(
            "answer",
            _("La respuesta «{answer}» no corresponde a la opción «{option}» del ítem {n}.").format(
                answer=answer.answer.label, option=item.choice_label(answer.option), n=item.number
            ),
        )
    elif answer.answer is Answer.NOT_APPLICABLE:
        if not item.not_applicable:
            errors.add("answer", _("El ítem {n} no admite «No aplica».").format(n=item.number))
    elif answer.code not in item.choices():
        offered = ", ".join(item.choice_label(c) for c in item.choices())
        errors.add(
            "answer",
            _("El ítem {n} se responde con: {offered}.").format(n=item.number, offered=offered),
        )
    for name, label, limit in (
        ("evidence_type", _("Tipo de documento"), EVIDENCE_FIELD_LIMIT),
        ("evidence_number", _("Número del documento"), EVIDENCE_FIELD_LIMIT),
        ("note", _("Nota"), LONG_TEXT_LIMIT),
    ):
        errors.add(name, check_text(getattr(answer, name), label, limit))
    if answer.evidence_date and answer.evidence_date > today:
        errors.add(
            "evidence_date",
            _("La fecha del documento ({date}) no puede ser posterior a hoy.").format(
                date=answer.evidence_date.strftime("%d/%m/%Y")
            ),
        )
    if answer.evidence_attachment and answer.evidence_attachment not in attachment_ids:
        errors.add("evidence_attachment", _("El archivo elegido ya no es un anexo de esta visita."))
    errors.raise_if_any()
