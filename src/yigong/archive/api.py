"""API v1: the signed-in volunteer's confirmed hours and personal archive (mounted under /me)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from yigong.archive import selectors
from yigong.config.api import AUTH
from yigong.core.schemas import ErrorOut
from yigong.volunteers.api import current_volunteer

router = Router(tags=["archive"])


class YearHoursOut(Schema):
    year: int
    minutes: int = Field(description="confirmed minutes served in that year, corrections included")
    hours: str = Field(description="the same as hours:minutes, e.g. '12:30'")
    services: int


class HoursOut(Schema):
    total_minutes: int
    total_hours: str = Field(description="hours:minutes, e.g. '125:45'")
    years: list[YearHoursOut] = Field(description="newest year first")
    pending_confirmations: int = Field(description="approved sign-ups of past shifts not yet confirmed")
    upcoming_shifts: int


class CorrectionOut(Schema):
    id: int
    minutes: int = Field(description="the change, negative when hours were taken away")
    reason: str
    recorded_at: datetime


class ArchiveEntryOut(Schema):
    id: int
    service_date: date
    started_at: datetime | None
    ended_at: datetime | None
    activity_id: int | None
    activity_title: str
    organization_id: int
    organization_name: str = Field(description="the recording organization, which certifies the record")
    position_name: str
    minutes: int = Field(description="as first recorded")
    effective_minutes: int = Field(description="after the corrections")
    source: str
    recorded_at: datetime
    corrections: list[CorrectionOut]


class RatingOut(Schema):
    activity_title: str
    position_name: str
    shift_start: datetime
    stars: int
    comment: str
    rated_at: datetime


class ArchiveOut(Schema):
    count: int = Field(description="service records in total (the pages of `entries`)")
    limit: int
    offset: int
    total_minutes: int
    total_hours: str
    years: list[YearHoursOut]
    pending_confirmations: int
    upcoming_shifts: int
    ratings_count: int
    ratings_average: str | None = Field(description="one decimal, e.g. '4.5'")
    ratings: list[RatingOut] = Field(description="the 50 most recent")
    entries: list[ArchiveEntryOut] = Field(description="service records, newest first")


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


def _years(summary: selectors.HoursSummary) -> list[dict]:
    return [{"year": y.year, "minutes": y.minutes, "hours": y.hours, "services": y.services}
            for y in summary.years]


@router.get("/hours", response={200: HoursOut, 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def my_hours(request):
    """Confirmed service time of the signed-in volunteer: total, per year, pending confirmations."""
    summary = selectors.hours_summary(current_volunteer(request))
    return {
        "total_minutes": summary.total_minutes, "total_hours": summary.total_hours,
        "years": _years(summary), "pending_confirmations": summary.pending_confirmations,
        "upcoming_shifts": summary.upcoming_shifts,
    }


@router.get("/archive", response={200: ArchiveOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def my_archive(request, page: Query[PageIn]):
    """The signed-in volunteer's personal archive: service records (paged), totals, ratings."""
    volunteer = current_volunteer(request)
    entries = selectors.service_entries(volunteer)
    count = entries.count()
    archive = selectors.archive_for(volunteer, entries=entries[page.offset: page.offset + page.limit])
    summary = archive.summary
    return {
        "count": count, "limit": page.limit, "offset": page.offset,
        "total_minutes": summary.total_minutes, "total_hours": summary.total_hours,
        "years": _years(summary), "pending_confirmations": summary.pending_confirmations,
        "upcoming_shifts": summary.upcoming_shifts,
        "ratings_count": archive.rating_summary.count,
        "ratings_average": str(archive.rating_summary.average) if archive.rating_summary.average else None,
        "ratings": [
            {"activity_title": r.signup.shift.activity.title, "position_name": r.signup.slot.position.name,
             "shift_start": r.signup.shift.starts_at, "stars": r.stars, "comment": r.comment,
             "rated_at": r.rated_at}
            for r in archive.ratings
        ],
        "entries": [
            {
                "id": r.entry.pk, "service_date": r.entry.service_date, "started_at": r.entry.started_at,
                "ended_at": r.entry.ended_at, "activity_id": r.entry.activity_id,
                "activity_title": r.entry.activity_title, "organization_id": r.entry.organization_id,
                "organization_name": r.entry.organization_name, "position_name": r.entry.position_name,
                "minutes": r.entry.minutes, "effective_minutes": r.effective_minutes,
                "source": r.entry.source, "recorded_at": r.entry.recorded_at,
                "corrections": [
                    {"id": c.pk, "minutes": c.minutes, "reason": c.reason, "recorded_at": c.recorded_at}
                    for c in r.corrections
                ],
            }
            for r in archive.records
        ],
    }

