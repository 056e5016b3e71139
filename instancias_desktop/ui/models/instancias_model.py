"""Table model of the instancia registry, and the proxy that filters it as the user types."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.text import fold, matches_all_words
from instancias_desktop.i18n import _
from instancias_desktop.ui.models.record_model import (
    Column,
    RecordFilterProxy,
    RecordTableModel,
    date_text,
)

COLUMNS: tuple[Column, ...] = (
    Column(_("Nivel"), lambda r: r.level.label, lambda r: ("IRC", "IPC", "IDC").index(r.level)),
    Column(_("Instancia"), lambda r: r.name, lambda r: fold(r.name), max_width=240, keep_end=True),
    Column(
        _("Departamento"),
        lambda r: r.department_name,
        lambda r: fold(r.department_name),
        max_width=110,
    ),
    Column(
        _("Provincia"),
        lambda r: r.province_name or "—",
        lambda r: fold(r.province_name),
        max_width=120,
    ),
    Column(
        _("Distrito"),
        lambda r: r.district_name or "—",
        lambda r: fold(r.district_name),
        max_width=130,
    ),
    Column(_("Ubigeo"), lambda r: r.ubigeo, lambda r: r.ubigeo),
    Column(_("Estado"), lambda r: r.stage.label, lambda r: list(Stage).index(r.stage)),
    Column(_("Desde"), lambda r: date_text(r.stage_date), lambda r: r.stage_date or dt.date.min),
    Column(_("Visitas"), lambda r: str(r.visit_count), lambda r: r.visit_count, numeric=True),
    Column(
        _("Última visita"),
        lambda r: date_text(r.last_visit_date),
        lambda r: r.last_visit_date or dt.date.min,
    ),
)


def _search_key(r: InstanciaSummary) -> str:
    return fold(
        " ".join(
            (
                r.name,
                r.unit_name,
                r.department_name,
                r.province_name,
                r.district_name,
                r.capital_name,
                r.ubigeo,
            )
        )
    )


def _tooltip(r: InstanciaSummary) -> str:
    capital = _(" · capital: {town}").format(town=r.capital_name) if r.capital_name else ""
    return f"{r.name}\n{r.unit_name} · ubigeo {r.ubigeo}{capital}"


class InstanciaTableModel(RecordTableModel):
    """Read-only rows of InstanciaSummary values, with a folded search key per row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            COLUMNS,
            search_key=_search_key,
            tooltip=_tooltip,
            parent=parent,
        )

    def summary(self, row: int) -> InstanciaSummary:
        """The value behind a source row."""
        summary: InstanciaSummary = self.record(row)
        return summary


@dataclass(frozen=True)
class InstanciaFilter:
    """What the user asked to see; empty fields mean 'all'."""

    department: str = ""
    province: str = ""
    level: InstanciaLevel | None = None
    stage: Stage | None = None
    text: str = ""
    within: tuple[str, ...] = ()  # ubigeo prefixes: her own territories

    def accepts(self, summary: InstanciaSummary, search_key: str) -> bool:
        """Whether a row passes every filter."""
        return (
            (not self.within or summary.ubigeo.startswith(self.within))
            and (not self.department or summary.department_code == self.department)
            and (not self.province or summary.province_code == self.province)
            and (self.level is None or summary.level is self.level)
            and (self.stage is None or summary.stage is self.stage)
            and (not self.text or matches_all_words(self.text, search_key))
        )


class InstanciaFilterProxy(RecordFilterProxy):
    """Sorts by the sort role and shows only the rows the current filter accepts."""

    def __init__(self, source: InstanciaTableModel, parent: Any = None) -> None:
        super().__init__(source, parent)
        self._filter = InstanciaFilter()

    @property
    def current_filter(self) -> InstanciaFilter:
        """The filter in force."""
        return self._filter

    def set_filter(self, new: InstanciaFilter) -> None:
        """Apply a new filter (no-op when unchanged, so repeated signals cost nothing)."""
        self._filter = new
        self.set_predicate(new, new.accepts)
