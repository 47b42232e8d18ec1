"""The signed-in volunteer's own data: GET /me, GET /me/export, POST /me/withdraw."""

from __future__ import annotations

import json

import pytest

from tests.api.test_contract import assert_error
from tests.factories import PASSWORD, UserFactory, register
from yigong.accounts.models import ApiToken
from yigong.organizations.services import apply_to_join
from yigong.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db
ID_NUMBER = "440307199001011232"
PHONE = "13812345678"


@pytest.fixture
def volunteer(db):
    return register(id_number=ID_NUMBER, phone=PHONE, name="陈晓明")


def test_me_shows_the_own_profile_with_masked_numbers(api, volunteer):
    response = api.as_user(volunteer.user).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert body["registration_number"] == volunteer.registration_number
    assert body["name"] == "陈晓明"
    assert body["id_number_masked"] == "4403**********1232"
    assert body["phone_masked"] == "138****5678"
    assert ID_NUMBER not in response.content.decode()
    assert PHONE not in response.content.decode()


def test_me_works_with_the_session_of_the_pages_too(client, volunteer):
    client.force_login(volunteer.user)
    assert client.get("/api/v1/me").json()["registration_number"] == volunteer.registration_number


def test_me_without_a_token_is_401(api):
    assert_error(api.get("/me"), 401, "unauthenticated")


def test_me_for_an_account_without_a_registration_is_404(api):
    assert_error(api.as_user(UserFactory()).get("/me"), 404, "not_a_volunteer")


def test_export_downloads_everything_held_including_full_numbers_and_memberships(api, tree, volunteer):
    apply_to_join(actor=volunteer.user, organization=tree.team_a1, message="周末有空")
    response = api.as_user(volunteer.user).get("/me/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f'filename="yigong-{volunteer.registration_number}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["volunteer"]["id_number"] == ID_NUMBER
    assert data["account"]["phone"] == "+86" + PHONE
    assert data["memberships"][0]["organization"] == tree.team_a1.name
    assert data["memberships"][0]["status"] == "pending"
    assert "陈晓明" in response.content.decode("utf-8")  # readable, not \u-escaped


def test_export_without_a_token_is_401(api):
    assert_error(api.get("/me/export"), 401, "unauthenticated")


def test_withdraw_closes_the_account_and_revokes_every_token(api, volunteer):
    client = api.as_user(volunteer.user)
    other_token = ApiToken.issue(volunteer.user)
    number = volunteer.registration_number
    response = client.post("/me/withdraw", {"password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"registration_number": number, "status": "withdrawn"}
    assert_error(client.get("/me"), 401, "unauthenticated")
    from tests.conftest import ApiClient

    assert_error(ApiClient(api.client, token=other_token).get("/me"), 401, "unauthenticated")
    assert_error(api.post("/auth/token", {"username": PHONE, "password": PASSWORD}), 401, "login_failed")
    assert Volunteer.objects.get(registration_number=number).status == Volunteer.Status.WITHDRAWN


def test_withdraw_with_a_wrong_password_is_400_and_changes_nothing(api, volunteer):
    error = assert_error(api.speaking("en").as_user(volunteer.user).post("/me/withdraw", {"password": "nope"}),
                         400, "invalid")
    assert error["fields"] == {"password": ["The password is wrong."]}
    assert Volunteer.objects.get(pk=volunteer.pk).status == Volunteer.Status.ACTIVE


def test_after_withdrawal_the_person_registers_again_through_the_api_and_gets_a_new_number(api, volunteer):
    api.as_user(volunteer.user).post("/me/withdraw", {"password": PASSWORD})
    from tests.api.test_registration_api import payload

    response = api.post("/volunteers", payload(id_number=ID_NUMBER, phone=PHONE))
    assert response.status_code == 201, response.content
    assert response.json()["registration_number"] > volunteer.registration_number
