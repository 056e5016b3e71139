"""Priority ranking: each criterion's rule, weights and their errors, ties, bounds, monotonicity."""

import datetime as dt
import math
import uuid
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instancias_desktop.domain.enums import Criterion, InstanciaLevel, Stage
from instancias_desktop.domain.priority import (
    DEFAULT_WEIGHTS,
    PriorityInput,
    RankedInstancia,
    Weights,
    WeightsError,
    rank,
)

IRC, IPC, IDC = InstanciaLevel.IRC, InstanciaLevel.IPC, InstanciaLevel.IDC
TODAY = dt.date(2026, 3, 10)
TERM_START = dt.date(2023, 1, 1)
KEYS = (
    "brecha_estado, exposicion_legal, reactivacion, carga_violencia, presencia_cem, cascada,"
    " alertas_externas, solicitud, tiempo_sin_visita, acuerdos_vencidos"
)


def make(n: int = 1, /, **changes: object) -> PriorityInput:
    """A functioning IDC, sworn in this term, visited today, with nothing pending: scores 0."""
    base = PriorityInput(
        instancia_id=uuid.UUID(int=n),
        name=f"Instancia {n}",
        level=IDC,
        ubigeo="080105",
        stage=Stage.FUNCTIONING,
        sworn_in_on=dt.date(2023, 2, 1),
        last_visit_on=TODAY,
        overdue_agreements=0,
        violence_figure=None,
        has_cem=False,
        alerts=0,
        requested=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


Ranking = list[RankedInstancia]
Population = list[PriorityInput]
Pair = tuple[PriorityInput, PriorityInput]
GAP_ORDER = (Stage.FUNCTIONING, Stage.INSTALLED, Stage.CREATED, Stage.NOT_CREATED)


def ranked(*items: PriorityInput, weights: Weights = DEFAULT_WEIGHTS, **kw: int) -> Ranking:
    return rank(items, weights, TODAY, TERM_START, **kw)


def value_of(criterion: Criterion, item: PriorityInput, *others: PriorityInput, **kw: int) -> float:
    """The criterion's value for ``item``: weighted alone, the score is 100 × the value."""
    result = ranked(item, *others, weights=Weights({criterion: 1}), **kw)
    return next(r.score for r in result if r.instancia == item) / 100


def test_criteria_keep_their_stable_keys_and_spanish_labels() -> None:
    assert ", ".join(c.value for c in Criterion) == KEYS
    assert Criterion.LEGAL_EXPOSURE.label == "Exposición legal (Ley N° 31439)"


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.NOT_CREATED, 1.0),
        (Stage.CREATED, 2 / 3),
        (Stage.INSTALLED, 1 / 3),
        (Stage.INACTIVE, 1 / 3),
        (Stage.REACTIVATED, 1 / 3),
        (Stage.FUNCTIONING, 0.0),
    ],
)
def test_stage_gap(stage: Stage, expected: float) -> None:
    assert math.isclose(value_of(Criterion.STAGE_GAP, make(stage=stage)), expected)


@pytest.mark.parametrize("level", InstanciaLevel)
@pytest.mark.parametrize("stage", Stage)
def test_legal_exposure_binds_the_district_mayor_only(level: InstanciaLevel, stage: Stage) -> None:
    exposed = level is IDC and stage in (Stage.NOT_CREATED, Stage.CREATED, Stage.INACTIVE)
    assert value_of(Criterion.LEGAL_EXPOSURE, make(level=level, stage=stage)) == float(exposed)


@pytest.mark.parametrize("stage", Stage)
def test_an_idc_installed_and_never_convened_is_exposed_too(stage: Stage) -> None:
    exposed = stage in (Stage.NOT_CREATED, Stage.CREATED, Stage.INACTIVE, Stage.INSTALLED,
                        Stage.REACTIVATED)  # fmt: skip
    never = make(stage=stage, convened=False)
    assert value_of(Criterion.LEGAL_EXPOSURE, never) == float(exposed)
    regional = make(stage=stage, convened=False, level=InstanciaLevel.IRC)
    assert value_of(Criterion.LEGAL_EXPOSURE, regional) == 0.0


