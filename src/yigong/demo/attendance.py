"""Demo step: the service loop's second half for the past shifts — check-ins and check-outs,
confirmed hours in the ledger (a hash chain that verifies), no-shows, and ratings (R5–R7).

The printed volunteer checks in and out with the QR code (the real `check_in`/`check_out`, dated
at the shift); the others' attendance is written in bulk, as the check-in page would have left
it, with a few absent. Every past shift's hours are then confirmed with `confirm_shift_hours`,
which appends to the ledger one entry at a time and marks the absent as no-shows. The shift running
today is left open so the loop can be tried at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from yigong.activities.models import Shift, SignUp
from yigong.attendance import services as attendance_services
from yigong.attendance.models import Attendance
from yigong.attendance.tokens import Action, make_token
from yigong.organizations.models import Membership

COMMENTS = ["准时到岗，服务耐心。", "主动补位，表现突出。", "和长者沟通很好。", "", ""]


def _staff_by_organization() -> dict[int, object]:
    """The printed staff logins, by the organization they work for."""
    users = get_user_model().objects.filter(username__in=["station", "citystation"])
    return {m.organization_id: m.user for m in Membership.objects.filter(
        user__in=users, status=Membership.Status.ACTIVE).select_related("user")}


def build(ctx) -> None:
    now = timezone.now()
    staff = _staff_by_organization()
    shifts = list(Shift.objects.filter(ends_at__lt=now - timedelta(hours=1), cancelled=False,
                                       signups__status=SignUp.Status.APPROVED)
                  .select_related("activity__organization").distinct().order_by("starts_at", "pk"))
    signups = list(SignUp.objects.filter(shift__in=shifts, status=SignUp.Status.APPROVED)
                   .select_related("volunteer__user").order_by("pk"))
    by_shift: dict[int, list[SignUp]] = {}
    for signup in signups:
        by_shift.setdefault(signup.shift_id, []).append(signup)

    rows: list[Attendance] = []
    for shift in shifts:
        for signup in by_shift.get(shift.pk, []):
            if signup.volunteer.user and signup.volunteer.user.username == "volunteer":
                _by_qr(signup, shift)
                continue
            if ctx.rng.random() < 0.08:
                continue  # did not come: confirmation marks a no-show
            arrived = shift.starts_at - timedelta(minutes=ctx.rng.randint(0, 20))
            left = shift.ends_at + timedelta(minutes=ctx.rng.randint(-8, 15))
            if ctx.rng.random() < 0.1:  # came late: counts from arrival
                arrived = shift.starts_at + timedelta(minutes=ctx.rng.randint(15, 50))
            rows.append(Attendance(signup=signup, shift_id=shift.pk, volunteer_id=signup.volunteer_id,
                                   checked_in_at=arrived, check_in_method=Attendance.Method.QR,
                                   checked_out_at=left, check_out_method=Attendance.Method.QR))
    Attendance.objects.bulk_create(rows, batch_size=500)
    attended = set(Attendance.objects.filter(shift__in=shifts).values_list("signup_id", flat=True))

    for index, shift in enumerate(shifts, 1):
        ctx.progress.count(index, len(shifts))
        actor = staff.get(shift.activity.organization_id, ctx.district_admin)
        attendance_services.confirm_shift_hours(actor=actor, shift=shift, now=shift.ends_at + timedelta(hours=2))
        for signup in by_shift.get(shift.pk, [])[:1] if index % 3 == 0 else ():
            if signup.pk in attended:
                attendance_services.rate_service(actor=actor, signup=signup, stars=ctx.rng.choice([4, 5, 5]),
                                                 comment=ctx.rng.choice(COMMENTS))
    _rate_activities(ctx, shifts, by_shift, attended)


def _by_qr(signup: SignUp, shift: Shift) -> None:
    """The printed volunteer scans the organizer's codes, at the shift's time."""
    user = signup.volunteer.user
    at_in = shift.starts_at - timedelta(minutes=6)
    token, _ = make_token(shift=shift, action=Action.IN, now=at_in)
    attendance_services.check_in(actor=user, token=token, now=at_in)
    at_out = shift.ends_at + timedelta(minutes=3)
    token, _ = make_token(shift=shift, action=Action.OUT, now=at_out)
    attendance_services.check_out(actor=user, token=token, now=at_out)


def _rate_activities(ctx, shifts, by_shift, attended) -> None:
    """A few volunteers who served rate the activity (one rating per volunteer and activity)."""
    done: set[tuple[int, int]] = set()
    for shift in shifts[::4]:
        for signup in by_shift.get(shift.pk, [])[:2]:
            key = (signup.volunteer_id, shift.activity_id)
            user = signup.volunteer.user
            if key in done or user is None or signup.pk not in attended:
                continue
            done.add(key)
            attendance_services.rate_activity(actor=user, activity=shift.activity_id,
                                              stars=ctx.rng.choice([4, 5, 5, 5, 3]),
                                              comment=ctx.rng.choice(["组织有序，很有意义。", "希望下次还能参加。", ""]))
