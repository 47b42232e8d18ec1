"""Reads on activities, shifts and sign-ups. Every list here is N+1-free."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from yigong.activities.eligibility import local_zone
from yigong.activities.models import Activity, Position, Shift, ShiftSlot, SignUp
from yigong.organizations import permissions as org_permissions


def find_activities(*, now: datetime | None = None, q: str = "", street: str = "", community: str = "",
                    category: str = "", date_from: date | None = None, date_to: date | None = None,
                    skills: list[str] | None = None, open_only: bool = False, volunteer=None,
                    organization=None) -> QuerySet[Activity]:
    """Published activities with shifts still to come, annotated with `next_start` and
    `places_left` (over upcoming shifts). With a `volunteer`, ordered near-my-community first:
    the same community, then the same street, then the rest; otherwise by the next shift."""
    now = now or timezone.now()
    zone = local_zone()
    window = {"cancelled": False, "starts_at__gt": now}
    if date_from:
        window["starts_at__gte"] = datetime.combine(date_from, time.min, tzinfo=zone)
    if date_to:
        window["starts_at__lt"] = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    shifts = Shift.objects.filter(activity=OuterRef("pk"), **window)
    slot_window = {f"shift__{k}": v for k, v in window.items()}
    slots = ShiftSlot.objects.filter(shift__activity=OuterRef("pk"), **slot_window)
    slots_left = slots.values("shift__activity").annotate(left=Sum(F("places") - F("approved"))).values("left")
    qs = (
        Activity.objects.filter(status=Activity.Status.PUBLISHED)
        .filter(Exists(shifts))
        .select_related("organization", "region", "project")
        .annotate(
            next_start=Subquery(shifts.order_by("starts_at").values("starts_at")[:1]),
            places_left=Coalesce(Subquery(slots_left), Value(0)),
        )
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q) | Q(organization__name__icontains=q))
    if street:
        qs = qs.filter(region__path__contains=f"{street}/")
    if community:
        qs = qs.filter(region__code=community)
    if category:
        qs = qs.filter(category=category)
    if organization is not None:
        qs = qs.filter(organization=organization)
    for skill in skills or []:
        qs = qs.filter(Exists(Position.objects.filter(activity=OuterRef("pk"),
                                                      required_skills__icontains=f'"{skill}"')))
    if open_only:
        qs = qs.filter(Exists(slots.filter(approved__lt=F("places"))))
    order = ["next_start", "pk"]
    home = getattr(volunteer, "home_community", None) if volunteer is not None else None
    if home is not None:
        street_path = home.parent.path if home.parent_id else home.path
        qs = qs.annotate(nearness=Case(
            When(region_id=home.pk, then=Value(0)),
            When(region__path__startswith=street_path, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        ))
        order = ["nearness", *order]
    return qs.order_by(*order)


def _slots() -> Prefetch:
    return Prefetch("slots", queryset=ShiftSlot.objects.select_related("position").order_by("position_id"))


def activity_detail(pk: int, *, now: datetime | None = None, include_past: bool = False, limit: int = 200):
    """An activity with its positions, teams and shifts (each with its slots and positions)."""
    now = now or timezone.now()
    shifts = Shift.objects.order_by("starts_at", "pk").prefetch_related(_slots())
    if not include_past:
        shifts = shifts.filter(ends_at__gt=now)
    activity = (
        Activity.objects.select_related("organization", "region", "project", "project__owner")
        .prefetch_related("positions", "teams")
        .get(pk=pk)
    )
    activity.shift_list = list(shifts.filter(activity=activity)[:limit])
    return activity


def visible_activity(user, pk: int) -> Activity | None:
    """A published (or over) activity for anyone; a draft or cancelled one only for its staff."""
    activity = Activity.objects.select_related("organization").filter(pk=pk).first()
    if activity is None:
        return None
    if activity.status in (Activity.Status.PUBLISHED, Activity.Status.FINISHED):
        return activity
    if org_permissions.can_manage(user, activity.organization):
        return activity
    return None


def managed_activities(user) -> QuerySet[Activity]:
    """Activities run by organizations in the user's subtrees, with counts for the console."""
    orgs = org_permissions.managed_organizations(user)
    pending = SignUp.objects.filter(shift__activity=OuterRef("pk"), status=SignUp.Status.PENDING)
    return (
        Activity.objects.filter(organization__in=orgs)
        .select_related("organization", "project")
        .annotate(has_pending=Exists(pending))
        .order_by("-updated_at", "-pk")
    )


def pending_signups(user, *, activity: Activity | None = None) -> QuerySet[SignUp]:
    """Sign-ups awaiting review (and waiting lists) in activities the user's subtrees run."""
    orgs = org_permissions.managed_organizations(user)
    qs = (
        SignUp.objects.filter(shift__activity__organization__in=orgs,
                              status__in=[SignUp.Status.PENDING, SignUp.Status.WAITLISTED],
                              shift__cancelled=False)
        .select_related("volunteer", "slot__position", "shift__activity")
        .order_by("shift__starts_at", "status", "waitlisted_at", "pk")
    )
    if activity is not None:
        qs = qs.filter(shift__activity=activity)
    return qs


def my_signups(volunteer, *, now: datetime | None = None, past: bool = False) -> QuerySet[SignUp]:
    """A volunteer's sign-ups: upcoming (not yet ended) or past, with shift, position and activity."""
    now = now or timezone.now()
    qs = SignUp.objects.filter(volunteer=volunteer).select_related(
        "shift__activity__organization", "slot__position")
    if past:
        return qs.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return qs.filter(ends_at__gt=now).order_by("starts_at", "pk")


def shift_roster(shift: Shift) -> QuerySet[SignUp]:
    """Everyone signed up for a shift (for the organizer's shift board)."""
    return (SignUp.objects.filter(shift=shift).select_related("volunteer", "slot__position")
            .order_by("slot__position_id", "status", "waitlisted_at", "pk"))
