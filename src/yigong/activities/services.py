"""Writes on activities, positions, shifts and sign-ups (R8, R15).

Capacity rule: `ShiftSlot.approved` counts the approved sign-ups of a slot. It changes only inside
a transaction that holds the slot row (select_for_update), so a shift is never overbooked; the
volunteer row is locked first, so one volunteer's parallel sign-ups cannot overlap. Lock order is
always volunteer → slot → sign-up.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yigong.activities import eligibility
from yigong.activities.eligibility import local_zone, refusal
from yigong.activities.models import Activity, InsuranceCover, Position, Shift, ShiftSlot, SignUp
from yigong.core import audit
from yigong.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from yigong.organizations import permissions as org_permissions
from yigong.organizations.models import Organization
from yigong.projects.models import Project, RiskLevel
from yigong.volunteers.models import Language, Skill, Volunteer

MAX_SERIES_SHIFTS = 200
MAX_SERIES_DAYS = 366
ACTIVITY_PROJECT_STATES = (Project.State.APPROVED, Project.State.ACTIVE)


# ---------------------------------------------------------------- helpers

def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_manager(actor, activity: Activity) -> None:
    if not org_permissions.can_manage(actor, activity.organization):
        raise NotAllowed(_("Only staff of the organizing organization can do this."))


def _notify_volunteer(volunteer: Volunteer, *, kind: str, title, body, signup: SignUp | None = None,
                      key: str = "") -> None:
    """Send a message in the volunteer's own language (title/body are lazy translations)."""
    from yigong.notifications.services import notify

    user = volunteer.user
    if user is None:
        return
    from django.urls import reverse

    with translation.override(user.preferred_language or None):
        url = reverse("activities:my-shifts")
        notify(user=user, kind=kind, title=str(title), body=str(body), url=url, key=key)


def _shift_words(signup_or_shift) -> dict:
    shift = signup_or_shift.shift if isinstance(signup_or_shift, SignUp) else signup_or_shift
    start = timezone.localtime(shift.starts_at, local_zone())
    return {"activity": shift.activity.title,
            "when": formats.date_format(start, "SHORT_DATETIME_FORMAT")}


class _Lazy:
    """A message rendered when str() is called, i.e. inside the recipient's language (dates too)."""

    def __init__(self, text: str, shift, **params):
        self.text, self.shift, self.params = text, shift, params

    def __str__(self) -> str:
        return _(self.text) % {**_shift_words(self.shift), **self.params}


def _notify_status(signup: SignUp, status: str) -> None:
    from yigong.notifications.models import Notification

    words = {"shift": signup.shift}
    kinds = {
        SignUp.Status.APPROVED: (Notification.Kind.SIGNUP_APPROVED,
                                 _Lazy(gettext_noop("Sign-up approved: %(activity)s"), **words),
                                 _Lazy(gettext_noop("You are expected at %(when)s. Thank you for volunteering!"), **words)),
        SignUp.Status.WAITLISTED: (Notification.Kind.SIGNUP_WAITLISTED,
                                   _Lazy(gettext_noop("On the waiting list: %(activity)s"), **words),
                                   _Lazy(gettext_noop("The shift at %(when)s is full. You will be told if a place frees up."), **words)),
        SignUp.Status.PENDING: (Notification.Kind.GENERAL,
                                _Lazy(gettext_noop("Sign-up received: %(activity)s"), **words),
                                _Lazy(gettext_noop("The organizer will review your sign-up for %(when)s."), **words)),
        SignUp.Status.REJECTED: (Notification.Kind.SIGNUP_REJECTED,
                                 _Lazy(gettext_noop("Sign-up not accepted: %(activity)s"), **words),
                                 _Lazy(gettext_noop("Your sign-up for %(when)s was not accepted."), **words)),
        "promoted": (Notification.Kind.SIGNUP_PROMOTED,
                     _Lazy(gettext_noop("A place is yours: %(activity)s"), **words),
                     _Lazy(gettext_noop("You moved up from the waiting list for %(when)s."), **words)),
        "promoted_review": (Notification.Kind.SIGNUP_PROMOTED,
                            _Lazy(gettext_noop("Moved up from the waiting list: %(activity)s"), **words),
                            _Lazy(gettext_noop("A place freed up for %(when)s; the organizer will review your sign-up."), **words)),
    }
    kind, title, body = kinds[status]
    if status == SignUp.Status.REJECTED and signup.reason:
        body = _Lazy(gettext_noop("Your sign-up for %(when)s was not accepted. Reason: %(reason)s"), reason=signup.reason, **words)
    _notify_volunteer(signup.volunteer, kind=kind, title=title, body=body,
                      key=f"signup:{signup.pk}:{status}:{int(timezone.now().timestamp())}")


