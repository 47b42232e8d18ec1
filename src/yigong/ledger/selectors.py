"""Reads on the ledger. Totals are sums of whole minutes (corrections included), never floats."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from yigong.ledger.models import LedgerEntry


def total_minutes(*, volunteer, year: int | None = None) -> int:
    """Confirmed minutes of a volunteer (all years, or one year by service date)."""
    qs = LedgerEntry.objects.filter(volunteer=volunteer)
    if year is not None:
        qs = qs.filter(service_date__year=year)
    return qs.aggregate(total=Coalesce(Sum("minutes"), Value(0)))["total"]


def minutes_by_year(*, volunteer) -> dict[int, int]:
    """{year: minutes}, years in ascending order (corrections count in their service's year)."""
    rows = (
        LedgerEntry.objects.filter(volunteer=volunteer)
        .annotate(year=ExtractYear("service_date"))
        .values("year")
        .annotate(total=Sum("minutes"))
        .order_by("year")
    )
    return {row["year"]: row["total"] for row in rows}


def service_records(*, volunteer=None, organization_ids=None):
    """Original service entries with `current_minutes` (after corrections), `corrected_by` (the sum of
    their corrections) and `correction_count`.

    One query; order by service date, newest first.
    """
    corrections = (
        LedgerEntry.objects.filter(corrects=OuterRef("pk"))
        .order_by()
        .values("corrects")
    )
    qs = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SERVICE)
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=organization_ids)
    return (
        qs.annotate(
            corrected_by=Coalesce(
                Subquery(corrections.annotate(s=Sum("minutes")).values("s")[:1], output_field=IntegerField()),
                Value(0),
            ),
            correction_count=Coalesce(
                Subquery(corrections.annotate(c=Count("id")).values("c")[:1], output_field=IntegerField()),
                Value(0),
            ),
        )
        .annotate(current_minutes=F("minutes") + F("corrected_by"))
        .order_by("-service_date", "-id")
    )


def minutes_for_signups(signup_ids) -> dict[int, int]:
    """Current confirmed minutes per sign-up id (service entries plus their corrections)."""
    rows = (
        LedgerEntry.objects.filter(Q(signup_id__in=list(signup_ids)))
        .values("signup_id")
        .annotate(total=Sum("minutes"))
    )
    return {row["signup_id"]: row["total"] for row in rows}