@pytest.mark.parametrize(
    ("stage", "sworn_in_on", "expected"),
    [
        (Stage.INACTIVE, None, 1.0),
        (Stage.INACTIVE, dt.date(2025, 1, 1), 1.0),
        (Stage.INSTALLED, dt.date(2022, 12, 31), 1.0),
        (Stage.FUNCTIONING, dt.date(2019, 3, 1), 1.0),
        (Stage.REACTIVATED, dt.date(2020, 6, 1), 1.0),
        (Stage.FUNCTIONING, TERM_START, 0.0),  # sworn in the day the term began: current
        (Stage.FUNCTIONING, None, 0.0),
        (Stage.CREATED, dt.date(2019, 3, 1), 0.0),
        (Stage.NOT_CREATED, None, 0.0),
    ],
)
def test_reactivation(stage: Stage, sworn_in_on: dt.date | None, expected: float) -> None:
    item = make(stage=stage, sworn_in_on=sworn_in_on)
    assert value_of(Criterion.REACTIVATION, item) == expected


def test_violence_burden_is_relative_to_the_largest_figure_of_the_same_level() -> None:
    small, large = make(1, violence_figure=10.0), make(2, violence_figure=40.0)
    province = make(3, level=IPC, violence_figure=5.0)
    unknown = make(4, violence_figure=None)
    assert value_of(Criterion.VIOLENCE_BURDEN, small, large, province, unknown) == 0.25
    assert value_of(Criterion.VIOLENCE_BURDEN, large, small, province) == 1.0
    assert value_of(Criterion.VIOLENCE_BURDEN, province, small, large) == 1.0
    assert value_of(Criterion.VIOLENCE_BURDEN, unknown, small, large) == 0.0
    zero = make(5, violence_figure=0.0)
    assert value_of(Criterion.VIOLENCE_BURDEN, zero, unknown) == 0.0  # largest figure 0: no burden


@pytest.mark.parametrize(
    ("criterion", "changes", "expected"),
    [
        (Criterion.CEM_PRESENCE, {"has_cem": True}, 1.0),
        (Criterion.CEM_PRESENCE, {"has_cem": False}, 0.0),
        (Criterion.CASCADE, {"level": IRC}, 1.0),
        (Criterion.CASCADE, {"level": IPC}, 0.5),
        (Criterion.CASCADE, {"level": IDC}, 0.0),
        (Criterion.DEMAND, {"requested": True}, 1.0),
        (Criterion.EXTERNAL_ALERTS, {"alerts": 1}, 1 / 3),
        (Criterion.EXTERNAL_ALERTS, {"alerts": 3}, 1.0),
        (Criterion.EXTERNAL_ALERTS, {"alerts": 7}, 1.0),
        (Criterion.OVERDUE_AGREEMENTS, {"overdue_agreements": 2}, 0.4),
        (Criterion.OVERDUE_AGREEMENTS, {"overdue_agreements": 9}, 1.0),
    ],
)
def test_simple_criteria(criterion: Criterion, changes: dict[str, object], expected: float) -> None:
    assert math.isclose(value_of(criterion, make(**changes)), expected)


@pytest.mark.parametrize(
    ("days_ago", "horizon", "expected"),
    [
        (None, 365, 1.0),  # never visited
        (0, 365, 0.0),
        (73, 365, 0.2),
        (365, 365, 1.0),
        (900, 365, 1.0),  # the horizon caps
        (15, 30, 0.5),
        (-40, 365, 0.0),  # dated after today: 0 days, not negative
    ],
)
def test_time_since_last_visit(days_ago: int | None, horizon: int, expected: float) -> None:
    item = make(last_visit_on=None if days_ago is None else TODAY - dt.timedelta(days=days_ago))
    assert math.isclose(value_of(Criterion.TIME_SINCE_VISIT, item, horizon_days=horizon), expected)


