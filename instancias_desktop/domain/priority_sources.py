"""Where each priority criterion comes from: a norm, or an assumption for MIMP to confirm.

RM 288-2023-MIMP states the purpose (prioritize MIMP's technical assistance toward creating the
instancias and making them work); its annex, which would set the criteria, is not public in our
sources. So a criterion cites the norm it rests on where there is one, and otherwise says it is
an assumption: nothing unsourced is presented as law (../shared/domain.md, sections 1 and 6).
"""

from instancias_desktop.domain.enums import Criterion
from instancias_desktop.i18n import _

ASSUMPTION = _("Supuesto a confirmar por el MIMP")

# (source, whether the criterion itself is an assumption)
_SOURCES: dict[Criterion, tuple[str, bool]] = {
    Criterion.STAGE_GAP: (
        _("D.S. N° 009-2016-MIMP, arts. 105, 107 y 109: crear, instalar y convocar la instancia"),
        False,
    ),
    Criterion.LEGAL_EXPOSURE: (
        _(
            "Ley N° 31439: suspensión del alcalde distrital que no crea, instala, convoca "
            "ni preside (cuenta también la IDC instalada sin sesiones registradas)"
        ),
        False,
    ),
    Criterion.REACTIVATION: (
        _("casos reales de reinstalación tras un cambio de autoridades"),
        True,
    ),
    Criterion.VIOLENCE_BURDEN: (_("cifras del territorio importadas (casos de violencia)"), True),
    Criterion.CEM_PRESENCE: (_("el CEM integra la IDC (gob.pe 73718); su peso no es norma"), True),
    Criterion.CASCADE: (
        _("niveles del D.S. N° 009-2016-MIMP; el orden de atención no es norma"),
        True,
    ),
    Criterion.EXTERNAL_ALERTS: (_("hallazgos de la Defensoría del Pueblo"), True),
    Criterion.DEMAND: (_("pedido escrito del gobierno"), True),
    Criterion.TIME_SINCE_VISIT: (
        _("RM 288-2023-MIMP, finalidad c (seguimiento periódico); la periodicidad no es pública"),
        True,
    ),
    Criterion.OVERDUE_AGREEMENTS: (_("acuerdos de las actas de asistencia técnica"), True),
}


def criterion_source(criterion: Criterion) -> str:
    """«Ley N° 31439: …», or «Supuesto a confirmar por el MIMP: …»."""
    source, assumed = _SOURCES[criterion]
    return f"{ASSUMPTION}: {source}" if assumed else source


def is_assumption(criterion: Criterion) -> bool:
    """Whether the criterion rests on no norm."""
    return _SOURCES[criterion][1]
