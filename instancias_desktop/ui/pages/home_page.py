"""The home page: the day's planned visits, drafts to finish, agreements falling due, sync."""

import uuid
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from instancias_desktop.domain.home import DUE_DAYS, PLAN_DAYS, DayOverview
from instancias_desktop.i18n import _, n_
from instancias_desktop.services.api import SyncService, VisitService
from instancias_desktop.services.planning_api import PlanService
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.models.agreement_columns import DUE_COLUMNS, is_overdue
from instancias_desktop.ui.models.priority_columns import PLAN_COLUMNS
from instancias_desktop.ui.models.record_model import Column
from instancias_desktop.ui.models.visit_columns import VISIT_COLUMNS
from instancias_desktop.ui.ops import Latest, Operations
from instancias_desktop.ui.widgets.record_table import RecordTable

AREAS = frozenset({Area.PLAN, Area.VISITS, Area.AGREEMENTS, Area.SYNC})
_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


class HomeServices(PlanService, VisitService, SyncService, Protocol):
    """What the home page uses."""


def _columns(columns: Sequence[Column], headers: tuple[str, ...]) -> tuple[Column, ...]:
    return tuple(c for c in columns if c.header in headers)


def _actas_table(name: str, description: str) -> RecordTable:
    """Her actas still to finish (drafts, or actas to sign), newest first."""
    return RecordTable(
        _columns(VISIT_COLUMNS, (_("Fecha"), _("N° de acta"), _("Instancia"), _("Envío"))),
        name,
        description=description,
        sortable=False,
    )


