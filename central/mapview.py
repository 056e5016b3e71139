"""The map of a page: territories coloured by coverage or by their own instancia's stage.

An inline SVG built on the server (no script, no external asset): each territory is a link to
its page with a title that states its figures, and a legend in text. Territories outside the
viewer's reach are drawn grey, without figures or link. A territory in force without a polygon
is named under the map, never dropped.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from html import escape

from central.atlas import Drawing
from central.figures import INSTALLED, StageCounts
from central.web import percent
from instancias_desktop.domain.enums import Stage

FUNCTIONING = frozenset({Stage.FUNCTIONING})
BANDS = ("0 %", "menos de 25 %", "de 25 % a menos de 50 %", "de 50 % a menos de 75 %",
         "75 % o más")  # fmt: skip


class Colouring(StrEnum):
    """What the colours show (the page's ``color`` parameter)."""

    INSTALLED = "instaladas"
    FUNCTIONING = "funcionamiento"
    STAGE = "etapa"

    @classmethod
    def of(cls, value: str | None, default: "Colouring | None" = None) -> "Colouring":
        """The colouring a request asks for; by default, the coverage of installed ones."""
        return next((c for c in cls if c.value == value), default or cls.INSTALLED)

    def label(self, level_name: str) -> str:
        """How the page offers it («Estado de la instancia provincial»)."""
        if self is Colouring.INSTALLED:
            return "Instaladas (%)"
        if self is Colouring.FUNCTIONING:
            return "En funcionamiento (%)"
        return f"Estado de la instancia {level_name}"


@dataclass(frozen=True)
class Area:
    """A territory on the map: its figures, its own instancia's stage, its page."""

    name: str
    counts: StageCounts
    own: Stage | None
    link: str


def band(share: float) -> int:
    """The legend's class of a share: 0 only for none, then quarters."""
    return 0 if share <= 0 else min(4, 1 + int(share * 4))


def _fill(area: Area, colouring: Colouring) -> str:
    if colouring is Colouring.STAGE:
        return f"e-{area.own.value}" if area.own is not None else "sin"
    if not area.counts.total:
        return "sin"
    stages = INSTALLED if colouring is Colouring.INSTALLED else FUNCTIONING
    return f"b{band(area.counts.share(stages))}"


def _title(area: Area, level_name: str) -> str:
    counts = area.counts
    installed = sum(counts.by_stage[s] for s in INSTALLED)
    working = counts.by_stage[Stage.FUNCTIONING]
    text = (
        f"{area.name}: {counts.total} instancias; {installed} instaladas "
        f"({percent(counts.share(INSTALLED))}), {working} en funcionamiento "
        f"({percent(counts.share(FUNCTIONING))})"
    )
    if area.own is not None:
        text += f"; instancia {level_name}: {area.own.label}"
    return text


def _legend(colouring: Colouring) -> str:
    if colouring is Colouring.STAGE:
        items = [(f"e-{s.value}", s.label) for s in Stage]
    else:
        items = [(f"b{n}", label) for n, label in enumerate(BANDS)]
    items.append(("sin", "Sin datos o fuera de sus territorios"))
    return (
        '<ul class="leyenda" aria-label="Leyenda">'
        + "".join(
            f'<li><svg width="14" height="14" aria-hidden="true"><rect class="{c}" '
            f'width="14" height="14"/></svg> {escape(label)}</li>'
            for c, label in items
        )
        + "</ul>"
    )


def map_figure(
    drawing: Drawing,
    areas: Mapping[str, Area],
    colouring: Colouring,
    *,
    page_url: str,
    caption: str,
    level_name: str,
    unmapped: Mapping[str, str],
) -> str:
    """The map with its colouring choices, legend and the territories it cannot draw."""
    choices = " · ".join(
        f"<strong>{escape(c.label(level_name))}</strong>" if c is colouring
        else f'<a href="{escape(page_url)}?color={c.value}" id="color-{c.value}">'
        f"{escape(c.label(level_name))}</a>"
        for c in Colouring
    )  # fmt: skip
    shapes = []
    for code, path in drawing.paths.items():
        area = areas.get(code)
        if area is None:
            shapes.append(f'<path class="sin" d="{path}" data-ubigeo="{code}"/>')
            continue
        title = escape(_title(area, level_name))
        shapes.append(
            f'<a href="{escape(area.link)}" aria-label="{title}">'
            f'<path class="{_fill(area, colouring)}" d="{path}" data-ubigeo="{code}">'
            f"<title>{title}</title></path></a>"
        )
    missing = ""
    if unmapped:
        names = ", ".join(f"{escape(n)} ({c})" for c, n in sorted(unmapped.items()))
        missing = (
            f'<p class="note" id="sin-poligono">Sin polígono en el mapa (sus límites son '
            f"posteriores a los del mapa), con sus cifras en la tabla: {names}.</p>"
        )
    return (
        f'<figure class="mapa"><figcaption>{escape(caption)}</figcaption>'
        f'<p class="colorear">Colorear por: {choices}</p>'
        f'<svg id="mapa" viewBox="{drawing.view_box}" role="group" '
        f'aria-label="{escape(caption)}">{"".join(shapes)}</svg>'
        f"{_legend(colouring)}{missing}</figure>"
    )
