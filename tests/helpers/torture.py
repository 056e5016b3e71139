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
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from helpers.central_process import CentralProcess
from helpers.cutting_proxy import CuttingProxy
from instancias_desktop.domain.enums import Answer, DocumentType, ParticipantRole, VisitStatus
from instancias_desktop.domain.finalization import FinalizedVisitError, IncompleteVisitError
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.sync_views import SignIn, SyncFailedError
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import AgreementInput, ParticipantInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.profile import open_services
from instancias_desktop.settings import Settings, load_settings, save_settings
from sync.kinds import answer_id

PASSWORD = "clave-de-campo-2026"
USERS = {"ana": ("08",), "bea": ("08",), "carla": ("15",)}
LAPTOPS = (("ana-a", "ana"), ("ana-b", "ana"), ("bea", "bea"), ("carla", "carla"))
SHARED_DNIS = ("40000001", "40000002", "40000003", "40000004")  # recorded on several laptops
INSTANCIAS_PER_TERRITORY = 2  # few, so that laptops meet on the same records
CHILD = Path(__file__).with_name("sync_child.py")
COMPLETE = {"start_time": dt.time(9), "end_time": dt.time(11), "agenda": "1", "development": "Ok"}
# What the app answers when she tries something it does not allow (she reads the message).
SAID_NO = (ValidationError, IncompleteVisitError, FinalizedVisitError, ValueError, LookupError)
LedgerKey = tuple[str, str, uuid.UUID, str]  # laptop, kind, record id, field


@dataclasses.dataclass
class Laptop:
    """One enrolled profile, and the sync child running on it (if any)."""

    name: str
    username: str
    paths: ProfilePaths
    services: AppServices
    child: "subprocess.Popen[bytes] | None" = None
    kill_at: float | None = None


@dataclasses.dataclass
class Tally:
    """What happened, for the report."""

    actions: Counter[str] = dataclasses.field(default_factory=Counter)
    said_no: Counter[str] = dataclasses.field(default_factory=Counter)
    syncs: int = 0
    killed: int = 0
    finished: int = 0


