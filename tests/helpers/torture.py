"""The sync under torture: the real server in its own process, a proxy that cuts connections,
real app profiles driven through their services, syncs killed with SIGKILL; then quiet.

Who works: ana on two laptops and bea share Cusco (08); carla works in Lima (15). Each step
one laptop does one thing a specialist does (start an acta, type its objective, add or edit a
participant whose DNI others also recorded, add or edit an agreement, answer a checklist item
with a note, finalize, delete a draft, remove a participant or an agreement, edit the shared
data of an instancia) or starts a sync in a child process, which is SIGKILLed at a random
moment about half of the time. Everything is drawn from ``random.Random(seed)``; timing (how
far a sync got before its kill) is not, so a failing seed is retried with its report.

What she typed is noted in a ledger (unique texts: ``ana-a·17``) that the checks of
``torture_checks`` compare, at quiet, with the server and with every laptop.
"""

import dataclasses
import datetime as dt
import random
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from helpers.central_process import CentralProcess
from helpers.cutting_proxy import CuttingProxy
from helpers.profiles import open_services
from helpers.torture_syncs import ChildSyncs
from instancias_desktop.domain.enums import Answer, DocumentType, ParticipantRole, VisitStatus
from instancias_desktop.domain.finalization import FinalizedVisitError, IncompleteVisitError
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.sync_views import SignIn, SyncFailedError
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import AgreementInput, ParticipantInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings, load_settings, save_settings
from sync.kinds import answer_id

PASSWORD = "clave-de-campo-2026"
USERS = {"ana": ("08",), "bea": ("08",), "carla": ("15",)}
LAPTOPS = (("ana-a", "ana"), ("ana-b", "ana"), ("bea", "bea"), ("carla", "carla"))
SHARED_DNIS = ("40000001", "40000002", "40000003", "40000004")  # recorded on several laptops
INSTANCIAS_PER_TERRITORY = 2  # few, so that laptops meet on the same records
DRAWS_PER_STEP = 8  # every step draws as many numbers, whatever it finds: a seed is a run
COMPLETE = {"start_time": dt.time(9), "end_time": dt.time(11), "agenda": "1", "development": "Ok"}
# What the app answers when she tries something it does not allow (she reads the message).
SAID_NO = (ValidationError, IncompleteVisitError, FinalizedVisitError)
LedgerKey = tuple[str, str, uuid.UUID, str]  # laptop, kind, record id, field
Item = TypeVar("Item")


@dataclasses.dataclass
class Laptop:
    """One enrolled profile."""

    name: str
    username: str
    paths: ProfilePaths
    services: AppServices


@dataclasses.dataclass
class Tally:
    """What happened, for the report."""

    actions: Counter[str] = dataclasses.field(default_factory=Counter)
    said_no: Counter[str] = dataclasses.field(default_factory=Counter)


