"""Which acta a signed paper belongs to: its QR code read strictly, its pages filed in order."""

import pytest

from instancias_desktop.domain.acta_code import code_in_qr, qr_text
from instancias_desktop.domain.enums import QrCheck
from instancias_desktop.domain.signed_copies import file_by_code, qr_check

CODE = "7KQ2-M9XD-4TRB"


def test_an_actas_qr_yields_its_code_and_nothing_else_yields_one() -> None:
    assert code_in_qr(qr_text("N° 012-2026-MIMP/DGCVG-DPVLV", CODE)) == CODE
    for stray in (
        CODE,  # a bare code: not what an acta's QR holds
        "https://ejemplo.pe/7KQ2-M9XD-4TRB",
        qr_text("N° 1", CODE) + " ",
        qr_text("N° 1", "7KQ2-M9XD-4TRI"),  # I is not in the alphabet
        "Acta MIMP  - codigo de verificacion 7KQ2-M9XD-4TRB\notra línea",
    ):
        assert code_in_qr(stray) is None, stray


@pytest.mark.parametrize(
    ("codes", "check"),
    [([CODE], QrCheck.MATCHES), (["0000-0000-0000", CODE], QrCheck.MATCHES),
     (["0000-0000-0000"], QrCheck.OTHER_CODE), ([], QrCheck.UNREADABLE)],
)  # fmt: skip
def test_the_check_says_whether_the_paper_is_this_acta(codes: list[str], check: QrCheck) -> None:
    assert qr_check(codes, CODE) is check


def test_pages_before_a_code_are_its_acta_and_what_follows_the_last_is_left_out() -> None:
    a, b = "AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB"
    filing = file_by_code([[], [], [a], [], [b], [b], [], [a, b], []])
    assert filing.groups == ((a, (0, 1, 2)), (b, (3, 4, 5)))
    assert filing.unfiled == (6, 7, 8)  # before a two-code scan, the scan, and the tail


def test_an_acta_photographed_twice_in_one_pick_keeps_every_page_in_order() -> None:
    a = "AAAA-AAAA-AAAA"
    assert file_by_code([[], [a], [], [a]]).groups == ((a, (0, 1, 2, 3)),)
