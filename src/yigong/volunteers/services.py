"""Writes on volunteers: registration, reveal of personal numbers, export, withdrawal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yigong.accounts.phone import normalize_mobile, phone_lookup_hash
from yigong.core import audit, crypto, settings_store
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.core.masking import mask_id_number
from yigong.regions.models import Region
from yigong.volunteers.identity import IdType, age_on, parse_identity
from yigong.volunteers.models import (
    Availability,
    Language,
    RegistrationCounter,
    Sex,
    Skill,
    Volunteer,
)


class AlreadyRegistered(Conflict):
    code = "already_registered"


@dataclass
class Registration:
    """What a person fills in to register. Every field is checked; all errors are returned together."""

    name: str
    id_type: str
    id_number: str
    phone: str
    password: str
    home_community_code: str = ""
    username: str = ""
    birth_date: date | None = None  # needed when the document does not carry it
    sex: str = ""
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    privacy_consent: bool = False
    privacy_notice_version: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_consent: bool = False
    guardian_data_consent: bool = False
    preferred_language: str = ""


def _choices(values, allowed: list[str], field_name: str, errors: dict) -> list[str]:
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in allowed]
    if bad:
        errors[field_name] = [_("Unknown choice: %(value)s.") % {"value": ", ".join(map(str, bad))}]
    return values


def id_lookup_hash(id_type: str, number: str) -> str:
    # Resident IDs and residence permits share one number space.
    family = "cnid" if id_type in (IdType.RESIDENT_ID, IdType.HKMO_RESIDENCE) else id_type
    return crypto.lookup_hash(family, number)


def next_registration_number(district_code: str, year: int) -> str:
    """Issue the next registration number: district code + year + 6-digit sequence.

    Call inside the transaction that saves the volunteer: the counter row stays locked until it
    ends, and a rolled-back registration gives its number back (so no number is skipped or reused).
    """
    counter, _created = RegistrationCounter.objects.select_for_update().get_or_create(
        district_code=district_code, year=year,
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{district_code}{year}{counter.last:06d}"


_next_registration_number = next_registration_number  # the name used before it was public


def _password_message(error: ValidationError) -> str:
    """Django's message, except where Django's own catalog lacks the translation."""
    if error.code == "password_too_short":
        minimum = (error.params or {}).get("min_length", 8)
        # Django 5.2 changed this msgid and its zh_Hans catalog has not caught up.
        return ngettext(
            "The password is too short: use at least %(min_length)d character.",
            "The password is too short: use at least %(min_length)d characters.",
            minimum,
        ) % {"min_length": minimum}
    return next(iter(error.messages))


def validate_registration(data: Registration, *, today: date | None = None) -> dict:
    """Check everything without saving; returns cleaned values or raises with every error."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    clean: dict = {}

    name = " ".join((data.name or "").split())
    if not name:
        errors["name"] = [_("Enter your name as it is on your ID document.")]
    elif len(name) > 60:
        errors["name"] = [_("The name is too long (60 characters at most).")]
    clean["name"] = name

    identity = None
    try:
        identity = parse_identity(data.id_type, data.id_number, today=today)
    except ValidationFailed as exc:
        errors["id_type" if data.id_type not in IdType.values else "id_number"] = [str(exc.message)]
    birth, sex = None, data.sex
    if identity is not None:
        if identity.birth_date:
            birth, sex = identity.birth_date, identity.sex
        else:
            birth = data.birth_date
            if birth is None:
                errors["birth_date"] = [_("Enter your date of birth.")]
            elif birth > today:
                errors["birth_date"] = [_("The date of birth lies in the future.")]
            if sex not in Sex.values:
                errors["sex"] = [_("Choose your sex as on your document.")]
    clean.update(identity=identity, birth_date=birth, sex=sex)

    try:
        clean["phone"] = normalize_mobile(data.phone)
    except ValidationFailed as exc:
        errors["phone"] = [str(exc.message)]

    username = (data.username or "").strip()
    if username:
        User = get_user_model()
        if len(username) < 3 or len(username) > 30 or not username.replace("_", "").replace(".", "").isalnum():
            errors["username"] = [_("A username has 3 to 30 letters, digits, dots or underscores.")]
        elif username.isdigit():
            errors["username"] = [_("A username cannot be only digits (that looks like a phone number).")]
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("This username is taken; choose another.")]
    clean["username"] = username

    try:
        validate_password(data.password or "", user=None)
    except ValidationError as exc:
        errors["password"] = [_password_message(e) for e in exc.error_list]

    community = None
    if data.home_community_code:
        community = Region.objects.filter(
            code=data.home_community_code, level=Region.Level.COMMUNITY, active=True,
        ).first()
        if community is None:
            errors["home_community"] = [_("Choose your community from the list.")]
    else:
        errors["home_community"] = [_("Choose the community where you live or work.")]
    clean["home_community"] = community

    clean["skills"] = _choices(data.skills, Skill.values, "skills", errors)
    clean["languages"] = _choices(data.languages, Language.values, "languages", errors)
    clean["availability"] = _choices(data.availability, Availability.values, "availability", errors)

    if not data.privacy_consent:
        errors["privacy_consent"] = [_("Read and accept the privacy notice to register.")]
    elif data.privacy_notice_version and data.privacy_notice_version != settings.YIGONG_PRIVACY_NOTICE_VERSION:
        errors["privacy_consent"] = [_("The privacy notice has changed; read the current one and accept it.")]

    if birth is not None and "birth_date" not in errors:
        age = age_on(birth, today)
        minimum = settings_store.get("minimum_age")
        clean["age"] = age
        if age < minimum:
            errors["birth_date" if not (identity and identity.birth_date) else "id_number"] = [
                _("Volunteers must be at least %(age)d years old.") % {"age": minimum}
            ]
        elif age < settings_store.get("guardian_consent_age"):
            if not (data.guardian_name or "").strip():
                errors["guardian_name"] = [_("Under 18: enter your guardian's name.")]
            try:
                clean["guardian_phone"] = normalize_mobile(data.guardian_phone)
            except ValidationFailed as exc:
                errors["guardian_phone"] = [str(exc.message)]
            else:
                if clean.get("phone") == clean["guardian_phone"]:
                    errors["guardian_phone"] = [_("Your guardian's phone must differ from your own.")]
            if not data.guardian_consent:
                errors["guardian_consent"] = [_("Under 18: your guardian must agree to your volunteering.")]
            if age < settings_store.get("child_data_consent_age") and not data.guardian_data_consent:
                errors["guardian_data_consent"] = [
                    _("Under 14: your guardian must read the children's privacy notice and agree to it.")
                ]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    return clean


