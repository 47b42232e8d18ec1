from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _

from yigong.core import audit, throttle
from yigong.core.errors import DomainError, Throttled


class LoginFailed(DomainError):
    code = "login_failed"
    status = 401


def _account_key(identifier: str) -> str:
    """One throttle key per account, however it is named (username, 138…, +86 138…).

    Unknown identifiers get a key of their own. Keys hold no phone number in clear.
    """
    from yigong.accounts.backends import find_user
    from yigong.accounts.phone import normalize_mobile
    from yigong.core.crypto import lookup_hash
    from yigong.core.errors import ValidationFailed

    user = find_user(identifier)
    if user is not None:
        return f"login:user:{user.pk}"
    try:
        normalized = normalize_mobile(identifier)
    except ValidationFailed:
        normalized = identifier.strip().lower()
    return f"login:id:{lookup_hash('login', normalized)[:32]}"


def _throttled(exc: Throttled) -> Throttled:
    minutes = max(1, -(-exc.retry_after // 60))  # rounded up: never tell people to come back too early
    return Throttled(
        _("Too many failed logins. Try again in %(minutes)d minutes.") % {"minutes": minutes},
        retry_after=exc.retry_after,
    )


def login_with_password(*, request, identifier: str, password: str, ip: str = ""):
    """Check a phone-or-username and password, throttling repeated failures per account and per IP.

    Each attempt on an account is counted before the password is checked (under a row lock), so
    parallel guesses cannot get past the limit; a successful login clears the account's count.
    """
    limit = settings.YIGONG_LOGIN_MAX_FAILURES
    window = settings.YIGONG_LOGIN_WINDOW_SECONDS
    identifier = identifier or ""
    account_key, ip_key = _account_key(identifier), f"login:ip:{ip or '-'}"
    try:
        throttle.check(ip_key, limit=limit * 4, window=window)
        throttle.attempt(account_key, limit=limit, window=window)
    except Throttled as exc:
        raise _throttled(exc) from exc
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        throttle.hit(ip_key, window=window)
        audit.record(actor=None, action="login.failed")
        raise LoginFailed(_("The phone number, username or password is wrong."))
    throttle.reset(account_key)
    return user
