"""The OpenAPI document is exact: a schema-driven fuzzer finds no server error and no mismatch.

Schemathesis runs every check it has (``--checks all``: no 5xx, status codes, content types,
headers and bodies as documented, schema-valid requests accepted and schema-violating ones
refused, authentication not ignored, ``Allow`` on 405) against the real server on 127.0.0.1,
once with a valid token and once without. The records it may reach are seeded: a file named by
an annex the caller can read, and a conflict set aside for her, so the fuzzer gets past 404.
Its settings, each with its reason, are in ``schemathesis.toml`` beside this file. No check is
excluded; one is widened: ``negative_data_rejection`` also counts 413 as refusing a request the
schema does not allow (a push of more than 1,000 operations is answered 413 so that the laptop
sends the batch again in halves, as for a body over the byte limit).
"""

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from helpers.server_db import ServerDb, login, named, op

from sync.protocol import Outcome
from sync.server.access import load_caller
from sync.server.records import open_conflicts
from sync.transport_http import HttpTransport
from sync.uploads import upload

SETTINGS = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = 60  # per operation and phase: ~20 s a run; the seed makes a failure repeatable
SEED = 20261206


def seeded(server_db: ServerDb, live: str) -> tuple[str, str, uuid.UUID]:
    """Bea's token, a file she may read and a conflict set aside for her."""
    server_db.add_user("ana", territories=["1501"])
    bea = server_db.add_user("bea", territories=["1501"])
    token = login(live, "bea").json()["token"]
    data = os.urandom(3000)
    sha = hashlib.sha256(data).hexdigest()
    named(server_db, "bea", sha, len(data))
    with HttpTransport(live, token) as link:
        sent = upload(link, sha, len(data), lambda at, n: data[at : at + n], chunk_size=1024)
    assert sent.complete
    with server_db.factory.begin() as session:
        ana = load_caller(session, "ana")
    instancia = server_db.instancia(ana)
    for author, value in ((ana, "Ana"), (bea, "Bea")):
        edit = op("instancia", instancia, "update", base=1, fields={"chair_name": value})
        assert server_db.push(author, edit)[0].outcome in {Outcome.APPLIED, Outcome.CONFLICT}
    with server_db.factory.begin() as session:
        (conflict,) = open_conflicts(session, bea).conflicts
    return token, sha, conflict.conflict_id


def fuzz(live: str, settings: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(settings),
        "run",
        f"{live}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        *extra,
    ]
    # In the settings' folder: schemathesis keeps a cache of crashes where it runs.
    return subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=settings.parent
    )


@pytest.mark.parametrize("with_token", [True, False], ids=["con_token", "sin_token"])
def test_a_schema_driven_fuzzer_finds_no_error_and_no_mismatch(
    server_db: ServerDb, live: str, tmp_path: Path, with_token: bool
) -> None:
    token, sha, conflict_id = seeded(server_db, live)
    settings = tmp_path / "schemathesis.toml"
    settings.write_text(
        SETTINGS.read_text()
        + "\n[dictionaries]\n"
        + f'seeded_files = {{ values = ["{sha}"] }}\n'
        + f'seeded_conflicts = {{ values = ["{conflict_id}"] }}\n'
        + "\n[parameters]\n"
        + '"path.sha256" = { dictionary = "seeded_files", probability = 0.5 }\n'
        + '"path.conflict_id" = { dictionary = "seeded_conflicts", probability = 0.5 }\n'
    )
    extra = ("--header", f"Authorization: Bearer {token}") if with_token else ()
    run = fuzz(live, settings, *extra)
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    document = requests.get(f"{live}/openapi.json", timeout=10).json()
    operations = sum(len(methods) for methods in document["paths"].values())
    assert f"Tested: {operations}" in run.stdout, report  # every operation was reached