def _id_taken() -> AlreadyRegistered:
    return AlreadyRegistered(
        _("This ID number is already registered. Log in, or ask your station if you forgot your account."),
        fields={"id_number": [_("already registered")]},
    )


def _phone_taken() -> AlreadyRegistered:
    return AlreadyRegistered(
        _("This phone number already belongs to an account. Log in, or use another number."),
        fields={"phone": [_("already in use")]}, code="phone_taken",
    )


def register_volunteer(*, data: Registration, actor=None, today: date | None = None) -> Volunteer:
    """Real-name registration: one person, one registration. All saved, or nothing.

    `today` (default: the local date) decides the age and the year in the registration number.
    """
    today = today or timezone.localdate()
    clean = validate_registration(data, today=today)
    identity = clean["identity"]
    id_hash = id_lookup_hash(identity.id_type, identity.number)
    phone_hash = phone_lookup_hash(clean["phone"])
    User = get_user_model()
    user = User(
        display_name=clean["name"], phone=clean["phone"], phone_hash=phone_hash,
        preferred_language=data.preferred_language or settings.LANGUAGE_CODE,
    )
    # Hash the password (slow on purpose) before any row is locked.
    user.set_password(data.password)
    now = timezone.now()
    try:
        with transaction.atomic():
            if Volunteer.objects.filter(id_hash=id_hash).exists():
                raise _id_taken()
            if User.objects.filter(phone_hash=phone_hash).exists():
                raise _phone_taken()
            district = settings.YIGONG_DISTRICT_CODE
            number = next_registration_number(district, today.year)
            user.username = clean["username"] or number
            user.save()
            minor = clean.get("age", 99) < settings_store.get("guardian_consent_age")
            child = clean.get("age", 99) < settings_store.get("child_data_consent_age")
            volunteer = Volunteer.objects.create(
                user=user, registration_number=number, district_code=district,
                name=clean["name"], id_type=identity.id_type, id_number=identity.number, id_hash=id_hash,
                id_masked=mask_id_number(identity.number), birth_date=clean["birth_date"], sex=clean["sex"],
                home_community=clean["home_community"], skills=clean["skills"],
                languages=clean["languages"], availability=clean["availability"],
                registered_at=now, privacy_notice_version=settings.YIGONG_PRIVACY_NOTICE_VERSION,
                consented_at=now,
                guardian_name=(data.guardian_name or "").strip() if minor else "",
                guardian_phone=clean.get("guardian_phone", "") if minor else "",
                guardian_consent_at=now if minor else None,
                child_privacy_notice_version=settings.YIGONG_CHILD_PRIVACY_NOTICE_VERSION if child else "",
                guardian_data_consent_at=now if child else None,
            )
            audit.record(actor=actor or user, action="volunteer.register", target=volunteer)
    except IntegrityError as exc:
        # A simultaneous registration won the race (PostgreSQL: the unique indexes decide).
        # Its row is committed by now, so say which field collided.
        if Volunteer.objects.filter(id_hash=id_hash).exists():
            raise _id_taken() from exc
        if User.objects.filter(phone_hash=phone_hash).exists():
            raise _phone_taken() from exc
        if clean["username"] and User.objects.filter(username__iexact=clean["username"]).exists():
            raise ValidationFailed(
                _("Please correct the marked fields."),
                fields={"username": [_("This username is taken; choose another.")]},
            ) from exc
        raise
    return volunteer


