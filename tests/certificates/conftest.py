"""Fixtures: a small district (see helpers.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.certificates.helpers import _org, credit_code, make_volunteer, record, staff_of
from yigong.accounts.models import User
from yigong.organizations.models import Membership, Organization
from yigong.volunteers.models import Volunteer


@dataclass
class District:
    office: Organization
    federation: Organization
    street_a: Organization
    street_b: Organization
    station: Organization
    school: Organization
    alice: Volunteer
    bob: User  # staff of street A
    charlie: User  # staff of street B
    dora: User  # staff of the community station


@pytest.fixture
def district(db) -> District:
    office = _org("龙岗区义工工作领导小组办公室", Organization.Kind.DISTRICT_OFFICE)
    federation = _org("龙岗区义工联合会", Organization.Kind.DISTRICT_FEDERATION, office,
                      credit_code=credit_code("1"), contact_name="陈主任")
    street_a = _org("布吉街道义工联", Organization.Kind.STREET_FEDERATION, federation, credit_code=credit_code("2"),
                    contact_name="李会长")
    street_b = _org("坂田街道义工联", Organization.Kind.STREET_FEDERATION, federation)
    station = _org("长龙社区义工服务站", Organization.Kind.COMMUNITY_STATION, street_a, contact_name="王站长")
    school = _org("布吉中学义工队", Organization.Kind.TEAM, street_a, team_type=Organization.TeamType.SCHOOL)
    alice = make_volunteer("张晓梅", "alice", "440307202600001")
    Membership.objects.create(user=alice.user, organization=school, role=Membership.Role.MEMBER,
                              status=Membership.Status.ACTIVE)
    return District(
        office=office, federation=federation, street_a=street_a, street_b=street_b, station=station, school=school,
        alice=alice, bob=staff_of(street_a, "bob", "刘经办"), charlie=staff_of(street_b, "charlie", "赵职员"),
        dora=staff_of(station, "dora", "孙站员"),
    )


@pytest.fixture
def hours(district):
    """Alice's 2026 service: 2 records at the station (3 h + 1 h 30), 1 at the school (2 h 15), 1 in 2025."""
    d = district
    return {
        "station1": record(d.alice, d.station, date(2026, 3, 7), 180, "周末长者探访"),
        "station2": record(d.alice, d.station, date(2026, 4, 11), 90, "周末长者探访"),
        "school1": record(d.alice, d.school, date(2026, 5, 20), 135, "校园周边交通引导"),
        "old": record(d.alice, d.station, date(2025, 12, 20), 60, "冬日送暖"),
    }
