"""Test data for the service loop, made with the ORM (the sign-up services live elsewhere).

A small district: the office (root) → the district federation → a street federation → two community
stations, A and B. An activity of station A has one position and shifts made on demand.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from yigong.activities.models import Activity, Position, Shift, ShiftSlot, SignUp
from yigong.organizations.models import Membership, Organization
from yigong.projects.models import Project
from yigong.volunteers.models import Volunteer

_seq = itertools.count(1)
TZ = timezone.get_default_timezone()


def local(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    """An aware datetime in the platform's time zone (Asia/Shanghai)."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


def make_org(name: str, kind: str, parent: Organization | None = None) -> Organization:
    org = Organization.objects.create(name=name, kind=kind, parent=parent, status=Organization.Status.ACTIVE)
    org.path = (parent.path if parent else "") + f"{org.pk:08d}/"
    org.save(update_fields=["path"])
    return org


def make_user(username: str, *, phone: str = "", language: str = "zh-hans", superuser: bool = False):
    User = get_user_model()
    user = User.objects.create(username=username, display_name=username.title(), phone=phone,
                               preferred_language=language, is_superuser=superuser)
    user.set_password("correct horse battery")
    user.save(update_fields=["password"])
    return user


def make_staff(username: str, org: Organization, role: str = Membership.Role.STAFF):
    user = make_user(username)
    Membership.objects.create(user=user, organization=org, role=role, status=Membership.Status.ACTIVE)
    return user


def make_volunteer(name: str, *, username: str | None = None, district: str = "440307",
                   language: str = "zh-hans") -> Volunteer:
    n = next(_seq)
    user = make_user(username or f"vol{n}", phone=f"+86138{n:08d}", language=language)
    now = timezone.now()
    return Volunteer.objects.create(
        user=user, registration_number=f"{district}2026{n:06d}", district_code=district, name=name,
        id_type="resident_id", registered_at=now, privacy_notice_version="2026-11", consented_at=now,
    )


@dataclass
class World:
    office: Organization
    federation: Organization
    street: Organization
    station_a: Organization
    station_b: Organization
    staff_a: object
    staff_b: object
    street_staff: object
    activity: Activity
    position: Position


def make_world() -> World:
    office = make_org("龙岗区义工工作办公室", Organization.Kind.DISTRICT_OFFICE)
    federation = make_org("龙岗区义工联", Organization.Kind.DISTRICT_FEDERATION, office)
    street = make_org("坂田街道义工联", Organization.Kind.STREET_FEDERATION, federation)
    station_a = make_org("岗头社区义工服务站", Organization.Kind.COMMUNITY_STATION, street)
    station_b = make_org("马安堂社区义工服务站", Organization.Kind.COMMUNITY_STATION, street)
    project = Project.objects.create(
        title="社区长者关爱", category="community", owner=station_a,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), state=Project.State.ACTIVE,
    )
    activity = Activity.objects.create(
        project=project, organization=station_a, title="长者饭堂助餐", category="community",
        place="岗头社区党群服务中心", status=Activity.Status.PUBLISHED,
    )
    position = Position.objects.create(activity=activity, name="送餐")
    return World(
        office=office, federation=federation, street=street, station_a=station_a, station_b=station_b,
        staff_a=make_staff("alice", station_a), staff_b=make_staff("bob", station_b),
        street_staff=make_staff("sam", street), activity=activity, position=position,
    )


def make_shift(world: World, starts_at: datetime, hours: float = 3, places: int = 10,
               activity: Activity | None = None) -> Shift:
    activity = activity or world.activity
    shift = Shift.objects.create(activity=activity, starts_at=starts_at,
                                 ends_at=starts_at + timedelta(hours=hours))
    position = world.position if activity == world.activity else activity.positions.first()
    ShiftSlot.objects.create(shift=shift, position=position, places=places)
    return shift


def sign_up(shift: Shift, volunteer: Volunteer, status: str = SignUp.Status.APPROVED) -> SignUp:
    slot = shift.slots.first()
    signup = SignUp.objects.create(slot=slot, shift=shift, volunteer=volunteer, status=status,
                                   starts_at=shift.starts_at, ends_at=shift.ends_at)
    if status == SignUp.Status.APPROVED:
        slot.approved += 1
        slot.save(update_fields=["approved"])
    return signup
