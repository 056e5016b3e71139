import threading
import time

import pytest
from sqlalchemy import select

from instancias_desktop.db.models import InstanciaRow
from instancias_desktop.db.uow import Database

UNIT = "MP0801"


def chair_row(session: object) -> InstanciaRow:
    return session.scalars(select(InstanciaRow).where(InstanciaRow.unit_code == UNIT)).one()  # type: ignore[attr-defined]


def test_one_action_is_one_new_version_whatever_the_flushes(database: Database) -> None:
    with database.unit_of_work(actor="beto") as uow:
        row = chair_row(uow.session)
        row.chair_name = "Alcalde provincial"
        uow.session.flush()
        chair_row(uow.session)  # a query autoflushes
        row.chair_post = "Alcalde"
        uow.commit()
    with database.reader() as uow:
        row = chair_row(uow.session)
        assert (row.version, row.author, row.updated_by) == (2, "catalogo", "beto")


def test_a_failing_action_rolls_back_everything(database: Database) -> None:
    with pytest.raises(ValueError, match="corte"), database.unit_of_work() as uow:
        chair_row(uow.session).chair_name = "a medias"
        uow.session.flush()
        raise ValueError("corte de luz simulado")
    with database.reader() as uow:
        assert (chair_row(uow.session).chair_name, chair_row(uow.session).version) == ("", 1)


def test_a_reader_cannot_commit(database: Database) -> None:
    with database.reader() as uow, pytest.raises(RuntimeError, match="read-only"):
        uow.commit()


def test_two_actions_that_read_then_write_queue_instead_of_failing(database: Database) -> None:
    first_read = threading.Event()
    errors: list[BaseException] = []

    def slow_action() -> None:
        try:
            with database.unit_of_work(actor="ana") as uow:
                row = chair_row(uow.session)
                first_read.set()
                time.sleep(0.3)  # the other action starts meanwhile
                row.chair_name = row.chair_name + "A"
                uow.commit()
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=slow_action)
    worker.start()
    assert first_read.wait(5)
    with database.unit_of_work(actor="beto") as uow:
        row = chair_row(uow.session)
        row.chair_name = row.chair_name + "B"
        uow.commit()
    worker.join(10)
    assert errors == []
    with database.reader() as uow:
        row = chair_row(uow.session)
        assert (row.chair_name, row.version) == ("AB", 3), "both edits kept, in order"