class Torture:
    """The world of one seeded run (call ``close()``)."""

    def __init__(self, folder: Path, template: Path, database_url: str, seed: int) -> None:
        self.folder = folder
        self.rng = random.Random(seed)
        self.seed = seed
        self.tally = Tally()
        self.ledger: dict[LedgerKey, str] = {}
        self.children_of: dict[uuid.UUID, set[uuid.UUID]] = {}  # a visit's records she added
        self.quiet_problems: list[str] = []
        self._typed = 0
        self._draws: Iterator[float] = iter(())
        self.laptops: list[Laptop] = []
        self.syncs = ChildSyncs(folder / "sync-logs")
        self.central = CentralProcess(database_url, folder / "central")
        self.proxy: CuttingProxy | None = None
        try:
            self.central.folder.mkdir(parents=True, exist_ok=True)
            for username, territories in USERS.items():
                self.central.user(username, territories, PASSWORD)
            self.central.start()
            self.proxy = CuttingProxy("127.0.0.1", self.central.port, seed=seed, max_offset=4_000)
            self.proxy.start()
            for number, (name, user) in enumerate(LAPTOPS):
                self.laptops.append(self._laptop(name, user, template, number))
            self.sync_seconds = 1.0
            self.sync_seconds = self._calibrate()
        except BaseException:
            self.close()
            raise

    def _laptop(self, name: str, username: str, template: Path, number: int) -> Laptop:
        paths = ProfilePaths(self.folder / name)
        shutil.copytree(template, paths.root)
        save_settings(paths.settings, Settings(author=username, acta_series=f"Z{number:02d}"))
        services = open_services(paths, load_settings(paths.settings))
        assert self.proxy is not None
        services.enrol(SignIn(self.proxy.url, username, PASSWORD, name))
        return Laptop(name, username, paths, services)

    def _calibrate(self) -> float:
        """How long a whole sync takes here (process start included), to time the kills."""
        started = time.monotonic()
        self.syncs.start(self.laptops[0].paths.root, kill_after=None)
        self.syncs.wait()
        return time.monotonic() - started

    # ------------------------------------------------------------------ the run
    def run(self, steps: int, cut_rate: float) -> None:
        """``steps`` actions over links that cut ``cut_rate`` of the connections."""
        assert self.proxy is not None
        self.proxy.cut_rate = cut_rate
        actions = self._actions()
        names = list(actions)
        weights = [actions[n][0] for n in names]
        for _step in range(steps):
            self.syncs.reap()
            laptop = self.rng.choice(self.laptops)
            name = self.rng.choices(names, weights)[0]
            self._draws = iter([self.rng.random() for _ in range(DRAWS_PER_STEP)])
            self.tally.actions[name] += 1
            try:
                actions[name][1](laptop)
            except SAID_NO as refusal:
                self.tally.said_no[f"{name}: {type(refusal).__name__}"] += 1
            time.sleep(0.01)  # the child syncs advance meanwhile
        self.syncs.wait()

    def draw(self) -> float:
        """One of the step's numbers (outside a step, the seed's next)."""
        number = next(self._draws, None)
        return self.rng.random() if number is None else number

    def pick(self, items: Sequence[Item]) -> Item | None:
        """One of ``items`` (None when there is none); one number drawn either way."""
        number = self.draw()
        return items[int(number * len(items))] if items else None

    def _actions(self) -> dict[str, tuple[int, Callable[[Laptop], None]]]:
        return {
            "start_visit": (8, self.start_visit),
            "objective": (14, self.type_objective),
            "participant": (10, self.add_participant),
            "participant_post": (5, self.edit_participant),
            "agreement": (10, self.add_agreement),
            "agreement_text": (5, self.edit_agreement),
            "checklist": (8, self.answer_item),
            "finalize": (5, self.finalize),
            "delete_draft": (2, self.delete_draft),
            "remove_participant": (2, self.remove_participant),
            "remove_agreement": (2, self.remove_agreement),
            "instancia": (8, self.edit_instancia),
            "sync": (14, self.sync_in_child),
        }

    # ------------------------------------------------------------------ what she does
    def text(self, laptop: Laptop) -> str:
        """A unique text, so the checks can find it anywhere."""
        self._typed += 1
        return f"{laptop.name}·{self._typed}"

    def note(self, laptop: Laptop, kind: str, record_id: uuid.UUID, field: str, value: str) -> None:
        """She typed ``value`` into that field (her last value is the one that counts)."""
        self.ledger[(laptop.name, kind, record_id, field)] = value

    def forget(self, laptop: Laptop, record_ids: set[uuid.UUID]) -> None:
        """She deleted those records herself: what she typed in them went with them."""
        for key in [k for k in self.ledger if k[0] == laptop.name and k[2] in record_ids]:
            del self.ledger[key]

    def instancias(self, laptop: Laptop) -> list[uuid.UUID]:
        territories = USERS[laptop.username]
        mine = sorted(
            (s.ubigeo, s.id)
            for s in laptop.services.list_instancias()
            if s.ubigeo.startswith(territories)
        )
        return [record_id for _ubigeo, record_id in mine[:INSTANCIAS_PER_TERRITORY]]

    def drafts(self, laptop: Laptop) -> list[uuid.UUID]:
        return sorted(
            v.id
            for v in laptop.services.list_visits()
            if v.author == laptop.username and v.status is VisitStatus.DRAFT
        )

    def a_draft(self, laptop: Laptop) -> uuid.UUID | None:
        return self.pick(self.drafts(laptop))

    def start_visit(self, laptop: Laptop) -> None:
        instancia_id = self.pick(self.instancias(laptop))
        assert instancia_id is not None
        visit_id = laptop.services.start_visit(instancia_id)
        objective = self.text(laptop)
        laptop.services.update_visit(visit_id, {**COMPLETE, "objective": objective})
        self.note(laptop, "visit", visit_id, "objective", objective)

    def type_objective(self, laptop: Laptop) -> None:
        if (visit_id := self.a_draft(laptop)) is not None:
            objective = self.text(laptop)
            laptop.services.update_visit(visit_id, {"objective": objective})
            self.note(laptop, "visit", visit_id, "objective", objective)

    def add_participant(self, laptop: Laptop) -> None:
        if (visit_id := self.a_draft(laptop)) is None:
            return
        post = self.text(laptop)
        dni = self.pick(SHARED_DNIS) or SHARED_DNIS[0]
        role = self.pick((ParticipantRole.CHAIR, ParticipantRole.MEMBER)) or ParticipantRole.CHAIR
        typed = ParticipantInput(
            DocumentType.DNI, dni, f"Persona {dni}", "Municipalidad", post, role, consent=True
        )
        participant_id = laptop.services.save_participant(visit_id, typed)
        self.children_of.setdefault(visit_id, set()).add(participant_id)
        self.note(laptop, "participant", participant_id, "post", post)

    def _parts(self, laptop: Laptop, which: str) -> tuple[uuid.UUID, Any] | None:
        """A draft of hers and one of its ``participants`` or ``agreements`` (None: none)."""
        if (visit_id := self.a_draft(laptop)) is None:
            return None
        part = self.pick(getattr(laptop.services.visit_detail(visit_id), which))
        return (visit_id, part) if part is not None else None

    def _remove(self, laptop: Laptop, which: str, remove: Callable[[uuid.UUID], None]) -> None:
        if (found := self._parts(laptop, which)) is not None:
            remove(found[1].id)
            self.forget(laptop, {found[1].id})

    def edit_participant(self, laptop: Laptop) -> None:
        if (found := self._parts(laptop, "participants")) is None:
            return
        visit_id, shown = found
        post = self.text(laptop)
        typed = ParticipantInput(
            shown.document_type, shown.document_number, shown.full_name, shown.entity, post,
            shown.role, consent=True,
        )  # fmt: skip
        laptop.services.save_participant(visit_id, typed, shown.id)
        self.note(laptop, "participant", shown.id, "post", post)

    def remove_participant(self, laptop: Laptop) -> None:
        self._remove(laptop, "participants", laptop.services.remove_participant)

    def add_agreement(self, laptop: Laptop) -> None:
        if (visit_id := self.a_draft(laptop)) is None:
            return
        description = self.text(laptop)
        typed = AgreementInput(description, "Municipalidad", "", dt.date(2027, 6, 30))
        agreement_id = laptop.services.save_agreement(visit_id, typed)
        self.children_of.setdefault(visit_id, set()).add(agreement_id)
        self.note(laptop, "agreement", agreement_id, "description", description)

    def edit_agreement(self, laptop: Laptop) -> None:
        if (found := self._parts(laptop, "agreements")) is None:
            return
        visit_id, shown = found
        description = self.text(laptop)
        typed = AgreementInput(description, "Municipalidad", "", dt.date(2027, 6, 30))
        laptop.services.save_agreement(visit_id, typed, shown.id)
        self.note(laptop, "agreement", shown.id, "description", description)

    def remove_agreement(self, laptop: Laptop) -> None:
        self._remove(laptop, "agreements", laptop.services.remove_agreement)

    def answer_item(self, laptop: Laptop) -> None:
        if (visit_id := self.a_draft(laptop)) is None:
            return
        view = laptop.services.checklist(visit_id)
        if view is None:
            return
        items = [i for i in view.definition.items if not i.options and i.when is None]
        item = self.pick(items[:6])
        assert item is not None
        note = self.text(laptop)
        answer = ItemAnswer(self.pick((Answer.NO, Answer.NOT_APPLICABLE)) or Answer.NO, note=note)
        laptop.services.save_checklist_answers(visit_id, view.definition.ref, {item.code: answer})
        self.note(laptop, "checklist_response", answer_id(visit_id, item.code), "note", note)

    def finalize(self, laptop: Laptop) -> None:
        if (visit_id := self.a_draft(laptop)) is not None:
            laptop.services.finalize_visit(visit_id)

    def delete_draft(self, laptop: Laptop) -> None:
        if (visit_id := self.a_draft(laptop)) is not None:
            laptop.services.delete_draft(visit_id)
            self.forget(laptop, {visit_id, *self.children_of.get(visit_id, set())})

    def edit_instancia(self, laptop: Laptop) -> None:
        instancia_id = self.pick(self.instancias(laptop))
        field = self.pick(("chair_name", "secretariat_person")) or "chair_name"
        assert instancia_id is not None
        value = self.text(laptop)
        laptop.services.update_instancia(instancia_id, {field: value})
        self.note(laptop, "instancia", instancia_id, field, value)

    # ------------------------------------------------------------------ syncs
    def sync_in_child(self, laptop: Laptop) -> None:
        """Start a sync of ``laptop`` in its own process, killed half of the time."""
        kill, moment = self.draw() < 0.5, 0.3 + 0.9 * self.draw()  # mostly inside the sync
        if not self.syncs.running(laptop.paths.root):  # one at a time, as the app's lock says
            self.syncs.start(laptop.paths.root, moment * self.sync_seconds if kill else None)

    def quiet(self, rounds: int = 3) -> None:
        """No more cuts: every laptop syncs, in turn, ``rounds`` times; the last round must
        complete for every laptop (failures go to ``quiet_problems``)."""
        self.syncs.wait()
        assert self.proxy is not None
        self.proxy.cut_rate = 0.0
        for _round in range(rounds):
            self.quiet_problems = []
            for laptop in self.laptops:
                try:
                    laptop.services.synchronize(lambda _progress: None)
                except SyncFailedError as error:
                    self.quiet_problems.append(f"{laptop.name}: la sincronización falló: {error}")

    def close(self) -> None:
        """Stop every process (by its PID) and close every database, whatever fails."""
        try:
            self.syncs.stop()
            for laptop in self.laptops:
                laptop.services.close()
        finally:
            try:
                if self.proxy is not None:
                    self.proxy.stop()
            finally:
                self.central.stop()
