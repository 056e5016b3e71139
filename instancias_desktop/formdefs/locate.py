"""Line numbers of the keys and tables of a TOML definition, for error messages.

tomllib gives values but not where they were written; definitions use plain tables, arrays of
tables and (dotted) keys, which a line scan can map to the paths the validators report.
"""

import re
from collections.abc import Sequence

Path = tuple[str | int, ...]

_ARRAY = re.compile(r"^\s*\[\[\s*([^\]]+?)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(
    r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"))*)\s*="
)
_TRIPLES = ('"' * 3, "'" * 3)


def _names(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip('"') for part in dotted.split("."))


def _after_string(line: str, start: int) -> int:
    """The position after a one-line string (basic strings honour backslash escapes)."""
    quote, position = line[start], start + 1
    while position < len(line) and line[position] != quote:
        position += 2 if quote == '"' and line[position] == "\\" else 1
    return position + 1


def _multiline_open_after(line: str, open_string: str | None) -> str | None:
    """The multi-line string delimiter still open at the end of a line, if any.

    Quotes inside comments and one-line strings do not count.
    """
    position = 0
    while position < len(line):
        if open_string is not None:
            end = line.find(open_string, position)
            if end < 0:
                return open_string
            position, open_string = end + 3, None
        elif line[position] == "#":
            return None
        elif line.startswith(_TRIPLES, position):
            open_string = line[position : position + 3]
            position += 3
        elif line[position] in "\"'":
            position = _after_string(line, position)
        else:
            position += 1
    return open_string


class LineIndex:
    """Maps a path such as ("sections", 0, "items", 2, "weight") to the line that writes it."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        self._latest: dict[tuple[str, ...], Path] = {}  # array-of-tables name -> its last element
        self._counts: dict[Path, int] = {}
        current: Path = ()
        open_string: str | None = None  # the delimiter of a multi-line string still open
        for number, line in enumerate(text.splitlines(), start=1):
            inside = open_string is not None  # then nothing on this line starts a key
            open_string = _multiline_open_after(line, open_string)
            if inside:
                continue
            if match := _ARRAY.match(line):
                current = self._element(_names(match.group(1)), number)
            elif match := _TABLE.match(line):
                names = _names(match.group(1))
                current = (*self._concrete(names[:-1]), names[-1])
                self._lines.setdefault(current, number)
            elif match := _KEY.match(line):
                names = _names(match.group(1))
                for end in range(1, len(names) + 1):
                    self._lines.setdefault(current + names[:end], number)

    def _concrete(self, names: tuple[str, ...]) -> Path:
        for end in range(len(names), 0, -1):
            if names[:end] in self._latest:
                return self._latest[names[:end]] + names[end:]
        return names

    def _element(self, names: tuple[str, ...], number: int) -> Path:
        listing = (*self._concrete(names[:-1]), names[-1])
        self._lines.setdefault(listing, number)  # the array itself starts at its first element
        index = self._counts.get(listing, 0)
        self._counts[listing] = index + 1
        element = (*listing, index)
        self._latest[names] = element
        self._lines.setdefault(element, number)
        return element

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the path, else of its nearest written ancestor, else 1."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return 1
