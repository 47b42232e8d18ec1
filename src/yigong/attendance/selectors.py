"""Reads for attendance pages and the API: staff scope, the shift board, shift lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from yigong.activities.models import Shift, SignUp
from yigong.attendance.models import Attendance, ServiceRating, ShiftConfirmation
from yigong.attendance.services import Line, shift_lines
from yigong.organizations import permissions


def shifts_visible_to(user):
    """Shifts of activities run by organizations in the user's staff subtrees."""
    if permissions.is_district_admin(user):
        return Shift.objects.all()
    return Shift.objects.filter(activity__organization__in=permissions.managed_organizations(user))


def shift_for_staff(user, shift_id: int) -> Shift:
    """The shift, if `user` is staff of its organization's subtree; 404 otherwise (no hint it exists)."""
    shift = (
        Shift.objects.select_related("activity__organization", "activity__region")
        .filter(pk=shift_id).first()
    )
    if shift is None or not permissions.can_manage(user, shift.activity.organization):
        raise Http404
    return shift


def staff_shifts(user, *, now: datetime, days_back: int = 14, days_ahead: int = 7):
    """Recent and coming shifts for the organizer's list, with counts; newest first."""
    approved = Q(signups__status=SignUp.Status.APPROVED)
    return (
        shifts_visible_to(user)
        .filter(starts_at__gte=now - timedelta(days=days_back), starts_at__lte=now + timedelta(days=days_ahead))
        .select_related("activity__organization")
        .annotate(
            coming=Count("signups", filter=approved, distinct=True),
            checked_in=Count("attendances", filter=Q(attendances__checked_in_at__isnull=False), distinct=True),
            confirmed=Exists(ShiftConfirmation.objects.filter(shift=OuterRef("pk"))),
        )
        .order_by("-starts_at", "-id")
    )


@dataclass
class Board:
    shift: Shift
    lines: list[Line]
    ratings: dict[int, ServiceRating]
    confirmation: ShiftConfirmation | None
    no_shows: list[SignUp]

    @property
    def coming(self) -> int:
        return len(self.lines)

    @property
    def checked_in(self) -> int:
        return sum(1 for line in self.lines if line.attendance and line.attendance.checked_in_at)

    @property
    def checked_out(self) -> int:
        return sum(1 for line in self.lines if line.attendance and line.attendance.checked_out_at)

    @property
    def open(self) -> list[Line]:
        return [line for line in self.lines if line.state == "open"]

    @property
    def minutes(self) -> int:
        return sum(line.minutes or 0 for line in self.lines)

    @property
    def served(self) -> int:
        return sum(1 for line in self.lines if line.minutes)


def board_for(shift: Shift) -> Board:
    """Everything the shift board shows, in a fixed number of queries."""
    confirmation = ShiftConfirmation.objects.select_related("confirmed_by").filter(shift=shift).first()
    signups = list(
        SignUp.objects.filter(shift=shift, status=SignUp.Status.APPROVED)
        .select_related("volunteer__user", "slot__position")
        .order_by("slot__position__name", "volunteer__name", "pk")
    )
    lines = shift_lines(shift, signups)
    if confirmation is not None:
        # After confirmation the ledger is the truth: show what was recorded.
        from yigong.ledger.selectors import minutes_for_signups

        recorded = minutes_for_signups(s.pk for s in signups)
        for line in lines:
            line.minutes = recorded.get(line.signup.pk, 0)
    no_shows = list(
        SignUp.objects.filter(shift=shift, status=SignUp.Status.NO_SHOW)
        .select_related("volunteer", "slot__position").order_by("volunteer__name")
    )
    ratings = {r.signup_id: r for r in ServiceRating.objects.filter(signup__shift=shift)}
    return Board(shift=shift, lines=lines, ratings=ratings, confirmation=confirmation, no_shows=no_shows)


def line_for_signup(shift: Shift, signup_id: int) -> Line:
    signup = (
        SignUp.objects.filter(shift=shift, pk=signup_id)
        .select_related("volunteer__user", "slot__position").first()
    )
    if signup is None:
        raise Http404
    return shift_lines(shift, [signup])[0]


def attendance_of(volunteer, shift) -> Attendance | None:
    return Attendance.objects.filter(volunteer=volunteer, shift=shift).first()
