import datetime as dt
from pathlib import Path

import pytest
from helpers.profiles import open_profile
from sqlalchemy import func, select, text

from instancias_desktop.db.models import ChecklistRow, ParticipantRow, VisitRow
from instancias_desktop.demo.__main__ import main as demo_main
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import AtType
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.instancias import list_instancias
from instancias_desktop.settings import Settings


def acta_numbers(root: Path) -> list[str]:
    opened = open_profile(ProfilePaths(root), Settings())
    with opened.database.unit_of_work() as uow:
        numbers = sorted(uow.fieldwork.acta_numbers())
    opened.database.dispose()
    return numbers


def test_demo_fills_a_profile_with_exactly_the_requested_sizes(
    profile_paths: ProfilePaths, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "--data-dir",
        str(profile_paths.root),
        "--visits",
        "300",
        "--participants",
        "2400",
        "--specialists",
        "6",
    ]
    assert demo_main(args) == 0
    assert "300 visitas, 2,400 participaciones" in capsys.readouterr().out
    opened = open_profile(profile_paths, Settings())
    with opened.database.unit_of_work() as uow:
        counts = uow.fieldwork.counts()
        session = uow.session
        assert (counts["visits"], counts["participants"]) == (300, 2400)
        assert 0 < counts["persons"] < 2400, "people come back to later visits"
        latest = session.scalar(select(func.max(VisitRow.visit_date)))
        assert latest is not None and latest <= peru_today()
        repeated = session.execute(
            select(ParticipantRow.visit_id, ParticipantRow.person_id)
            .group_by(ParticipantRow.visit_id, ParticipantRow.person_id)
            .having(func.count() > 1)
        ).all()
        assert repeated == [], "nobody attends the same visit twice"
        assert session.execute(text("PRAGMA foreign_key_check")).all() == []
    rows = list_instancias(opened.database)
    opened.database.dispose()
    assert sum(r.visit_count for r in rows) == 300
    assert len({r.stage for r in rows}) == 6, "plausible instancias in every stage"
    assert all(
        r.stage_date is None or r.stage_date <= dt.date.today() + dt.timedelta(days=1) for r in rows
    )


def test_demo_is_reproducible_and_refuses_a_profile_with_visits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        assert (
            demo_main(
                ["--data-dir", str(tmp_path / name), "--visits", "40", "--participants", "200"]
            )
            == 0
        )
    assert acta_numbers(tmp_path / "a") == acta_numbers(tmp_path / "b")
    assert len(set(acta_numbers(tmp_path / "a"))) == 40
    capsys.readouterr()
    assert demo_main(["--data-dir", str(tmp_path / "a"), "--visits", "5"]) == 2
    assert "ya tiene visitas" in capsys.readouterr().err


def test_demo_visits_that_review_functioning_carry_complete_checklists(
    profile_paths: ProfilePaths,
) -> None:
    args = ["--data-dir", str(profile_paths.root), "--visits", "200", "--participants", "400"]
    assert demo_main(args) == 0
    opened = open_profile(profile_paths, Settings())
    services = AppServices(opened.database, profile_paths, Settings())
    with opened.database.reader() as uow:
        checked = [
            (visit_id, at_type)
            for visit_id, at_type in uow.session.execute(
                select(VisitRow.id, VisitRow.at_type).join(
                    ChecklistRow, ChecklistRow.visit_id == VisitRow.id
                )
            )
        ]
    assert len(checked) > 20
    assert {at for _v, at in checked} <= {
        AtType.FUNCTIONING,
        AtType.FOLLOW_UP,
        AtType.REACTIVATION,
    }
    scores = []
    for visit_id, _at in checked:
        view = services.checklist(visit_id)
        assert view is not None and view.pinned
        assert view.definition.levels == (view.level,)
        assert view.result.missing_evidence == (), "finalized demo actas meet the evidence rules"
        assert view.answers, "every demo checklist has answers"
        scores.append(view.result.score)
    assert len({round(s or 0) for s in scores}) > 5, "scores spread over the range"
    opened.database.dispose()
