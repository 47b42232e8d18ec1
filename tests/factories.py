"""Shared test data for Yigong. Import it from any test: ``from tests.factories import ...``.

Numbers
    resident_id(birth=..., sex="F", area="440307")  a valid 18-character resident ID (fresh each call)
    mobile()                                        a fresh valid mainland mobile, national form
    PASSWORD                                        the password of every factory-made user

Regions (get-or-create by code, so calling twice returns the same row; paths are set)
    district_region()                  440307 龙岗区
    street_region(1)                   440307001 平湖街道 (n = 1…11, the real street list)
    community_region(street, 1)        <street code>001 <street name>第1社区

Organizations, people
    OrganizationFactory(kind=..., parent=..., region=...)   active, approved, tree path set
    UserFactory()                      a login with an encrypted phone and PASSWORD
    staff_of(org, role="staff")        a new user with an active membership in `org`
    VolunteerFactory(home_community=..., birth_date=..., sex=...)
                                       created directly (fast): encrypted ID, keyed hash, mask and a
                                       registration number from the real counter
    registration(**overrides)          a valid ``volunteers.services.Registration`` form
    register(**overrides)              a volunteer through the real registration service

The scoping tree
    build_tree() -> Tree               two streets, three communities, the organization tree from the
                                       district office down to a team, one user per role and one
                                       volunteer per community (see Tree for the names)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from factory.django import DjangoModelFactory

from yigong.accounts.models import User
from yigong.accounts.phone import normalize_mobile, phone_lookup_hash
from yigong.core.masking import mask_id_number
from yigong.organizations.models import Membership, Organization
from yigong.regions.models import Region
from yigong.volunteers import services as volunteer_services
from yigong.volunteers.identity import IdType, resident_id_check_char
from yigong.volunteers.models import Volunteer

PASSWORD = "Yigong-test-2026"

STREETS = ["平湖", "布吉", "坂田", "南湾", "横岗", "龙城", "龙岗", "坪地", "吉华", "宝龙", "园山"]

# ---------------------------------------------------------------- numbers

_id_counter = itertools.count()
_phone_counter = itertools.count(1)


def resident_id(*, birth: date = date(1990, 5, 17), sex: str = "F", area: str = "440307",
                seq: int | None = None) -> str:
    """A valid resident ID for `birth` and `sex` ("M" odd / "F" even sequence), unique per call.

    Pass `seq` (0-999, its parity must match `sex`) to get one exact number.
    """
    if seq is None:
        n = next(_id_counter)
        seq = (n * 2) % 1000 + (1 if sex == "M" else 0)
        if n >= 500:  # more than 500 people with one birthday: move to a neighbouring county code
            area = area[:4] + f"{(int(area[4:]) + n // 500) % 100:02d}"
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + resident_id_check_char(body)


def mobile() -> str:
    """A fresh valid mainland mobile number, national form (13900000001, 13900000002, …)."""
    return f"139{next(_phone_counter):08d}"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return make_password(PASSWORD)


# ---------------------------------------------------------------- regions


class RegionFactory(DjangoModelFactory):
    """A region by code; level follows the code length (6/9/12 digits); the path is computed."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "440307"
    name = factory.LazyAttribute(lambda o: f"地区{o.code}")
    level = factory.LazyAttribute(
        lambda o: {6: Region.Level.DISTRICT, 9: Region.Level.STREET, 12: Region.Level.COMMUNITY}[len(o.code)]
    )
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        kwargs["path"] = (parent.path if parent else "") + kwargs["code"] + "/"
        return super()._create(model_class, *args, **kwargs)


def district_region() -> Region:
    return RegionFactory(code=settings.YIGONG_DISTRICT_CODE, name="龙岗区")


def street_region(n: int = 1) -> Region:
    return RegionFactory(code=f"{settings.YIGONG_DISTRICT_CODE}{n:03d}", name=f"{STREETS[(n - 1) % 11]}街道",
                         parent=district_region())


