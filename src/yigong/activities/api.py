"""API v1: activities, shifts and sign-ups. Errors follow config/api.py ({"error": {...}})."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

try:  # django-ninja ≥ 1.5 wants Status(...) instead of a (status, body) tuple
    from ninja import Status
except ImportError:  # pragma: no cover - older django-ninja
    def Status(status, body):  # noqa: N802
        return status, body

from yigong.activities import selectors, services
from yigong.activities.eligibility import local_zone
from yigong.activities.models import Activity, Position, Shift, ShiftSlot, SignUp
from yigong.config.api import AUTH
from yigong.core.errors import NotFound, ValidationFailed
from yigong.core.schemas import ErrorOut
from yigong.organizations import permissions as org_permissions
from yigong.organizations.models import Organization
from yigong.projects.models import Project
from yigong.regions.models import Region
from yigong.volunteers.api import current_volunteer

router = Router(tags=["activities"])


def _anonymous(request):
    return True


OPTIONAL_AUTH = [*AUTH, _anonymous]
NO_SKILLS = Query([])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment, local_zone()) if moment else None


def _signed_in(request):
    if not getattr(request.user, "is_authenticated", False):
        raise AuthenticationError()
    return request.user


# ---------------------------------------------------------------- schemas

class RegionOut(Schema):
    code: str
    name: str


class ActivityListItem(Schema):
    id: int
    title: str
    category: str
    organization: str
    place: str
    region: RegionOut | None
    next_start: datetime | None
    places_left: int
    recruitment: str
    insurance_required: bool


class ActivityPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ActivityListItem]


class PositionOut(Schema):
    id: int
    name: str
    description: str
    required_skills: list[str]
    required_languages: list[str]
    required_training: list[str]
    min_age: int | None
    max_age: int | None
    min_stars: int
    high_risk: bool


class SlotOut(Schema):
    position_id: int
    position: str
    places: int
    places_left: int


class ShiftOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    series: str
    note: str
    cancelled: bool
    slots: list[SlotOut]


class ActivityDetail(Schema):
    id: int
    project_id: int
    title: str
    description: str
    category: str
    status: str
    organization: str
    organization_id: int
    place: str
    address: str
    latitude: float | None
    longitude: float | None
    region: RegionOut | None
    risk_level: str
    recruitment: str
    teams: list[int]
    signup_deadline: datetime | None
    cancel_deadline_hours: int
    insurance_required: bool
    auto_approve: bool
    waitlist_enabled: bool
    positions: list[PositionOut]
    shifts: list[ShiftOut]


class ActivityIn(Schema):
    project_id: int
    organization_id: int
    title: str
    place: str
    description: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    region: str | None = Field(None, description="community or street region code")
    risk_level: str | None = None
    recruitment: str = "open"
    invitation_code: str = ""
    teams: list[int] = []
    signup_deadline: datetime | None = None
    cancel_deadline_hours: int = 12
    insurance_required: bool = False
    auto_approve: bool = True
    waitlist_enabled: bool = True
    contact_name: str = ""
    contact_phone: str = ""


class ActivityPatch(Schema):
    title: str | None = None
    place: str | None = None
    description: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    region: str | None = None
    risk_level: str | None = None
    recruitment: str | None = None
    invitation_code: str | None = None
    teams: list[int] | None = None
    signup_deadline: datetime | None = None
    cancel_deadline_hours: int | None = None
    insurance_required: bool | None = None
    auto_approve: bool | None = None
    waitlist_enabled: bool | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    status: str | None = Field(None, description="'published' publishes a draft")


class PositionIn(Schema):
    name: str
    description: str = ""
    required_skills: list[str] = []
    required_languages: list[str] = []
    required_training: list[str] = []
    min_age: int | None = None
    max_age: int | None = None
    min_stars: int = 0
    high_risk: bool = False


class RepeatIn(Schema):
    frequency: str = Field("weekly", description="daily or weekly")
    first_day: date
    last_day: date
    weekdays: list[int] = Field([], description="0 = Monday … 6 = Sunday")
    start_time: time = Field(..., description="local time, Asia/Shanghai")
    end_time: time


class ShiftIn(Schema):
    places: dict[str, int] = Field(..., description="position id → places")
    starts_at: datetime | None = Field(None, description="one shift; naive times are Asia/Shanghai")
    ends_at: datetime | None = None
    repeat: RepeatIn | None = Field(None, description="repeating shifts, instead of starts_at/ends_at")
    note: str = ""


class ShiftsCreated(Schema):
    series: str
    count: int
    shifts: list[ShiftOut]


class SignUpIn(Schema):
    position_id: int
    invitation_code: str = ""


class SignUpOut(Schema):
    id: int
    status: str
    status_label: str
    activity_id: int
    activity: str
    shift_id: int
    position_id: int
    position: str
    starts_at: datetime
    ends_at: datetime
    cancel_until: datetime


class ReasonIn(Schema):
    reason: str = ""


# ---------------------------------------------------------------- serializers

def _region(r: Region | None):
    return {"code": r.code, "name": r.name} if r is not None else None


def _shift_out(shift: Shift) -> dict:
    return {
        "id": shift.pk, "starts_at": _local(shift.starts_at), "ends_at": _local(shift.ends_at),
        "series": shift.series, "note": shift.note, "cancelled": shift.cancelled,
        "slots": [{"position_id": s.position_id, "position": s.position.name, "places": s.places,
                   "places_left": 0 if shift.cancelled else s.places_left} for s in shift.slots.all()],
    }


def _position_out(p: Position) -> dict:
    return {name: getattr(p, name) for name in PositionOut.model_fields}


def _activity_out(activity: Activity) -> dict:
    return {
        "id": activity.pk, "project_id": activity.project_id, "title": activity.title,
        "description": activity.description, "category": activity.category, "status": activity.status,
        "organization": activity.organization.name, "organization_id": activity.organization_id,
        "place": activity.place, "address": activity.address,
        "latitude": float(activity.latitude) if activity.latitude is not None else None,
        "longitude": float(activity.longitude) if activity.longitude is not None else None,
        "region": _region(activity.region), "risk_level": activity.risk_level,
        "recruitment": activity.recruitment, "teams": [t.pk for t in activity.teams.all()],
        "signup_deadline": _local(activity.signup_deadline),
        "cancel_deadline_hours": activity.cancel_deadline_hours,
        "insurance_required": activity.insurance_required, "auto_approve": activity.auto_approve,
        "waitlist_enabled": activity.waitlist_enabled,
        "positions": [_position_out(p) for p in activity.positions.all()],
        "shifts": [_shift_out(s) for s in activity.shift_list],
    }


def _signup_out(s: SignUp) -> dict:
    return {
        "id": s.pk, "status": s.status, "status_label": str(s.get_status_display()),
        "activity_id": s.shift.activity_id, "activity": s.shift.activity.title, "shift_id": s.shift_id,
        "position_id": s.slot.position_id, "position": s.slot.position.name,
        "starts_at": _local(s.starts_at), "ends_at": _local(s.ends_at),
        "cancel_until": _local(services.cancel_deadline(s.shift)),
    }


def _reload_signup(pk: int) -> SignUp:
    return SignUp.objects.select_related("shift__activity", "slot__position").get(pk=pk)


def _region_by_code(code: str | None, field: str):
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationFailed(fields={field: [_("Unknown region code.")]})
    return region


def _teams(ids: list[int]) -> list[Organization]:
    teams = list(Organization.objects.filter(pk__in=ids, kind=Organization.Kind.TEAM))
    if len(teams) != len(set(ids)):
        raise ValidationFailed(fields={"teams": [_("Some of these teams do not exist.")]})
    return teams


def _managed_activity(request, pk: int) -> Activity:
    """The activity, if the caller runs it; 404 otherwise (no hint that it exists)."""
    activity = get_object_or_404(Activity.objects.select_related("organization"), pk=pk)
    if not org_permissions.can_manage(request.user, activity.organization):
        raise NotFound()
    return activity


def _detail(pk: int) -> dict:
    return _activity_out(selectors.activity_detail(pk))


# ---------------------------------------------------------------- activities

@router.get("/activities", response={200: ActivityPage, 400: ErrorOut}, auth=None)
def list_activities(request, street: str = "", community: str = "", category: str = "",
                    date_from: date | None = None, date_to: date | None = None,
                    skills: list[str] = NO_SKILLS, open_only: bool = False, q: str = "",
                    page: int = 1, page_size: int = 20):
    """Published activities with shifts to come. Filters: street (region code), category, date range
    (local dates), skills a position uses, open places only. Paginated (page, page_size ≤ 100)."""
    if page < 1 or not 1 <= page_size <= 100:
        raise ValidationFailed(fields={"page": [_("Pages start at 1 and hold 1 to 100 items.")]})
    qs = selectors.find_activities(street=street, community=community, category=category, date_from=date_from,
                                   date_to=date_to, skills=skills, open_only=open_only, q=q)
    count = qs.count()
    rows = qs[(page - 1) * page_size: page * page_size]
    return {
        "count": count, "page": page, "page_size": page_size,
        "items": [{"id": a.pk, "title": a.title, "category": a.category, "organization": a.organization.name,
                   "place": a.place, "region": _region(a.region), "next_start": _local(a.next_start),
                   "places_left": max(0, a.places_left or 0), "recruitment": a.recruitment,
                   "insurance_required": a.insurance_required} for a in rows],
    }


@router.get("/activities/{activity_id}", response={200: ActivityDetail, 404: ErrorOut}, auth=OPTIONAL_AUTH)
def get_activity(request, activity_id: int):
    """An activity with its positions and coming shifts (places left per position)."""
    if selectors.visible_activity(request.user, activity_id) is None:
        raise NotFound()
    return _detail(activity_id)


@router.post("/activities", response={201: ActivityDetail, **ERRORS}, auth=AUTH)
def create_activity(request, payload: ActivityIn):
    """Organizer: a draft activity of an approved or running project."""
    user = _signed_in(request)
    project = Project.objects.filter(pk=payload.project_id).first()
    organization = Organization.objects.filter(pk=payload.organization_id).first()
    if project is None or organization is None:
        raise NotFound()
    data = payload.dict(exclude={"project_id", "organization_id", "teams", "region"})
    if data["risk_level"] is None:
        data.pop("risk_level")
    activity = services.create_activity(
        actor=user, project=project, organization=organization, teams=_teams(payload.teams),
        region=_region_by_code(payload.region, "region") or organization.region, **data)
    return Status(201, _detail(activity.pk))


@router.patch("/activities/{activity_id}", response={200: ActivityDetail, **ERRORS}, auth=AUTH)
def update_activity(request, activity_id: int, payload: ActivityPatch):
    """Organizer: change fields (only those sent); `status: "published"` publishes a draft."""
    user = _signed_in(request)
    activity = _managed_activity(request, activity_id)
    sent = payload.dict(exclude_unset=True)
    status = sent.pop("status", None)
    teams = _teams(sent.pop("teams")) if "teams" in sent else None
    if "region" in sent:
        sent["region"] = _region_by_code(sent["region"], "region")
    if sent or teams is not None:
        services.update_activity(actor=user, activity=activity, teams=teams, **sent)
    if status is not None:
        if status != Activity.Status.PUBLISHED:
            raise ValidationFailed(fields={"status": [_("Only “published” can be set here; cancel with "
                                                        "POST …/cancel.")]})
        services.publish_activity(actor=user, activity=activity)
    return _detail(activity.pk)


@router.post("/activities/{activity_id}/cancel", response={200: ActivityDetail, **ERRORS}, auth=AUTH)
def cancel_activity(request, activity_id: int, payload: ReasonIn):
    user = _signed_in(request)
    activity = _managed_activity(request, activity_id)
    services.cancel_activity(actor=user, activity=activity, reason=payload.reason)
    return _detail(activity.pk)


@router.post("/activities/{activity_id}/positions", response={201: PositionOut, **ERRORS}, auth=AUTH)
def add_position(request, activity_id: int, payload: PositionIn):
    user = _signed_in(request)
    activity = _managed_activity(request, activity_id)
    data = payload.dict()
    position = services.add_position(actor=user, activity=activity, **data)
    return Status(201, _position_out(position))


@router.post("/activities/{activity_id}/shifts", response={201: ShiftsCreated, **ERRORS}, auth=AUTH)
def add_shifts(request, activity_id: int, payload: ShiftIn):
    """Organizer: one shift (starts_at, ends_at) or repeating shifts (repeat), with places per position."""
    user = _signed_in(request)
    activity = _managed_activity(request, activity_id)
    if payload.repeat is not None:
        r = payload.repeat
        shifts = services.add_shift_series(
            actor=user, activity=activity, first_day=r.first_day, last_day=r.last_day, start_time=r.start_time,
            end_time=r.end_time, frequency=r.frequency, weekdays=r.weekdays, places=payload.places,
            note=payload.note)
    else:
        if payload.starts_at is None or payload.ends_at is None:
            missing = _("This field is required.")
            raise ValidationFailed(fields={k: [missing] for k in ("starts_at", "ends_at")
                                           if getattr(payload, k) is None})
        shifts = [services.add_shift(actor=user, activity=activity, starts_at=payload.starts_at,
                                     ends_at=payload.ends_at, places=payload.places, note=payload.note)]
    loaded = Shift.objects.filter(pk__in=[s.pk for s in shifts]).prefetch_related(
        Prefetch("slots", queryset=ShiftSlot.objects.select_related("position"))).order_by("starts_at")
    return Status(201, {"series": shifts[0].series, "count": len(shifts), "shifts": [_shift_out(s) for s in loaded]})


@router.post("/shifts/{shift_id}/cancel", response={200: ShiftOut, **ERRORS}, auth=AUTH)
def cancel_shift(request, shift_id: int, payload: ReasonIn):
    """Organizer: cancel a shift; its volunteers are notified."""
    user = _signed_in(request)
    shift = get_object_or_404(Shift.objects.select_related("activity__organization"), pk=shift_id)
    if not org_permissions.can_manage(user, shift.activity.organization):
        raise NotFound()
    services.cancel_shift(actor=user, shift=shift, reason=payload.reason)
    return _shift_out(Shift.objects.prefetch_related(
        Prefetch("slots", queryset=ShiftSlot.objects.select_related("position"))).get(pk=shift_id))


# ---------------------------------------------------------------- sign-ups

@router.post("/shifts/{shift_id}/signups", response={201: SignUpOut, **ERRORS}, auth=AUTH)
def sign_up(request, shift_id: int, payload: SignUpIn):
    """Sign the caller up for a position of a shift. 201 with status approved, pending or waitlisted;
    409 shift_full / overlapping_shift / already_signed_up; 403 with the reason code when not eligible."""
    volunteer = current_volunteer(request)
    slot = ShiftSlot.objects.filter(shift_id=shift_id, position_id=payload.position_id).first()
    if slot is None or selectors.visible_activity(request.user, slot.shift.activity_id) is None:
        raise NotFound()
    signup = services.sign_up(actor=request.user, volunteer=volunteer, slot=slot,
                              invitation_code=payload.invitation_code)
    return Status(201, _signup_out(_reload_signup(signup.pk)))


def _own_signup(request, signup_id: int) -> SignUp:
    volunteer = current_volunteer(request)
    return get_object_or_404(SignUp, pk=signup_id, volunteer=volunteer)


def _reviewable_signup(request, signup_id: int) -> SignUp:
    _signed_in(request)
    signup = get_object_or_404(SignUp.objects.select_related("shift__activity__organization"), pk=signup_id)
    if not org_permissions.can_manage(request.user, signup.shift.activity.organization):
        raise NotFound()
    return signup


@router.post("/signups/{signup_id}/cancel", response={200: SignUpOut, **ERRORS}, auth=AUTH)
def cancel_sign_up(request, signup_id: int):
    """The volunteer cancels before the activity's deadline (409 cancel_deadline_passed after it)."""
    signup = _own_signup(request, signup_id)
    services.cancel_sign_up(actor=request.user, signup=signup)
    return _signup_out(_reload_signup(signup.pk))


