"""API v1: check-in and check-out by token, the organizer's QR token and one-step confirmation."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from yigong.attendance import selectors, services
from yigong.attendance.tokens import Action, Display, make_token
from yigong.config.api import AUTH
from yigong.core.errors import NotFound, ValidationFailed
from yigong.core.schemas import ErrorOut

router = Router(tags=["attendance"])

_SCAN_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 410: ErrorOut}


class ScanIn(Schema):
    token: str
    shift_id: int | None = None  # optional: refuse the token unless it is for this shift


class AttendanceOut(Schema):
    shift_id: int
    signup_id: int
    activity_id: int
    activity_title: str
    shift_starts_at: datetime
    shift_ends_at: datetime
    checked_in_at: datetime | None
    check_in_method: str
    checked_out_at: datetime | None
    check_out_method: str


def _attendance_out(attendance) -> dict:
    shift = attendance.signup.shift
    return {
        "shift_id": shift.pk, "signup_id": attendance.signup_id, "activity_id": shift.activity_id,
        "activity_title": shift.activity.title, "shift_starts_at": shift.starts_at, "shift_ends_at": shift.ends_at,
        "checked_in_at": attendance.checked_in_at, "check_in_method": attendance.check_in_method,
        "checked_out_at": attendance.checked_out_at, "check_out_method": attendance.check_out_method,
    }


def _token(payload: ScanIn) -> str:
    token = (payload.token or "").strip()
    if not token:
        raise ValidationFailed(fields={"token": [_("This field is required.")]})
    return token


@router.post("/checkin", response={200: AttendanceOut, **_SCAN_ERRORS}, auth=AUTH)
def check_in(request, payload: ScanIn):
    """Check in with the token of a check-in QR code. 409 `already_checked_in` the second time;
    410 `token_expired`; 403 `token_invalid` (tampered, another shift or day), `not_signed_up`,
    `outside_window`."""
    attendance = services.check_in(actor=request.auth, token=_token(payload), shift_id=payload.shift_id)
    return _attendance_out(attendance)


@router.post("/checkout", response={200: AttendanceOut, **_SCAN_ERRORS}, auth=AUTH)
def check_out(request, payload: ScanIn):
    """Check out with the token of a check-out QR code. 409 `already_checked_out` or
    `not_checked_in`; otherwise as check-in."""
    attendance = services.check_out(actor=request.auth, token=_token(payload), shift_id=payload.shift_id)
    return _attendance_out(attendance)


class ConfirmationOut(Schema):
    shift_id: int
    entries: int
    minutes: int
    confirmed_at: datetime
    confirmed_by: str


def _staff_shift(request, shift_id: int):
    try:
        return selectors.shift_for_staff(request.auth, shift_id)
    except Http404:
        raise NotFound() from None


@router.post("/shifts/{shift_id}/confirm-hours",
             response={200: ConfirmationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}, auth=AUTH)
def confirm_hours(request, shift_id: int):
    """Confirm a shift's hours in one step (staff of the organizing organization's subtree).
    409 `hours_confirmed` when already confirmed, `open_checkins` while someone is still checked in."""
    shift = _staff_shift(request, shift_id)
    confirmation = services.confirm_shift_hours(actor=request.auth, shift=shift)
    return {
        "shift_id": shift.pk, "entries": confirmation.entries, "minutes": confirmation.minutes,
        "confirmed_at": confirmation.confirmed_at, "confirmed_by": str(confirmation.confirmed_by or ""),
    }


class QrTokenOut(Schema):
    shift_id: int
    action: str
    display: str
    token: str
    url: str  # what the QR code carries: the check-in/out page for this token
    expires_at: datetime


@router.get("/shifts/{shift_id}/qr-token",
            response={200: QrTokenOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def qr_token(request, shift_id: int, action: Literal["in", "out"],
             display: Literal["screen", "print"] = "screen"):
    """A fresh check-in or check-out token for a shift, for an organizer's app to show as a QR code.
    `screen` tokens live a few minutes; `print` tokens until the shift's end plus the late margin."""
    shift = _staff_shift(request, shift_id)
    token, expires_at = make_token(shift=shift, action=Action(action), display=Display(display))
    name = "checkin:in" if action == "in" else "checkin:out"
    return {
        "shift_id": shift.pk, "action": action, "display": display, "token": token,
        "url": request.build_absolute_uri(reverse(name, args=[token])), "expires_at": expires_at,
    }
