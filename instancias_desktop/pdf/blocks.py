"""Building blocks: escaped paragraphs, headings, key-value boxes and tables that repeat headers."""

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from instancias_desktop.domain.printable import unprintable
from instancias_desktop.i18n import _
from instancias_desktop.pdf.fonts import BOLD, REGULAR
from instancias_desktop.pdf.theme import HEADER_FILL, RULE, SECTION_FILL, WIDTH, Styles

STRAY_MARK = "\ufffd"


def _escaped(value: str) -> str:
    """Markup characters escaped; what the fonts cannot draw shown as «�», never a blank box.

    Input refuses such characters (domain/printable.py); a record made elsewhere may hold them.
    """
    strays = unprintable(value)
    for stray in strays:
        value = value.replace(stray, STRAY_MARK)
    return escape(value)


def _indented(line: str) -> str:
    """A line's leading spaces and tabs (a tab: 8 spaces, ~0.9 cm) as non-breaking spaces."""
    body = line.lstrip(" \t")
    lead = line[: len(line) - len(body)].expandtabs(8)
    return "&nbsp;" * len(lead) + body


def text(value: str, style: ParagraphStyle) -> Paragraph:
    """User text as a paragraph: markup escaped, line breaks and indentation kept."""
    lines = _escaped(value).replace("\r\n", "\n").split("\n")
    if "-" in value:  # «Quispe-Huamaní» breaks after its hyphen, never mid-name
        style = _hyphenating(style)
    return Paragraph("<br/>".join(_indented(line) for line in lines), style)


def _hyphenating(style: ParagraphStyle) -> ParagraphStyle:
    """The style, breaking at embedded hyphens too.

    Made once per style; it costs a little on every paragraph, so only those with a hyphen
    get it.
    """
    variant: ParagraphStyle | None = getattr(style, "_with_hyphens", None)
    if variant is None:
        variant = ParagraphStyle(f"{style.name}-hyphens", parent=style, embeddedHyphenation=1)
        style._with_hyphens = variant
    return variant


def marked(template: str, style: ParagraphStyle, **values: object) -> Paragraph:
    """A paragraph of the app's own markup (``<b>`` in ``template``) with values escaped.

    Values come from people and from form definitions the server publishes: a «<» in a name
    or a band label must print as typed, never break the document or swallow words.
    """
    safe = {name: _escaped(str(value)) for name, value in values.items()}
    return Paragraph(template.format(**safe), style)


def paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """Long text as one paragraph per blank-line block, so it flows across pages."""
    blocks = [b.strip("\n") for b in value.replace("\r\n", "\n").split("\n\n")]
    return [text(b, style) for b in blocks if b.strip()]


def heading(title: str, styles: Styles) -> list[Flowable]:
    """A section title that never ends a page: with less than 4 cm left, it starts the next."""
    return [CondPageBreak(4 * cm), text(title, styles.heading)]


def key_values(rows: Sequence[tuple[str, str]], styles: Styles) -> Table:
    """A two-column box of labels and values."""
    data = [[text(k, styles.cell_bold), text(v, styles.cell)] for k, v in rows]
    table = Table(data, colWidths=[WIDTH * 0.28, WIDTH * 0.72], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else reportlab declares Helvetica
                ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


class _ContinuedTable(Table):  # type: ignore[misc] # reportlab has no type hints
    """A table whose row, split across pages, names itself again: «3 (cont.)» in its first cell.

    reportlab leaves the continuation's first cell empty, so an agreement carried over to the
    next page lost its number.
    """

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        head = self.repeatRows
        if len(parts) != 2 or not isinstance(head, int):
            return parts
        first, rest = parts
        if len(first._cellvalues) <= head or len(rest._cellvalues) <= head:
            return parts
        number = _paragraph(first._cellvalues[-1][0])
        if number is None or _paragraph(rest._cellvalues[head][0]) is not None:
            return parts
        shown = getattr(number, "continues", None) or number.getPlainText().strip()
        if not shown:
            return parts
        small = ParagraphStyle(f"{number.style.name}-cont", parent=number.style, fontSize=7)
        label = text(_("{n}\n(cont.)").format(n=shown), small)  # fits a 1.4 cm column
        label.continues = shown  # a third page says «3 (cont.)» again, not «(cont.) (cont.)»
        # A list, as reportlab keeps its own cells: a bare paragraph is lost on the next split.
        rest._cellvalues[head][0] = [label]
        return parts


def _paragraph(cell: object) -> Paragraph | None:
    """The paragraph a table cell shows first (cells hold a flowable or a sequence of them)."""
    items = list(cell) if isinstance(cell, (list, tuple)) else [cell]
    return next((i for i in items if isinstance(i, Paragraph)), None)


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    styles: Styles,
    *,
    split_rows: bool = True,
    section_rows: Sequence[int] = (),
    min_height: float | None = None,
) -> Table:
    """A table whose header repeats on every page.

    ``split_rows`` lets a row taller than what is left of a page continue on the next (long
    texts); without it a row always stays whole (a name with its signature box).
    """
    data: list[list[Flowable | str]] = [[text(h, styles.cell_bold) for h in header]]
    data += [list(row) for row in rows]
    heights = None
    if min_height is not None:
        heights = [0.0] + [min_height] * len(rows)
    table = _ContinuedTable(
        data,
        colWidths=list(widths),
        repeatRows=1,
        splitInRow=1 if split_rows else 0,
        minRowHeights=heights,
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index in section_rows:
        row = index + 1
        commands += [
            ("SPAN", (0, row), (-1, row)),
            ("BACKGROUND", (0, row), (-1, row), SECTION_FILL),
            ("FONTNAME", (0, row), (-1, row), BOLD),
        ]
    table.setStyle(TableStyle(commands))
    return table


def plain_table(cells: list[list[object]], widths: Sequence[float]) -> Table:
    """A borderless layout table in the embedded font."""
    table = Table(cells, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        )
    )
    return table


def empty_note(message: str, styles: Styles) -> Paragraph:
    """What a section says when it has nothing to list."""
    return text(message, styles.small)
