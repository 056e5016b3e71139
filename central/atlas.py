"""Peru's boundaries as SVG paths: departments, provinces and districts keyed by ubigeo.

The shipped GeoJSON (``static/geo``, MPL-2.0, unmodified) is read once per level and projected
equirectangularly, longitudes scaled by cos(9.2° S), which is adequate for Peru. Each drawing is
fitted to the territories it shows and rounded to about a thousandth of its width, so a
department's provinces and a province's districts are as legible as the country.
"""

import json
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

LONGITUDE_SCALE = math.cos(math.radians(-9.2))
RESOLUTION = 1000  # units across a drawing's wider side
LEVELS = {
    2: ("peru_departamental_simple.geojson", "FIRST_IDDP"),
    4: ("peru_provincial_simple.geojson", "FIRST_IDPR"),
    6: ("peru_distrital_simple.geojson", "IDDIST"),
}

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Drawing:
    """Territories drawn together: the SVG viewBox and each territory's path data."""

    view_box: str
    paths: dict[str, str]


class Atlas:
    """The boundaries of one folder of GeoJSON files, read on first use and kept."""

    def __init__(self, folder: Traversable | None = None) -> None:
        self._folder = folder or files("central").joinpath("static/geo")
        self._rings: dict[int, dict[str, list[Ring]]] = {}
        self._codes: dict[int, frozenset[str]] = {}
        self._drawings: dict[tuple[int, str], Drawing] = {}
        self._lock = threading.Lock()

    def codes(self, digits: int) -> frozenset[str]:
        """The ubigeos of ``digits`` digits that have a polygon."""
        found = self._codes.get(digits)
        if found is None:
            found = self._codes[digits] = frozenset(self._level(digits))
        return found

    def drawing(self, digits: int, within: str = "") -> Drawing:
        """The territories of ``digits`` digits whose ubigeo starts with ``within``."""
        key = (digits, within)
        found = self._drawings.get(key)
        if found is None:
            chosen = {c: r for c, r in self._level(digits).items() if c.startswith(within)}
            found = _draw(chosen)
            with self._lock:
                self._drawings[key] = found
        return found

    def _level(self, digits: int) -> dict[str, list[Ring]]:
        with self._lock:
            if digits not in self._rings:
                name, key = LEVELS[digits]
                content = json.loads(self._folder.joinpath(name).read_bytes())
                self._rings[digits] = _projected(content["features"], key)
            return self._rings[digits]


def _projected(features: Iterable[dict], key: str) -> dict[str, list[Ring]]:  # type: ignore[type-arg]
    """Each code's outer rings, projected; a code drawn by several features keeps them all."""
    rings: dict[str, list[Ring]] = {}
    for feature in features:
        geometry = feature.get("geometry")
        if not geometry:
            continue  # a feature without a polygon: listed by the page, never drawn
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )  # fmt: skip
        code = str(feature["properties"][key])
        for polygon in polygons:
            outer = polygon[0]  # the simplified files carry no holes worth drawing
            rings.setdefault(code, []).append(
                tuple((lon * LONGITUDE_SCALE, -lat) for lon, lat in outer)
            )
    return rings


def _draw(chosen: dict[str, list[Ring]]) -> Drawing:
    points = [p for rings in chosen.values() for ring in rings for p in ring]
    if not points:
        return Drawing("0 0 1 1", {})
    left, top = min(p[0] for p in points), min(p[1] for p in points)
    width = max(p[0] for p in points) - left
    height = max(p[1] for p in points) - top
    step = max(width, height) / RESOLUTION or 1.0
    paths = {}
    for code, rings in chosen.items():
        parts = []
        for ring in rings:
            rounded: list[tuple[int, int]] = []
            for x, y in ring:
                point = (round((x - left) / step), round((y - top) / step))
                if not rounded or rounded[-1] != point:
                    rounded.append(point)
            if len(set(rounded)) >= 3:
                parts.append("M" + " ".join(f"{x},{y}" for x, y in rounded) + "Z")
        paths[code] = "".join(parts)
    return Drawing(f"0 0 {round(width / step)} {round(height / step)}", paths)
