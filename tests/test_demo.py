"""The demo district: its shape, its people, its logins, and that a seed reproduces it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from yigong.accounts.phone import normalize_mobile, phone_lookup_hash
from yigong.demo import builder
from yigong.demo.builder import DEMO_PASSWORD, build_demo, database_is_empty, demo_logins
from yigong.demo.context import ROLES
from yigong.organizations import permissions
from yigong.organizations.models import Membership, Organization
from yigong.regions.models import Region
from yigong.volunteers.identity import age_on, parse_identity
from yigong.volunteers.models import RegistrationCounter, Volunteer
from yigong.volunteers.services import Registration, id_lookup_hash, register_volunteer

pytestmark = pytest.mark.django_db
Kind = Organization.Kind


@pytest.fixture
def demo():
    return build_demo(seed=7, volunteers=80)


class _Undo(Exception):
    pass


def _people():
    return [
        (v.registration_number, v.name, v.id_number, v.user.phone, v.home_community.code, v.skills)
        for v in Volunteer.objects.select_related("user", "home_community").order_by("registration_number")
    ]


def _tree():
    return list(Organization.objects.order_by("kind", "name").values_list("kind", "name", "credit_code", "region__code"))


def _build_and_undo(seed: int):
    """Build a demo, note what it made, and roll it back, so the next build starts empty again."""
    try:
        with transaction.atomic():
            build_demo(seed=seed, volunteers=15)
            made = (_people(), _tree(), sorted(Membership.objects.values_list("user__username", "organization__name", "role", "status")))
            raise _Undo
    except _Undo:
        return made


def test_the_same_seed_gives_the_same_district():
    first = _build_and_undo(11)
    assert database_is_empty()
    second = _build_and_undo(11)
    assert first == second
    assert len(first[0]) == 17  # 15 generated volunteers and the two volunteer logins


def test_another_seed_gives_other_people():
    people_a, tree_a, _ = _build_and_undo(11)
    people_b, tree_b, _ = _build_and_undo(12)
    assert [p[1:3] for p in people_a] != [p[1:3] for p in people_b]
    assert [t[:2] for t in tree_a] == [t[:2] for t in tree_b]  # the tree itself does not depend on the seed


def test_the_district_has_eleven_streets_each_with_communities(demo):
    district = Region.objects.get(code="440307")
    streets = Region.objects.streets().within(district)
    assert sorted(s.name for s in streets) == sorted(
        f"{n}街道" for n in ["平湖", "坂田", "布吉", "南湾", "横岗", "龙城", "龙岗", "坪地", "宝龙", "园山", "吉华"]
    )
    communities = Region.objects.communities()
    assert 90 <= communities.count() <= 110
    for street in streets:
        assert street.children.count() >= 5
    for community in communities:
        assert community.name.endswith("社区")
        assert len(community.name) == 4
        assert community.code.startswith(community.parent.code)
        assert len(community.code) == 12


def test_the_organization_tree_has_the_expected_shape(demo):
    office = Organization.objects.get(kind=Kind.DISTRICT_OFFICE)
    assert office.parent is None
    federation = Organization.objects.get(kind=Kind.DISTRICT_FEDERATION)
    assert federation.parent == office
    street_feds = Organization.objects.filter(kind=Kind.STREET_FEDERATION)
    assert street_feds.count() == 11
    assert set(street_feds.values_list("parent", flat=True)) == {federation.pk}
    stations = Organization.objects.filter(kind=Kind.COMMUNITY_STATION).select_related("region", "parent__region")
    assert stations.count() == Region.objects.communities().count()
    for station in stations:  # one station per community, under its street's federation
        assert station.parent.region == station.region.parent
    assert set(Region.objects.communities().values_list("pk", flat=True)) == set(stations.values_list("region", flat=True))
    assert not Organization.objects.exclude(status=Organization.Status.ACTIVE).exists()
    assert all(office.is_ancestor_of(org) for org in Organization.objects.all())


def test_thirty_teams_of_every_kind_of_group(demo):
    teams = Organization.objects.filter(kind=Kind.TEAM)
    assert teams.count() == 30
    types = set(teams.values_list("team_type", flat=True))
    assert types == {"company", "school", "government", "army", "ngo", "society"}
    assert teams.values("name").distinct().count() == 30
    assert all(name.endswith("义工队") for name in teams.values_list("name", flat=True))


def test_ten_city_stations_stand_in_longgang(demo):
    stations = Organization.objects.filter(kind=Kind.CITY_STATION)
    assert stations.count() == 10
    for station in stations:
        assert Decimal("22.6") <= station.latitude <= Decimal("22.8")
        assert Decimal("114.0") <= station.longitude <= Decimal("114.4")
        assert station.address.startswith("深圳市龙岗区")
    assert Organization.objects.filter(kind=Kind.REQUESTING_UNIT).count() >= 3


def test_every_demo_volunteer_has_a_valid_id_phone_and_age(demo):
    today = timezone.localdate()
    volunteers = list(Volunteer.objects.select_related("user", "home_community"))
    assert len(volunteers) == 82
    for volunteer in volunteers:
        identity = parse_identity(volunteer.id_type, volunteer.id_number)
        assert identity.birth_date == volunteer.birth_date
        assert identity.sex == volunteer.sex
        assert 14 <= age_on(volunteer.birth_date, today) <= 75
        assert volunteer.id_hash == id_lookup_hash(volunteer.id_type, volunteer.id_number)
        assert volunteer.id_masked == volunteer.id_number[:4] + "*" * 10 + volunteer.id_number[-4:]
        assert normalize_mobile(volunteer.user.phone) == volunteer.user.phone
        assert volunteer.user.phone_hash == phone_lookup_hash(volunteer.user.phone)
        assert volunteer.home_community.level == Region.Level.COMMUNITY
        assert volunteer.skills
        assert volunteer.languages
        assert volunteer.availability
        assert volunteer.registration_number.startswith("440307")
        if age_on(volunteer.birth_date, volunteer.registered_at.date()) < 18:
            assert volunteer.guardian_name
            assert volunteer.guardian_consent_at
            assert normalize_mobile(volunteer.guardian_phone)
    assert len({v.user.phone for v in volunteers}) == len(volunteers)


def test_demo_personal_numbers_are_encrypted_in_the_database(demo):
    volunteer = Volunteer.objects.filter(user__username__startswith="4403").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM volunteers_volunteer WHERE id = %s", [volunteer.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:")
    assert volunteer.id_number not in stored


def test_registration_numbers_come_from_the_counter_and_are_not_reused(demo):
    numbers = list(Volunteer.objects.values_list("registration_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    for counter in RegistrationCounter.objects.all():
        issued = [n for n in numbers if n[6:10] == str(counter.year)]
        assert counter.last == len(issued)
    later = register_volunteer(data=Registration(
        name="王小明", id_type="resident_id", id_number="440307199001011232", phone="13800138000",
        password="a-good-password", home_community_code=Region.objects.communities().first().code,
        privacy_consent=True,
    ))
    assert later.registration_number not in numbers


def test_bulk_volunteers_cannot_log_in_but_every_printed_login_can(demo, client):
    bulk = Volunteer.objects.filter(user__username__startswith="4403").select_related("user").first()
    assert not bulk.user.has_usable_password()
    assert [login.username for login in demo.logins] == [username for username, _label in ROLES]
    for login in demo.logins:
        assert login.password == DEMO_PASSWORD
        assert authenticate(None, username=login.username, password=DEMO_PASSWORD) is not None, login.username
    response = client.post(reverse("accounts:login"), {"username": "station", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_each_staff_login_works_in_its_own_organization(demo):
    def organization_of(username):
        return Membership.objects.get(user__username=username, status=Membership.Status.ACTIVE).organization

    district = authenticate(None, username="district", password=DEMO_PASSWORD)
    assert permissions.is_district_admin(district)
    assert organization_of("street").kind == Kind.STREET_FEDERATION
    assert organization_of("station").kind == Kind.COMMUNITY_STATION
    assert organization_of("citystation").kind == Kind.CITY_STATION
    assert organization_of("unit").kind == Kind.REQUESTING_UNIT
    team = Membership.objects.get(user__username="team")
    assert team.role == Membership.Role.ADMIN
    assert team.organization.kind == Kind.TEAM
    station_staff = authenticate(None, username="station", password=DEMO_PASSWORD)
    assert not permissions.is_district_admin(station_staff)
    assert permissions.can_manage(station_staff, team.organization)  # the team sits under the station
    street_staff = authenticate(None, username="street", password=DEMO_PASSWORD)
    assert permissions.can_manage(street_staff, organization_of("station"))
    assert not permissions.can_manage(street_staff, organization_of("citystation"))


def test_the_volunteer_logins_are_a_member_and_a_minor_with_a_pending_application(demo):
    adult = Volunteer.objects.get(user__username="volunteer")
    minor = Volunteer.objects.get(user__username="minor")
    today = timezone.localdate()
    assert age_on(adult.birth_date, today) >= 18
    assert age_on(minor.birth_date, today) < 18
    assert minor.guardian_name
    assert minor.guardian_phone
    assert minor.guardian_consent_at
    team = Membership.objects.get(user__username="team").organization
    assert Membership.objects.get(user=adult.user, organization=team).status == Membership.Status.ACTIVE
    assert Membership.objects.get(user=minor.user, organization=team).status == Membership.Status.PENDING
    station = authenticate(None, username="station", password=DEMO_PASSWORD)
    assert Volunteer.objects.visible_to(station).filter(pk=minor.pk).exists()


def test_volunteers_belong_to_teams_and_stations_run_by_local_volunteers(demo):
    memberships = Membership.objects.filter(user__volunteer__registration_number__startswith="4403")
    assert memberships.filter(organization__kind=Kind.TEAM, status=Membership.Status.ACTIVE).exists()
    assert memberships.filter(organization__kind=Kind.COMMUNITY_STATION).exists()
    for staff in memberships.filter(organization__kind=Kind.COMMUNITY_STATION, role__in=["admin", "staff"]):
        assert staff.user.volunteer.home_community == staff.organization.region
    today = timezone.localdate()
    for staff in memberships.filter(role__in=["admin", "staff"]).select_related("user__volunteer"):
        assert age_on(staff.user.volunteer.birth_date, today) >= 18


def test_station_staff_see_their_community_and_not_the_whole_district(demo):
    station_staff = authenticate(None, username="station", password=DEMO_PASSWORD)
    station = Membership.objects.get(user=station_staff).organization
    visible = list(Volunteer.objects.visible_to(station_staff))
    residents = set(Volunteer.objects.filter(home_community=station.region).values_list("pk", flat=True))
    members = set(Membership.objects.filter(organization__path__startswith=station.path).values_list("user", flat=True))
    assert residents <= {v.pk for v in visible}
    assert all(v.home_community_id == station.region_id or v.user_id in members for v in visible)
    assert len(visible) < Volunteer.objects.count()


def test_demo_logins_are_listed_again_from_the_database(demo):
    assert [(login.username, login.role) for login in demo_logins()] == [(u, label) for u, label in ROLES]


def test_a_database_without_the_demo_lists_no_demo_logins():
    assert demo_logins() == []
    assert database_is_empty()


def test_a_failing_step_leaves_nothing_behind(monkeypatch):
    def broken(ctx):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builder, "STEPS", [*builder.STEPS[:3], ("broken", broken)])
    with pytest.raises(RuntimeError):
        build_demo(seed=1, volunteers=5)
    assert database_is_empty()
    assert not Region.objects.exists()


def test_progress_is_shown_step_by_step(capsys):
    import io

    stream = io.StringIO()
    build_demo(seed=3, volunteers=5, progress=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"  [1/{len(builder.STEPS)}] {builder.STEPS[0][0]}"
    assert len(lines) == len(builder.STEPS)


@pytest.mark.slow
def test_the_full_demo_has_two_thousand_volunteers():
    build_demo(seed=2010, volunteers=2000)
    assert Volunteer.objects.count() == 2002
    pending = Membership.objects.filter(status=Membership.Status.PENDING)
    assert pending.count() > 20
    assert Membership.objects.filter(role=Membership.Role.ADMIN, organization__kind=Kind.TEAM).count() >= 30
    assert Volunteer.objects.filter(guardian_consent_at__isnull=False).count() > 50
