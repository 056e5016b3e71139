"""Generate a plausible, reproducible body of field work over the real registry."""

import datetime as dt
import random
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from instancias_desktop.demo import vocabulary as words
from instancias_desktop.demo.checklists import fill_checklist
from instancias_desktop.domain.acta_numbers import ActaNumber
from instancias_desktop.domain.entities import (
    Agreement,
    Checklist,
    ChecklistResponse,
    Norm,
    Participant,
    Person,
    Specialist,
    StageEvent,
    TerritoryAssignment,
    Visit,
)
from instancias_desktop.domain.enums import (
    AgreementState,
    AtType,
    DocumentType,
    InstanciaLevel,
    Modality,
    NormRole,
    NormType,
    ParticipantRole,
    Sex,
    Stage,
    VisitStatus,
)
from instancias_desktop.domain.forms import FormDefinition
from instancias_desktop.domain.readmodels import InstanciaSummary

# Final stage of each instancia and its share; the path to it is walked in order.
_STAGE_SHARES = (
    (Stage.NOT_CREATED, 30),
    (Stage.CREATED, 22),
    (Stage.INSTALLED, 15),
    (Stage.FUNCTIONING, 20),
    (Stage.INACTIVE, 8),
    (Stage.REACTIVATED, 5),
)
_PATHS = {
    Stage.NOT_CREATED: (),
    Stage.CREATED: (Stage.CREATED,),
    Stage.INSTALLED: (Stage.CREATED, Stage.INSTALLED),
    Stage.FUNCTIONING: (Stage.CREATED, Stage.INSTALLED, Stage.FUNCTIONING),
    Stage.INACTIVE: (Stage.CREATED, Stage.INSTALLED, Stage.INACTIVE),
    Stage.REACTIVATED: (Stage.CREATED, Stage.INSTALLED, Stage.INACTIVE, Stage.REACTIVATED),
}
_AT_FOR_STAGE = {
    Stage.NOT_CREATED: AtType.CREATION,
    Stage.CREATED: AtType.INSTALLATION,
    Stage.INSTALLED: AtType.FUNCTIONING,
    Stage.FUNCTIONING: AtType.FOLLOW_UP,
    Stage.INACTIVE: AtType.REACTIVATION,
    Stage.REACTIVATED: AtType.FUNCTIONING,
}

# Visits that review how the instancia works fill the checklist.
_CHECKED = frozenset({AtType.FUNCTIONING, AtType.FOLLOW_UP, AtType.REACTIVATION})


@dataclass(frozen=True)
class DemoSize:
    """How much to generate."""

    visits: int = 2_000
    participants: int = 20_000
    specialists: int = 40
    seed: int = 2026


@dataclass(frozen=True)
class SpecialistWork:
    """One specialist, the territories assigned, and the visits she recorded."""

    specialist: Specialist
    assignments: tuple[TerritoryAssignment, ...]
    visits: tuple[Visit, ...]
    persons: tuple[Person, ...]
    participants: tuple[Participant, ...]
    agreements: tuple[Agreement, ...]
    checklists: tuple[Checklist, ...] = ()
    responses: tuple[ChecklistResponse, ...] = ()


@dataclass(frozen=True)
class DemoData:
    """Everything to write: registry history first, then each specialist's work."""

    norms: tuple[Norm, ...]
    stage_events: tuple[StageEvent, ...]
    work: tuple[SpecialistWork, ...]


