"""The dashboard's HTML: one page layout, tables with captions and headers, all text escaped.

Pages are built on the server and work without JavaScript; every asset is the server's own.
"""

from collections.abc import Iterable, Sequence
from html import escape

from instancias_desktop.tables.table import Table
from sync.server.web_sessions import WebViewer

ROLE_LABELS = {"especialista": "Especialista", "supervisor": "Supervisor(a)", "sede": "Sede"}


def page(
    title: str, body: str, viewer: WebViewer | None, crumbs: Sequence[tuple[str, str]] = ()
) -> str:
    """A whole page: header (who is signed in, «Salir»), breadcrumbs, then ``body``."""
    account = ""
    if viewer is not None:
        who = f"{escape(viewer.caller.username)} ({ROLE_LABELS.get(viewer.caller.role, '')})"
        account = (
            f'<span>{who}</span><form method="post" action="/panel/salir">'
            f'<input type="hidden" name="csrf" value="{escape(viewer.csrf)}">'
            '<button type="submit" id="salir">Salir</button></form>'
        )
    trail = "".join(
        f'<a href="{escape(href)}">{escape(text)}</a> › ' if href else escape(text)
        for text, href in crumbs
    )
    nav = f'<nav class="crumbs" aria-label="Ruta">{trail}</nav>' if crumbs else ""
    return (
        '<!DOCTYPE html><html lang="es-PE"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — Panel de seguimiento MIMP</title>"
        '<link rel="stylesheet" href="/panel/estilo.css"></head><body>'
        '<a class="skip" href="#contenido">Saltar al contenido</a>'
        "<header><h1>Instancias de Concertación — Panel de seguimiento</h1>"
        f"{_sections(viewer)}{account}</header>{nav}"
        f'<main id="contenido"><h2>{escape(title)}</h2>{body}</main></body></html>'
    )


def _sections(viewer: WebViewer | None) -> str:
    if viewer is None:
        return ""
    return (
        '<nav aria-label="Secciones"><a href="/panel/">País</a> · '
        '<a href="/panel/asistencia">Asistencia técnica</a> · '
        '<a href="/panel/seguimiento">Seguimiento</a> · '
        '<a href="/panel/equipos">Equipos</a></nav>'
    )


def table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str | int]],
    *,
    table_id: str,
    footer: Sequence[str | int] = (),
    links: dict[int, str] | None = None,
) -> str:
    """A data table; numbers right-aligned; ``links`` maps a row index to the first cell's URL."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        cells = []
        for column, value in enumerate(row):
            text = escape(str(value))
            if column == 0 and links and index in links:
                cells.append(f'<th scope="row"><a href="{escape(links[index])}">{text}</a></th>')
            elif column == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                numeric = ' class="n"' if isinstance(value, int) or text.endswith("%") else ""
                cells.append(f"<td{numeric}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(headers)}">Sin registros.</td></tr>')
    foot = ""
    if footer:
        foot = (
            "<tfoot><tr>"
            + "".join(
                f'<td class="n">{escape(str(v))}</td>' if i else f"<td>{escape(str(v))}</td>"
                for i, v in enumerate(footer)
            )
            + "</tr></tfoot>"
        )
    return (
        f'<table id="{escape(table_id)}"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>{foot}</table>"
    )


def shown(
    data: Table, table_id: str, limit: int | None = None, links: dict[int, str] | None = None
) -> str:
    """A ``Table`` (as exported) on the page: its title as caption, numbers kept as numbers.

    ``links``: a row's index to the URL its first cell leads to.
    """
    rows = [[c if isinstance(c, int) else str(c) for c in row] for row in data.rows[:limit]]
    return table(data.title, data.headers, rows, table_id=table_id, links=links)


def percent(share: float) -> str:
    """A share as Peru writes it: «42,5 %»."""
    return f"{100 * share:.1f} %".replace(".", ",")
