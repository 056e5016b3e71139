"""Every closed vocabulary shows its own Spanish label, whatever values other vocabularies use."""

from instancias_desktop.domain import enums
from instancias_desktop.domain.enums import (
    AgreementState,
    AtType,
    DocumentType,
    LabeledEnum,
    NormRole,
    NormType,
    SendState,
)


def test_every_labeled_member_has_its_own_label() -> None:
    pairs = enums._LABEL_PAIRS
    assert len({(type(m), m.value) for m, _text in pairs}) == len(pairs)  # none twice
    missing = [
        f"{kind.__name__}.{member.name}"
        for kind in LabeledEnum.__subclasses__()
        for member in kind
        if (kind, member.value) not in enums._LABELS
    ]
    assert missing == []


def test_vocabularies_that_share_a_value_keep_their_labels() -> None:
    """Keyed by value alone, «otro» showed «Otro» for a norm («Otra norma»), and a change
    waiting to be sent would have read «Pendiente» like an agreement."""
    assert (NormType.OTHER.label, DocumentType.OTHER.label) == ("Otra norma", "Otro")
    assert (NormRole.CREATES.label, AtType.CREATION.label) == ("Creación", "Creación")
    assert (AgreementState.PENDING.label, SendState.PENDING.label) == (
        "Pendiente",
        "Pendiente de envío",
    )
