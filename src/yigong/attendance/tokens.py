"""Signed, expiring check-in/out tokens carried by the QR code an organizer shows or prints.

A token is `django.core.signing` over {shift id, action, the shift's local date, a random nonce,
expiry}, with a salt per action: a check-out token is no check-in token, a token of one shift or
day does not fit another (the signature covers both), and nobody can make one without SECRET_KEY.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigong.core import settings_store
from yigong.core.errors import DomainError, NotAllowed


class Action(StrEnum):
    IN = "in"
    OUT = "out"


class Display(StrEnum):
    SCREEN = "screen"  # shown on the organizer's screen, refreshed every minute, valid a few minutes
    PRINT = "print"  # printed on paper: valid until the shift's end plus the late margin


class TokenInvalid(NotAllowed):
    code = "token_invalid"
    default_message = _("This QR code is not valid. Scan the code the organizer shows for your shift.")


class TokenExpired(DomainError):
    code = "token_expired"
    status = 410
    default_message = _("This QR code has expired. Scan the code the organizer shows now.")


def _salt(action: Action) -> str:
    return f"yigong.attendance.check-{action.value}"


def shift_local_date(shift) -> date:
    return timezone.localdate(shift.starts_at, timezone.get_default_timezone())


@dataclass(frozen=True)
class TokenPayload:
    shift_id: int
    action: Action
    shift_date: date
    nonce: str
    expires_at: datetime


def expiry_for(shift, display: Display, now: datetime) -> datetime:
    if display == Display.PRINT:
        return shift.ends_at + timedelta(minutes=settings_store.get("checkin_late_minutes"))
    return now + timedelta(minutes=settings_store.get("qr_screen_minutes"))


def make_token(*, shift, action: Action | str, display: Display | str = Display.SCREEN,
               now: datetime | None = None) -> tuple[str, datetime]:
    """A new token for `shift` and `action`; returns (token, expires_at)."""
    action, display = Action(action), Display(display)
    now = now or timezone.now()
    expires = int(expiry_for(shift, display, now).timestamp())
    payload = {
        "s": shift.pk,
        "a": action.value,
        "d": shift_local_date(shift).isoformat(),
        "n": secrets.token_urlsafe(6),
        "e": expires,
    }
    return signing.Signer(salt=_salt(action)).sign_object(payload), datetime.fromtimestamp(expires, tz=UTC)


def read_token(token: str, *, action: Action | str, now: datetime | None = None) -> TokenPayload:
    """Check the signature and expiry; raise TokenInvalid or TokenExpired."""
    action = Action(action)
    now = now or timezone.now()
    if not isinstance(token, str) or not token or len(token) > 400:
        raise TokenInvalid()
    try:
        raw = signing.Signer(salt=_salt(action)).unsign_object(token.strip())
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        other = Action.OUT if action == Action.IN else Action.IN
        try:
            signing.Signer(salt=_salt(other)).unsign_object(token.strip())
        except (signing.BadSignature, ValueError, UnicodeDecodeError):
            raise TokenInvalid() from None
        raise TokenInvalid(
            _("This is the check-out code; scan the check-in code.") if action == Action.IN
            else _("This is the check-in code; scan the check-out code.")
        ) from None
    try:
        payload = TokenPayload(
            shift_id=int(raw["s"]),
            action=Action(raw["a"]),
            shift_date=date.fromisoformat(raw["d"]),
            nonce=str(raw["n"]),
            expires_at=datetime.fromtimestamp(int(raw["e"]), tz=UTC),
        )
    except (KeyError, TypeError, ValueError):
        raise TokenInvalid() from None
    if payload.action != action:
        raise TokenInvalid()
    if payload.expires_at < now:
        raise TokenExpired()
    return payload
