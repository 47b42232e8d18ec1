from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _

from yigong.core import audit, throttle
from yigong.core.errors import DomainError, Throttled


class LoginFailed(DomainError):
    code = "login_failed"
    status = 401


def _keys(identifier: str, ip: str) -> list[str]:
    from yigong.core.crypto import lookup_hash

    # The identifier may be a phone number: keep only its keyed hash in the throttle table.
    return [f"login:id:{lookup_hash('login', identifier.strip().lower())[:32]}", f"login:ip:{ip}"]


def login_with_password(*, request, identifier: str, password: str, ip: str = ""):
    """Check a phone-or-username and password, throttling repeated failures per account and per IP."""
    limit = settings.YIGONG_LOGIN_MAX_FAILURES
    window = settings.YIGONG_LOGIN_WINDOW_SECONDS
    keys = _keys(identifier or "", ip or "-")
    try:
        throttle.check(keys[0], limit=limit, window=window)
        throttle.check(keys[1], limit=limit * 4, window=window)
    except Throttled as exc:
        minutes = max(1, exc.retry_after // 60)
        raise Throttled(
            _("Too many failed logins. Try again in %(minutes)d minutes.") % {"minutes": minutes},
            retry_after=exc.retry_after,
        ) from exc
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        for key in keys:
            throttle.hit(key, window=window)
        audit.record(actor=None, action="login.failed")
        raise LoginFailed(_("The phone number, username or password is wrong."))
    throttle.reset(keys[0])
    return user
