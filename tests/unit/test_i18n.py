"""Spanish agrees in number, and decimals take a comma, wherever the app counts or measures."""

import datetime as dt
import uuid

import pytest

from instancias_desktop.domain.sync_views import Enrolment, SyncStatus
from instancias_desktop.i18n import count_text, decimal_text, n_
from instancias_desktop.ui.pages.sync_texts import kilobytes, state_text


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, "0 conflictos"), (1, "1 conflicto"), (2, "2 conflictos"), (1917, "1,917 conflictos")],
)
def test_one_takes_the_singular_and_every_other_count_the_plural(n: int, shown: str) -> None:
    assert n_("{n} conflicto", "{n} conflictos", n) == shown


def test_decimals_take_a_comma_and_counts_a_thousands_comma() -> None:
    assert (decimal_text(0.1), decimal_text(12.25, 2)) == ("0,1", "12,25")
    assert kilobytes(1234) == "1,2 kB"
    assert count_text(1917) == "1,917"


def test_the_sync_state_line_agrees_with_one() -> None:
    enrolment = Enrolment("https://central", "ana", uuid.uuid4(), "x", dt.datetime.now(dt.UTC))
    status = SyncStatus(enrolment, 1, 1, 1, None, "", parked=1)
    assert state_text(status) == (
        "Por sincronizar: 1 pendiente de envío o de confirmación, 1 rechazado por el servidor "
        "(pestaña «Rechazos»), 1 recibido aún sin guardar en este equipo. "
        "1 conflicto por resolver (pestaña «Conflictos»)."
    )