def test_never_visited_not_created_idc_with_default_weights() -> None:
    (result,) = ranked(make(stage=Stage.NOT_CREATED, sworn_in_on=None, last_visit_on=None))
    # stage gap 30 + legal exposure 15 + never visited 5
    assert (result.rank, result.score) == (1, 50.0)
    assert result.explanation == (
        "Brecha de estado 30.0 + Exposición legal (Ley N° 31439) 15.0"
        " + Tiempo desde la última visita 5.0"
    )


def test_a_busy_regional_instancia_with_default_weights() -> None:
    item = make(
        level=IRC,
        stage=Stage.INSTALLED,
        sworn_in_on=dt.date(2021, 5, 1),
        last_visit_on=TODAY - dt.timedelta(days=73),
        overdue_agreements=2,
        violence_figure=120.0,
        has_cem=True,
        alerts=1,
        requested=True,
    )
    (result,) = ranked(item)
    # 10 + 0 + 10 + 15 + 5 + 5 + 5/3 + 5 + 1 + 2
    assert math.isclose(result.score, 54 + 2 / 3, rel_tol=1e-12)
    assert result.explanation == (
        "Carga de violencia del territorio 15.0 + Brecha de estado 10.0"
        " + Reactivación necesaria 10.0 + Presencia de un CEM 5.0"
        " + Cascada (primero IRC, luego IPC, luego IDC) 5.0 + Solicitud escrita del gobierno 5.0"
        " + Acuerdos vencidos 2.0 + Alertas externas (Defensoría del Pueblo) 1.7"
        " + Tiempo desde la última visita 1.0"
    )
    assert [c.criterion for c in result.contributions] == list(Criterion)
    (nothing,) = ranked(make())
    assert (nothing.score, nothing.explanation) == (0.0, "Ningún criterio suma puntos.")


def test_custom_weights_change_the_order() -> None:
    not_created = make(1, stage=Stage.NOT_CREATED)  # default: 30 + 15 = 45
    asking = make(2, level=IRC, requested=True, alerts=3)  # default: 5 + 5 + 5 = 15
    assert [r.instancia for r in ranked(asking, not_created)] == [not_created, asking]
    custom = Weights.from_mapping({"solicitud": 50, "alertas_externas": 50, "brecha_estado": 10})
    first, second = ranked(not_created, asking, weights=custom)
    assert (first.instancia, second.instancia) == (asking, not_created)
    assert math.isclose(first.score, 100 * 100 / 110) and math.isclose(second.score, 1000 / 110)


def test_a_zero_weight_removes_the_criterion() -> None:
    weights = Weights.from_mapping({**DEFAULT_WEIGHTS.as_mapping(), "exposicion_legal": 0})
    (result,) = ranked(make(stage=Stage.NOT_CREATED, last_visit_on=None), weights=weights)
    legal = next(c for c in result.contributions if c.criterion is Criterion.LEGAL_EXPOSURE)
    assert (legal.weight, legal.value, legal.points) == (0.0, 1.0, 0.0)
    assert math.isclose(result.score, 100 * (30 + 5) / 85)
    assert "Exposición legal" not in result.explanation


def test_weights_round_trip_and_missing_keys_count_zero() -> None:
    assert Weights.from_mapping(DEFAULT_WEIGHTS.as_mapping()) == DEFAULT_WEIGHTS
    assert sum(DEFAULT_WEIGHTS.as_mapping().values()) == 100
    only = Weights.from_mapping({"cascada": 100, "solicitud": 0})
    assert only.as_mapping() == {
        c.value: 100.0 if c is Criterion.CASCADE else 0.0 for c in Criterion
    }
    assert hash(only) == hash(Weights({Criterion.CASCADE: 100}))


