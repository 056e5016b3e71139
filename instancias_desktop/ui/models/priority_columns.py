"""Columns of the priority ranking, of a rank's explanation and of the visit plan."""

from instancias_desktop.domain.priority import Contribution, decimal_text
from instancias_desktop.domain.priority_sources import criterion_source
from instancias_desktop.domain.priority_views import RankedLine
from instancias_desktop.domain.text import fold, fold_shared
from instancias_desktop.i18n import _
from instancias_desktop.ui.models.record_model import Column, date_text

RANKING_COLUMNS = (
    Column(_("Prioridad"), lambda r: str(r.ranked.rank), lambda r: r.ranked.rank, True),
    Column(_("Instancia"), lambda r: r.ranked.instancia.name, max_width=240, keep_end=True),
    Column(_("Nivel"), lambda r: r.ranked.instancia.level.value),
    Column(_("Territorio"), lambda r: r.territory, max_width=170),
    Column(_("Estado"), lambda r: r.ranked.instancia.stage.label),
    Column(
        _("Puntaje (referencial)"),
        lambda r: decimal_text(r.ranked.score),
        lambda r: r.ranked.score,
        True,
    ),
    Column(_("Por qué"), lambda r: r.ranked.explanation, max_width=520),
    Column(_("Cronograma acordado"), lambda r: r.schedule or "—", max_width=320),
)


def ranking_search_key(line: RankedLine) -> str:
    """What the ranking search looks into, folded."""
    return f"{fold(line.ranked.instancia.name)} {fold_shared(line.territory)}"


def _value(c: Contribution) -> str:
    return f"{decimal_text(100 * c.value, 0)} %"


CONTRIBUTION_COLUMNS = (
    Column(_("Criterio"), lambda c: c.criterion.label, max_width=320),
    Column(_("Grado (0–100 %)"), _value, lambda c: c.value, True),
    Column(_("Peso"), lambda c: decimal_text(c.weight, 0), lambda c: c.weight, True),
    Column(_("Puntos"), lambda c: decimal_text(c.points), lambda c: c.points, True),
    Column(_("Fuente"), lambda c: criterion_source(c.criterion), max_width=520),
)

PLAN_COLUMNS = (
    Column(_("Fecha"), lambda p: date_text(p.entry.planned_on), lambda p: p.entry.planned_on),
    Column(_("Orden"), lambda p: str(p.entry.position), lambda p: p.entry.position, True),
    Column(_("Instancia"), lambda p: p.instancia_name, max_width=260, keep_end=True),
    Column(_("Nivel"), lambda p: p.level.value),
    Column(_("Territorio"), lambda p: p.territory, max_width=170),
    Column(_("Estado"), lambda p: p.stage.label),
    Column(_("Nota"), lambda p: p.entry.note, max_width=240),
    Column(_("Acta"), lambda p: p.acta_number or "—"),
    Column(_("Envío"), lambda p: p.send_state.label if p.send_state else _("por enviar")),
)
