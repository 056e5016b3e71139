"""Composition rules of an instancia: how many seats each kind of entity may hold."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.i18n import _


class Cardinality(StrEnum):
    """Cardinality rule of a member-entity type."""

    EXACTLY = "exactly"
    UP_TO = "up_to"
    IF_ANY = "if_any"


@dataclass(frozen=True)
class MemberEntityType:
    """A kind of entity that holds seats in instancias of one level."""

    code: str
    level: InstanciaLevel
    label: str
    cardinality: Cardinality
    count: int
    position: int
    note: str = ""
    assumption: bool = False

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"{self.code}: count must be at least 1")

    @property
    def rule_label(self) -> str:
        """The rule in Spanish, e.g. 'exactamente 1', 'hasta 2', 'hasta 1, si existe'."""
        if self.cardinality is Cardinality.EXACTLY:
            return _("exactamente {n}").format(n=self.count)
        if self.cardinality is Cardinality.UP_TO:
            return _("hasta {n}").format(n=self.count)
        return _("hasta {n}, si existe en el territorio").format(n=self.count)


def composition_problems(
    types: tuple[MemberEntityType, ...], seats: Mapping[str, int], territory: str = "territorio"
) -> list[str]:
    """Spanish messages for each rule the titular seats (count per entity type code) break.

    An entity that sits only where it exists («si existe») and has no seat is named as a gap
    to check in the ``territory`` (distrito, provincia, región). A rule that rests on an
    assumption says so.
    """
    problems: list[str] = []
    known = {t.code for t in types}
    for entity_type in types:
        message = _gap(entity_type, seats.get(entity_type.code, 0), territory)
        if message is not None and entity_type.assumption:
            message = message.rstrip(".") + _(" — regla supuesta, a confirmar por el MIMP.")
        if message is not None:
            problems.append(message)
    problems.extend(
        _("Tipo de entidad desconocido: «{code}».").format(code=code)
        for code in sorted(seats)
        if code not in known
    )
    return problems


def _gap(entity_type: MemberEntityType, held: int, territory: str) -> str | None:
    if entity_type.cardinality is Cardinality.EXACTLY and held < entity_type.count:
        return _("Falta: {label} ({rule}); hay {held}.").format(
            label=entity_type.label, rule=entity_type.rule_label, held=held
        )
    if entity_type.cardinality is Cardinality.IF_ANY and held == 0:
        return _("Falta: {label} (si existe en el {territory}).").format(
            label=entity_type.label, territory=territory
        )
    if held > entity_type.count:
        return _("Sobra: {label} ({rule}); hay {held}.").format(
            label=entity_type.label, rule=entity_type.rule_label, held=held
        )
    return None
