"""Attachments over HTTP: pieces, resuming, one copy per content, damaged files refused."""

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
import requests
from helpers.server_db import T0, ServerDb, bearer, login, named, refused
from sqlalchemy import select

from sync.downloads import download
from sync.errors import Refused
from sync.protocol import PROTOCOL_VERSION, UploadStart
from sync.server import attachments
from sync.server.access import load_caller
from sync.server.store import AttachmentChunk, AttachmentFile, Upload, UploadChunk
from sync.transport_http import HttpTransport
from sync.uploads import upload

CHUNK = 1024


def content(size: int) -> tuple[bytes, str]:
    data = os.urandom(size)
    return data, hashlib.sha256(data).hexdigest()


def reader(data: bytes):
    return lambda offset, length: data[offset : offset + length]


def test_a_file_in_pieces_then_again_from_elsewhere_costs_nothing(
    server_db: ServerDb,
    live: str,
    token: str,
) -> None:
    data, sha = content(3 * CHUNK + 100)
    named(server_db, "ana", sha, len(data))
    with HttpTransport(live, token) as link:
        first = upload(link, sha, len(data), reader(data), chunk_size=CHUNK)
        again = upload(link, sha, len(data), reader(data), chunk_size=CHUNK)
    assert (first.complete, first.pieces_sent, first.bytes_sent) == (True, 4, len(data))
    assert (again.complete, again.pieces_sent) == (True, 0)  # the same content: not sent twice
    assert server_db.count(AttachmentFile) == 1 and server_db.count(AttachmentChunk) == 4


def test_a_cut_upload_resumes_with_the_pieces_that_are_missing(
    server_db: ServerDb,
    live: str,
    token: str,
) -> None:
    data, sha = content(5 * CHUNK)
    named(server_db, "ana", sha, len(data))
    with HttpTransport(live, token) as link:
        state = link.start_upload(sha, len(data), CHUNK)
        assert (state.complete, state.received) == (False, ())
        link.put_chunk(sha, 0, data[:CHUNK])
        link.put_chunk(sha, 3, data[3 * CHUNK : 4 * CHUNK])  # then the signal went
        assert link.complete_upload(sha).received == (0, 3)  # not complete: what is there
        sent: list[int] = []
        resumed = upload(
            link,
            sha,
            len(data),
            reader(data),
            chunk_size=CHUNK,
            on_piece=lambda n, _t: sent.append(n),
        )
    assert (resumed.complete, resumed.pieces_sent, sent) == (True, 3, [1, 2, 3])


def test_damaged_or_wrong_pieces_are_refused_and_nothing_half_kept(
    server_db: ServerDb,
    live: str,
    token: str,
) -> None:
    data, sha = content(2 * CHUNK)
    named(server_db, "ana", sha, len(data))
    with HttpTransport(live, token, retries=0) as link:
        link.start_upload(sha, len(data), CHUNK)
        with pytest.raises(Refused, match="tamaño esperado") as short:
            link.put_chunk(sha, 0, data[:100])
        assert short.value.status == 422
        link.put_chunk(sha, 0, data[:CHUNK])
        link.put_chunk(sha, 1, bytes(CHUNK))  # not the file's bytes
        with pytest.raises(Refused, match="llegó dañado"):
            link.complete_upload(sha)
    assert server_db.count(UploadChunk) == 0  # dropped: it will be sent whole again
    assert server_db.count(AttachmentChunk) == 0
    stranger = requests.put(f"{live}/v1/attachments/{sha}/chunks/0", data=b"x", timeout=10)
    assert refused(stranger, 401, "no_autorizado")
    not_a_hash = requests.post(
        f"{live}/v1/attachments/nada",
        json={"protocol": PROTOCOL_VERSION, "size": 1, "chunk_size": CHUNK},
        headers=bearer(token),
        timeout=10,
    )
    assert not_a_hash.status_code == 400


def test_a_complete_file_comes_down_whole_and_an_unknown_one_is_not_there(
    server_db: ServerDb,
    live: str,
    token: str,
    tmp_path: Path,
) -> None:
    data, sha = content(2 * CHUNK + 10)
    with HttpTransport(live, token) as link:
        assert link.file_state(sha) is None
        named(server_db, "ana", sha, len(data))
        upload(link, sha, len(data), reader(data), chunk_size=CHUNK)
        state = link.file_state(sha)
        assert state is not None and (state.complete, state.size, state.chunk_size) == (
            True,
            len(data),
            CHUNK,
        )
        target = tmp_path / "copia.bin"
        assert download(link, sha, target)
        assert target.read_bytes() == data and not (tmp_path / "copia.bin.part").exists()
        _other, unknown = content(10)
        assert not download(link, unknown, tmp_path / "nada.bin")