# ---------------------------------------------------------------- activities

def _clean_activity(data: dict, errors: dict) -> dict:
    out: dict = {}
    for name, limit, required in (("title", 120, True), ("place", 120, True), ("address", 200, False),
                                  ("description", 5000, False), ("contact_name", 60, False),
                                  ("contact_phone", 32, False), ("invitation_code", 32, False)):
        if name not in data:
            continue
        value = (data[name] or "").strip()
        if required and not value:
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
        out[name] = value
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if name in data:
            value = data[name]
            if value in (None, ""):
                out[name] = None
                continue
            try:
                number = Decimal(str(value)).quantize(Decimal("0.000001"))
                if not low <= number <= high:
                    raise InvalidOperation
                out[name] = number
            except (InvalidOperation, ValueError):
                errors[name] = [_("Enter a coordinate between %(low)d and %(high)d.") % {"low": low, "high": high}]
    if "risk_level" in data:
        if data["risk_level"] not in RiskLevel.values:
            errors["risk_level"] = [_("Choose a risk level.")]
        out["risk_level"] = data["risk_level"]
    if "recruitment" in data:
        if data["recruitment"] not in Activity.Recruitment.values:
            errors["recruitment"] = [_("Choose how volunteers are recruited.")]
        out["recruitment"] = data["recruitment"]
    if "signup_deadline" in data:
        value = data["signup_deadline"]
        if value is not None and not isinstance(value, datetime):
            errors["signup_deadline"] = [_("Enter a date and time.")]
        elif value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, local_zone())
        out["signup_deadline"] = value
    if "cancel_deadline_hours" in data:
        try:
            hours = int(data["cancel_deadline_hours"])
            if not 0 <= hours <= 720:
                raise ValueError
            out["cancel_deadline_hours"] = hours
        except (TypeError, ValueError):
            errors["cancel_deadline_hours"] = [_("Enter a number of hours from 0 to 720.")]
    for name in ("insurance_required", "auto_approve", "waitlist_enabled"):
        if name in data:
            out[name] = bool(data[name])
    if "region" in data:
        out["region"] = data["region"]
    return out


def _check_recruitment(activity_fields: dict, teams, errors: dict) -> None:
    mode = activity_fields.get("recruitment")
    if mode == Activity.Recruitment.INVITATION and not activity_fields.get("invitation_code"):
        errors["invitation_code"] = [_("Set the invitation code volunteers must enter.")]
    if mode == Activity.Recruitment.TEAMS and not teams:
        errors["teams"] = [_("Name at least one team whose members may sign up.")]


ACTIVITY_FIELDS = ("title", "place", "address", "description", "contact_name", "contact_phone",
                   "invitation_code", "latitude", "longitude", "risk_level", "recruitment",
                   "signup_deadline", "cancel_deadline_hours", "insurance_required", "auto_approve",
                   "waitlist_enabled", "region")


