"""A small district for page tests: regions, the organization tree, staff and volunteers.

Everything is made through the services, as the platform itself would.

    龙岗区 (district office → district federation)
    ├── 平湖街道 (street federation)
    │   ├── 山厦社区 station  ── 山厦义工队 (team)
    │   └── 良安田社区 station  (the sibling)
    └── 布吉街道 (street federation)
        └── 德兴社区 station
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model

from yigong.organizations.models import Membership, Organization
from yigong.organizations.services import add_member, create_organization
from yigong.regions.services import load_regions_csv
from yigong.volunteers.identity import resident_id_check_char
from yigong.volunteers.services import Registration, register_volunteer

REGIONS_CSV = """code,name,parent_code
440307,龙岗区,
440307001,平湖街道,440307
440307002,布吉街道,440307
440307001001,山厦社区,440307001
440307001002,良安田社区,440307001
440307002001,德兴社区,440307002
"""
SHANXIA, LIANGANTIAN, DEXING = "440307001001", "440307001002", "440307002001"
PASSWORD = "Volunteer-2026!"


def resident_id(birth: date, seq: int, area: str = "440307") -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


_phone_counter = [0]


def next_phone() -> str:
    _phone_counter[0] += 1
    return f"1390013{_phone_counter[0] % 10000:04d}"


def registration(*, name: str, community: str, birth: date = date(1990, 5, 17), seq: int = 1,
                 **extra) -> Registration:
    data = {
        "name": name, "id_type": "resident_id", "id_number": resident_id(birth, seq),
        "phone": next_phone(), "password": PASSWORD, "home_community_code": community,
        "privacy_consent": True,
    }
    data.update(extra)
    return Registration(**data)


def make_volunteer(*, name: str, community: str, birth: date = date(1990, 5, 17), seq: int = 1, **extra):
    return register_volunteer(data=registration(name=name, community=community, birth=birth, seq=seq, **extra))


def make_staff(username: str, org: Organization, *, role: str = Membership.Role.STAFF, actor=None):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    add_member(actor=actor, organization=org, user=user, role=role)
    return user


@dataclass
class World:
    root: object
    office: Organization
    federation: Organization
    pinghu: Organization
    buji: Organization
    shanxia: Organization
    liangantian: Organization
    dexing: Organization
    team: Organization
    district_admin: object
    shanxia_staff: object
    shanxia_admin: object
    sibling_staff: object
    team_staff: object
    volunteers: dict = field(default_factory=dict)


def build_world() -> World:
    load_regions_csv(text=REGIONS_CSV)
    from yigong.regions.models import Region

    region = {r.code: r for r in Region.objects.all()}
    User = get_user_model()
    root = User.objects.create_superuser(username="root", password=PASSWORD)

    def org(name, kind, parent, code=None, **extra):
        return create_organization(actor=root, name=name, kind=kind, parent=parent,
                                   region=region.get(code) if code else None, **extra)

    K = Organization.Kind
    office = org("龙岗区义工工作领导小组办公室", K.DISTRICT_OFFICE, None, "440307")
    federation = org("龙岗区义工联合会", K.DISTRICT_FEDERATION, office, "440307")
    pinghu = org("平湖街道义工联", K.STREET_FEDERATION, federation, "440307001")
    buji = org("布吉街道义工联", K.STREET_FEDERATION, federation, "440307002")
    shanxia = org("山厦社区义工服务站", K.COMMUNITY_STATION, pinghu, SHANXIA)
    liangantian = org("良安田社区义工服务站", K.COMMUNITY_STATION, pinghu, LIANGANTIAN)
    dexing = org("德兴社区义工服务站", K.COMMUNITY_STATION, buji, DEXING)
    team = org("山厦青年义工队", K.TEAM, shanxia, team_type=Organization.TeamType.SOCIETY)

    world = World(
        root=root, office=office, federation=federation, pinghu=pinghu, buji=buji, shanxia=shanxia,
        liangantian=liangantian, dexing=dexing, team=team,
        district_admin=make_staff("office", office, role=Membership.Role.ADMIN, actor=root),
        shanxia_staff=make_staff("shanxia-staff", shanxia, actor=root),
        shanxia_admin=make_staff("shanxia-admin", shanxia, role=Membership.Role.ADMIN, actor=root),
        sibling_staff=make_staff("liangantian-staff", liangantian, actor=root),
        team_staff=make_staff("team-staff", team, actor=root),
    )
    world.volunteers["shanxia"] = make_volunteer(name="张伟", community=SHANXIA, seq=11)
    world.volunteers["liangantian"] = make_volunteer(name="李娜", community=LIANGANTIAN, seq=12)
    world.volunteers["dexing"] = make_volunteer(name="王芳", community=DEXING, seq=13)
    return world