def community_region(street: Region | None = None, n: int = 1) -> Region:
    street = street or street_region(1)
    return RegionFactory(code=f"{street.code}{n:03d}", name=f"{street.name[:-2]}第{n}社区", parent=street)


# ---------------------------------------------------------------- organizations and people


class OrganizationFactory(DjangoModelFactory):
    """An active, approved organization; `path` is set from its parent, as the service does."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试组织{n}")
    kind = Organization.Kind.TEAM
    team_type = factory.LazyAttribute(
        lambda o: Organization.TeamType.SOCIETY if o.kind == Organization.Kind.TEAM else ""
    )
    parent = None
    region = None
    status = Organization.Status.ACTIVE
    approved_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        org = super()._create(model_class, *args, **kwargs)
        org.path = (org.parent.path if org.parent_id else "") + f"{org.pk:08d}/"
        org.save(update_fields=["path"])
        return org


class UserFactory(DjangoModelFactory):
    """A login with PASSWORD and an encrypted mobile phone (E.164) found by its keyed hash."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    phone = factory.LazyFunction(lambda: normalize_mobile(mobile()))
    phone_hash = factory.LazyAttribute(lambda o: phone_lookup_hash(o.phone) if o.phone else None)
    password = factory.LazyFunction(_password_hash)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    decided_at = factory.LazyFunction(timezone.now)


