"""Hours and active volunteers per street per month: what the district office steers by.

A street's figures count the service of volunteers whose home community lies in that street
(the district office's question is "how much do our residents serve", not "where"). A volunteer
has one home community, so the distinct volunteers of a street are the sum of its communities'.

The query groups the ledger by (home community, month) with one join (ledger → volunteer) and
folds communities into streets in Python from the region table (about a hundred rows): the
database never joins the region tree for each of a million entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from yigong.ledger.models import LedgerEntry
from yigong.regions.models import Region


@dataclass(frozen=True)
class StreetMonth:
    street_code: str
    month: date  # the first day of the month
    minutes: int
    volunteers: int  # with at least one entry that month


def street_month_figures(*, date_from: date, date_to: date) -> list[StreetMonth]:
    """Figures for service dates from `date_from` to `date_to` (inclusive), by street code and month.
    Corrections count (their minutes are negative); a volunteer counts as active in a month with any entry."""
    street_of = dict(Region.objects.communities().values_list("pk", "parent__code"))
    rows = (LedgerEntry.objects.filter(service_date__gte=date_from, service_date__lte=date_to)
            .annotate(month=TruncMonth("service_date"))
            .values("volunteer__home_community_id", "month")
            .annotate(minutes=Sum("minutes"), volunteers=Count("volunteer_id", distinct=True))
            .order_by())
    totals: dict[tuple[str, date], list[int]] = {}
    for row in rows:
        street = street_of.get(row["volunteer__home_community_id"], "")
        month = row["month"] if isinstance(row["month"], date) else date.fromisoformat(str(row["month"])[:10])
        cell = totals.setdefault((street, month), [0, 0])
        cell[0] += row["minutes"] or 0
        cell[1] += row["volunteers"]
    return [StreetMonth(street, month, minutes, volunteers)
            for (street, month), (minutes, volunteers) in sorted(totals.items())]