@transaction.atomic
def create_activity(*, actor, project: Project, organization: Organization, title: str, place: str,
                    teams: list[Organization] | None = None, **fields) -> Activity:
    """A draft activity of an approved or running project, run by `organization` — the project's
    owner or an organization in its subtree — whose staff the actor must be."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    if not org_permissions.can_manage(actor, organization):
        raise NotAllowed(_("Only staff of the organizing organization can do this."))
    project = Project.objects.select_related("owner").get(pk=project.pk)
    if not organization.path.startswith(project.owner.path):
        raise NotAllowed(_("Only the project's owner and the organizations under it run its activities."),
                         code="not_in_project_subtree")
    if project.state not in ACTIVITY_PROJECT_STATES:
        raise Conflict(_("Activities can be added only to an approved or running project."),
                       code="project_not_approved")
    errors: dict[str, list[str]] = {}
    data = {"title": title, "place": place, "risk_level": project.risk_level, **fields}
    clean = _clean_activity(data, errors)
    clean.setdefault("recruitment", Activity.Recruitment.OPEN)
    _check_recruitment(clean, teams, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    activity = Activity.objects.create(
        project=project, organization=organization, category=project.category,
        created_by=_user(actor), status=Activity.Status.DRAFT, **clean,
    )
    if teams:
        activity.teams.set(teams)
    audit.record(actor=actor, action="activity.create", target=activity, organization=organization,
                 project=project.pk)
    return activity


@transaction.atomic
def update_activity(*, actor, activity: Activity, teams: list[Organization] | None = None,
                    **changes) -> Activity:
    activity = Activity.objects.select_for_update().select_related("organization").get(pk=activity.pk)
    _require_manager(actor, activity)
    if activity.status in (Activity.Status.CANCELLED, Activity.Status.FINISHED):
        raise Conflict(_("A cancelled or finished activity cannot be changed."), code="not_editable")
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    clean = _clean_activity(changes, errors)
    merged = {"recruitment": clean.get("recruitment", activity.recruitment),
              "invitation_code": clean.get("invitation_code", activity.invitation_code)}
    _check_recruitment(merged, teams if teams is not None else list(activity.teams.all()), errors)
    if errors:
        raise ValidationFailed(fields=errors)
    for name, value in clean.items():
        setattr(activity, name, value)
    activity.save(update_fields=[*clean, "updated_at"])
    if teams is not None:
        activity.teams.set(teams)
    audit.record(actor=actor, action="activity.update", target=activity, organization=activity.organization,
                 fields=sorted(clean) + (["teams"] if teams is not None else []))
    return activity


@transaction.atomic
def publish_activity(*, actor, activity: Activity) -> Activity:
    """Draft → published: volunteers can find it and sign up."""
    activity = Activity.objects.select_for_update().select_related("organization", "project").get(pk=activity.pk)
    _require_manager(actor, activity)
    if activity.status != Activity.Status.DRAFT:
        raise Conflict(_("Only a draft activity can be published."), code="not_draft")
    if activity.project.state not in ACTIVITY_PROJECT_STATES:
        raise Conflict(_("The project is not approved or running."), code="project_not_approved")
    if not activity.positions.exists():
        raise ValidationFailed(_("Add at least one position before publishing."), code="no_positions")
    if not activity.shifts.filter(cancelled=False).exists():
        raise ValidationFailed(_("Add at least one shift before publishing."), code="no_shifts")
    activity.status = Activity.Status.PUBLISHED
    activity.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="activity.publish", target=activity, organization=activity.organization)
    return activity


@transaction.atomic
def cancel_activity(*, actor, activity: Activity, reason: str, now: datetime | None = None) -> Activity:
    """Cancel the activity and every shift not yet over; signed-up volunteers are told."""
    activity = Activity.objects.select_for_update().select_related("organization").get(pk=activity.pk)
    _require_manager(actor, activity)
    if activity.status in (Activity.Status.CANCELLED, Activity.Status.FINISHED):
        raise Conflict(_("This activity is already cancelled or finished."), code="not_cancellable")
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Give the reason; the volunteers will see it.")]})
    now = now or timezone.now()
    for shift in activity.shifts.filter(cancelled=False, ends_at__gt=now):
        _cancel_shift_locked(actor=actor, shift=shift, reason=reason.strip(), now=now)
    activity.status = Activity.Status.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="activity.cancel", target=activity, organization=activity.organization,
                 reason=reason.strip())
    return activity


# ---------------------------------------------------------------- positions

def _clean_position(data: dict, errors: dict) -> dict:
    out: dict = {}
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            errors["name"] = [_("Name the position.")]
        elif len(name) > 80:
            errors["name"] = [_("At most %(n)d characters.") % {"n": 80}]
        out["name"] = name
    if "description" in data:
        out["description"] = (data["description"] or "").strip()
    for name, allowed in (("required_skills", Skill.values), ("required_languages", Language.values)):
        if name in data:
            values = list(dict.fromkeys(data[name] or []))
            bad = [v for v in values if v not in allowed]
            if bad:
                errors[name] = [_("Unknown choice: %(value)s.") % {"value": ", ".join(map(str, bad))}]
            out[name] = values
    if "required_training" in data:
        out["required_training"] = [str(t).strip() for t in (data["required_training"] or []) if str(t).strip()]
    for name in ("min_age", "max_age"):
        if name in data:
            value = data[name]
            if value in (None, ""):
                out[name] = None
                continue
            try:
                number = int(value)
                if not 0 < number < 120:
                    raise ValueError
                out[name] = number
            except (TypeError, ValueError):
                errors[name] = [_("Enter an age from 1 to 119.")]
    if out.get("min_age") and out.get("max_age") and out["max_age"] < out["min_age"]:
        errors["max_age"] = [_("The maximum age cannot be below the minimum age.")]
    if "min_stars" in data:
        try:
            stars = int(data["min_stars"] or 0)
            if not 0 <= stars <= 5:
                raise ValueError
            out["min_stars"] = stars
        except (TypeError, ValueError):
            errors["min_stars"] = [_("Enter a star level from 0 to 5.")]
    if "high_risk" in data:
        out["high_risk"] = bool(data["high_risk"])
    return out


POSITION_FIELDS = ("name", "description", "required_skills", "required_languages", "required_training",
                   "min_age", "max_age", "min_stars", "high_risk")


@transaction.atomic
def add_position(*, actor, activity: Activity, name: str, **fields) -> Position:
    activity = Activity.objects.select_related("organization").get(pk=activity.pk)
    _require_manager(actor, activity)
    if activity.status in (Activity.Status.CANCELLED, Activity.Status.FINISHED):
        raise Conflict(_("A cancelled or finished activity cannot be changed."), code="not_editable")
    unknown = set(fields) - set(POSITION_FIELDS)
    if unknown:
        raise ValidationFailed(fields={n: [_("Unknown field.")] for n in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    clean = _clean_position({"name": name, **fields}, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    position = Position.objects.create(activity=activity, **clean)
    audit.record(actor=actor, action="position.create", target=position, organization=activity.organization)
    return position


@transaction.atomic
def update_position(*, actor, position: Position, **changes) -> Position:
    position = Position.objects.select_related("activity__organization").get(pk=position.pk)
    _require_manager(actor, position.activity)
    unknown = set(changes) - set(POSITION_FIELDS)
    if unknown:
        raise ValidationFailed(fields={n: [_("Unknown field.")] for n in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    merged = {"min_age": position.min_age, "max_age": position.max_age, **changes}
    clean = _clean_position(merged, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    clean = {k: v for k, v in clean.items() if k in changes}
    for name, value in clean.items():
        setattr(position, name, value)
    if clean:
        position.save(update_fields=list(clean))
    audit.record(actor=actor, action="position.update", target=position,
                 organization=position.activity.organization, fields=sorted(clean))
    return position


# ---------------------------------------------------------------- shifts

def _clean_places(activity: Activity, places: dict, errors: dict) -> dict[Position, int]:
    positions = {p.pk: p for p in activity.positions.all()}
    out: dict[Position, int] = {}
    if not places:
        errors["places"] = [_("Give the number of places for at least one position.")]
        return out
    for key, value in places.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = None
        if pk not in positions:
            errors.setdefault("places", []).append(_("Position %(id)s is not part of this activity.") % {"id": key})
            continue
        try:
            number = int(value)
            if not 1 <= number <= 10000:
                raise ValueError
        except (TypeError, ValueError):
            errors.setdefault("places", []).append(
                _("Enter 1 to 10000 places for “%(position)s”.") % {"position": positions[pk].name})
            continue
        out[positions[pk]] = number
    return out


def _create_shift(activity: Activity, starts_at: datetime, ends_at: datetime, places: dict[Position, int],
                  *, series: str = "", note: str = "") -> Shift:
    shift = Shift.objects.create(activity=activity, starts_at=starts_at, ends_at=ends_at, series=series, note=note)
    ShiftSlot.objects.bulk_create([ShiftSlot(shift=shift, position=p, places=n) for p, n in places.items()])
    return shift


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value, local_zone()) if timezone.is_naive(value) else value


@transaction.atomic
def add_shift(*, actor, activity: Activity, starts_at: datetime, ends_at: datetime, places: dict,
              note: str = "") -> Shift:
    """One shift; `places` maps position id → number of places. Naive times are Asia/Shanghai."""
    activity = Activity.objects.select_related("organization").get(pk=activity.pk)
    _require_manager(actor, activity)
    if activity.status in (Activity.Status.CANCELLED, Activity.Status.FINISHED):
        raise Conflict(_("A cancelled or finished activity cannot be changed."), code="not_editable")
    errors: dict[str, list[str]] = {}
    clean = _clean_places(activity, places, errors)
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("Enter a date and time.")]
    if not isinstance(ends_at, datetime):
        errors["ends_at"] = [_("Enter a date and time.")]
    if not errors:
        starts_at, ends_at = _aware(starts_at), _aware(ends_at)
        if ends_at <= starts_at:
            errors["ends_at"] = [_("The shift must end after it starts.")]
        elif ends_at - starts_at > timedelta(hours=24):
            errors["ends_at"] = [_("A shift can last at most 24 hours.")]
    if errors:
        raise ValidationFailed(fields=errors)
    shift = _create_shift(activity, starts_at, ends_at, clean, note=(note or "").strip()[:200])
    audit.record(actor=actor, action="shift.create", target=shift, organization=activity.organization)
    return shift


@transaction.atomic
def add_shift_series(*, actor, activity: Activity, first_day: date, last_day: date, start_time: time,
                     end_time: time, places: dict, frequency: str = "weekly",
                     weekdays: list[int] | None = None, note: str = "") -> list[Shift]:
    """Repeating shifts in one step, e.g. every Saturday 09:00–12:00 for three months.

    `frequency` is "daily" (every day, or only `weekdays` if given) or "weekly" (the `weekdays`,
    0 = Monday … 6 = Sunday; default: the weekday of `first_day`). Times are local (Asia/Shanghai);
    an end time at or before the start time ends the next day. All shifts share one `series` id."""
    activity = Activity.objects.select_related("organization").get(pk=activity.pk)
    _require_manager(actor, activity)
    if activity.status in (Activity.Status.CANCELLED, Activity.Status.FINISHED):
        raise Conflict(_("A cancelled or finished activity cannot be changed."), code="not_editable")
    errors: dict[str, list[str]] = {}
    clean = _clean_places(activity, places, errors)
    if frequency not in ("daily", "weekly"):
        errors["frequency"] = [_("Choose daily or weekly.")]
    days = sorted(set(weekdays or []))
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        errors["weekdays"] = [_("Weekdays are 0 (Monday) to 6 (Sunday).")]
    if not isinstance(first_day, date):
        errors["first_day"] = [_("Enter a date as YYYY-MM-DD.")]
    if not isinstance(last_day, date):
        errors["last_day"] = [_("Enter a date as YYYY-MM-DD.")]
    if not isinstance(start_time, time):
        errors["start_time"] = [_("Enter a time as HH:MM.")]
    if not isinstance(end_time, time):
        errors["end_time"] = [_("Enter a time as HH:MM.")]
    if not errors:
        if last_day < first_day:
            errors["last_day"] = [_("The last day cannot be before the first day.")]
        elif (last_day - first_day).days > MAX_SERIES_DAYS:
            errors["last_day"] = [_("A series can span at most one year.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if frequency == "weekly" and not days:
        days = [first_day.weekday()]
    zone = local_zone()
    series = str(uuid.uuid4())
    shifts: list[Shift] = []
    day = first_day
    while day <= last_day:
        if not days or day.weekday() in days:
            start = datetime.combine(day, start_time, tzinfo=zone)
            end_day = day if end_time > start_time else day + timedelta(days=1)
            end = datetime.combine(end_day, end_time, tzinfo=zone)
            shifts.append((start, end))
        day += timedelta(days=1)
    if not shifts:
        raise ValidationFailed(fields={"weekdays": [_("No day between the first and the last day matches.")]})
    if len(shifts) > MAX_SERIES_SHIFTS:
        raise ValidationFailed(fields={"last_day": [
            _("That makes %(n)d shifts; at most %(max)d can be created at once.")
            % {"n": len(shifts), "max": MAX_SERIES_SHIFTS}]})
    created = [_create_shift(activity, s, e, clean, series=series, note=(note or "").strip()[:200])
               for s, e in shifts]
    audit.record(actor=actor, action="shift.create_series", target=activity, organization=activity.organization,
                 series=series, count=len(created))
    return created


def _cancel_shift_locked(*, actor, shift: Shift, reason: str, now: datetime) -> int:
    """Cancel one shift inside the caller's transaction; returns how many volunteers were told."""
    slots = list(ShiftSlot.objects.select_for_update().filter(shift=shift).order_by("pk"))
    shift = Shift.objects.select_related("activity").get(pk=shift.pk)
    Shift.objects.filter(pk=shift.pk).update(cancelled=True)
    signups = list(SignUp.objects.select_related("volunteer__user", "shift__activity")
                   .filter(shift=shift, status__in=SignUp.ACTIVE_STATUSES))
    SignUp.objects.filter(pk__in=[s.pk for s in signups]).update(
        status=SignUp.Status.CANCELLED, cancelled_at=now, reason=reason[:300])
    ShiftSlot.objects.filter(pk__in=[s.pk for s in slots]).update(approved=0)
    from yigong.notifications.models import Notification

    words = {"shift": shift}
    for signup in signups:
        _notify_volunteer(
            signup.volunteer, kind=Notification.Kind.SHIFT_CANCELLED,
            title=_Lazy(gettext_noop("Shift cancelled: %(activity)s"), **words),
            body=_Lazy(gettext_noop("The shift at %(when)s has been cancelled. Reason: %(reason)s"), reason=reason, **words),
            key=f"shift:{shift.pk}:cancelled",
        )
    audit.record(actor=actor, action="shift.cancel", target=shift, organization=shift.activity.organization,
                 reason=reason, signups=len(signups))
    return len(signups)


