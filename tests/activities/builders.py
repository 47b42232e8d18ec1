"""Plain builders for project/activity tests: a small district, people, projects, activities."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from yigong.activities.models import Activity, Position, Shift, ShiftSlot
from yigong.organizations.models import Membership, Organization
from yigong.projects.models import Project
from yigong.regions.models import Region
from yigong.volunteers.models import Volunteer

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


def local(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    r = Region(code=code, name=name, level=level, parent=parent)
    r.path = r.compute_path()
    r.save()
    return r


def org(name: str, kind: str, parent: Organization | None = None, region_: Region | None = None,
        team_type: str = "") -> Organization:
    o = Organization.objects.create(name=name, kind=kind, parent=parent, region=region_,
                                    status=Organization.Status.ACTIVE, team_type=team_type)
    o.path = (parent.path if parent else "") + f"{o.pk:08d}/"
    o.save(update_fields=["path"])
    return o


def user(name: str, *, language: str = "zh-hans"):
    return get_user_model().objects.create_user(
        username=f"{name}{next(_seq)}", display_name=name, preferred_language=language)


def staff(name: str, organization: Organization, role: str = Membership.Role.STAFF):
    u = user(name)
    Membership.objects.create(user=u, organization=organization, role=role, status=Membership.Status.ACTIVE)
    return u


def volunteer(name: str = "Vol", *, birth: date = date(1990, 1, 1), skills=(), languages=("mandarin",),
              home: Region | None = None, language: str = "zh-hans") -> Volunteer:
    u = user(name, language=language)
    n = next(_seq)
    now = timezone.now()
    return Volunteer.objects.create(
        user=u, registration_number=f"440307T{n:08d}", district_code="440307", name=name,
        id_type="passport", birth_date=birth, skills=list(skills), languages=list(languages),
        home_community=home, registered_at=now, privacy_notice_version="test", consented_at=now,
    )


@dataclass
class District:
    district: Region
    street: Region
    community: Region
    other_street: Region
    other_community: Region
    office: Organization
    federation: Organization
    street_fed: Organization
    station: Organization
    sibling_station: Organization
    team: Organization
    office_admin: object
    street_staff: object
    station_staff: object
    sibling_staff: object


def district() -> District:
    d = region("440307", "龙岗区", Region.Level.DISTRICT)
    s = region("440307001", "平湖街道", Region.Level.STREET, d)
    c = region("440307001001", "平湖社区", Region.Level.COMMUNITY, s)
    c2 = region("440307001002", "山厦社区", Region.Level.COMMUNITY, s)
    s2 = region("440307002", "坂田街道", Region.Level.STREET, d)
    c3 = region("440307002001", "坂田社区", Region.Level.COMMUNITY, s2)
    office = org("区义工办", Organization.Kind.DISTRICT_OFFICE, None, d)
    fed = org("区义工联", Organization.Kind.DISTRICT_FEDERATION, office, d)
    street_fed = org("平湖街道义工联", Organization.Kind.STREET_FEDERATION, fed, s)
    station = org("平湖社区服务站", Organization.Kind.COMMUNITY_STATION, street_fed, c)
    sibling = org("山厦社区服务站", Organization.Kind.COMMUNITY_STATION, street_fed, c2)
    team = org("平湖义工队", Organization.Kind.TEAM, station, c, team_type=Organization.TeamType.SOCIETY)
    return District(
        district=d, street=s, community=c, other_street=s2, other_community=c3,
        office=office, federation=fed, street_fed=street_fed, station=station, sibling_station=sibling,
        team=team,
        office_admin=staff("Olivia", office, Membership.Role.ADMIN),
        street_staff=staff("Sam", street_fed), station_staff=staff("Alice", station),
        sibling_staff=staff("Bob", sibling),
    )


def project(owner: Organization, *, state: str = Project.State.ACTIVE, category: str = "community",
            **fields) -> Project:
    defaults = {"title": "敬老服务", "starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}
    defaults.update(fields)
    return Project.objects.create(owner=owner, category=category, state=state, **defaults)


def activity(organization: Organization, *, project_: Project | None = None, status=Activity.Status.PUBLISHED,
             **fields) -> Activity:
    project_ = project_ or project(organization)
    defaults = {"title": "社区探访", "place": "平湖社区", "region": organization.region}
    defaults.update(fields)
    return Activity.objects.create(project=project_, organization=organization, category=project_.category,
                                   status=status, **defaults)


def shift_with_slot(act: Activity, *, starts_at: datetime, hours: float = 3, places: int = 10,
                    position: Position | None = None, **position_fields) -> ShiftSlot:
    position = position or Position.objects.create(activity=act, name="引导员", **position_fields)
    shift = Shift.objects.create(activity=act, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours))
    return ShiftSlot.objects.create(shift=shift, position=position, places=places)
