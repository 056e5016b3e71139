"""Which instancias need technical assistance first: a weighted, explained, deterministic ranking.

Each criterion of domain.md section 6 gives a value in 0..1; with weights w (0..100, at least one
above 0) an instancia's points for criterion i are 100 × w_i × v_i / Σ w, and its score (0..100)
is the sum of those points, so the explanation shown beside it always adds up to the score.

Logistics (distance, access cost: section 6, item 10) is deliberately not a criterion: it serves
to plan the route of a trip, not to decide who needs assistance most.
"""

import datetime as dt
import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from instancias_desktop.domain.enums import Criterion, InstanciaLevel, Stage
from instancias_desktop.i18n import _

MAX_WEIGHT = 100.0
ALERTS_CAP = 3
OVERDUE_CAP = 5
DEFAULT_HORIZON_DAYS = 365


class WeightsError(ValueError):
    """A weight file or form holds a weight that cannot be used; the message says what to fix."""


def decimal_text(value: float, digits: int = 1) -> str:
    """A number as written in Peru (es-PE, decimal point, thousands comma): «1,234.5»."""
    return f"{value:,.{digits}f}"


def _checked(criterion: Criterion, value: object) -> float:
    """The weight as a float, or a WeightsError naming the criterion and the fix."""
    name = f"«{criterion.label}» ({criterion.value})"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise WeightsError(
            _("El peso de {name} debe ser un número de 0 a 100, no «{value}».").format(
                name=name, value=value
            )
        )
    if value < 0:
        message = _("El peso de {name} no puede ser negativo ({value}). Use un número de 0 a 100.")
    elif value > MAX_WEIGHT:
        message = _(
            "El peso de {name} no puede ser mayor que 100 ({value}). Use un número de 0 a 100."
        )
    else:
        return float(value)
    raise WeightsError(message.format(name=name, value=f"{value:g}"))


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts (0..100 each, at least one above 0; missing ones count 0)."""

    values: Mapping[Criterion, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Validate, fill missing criteria with 0 and freeze the mapping in Criterion order."""
        full = {c: _checked(c, self.values.get(c, 0.0)) for c in Criterion}
        if not any(full.values()):
            raise WeightsError(_("Al menos un criterio debe tener un peso mayor que 0."))
        object.__setattr__(self, "values", MappingProxyType(full))

    def __hash__(self) -> int:
        """Hash of the weights in Criterion order (the mapping itself is not hashable)."""
        return hash(tuple(self.values.items()))

    @property
    def total(self) -> float:
        """The sum of all weights (always above 0)."""
        return sum(self.values.values())

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> "Weights":
        """Weights from string keys (as in a weight file); WeightsError says what to fix."""
        known = {c.value: c for c in Criterion}
        values: dict[Criterion, float] = {}
        for key, value in raw.items():
            criterion = known.get(key)
            if criterion is None:
                raise WeightsError(
                    _("Criterio desconocido «{key}». Use uno de: {keys}.").format(
                        key=key, keys=", ".join(known)
                    )
                )
            values[criterion] = _checked(criterion, value)
        return cls(values)

    def as_mapping(self) -> dict[str, float]:
        """The weights by string key, every criterion included, in Criterion order."""
        return {c.value: w for c, w in self.values.items()}


DEFAULT_WEIGHTS = Weights(
    {
        Criterion.STAGE_GAP: 30,
        Criterion.LEGAL_EXPOSURE: 15,
        Criterion.REACTIVATION: 10,
        Criterion.VIOLENCE_BURDEN: 15,
        Criterion.CEM_PRESENCE: 5,
        Criterion.CASCADE: 5,
        Criterion.EXTERNAL_ALERTS: 5,
        Criterion.DEMAND: 5,
        Criterion.TIME_SINCE_VISIT: 5,
        Criterion.OVERDUE_AGREEMENTS: 5,
    }
)


