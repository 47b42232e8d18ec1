"""Unified social credit code (GB 32100-2015)."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from yigong.core.errors import ValidationFailed

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    code = unicodedata.normalize("NFKC", value or "").strip().upper()  # full-width input too
    if len(code) != 18:
        raise ValidationFailed(_("A unified social credit code has 18 characters."))
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise ValidationFailed(
            _("The character %(char)s is not used in unified social credit codes.") % {"char": bad[0]}
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationFailed(_("The check character of this unified social credit code is wrong."))
    return code
