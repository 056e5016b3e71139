"""A small line chart of the functioning score over the visits, drawn straight on the page."""

from collections.abc import Sequence

from reportlab.platypus import Flowable

from instancias_desktop.domain.scoring import score_text
from instancias_desktop.pdf.fonts import REGULAR
from instancias_desktop.pdf.theme import ACCENT, MUTED, RULE

AXIS_LABEL = 7
STEPS = (0, 25, 50, 75, 100)


class ScoreChart(Flowable):  # type: ignore[misc] # reportlab has no type hints
    """Scores (0..100) at labelled points, left to right; a missing score leaves a gap."""

    def __init__(self, points: Sequence[tuple[str, float | None]], width: float, height: float):
        super().__init__()
        self.points = list(points)
        self.width = width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The chart's fixed size."""
        return self.width, self.height

    def draw(self) -> None:
        """Axes, grid lines at 0/25/50/75/100, the line and its points with their values."""
        canvas = self.canv
        left, bottom = 28.0, 22.0
        plot_w, plot_h = self.width - left - 10, self.height - bottom - 10
        canvas.setFont(REGULAR, AXIS_LABEL)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        for step in STEPS:
            y = bottom + plot_h * step / 100
            canvas.line(left, y, left + plot_w, y)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(left - 4, y - 2.5, str(step))
        count = len(self.points)
        xs = [left + plot_w * (i + 0.5) / count for i in range(count)] if count else []
        every = max(1, -(-count // 7))  # at most seven date labels under the axis
        for i, (label, _score) in enumerate(self.points):
            if i % every == 0:
                canvas.drawCentredString(xs[i], bottom - 12, label)
        canvas.setStrokeColor(ACCENT)
        canvas.setFillColor(ACCENT)
        canvas.setLineWidth(1.4)
        previous: tuple[float, float] | None = None
        for x, (_label, score) in zip(xs, self.points, strict=True):
            if score is None:
                previous = None
                continue
            y = bottom + plot_h * score / 100
            if previous is not None:
                canvas.line(previous[0], previous[1], x, y)
            canvas.circle(x, y, 2.2, stroke=0, fill=1)
            canvas.drawCentredString(x, y + 5, score_text(score))
            previous = (x, y)