@dataclass(frozen=True, slots=True)
class PriorityInput:
    """What the ranking knows about one instancia (plain values read from the database)."""

    instancia_id: uuid.UUID
    name: str
    level: InstanciaLevel
    ubigeo: str
    stage: Stage
    sworn_in_on: dt.date | None  # when the current members were sworn in
    last_visit_on: dt.date | None
    overdue_agreements: int
    violence_figure: float | None  # imported indicator of the territory (e.g. CEM caseload)
    has_cem: bool
    alerts: int  # Defensoría del Pueblo findings or recommendations
    requested: bool  # a written request from the government
    convened: bool = True  # a session is recorded (False: installed and never convened)


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one criterion adds to an instancia's score."""

    criterion: Criterion
    weight: float
    value: float  # 0..1
    points: float  # 100 × weight × value / Σ weights


@dataclass(frozen=True, slots=True)
class RankedInstancia:
    """An instancia's place in the ranking, its score and why."""

    rank: int  # 1-based; equal scores get consecutive ranks (see rank())
    instancia: PriorityInput
    score: float  # 0..100, the sum of the contributions' points
    contributions: tuple[Contribution, ...]  # every criterion, in Criterion order

    @property
    def explanation(self) -> str:
        """The criteria that add points, largest first: «Brecha de estado 30,0 + …»."""
        adding = sorted((c for c in self.contributions if c.points > 0), key=lambda c: -c.points)
        if not adding:
            return _("Ningún criterio suma puntos.")
        return " + ".join(f"{c.criterion.label} {decimal_text(c.points)}" for c in adding)


_STAGE_GAP: dict[Stage, float] = {
    Stage.NOT_CREATED: 1.0,
    Stage.CREATED: 2 / 3,
    Stage.INSTALLED: 1 / 3,
    Stage.INACTIVE: 1 / 3,
    Stage.REACTIVATED: 1 / 3,
    Stage.FUNCTIONING: 0.0,
}
_LEGALLY_EXPOSED = frozenset({Stage.NOT_CREATED, Stage.CREATED, Stage.INACTIVE})
_SWORN_IN = frozenset({Stage.INSTALLED, Stage.FUNCTIONING, Stage.REACTIVATED})
_INSTALLED_ONLY = frozenset({Stage.INSTALLED, Stage.REACTIVATED})
_CASCADE: dict[InstanciaLevel, float] = {
    InstanciaLevel.IRC: 1.0,
    InstanciaLevel.IPC: 0.5,
    InstanciaLevel.IDC: 0.0,
}
_LEVEL_ORDER: dict[InstanciaLevel, int] = {level: n for n, level in enumerate(InstanciaLevel)}


@dataclass(frozen=True)
class _Context:
    """What the criteria compare an instancia with: the dates and the largest figure per level."""

    today: dt.date
    term_start: dt.date
    horizon_days: int
    max_figure: Mapping[InstanciaLevel, float]


_Rule = Callable[[PriorityInput, _Context], float]
_Factor = tuple[Criterion, float, float, _Rule]  # criterion, weight, 100 × weight / Σ weights


def _figure(item: PriorityInput) -> float:
    """The violence figure when usable (finite, above 0), else 0."""
    figure = item.violence_figure
    return figure if figure is not None and 0 < figure < math.inf else 0.0


def _legal_exposure(item: PriorityInput, _ctx: _Context) -> float:
    """The district mayor is bound by Ley 31439 to create, install and convene the IDC.

    An IDC installed whose records hold no session has not been convened either.
    """
    never_convened = item.stage in _INSTALLED_ONLY and not item.convened
    return float(
        item.level is InstanciaLevel.IDC and (item.stage in _LEGALLY_EXPOSED or never_convened)
    )


def _reactivation(item: PriorityInput, ctx: _Context) -> float:
    """Inactive, or members sworn in before the current term of office began."""
    if item.stage is Stage.INACTIVE:
        return 1.0
    sworn = item.sworn_in_on
    return float(item.stage in _SWORN_IN and sworn is not None and sworn < ctx.term_start)


