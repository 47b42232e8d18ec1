from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from yigong.accounts.phone import normalize_mobile, phone_lookup_hash
from yigong.core.errors import ValidationFailed


def find_user(identifier: str):
    """A user by username (exact, else the only case-insensitive match), or by mobile phone number
    through its keyed hash."""
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User.objects.filter(username=identifier).first()
    if user is not None:
        return user
    same_but_case = list(User.objects.filter(username__iexact=identifier)[:2])
    if len(same_but_case) == 1:
        return same_but_case[0]
    try:
        e164 = normalize_mobile(identifier)
    except ValidationFailed:
        return None
    return User.objects.filter(phone_hash=phone_lookup_hash(e164)).first()


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal who is registered.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