@transaction.atomic
def cancel_shift(*, actor, shift: Shift, reason: str, now: datetime | None = None) -> Shift:
    """Cancel a shift; its sign-ups are cancelled and the volunteers notified."""
    shift = Shift.objects.select_related("activity__organization").get(pk=shift.pk)
    _require_manager(actor, shift.activity)
    if shift.cancelled:
        raise Conflict(_("This shift is already cancelled."), code="already_cancelled")
    now = now or timezone.now()
    if shift.ends_at <= now:
        raise Conflict(_("This shift is already over."), code="shift_over")
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Give the reason; the volunteers will see it.")]})
    _cancel_shift_locked(actor=actor, shift=shift, reason=reason.strip(), now=now)
    shift.refresh_from_db()
    return shift


# ---------------------------------------------------------------- sign-ups

def _lock_slot(slot_id: int) -> ShiftSlot:
    try:
        return (ShiftSlot.objects.select_for_update(of=("self",))
                .select_related("shift__activity", "position").get(pk=slot_id))
    except ShiftSlot.DoesNotExist as exc:
        raise NotFound(_("This shift or position does not exist.")) from exc


def _next_waitlisted(slot: ShiftSlot) -> SignUp | None:
    return (SignUp.objects.select_for_update(of=("self",)).select_related("volunteer__user", "shift__activity")
            .filter(slot=slot, status=SignUp.Status.WAITLISTED).order_by("waitlisted_at", "pk").first())


