"""Reads of the personal archive (个人志愿服务档案, R4): confirmed hours, service records, ratings.

Every selector runs a fixed number of queries, whatever the number of ledger entries:
hours are summed by the database (whole minutes), the records are paged by the database, and the
corrections of a volunteer (few) are loaded once and attached to the services they correct.

A correction counts in the year of the service it corrects (the hours belong to the year served),
wherever the correction itself was recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from yigong.activities.models import SignUp
from yigong.archive.hours import hours_minutes
from yigong.attendance.models import ServiceRating
from yigong.ledger.models import LedgerEntry
from yigong.volunteers.models import Volunteer


@dataclass(frozen=True)
class YearTotal:
    year: int
    minutes: int
    services: int  # service records of that year (corrections not counted)

    @property
    def hours(self) -> str:
        return hours_minutes(self.minutes)


@dataclass(frozen=True)
class HoursSummary:
    total_minutes: int
    years: list[YearTotal]  # newest year first
    pending_confirmations: int
    upcoming_shifts: int

    @property
    def total_hours(self) -> str:
        return hours_minutes(self.total_minutes)

    @property
    def services(self) -> int:
        return sum(y.services for y in self.years)


@dataclass
class ServiceRecord:
    """One service entry of the ledger with the corrections that were appended to it."""

    entry: LedgerEntry
    corrections: list[LedgerEntry] = field(default_factory=list)

    @property
    def effective_minutes(self) -> int:
        return self.entry.minutes + sum(c.minutes for c in self.corrections)

    @property
    def is_corrected(self) -> bool:
        return bool(self.corrections)


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: Decimal | None  # one decimal, e.g. Decimal("4.5"); None without ratings


@dataclass
class Archive:
    volunteer: Volunteer
    summary: HoursSummary
    records: list[ServiceRecord]
    pending: list[SignUp]
    ratings: list[ServiceRating]
    rating_summary: RatingSummary


# --- hours -------------------------------------------------------------------------------------


def _corrections(volunteer: Volunteer) -> list[LedgerEntry]:
    """All corrections in the volunteer's ledger, each with `target_date`: the date of the entry
    it corrects. One query; corrections are rare, so this stays small."""
    return list(
        LedgerEntry.objects.filter(volunteer=volunteer, corrects__isnull=False)
        .annotate(target_date=F("corrects__service_date"))
        .order_by("recorded_at", "id")
    )


def _roots(corrections: list[LedgerEntry]) -> dict[int, tuple[int, object]]:
    """Map each correction id to (id, service date) of the service entry at the root of its chain
    (a correction may itself be corrected)."""
    by_id = {c.pk: c for c in corrections}
    roots: dict[int, tuple[int, object]] = {}
    for correction in corrections:
        node = correction
        while node.corrects_id in by_id:  # ids only grow, so the chain ends
            node = by_id[node.corrects_id]
        roots[correction.pk] = (node.corrects_id, node.target_date)
    return roots


def _year_totals(volunteer: Volunteer, corrections: list[LedgerEntry]) -> list[YearTotal]:
    minutes: dict[int, int] = defaultdict(int)
    services: dict[int, int] = defaultdict(int)
    rows = (
        LedgerEntry.objects.filter(volunteer=volunteer, corrects__isnull=True)
        .annotate(year=ExtractYear("service_date"))
        .values("year")
        .annotate(minutes=Sum("minutes"), services=Count("id"))
        .order_by("year")
    )
    for row in rows:
        minutes[row["year"]] += row["minutes"] or 0
        services[row["year"]] += row["services"]
    roots = _roots(corrections)
    for correction in corrections:
        _root_id, root_date = roots[correction.pk]
        year = (root_date or correction.service_date).year
        minutes[year] += correction.minutes
        services.setdefault(year, 0)
    return [YearTotal(year=y, minutes=minutes[y], services=services[y]) for y in sorted(minutes, reverse=True)]


def pending_confirmations(volunteer: Volunteer, *, now: datetime | None = None):
    """Approved sign-ups of shifts that have ended but whose hours the organizer has not confirmed."""
    now = now or timezone.now()
    return (
        SignUp.objects.filter(
            volunteer=volunteer, status=SignUp.Status.APPROVED, shift__ends_at__lte=now,
            shift__cancelled=False, shift__confirmation__isnull=True,
        )
        .select_related("shift__activity__organization", "slot__position")
        .order_by("-starts_at", "-id")
    )


def upcoming_shift_count(volunteer: Volunteer, *, now: datetime | None = None) -> int:
    """Approved sign-ups of shifts that have not ended yet (in progress or to come)."""
    now = now or timezone.now()
    return SignUp.objects.filter(
        volunteer=volunteer, status=SignUp.Status.APPROVED, shift__ends_at__gt=now, shift__cancelled=False,
    ).count()


def hours_summary(volunteer: Volunteer, *, now: datetime | None = None) -> HoursSummary:
    """Total and yearly confirmed minutes, pending confirmations, upcoming shifts. Four queries."""
    years = _year_totals(volunteer, _corrections(volunteer))
    return HoursSummary(
        total_minutes=sum(y.minutes for y in years),
        years=years,
        pending_confirmations=pending_confirmations(volunteer, now=now).count(),
        upcoming_shifts=upcoming_shift_count(volunteer, now=now),
    )


# --- records -----------------------------------------------------------------------------------


def service_entries(volunteer: Volunteer, *, year: int | None = None):
    """The volunteer's service entries (not the corrections), newest first; page it, then call
    `with_corrections`."""
    qs = LedgerEntry.objects.filter(volunteer=volunteer, corrects__isnull=True)
    if year is not None:
        qs = qs.filter(service_date__year=year)
    return qs.order_by("-service_date", "-started_at", "-id")


def with_corrections(entries: Iterable[LedgerEntry], corrections: list[LedgerEntry]) -> list[ServiceRecord]:
    """Attach each correction to the service entry at the root of its chain (no query)."""
    records = [ServiceRecord(entry=e) for e in entries]
    by_root = {r.entry.pk: r for r in records}
    roots = _roots(corrections)
    for correction in corrections:
        root_id, _date = roots[correction.pk]
        if root_id in by_root:
            by_root[root_id].corrections.append(correction)
    return records


def ratings_received(volunteer: Volunteer):
    return (
        ServiceRating.objects.filter(volunteer=volunteer)
        .select_related("signup__shift__activity", "signup__slot__position")
        .order_by("-rated_at", "-id")
    )


def rating_summary(volunteer: Volunteer) -> RatingSummary:
    row = ServiceRating.objects.filter(volunteer=volunteer).aggregate(n=Count("id"), total=Sum("stars"))
    if not row["n"]:
        return RatingSummary(count=0, average=None)
    average = (Decimal(row["total"]) / Decimal(row["n"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return RatingSummary(count=row["n"], average=average)


def archive_for(
    volunteer: Volunteer, *, now: datetime | None = None, entries: Iterable[LedgerEntry] | None = None,
    ratings_limit: int = 50,
) -> Archive:
    """Everything the archive page shows. `entries` is a page of `service_entries(volunteer)`
    (all of them when omitted). A fixed number of queries (eight with a paginated page)."""
    now = now or timezone.now()
    corrections = _corrections(volunteer)
    years = _year_totals(volunteer, corrections)
    pending = list(pending_confirmations(volunteer, now=now))
    summary = HoursSummary(
        total_minutes=sum(y.minutes for y in years), years=years,
        pending_confirmations=len(pending), upcoming_shifts=upcoming_shift_count(volunteer, now=now),
    )
    if entries is None:
        entries = service_entries(volunteer)
    return Archive(
        volunteer=volunteer, summary=summary, records=with_corrections(entries, corrections),
        pending=pending, ratings=list(ratings_received(volunteer)[:ratings_limit]),
        rating_summary=rating_summary(volunteer),
    )


def ledger_rows(volunteer: Volunteer) -> list[LedgerEntry]:
    """Every ledger entry of the volunteer (services and corrections), in the order served. One query."""
    return list(
        LedgerEntry.objects.filter(volunteer=volunteer)
        .order_by("service_date", F("started_at").asc(nulls_last=True), "id")
    )


# --- the volunteer's "download everything" export -----------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_section(volunteer: Volunteer) -> dict:
    """The archive's part of GET /api/v1/me/export (volunteers.services.EXPORT_SECTIONS)."""
    corrections = _corrections(volunteer)
    years = _year_totals(volunteer, corrections)
    return {
        "total_minutes": sum(y.minutes for y in years),
        "years": [{"year": y.year, "minutes": y.minutes} for y in years],
        "service_records": [
            {
                "id": e.pk,
                "service_date": _iso(e.service_date),
                "started_at": _iso(e.started_at),
                "ended_at": _iso(e.ended_at),
                "activity": e.activity_title,
                "organization": e.organization_name,
                "position": e.position_name,
                "minutes": e.minutes,
                "kind": e.kind,
                "source": e.source,
                "corrects": e.corrects_id,
                "reason": e.reason,
                "recorded_at": _iso(e.recorded_at),
            }
            for e in ledger_rows(volunteer)
        ],
        "ratings_received": [
            {
                "activity": r.signup.shift.activity.title,
                "shift_start": _iso(r.signup.shift.starts_at),
                "position": r.signup.slot.position.name,
                "stars": r.stars,
                "comment": r.comment,
                "rated_at": _iso(r.rated_at),
            }
            for r in ratings_received(volunteer)
        ],
    }
