"""Identity documents: the mainland resident ID (GB 11643-1999) and the other accepted papers.

The area-code check is structural (a province prefix in use and six digits), not a lookup in a
dated GB/T 2260 table: codes such as Longgang's 440307 are newer than many holders' birth dates,
and libraries that insist the code existed at birth wrongly refuse valid IDs (see rules.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yigong.core.errors import ValidationFailed


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", gettext_lazy("mainland resident ID card")
    HKMO_RESIDENCE = "hkmo_residence", gettext_lazy("HK/Macao/Taiwan residence permit")
    HKMO_PERMIT = "hkmo_permit", gettext_lazy("HK/Macao travel permit (home return permit)")
    TW_PERMIT = "tw_permit", gettext_lazy("Taiwan travel permit (MTP)")
    PASSPORT = "passport", gettext_lazy("passport")
    FOREIGN_PR = "foreign_pr", gettext_lazy("foreigner permanent residence ID")


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Province-level prefixes of GB/T 2260, plus 81/82/83 for HK/Macao/Taiwan residence permits.
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
}
PERMIT_PREFIXES = {"81", "82", "83"}


@dataclass(frozen=True)
class Identity:
    id_type: str
    number: str  # normalized
    birth_date: date | None = None
    sex: str = ""  # "M" / "F" where the document tells


def resident_id_check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _normalize(value: str) -> str:
    """Full-width characters typed on a Chinese keyboard (４４０３…, Ｈ) become their ASCII forms."""
    return unicodedata.normalize("NFKC", value or "").upper()


def parse_resident_id(value: str, *, today: date | None = None) -> Identity:
    """Validate an 18-character resident ID (or residence permit) and derive birth date and sex."""
    number = re.sub(r"\s", "", _normalize(value))
    if not number:
        raise ValidationFailed(_("Enter the ID number."))
    if len(number) != 18:
        raise ValidationFailed(
            _("A resident ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}
        )
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):  # ASCII only: other scripts' digits are not IDs
        raise ValidationFailed(_("A resident ID number has 17 digits and a last digit or X."))
    if number[:2] not in PROVINCES:
        raise ValidationFailed(_("The ID number starts with an area code that does not exist."))
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationFailed(_("The birth date in this ID number is not a real date.")) from exc
    today = today or date.today()
    if birth > today:
        raise ValidationFailed(_("The birth date in this ID number lies in the future."))
    if birth.year < 1900:
        raise ValidationFailed(_("The birth date in this ID number is too early."))
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationFailed(
            _("The last character of this ID number does not match the others; check for a typo.")
        )
    sex = "M" if int(number[16]) % 2 else "F"
    id_type = IdType.HKMO_RESIDENCE if number[:2] in PERMIT_PREFIXES else IdType.RESIDENT_ID
    return Identity(id_type=id_type, number=number, birth_date=birth, sex=sex)


_PATTERNS = {
    # 港澳居民来往内地通行证: H or M and 8 digits (older 10-digit numbers too).
    IdType.HKMO_PERMIT: (re.compile(r"[HM]\d{8}(\d{2})?", re.ASCII), gettext_lazy(
        "A home return permit number is H or M followed by 8 or 10 digits.")),
    # 台湾居民来往大陆通行证: 8 digits (older permits 10 characters).
    IdType.TW_PERMIT: (re.compile(r"\d{8}|\d{10}|\d{8}[A-Z]\d", re.ASCII), gettext_lazy(
        "A Taiwan travel permit number has 8 digits.")),
    IdType.PASSPORT: (re.compile(r"[A-Z0-9]{5,17}", re.ASCII), gettext_lazy(
        "A passport number has 5 to 17 letters and digits.")),
    # Foreigner permanent residence ID: 2017 format (3 letters + 12 digits) or 2023 format (18, starts 9).
    IdType.FOREIGN_PR: (re.compile(r"[A-Z]{3}\d{12}|9\d{16}[\dX]", re.ASCII), gettext_lazy(
        "A permanent residence ID has 3 letters and 12 digits, or 18 characters starting with 9.")),
}


def parse_identity(id_type: str, value: str, *, today: date | None = None) -> Identity:
    if id_type not in IdType.values:
        raise ValidationFailed(_("Choose the type of identity document."))
    if id_type in (IdType.RESIDENT_ID, IdType.HKMO_RESIDENCE):
        identity = parse_resident_id(value, today=today)
        if id_type == IdType.RESIDENT_ID and identity.id_type != IdType.RESIDENT_ID:
            raise ValidationFailed(
                _("This is a residence permit number; choose the residence permit as the document type.")
            )
        if id_type == IdType.HKMO_RESIDENCE and identity.id_type != IdType.HKMO_RESIDENCE:
            raise ValidationFailed(_("A residence permit number starts with 81, 82 or 83."))
        return identity
    number = re.sub(r"[\s-]", "", _normalize(value))
    if not number:
        raise ValidationFailed(_("Enter the document number."))
    pattern, message = _PATTERNS[IdType(id_type)]
    if not pattern.fullmatch(number):
        raise ValidationFailed(str(message))
    if id_type == IdType.FOREIGN_PR and len(number) == 18:
        if resident_id_check_char(number[:17]) != number[17]:
            raise ValidationFailed(_("The last character of this document number does not match the others."))
    return Identity(id_type=id_type, number=number)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
