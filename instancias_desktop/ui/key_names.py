"""Keys named as a Spanish (es-ES / Latin American) keyboard labels them, for tooltips."""

SPANISH_KEYS = {
    "Del": "Supr",
    "Delete": "Supr",
    "Ins": "Insert",
    "Return": "Intro",
    "Enter": "Intro",
}


def key_label(sequence: str) -> str:
    """«Del» → «Supr», «Ctrl+Ins» → «Ctrl+Insert»: what is printed on her keyboard."""
    return "+".join(SPANISH_KEYS.get(part, part) for part in sequence.split("+"))
