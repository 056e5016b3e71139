"""Text the acta cannot print is refused at input, naming the characters; Peru's is accepted."""

import pytest

from instancias_desktop.domain.printable import unprintable
from instancias_desktop.domain.validation import check_text

PERUVIAN = (
    "Ñuñoa Güemes, José María; Ch'ulla wasi — «comillas», “citas” y ‘apóstrofos’; ¿¡ 10 °C, "
    "N.º 5, 2.ª sesión, 1/2… S/ 1 200,50 € • Qhapaq Ñan, Aymara: jallalla\nsegunda línea\tcon tab"
)


def test_spanish_quechua_and_aymara_text_prints() -> None:
    assert unprintable(PERUVIAN) == []
    assert check_text(PERUVIAN, "Desarrollo", 20_000) is None


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("王小明", "«王» (U+738B), «小» (U+5C0F), «明» (U+660E)"),  # no glyph: empty boxes
        ("محمد", "«م» (U+0645), «ح» (U+062D), «د» (U+062F)"),  # right to left: backwards
        ("שלום", "«ש» (U+05E9), «ל» (U+05DC), «ו» (U+05D5), «ם» (U+05DD)"),
        ("Ana\u200bPérez", "«\u200b» (U+200B)"),  # invisible, pasted from the web
        ("Ana\x00", "«\x00» (U+0000)"),
    ],
)
def test_what_would_print_as_boxes_or_backwards_is_refused_by_name(typed: str, named: str) -> None:
    assert check_text(typed, "Nombres y apellidos", 200) == (
        f"«Nombres y apellidos» tiene caracteres que el acta no puede imprimir: {named}. "
        "Escríbalos con letras latinas (por ejemplo, el nombre como figura en su documento) "
        "o quítelos."
    )


def test_many_strays_are_summed_up() -> None:
    message = check_text("一二三四五六七", "Lugar", 200)
    assert message is not None and "«五» (U+4E94) y 2 más." in message