def test_a_file_is_private_to_those_who_can_read_an_annex_that_names_it(
    server_db: ServerDb,
    live: str,
    token: str,
) -> None:
    """Found by a hostile client: any signed-in user could download any annex by its SHA-256
    and learn whether the server held a file."""
    data, sha = content(2 * CHUNK)
    named(server_db, "ana", sha, len(data))
    with HttpTransport(live, token) as link:
        assert upload(link, sha, len(data), reader(data), chunk_size=CHUNK).complete
    server_db.add_user("beto", territories=["16"])
    other = login(live, username="beto").json()["token"]
    _unknown_data, unknown = content(10)
    answers = [
        requests.get(f"{live}/v1/attachments/{sha}", headers=bearer(other), timeout=10),
        requests.get(f"{live}/v1/attachments/{unknown}", headers=bearer(other), timeout=10),
        requests.get(f"{live}/v1/attachments/{sha}/chunks/0", headers=bearer(other), timeout=10),
        requests.post(
            f"{live}/v1/attachments/{sha}",
            json={"protocol": PROTOCOL_VERSION, "size": len(data), "chunk_size": CHUNK},
            headers=bearer(other),
            timeout=10,
        ),
    ]
    assert [a.status_code for a in answers] == [404] * 4
    assert len({a.json()["message"] for a in answers}) == 1  # held or not: the same answer
    named(server_db, "beto", sha, len(data), scope="160101")  # beto's own annex of the file
    with HttpTransport(live, other) as link:
        state = link.start_upload(sha, len(data), CHUNK)
        assert state.complete  # named by a record of his: held, and nothing to send


def test_an_upload_is_its_devices_own_and_abandoned_ones_are_dropped(
    server_db: ServerDb,
    live: str,
    token: str,
) -> None:
    """Found by a hostile client: another device could put pieces into an upload (the file was
    then dropped) or wipe its pieces by starting again with another piece size."""
    data, sha = content(3 * CHUNK)
    named(server_db, "ana", sha, len(data))
    second = login(live).json()["token"]  # her second laptop: another device
    with HttpTransport(live, token) as mine, HttpTransport(live, second, retries=0) as theirs:
        mine.start_upload(sha, len(data), CHUNK)
        mine.put_chunk(sha, 0, data[:CHUNK])
        with pytest.raises(Refused, match="no se inició"):
            theirs.put_chunk(sha, 1, bytes(CHUNK))  # not into my upload
        theirs.start_upload(sha, len(data), 2 * CHUNK)  # its own upload, other piece size
        theirs.put_chunk(sha, 0, bytes(2 * CHUNK))
        assert mine.start_upload(sha, len(data), CHUNK).received == (0,)  # mine untouched
        with pytest.raises(Refused, match="llegó dañado"):
            theirs.put_chunk(sha, 1, bytes(CHUNK))
            theirs.complete_upload(sha)
        finished = upload(mine, sha, len(data), reader(data), chunk_size=CHUNK)
        assert (finished.complete, finished.pieces_sent) == (True, 2)
    _left, half_way = content(2 * CHUNK)
    named(server_db, "ana", half_way, 2 * CHUNK)
    with server_db.factory.begin() as session:  # an upload left half-way…
        caller = load_caller(session, "ana")
        attachments.start(
            session, caller, half_way, UploadStart(size=2 * CHUNK, chunk_size=CHUNK), T0
        )
    with server_db.factory.begin() as session:  # …is dropped a week later, pieces and all
        assert attachments.clean_up(session, T0 + dt.timedelta(days=8)) == 1
        assert session.scalars(select(Upload).where(Upload.sha256 == half_way)).all() == []


def test_a_device_has_a_daily_quota_of_uploads(
    server_db: ServerDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments, "DAILY_QUOTA", 3 * CHUNK)
    server_db.add_user("ana", territories=["1501"])
    with server_db.factory.begin() as session:
        ana = load_caller(session, "ana")
    files = [content(2 * CHUNK) for _ in range(2)]
    for data, sha in files:
        named(server_db, "ana", sha, len(data))
    with server_db.factory.begin() as session:
        attachments.start(
            session, ana, files[0][1], UploadStart(size=2 * CHUNK, chunk_size=CHUNK), T0
        )
        with pytest.raises(attachments.QuotaError, match="máximo de anexos"):
            attachments.start(
                session, ana, files[1][1], UploadStart(size=2 * CHUNK, chunk_size=CHUNK), T0
            )
    with server_db.factory.begin() as session:  # the next day
        tomorrow = T0 + dt.timedelta(days=1, minutes=1)
        state = attachments.start(
            session, ana, files[1][1], UploadStart(size=2 * CHUNK, chunk_size=CHUNK), tomorrow
        )
        assert state.received == ()
