"""A titled grid of plain values: what an export writes (no file format here)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A titled grid; cells are str, int, float, bool, date, datetime or None."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    # What personal data (Ley 29733) its columns hold, in Spanish; () when none.
    personal_data: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse rows whose length differs from the headers (a programming error)."""
        for index, row in enumerate(self.rows):
            if len(row) != len(self.headers):
                raise ValueError(
                    f"row {index} has {len(row)} cells for {len(self.headers)} headers"
                )
