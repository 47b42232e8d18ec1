"""Demo step: one login per role, made through the real services so that every rule is checked."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from yigong.demo import people
from yigong.demo.context import DEMO_PASSWORD, ROLE_LABELS, ROLES, DemoLogin
from yigong.demo.organizations import LOGIN_TEAM, make_user
from yigong.organizations.models import Membership
from yigong.organizations.services import add_member, apply_to_join, decide_membership
from yigong.volunteers.identity import IdType
from yigong.volunteers.services import Registration, register_volunteer

Role = Membership.Role



def build(ctx) -> None:
    first_street = ctx.streets[0]
    community = next(c for c in ctx.communities if c.parent_id == first_street.pk)
    team = ctx.teams[LOGIN_TEAM]
    staff = [
        ("street", ctx.street_federations[first_street.code], Role.STAFF),
        ("station", ctx.stations[community.code], Role.STAFF),
        ("team", team, Role.ADMIN),
        ("citystation", ctx.city_stations[0], Role.STAFF),
        ("unit", ctx.requesting_units[0], Role.ADMIN),
    ]
    users = {}
    for username, organization, role in staff:
        user = make_user(ctx, username=username, name=ctx.name(male=ctx.rng.random() < 0.5))
        add_member(actor=ctx.district_admin, organization=organization, user=user, role=role)
        ctx.login(user, organization.name)
        users[username] = user

    adult = _register(ctx, username="volunteer", age=31, community=community)
    ctx.login(adult.user, community.name)
    membership = apply_to_join(actor=adult.user, organization=team, message="周末有空，想参加社区服务。")
    decide_membership(actor=users["team"], membership=membership, approve=True)

    minor = _register(ctx, username="minor", age=15, community=community)
    ctx.login(minor.user, community.name)
    apply_to_join(actor=minor.user, organization=team, message="暑假想来帮忙，家长已同意。")


def _register(ctx, *, username: str, age: int, community):
    """Register a volunteer exactly as the registration page does."""
    male = ctx.rng.random() < 0.5
    surname = ctx.fake.last_name()
    given = ctx.fake.first_name_male() if male else ctx.fake.first_name_female()
    birth = people.birth_date(ctx.rng, year=ctx.today.year - age - 1)
    minor = age < 18
    data = Registration(
        name=surname + given, id_type=IdType.RESIDENT_ID,
        id_number=ctx.new_resident_id(birth=birth, male=male, area="440307"),
        phone=ctx.new_phone(), password=DEMO_PASSWORD, username=username,
        home_community_code=community.code,
        skills=["first_aid", "tutoring"] if minor else ["first_aid", "elder_care", "photography"],
        languages=["mandarin", "english"] if minor else ["mandarin", "cantonese"],
        availability=["weekend_morning", "holidays"] if minor else ["weekday_evening", "weekend_morning"],
        privacy_consent=True, privacy_notice_version=settings.YIGONG_PRIVACY_NOTICE_VERSION,
        guardian_name=surname + ctx.fake.first_name_male() if minor else "",
        guardian_phone=ctx.new_phone() if minor else "",
        guardian_consent=minor, guardian_data_consent=False,
    )
    return register_volunteer(data=data)


def existing_logins() -> list[DemoLogin]:
    """The demo logins present in the database (for `serve --demo` on a database already filled)."""
    users = get_user_model().objects.filter(username__in=ROLE_LABELS, is_active=True)
    found = {user.username for user in users}
    return [
        DemoLogin(role=label, username=username, password=DEMO_PASSWORD)
        for username, label in ROLES if username in found
    ]
