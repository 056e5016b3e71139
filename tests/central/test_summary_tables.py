"""The summary tables take whatever a record the server let in holds, and never break on it."""

import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from helpers.server_db import server_database
from sqlalchemy import literal, select

from central.figures import narrowed, under
from central.summary_tables import (
    acta_score,
    agreements,
    apply_changes,
    follow_ups,
    metadata,
    visits,
)


@pytest.mark.parametrize(
    ("content", "score"),
    [
        ('{"checklist": {"score": "49 / 100"}}', 49),
        ('{"checklist": {"score": "100 / 100"}}', 100),
        ('{"checklist": {"score": "—"}}', None),  # nothing counted
        ('{"checklist": {"score": "101 / 100"}}', None),
        ('{"checklist": null}', None),  # an acta without checklist
        ('{"checklist": ["49 / 100"]}', None),
        ("[1, 2]", None),
        ("no es JSON", None),
        ("", None),
        (None, None),
    ],
)
def test_the_score_is_read_only_as_an_acta_states_it(content: Any, score: int | None) -> None:
    assert acta_score(content) == score


def change(kind: str, fields: dict[str, Any], *, deleted: bool = False,
           record_id: uuid.UUID | None = None, seq: int = 1) -> SimpleNamespace:  # fmt: skip
    return SimpleNamespace(kind=kind, record_id=record_id or uuid.uuid4(), fields=fields,
                           deleted=deleted, scope="080108", owner="ana", parent_id=None,
                           seq=seq)  # fmt: skip


def test_odd_fields_are_cut_to_their_columns_and_bad_follow_ups_left_out(
    tmp_path: Path,
) -> None:
    agreement = uuid.uuid4()
    for server_db in server_database("sqlite", tmp_path):
        with server_db.factory.begin() as session:
            metadata.create_all(session.connection())
            apply_changes(session, [
                change("visit", {"visit_date": 20260310, "at_type": "x" * 500,
                                 "status": "finalizada", "acta_content": "{roto"}),
                change("agreement", {"responsible_entity": "E" * 900, "deadline": "2026-05-01",
                                     "state": "pendiente"}, record_id=agreement),
                change("agreement_follow_up", {"agreement_id": "no-es-un-id", "state": "x"}),
                change("agreement_follow_up", {"agreement_id": str(agreement),
                                               "recorded_on": "ayer", "state": "cumplido",
                                               "recorded_at": "2026-03-10T10:00:00+00:00"}),
                change("agreement_follow_up", {"agreement_id": str(agreement),
                                               "recorded_on": "2026-03-10", "state": "reprogramado",
                                               "new_deadline": "2026-09-30",
                                               "recorded_at": "2026-03-10T11:00:00+00:00"}),
            ])  # fmt: skip
            (visit,) = session.execute(select(visits)).all()
            assert (visit.visit_date, len(visit.at_type), visit.score) == ("20260310", 30, None)
            (kept,) = session.execute(select(agreements)).all()
            # The unreadable follow-up is kept out of the reckoning, the readable one counts.
            assert (len(kept.entity), kept.state, kept.deadline) == (
                200,
                "reprogramado",
                "2026-09-30",
            )
            assert len(session.execute(select(follow_ups)).all()) == 2  # the id-less one: out


@pytest.mark.parametrize(
    ("mine", "within", "expected"),
    [
        ((), "", ()),  # headquarters, the country
        ((), "08", ("08",)),  # headquarters, one department
        (("08",), "08", ("08",)),
        (("0801", "0803"), "08", ("0801", "0803")),  # her provinces of that department
        (("08", "15"), "15", ("15",)),
        (("080108",), "15", ()),  # nothing of hers there
    ],
)
def test_a_choice_narrows_the_territories_a_viewer_sees(
    mine: tuple[str, ...], within: str, expected: tuple[str, ...]
) -> None:
    assert narrowed(mine, within) == expected


def test_a_territory_is_a_range_of_ubigeos(tmp_path: Path) -> None:
    for server_db in server_database("sqlite", tmp_path):
        with server_db.factory.begin() as session:
            scopes = ("08", "0801", "080108", "0802", "09", "15", "1501")
            picked = {
                prefixes: {s for s in scopes if session.scalar(select(under(literal(s), prefixes)))}
                for prefixes in (("08",), ("0801",), ("08", "15"), ())
            }
    assert picked[("08",)] == {"08", "0801", "080108", "0802"}
    assert picked[("0801",)] == {"0801", "080108"}
    assert picked[("08", "15")] == {"08", "0801", "080108", "0802", "15", "1501"}
    assert picked[()] == set(scopes)