RANGE = "Use un número de 0 a 100."
NOT_A_NUMBER = "debe ser un número de 0 a 100, no"
ALL_ZERO = "Al menos un criterio debe tener un peso mayor que 0."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"brecha": 10}, f"Criterio desconocido «brecha». Use uno de: {KEYS}."),
        (
            {"cascada": "diez"},
            f"El peso de «Cascada (primero IRC, luego IPC, luego IDC)» (cascada) {NOT_A_NUMBER}"
            " «diez».",
        ),
        (
            {"solicitud": True},
            f"El peso de «Solicitud escrita del gobierno» (solicitud) {NOT_A_NUMBER} «True».",
        ),
        (
            {"carga_violencia": math.nan},
            f"El peso de «Carga de violencia del territorio» (carga_violencia) {NOT_A_NUMBER}"
            " «nan».",
        ),
        (
            {"reactivacion": -5},
            "El peso de «Reactivación necesaria» (reactivacion) no puede ser negativo (-5)."
            f" {RANGE}",
        ),
        (
            {"presencia_cem": 100.5},
            "El peso de «Presencia de un CEM» (presencia_cem) no puede ser mayor que 100 (100.5)."
            f" {RANGE}",
        ),
        ({"brecha_estado": 0, "cascada": 0.0}, ALL_ZERO),
        ({}, ALL_ZERO),
    ],
)
def test_bad_weights_say_what_to_fix(raw: dict[str, object], message: str) -> None:
    with pytest.raises(WeightsError) as raised:
        Weights.from_mapping(raw)
    assert str(raised.value) == message
    with pytest.raises(WeightsError, match="no puede ser negativo"):  # built directly: checked too
        Weights({Criterion.DEMAND: -1.0})


def test_rank_rejects_duplicates_and_a_horizon_below_one_day() -> None:
    with pytest.raises(ValueError, match="only once"):
        ranked(make(1), make(1, name="Otra"))
    with pytest.raises(ValueError, match="horizon_days"):
        ranked(make(1), horizon_days=0)


def test_ties_go_by_level_then_ubigeo_then_name_then_id() -> None:
    items = [
        make(1, level=IDC, ubigeo="150101", name="A"),
        make(2, level=IDC, ubigeo="010101", name="Z"),
        make(3, level=IPC, ubigeo="150101", name="Z"),
        make(4, level=IDC, ubigeo="010101", name="M"),
        make(5, level=IRC, ubigeo="150101", name="Z"),
        make(6, level=IDC, ubigeo="010101", name="M"),
    ]
    weights = Weights({Criterion.DEMAND: 5})  # nobody asked: every score is 0
    result = ranked(*reversed(items), weights=weights)
    assert [r.instancia.instancia_id.int for r in result] == [5, 3, 4, 6, 2, 1]
    assert [r.rank for r in result] == [1, 2, 3, 4, 5, 6]  # equal scores, consecutive ranks


SWORN = st.one_of(st.none(), st.dates(dt.date(2018, 1, 1), dt.date(2026, 1, 1)))
VISIT_DATES = st.dates(TODAY - dt.timedelta(days=800), TODAY + dt.timedelta(30))
VISITS = st.one_of(st.none(), VISIT_DATES)
INPUTS = st.builds(
    PriorityInput,
    instancia_id=st.uuids(),
    name=st.sampled_from(("Anta", "Lima", "Santiago")),
    level=st.sampled_from(InstanciaLevel),
    ubigeo=st.sampled_from(("010101", "080105", "150101")),
    stage=st.sampled_from(Stage),
    sworn_in_on=SWORN,
    last_visit_on=VISITS,
    overdue_agreements=st.integers(0, 8),
    violence_figure=st.one_of(st.none(), st.floats(0, 1e4, allow_nan=False)),
    has_cem=st.booleans(),
    alerts=st.integers(0, 5),
    requested=st.booleans(),
)
POPULATIONS = st.lists(INPUTS, min_size=1, max_size=25, unique_by=lambda p: p.instancia_id)
WEIGHTS = (
    st.dictionaries(st.sampled_from(Criterion), st.floats(0, 100, allow_subnormal=False))
    .filter(lambda w: any(w.values()))
    .map(Weights)
)


