"""Who may sign up for a shift-position, and if not, why (a stable code and a translated message).

Capacity and overlapping shifts need locks and live in services.sign_up; everything here is a
plain check of the volunteer against the activity, the position and the shift.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from yigong.core.errors import Conflict, NotAllowed
from yigong.organizations.models import Membership, Organization
from yigong.projects.models import RiskLevel
from yigong.volunteers.identity import age_on
from yigong.volunteers.models import Language, Skill, Volunteer

ADULT_AGE = 18


def local_zone() -> ZoneInfo:
    """Shift times are entered and shown in the district's time zone (Asia/Shanghai)."""
    return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, local_zone()).date()


def star_level(volunteer: Volunteer) -> int:
    """The volunteer's certified star level (星级), 0–5.

    Star certification arrives with the recognition issue; until then every volunteer has 0 and a
    position with a minimum star level refuses everyone. This is the one place to change."""
    return 0


class SignUpRefused(NotAllowed):
    """The volunteer is not eligible (403). `code` says why."""


class SignUpConflict(Conflict):
    """The sign-up conflicts with the shift's places or the volunteer's other shifts (409)."""


CONFLICT_CODES = {"shift_full", "overlapping_shift", "already_signed_up"}


def refusal(code: str, message: str) -> NotAllowed | Conflict:
    cls = SignUpConflict if code in CONFLICT_CODES else SignUpRefused
    return cls(message, code=code)


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str

    def error(self) -> NotAllowed | Conflict:
        return refusal(self.code, self.message)


def _labels(values, choices) -> str:
    names = dict(choices)
    return "、".join(str(names.get(v, v)) for v in values)


def _is_team_member(volunteer: Volunteer, activity) -> bool:
    if not volunteer.user_id:
        return False
    team_paths = [t.path for t in activity.teams.all()]
    if not team_paths:
        return False
    orgs = Organization.objects.in_subtrees(team_paths)
    return Membership.objects.filter(
        user_id=volunteer.user_id, organization__in=orgs, status=Membership.Status.ACTIVE,
    ).exists()


def check(volunteer: Volunteer, slot, *, invitation_code: str = "", now: datetime | None = None) -> Refusal | None:
    """The first reason `volunteer` may not sign up for `slot`, or None.

    `slot` must come with `shift__activity` and `position` loaded."""
    from yigong.activities.models import Activity, InsuranceCover

    now = now or timezone.now()
    shift, position = slot.shift, slot.position
    activity = shift.activity

    if volunteer.status != Volunteer.Status.ACTIVE:
        return Refusal("volunteer_inactive", _("Your volunteer registration is not active."))
    if activity.status != Activity.Status.PUBLISHED or shift.cancelled:
        return Refusal("activity_not_open", _("This activity is not open for sign-up."))
    if shift.starts_at <= now or (activity.signup_deadline and activity.signup_deadline <= now):
        return Refusal("signup_closed", _("Sign-up for this shift has closed."))

    if activity.recruitment == Activity.Recruitment.INVITATION:
        given = (invitation_code or "").strip().upper()
        expected = (activity.invitation_code or "").strip().upper()
        if not given or not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return Refusal("not_invited", _(
                "This activity takes volunteers by invitation; the invitation code is missing or wrong."))
    elif activity.recruitment == Activity.Recruitment.TEAMS and not _is_team_member(volunteer, activity):
        return Refusal("not_team_member", _("Only members of the named teams can sign up for this activity."))

    day = local_date(shift.starts_at)
    high_risk = position.high_risk or activity.risk_level == RiskLevel.HIGH
    if volunteer.birth_date is None:
        if position.min_age or position.max_age or high_risk:
            return Refusal("too_young", _("Your birth date is not on record, so your age cannot be checked."))
    else:
        age = age_on(volunteer.birth_date, day)
        if high_risk and age < ADULT_AGE:
            return Refusal("minor_high_risk", _("This is a high-risk duty; volunteers under 18 cannot take it."))
        if position.min_age and age < position.min_age:
            return Refusal("too_young", _("This position needs volunteers aged at least %(age)d.")
                           % {"age": position.min_age})
        if position.max_age and age > position.max_age:
            return Refusal("too_old", _("This position takes volunteers up to the age of %(age)d.")
                           % {"age": position.max_age})

    missing = [s for s in position.required_skills if s not in (volunteer.skills or [])]
    if missing:
        return Refusal("missing_skill", _("This position needs the skill: %(skills)s.")
                       % {"skills": _labels(missing, Skill.choices)})
    missing = [s for s in position.required_languages if s not in (volunteer.languages or [])]
    if missing:
        return Refusal("missing_language", _("This position needs the language: %(languages)s.")
                       % {"languages": _labels(missing, Language.choices)})
    if position.min_stars and star_level(volunteer) < position.min_stars:
        return Refusal("stars_too_low", _("This position needs a star level of at least %(stars)d.")
                       % {"stars": position.min_stars})
    # position.required_training is stored but checked only once training records exist.

    if activity.insurance_required and not InsuranceCover.objects.filter(volunteer=volunteer).valid_on(day).exists():
        return Refusal("insurance_missing", _(
            "This activity requires accident insurance valid on %(date)s, and none is on record for you. "
            "Ask the organizer to record your cover.") % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")})
    return None