@transaction.atomic
def sign_up(*, actor, volunteer: Volunteer, slot: ShiftSlot, invitation_code: str = "",
            now: datetime | None = None) -> SignUp:
    """A volunteer signs up for one position in one shift. Only the volunteer can do this (no
    forced assignment). Returns the sign-up: approved, pending (manual review) or waitlisted.

    Refusals raise SignUpRefused (403) or SignUpConflict (409) with a stable code."""
    now = now or timezone.now()
    if not volunteer.user_id or getattr(actor, "pk", None) != volunteer.user_id:
        raise NotAllowed(_("Volunteers sign up themselves; nobody can be signed up by someone else."),
                         code="not_your_signup")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    slot = _lock_slot(slot.pk)
    shift = slot.shift
    activity = shift.activity

    problem = eligibility.check(volunteer, slot, invitation_code=invitation_code, now=now)
    if problem is None and SignUp.objects.filter(
            shift=shift, volunteer=volunteer, status__in=SignUp.ACTIVE_STATUSES).exists():
        problem = eligibility.Refusal("already_signed_up", _("You have already signed up for this shift."))
    if problem is not None:
        raise problem.error()

    clash = (SignUp.objects.select_related("shift__activity")
             .filter(volunteer=volunteer, status__in=SignUp.ACTIVE_STATUSES,
                     starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at)
             .exclude(shift=shift).first())
    if clash is not None:
        raise refusal("overlapping_shift", _("You already hold a shift at that time: %(activity)s (%(when)s).")
                      % _shift_words(clash))

    has_place = slot.approved < slot.places
    if has_place:
        status = SignUp.Status.APPROVED if activity.auto_approve else SignUp.Status.PENDING
    elif activity.waitlist_enabled:
        status = SignUp.Status.WAITLISTED
    else:
        raise refusal("shift_full", _("This shift has no places left for this position."))
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(
                slot=slot, shift=shift, volunteer=volunteer, status=status,
                starts_at=shift.starts_at, ends_at=shift.ends_at,
                waitlisted_at=now if status == SignUp.Status.WAITLISTED else None,
                decided_at=now if status == SignUp.Status.APPROVED else None,
            )
    except IntegrityError as exc:  # the partial unique constraint: one active sign-up per shift
        raise refusal("already_signed_up", _("You have already signed up for this shift.")) from exc
    if status == SignUp.Status.APPROVED:
        ShiftSlot.objects.filter(pk=slot.pk).update(approved=F("approved") + 1)
    signup.volunteer = volunteer
    audit.record(actor=actor, action="signup.create", target=signup, organization=activity.organization,
                 status=status, slot=slot.pk)
    _notify_status(signup, status)
    return signup