@router.post("/signups/{signup_id}/approve", response={200: SignUpOut, **ERRORS}, auth=AUTH)
def approve_sign_up(request, signup_id: int):
    """Organizer: approve a pending sign-up (beyond the places it goes to the waiting list)."""
    signup = _reviewable_signup(request, signup_id)
    services.approve_sign_up(actor=request.user, signup=signup)
    return _signup_out(_reload_signup(signup.pk))


@router.post("/signups/{signup_id}/reject", response={200: SignUpOut, **ERRORS}, auth=AUTH)
def reject_sign_up(request, signup_id: int, payload: ReasonIn):
    signup = _reviewable_signup(request, signup_id)
    services.reject_sign_up(actor=request.user, signup=signup, reason=payload.reason)
    return _signup_out(_reload_signup(signup.pk))


@router.post("/signups/{signup_id}/no-show", response={200: SignUpOut, **ERRORS}, auth=AUTH)
def mark_no_show(request, signup_id: int):
    signup = _reviewable_signup(request, signup_id)
    services.mark_no_show(actor=request.user, signup=signup)
    return _signup_out(_reload_signup(signup.pk))


@router.get("/me/signups", response={200: list[SignUpOut], 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def my_signups(request, past: bool = False):
    """The caller's sign-ups: coming (default) or past."""
    volunteer = current_volunteer(request)
    return [_signup_out(s) for s in selectors.my_signups(volunteer, past=past)[:500]]