def can_reveal(user, volunteer: Volunteer) -> bool:
    """Full personal numbers: the volunteer themself, the district office, or an administrator
    (not plain staff) of an active organization whose scope includes the volunteer."""
    from yigong.organizations import permissions
    from yigong.organizations.models import Membership, Organization

    if not getattr(user, "is_authenticated", False):
        return False
    if volunteer.user_id and volunteer.user_id == user.pk:
        return True
    if permissions.is_district_admin(user):
        return True
    admin_paths = set(Membership.objects.filter(
        user=user, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN,
        organization__status=Organization.Status.ACTIVE,
    ).values_list("organization__path", flat=True))
    return Volunteer.objects.in_scope_of(admin_paths).filter(pk=volunteer.pk).exists()


@transaction.atomic
def reveal_personal_numbers(*, actor, volunteer: Volunteer, reason: str = "") -> dict[str, str]:
    """Show the full ID and phone numbers to someone allowed to see them, and audit it."""
    if not can_reveal(actor, volunteer):
        raise NotAllowed(_("You may not see this volunteer's full personal numbers."))
    audit.record(actor=actor, action="volunteer.reveal", target=volunteer, reason=reason[:200])
    return {
        "id_number": volunteer.id_number,
        "phone": volunteer.user.phone if volunteer.user_id else "",
        "guardian_phone": volunteer.guardian_phone,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_personal_data(*, volunteer: Volunteer) -> dict:
    """Everything the platform holds on a volunteer, for them to download (PIPL art. 45)."""
    from django.db.models import Q

    from yigong.core.models import AuditEvent
    from yigong.organizations.models import Membership

    user = volunteer.user
    community = volunteer.home_community
    data = {
        "exported_at": timezone.now().isoformat(),
        "volunteer": {
            "registration_number": volunteer.registration_number,
            "district_code": volunteer.district_code,
            "name": volunteer.name,
            "id_type": volunteer.id_type,
            "id_number": volunteer.id_number,
            "birth_date": _iso(volunteer.birth_date),
            "sex": volunteer.sex,
            "home_community": community.name if community else None,
            "home_community_code": community.code if community else None,
            "skills": volunteer.skills,
            "languages": volunteer.languages,
            "availability": volunteer.availability,
            "status": volunteer.status,
            "registered_at": _iso(volunteer.registered_at),
            "privacy_notice_version": volunteer.privacy_notice_version,
            "consented_at": _iso(volunteer.consented_at),
            "guardian_name": volunteer.guardian_name,
            "guardian_phone": volunteer.guardian_phone,
            "guardian_consent_at": _iso(volunteer.guardian_consent_at),
            "child_privacy_notice_version": volunteer.child_privacy_notice_version,
            "guardian_data_consent_at": _iso(volunteer.guardian_data_consent_at),
            "withdrawn_at": _iso(volunteer.withdrawn_at),
        },
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "phone": user.phone,
            "language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        } if user else None,
        "memberships": [
            {"organization": m.organization.name, "organization_kind": m.organization.kind,
             "role": m.role, "status": m.status, "message": m.message,
             "since": _iso(m.created_at), "decided_at": _iso(m.decided_at),
             "decision_reason": m.decision_reason}
            for m in Membership.objects.filter(user=user).select_related("organization").order_by("created_at")
        ] if user else [],
        "audit": [
            {"time": e.created_at.isoformat(), "action": e.action}
            for e in AuditEvent.objects.filter(
                Q(target_type=volunteer._meta.label_lower, target_id=str(volunteer.pk))
                | (Q(actor=user) if user else Q(pk__in=[]))
            ).order_by("created_at", "id")[:1000]
        ],
    }
    for section, provider in EXPORT_SECTIONS.items():
        data[section] = provider(volunteer)
    return data


# Other apps (ledger, archive, certificates) add their part of the export here.
EXPORT_SECTIONS: dict = {}


@transaction.atomic
def withdraw(*, actor, volunteer: Volunteer, password: str | None = None) -> Volunteer:
    """Close the account and remove personal data; the registration number stays (never reused) and
    the service ledger keeps a pseudonymized record."""
    from yigong.organizations.models import Membership

    v = Volunteer.objects.select_for_update(of=("self",)).select_related("user").get(pk=volunteer.pk)
    if v.status == Volunteer.Status.WITHDRAWN:
        raise Conflict(_("This registration has already been withdrawn."), code="already_withdrawn")
    if actor is None or not getattr(actor, "is_authenticated", False) or (
        v.user_id != actor.pk and not actor.is_superuser
    ):
        raise NotAllowed(_("Only the volunteer can withdraw their own registration."))
    if password is not None and v.user and not v.user.check_password(password):
        raise ValidationFailed(fields={"password": [_("The password is wrong.")]})
    user = v.user
    v.name = _("Withdrawn volunteer %(number)s") % {"number": v.registration_number}
    v.id_number, v.id_hash, v.id_masked = "", None, ""
    v.birth_date = date(v.birth_date.year, 1, 1) if v.birth_date else None  # year kept for statistics
    v.guardian_name, v.guardian_phone = "", ""
    v.skills, v.languages, v.availability = [], [], []
    v.status, v.withdrawn_at, v.user = Volunteer.Status.WITHDRAWN, timezone.now(), None
    v.save(update_fields=[
        "name", "id_number", "id_hash", "id_masked", "birth_date", "guardian_name", "guardian_phone",
        "skills", "languages", "availability", "status", "withdrawn_at", "user", "updated_at",
    ])
    if user is not None:
        Membership.objects.filter(
            user=user, status__in=[Membership.Status.PENDING, Membership.Status.ACTIVE],
        ).update(status=Membership.Status.LEFT, updated_at=timezone.now())
        user.api_tokens.all().delete()
        user.username = f"withdrawn-{v.registration_number}"
        user.display_name, user.phone, user.phone_hash, user.email = "", "", None, ""
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()  # also ends every session (the session hash changes)
        user.save(update_fields=[
            "username", "display_name", "phone", "phone_hash", "email", "first_name", "last_name",
            "is_active", "password",
        ])
    audit.record(actor=actor, action="volunteer.withdraw", target=v)
    return v
