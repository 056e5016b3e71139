"""The stage funnel: how many instancias got as far as each stage, drawn and tabulated.

An inactive or reactivated instancia was installed before it stopped, so it counts as created
and installed; only a working one counts as «En funcionamiento».
"""

from collections.abc import Iterable
from html import escape

from central.figures import StageCounts
from central.web import percent
from instancias_desktop.domain.enums import Stage

CREATED_OR_MORE = frozenset(Stage) - {Stage.NOT_CREATED}
INSTALLED_OR_MORE = frozenset({Stage.INSTALLED, Stage.FUNCTIONING, Stage.INACTIVE,
                               Stage.REACTIVATED})  # fmt: skip
HEADERS = (
    "Instancias", "Creadas alguna vez", "Creadas alguna vez (%)", "Instaladas alguna vez",
    "Instaladas alguna vez (%)", "En funcionamiento", "En funcionamiento (%)", "Inactivas",
)  # fmt: skip
BAR_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 420, 26, 190


def steps(counts: StageCounts) -> list[tuple[str, int]]:
    """The funnel's steps, widest first, with the inactive ones apart at the end."""
    return [
        ("Instancias", counts.total),
        ("Creadas (alguna vez)", sum(counts.by_stage[s] for s in CREATED_OR_MORE)),
        ("Instaladas (alguna vez)", sum(counts.by_stage[s] for s in INSTALLED_OR_MORE)),
        ("En funcionamiento", counts.by_stage[Stage.FUNCTIONING]),
        ("Inactivas", counts.by_stage[Stage.INACTIVE]),
    ]


def funnel_row(counts: StageCounts) -> list[str | int]:
    """One territory's funnel as a table row (its name first)."""
    total, created, installed, working, inactive = (n for _, n in steps(counts))

    def share(part: int) -> str:
        return percent(part / total if total else 0.0)

    return [counts.name, total, created, share(created), installed, share(installed),
            working, share(working), inactive]  # fmt: skip


def funnel_figure(counts: StageCounts, caption: str) -> str:
    """The funnel as centred bars, each labelled with its number and share (SVG)."""
    found = steps(counts)
    total = found[0][1] or 1
    height = BAR_HEIGHT * len(found) + 8
    bars = []
    for row, (label, number) in enumerate(found):
        width = max(2, round(BAR_WIDTH * number / total))
        x = LABEL_WIDTH + (BAR_WIDTH - width) // 2
        y = 4 + row * BAR_HEIGHT
        kind = "inactiva" if label == "Inactivas" else "paso"
        text = f"{number} ({percent(number / total)})"
        bars.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="{kind}" x="{x}" y="{y}" width="{width}" height="{BAR_HEIGHT - 6}"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 17}">{escape(text)}</text>'
        )
    summary = "; ".join(f"{label}: {number}" for label, number in found)
    return (
        f'<figure class="embudo"><figcaption>{escape(caption)}</figcaption>'
        f'<svg id="grafico-embudo" viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 110} {height}" '
        'role="img" '
        f'aria-label="{escape(summary)}">{"".join(bars)}</svg></figure>'
    )


def total_of(rows: Iterable[StageCounts], name: str) -> StageCounts:
    """The sum of several territories' counts."""
    whole = StageCounts(name)
    for row in rows:
        whole.by_stage.update(row.by_stage)
    return whole
