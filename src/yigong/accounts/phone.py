"""Mobile numbers, by the rules of the phonenumbers library (+86 by default)."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _

from yigong.core import crypto
from yigong.core.errors import ValidationFailed


def normalize_mobile(value: str) -> str:
    """Return E.164 (+8613812345678) or raise ValidationFailed with the reason."""
    raw = (value or "").strip().replace(" ", "").replace("-", "")
    if not raw:
        raise ValidationFailed(_("Enter a mobile phone number."))
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed(_("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed(_("This phone number does not exist; check the digits."))
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationFailed(_("Enter a mobile number that can receive text messages."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_mobile(e164: str) -> str:
    """+8613812345678 -> 13812345678 for mainland numbers, E.164 otherwise."""
    return e164[3:] if e164.startswith("+86") else e164


def phone_lookup_hash(e164: str) -> str:
    return crypto.lookup_hash("phone", e164)
