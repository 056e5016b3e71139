"""Attachments over HTTP: pieces, resuming, one copy per content, damaged files refused."""

import hashlib
import os
from pathlib import Path

import pytest
import requests
from sync_server_support import ServerDb
from test_server_http import bearer, refused, token  # noqa: F401  (fixture)

from sync.downloads import download
from sync.errors import Refused
from sync.protocol import PROTOCOL_VERSION
from sync.server.store import AttachmentChunk, AttachmentFile
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
    token: str,  # noqa: F811
) -> None:
    data, sha = content(3 * CHUNK + 100)
    with HttpTransport(live, token) as link:
        first = upload(link, sha, len(data), reader(data), chunk_size=CHUNK)
        again = upload(link, sha, len(data), reader(data), chunk_size=CHUNK)
    assert (first.complete, first.pieces_sent, first.bytes_sent) == (True, 4, len(data))
    assert (again.complete, again.pieces_sent) == (True, 0)  # the same content: not sent twice
    assert server_db.count(AttachmentFile) == 1 and server_db.count(AttachmentChunk) == 4


def test_a_cut_upload_resumes_with_the_pieces_that_are_missing(
    server_db: ServerDb,
    live: str,
    token: str,  # noqa: F811
) -> None:
    data, sha = content(5 * CHUNK)
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
    token: str,  # noqa: F811
) -> None:
    data, sha = content(2 * CHUNK)
    with HttpTransport(live, token, retries=0) as link:
        link.start_upload(sha, len(data), CHUNK)
        with pytest.raises(Refused, match="tamaño esperado") as short:
            link.put_chunk(sha, 0, data[:100])
        assert short.value.status == 422
        link.put_chunk(sha, 0, data[:CHUNK])
        link.put_chunk(sha, 1, bytes(CHUNK))  # not the file's bytes
        with pytest.raises(Refused, match="llegó dañado"):
            link.complete_upload(sha)
    assert server_db.count(AttachmentChunk) == 0  # dropped: it will be sent whole again
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
    token: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    data, sha = content(2 * CHUNK + 10)
    with HttpTransport(live, token) as link:
        assert link.file_state(sha) is None
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
