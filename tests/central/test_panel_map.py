"""The map and the stage funnel over real HTTP, checked against counts made from the seed.

The expected colours come from the legend's definition (0 %, then quarters of the share), the
catalogue file and the stages seeded; which districts have no polygon comes from the shipped
GeoJSON read here, not from the dashboard's code.
"""

import csv
import io
import json
from collections import Counter
from importlib.resources import files

from helpers.markup import map_shapes, table_rows
from helpers.panel import Panel, expected_country, sign_in
from helpers.server_db import PASSWORD

from central.catalogue import country
from instancias_desktop.paths import resources_dir

CATALOGUE = str(resources_dir() / "catalogues" / "ubigeo_inei.json")
INSTALLED_NOW = ("instalada", "en_funcionamiento", "reactivada")


def expected_band(counts: Counter[str], stages: tuple[str, ...]) -> str:
    """The legend's class: b0 for none, then b1..b4 for each quarter (75 % or more: b4)."""
    share = sum(counts[s] for s in stages) / sum(counts.values())
    return "b0" if share == 0 else f"b{min(4, 1 + int(share * 4))}"


def geo_codes(name: str, key: str) -> set[str]:
    content = json.loads(files("central").joinpath(f"static/geo/{name}").read_bytes())
    return {f["properties"][key] for f in content["features"] if f.get("geometry")}


def test_the_country_map_colours_each_department_by_its_figures(panel: Panel) -> None:
    sara = sign_in(panel.url, "sara", PASSWORD)
    expected = expected_country(panel.seeded.stages, CATALOGUE)
    shapes = map_shapes(sara.get(f"{panel.url}/panel/", timeout=10).text)
    assert set(shapes) == set(expected)  # every department drawn, each once
    for code, counts in expected.items():
        assert shapes[code].fill == expected_band(counts, INSTALLED_NOW), code
        assert shapes[code].link == f"/panel/departamento/{code}"
    assert shapes["08"].fill == "b1"  # the seed installed 2 of Cusco's instancias: not nothing
    cusco = expected["08"]
    assert shapes["08"].title.startswith(f"Cusco: {sum(cusco.values())} instancias; 2 instaladas")

    working = map_shapes(sara.get(f"{panel.url}/panel/?color=funcionamiento", timeout=10).text)
    for code, counts in expected.items():
        assert working[code].fill == expected_band(counts, ("en_funcionamiento",)), code

    # By stage: each department's own regional instancia (Cusco's works; Lima's has no hito).
    by_stage = map_shapes(sara.get(f"{panel.url}/panel/?color=etapa", timeout=10).text)
    assert by_stage["08"].fill == "e-en_funcionamiento"
    assert by_stage["15"].fill == "e-no_creada"
    assert "instancia regional: En funcionamiento" in by_stage["08"].title


def test_a_specialist_sees_the_other_departments_grey_without_figures(panel: Panel) -> None:
    ana = sign_in(panel.url, "ana", PASSWORD)  # her territory: Cusco
    page = ana.get(f"{panel.url}/panel/", timeout=10).text
    shapes = map_shapes(page)
    assert shapes["08"].link == "/panel/departamento/08" and shapes["08"].fill == "b1"
    others = {code: shape for code, shape in shapes.items() if code != "08"}
    assert len(others) == 24
    assert all(s.fill == "sin" and s.link is None and s.title == "" for s in others.values())
    assert "Lima:" not in page


