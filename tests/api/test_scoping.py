"""The scoping matrix through the API: who reads which volunteers, who decides which applications.

Tree (tests.factories.Tree): street A has communities a1 and a2 (stations a1, a2; team a1 under
station a1); street B has community b1. vol_a1, vol_a2, vol_b1 live in a1, a2, b1.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_contract import assert_error
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

# role -> the volunteers it may read
MATRIX = {
    "volunteer": set(),
    "team_a1_staff": set(),
    "station_a1_staff": {"vol_a1"},
    "station_a2_staff": {"vol_a2"},
    "street_a_staff": {"vol_a1", "vol_a2"},
    "office_admin": {"vol_a1", "vol_a2", "vol_b1"},
}
VOLUNTEERS = ["vol_a1", "vol_a2", "vol_b1"]


def as_role(api, tree, role):
    user = tree.vol_a1.user if role == "volunteer" else getattr(tree, role)
    return api.as_user(user)


@pytest.mark.parametrize("role", list(MATRIX))
def test_the_volunteer_list_holds_exactly_the_callers_scope(api, tree, role):
    response = as_role(api, tree, role).get("/volunteers")
    assert response.status_code == 200
    numbers = {item["registration_number"] for item in response.json()}
    assert numbers == {getattr(tree, v).registration_number for v in MATRIX[role]}
    for item in response.json():
        assert "*" in item["id_number_masked"]


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("target", VOLUNTEERS)
def test_one_volunteer_is_readable_in_scope_and_404_outside_it(api, tree, role, target):
    volunteer = getattr(tree, target)
    response = as_role(api, tree, role).get(f"/volunteers/{volunteer.pk}")
    if target in MATRIX[role]:
        assert response.status_code == 200
        body = response.json()
        assert body["registration_number"] == volunteer.registration_number
        assert body["id_number_masked"] == volunteer.id_masked
        assert "*" in body["id_number_masked"]
        assert body["phone_masked"].count("*") == 4
        assert volunteer.id_number not in response.content.decode()
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("path", ["/volunteers", "/volunteers/1"])
def test_anonymous_callers_read_no_volunteers(api, tree, path):
    assert_error(api.get(path.replace("1", str(tree.vol_a1.pk))), 401, "unauthenticated")


def test_the_list_filters_by_community_and_name_within_scope(api, tree):
    client = api.as_user(tree.street_a_staff)
    by_community = client.get("/volunteers", community=tree.community_a2.code).json()
    assert [v["registration_number"] for v in by_community] == [tree.vol_a2.registration_number]
    assert [v["name"] for v in client.get("/volunteers", q="张").json()] == ["张一"]
    assert client.get("/volunteers", q="赵").json() == []  # vol_b1 lives outside street A


def test_the_volunteer_list_needs_the_same_queries_for_3_or_30_volunteers(api, tree):
    client = api.as_user(tree.station_a1_staff)
    VolunteerFactory.create_batch(2, home_community=tree.community_a1)
    client.get("/volunteers")  # the token's first use is recorded once; not part of the list's cost
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/volunteers").json()) == 3
    VolunteerFactory.create_batch(27, home_community=tree.community_a1)
    tree.vol_a2.user.memberships.create(organization=tree.team_a1, status="active")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/volunteers").json()) == 31  # 30 residents and a team member
    assert len(many) == len(few)


def test_an_applicant_is_visible_to_the_team_while_the_application_is_open(api, tree):
    vol_b1 = api.as_user(tree.vol_b1.user)
    team_staff = api.as_user(tree.team_a1_staff)
    application = vol_b1.post(f"/organizations/{tree.team_a1.pk}/applications", {"message": "想参加"})
    assert application.status_code == 201, application.content
    assert team_staff.get(f"/volunteers/{tree.vol_b1.pk}").status_code == 200
    decision = team_staff.post(
        f"/organizations/{tree.team_a1.pk}/applications/{application.json()['id']}/decision",
        {"approve": False, "reason": "名额已满"},
    )
    assert decision.status_code == 200
    assert decision.json()["status"] == "rejected"
    assert_error(team_staff.get(f"/volunteers/{tree.vol_b1.pk}"), 404, "not_found")


# ---------------------------------------------------------------- membership applications


@pytest.fixture
def application(api, tree):
    response = api.as_user(tree.vol_a2.user).post(f"/organizations/{tree.team_a1.pk}/applications",
                                                   {"message": "周末有空"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["role"], body["organization_id"]) == ("pending", "member", tree.team_a1.pk)
    return body


def decision_url(tree, application):
    return f"/organizations/{tree.team_a1.pk}/applications/{application['id']}/decision"


@pytest.mark.parametrize("role", ["station_a2_staff", "volunteer"])
def test_staff_of_another_community_cannot_decide_an_application(api, tree, application, role):
    response = as_role(api, tree, role).speaking("en").post(decision_url(tree, application), {"approve": True})
    error = assert_error(response, 403, "forbidden")
    assert error["message"] == "You are not allowed to do this."


@pytest.mark.parametrize("role", ["team_a1_staff", "station_a1_staff", "street_a_staff", "office_admin"])
def test_the_team_and_the_organizations_above_it_decide_its_applications(api, tree, application, role):
    response = as_role(api, tree, role).post(decision_url(tree, application), {"approve": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"


def test_a_decided_application_cannot_be_decided_again(api, tree, application):
    client = api.as_user(tree.team_a1_staff)
    client.post(decision_url(tree, application), {"approve": True})
    assert_error(client.post(decision_url(tree, application), {"approve": False}), 409, "already_decided")


def test_an_application_is_only_found_under_its_own_organization(api, tree, application):
    url = f"/organizations/{tree.station_a2.pk}/applications/{application['id']}/decision"
    assert_error(api.as_user(tree.station_a2_staff).post(url, {"approve": True}), 404, "not_found")


def test_applying_twice_answers_409(api, tree, application):
    response = api.as_user(tree.vol_a2.user).post(f"/organizations/{tree.team_a1.pk}/applications", {})
    assert_error(response, 409, "already_member")


def test_staff_without_a_registration_cannot_apply(api, tree):
    response = api.as_user(tree.station_a2_staff).post(f"/organizations/{tree.team_a1.pk}/applications", {})
    assert_error(response, 403, "not_a_volunteer")


def test_anonymous_callers_cannot_apply(api, tree):
    assert_error(api.post(f"/organizations/{tree.team_a1.pk}/applications", {}), 401, "unauthenticated")


def test_pending_applications_are_listed_for_the_teams_staff_only(api, tree, application):
    listed = api.as_user(tree.team_a1_staff).get(f"/organizations/{tree.team_a1.pk}/applications")
    assert listed.status_code == 200
    assert [(a["id"], a["volunteer_name"]) for a in listed.json()] == [(application["id"], "王二")]
    assert_error(api.as_user(tree.station_a2_staff).get(f"/organizations/{tree.team_a1.pk}/applications"),
                 403, "forbidden")
