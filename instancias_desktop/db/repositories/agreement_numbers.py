"""The numbers an acta shows for its agreements: 1, 2, 3… in the order of their stored number.

The stored number only orders an acta's agreements: two laptops of one specialist may both add
number 3 offline, and both agreements survive. Every laptop shows them numbered alike, by
(number, id), and a removed agreement leaves no gap.
"""

import uuid

from sqlalchemy import Subquery, func, select

from instancias_desktop.db.models import AgreementRow, VisitRow


def shown_numbers(
    visit_id: uuid.UUID | None = None, instancia_id: uuid.UUID | None = None
) -> Subquery:
    """(agreement_id, shown) of the live agreements (of one visit, one instancia, or all).

    Numbering restarts per visit, so restricting the rows never changes a number shown; it
    only spares numbering the whole country's agreements to show one instancia's.
    """
    shown = func.row_number().over(
        partition_by=AgreementRow.visit_id, order_by=(AgreementRow.number, AgreementRow.id)
    )
    query = select(AgreementRow.id.label("agreement_id"), shown.label("shown")).where(
        AgreementRow.deleted.is_(False)
    )
    if visit_id is not None:
        query = query.where(AgreementRow.visit_id == visit_id)
    if instancia_id is not None:
        visits = select(VisitRow.id).where(VisitRow.instancia_id == instancia_id)
        query = query.where(AgreementRow.visit_id.in_(visits))
    return query.subquery("shown_numbers")
