"""A page's map from the country's figures: which territory shows what, and where it leads.

The department map counts every instancia of each department; a department's map, those of
each province; a province's map shows each district's own instancia (the capital district,
which has none, shows the provincial one that governs it). Only what the viewer may see is
counted or linked.
"""

from collections.abc import Mapping, Sequence

from central.atlas import Atlas
from central.catalogue import Country, PlannedInstancia
from central.figures import StageCounts, counts_by_territory, counts_of
from central.mapview import Area, Colouring, map_figure
from instancias_desktop.domain.enums import InstanciaLevel, Stage

LEVEL_OF_DIGITS = {2: InstanciaLevel.IRC, 4: InstanciaLevel.IPC, 6: InstanciaLevel.IDC}
LEVEL_NAMES = {2: "regional", 4: "provincial", 6: "distrital"}


def _link(digits: int, code: str, own: PlannedInstancia | None) -> str:
    if digits == 2:
        return f"/panel/departamento/{code}"
    if digits == 4:
        return f"/panel/provincia/{code}"
    return f"/panel/instancia/{own.record_id}" if own is not None else "/panel/"


def territory_map(
    atlas: Atlas,
    places: Country,
    stages: Mapping[str, Stage],
    visible: Sequence[PlannedInstancia],
    *,
    digits: int,
    within: str,
    colouring: Colouring,
    page_url: str,
    caption: str,
    counted: Mapping[str, StageCounts] | None = None,
) -> str:
    """The map of the territories of ``digits`` digits under ``within`` (HTML).

    ``counted``: the counts by territory when the page has them already.
    """
    level = LEVEL_OF_DIGITS[digits]
    own = {i.ubigeo: i for i in visible if i.level is level and len(i.ubigeo) == digits}
    if digits == 6:  # a capital district is governed by its provincial instancia
        provincial = {i.ubigeo: i for i in visible if i.level is InstanciaLevel.IPC}
        for code in places.names:
            if len(code) == 6 and code.startswith(within) and code[:4] in provincial:
                own.setdefault(code, provincial[code[:4]])
        counts = {code: counts_of(places.names[code], [item], stages) for code, item in own.items()}
    else:
        counts = dict(counted or counts_by_territory(places, stages, visible, digits))
    areas = {
        code: Area(
            places.names.get(code, code),
            figures,
            stages.get(own[code].record_id, Stage.NOT_CREATED) if code in own else None,
            _link(digits, code, own.get(code)),
        )
        for code, figures in counts.items()
        if code.startswith(within)
    }
    drawn = atlas.codes(digits)
    unmapped = {code: area.name for code, area in areas.items() if code not in drawn}
    return map_figure(
        atlas.drawing(digits, within), areas, colouring, page_url=page_url, caption=caption,
        level_name=LEVEL_NAMES[digits], unmapped=unmapped,
    )  # fmt: skip
