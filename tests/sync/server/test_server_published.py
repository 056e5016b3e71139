"""What the ministry publishes for every laptop: form definitions, immutable once out."""

import json
from pathlib import Path

import requests
from helpers.admin_cli import run
from helpers.server_db import ServerDb
from sqlalchemy import select

from sync.protocol import MAX_CURSOR, PROTOCOL_VERSION, PublishedRequest
from sync.server import published
from sync.server.store import Published
from sync.transport_http import HttpTransport


def exported(tmp_path: Path, version: int, title: str) -> Path:
    """A definition as «instancias-forms export» writes it (canonical JSON)."""
    path = tmp_path / f"v{version}.json"
    data = {"form": "funcionamiento_idc", "schema": 1, "title": title, "version": version}
    path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    return path


def test_publish_form_is_immutable_and_laptops_read_it_in_order(
    server_db: ServerDb,
    live: str,
    token: str,
    tmp_path: Path,
) -> None:
    first, second = exported(tmp_path, 1, "IDC"), exported(tmp_path, 2, "IDC revisada")
    code, out, _err = run(server_db.url, "publish-form", str(first))
    assert code == 0 and "Ficha funcionamiento_idc@1 publicada" in out
    assert run(server_db.url, "publish-form", str(first))[1].startswith(
        "La ficha funcionamiento_idc@1 ya estaba publicada"
    )
    first.write_text(first.read_text(encoding="utf-8").replace("IDC", "IDC cambiada"))
    code, _out, err = run(server_db.url, "publish-form", str(first))
    assert code != 0 and "una versión publicada no cambia" in err
    assert run(server_db.url, "publish-form", str(second))[0] == 0
    bad = tmp_path / "nada.json"
    bad.write_text("{}", encoding="utf-8")
    code, _out, err = run(server_db.url, "publish-form", str(bad))
    assert code != 0 and "instancias-forms export" in err

    with HttpTransport(live, token) as link:
        page = link.published(PublishedRequest(cursor=0, limit=1))
        assert [d.key for d in page.documents] == ["funcionamiento_idc@1"] and page.has_more
        rest = link.published(PublishedRequest(cursor=page.next_cursor))
    assert [d.key for d in rest.documents] == ["funcionamiento_idc@2"] and not rest.has_more
    assert rest.documents[0].content == second.read_text(encoding="utf-8")  # as published
    stranger = requests.post(
        f"{live}/v1/published", json={"protocol": PROTOCOL_VERSION}, timeout=10
    )
    assert stranger.status_code == 401


def test_the_page_of_an_empty_server_keeps_the_cursor(server_db: ServerDb) -> None:
    with server_db.factory() as session:
        page = published.page(session, PublishedRequest(cursor=7))
    assert (page.documents, page.next_cursor, page.has_more) == ((), 7, False)


def test_a_cursor_beyond_32_bits_is_after_everything(server_db: ServerDb) -> None:
    """Found by the fuzzer: PostgreSQL refused the comparison with the 32-bit column (500)."""
    with server_db.factory.begin() as session:
        page = published.page(session, PublishedRequest(cursor=MAX_CURSOR))
    assert (page.documents, page.next_cursor, page.has_more) == ((), MAX_CURSOR, False)


def test_publish_catalogue_takes_the_version_from_the_file(
    server_db: ServerDb, tmp_path: Path
) -> None:
    catalogues = Path(__file__).resolve().parents[3] / "resources" / "catalogues"
    code, out, _err = run(
        server_db.url, "publish-catalogue", str(catalogues / "member_entity_types.toml"),
        "--name", "entidades_integrantes",
    )  # fmt: skip
    assert code == 0 and "Catálogo entidades_integrantes@2026.1 publicado" in out
    code, out, _err = run(
        server_db.url, "publish-catalogue", str(catalogues / "ubigeo_inei.json"), "--name", "ubigeo"
    )
    assert code == 0 and "ubigeo@INEI-2025" in out
    nameless = tmp_path / "sin-version.toml"
    nameless.write_text("[[entity_type]]\ncode = 'x'\n", encoding="utf-8")
    code, _out, err = run(
        server_db.url, "publish-catalogue", str(nameless), "--name", "entidades_integrantes"
    )
    assert code != 0 and "con su versión" in err


def test_publish_weights_checks_the_shape_and_publishes_once(
    server_db: ServerDb, tmp_path: Path
) -> None:
    good = tmp_path / "pesos.toml"
    good.write_text('version = "2027-1"\n[pesos]\nbrecha_estado = 40\ncascada = 10\n', "utf-8")
    code, out, _err = run(server_db.url, "publish-weights", str(good))
    assert code == 0 and out.startswith("Pesos pesos@2027-1 publicados (SHA-256 ")
    code, out, _err = run(server_db.url, "publish-weights", str(good))
    assert code == 0 and "ya estaban publicados (sin cambios)" in out
    bad = tmp_path / "malo.toml"
    for text, problem in (
        ("[pesos]\ncascada = 1\n", "no es un archivo de pesos"),
        ('V\n[pesos]\ncascada = "diez"\n', "el peso de «cascada» debe ser un número de 0 a 100"),
        ("V\n[pesos]\ncascada = 101\n", "no «101»"),
        ("V\n[pesos]\ndistancia = 10\n", "criterio desconocido «distancia»; use: brecha_estado"),
        ("V\n[pesos]\ncascada = 0\n", "al menos un criterio debe tener un peso mayor que 0"),
    ):
        bad.write_text(text.replace("V\n", 'version = "x"\n'), encoding="utf-8")
        code, _out, err = run(server_db.url, "publish-weights", str(bad))
        assert code != 0 and problem in err, err
    with server_db.factory.begin() as session:  # only the good file was published
        kinds = session.scalars(select(Published.key).where(Published.kind == "pesos")).all()
    assert kinds == ["pesos@2027-1"]