@settings(max_examples=80, deadline=None)
@given(POPULATIONS, WEIGHTS, st.data())
def test_shuffling_the_input_never_changes_the_output(
    population: Population, weights: Weights, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(population))
    assert ranked(*shuffled, weights=weights) == ranked(*population, weights=weights)


@settings(max_examples=80, deadline=None)
@given(POPULATIONS, WEIGHTS)
def test_scores_stay_in_range_and_equal_their_contributions(
    population: Population, weights: Weights
) -> None:
    result = ranked(*population, weights=weights)
    assert [r.rank for r in result] == list(range(1, len(population) + 1))
    assert [r.score for r in result] == sorted((r.score for r in result), reverse=True)
    for r in result:
        assert 0.0 <= r.score <= 100.0
        assert all(0.0 <= c.value <= 1.0 for c in r.contributions)
        assert math.isclose(sum(c.points for c in r.contributions), r.score, rel_tol=1e-9)


@st.composite
def worsenings(draw: st.DrawFn, item: PriorityInput) -> Pair:
    """The same instancia before and after one gap grows (stage excepted, see below)."""
    kind = draw(st.sampled_from(("alerts", "overdue", "visit", "requested", "cem", "figure")))
    more = draw(st.integers(1, 400))
    if kind == "alerts":
        return item, replace(item, alerts=item.alerts + more)
    if kind == "overdue":
        return item, replace(item, overdue_agreements=item.overdue_agreements + more)
    if kind == "visit":
        visited = draw(VISIT_DATES)
        older = draw(st.one_of(st.none(), st.just(visited - dt.timedelta(days=more))))
        return replace(item, last_visit_on=visited), replace(item, last_visit_on=older)
    if kind == "requested":
        return replace(item, requested=False), replace(item, requested=True)
    if kind == "cem":
        return replace(item, has_cem=False), replace(item, has_cem=True)
    larger = (item.violence_figure or 0.0) + draw(st.floats(0.5, 1e4))
    return item, replace(item, violence_figure=larger)


def score_and_rank(result: Ranking, instancia_id: uuid.UUID) -> tuple[float, int]:
    return next((r.score, r.rank) for r in result if r.instancia.instancia_id == instancia_id)


def assert_never_lowered(population: Population, index: int, pair: Pair, weights: Weights) -> None:
    before, after = pair
    ranked_before = ranked(*population[:index], before, *population[index + 1 :], weights=weights)
    ranked_after = ranked(*population[:index], after, *population[index + 1 :], weights=weights)
    score_before, rank_before = score_and_rank(ranked_before, before.instancia_id)
    score_after, rank_after = score_and_rank(ranked_after, after.instancia_id)
    assert score_after >= score_before
    assert rank_after <= rank_before


@settings(max_examples=100, deadline=None)
@given(POPULATIONS, WEIGHTS, st.data())
def test_a_larger_gap_never_lowers_the_score_or_the_rank(
    population: Population, weights: Weights, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(population) - 1))
    pair = data.draw(worsenings(population[index]))
    assert_never_lowered(population, index, pair, weights)


@settings(max_examples=60, deadline=None)
@given(POPULATIONS, st.floats(0.5, 100), st.data())
def test_a_worse_stage_never_lowers_the_stage_gap_score_or_rank(
    population: Population, weight: float, data: st.DataObject
) -> None:
    """Stage also feeds legal exposure and reactivation, so only the stage gap is weighted."""
    index = data.draw(st.integers(0, len(population) - 1))
    better = data.draw(st.integers(0, len(GAP_ORDER) - 2))
    worse = data.draw(st.integers(better + 1, len(GAP_ORDER) - 1))
    item = population[index]
    pair = replace(item, stage=GAP_ORDER[better]), replace(item, stage=GAP_ORDER[worse])
    assert_never_lowered(population, index, pair, Weights({Criterion.STAGE_GAP: weight}))
