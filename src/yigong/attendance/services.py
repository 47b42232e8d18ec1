"""Writes on attendance: check-in/out by QR token or by hand, minutes entered by the organizer,
the one-step confirmation of a shift's hours into the ledger, and ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yigong.activities.models import Activity, Shift, ShiftSlot, SignUp
from yigong.attendance.formatting import format_minutes, local_time, local_window
from yigong.attendance.hours import counted_interval, shift_minutes
from yigong.attendance.models import ActivityRating, Attendance, ServiceRating, ShiftConfirmation
from yigong.attendance.tokens import (
    Action,
    TokenInvalid,
    TokenPayload,
    read_token,
    shift_local_date,
)
from yigong.core import audit, settings_store
from yigong.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from yigong.core.models import DistrictSetting
from yigong.ledger.models import LedgerEntry
from yigong.ledger.services import append_entry
from yigong.organizations.permissions import can_manage
from yigong.volunteers.models import Volunteer

REASON_MAX = 300
COMMENT_MAX = 300


class NotSignedUp(NotAllowed):
    code = "not_signed_up"
    default_message = gettext_lazy("You have no approved sign-up for this shift.")


class OutsideWindow(NotAllowed):
    code = "outside_window"


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"


class AlreadyCheckedOut(Conflict):
    code = "already_checked_out"


class NotCheckedIn(Conflict):
    code = "not_checked_in"


class HoursAlreadyConfirmed(Conflict):
    code = "hours_confirmed"


class OpenCheckIns(Conflict):
    code = "open_checkins"


# ---------------------------------------------------------------- helpers


def _clean_reason(reason: str | None, *, field: str = "reason") -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationFailed(_("Give a reason; it is kept with the record."),
                               fields={field: [_("Give a reason; it is kept with the record.")]})
    if len(text) > REASON_MAX:
        message = _("The reason is too long (%(max)d characters at most).") % {"max": REASON_MAX}
        raise ValidationFailed(message, fields={field: [message]})
    return text


def _district_settings(*keys: str) -> list:
    """Several district settings in one query (settings_store.get reads one per query)."""
    stored = dict(DistrictSetting.objects.filter(key__in=keys).values_list("key", "value"))
    return [stored.get(key, settings_store.DEFAULTS[key]) for key in keys]


def _window(shift: Shift) -> tuple[datetime, datetime]:
    early, late = _district_settings("checkin_early_minutes", "checkin_late_minutes")
    return shift.starts_at - timedelta(minutes=early), shift.ends_at + timedelta(minutes=late)


def _require_staff(actor, shift: Shift) -> None:
    if not can_manage(actor, shift.activity.organization):
        raise NotAllowed(_("Only staff of the organizing organization can do this."))


def _require_unconfirmed(shift: Shift) -> None:
    confirmation = ShiftConfirmation.objects.filter(shift=shift).first()
    if confirmation is not None:
        raise HoursAlreadyConfirmed(
            _("The hours of this shift were confirmed on %(date)s; attendance can no longer change.")
            % {"date": timezone.localtime(confirmation.confirmed_at).strftime("%Y-%m-%d %H:%M")}
        )


def _lock_signup(signup_id: int) -> SignUp:
    return (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("shift__activity__organization", "volunteer")
        .get(pk=signup_id)
    )


def _volunteer_of(actor) -> Volunteer:
    volunteer = Volunteer.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if volunteer is None or volunteer.status != Volunteer.Status.ACTIVE:
        raise NotAllowed(_("Only a registered volunteer can check in. Log in with your volunteer account."),
                         code="not_a_volunteer")
    return volunteer


def _when(at: datetime | None, shift: Shift, now: datetime, field: str) -> datetime:
    """A time an organizer gives for a check-in/out: inside the window, not in the future."""
    at = at or now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    opens, closes = _window(shift)
    if at > now:
        message = _("The time cannot be in the future.")
        raise ValidationFailed(message, fields={field: [message]})
    if not opens <= at <= closes:
        message = _("Choose a time between %(opens)s and %(closes)s.") % {
            "opens": local_time(opens), "closes": local_time(closes)}
        raise ValidationFailed(message, fields={field: [message]})
    return at


# ---------------------------------------------------------------- check-in and check-out by QR


def check_in(*, actor, token: str, shift_id: int | None = None, now: datetime | None = None) -> Attendance:
    """The volunteer scanned the check-in QR code and tapped to confirm."""
    now = now or timezone.now()
    return _scan(actor=actor, payload=read_token(token, action=Action.IN, now=now), shift_id=shift_id, now=now)


def check_out(*, actor, token: str, shift_id: int | None = None, now: datetime | None = None) -> Attendance:
    """The volunteer scanned the check-out QR code and tapped to confirm."""
    now = now or timezone.now()
    return _scan(actor=actor, payload=read_token(token, action=Action.OUT, now=now), shift_id=shift_id, now=now)


def shift_of_token(payload: TokenPayload) -> Shift:
    """The shift a valid token names, checked against its date. Raises TokenInvalid."""
    shift = Shift.objects.select_related("activity__organization").filter(pk=payload.shift_id).first()
    if shift is None:
        raise TokenInvalid()
    if payload.shift_date != shift_local_date(shift):
        raise TokenInvalid(_("This QR code is for another day. Scan the code the organizer shows today."))
    return shift


def check_scan(*, actor, token: str, action: Action | str, now: datetime | None = None) -> tuple[Shift, Attendance | None]:
    """Every check of a scan, without writing: what the check-in page shows before the tap."""
    now = now or timezone.now()
    payload = read_token(token, action=action, now=now)
    shift, signup_id, in_window = _prepare_scan(actor=actor, payload=payload, shift_id=None, now=now)
    signup = SignUp.objects.select_related("shift__activity__organization").get(pk=signup_id)
    return shift, _checked_scan(signup, payload.action, in_window)


def _prepare_scan(*, actor, payload: TokenPayload, shift_id: int | None, now: datetime) -> tuple[Shift, int, bool]:
    """The reads of a scan, outside the write transaction (on SQLite it holds the one write lock)."""
    volunteer = _volunteer_of(actor)
    if shift_id is not None and shift_id != payload.shift_id:
        raise TokenInvalid(_("This QR code belongs to another shift."))
    shift = shift_of_token(payload)
    if shift.cancelled:
        raise Conflict(_("This shift was cancelled."), code="shift_cancelled")
    signup_id = (
        SignUp.objects.filter(shift=shift, volunteer=volunteer, status=SignUp.Status.APPROVED)
        .values_list("pk", flat=True).first()
    )
    if signup_id is None:
        other = (
            SignUp.objects.filter(shift__activity_id=shift.activity_id, volunteer=volunteer,
                                  status=SignUp.Status.APPROVED)
            .exclude(shift=shift).order_by("starts_at").first()
        )
        if other is not None:
            raise TokenInvalid(
                _("This QR code is for the shift of %(this)s; you are signed up for %(yours)s. "
                  "Scan the code shown for your shift.")
                % {"this": local_window(shift.starts_at, shift.ends_at),
                   "yours": local_window(other.starts_at, other.ends_at)}
            )
        raise NotSignedUp()
    opens, closes = _window(shift)
    return shift, signup_id, opens <= now <= closes


def _checked_scan(signup: SignUp, action: Action, in_window: bool) -> Attendance | None:
    """The checks that must see the latest data (run after the sign-up is locked for a write)."""
    if signup.status != SignUp.Status.APPROVED:  # cancelled meanwhile
        raise NotSignedUp()
    shift = signup.shift
    _require_unconfirmed(shift)
    attendance = Attendance.objects.filter(signup=signup).first()
    opens, closes = _window(shift) if not in_window else (None, None)
    if action == Action.IN:
        if attendance is not None and attendance.checked_in_at is not None:
            raise AlreadyCheckedIn(_("You already checked in at %(time)s.")
                                   % {"time": local_time(attendance.checked_in_at)})
        if not in_window:
            raise OutsideWindow(_("Check-in for this shift is open %(window)s.")
                                % {"window": local_window(opens, closes)})
    else:
        if attendance is None or attendance.checked_in_at is None:
            raise NotCheckedIn(_("You have not checked in to this shift. Ask the organizer to check you in."))
        if attendance.checked_out_at is not None:
            raise AlreadyCheckedOut(_("You already checked out at %(time)s.")
                                    % {"time": local_time(attendance.checked_out_at)})
        if not in_window:
            raise OutsideWindow(_("Check-out for this shift is open until %(closes)s.")
                                % {"closes": local_time(closes)})
    return attendance


def _scan(*, actor, payload: TokenPayload, shift_id: int | None, now: datetime) -> Attendance:
    _shift, signup_id, in_window = _prepare_scan(actor=actor, payload=payload, shift_id=shift_id, now=now)
    with transaction.atomic():
        signup = _lock_signup(signup_id)
        attendance = _checked_scan(signup, payload.action, in_window)
        if payload.action == Action.IN:
            return _record_in(signup, attendance, at=now, method=Attendance.Method.QR, reason="", actor=actor)
        attendance.signup = signup
        return _record_out(attendance, at=now, method=Attendance.Method.QR, reason="", actor=actor)


def _record_in(signup: SignUp, attendance: Attendance | None, *, at, method, reason, actor) -> Attendance:
    if attendance is None:
        try:
            attendance = Attendance.objects.create(
                signup=signup, shift_id=signup.shift_id, volunteer_id=signup.volunteer_id,
                checked_in_at=at, check_in_method=method, check_in_reason=reason,
                recorded_by=actor if method == Attendance.Method.MANUAL else None,
            )
        except IntegrityError:
            # A simultaneous check-in won (only possible without the row lock). No savepoint needed:
            # the error leaves the caller's transaction, which rolls back.
            raise AlreadyCheckedIn(_("You already checked in.")) from None
    else:
        attendance.checked_in_at, attendance.check_in_method, attendance.check_in_reason = at, method, reason
        fields = ["checked_in_at", "check_in_method", "check_in_reason"]
        if method == Attendance.Method.MANUAL:
            attendance.recorded_by = actor
            fields.append("recorded_by")
        attendance.save(update_fields=fields)
    audit.record(actor=actor, action="attendance.check_in", target=attendance,
                 organization=signup.shift.activity.organization, signup=signup.pk, method=method,
                 at=at.isoformat(), reason=reason)
    return attendance


def _record_out(attendance: Attendance, *, at, method, reason, actor) -> Attendance:
    attendance.checked_out_at, attendance.check_out_method, attendance.check_out_reason = at, method, reason
    fields = ["checked_out_at", "check_out_method", "check_out_reason"]
    if method == Attendance.Method.MANUAL:
        attendance.recorded_by = actor
        fields.append("recorded_by")
    attendance.save(update_fields=fields)
    audit.record(actor=actor, action="attendance.check_out", target=attendance,
                 organization=attendance.signup.shift.activity.organization, signup=attendance.signup_id,
                 method=method, at=at.isoformat(), reason=reason)
    return attendance


# ---------------------------------------------------------------- by the organizer's hand


def _staff_signup(actor, signup: SignUp | int) -> SignUp:
    signup = _lock_signup(signup if isinstance(signup, int) else signup.pk)
    _require_staff(actor, signup.shift)
    if signup.status != SignUp.Status.APPROVED:
        raise Conflict(_("Only volunteers with an approved sign-up can be checked in."), code="not_approved")
    _require_unconfirmed(signup.shift)
    return signup


@transaction.atomic
def check_in_by_hand(*, actor, signup: SignUp | int, reason: str, at: datetime | None = None,
                     now: datetime | None = None) -> Attendance:
    """The organizer checks a volunteer in (e.g. no phone at hand), with a reason, at `at` or now."""
    now = now or timezone.now()
    signup = _staff_signup(actor, signup)
    reason = _clean_reason(reason)
    at = _when(at, signup.shift, now, "at")
    attendance = Attendance.objects.filter(signup=signup).first()
    if attendance is not None and attendance.checked_in_at is not None:
        raise AlreadyCheckedIn(_("%(name)s already checked in at %(time)s.")
                               % {"name": signup.volunteer.name, "time": local_time(attendance.checked_in_at)})
    return _record_in(signup, attendance, at=at, method=Attendance.Method.MANUAL, reason=reason, actor=actor)


@transaction.atomic
def check_out_by_hand(*, actor, signup: SignUp | int, reason: str, at: datetime | None = None,
                      now: datetime | None = None) -> Attendance:
    """The organizer checks a volunteer out, with a reason, at `at` or now."""
    now = now or timezone.now()
    signup = _staff_signup(actor, signup)
    reason = _clean_reason(reason)
    at = _when(at, signup.shift, now, "at")
    attendance = Attendance.objects.filter(signup=signup).first()
    if attendance is None or attendance.checked_in_at is None:
        raise NotCheckedIn(_("%(name)s has not checked in; check them in first.") % {"name": signup.volunteer.name})
    if attendance.checked_out_at is not None:
        raise AlreadyCheckedOut(_("%(name)s already checked out at %(time)s.")
                                % {"name": signup.volunteer.name, "time": local_time(attendance.checked_out_at)})
    if at < attendance.checked_in_at:
        message = _("The check-out time is before the check-in (%(time)s).") % {
            "time": local_time(attendance.checked_in_at)}
        raise ValidationFailed(message, fields={"at": [message]})
    attendance.signup = signup
    return _record_out(attendance, at=at, method=Attendance.Method.MANUAL, reason=reason, actor=actor)


@transaction.atomic
def check_out_everyone(*, actor, shift: Shift, reason: str, at: datetime | None = None,
                       now: datetime | None = None) -> int:
    """Check out, by hand, everyone still checked in (by default at the shift's end). Returns how many."""
    now = now or timezone.now()
    shift = Shift.objects.select_related("activity__organization").get(pk=shift.pk)
    _require_staff(actor, shift)
    reason = _clean_reason(reason)
    at = _when(at or min(now, shift.ends_at), shift, now, "at")
    open_ids = list(
        Attendance.objects.filter(shift=shift, checked_in_at__isnull=False, checked_out_at__isnull=True,
                                  signup__status=SignUp.Status.APPROVED)
        .values_list("signup_id", flat=True)
    )
    done = 0
    for signup_id in open_ids:
        signup = _staff_signup(actor, signup_id)
        attendance = Attendance.objects.select_related("signup").get(signup=signup)
        if attendance.checked_out_at is None:
            _record_out(attendance, at=max(at, attendance.checked_in_at), method=Attendance.Method.MANUAL,
                        reason=reason, actor=actor)
            done += 1
    return done


@transaction.atomic
def set_minutes(*, actor, signup: SignUp | int, minutes: int | None, reason: str,
                now: datetime | None = None) -> Attendance | None:
    """The organizer enters a volunteer's minutes (instead of check-in/out), with a reason.

    `minutes=None` removes the entry, so check-in/out count again. At most the shift's length.
    """
    signup = _staff_signup(actor, signup)
    reason = _clean_reason(reason)
    limit = shift_minutes(signup.shift)
    if minutes is not None:
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            raise ValidationFailed(fields={"minutes": [_("Enter a whole number of minutes.")]})
        if minutes < 0 or minutes > limit:
            message = _("Enter between 0 and %(max)d minutes (the length of the shift).") % {"max": limit}
            raise ValidationFailed(message, fields={"minutes": [message]})
    attendance = Attendance.objects.filter(signup=signup).first()
    before = attendance.manual_minutes if attendance else None
    if attendance is None:
        if minutes is None:
            return None
        attendance = Attendance.objects.create(
            signup=signup, shift_id=signup.shift_id, volunteer_id=signup.volunteer_id,
            manual_minutes=minutes, manual_reason=reason, recorded_by=actor,
        )
    else:
        attendance.manual_minutes = minutes
        attendance.manual_reason = reason if minutes is not None else ""
        attendance.recorded_by = actor
        attendance.save(update_fields=["manual_minutes", "manual_reason", "recorded_by"])
    audit.record(actor=actor, action="attendance.set_minutes", target=attendance,
                 organization=signup.shift.activity.organization, signup=signup.pk,
                 minutes_before=before, minutes=minutes, reason=reason)
    return attendance


# ---------------------------------------------------------------- hours of a shift


@dataclass
class Line:
    """What one approved sign-up of a shift counts for: the board shows it, confirmation records it."""

    signup: SignUp
    attendance: Attendance | None
    minutes: int | None  # None: nothing to count yet
    source: str  # LedgerEntry.Source value, or "" when nothing counts
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def state(self) -> str:
        a = self.attendance
        if a is not None and a.manual_minutes is not None:
            return "entered"
        if a is None or a.checked_in_at is None:
            return "absent"
        if a.checked_out_at is None:
            return "open"
        return "done"


def line_for(signup: SignUp, attendance: Attendance | None, *, shift: Shift, grace: int) -> Line:
    if attendance is not None and attendance.manual_minutes is not None:
        return Line(signup, attendance, attendance.manual_minutes, LedgerEntry.Source.MANUAL,
                    shift.starts_at, shift.ends_at)
    if attendance is not None and attendance.checked_in_at and attendance.checked_out_at:
        counted = counted_interval(starts_at=shift.starts_at, ends_at=shift.ends_at,
                                   checked_in_at=attendance.checked_in_at,
                                   checked_out_at=attendance.checked_out_at, grace_minutes=grace)
        return Line(signup, attendance, counted.minutes, LedgerEntry.Source.CHECKIN,
                    counted.started_at, counted.ended_at)
    return Line(signup, attendance, None, "", None, None)


def shift_lines(shift: Shift, signups: list[SignUp]) -> list[Line]:
    """Lines for `signups`. Attendance is read in its own query: after the sign-ups were locked, it
    sees every check-in committed while we waited for the locks."""
    grace = settings_store.get("hours_grace_minutes")
    by_signup = {a.signup_id: a for a in Attendance.objects.filter(signup__in=[s.pk for s in signups])}
    return [line_for(s, by_signup.get(s.pk), shift=shift, grace=grace) for s in signups]


@transaction.atomic
def confirm_shift_hours(*, actor, shift: Shift | int, now: datetime | None = None) -> ShiftConfirmation:
    """Confirm a shift's hours in one step: one ledger entry per volunteer who served, a
    ShiftConfirmation (one per shift, ever), approved volunteers who never came marked as no-shows,
    and a message to each volunteer. Refused while someone is checked in but not out."""
    now = now or timezone.now()
    shift_id = shift if isinstance(shift, int) else shift.pk
    shift = (
        Shift.objects.select_for_update(of=("self",)).select_related("activity__organization")
        .filter(pk=shift_id).first()
    )
    if shift is None:
        raise NotFound()
    _require_staff(actor, shift)
    confirmation = ShiftConfirmation.objects.select_related("confirmed_by").filter(shift=shift).first()
    if confirmation is not None:
        raise HoursAlreadyConfirmed(
            _("These hours were already confirmed by %(who)s on %(date)s.") % {
                "who": confirmation.confirmed_by or "-",
                "date": timezone.localtime(confirmation.confirmed_at).strftime("%Y-%m-%d %H:%M")}
        )
    if shift.cancelled:
        raise Conflict(_("This shift was cancelled; there are no hours to confirm."), code="shift_cancelled")
    if now < shift.starts_at:
        raise Conflict(_("The shift has not started yet; confirm its hours after it."), code="shift_not_started")
    # Lock order slot → sign-up, as the sign-up services do; check-ins lock only the sign-up.
    list(ShiftSlot.objects.select_for_update().filter(shift=shift).values_list("pk", flat=True))
    signups = list(
        SignUp.objects.select_for_update(of=("self",))
        .filter(shift=shift, status=SignUp.Status.APPROVED)
        .select_related("volunteer__user", "slot__position")
        .order_by("pk")
    )
    lines = shift_lines(shift, signups)
    still_here = [line.signup.volunteer.name for line in lines if line.state == "open"]
    if still_here:
        raise OpenCheckIns(
            _("Still checked in: %(names)s. Check them out or enter their minutes before confirming.")
            % {"names": ", ".join(still_here)}
        )
    organization = shift.activity.organization
    service_date = shift_local_date(shift)
    entries: list[LedgerEntry] = []
    for line in lines:
        if not line.minutes:
            continue
        entries.append(append_entry(
            actor=actor, volunteer=line.signup.volunteer, organization=organization,
            activity=shift.activity, shift=shift, signup=line.signup,
            position_name=line.signup.slot.position.name, service_date=service_date,
            started_at=line.started_at, ended_at=line.ended_at, minutes=line.minutes,
            source=line.source,
            reason=line.attendance.manual_reason if line.source == LedgerEntry.Source.MANUAL else "",
            now=now,
        ))
    confirmation = ShiftConfirmation.objects.create(
        shift=shift, confirmed_by=actor, entries=len(entries), minutes=sum(e.minutes for e in entries),
    )
    no_shows = _mark_no_shows(actor, [line.signup for line in lines if line.state == "absent"], now)
    audit.record(actor=actor, action="attendance.confirm_hours", target=confirmation, organization=organization,
                 shift=shift.pk, entries=[e.pk for e in entries], minutes=confirmation.minutes,
                 no_shows=no_shows)
    for entry in entries:
        _notify_hours(entry)
    return confirmation


def _mark_no_shows(actor, signups: list[SignUp], now: datetime) -> list[int]:
    from yigong.activities.services import mark_no_show

    for signup in signups:
        mark_no_show(actor=actor, signup=signup, now=now)
    return [s.pk for s in signups]


def _notify_hours(entry: LedgerEntry) -> None:
    from yigong.notifications.models import Notification
    from yigong.notifications.services import in_language_of, notify

    user = entry.volunteer.user
    if user is None:
        return
    with in_language_of(user):
        notify(
            user=user, kind=Notification.Kind.HOURS_CONFIRMED, url=_archive_url(),
            title=_("Your service hours were confirmed"),
            body=_("%(activity)s, %(date)s: %(hours)s confirmed by %(organization)s.") % {
                "activity": entry.activity_title, "date": entry.service_date.isoformat(),
                "hours": format_minutes(entry.minutes), "organization": entry.organization_name},
            key=f"hours_confirmed:signup:{entry.signup_id}",
        )


def _archive_url() -> str:
    try:
        return reverse("archive:mine")
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------- ratings


def _clean_rating(stars, comment: str | None) -> tuple[int, str]:
    errors: dict[str, list[str]] = {}
    if isinstance(stars, str) and stars.strip().isdigit():
        stars = int(stars.strip())
    if stars is None or stars == "":
        errors["stars"] = [_("Choose a rating from 1 to 5 stars.")]
    elif not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        errors["stars"] = [_("A rating is a whole number from 1 to 5.")]
    comment = " ".join((comment or "").split())
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [_("The comment is too long (%(max)d characters at most, you wrote %(n)d).")
                             % {"max": COMMENT_MAX, "n": len(comment)}]
    if errors:
        raise ValidationFailed(_("The rating was not saved."), fields=errors)
    return stars, comment


@transaction.atomic
def rate_service(*, actor, signup: SignUp | int, stars, comment: str = "") -> ServiceRating:
    """The organizer rates a volunteer's service in one shift (1–5, optional comment); rating again
    replaces the earlier rating."""
    signup = _lock_signup(signup if isinstance(signup, int) else signup.pk)
    _require_staff(actor, signup.shift)
    stars, comment = _clean_rating(stars, comment)
    attendance = Attendance.objects.filter(signup=signup).first()
    served = attendance is not None and (attendance.checked_in_at is not None or attendance.manual_minutes)
    if not served and not LedgerEntry.objects.filter(signup=signup).exists():
        raise Conflict(_("%(name)s has not served in this shift; there is nothing to rate yet.")
                       % {"name": signup.volunteer.name}, code="not_served")
    rating, created = ServiceRating.objects.update_or_create(
        signup=signup,
        defaults={"volunteer_id": signup.volunteer_id, "stars": stars, "comment": comment, "rated_by": actor},
    )
    audit.record(actor=actor, action="attendance.rate_service", target=rating,
                 organization=signup.shift.activity.organization, signup=signup.pk, stars=stars,
                 created=created)
    return rating


def has_served(volunteer: Volunteer, activity: Activity) -> bool:
    return (
        LedgerEntry.objects.filter(volunteer=volunteer, activity=activity).exists()
        or Attendance.objects.filter(volunteer=volunteer, shift__activity=activity)
        .filter(Q(checked_out_at__isnull=False) | Q(manual_minutes__gt=0)).exists()
    )


@transaction.atomic
def rate_activity(*, actor, activity: Activity | int, stars, comment: str = "") -> ActivityRating:
    """A volunteer rates an activity after serving in it (1–5, optional comment); again replaces."""
    volunteer = _volunteer_of(actor)
    activity = Activity.objects.filter(pk=activity if isinstance(activity, int) else activity.pk).first()
    if activity is None:
        raise NotFound()
    stars, comment = _clean_rating(stars, comment)
    if not has_served(volunteer, activity):
        raise NotAllowed(_("You can rate an activity after you have served in it."), code="not_served")
    try:
        with transaction.atomic():
            rating, created = ActivityRating.objects.update_or_create(
                activity=activity, volunteer=volunteer, defaults={"stars": stars, "comment": comment},
            )
    except IntegrityError:  # the same volunteer rated twice at once: keep the later one
        rating = ActivityRating.objects.get(activity=activity, volunteer=volunteer)
        rating.stars, rating.comment = stars, comment
        rating.save(update_fields=["stars", "comment", "rated_at"])
        created = False
    audit.record(actor=actor, action="attendance.rate_activity", target=rating,
                 organization=activity.organization, stars=stars, created=created)
    return rating