def _promote_first(*, actor, slot: ShiftSlot, now: datetime) -> SignUp | None:
    """Fill a freed place from the waiting list, in order. Manual-review activities move the first
    waitlisted volunteer to review (pending); auto-approving ones approve at once."""
    if slot.shift.cancelled or slot.shift.starts_at <= now:
        return None
    waiting = _next_waitlisted(slot)
    if waiting is None:
        return None
    activity = slot.shift.activity
    if activity.auto_approve:
        slot.refresh_from_db(fields=["approved"])
        if slot.approved >= slot.places:
            return None
        waiting.status, waiting.decided_at = SignUp.Status.APPROVED, now
        waiting.save(update_fields=["status", "decided_at", "updated_at"])
        ShiftSlot.objects.filter(pk=slot.pk).update(approved=F("approved") + 1)
        _notify_status(waiting, "promoted")
    else:
        waiting.status = SignUp.Status.PENDING
        waiting.save(update_fields=["status", "updated_at"])
        _notify_status(waiting, "promoted_review")
    audit.record(actor=actor, action="signup.promote", target=waiting, organization=activity.organization,
                 status=waiting.status)
    return waiting


def cancel_deadline(shift: Shift) -> datetime:
    return shift.starts_at - timedelta(hours=shift.activity.cancel_deadline_hours)