class DemoGenerator:
    """Draws every value from one seeded random source, so a size and seed give the same data."""

    def __init__(
        self,
        instancias: Sequence[InstanciaSummary],
        size: DemoSize,
        today: dt.date,
        forms: Mapping[InstanciaLevel, FormDefinition] | None = None,
    ) -> None:
        self._rng = random.Random(size.seed)
        self._checklist_rng = random.Random(size.seed + 1)  # keeps the other data as it was
        self._forms = dict(forms or {})
        self._instancias = list(instancias)
        self._size = size
        self._today = today
        self._dnis: set[str] = set()

    def generate(self) -> DemoData:
        """Stage histories for every instancia, then visits shared among the specialists."""
        stages: dict[uuid.UUID, Stage] = {}
        norms: list[Norm] = []
        events: list[StageEvent] = []
        for instancia in self._instancias:
            stages[instancia.id] = self._history(instancia, norms, events)
        departments = sorted({i.department_code for i in self._instancias})
        count = max(1, min(self._size.specialists, self._size.visits or 1))
        specialists = [self._specialist(n) for n in range(1, count + 1)]
        territory = {s.id: departments[n :: len(specialists)] for n, s in enumerate(specialists)}
        shares = _split(self._size.visits, len(specialists))
        people_shares = _split(self._size.participants, len(specialists))
        work = tuple(
            self._work(s, territory[s.id], stages, n_visits, n_people)
            for s, n_visits, n_people in zip(specialists, shares, people_shares, strict=True)
        )
        return DemoData(tuple(norms), tuple(events), work)

    def _history(
        self, instancia: InstanciaSummary, norms: list[Norm], events: list[StageEvent]
    ) -> Stage:
        final = self._rng.choices([s for s, _ in _STAGE_SHARES], [w for _, w in _STAGE_SHARES])[0]
        path = _PATHS[final]
        gaps = [self._rng.randint(30, 400) for _ in path]
        # Strictly increasing dates that end on or before today: no two hitos share a day.
        day = self._today - dt.timedelta(days=self._rng.randint(0, 600) + sum(gaps))
        for stage, gap in zip(path, gaps, strict=True):
            day += dt.timedelta(days=gap)
            norm_id = None
            if stage is Stage.CREATED:
                kind = (
                    NormType.REGIONAL_ORDINANCE
                    if instancia.level is InstanciaLevel.IRC
                    else NormType.MUNICIPAL_ORDINANCE
                )
                norm = Norm(
                    instancia_id=instancia.id,
                    role=NormRole.CREATES,
                    norm_type=kind,
                    number=f"{self._rng.randint(1, 40):03d}-{day.year}",
                    issued_on=day,
                    issuing_body=instancia.unit_name,
                )
                norms.append(norm)
                norm_id = norm.id
            evidence = "Ordenanza publicada" if stage is Stage.CREATED else "Acta de sesión"
            events.append(StageEvent(instancia.id, stage, day, evidence, norm_id=norm_id))
        return final

    def _specialist(self, n: int) -> Specialist:
        first, surname = self._rng.choice(words.FIRST_NAMES), self._rng.choice(words.SURNAMES)
        return Specialist(
            username=f"especialista{n:02d}",
            full_name=f"{first} {surname} {self._rng.choice(words.SURNAMES)}",
            series_code=f"E{n:02d}",
        )

    def _work(
        self,
        specialist: Specialist,
        departments: list[str],
        stages: dict[uuid.UUID, Stage],
        n_visits: int,
        n_people: int,
    ) -> SpecialistWork:
        assignments = tuple(TerritoryAssignment(specialist.id, code) for code in departments)
        pool = [i for i in self._instancias if i.department_code in departments] or self._instancias
        dates = sorted(
            self._today - dt.timedelta(days=self._rng.randint(0, 1000)) for _ in range(n_visits)
        )
        sequence: dict[int, int] = {}
        visits: list[Visit] = []
        persons: list[Person] = []
        participants: list[Participant] = []
        agreements: list[Agreement] = []
        checklists: list[Checklist] = []
        responses: list[ChecklistResponse] = []
        per_visit = _split(n_people, n_visits)
        known: dict[uuid.UUID, list[Person]] = {}
        for day, people in zip(dates, per_visit, strict=True):
            instancia = self._rng.choice(pool)
            sequence[day.year] = sequence.get(day.year, 0) + 1
            visit = self._visit(
                instancia, specialist, day, sequence[day.year], stages[instancia.id]
            )
            visits.append(visit)
            seen = known.setdefault(instancia.id, [])
            present: set[uuid.UUID] = set()
            for position in range(1, people + 1):
                # People come back to later visits of the same instancia, never twice to one.
                person = self._rng.choice(seen) if seen and self._rng.random() < 0.4 else None
                if person is None or person.id in present:
                    person = self._person()
                    persons.append(person)
                    seen.append(person)
                present.add(person.id)
                participants.append(self._participant(visit, person, position))
            agreements.extend(self._agreements(visit, instancia))
            form = self._forms.get(instancia.level)
            if form is not None and visit.at_type in _CHECKED:
                checklist, answers = fill_checklist(
                    self._checklist_rng, form, instancia.level, stages[instancia.id], visit
                )
                checklists.append(checklist)
                responses.extend(answers)
        return SpecialistWork(
            specialist,
            assignments,
            tuple(visits),
            tuple(persons),
            tuple(participants),
            tuple(agreements),
            tuple(checklists),
            tuple(responses),
        )

    def _visit(
        self,
        instancia: InstanciaSummary,
        specialist: Specialist,
        day: dt.date,
        seq: int,
        stage: Stage,
    ) -> Visit:
        start = dt.time(self._rng.randint(8, 15), self._rng.choice((0, 15, 30, 45)))
        end = dt.time(min(start.hour + self._rng.randint(1, 3), 20), start.minute)
        recent = (self._today - day).days < 7
        return Visit(
            instancia_id=instancia.id,
            acta_number=ActaNumber(specialist.series_code, day.year, seq).format(),
            acta_series=specialist.series_code,
            acta_year=day.year,
            acta_sequence=seq,
            visit_date=day,
            start_time=start,
            end_time=end,
            place=f"Local de la {instancia.unit_name}",
            place_ubigeo=instancia.ubigeo,
            modality=Modality.VIRTUAL if self._rng.random() < 0.15 else Modality.IN_PERSON,
            at_type=_AT_FOR_STAGE[stage],
            objective=self._rng.choice(words.OBJECTIVES),
            agenda="1. Presentación.\n2. Revisión de la lista de verificación.\n3. Acuerdos.",
            development="Se revisó la situación de la instancia con las autoridades presentes.",
            instruments=(
                "Modelo de ordenanza; modelo de reglamento interno; modelo de plan de trabajo."
            ),
            diagnosis=f"Estado observado: {stage.label}.",
            status=VisitStatus.DRAFT
            if recent and self._rng.random() < 0.7
            else VisitStatus.FINALIZED,
        )

    def _surname(self) -> str:
        return self._rng.choice(words.SURNAMES)

    def _person(self) -> Person:
        dni = f"{self._rng.randint(10_000_000, 79_999_999)}"
        while dni in self._dnis:
            dni = f"{self._rng.randint(10_000_000, 79_999_999)}"
        self._dnis.add(dni)
        first = self._rng.choice(words.FIRST_NAMES)
        female = words.FIRST_NAMES.index(first) < 20
        return Person(
            document_type=DocumentType.DNI,
            document_number=dni,
            full_name=f"{first} {self._surname()} {self._surname()}",
            sex=Sex.FEMALE if female else Sex.MALE,
            phone=f"9{self._rng.randint(10_000_000, 99_999_999)}",
        )

    def _participant(self, visit: Visit, person: Person, position: int) -> Participant:
        post, role = (
            words.POSTS[min(position - 1, len(words.POSTS) - 1)]
            if position <= 2
            else self._rng.choice(words.POSTS[2:])
        )
        entity = self._rng.choice(words.ENTITIES).format(n=position)
        return Participant(
            visit_id=visit.id,
            person_id=person.id,
            position=position,
            entity=entity if position > 2 else visit.place.removeprefix("Local de la "),
            post=post,
            role=ParticipantRole(role),
            consent=True,
        )

    def _agreements(self, visit: Visit, instancia: InstanciaSummary) -> Iterator[Agreement]:
        for number in range(1, self._rng.randint(0, 4) + 1):
            deadline = visit.visit_date + dt.timedelta(days=self._rng.randint(15, 120))
            done = deadline < self._today and self._rng.random() < 0.5
            state = (
                AgreementState.FULFILLED
                if done
                else self._rng.choice(
                    (AgreementState.PENDING, AgreementState.IN_PROGRESS, AgreementState.PENDING)
                )
            )
            yield Agreement(
                visit_id=visit.id,
                number=number,
                description=self._rng.choice(words.AGREEMENTS),
                responsible_entity=instancia.unit_name,
                responsible_person=f"{self._rng.choice(words.FIRST_NAMES)} {self._surname()}",
                deadline=deadline,
                verification_means=self._rng.choice(words.VERIFICATION),
                state=state,
            )


def _split(total: int, parts: int) -> list[int]:
    """``total`` shared among ``parts`` as evenly as possible."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]
