"""Columns of the agreements across visits and of an agreement's follow-up history."""

from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import AgreementLine, FollowUpView
from instancias_desktop.domain.text import fold, fold_shared
from instancias_desktop.i18n import _
from instancias_desktop.ui.models.record_model import Column, date_text


def is_overdue(line: AgreementLine) -> bool:
    """Rows painted to stand out."""
    return line.state is AgreementState.OVERDUE


def _state(line: AgreementLine) -> str:
    return line.state.label.upper() if is_overdue(line) else line.state.label


def _deadline(line: AgreementLine) -> str:
    if line.deadline != line.agreed_deadline:
        return _("{now} (antes {before})").format(
            now=date_text(line.deadline), before=date_text(line.agreed_deadline)
        )
    return date_text(line.deadline)


def _responsible(line: AgreementLine) -> str:
    return " — ".join(filter(None, (line.responsible_entity, line.responsible_person)))


_STATE = Column(_("Estado"), _state, lambda a: (a.state.value, a.deadline))
_DEADLINE = Column(_("Plazo"), _deadline, lambda a: a.deadline)
_NUMBER = Column(_("N°"), lambda a: str(a.number), lambda a: a.number, True)
_TEXT = Column(_("Acuerdo"), lambda a: a.description, max_width=300)
_RESPONSIBLE = Column(_("Responsable"), _responsible, max_width=200)
_INSTANCIA = Column(_("Instancia"), lambda a: a.instancia_name, max_width=190, keep_end=True)
_ORIGIN = (
    Column(_("Acta"), lambda a: a.acta_number, lambda a: a.acta_number, max_width=150),
    Column(_("Fecha"), lambda a: date_text(a.visit_date), lambda a: (a.visit_date, a.number)),
)
_LAST = Column(
    _("Último seguimiento"),
    lambda a: date_text(a.status.last_follow_up),
    lambda a: a.status.last_follow_up or a.visit_date,
)
# State and deadline first: what a specialist looks for; where it comes from after.
FOLLOW_COLUMNS = (_STATE, _DEADLINE, _NUMBER, _TEXT, _RESPONSIBLE, *_ORIGIN, _LAST)  # in a visit
# The acta right after what was agreed and by whom: at 1366x768 it must be on screen.
LINE_COLUMNS = (
    _STATE,
    _DEADLINE,
    Column(_("Acuerdo"), lambda a: a.description, max_width=250),
    Column(_("Responsable"), _responsible, max_width=170),
    _ORIGIN[0],
    Column(_("Instancia"), lambda a: a.instancia_name, max_width=170, keep_end=True),
    Column(_("Territorio"), lambda a: a.territory, max_width=130),
    _ORIGIN[1],
    _NUMBER,
    _LAST,
)
DUE_COLUMNS = (_DEADLINE, _STATE, _TEXT, _INSTANCIA)  # the home page


def line_search_key(line: AgreementLine) -> str:
    """What the agreements search looks into, folded."""
    return " ".join(
        (
            fold(line.acta_number),
            fold_shared(line.instancia_name),
            fold_shared(line.territory),
            fold(line.description),
            fold_shared(line.responsible_entity),
            fold_shared(line.responsible_person),
        )
    )


HISTORY_COLUMNS = (
    Column(_("Fecha"), lambda f: date_text(f.recorded_on), lambda f: f.order),
    Column(_("Estado"), lambda f: f.state.label),
    Column(_("Nuevo plazo"), lambda f: date_text(f.new_deadline) if f.new_deadline else ""),
    Column(_("Medio de verificación"), lambda f: f.evidence, max_width=220),
    Column(_("Observación"), lambda f: f.note, max_width=260),
    Column(_("Registrado por"), lambda f: f.author),
    Column(_("En el acta"), lambda f: f.acta_number or _("(fuera de visita)")),
)


def history_tooltip(follow_up: FollowUpView) -> str:
    """The whole note on hover."""
    return follow_up.note