def test_a_department_map_names_the_provinces_it_cannot_draw(panel: Panel) -> None:
    sara = sign_in(panel.url, "sara", PASSWORD)
    drawn = geo_codes("peru_provincial_simple.geojson", "FIRST_IDPR")
    places = country()
    for department in sorted({code[:2] for code in places.names if len(code) == 4}):
        page = sara.get(f"{panel.url}/panel/departamento/{department}", timeout=10).text
        shapes = map_shapes(page)
        provinces = {c for c in places.names if len(c) == 4 and c.startswith(department)}
        assert set(shapes) == provinces & drawn, department
        for code in provinces - drawn:
            assert f"{places.names[code]} ({code})" in page.split('id="sin-poligono"')[1]
    cusco = map_shapes(sara.get(f"{panel.url}/panel/departamento/08", timeout=10).text)
    assert cusco["0801"].link == "/panel/provincia/0801"
    # Province of Cusco: 1 of its instancias installed now (Wanchaq; San Jerónimo is inactive).
    province = [i for i in places.instancias if i.ubigeo.startswith("0801")]
    assert cusco["0801"].fill == expected_band(
        Counter({"instalada": 1, "no_creada": len(province) - 1}), INSTALLED_NOW
    )
    by_stage = map_shapes(
        sara.get(f"{panel.url}/panel/departamento/08?color=etapa", timeout=10).text
    )
    assert by_stage["0801"].fill == "e-creada"  # the provincial instancia itself


def test_a_province_map_shows_each_district_by_its_own_instancia(panel: Panel) -> None:
    sara = sign_in(panel.url, "sara", PASSWORD)
    shapes = map_shapes(sara.get(f"{panel.url}/panel/provincia/0801", timeout=10).text)
    assert shapes["080104"].fill == "e-inactiva" and shapes["080108"].fill == "e-instalada"
    assert shapes["080102"].fill == "e-no_creada"
    places = country()
    provincial = next(i for i in places.instancias if i.ubigeo == "0801")
    wanchaq = next(i for i in places.instancias if i.ubigeo == "080108")
    assert shapes["080108"].link == f"/panel/instancia/{wanchaq.record_id}"
    # The capital district has no instancia of its own: the provincial one governs it.
    assert shapes["080101"].fill == "e-creada"
    assert shapes["080101"].link == f"/panel/instancia/{provincial.record_id}"

    drawn = geo_codes("peru_distrital_simple.geojson", "IDDIST")
    missing = sorted(c for c in places.names if len(c) == 6 and c not in drawn)
    province = missing[0][:4]
    page = sara.get(f"{panel.url}/panel/provincia/{province}", timeout=10).text
    named = page.split('id="sin-poligono"')[1]
    for code in (c for c in missing if c.startswith(province)):
        assert f"{places.names[code]} ({code})" in named


def test_the_funnel_counts_how_far_each_instancia_got(panel: Panel) -> None:
    sara = sign_in(panel.url, "sara", PASSWORD)
    page = sara.get(f"{panel.url}/panel/departamento/08", timeout=10).text
    rows = {row[0]: row for row in table_rows(page, "embudo")}
    province = [i for i in country().instancias if i.ubigeo.startswith("0801")]
    # Province of Cusco: created its own, Wanchaq and San Jerónimo; both districts were
    # installed; San Jerónimo stopped; none works.
    assert rows["Cusco"][1:] == [
        str(len(province)),
        "3",
        f"{300 / len(province):.1f} %".replace(".", ","),
        "2",
        f"{200 / len(province):.1f} %".replace(".", ","),
        "0",
        "0,0 %",
        "1",
    ]
    # The department's figure counts its regional instancia too: it works.
    assert 'aria-label="Instancias: ' in page
    assert (
        "Creadas (alguna vez): 4; Instaladas (alguna vez): 3; En funcionamiento: 1; "
        "Inactivas: 1" in page
    )
    exported = sara.get(f"{panel.url}/panel/departamento/08/embudo.csv", timeout=10)
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Provincia", "Instancias", "Creadas alguna vez"]
    assert next(r for r in table if r[0] == "Cusco")[2] == "3"
    national = sara.get(f"{panel.url}/panel/pais-embudo.xlsx", timeout=10)
    assert national.status_code == 200 and national.content[:2] == b"PK"


def test_the_boundaries_ship_with_their_license_beside_them() -> None:
    folder = files("central").joinpath("static/geo")
    assert "Mozilla Public License Version 2.0" in (
        folder.joinpath("LICENSE.MPL-2.0.txt").read_text(encoding="utf-8")
    )
    assert "juaneladio/peru-geojson" in folder.joinpath("README.md").read_text(encoding="utf-8")