def _violence_burden(item: PriorityInput, ctx: _Context) -> float:
    """The figure relative to the largest one among the instancias of the same level."""
    largest = ctx.max_figure.get(item.level, 0.0)
    return _figure(item) / largest if largest > 0 else 0.0


def _time_since_visit(item: PriorityInput, ctx: _Context) -> float:
    """Never visited: 1; else the days since the last visit over the horizon (capped at 1)."""
    if item.last_visit_on is None:
        return 1.0
    days = max(0, (ctx.today - item.last_visit_on).days)  # a visit dated after today: 0 days
    return min(days, ctx.horizon_days) / ctx.horizon_days


_RULES: dict[Criterion, _Rule] = {
    Criterion.STAGE_GAP: lambda item, _ctx: _STAGE_GAP[item.stage],
    Criterion.LEGAL_EXPOSURE: _legal_exposure,
    Criterion.REACTIVATION: _reactivation,
    Criterion.VIOLENCE_BURDEN: _violence_burden,
    Criterion.CEM_PRESENCE: lambda item, _ctx: float(item.has_cem),
    Criterion.CASCADE: lambda item, _ctx: _CASCADE[item.level],
    Criterion.EXTERNAL_ALERTS: lambda item, _ctx: min(max(item.alerts, 0), ALERTS_CAP) / ALERTS_CAP,
    Criterion.DEMAND: lambda item, _ctx: float(item.requested),
    Criterion.TIME_SINCE_VISIT: _time_since_visit,
    Criterion.OVERDUE_AGREEMENTS: (
        lambda item, _ctx: min(max(item.overdue_agreements, 0), OVERDUE_CAP) / OVERDUE_CAP
    ),
}


def _largest_figures(items: Iterable[PriorityInput]) -> dict[InstanciaLevel, float]:
    """The largest usable violence figure of each level, in one pass."""
    largest = dict.fromkeys(InstanciaLevel, 0.0)
    for item in items:
        largest[item.level] = max(largest[item.level], _figure(item))
    return largest


def _scored(
    item: PriorityInput, ctx: _Context, factors: tuple[_Factor, ...]
) -> tuple[float, tuple[Contribution, ...]]:
    """The score and the contributions of one instancia."""
    contributions = []
    for criterion, weight, scale, rule in factors:
        value = rule(item, ctx)
        contributions.append(Contribution(criterion, weight, value, scale * value))
    # Rounding may push an all-ones sum a hair above 100; the clamp keeps the documented range.
    return min(100.0, sum(c.points for c in contributions)), tuple(contributions)


def _order(item: PriorityInput, score: float) -> tuple[float, int, str, str, str]:
    """Sort key: higher score first, then IRC, IPC, IDC, then ubigeo, name and id."""
    return (-score, _LEVEL_ORDER[item.level], item.ubigeo, item.name, str(item.instancia_id))


def rank(
    inputs: Iterable[PriorityInput],
    weights: Weights,
    today: dt.date,
    term_start: dt.date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> list[RankedInstancia]:
    """The instancias by priority, highest score first; ranks are 1, 2, 3… even for equal scores.

    Equal scores are ordered by level (IRC, IPC, IDC), then ubigeo, name and id, so the same
    inputs in any order always give the same ranking, and every instancia has its own rank.
    """
    items = list(inputs)
    if horizon_days < 1:
        raise ValueError(f"horizon_days must be at least 1, got {horizon_days}")
    if len({item.instancia_id for item in items}) != len(items):
        raise ValueError("each instancia may be ranked only once")
    ctx = _Context(today, term_start, horizon_days, _largest_figures(items))
    total = weights.total
    factors = tuple((c, w, MAX_WEIGHT * w / total, _RULES[c]) for c, w in weights.values.items())
    scored = [(item, *_scored(item, ctx, factors)) for item in items]
    scored.sort(key=lambda entry: _order(entry[0], entry[1]))
    return [
        RankedInstancia(n, item, score, contributions)
        for n, (item, score, contributions) in enumerate(scored, start=1)
    ]
