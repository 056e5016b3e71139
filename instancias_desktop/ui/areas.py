"""The areas of data a change touches: what a page follows and what an operation announces.

One declared list, so that a page can only follow what something announces (a test checks
each followed area is announced somewhere) and a misspelt area cannot pass unnoticed.
"""

from enum import StrEnum


class Area(StrEnum):
    """A kind of data the pages show; an operation announces the ones it changed."""

    INSTANCIAS = "instancias"  # the registry, an instancia's shared data, its stage
    CATALOGUES = "catalogues"  # ubigeo and entity catalogues (a sync may bring newer ones)
    VISITS = "visits"  # visits, their participants, annexes, hitos
    AGREEMENTS = "agreements"  # agreements and their follow-ups
    CHECKLISTS = "checklists"  # checklist answers
    PLAN = "plan"  # the visit plan
    PRIORITY = "priority"  # territory figures and weights behind the ranking
    SYNC = "sync"  # what waits for the server, the last sync