@transaction.atomic
def cancel_sign_up(*, actor, signup: SignUp, now: datetime | None = None) -> SignUp:
    """The volunteer withdraws before the activity's cancellation deadline. An approved place goes
    to the first volunteer on the waiting list."""
    now = now or timezone.now()
    slot = _lock_slot(SignUp.objects.values_list("slot_id", flat=True).get(pk=signup.pk))
    signup = SignUp.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=signup.pk)
    if getattr(actor, "pk", None) is None or actor.pk != signup.volunteer.user_id:
        raise NotAllowed(_("Only the volunteer can cancel this sign-up."), code="not_your_signup")
    if signup.status not in SignUp.ACTIVE_STATUSES:
        raise Conflict(_("This sign-up is no longer active."), code="not_active")
    if now >= cancel_deadline(slot.shift):
        raise Conflict(
            _("Cancellation closed %(hours)d hours before the shift. Please contact the organizer.")
            % {"hours": slot.shift.activity.cancel_deadline_hours}, code="cancel_deadline_passed")
    was_approved = signup.status == SignUp.Status.APPROVED
    signup.status, signup.cancelled_at = SignUp.Status.CANCELLED, now
    signup.save(update_fields=["status", "cancelled_at", "updated_at"])
    if was_approved:
        ShiftSlot.objects.filter(pk=slot.pk).update(approved=F("approved") - 1)
    audit.record(actor=actor, action="signup.cancel", target=signup, organization=slot.shift.activity.organization)
    if was_approved:
        _promote_first(actor=actor, slot=slot, now=now)
    return signup


@transaction.atomic
def approve_sign_up(*, actor, signup: SignUp, now: datetime | None = None) -> SignUp:
    """The organizer accepts a pending (or waitlisted) sign-up. Without a free place a pending
    sign-up goes to the waiting list; a waitlisted one is refused with shift_full."""
    now = now or timezone.now()
    slot = _lock_slot(SignUp.objects.values_list("slot_id", flat=True).get(pk=signup.pk))
    _require_manager(actor, slot.shift.activity)
    signup = SignUp.objects.select_for_update(of=("self",)).select_related("volunteer__user", "shift__activity").get(pk=signup.pk)
    if signup.status not in (SignUp.Status.PENDING, SignUp.Status.WAITLISTED):
        raise Conflict(_("Only a sign-up awaiting review or on the waiting list can be approved."),
                       code="not_pending")
    if slot.approved < slot.places:
        signup.status, signup.decided_at, signup.decided_by = SignUp.Status.APPROVED, now, _user(actor)
        signup.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        ShiftSlot.objects.filter(pk=slot.pk).update(approved=F("approved") + 1)
    elif signup.status == SignUp.Status.PENDING and slot.shift.activity.waitlist_enabled:
        signup.status, signup.waitlisted_at = SignUp.Status.WAITLISTED, now
        signup.save(update_fields=["status", "waitlisted_at", "updated_at"])
    else:
        raise refusal("shift_full", _("This shift has no places left for this position."))
    audit.record(actor=actor, action="signup.approve", target=signup, organization=slot.shift.activity.organization,
                 status=signup.status)
    _notify_status(signup, signup.status)
    return signup