class Torture:
    """The world of one seeded run (call ``close()``)."""

    def __init__(self, folder: Path, template: Path, database_url: str, seed: int) -> None:
        self.folder = folder
        self.rng = random.Random(seed)
        self.seed = seed
        self.tally = Tally()
        self.ledger: dict[LedgerKey, str] = {}
        self.children_of: dict[uuid.UUID, set[uuid.UUID]] = {}  # a visit's records she added
        self._typed = 0
        self.central = CentralProcess(database_url, folder / "central")
        self.central.folder.mkdir(parents=True, exist_ok=True)
        for username, territories in USERS.items():
            self.central.user(username, territories, PASSWORD)
        self.central.start()
        self.proxy = CuttingProxy("127.0.0.1", self.central.port, seed=seed, max_offset=4_000)
        self.proxy.start()
        self.laptops = [self._laptop(name, user, template, n) for n, (name, user) in
                        enumerate(LAPTOPS)]  # fmt: skip
        self.sync_seconds = 1.0
        self.sync_seconds = self._calibrate()

    def _laptop(self, name: str, username: str, template: Path, number: int) -> Laptop:
        paths = ProfilePaths(self.folder / name)
        shutil.copytree(template, paths.root)
        save_settings(paths.settings, Settings(author=username, acta_series=f"Z{number:02d}"))
        services = open_services(paths, load_settings(paths.settings))
        services.enrol(SignIn(self.proxy.url, username, PASSWORD, name))
        return Laptop(name, username, paths, services)

    def _calibrate(self) -> float:
        """How long a whole sync takes here (process start included), to time the kills."""
        started = time.monotonic()
        self.sync_in_child(self.laptops[0], kill=False)
        self.wait_children()
        return time.monotonic() - started

    # ------------------------------------------------------------------ the run
    def run(self, steps: int, cut_rate: float) -> None:
        """``steps`` actions over links that cut ``cut_rate`` of the connections."""
        self.proxy.cut_rate = cut_rate
        actions = self._actions()
        names = list(actions)
        weights = [actions[n][0] for n in names]
        for _step in range(steps):
            self.reap_children()
            laptop = self.rng.choice(self.laptops)
            name = self.rng.choices(names, weights)[0]
            self.tally.actions[name] += 1
            try:
                actions[name][1](laptop)
            except SAID_NO as refusal:
                self.tally.said_no[f"{name}: {type(refusal).__name__}"] += 1
            time.sleep(0.01)  # the child syncs advance meanwhile
        self.wait_children()

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
            "sync": (14, lambda laptop: self.sync_in_child(laptop, kill=None)),
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
        drafts = self.drafts(laptop)
        return self.rng.choice(drafts) if drafts else None

    def start_visit(self, laptop: Laptop) -> None:
        visit_id = laptop.services.start_visit(self.rng.choice(self.instancias(laptop)))
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
        dni = self.rng.choice(SHARED_DNIS)
        typed = ParticipantInput(
            DocumentType.DNI, dni, f"Persona {dni}", "Municipalidad", post,
            self.rng.choice((ParticipantRole.CHAIR, ParticipantRole.MEMBER)), consent=True,
        )  # fmt: skip
        participant_id = laptop.services.save_participant(visit_id, typed)
        self.children_of.setdefault(visit_id, set()).add(participant_id)
        self.note(laptop, "participant", participant_id, "post", post)

    def _parts(self, laptop: Laptop, which: str) -> tuple[uuid.UUID, list[uuid.UUID]] | None:
        """A draft of hers and the ids of its ``participants`` or ``agreements`` (None: none)."""
        if (visit_id := self.a_draft(laptop)) is None:
            return None
        shown = getattr(laptop.services.visit_detail(visit_id), which)
        return (visit_id, [part.id for part in shown]) if shown else None

    def _remove(self, laptop: Laptop, which: str, remove: Callable[[uuid.UUID], None]) -> None:
        if (found := self._parts(laptop, which)) is not None:
            record_id = self.rng.choice(found[1])
            remove(record_id)
            self.forget(laptop, {record_id})

    def edit_participant(self, laptop: Laptop) -> None:
        if (found := self._parts(laptop, "participants")) is None:
            return
        visit_id, ids = found
        participant_id = self.rng.choice(ids)
        shown = next(p for p in laptop.services.visit_detail(visit_id).participants
                     if p.id == participant_id)  # fmt: skip
        post = self.text(laptop)
        typed = ParticipantInput(
            shown.document_type, shown.document_number, shown.full_name, shown.entity, post,
            shown.role, consent=True,
        )  # fmt: skip
        laptop.services.save_participant(visit_id, typed, participant_id)
        self.note(laptop, "participant", participant_id, "post", post)

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
        visit_id, ids = found
        agreement_id = self.rng.choice(ids)
        description = self.text(laptop)
        typed = AgreementInput(description, "Municipalidad", "", dt.date(2027, 6, 30))
        laptop.services.save_agreement(visit_id, typed, agreement_id)
        self.note(laptop, "agreement", agreement_id, "description", description)

    def remove_agreement(self, laptop: Laptop) -> None:
        self._remove(laptop, "agreements", laptop.services.remove_agreement)

    def answer_item(self, laptop: Laptop) -> None:
        if (visit_id := self.a_draft(laptop)) is None:
            return
        view = laptop.services.checklist(visit_id)
        if view is None:
            return
        items = [i for i in view.definition.items if not i.options and i.when is None]
        item = self.rng.choice(items[:6])
        note = self.text(laptop)
        answer = ItemAnswer(self.rng.choice((Answer.NO, Answer.NOT_APPLICABLE)), note=note)
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
        instancia_id = self.rng.choice(self.instancias(laptop))
        field = self.rng.choice(("chair_name", "secretariat_person"))
        value = self.text(laptop)
        laptop.services.update_instancia(instancia_id, {field: value})
        self.note(laptop, "instancia", instancia_id, field, value)

    # ------------------------------------------------------------------ syncs
    def sync_in_child(self, laptop: Laptop, *, kill: bool | None) -> None:
        """Start a sync of ``laptop`` in its own process; ``kill`` None: half of the time."""
        if laptop.child is not None:
            return  # one at a time (the app's lock would refuse the second anyway)
        if kill is None:
            kill = self.rng.random() < 0.5
        delay = self.rng.uniform(0.3, 1.2) * self.sync_seconds  # mostly inside the sync
        laptop.child = subprocess.Popen(
            [sys.executable, str(CHILD), str(laptop.paths.root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        laptop.kill_at = time.monotonic() + delay if kill else None
        self.tally.syncs += 1

    def reap_children(self) -> None:
        """Kill the syncs whose moment came; forget the ones that ended."""
        now = time.monotonic()
        for laptop in self.laptops:
            child = laptop.child
            if child is None:
                continue
            if child.poll() is not None:
                laptop.child = None
                self.tally.finished += 1
            elif laptop.kill_at is not None and now >= laptop.kill_at:
                os.kill(child.pid, signal.SIGKILL)  # the laptop's battery, the task manager
                child.wait(timeout=30)
                laptop.child = None
                self.tally.killed += 1

    def wait_children(self) -> None:
        """Let every sync under way end (or be killed at its moment)."""
        while any(laptop.child is not None for laptop in self.laptops):
            self.reap_children()
            time.sleep(0.02)

    def quiet(self, rounds: int = 3) -> list[str]:
        """No more cuts: every laptop syncs, in turn, ``rounds`` times; the last messages."""
        self.wait_children()
        self.proxy.cut_rate = 0.0
        messages = []
        for _round in range(rounds):
            messages = []
            for laptop in self.laptops:
                try:
                    summary = laptop.services.synchronize(lambda _progress: None)
                    messages.append(f"{laptop.name}: {summary.message}")
                except SyncFailedError as error:
                    messages.append(f"{laptop.name}: falló: {error}")
        return messages

    def close(self) -> None:
        """Stop every process and close every database."""
        for laptop in self.laptops:
            if laptop.child is not None and laptop.child.poll() is None:
                os.kill(laptop.child.pid, signal.SIGKILL)
                laptop.child.wait(timeout=30)
            laptop.services.close()
        self.proxy.stop()
        self.central.stop()