def staff_of(org: Organization, role: str = Membership.Role.STAFF, **user_fields) -> User:
    """A new user who is active `role` (staff by default; "admin") of `org`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=org, role=role)
    return user


class VolunteerFactory(DjangoModelFactory):
    """A registered volunteer made directly (no validation): ID encrypted, keyed hash and mask set,
    the registration number from the real counter. For the full path use ``register()``."""

    class Meta:
        model = Volunteer

    user = factory.SubFactory(UserFactory, display_name=factory.SelfAttribute("..name"))
    name = factory.Faker("name", locale="zh_CN")
    id_type = IdType.RESIDENT_ID
    birth_date = date(1990, 5, 17)
    sex = "F"
    id_number = factory.LazyAttribute(lambda o: resident_id(birth=o.birth_date, sex=o.sex))
    home_community = None
    district_code = factory.LazyFunction(lambda: settings.YIGONG_DISTRICT_CODE)
    registered_at = factory.LazyFunction(timezone.now)
    consented_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = factory.LazyFunction(lambda: settings.YIGONG_PRIVACY_NOTICE_VERSION)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        number = kwargs["id_number"]
        kwargs.setdefault("id_hash", volunteer_services.id_lookup_hash(kwargs["id_type"], number))
        kwargs.setdefault("id_masked", mask_id_number(number))
        with transaction.atomic():
            if "registration_number" not in kwargs:
                kwargs["registration_number"] = volunteer_services.next_registration_number(
                    kwargs["district_code"], timezone.localdate().year,
                )
            return super()._create(model_class, *args, **kwargs)


def registration(**overrides) -> volunteer_services.Registration:
    """A registration form that passes every check (an adult, Longgang ID, fresh phone); override any field."""
    fields = {
        "name": "李小红",
        "id_type": IdType.RESIDENT_ID,
        "id_number": resident_id(),
        "phone": mobile(),
        "password": PASSWORD,
        "privacy_consent": True,
        "skills": ["first_aid"],
        "languages": ["mandarin", "cantonese"],
        "availability": ["weekend_morning"],
    }
    fields.update(overrides)
    if "home_community_code" not in fields:
        fields["home_community_code"] = community_region().code
    return volunteer_services.Registration(**fields)


def register(*, today: date | None = None, actor=None, **overrides) -> Volunteer:
    """A volunteer through the real registration service."""
    return volunteer_services.register_volunteer(data=registration(**overrides), actor=actor, today=today)


# ---------------------------------------------------------------- the scoping tree


@dataclass
class Tree:
    """The standard tree for permission tests.

    regions:  district ─ street_a ─ community_a1, community_a2
                       └ street_b ─ community_b1
    orgs:     office (district office, root) ─ federation (district federation)
                ├ street_fed_a ─ station_a1 ─ team_a1
                │              └ station_a2
                └ street_fed_b ─ station_b1
    users:    office_admin (admin of the office = district admin), street_a_staff,
              station_a1_admin, station_a1_staff, station_a2_staff, team_a1_staff
    people:   vol_a1, vol_a2, vol_b1 live in community_a1 / a2 / b1 (no memberships)
    """

    district: Region
    street_a: Region
    street_b: Region
    community_a1: Region
    community_a2: Region
    community_b1: Region
    office: Organization
    federation: Organization
    street_fed_a: Organization
    street_fed_b: Organization
    station_a1: Organization
    station_a2: Organization
    station_b1: Organization
    team_a1: Organization
    office_admin: User
    street_a_staff: User
    station_a1_admin: User
    station_a1_staff: User
    station_a2_staff: User
    team_a1_staff: User
    vol_a1: Volunteer
    vol_a2: Volunteer
    vol_b1: Volunteer


def build_tree() -> Tree:
    K = Organization.Kind
    district = district_region()
    street_a, street_b = street_region(1), street_region(3)
    community_a1, community_a2 = community_region(street_a, 1), community_region(street_a, 2)
    community_b1 = community_region(street_b, 1)
    office = OrganizationFactory(name="龙岗区义工工作领导小组办公室", kind=K.DISTRICT_OFFICE, region=district)
    federation = OrganizationFactory(name="龙岗区义工联", kind=K.DISTRICT_FEDERATION, parent=office,
                                     region=district)
    street_fed_a = OrganizationFactory(name="平湖街道义工联", kind=K.STREET_FEDERATION, parent=federation,
                                       region=street_a)
    street_fed_b = OrganizationFactory(name="坂田街道义工联", kind=K.STREET_FEDERATION, parent=federation,
                                       region=street_b)
    station_a1 = OrganizationFactory(name="平湖第1社区义工服务站", kind=K.COMMUNITY_STATION,
                                     parent=street_fed_a, region=community_a1)
    station_a2 = OrganizationFactory(name="平湖第2社区义工服务站", kind=K.COMMUNITY_STATION,
                                     parent=street_fed_a, region=community_a2)
    station_b1 = OrganizationFactory(name="坂田第1社区义工服务站", kind=K.COMMUNITY_STATION,
                                     parent=street_fed_b, region=community_b1)
    team_a1 = OrganizationFactory(name="平湖第1社区助老义工队", kind=K.TEAM, parent=station_a1)
    return Tree(
        district=district, street_a=street_a, street_b=street_b, community_a1=community_a1,
        community_a2=community_a2, community_b1=community_b1,
        office=office, federation=federation, street_fed_a=street_fed_a, street_fed_b=street_fed_b,
        station_a1=station_a1, station_a2=station_a2, station_b1=station_b1, team_a1=team_a1,
        office_admin=staff_of(office, Membership.Role.ADMIN, username="office_admin"),
        street_a_staff=staff_of(street_fed_a, username="street_a_staff"),
        station_a1_admin=staff_of(station_a1, Membership.Role.ADMIN, username="station_a1_admin"),
        station_a1_staff=staff_of(station_a1, username="station_a1_staff"),
        station_a2_staff=staff_of(station_a2, username="station_a2_staff"),
        team_a1_staff=staff_of(team_a1, username="team_a1_staff"),
        vol_a1=VolunteerFactory(name="张一", home_community=community_a1),
        vol_a2=VolunteerFactory(name="王二", home_community=community_a2),
        vol_b1=VolunteerFactory(name="赵三", home_community=community_b1),
    )