class HomePage(QWidget):
    """Four boxes (drafts and actas to sign share one); Enter on a row opens what it names."""

    loaded = Signal()
    open_visit = Signal(object)  # uuid.UUID
    go_sync = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._services: HomeServices | None = None
        self._loads = Latest(ops, self)
        self.overview: DayOverview | None = None
        self.title = QLabel(_("Inicio"))
        self.title.setObjectName("pageTitle")
        self.planned = RecordTable(
            _columns(PLAN_COLUMNS, (_("Fecha"), _("Orden"), _("Instancia"), _("Nota"), _("Acta"))),
            _("Visitas planificadas"),
            description=_(
                "Las visitas del plan para los próximos días, por fecha y orden de ruta. Intro o "
                "doble clic inicia la visita seleccionada: abre su borrador, que la primera vez "
                "se crea con la nota del plan como objetivo."
            ),
            sortable=False,
        )
        self.drafts = _actas_table(
            _("Borradores por terminar"),
            _(
                "Actas en borrador que aún no se finalizan. Intro o doble clic abre la "
                "seleccionada en el editor."
            ),
        )
        self.unsigned = _actas_table(
            _("Actas por firmar"),
            _(
                "Actas finalizadas a las que aún no se adjunta la copia firmada. Intro o doble "
                "clic abre la seleccionada, donde se adjunta el escaneo o las fotos del papel."
            ),
        )
        self.unsigned_title = QLabel()
        self.unsigned_title.setObjectName("homeUnsignedTitle")
        self.unsigned_title.setBuddy(self.unsigned)
        self.due = RecordTable(
            DUE_COLUMNS,
            _("Acuerdos por vencer"),
            description=_(
                "Acuerdos ya vencidos y los que vencen en los próximos días, con su plazo. Intro "
                "o doble clic abre el acta donde se tomó el acuerdo seleccionado."
            ),
            sortable=False,
            alarming=is_overdue,
        )
        self.sync_text = QLabel(wordWrap=True)
        self.sync_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.sync_text.setObjectName("homeSync")
        self.sync_button = QPushButton(_("Ir a &Sincronización"))
        self.sync_button.setToolTip(
            _(
                "Abrir la sección Sincronización para enviar y recibir los cambios o resolver lo "
                "pendiente"
            )
        )
        self.boxes = {
            "planned": QGroupBox(),
            "drafts": QGroupBox(),
            "due": QGroupBox(),
            "sync": QGroupBox(_("Sincronización")),
        }
        for table, name in (
            (self.planned, "homePlanned"),
            (self.drafts, "homeDrafts"),
            (self.due, "homeDue"),
            (self.unsigned, "homeUnsigned"),
        ):
            table.setObjectName(name)
        grid = QGridLayout()
        for (key, box), widget, place in zip(
            self.boxes.items(),
            (self.planned, self.drafts, self.due, self.sync_text),
            ((0, 0), (0, 1), (1, 0), (1, 1)),
            strict=True,
        ):
            box.setObjectName(f"home{key.capitalize()}Box")
            inner = QVBoxLayout(box)
            inner.addWidget(widget, 1)
            if key == "sync":
                inner.addWidget(self.sync_button)
            if key == "drafts":  # the actas still to finish: drafts, then those to sign
                inner.addWidget(self.unsigned_title)
                inner.addWidget(self.unsigned, 1)
            grid.addWidget(box, *place)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid, 1)
        self.planned.opened.connect(lambda p: self._start(p.id))
        self.drafts.opened.connect(lambda v: self.open_visit.emit(v.id))
        self.unsigned.opened.connect(lambda v: self.open_visit.emit(v.id))
        self.due.opened.connect(lambda a: self.open_visit.emit(a.visit_id))
        self.sync_button.clicked.connect(lambda _checked: self.go_sync.emit())
        self._follower = ops.follow(self, AREAS, self.reload)

    def attach(self, services: HomeServices) -> None:
        """Show the day of an opened profile."""
        self._services = services
        self._follower.request()

    def reload(self) -> None:
        """Gather the day again, off the GUI thread."""
        services = self._services
        if services is not None:
            self._loads.run(services.day_overview, self._show)

    def _show(self, day: DayOverview) -> None:
        self.overview = day
        self.title.setText(
            _("Inicio · hoy {weekday} {date}").format(
                weekday=_(_WEEKDAYS[day.today.weekday()]), date=day.today.strftime("%d/%m/%Y")
            )
        )
        self.planned.set_records(day.planned)
        self.drafts.set_records(day.drafts)
        self.unsigned.set_records(day.unsigned)
        self.due.set_records(day.due)
        overdue = sum(1 for a in day.due if is_overdue(a))
        self.boxes["planned"].setTitle(
            _("Visitas planificadas, próximos {days} días ({n})").format(
                days=PLAN_DAYS, n=len(day.planned)
            )
        )
        self.boxes["drafts"].setTitle(_("Borradores por terminar ({n})").format(n=len(day.drafts)))
        self.unsigned_title.setText(
            _("Actas por &firmar ({n}): finalizadas, sin la copia firmada").format(
                n=len(day.unsigned)
            )
        )
        self.boxes["due"].setTitle(
            _("Acuerdos vencidos ({overdue}) o que vencen en {days} días ({soon})").format(
                overdue=overdue, days=DUE_DAYS, soon=len(day.due) - overdue
            )
        )
        self.sync_text.setText(self._sync_text(day))
        self.loaded.emit()

    @staticmethod
    def _sync_text(day: DayOverview) -> str:
        status = day.sync
        if status.enrolment is None:
            return _(
                "Este equipo aún no está inscrito en el servidor central: lo registrado queda "
                "solo aquí. Inscríbalo en Sincronización."
            )
        lines = [
            n_(
                "{n} cambio espera la confirmación del servidor.",
                "{n} cambios esperan la confirmación del servidor.",
                status.pending,
            )
            if status.pending
            else _("Todo lo registrado aquí está confirmado por el servidor.")
        ]
        if status.rejected:
            lines.append(
                n_(
                    "{n} rechazado: revise el motivo.",
                    "{n} rechazados: revise el motivo.",
                    status.rejected,
                )
            )
        if status.in_conflict:
            lines.append(
                n_(
                    "{n} conflicto por resolver.",
                    "{n} conflictos por resolver.",
                    status.in_conflict,
                )
            )
        if status.last_sync is not None:
            lines.append(
                _("Última sincronización: {when}.").format(
                    when=status.last_sync.astimezone().strftime("%d/%m/%Y %H:%M")
                )
            )
        return "\n".join(lines)

    def _start(self, entry_id: uuid.UUID) -> None:
        services = self._services
        if services is None:
            return

        def started(visit_id: uuid.UUID) -> None:
            self._ops.announce({Area.PLAN, Area.VISITS})
            self.open_visit.emit(visit_id)

        self._ops.run(lambda: services.start_planned_visit(entry_id), started, owner=self)
