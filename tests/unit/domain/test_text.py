from hypothesis import given
from hypothesis import strategies as st

from instancias_desktop.domain.text import fold, matches_all_words


def test_accents_capitals_and_spaces_do_not_matter() -> None:
    assert fold("  ÁNCASH   Huaráz ") == "ancash huaraz"
    assert fold("Ñahuimpuquio") == "nahuimpuquio"
    assert matches_all_words("huaraz ANCASH", fold("Instancia Provincial de Huaraz, Áncash"))
    assert not matches_all_words("huaraz cusco", fold("Instancia Provincial de Huaraz, Áncash"))


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