@transaction.atomic
def reject_sign_up(*, actor, signup: SignUp, reason: str, now: datetime | None = None) -> SignUp:
    now = now or timezone.now()
    slot = _lock_slot(SignUp.objects.values_list("slot_id", flat=True).get(pk=signup.pk))
    _require_manager(actor, slot.shift.activity)
    signup = SignUp.objects.select_for_update(of=("self",)).select_related("volunteer__user", "shift__activity").get(pk=signup.pk)
    if signup.status not in (SignUp.Status.PENDING, SignUp.Status.WAITLISTED):
        raise Conflict(_("Only a sign-up awaiting review or on the waiting list can be rejected."),
                       code="not_pending")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Give the reason; the volunteer will see it.")]})
    signup.status, signup.decided_at, signup.decided_by = SignUp.Status.REJECTED, now, _user(actor)
    signup.reason = reason[:300]
    signup.save(update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"])
    audit.record(actor=actor, action="signup.reject", target=signup, organization=slot.shift.activity.organization,
                 reason=reason)
    _notify_status(signup, SignUp.Status.REJECTED)
    return signup


@transaction.atomic
def mark_no_show(*, actor, signup: SignUp, now: datetime | None = None) -> SignUp:
    """After the shift has started, the organizer marks an approved volunteer who did not come.
    The place is released (the counter stays equal to the approved sign-ups)."""
    now = now or timezone.now()
    slot = _lock_slot(SignUp.objects.values_list("slot_id", flat=True).get(pk=signup.pk))
    _require_manager(actor, slot.shift.activity)
    signup = SignUp.objects.select_for_update(of=("self",)).get(pk=signup.pk)
    if signup.status != SignUp.Status.APPROVED:
        raise Conflict(_("Only an approved sign-up can be marked as a no-show."), code="not_approved")
    if now < slot.shift.starts_at:
        raise Conflict(_("A no-show can be marked only after the shift has started."), code="shift_not_started")
    signup.status, signup.decided_at, signup.decided_by = SignUp.Status.NO_SHOW, now, _user(actor)
    signup.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    ShiftSlot.objects.filter(pk=slot.pk).update(approved=F("approved") - 1)
    audit.record(actor=actor, action="signup.no_show", target=signup, organization=slot.shift.activity.organization)
    return signup


# ---------------------------------------------------------------- insurance

@transaction.atomic
def record_insurance(*, actor, volunteer: Volunteer, organization: Organization | None, policy_number: str,
                     valid_from: date, valid_until: date, insurer: str = "") -> InsuranceCover:
    """Staff record a volunteer's accident insurance (their organization arranged or checked it)."""
    if organization is None or not org_permissions.can_manage(actor, organization):
        raise NotAllowed(_("Only staff of the organization can record insurance."))
    if not Volunteer.objects.visible_to(actor).filter(pk=volunteer.pk).exists():
        raise NotFound()
    errors: dict[str, list[str]] = {}
    policy_number = (policy_number or "").strip()
    if not policy_number:
        errors["policy_number"] = [_("Enter the policy number.")]
    elif len(policy_number) > 64:
        errors["policy_number"] = [_("At most %(n)d characters.") % {"n": 64}]
    if not isinstance(valid_from, date):
        errors["valid_from"] = [_("Enter a date as YYYY-MM-DD.")]
    if not isinstance(valid_until, date):
        errors["valid_until"] = [_("Enter a date as YYYY-MM-DD.")]
    elif isinstance(valid_from, date) and valid_until < valid_from:
        errors["valid_until"] = [_("The cover cannot end before it starts.")]
    if errors:
        raise ValidationFailed(fields=errors)
    cover = InsuranceCover.objects.create(
        volunteer=volunteer, organization=organization, policy_number=policy_number, insurer=(insurer or "")[:120],
        valid_from=valid_from, valid_until=valid_until, recorded_by=_user(actor),
    )
    audit.record(actor=actor, action="insurance.record", target=cover, organization=organization,
                 volunteer=volunteer.pk)
    return cover
