"""Pull by cursor (paged, resumable, scoped, in seq order), digests, and write serialization."""

import threading
import time
import uuid

import pytest
from helpers.server_db import T0, ServerDb, op

from sync.protocol import ChangePage, DigestRequest, PushRequest, RecordState, digest_of
from sync.server import service


@pytest.fixture
def ana(server_db: ServerDb):
    caller = server_db.add_user("ana", territories=["1501"])
    server_db.instancia(caller)  # seq 1: the members of these tests belong to it
    return caller


def members(page: ChangePage) -> list[RecordState]:
    return [r for r in page.records if r.kind == "member"]


def test_pull_pages_are_resumable_and_in_seq_order(server_db: ServerDb, ana) -> None:
    ids = [uuid.uuid4() for _ in range(25)]
    server_db.push(
        ana, *(op(record_id=i, fields={"person_name": str(n)}) for n, i in enumerate(ids))
    )
    first = server_db.pull(ana, limit=10)
    assert (len(first.records), first.next_cursor, first.has_more) == (10, 10, True)
    # Changes made between pages arrive later, never lost: the edited record moves to the end.
    server_db.push(ana, op(record_id=ids[0], action="update", base=1, fields={"person_name": "x"}))
    second = server_db.pull(ana, cursor=first.next_cursor, limit=10)
    third = server_db.pull(ana, cursor=second.next_cursor, limit=10)
    assert (len(third.records), third.next_cursor, third.has_more) == (7, 27, False)
    seqs = [r.seq for r in (*first.records, *second.records, *third.records)]
    assert seqs == sorted(seqs) == [*range(1, 11), *range(11, 21), *range(21, 28)]
    assert third.records[-1].record_id == ids[0]
    assert third.records[-1].version == 2
    empty = server_db.pull(ana, cursor=third.next_cursor)
    assert (empty.records, empty.next_cursor, empty.has_more) == ((), 27, False)


def test_pull_exact_page_boundary_and_kinds(server_db: ServerDb, ana) -> None:
    server_db.push(ana, op("instancia", scope="150102"), op("member"))
    page = server_db.pull(ana, limit=3)
    assert (len(page.records), page.has_more) == (3, False)
    only = server_db.pull(ana, kinds=("member",))
    assert [r.kind for r in only.records] == ["member"]
    assert only.next_cursor == 3


def test_pull_is_scoped(server_db: ServerDb, ana) -> None:
    bea = server_db.add_user("bea", territories=["1502"])
    region = server_db.add_user("reg", territories=["15"])
    sup = server_db.add_user("sup", role="supervisor")
    server_db.push(ana, op("instancia", scope="1501"), op("member", scope="1501"))
    server_db.push(bea, op("instancia", scope="150201"))
    server_db.push(region, op("instancia", scope="15"))
    assert [r.scope for r in server_db.pull(ana).records] == ["150101", "1501", "1501"]
    assert [r.scope for r in server_db.pull(bea).records] == ["150201"]
    assert len(server_db.pull(region).records) == 5
    assert len(server_db.pull(sup).records) == 5


def test_digest_matches_what_a_client_computes_from_its_pulls(server_db: ServerDb, ana) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid), op("member"), op("member"))
    server_db.push(ana, op(record_id=rid, action="delete", base=1))
    server_db.push(server_db.add_user("otro", territories=["16"]), op("instancia", scope="1601"))
    pulled = server_db.pull(ana).records
    with server_db.factory.begin() as session:
        answer = service.digest(session, ana, DigestRequest())
        asked = service.digest(session, ana, DigestRequest(kinds=("visit", "member")))
    mine = {
        kind: digest_of((r.record_id, r.version) for r in pulled if r.kind == kind)
        for kind in ("instancia", "member")
    }
    assert [(d.kind, d.count, d.digest) for d in answer.digests] == [
        ("instancia", 1, mine["instancia"]),
        ("member", 3, mine["member"]),
    ]
    assert [(d.kind, d.count, d.digest) for d in asked.digests] == [
        ("member", 3, mine["member"]),
        ("visit", 0, digest_of([])),
    ]


def test_a_push_waits_for_the_one_in_progress_so_seq_order_is_commit_order(
    server_db: ServerDb, ana
) -> None:
    holding, release = threading.Event(), threading.Event()
    done: list[str] = []

    def slow() -> None:
        with server_db.factory.begin() as session:
            service.push(session, ana, PushRequest(operations=(op(),)), T0)
            holding.set()
            release.wait(10)
        done.append("slow")

    def quick() -> None:
        server_db.push(ana, op())
        done.append("quick")

    first = threading.Thread(target=slow)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=quick)
    second.start()
    time.sleep(0.4)
    assert done == []  # the second push waits for the first commit
    release.set()
    first.join(10)
    second.join(10)
    assert done == ["slow", "quick"]
    assert [r.seq for r in members(server_db.pull(ana))] == [2, 3]


def test_concurrent_pushes_get_distinct_contiguous_seqs(server_db: ServerDb, ana) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(3):
                server_db.push(ana, op(), op())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert [r.seq for r in members(server_db.pull(ana))] == list(range(2, 26))
