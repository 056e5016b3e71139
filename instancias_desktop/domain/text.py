"""Search text the way people type it: without accents, capitals or extra spaces."""

import functools
import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free form: 'Áncash' and 'ancash' fold alike; 'ñ' folds to 'n'."""
    # Decompose on both sides of casefolding: "㎒" decomposes to "MHz", which must fold too.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@functools.lru_cache(maxsize=16_384)
def fold_shared(text: str) -> str:
    """fold() for texts that repeat across many rows (names of places, instancias, people)."""
    return fold(text)


def matches_all_words(query: str, folded_haystack: str) -> bool:
    """Every word of the query appears in the (already folded) text, in any order."""
    return all(word in folded_haystack for word in fold(query).split())
