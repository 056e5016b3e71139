"""Reading the dashboard's HTML as a person's tools would: tables by id, the map's shapes."""

from dataclasses import dataclass
from html.parser import HTMLParser


class Rows(HTMLParser):
    """The rows (cells' text) of the table with a given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.rows = table_id, False, []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    parser = Rows(table_id)
    parser.feed(html)
    return parser.rows


@dataclass
class Shape:
    """A territory on a map: its colour class, the page it links to, and its title."""

    fill: str
    link: str | None
    title: str = ""


class MapShapes(HTMLParser):
    """The shapes of the map (``svg#mapa``) by ubigeo."""

    def __init__(self) -> None:
        super().__init__()
        self.shapes: dict[str, Shape] = {}
        self._link: str | None = None
        self._inside = False
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "svg" and given.get("id") == "mapa":
            self._inside = True
        elif self._inside and tag == "a":
            self._link = given.get("href")
        elif self._inside and tag == "path":
            code = given["data-ubigeo"] or ""
            self.shapes[code] = Shape(given["class"] or "", self._link)
            self._current = code

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._inside = False
        elif tag == "a":
            self._link = None
        elif tag == "path":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self.shapes[self._current].title += data


def map_shapes(html: str) -> dict[str, Shape]:
    """The map's shapes of a page, by ubigeo."""
    parser = MapShapes()
    parser.feed(html)
    return parser.shapes
