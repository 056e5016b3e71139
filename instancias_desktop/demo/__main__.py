"""Fill a profile with demo data: ``python -m instancias_desktop.demo --data-dir DIR``."""

import argparse
import getpass
import logging
import os
import sys
import time

from instancias_desktop.db.uow import Database
from instancias_desktop.demo.generator import DemoData, DemoGenerator, DemoSize
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.paths import ProfilePaths, resolve_profile
from instancias_desktop.services.checklists import latest_definitions
from instancias_desktop.services.form_catalogue import Definitions
from instancias_desktop.services.instancias import list_instancias
from instancias_desktop.services.profile import open_profile
from instancias_desktop.services.profile_keys import (
    PASSPHRASE_ENV,
    Unlocker,
    create_key,
    needs_new_passphrase,
    tool_key,
)
from instancias_desktop.settings import load_settings

DEMO_AUTHOR = "demo"
_LABELS = {
    "visits": "visitas",
    "participants": "participaciones",
    "persons": "personas",
    "agreements": "acuerdos",
    "checklist_responses": "respuestas de listas de verificación",
}


def write_demo(database: Database, data: DemoData) -> dict[str, int]:
    """Write everything in one transaction: a failure leaves the profile as it was."""
    with database.unit_of_work(actor=DEMO_AUTHOR, record=False) as uow:
        uow.registry.add_norms(data.norms)
        uow.registry.add_stage_events(data.stage_events)
        for work in data.work:
            author = work.specialist.username
            uow.registry.add_specialists([work.specialist])
            uow.registry.add_assignments(work.assignments, author)
            uow.fieldwork.add_persons(work.persons, author)
            uow.fieldwork.add_visits(work.visits, author)
            uow.fieldwork.add_participants(work.participants, author)
            uow.fieldwork.add_agreements(work.agreements, author)
            uow.fieldwork.add_checklists(work.checklists, work.responses, author)
        counts = uow.fieldwork.counts()
        uow.commit()
    return counts


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, refuse a profile that already holds visits, generate, report."""
    parser = argparse.ArgumentParser(
        prog="instancias-demo",
        description="Llena un perfil con datos de demostración (para probar la app y medir).",
    )
    parser.add_argument(
        "--data-dir", help="carpeta del perfil (por defecto: $INSTANCIAS_HOME o la del usuario)"
    )
    parser.add_argument("--visits", type=int, default=DemoSize.visits, help="número de visitas")
    parser.add_argument(
        "--participants", type=int, default=DemoSize.participants, help="número de participaciones"
    )
    parser.add_argument(
        "--specialists", type=int, default=DemoSize.specialists, help="número de especialistas"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DemoSize.seed,
        help="semilla (mismos datos con la misma semilla)",
    )
    args = parser.parse_args(argv)
    if min(args.visits, args.participants) < 0 or args.specialists < 1:
        parser.error("las cantidades no pueden ser negativas y hace falta al menos un especialista")
    logging.basicConfig(level=logging.WARNING)
    paths = resolve_profile(args.data_dir)
    passphrase = os.environ.get(PASSPHRASE_ENV)
    try:
        key = tool_key(paths, passphrase) if passphrase else _typed_key(paths)
    except ValidationError as error:
        print(f"{paths.root}: {error}", file=sys.stderr)
        return 2
    opened = open_profile(paths, load_settings(paths.settings), key=key)
    try:
        with opened.database.reader() as uow:
            if uow.fieldwork.counts()["visits"]:
                print(
                    f"El perfil {paths.root} ya tiene visitas: "
                    "use una carpeta nueva para la demostración.",
                    file=sys.stderr,
                )
                return 2
        started = time.perf_counter()
        size = DemoSize(args.visits, args.participants, args.specialists, args.seed)
        forms = latest_definitions(opened.database, Definitions())
        data = DemoGenerator(list_instancias(opened.database), size, peru_today(), forms).generate()
        counts = write_demo(opened.database, data)
    finally:
        opened.database.dispose()
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{counts[name]:,} {label}" for name, label in _LABELS.items())
    print(f"Perfil {paths.root}: {summary} ({elapsed:.1f} s).")
    return 0


def _typed_key(paths: ProfilePaths) -> bytes:
    """The key from a passphrase typed at a terminal (twice for a new profile)."""
    if not sys.stdin.isatty():
        raise ValidationError(
            [
                FieldError(
                    "passphrase",
                    f"Defina la contraseña del perfil en la variable {PASSPHRASE_ENV}, o "
                    "ejecute el comando en una terminal para escribirla.",
                )
            ]
        )
    passphrase = getpass.getpass(f"Contraseña del perfil {paths.root}: ")
    if needs_new_passphrase(paths):
        return create_key(paths, passphrase, getpass.getpass("Repítala: "))
    return Unlocker(paths).unlock(passphrase)


if __name__ == "__main__":
    sys.exit(main())
