"""Public directories: GET /api/v1/regions and GET /api/v1/organizations (no sign-in, no personal data)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import OrganizationFactory
from yigong.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_regions_are_listed_with_their_parent_and_filter_by_level_and_parent(api, tree):
    everything = api.get("/regions")
    assert everything.status_code == 200
    by_code = {r["code"]: r for r in everything.json()}
    assert by_code[tree.community_a1.code] == {
        "code": tree.community_a1.code, "name": tree.community_a1.name, "level": "community",
        "parent_code": tree.street_a.code,
    }
    assert by_code[tree.district.code]["parent_code"] is None
    streets = api.get("/regions", level="street").json()
    assert {r["code"] for r in streets} == {tree.street_a.code, tree.street_b.code}
    under_a = api.get("/regions", parent=tree.street_a.code).json()
    assert [r["code"] for r in under_a] == [tree.community_a1.code, tree.community_a2.code]


def test_inactive_regions_are_not_offered(api, tree):
    tree.community_a2.active = False
    tree.community_a2.save(update_fields=["active"])
    codes = {r["code"] for r in api.get("/regions").json()}
    assert tree.community_a2.code not in codes
    assert tree.community_a1.code in codes


def test_an_unknown_level_is_refused_with_a_translated_message(api):
    response = api.speaking("en").get("/regions", level="planet")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"level": ["Choose one of the allowed values."]}


def test_the_organization_directory_lists_only_active_organizations(api, tree):
    OrganizationFactory(name="待批义工队", parent=tree.station_a1, status=Organization.Status.PENDING)
    OrganizationFactory(name="被拒义工队", parent=tree.station_a1, status=Organization.Status.REJECTED)
    names = {o["name"] for o in api.get("/organizations").json()}
    assert tree.team_a1.name in names
    assert tree.office.name in names
    assert "待批义工队" not in names
    assert "被拒义工队" not in names


def test_the_organization_directory_filters_by_kind_region_and_name(api, tree):
    stations = api.get("/organizations", kind="community_station").json()
    assert {o["name"] for o in stations} == {tree.station_a1.name, tree.station_a2.name, tree.station_b1.name}
    in_street_a = api.get("/organizations", region=tree.street_a.code).json()
    assert {o["name"] for o in in_street_a} == {tree.street_fed_a.name, tree.station_a1.name,
                                                  tree.station_a2.name}
    assert [o["name"] for o in api.get("/organizations", q="助老").json()] == [tree.team_a1.name]


def test_a_city_station_shows_its_location(api, tree):
    OrganizationFactory(name="龙岗中心城站点", kind=Organization.Kind.CITY_STATION, parent=tree.street_fed_a,
                        latitude=Decimal("22.720968"), longitude=Decimal("114.246899"), address="龙岗大道")
    station = api.get("/organizations", kind="city_station").json()[0]
    assert (station["latitude"], station["longitude"], station["address"]) == (22.720968, 114.246899, "龙岗大道")
    assert station["kind_label"]
    assert station["parent_id"] == tree.street_fed_a.pk
