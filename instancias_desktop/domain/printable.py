"""What the acta can print: text its embedded fonts draw, left to right.

Decided for issue 16: no fallback font is bundled. Text the acta could only print as empty
boxes or backwards (Chinese, Japanese, Korean; Arabic, Hebrew; control codes) is refused at
input, saying which characters, so that what is stored is what prints. The ranges come from
the fonts themselves (pdf/coverage.py; a test keeps them equal).
"""

from instancias_desktop.domain.printable_ranges import RANGES

_LINE_BREAKS = "\n\r\t"
PRINTABLE = frozenset(
    {chr(point) for start, end in RANGES for point in range(start, end + 1)} | set(_LINE_BREAKS)
)


def unprintable(value: str) -> list[str]:
    """The distinct characters of ``value`` the acta cannot print, in order of appearance."""
    if PRINTABLE.issuperset(value):  # the common case, at C speed
        return []
    strays = set(value) - PRINTABLE
    return sorted(strays, key=value.index)


def describe(characters: list[str], most: int = 5) -> str:
    """«中» (U+4E2D), … — visible even for an invisible character."""
    shown = [f"«{c}» (U+{ord(c):04X})" for c in characters[:most]]
    more = len(characters) - most
    return ", ".join(shown) + (f" y {more} más" if more > 0 else "")
