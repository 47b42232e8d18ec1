"""API v1 contract: OpenAPI, tokens, the error body, status codes and their language."""

from __future__ import annotations

import pytest

from tests.conftest import assert_chinese, requires_zh_catalogs
from tests.factories import PASSWORD, UserFactory
from yigong.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return body["error"]


def test_openapi_is_served_and_lists_the_public_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["info"]["title"] == "Yigong API"
    paths = spec["paths"]
    for path, method in [
        ("/api/v1/auth/token", "post"), ("/api/v1/volunteers", "post"), ("/api/v1/volunteers", "get"),
        ("/api/v1/volunteers/{volunteer_id}", "get"), ("/api/v1/me", "get"), ("/api/v1/me/export", "get"),
        ("/api/v1/me/withdraw", "post"), ("/api/v1/regions", "get"), ("/api/v1/organizations", "get"),
        ("/api/v1/organizations/{org_id}/applications", "post"),
        ("/api/v1/organizations/{org_id}/applications/{membership_id}/decision", "post"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path} missing from OpenAPI"
    assert "409" in paths["/api/v1/volunteers"]["post"]["responses"]
    assert "429" in paths["/api/v1/auth/token"]["post"]["responses"]


def test_the_api_docs_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200


def test_a_token_is_issued_for_phone_or_username_and_password(api):
    user = UserFactory(username="meimei", phone="+8613812345678")
    for identifier in ("meimei", "13812345678"):
        response = api.post("/auth/token", {"username": identifier, "password": PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token"}
        assert body["token"].startswith("yg_")
    assert ApiToken.objects.filter(user=user).count() == 2
    # Only the token's digest is stored.
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()


def test_a_token_opens_the_api_and_a_made_up_one_does_not(api):
    user = UserFactory()
    token = api.post("/auth/token", {"username": user.username, "password": PASSWORD}).json()["token"]
    from tests.conftest import ApiClient

    assert ApiClient(api.client, token=token).get("/me").status_code == 404  # signed in, not a volunteer
    assert_error(ApiClient(api.client, token="yg_made_up").get("/me"), 401, "unauthenticated")


def test_an_expired_token_is_refused(api):
    from datetime import timedelta

    from django.utils import timezone

    user = UserFactory()
    client = api.as_user(user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(client.get("/me"), 401, "unauthenticated")


def test_a_token_stops_working_when_the_account_is_deactivated(api):
    user = UserFactory()
    client = api.as_user(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_error(client.get("/me"), 401, "unauthenticated")


def test_a_wrong_password_gets_401_in_english_when_asked(api):
    UserFactory(username="meimei")
    error = assert_error(api.speaking("en").post("/auth/token", {"username": "meimei", "password": "nope"}),
                         401, "login_failed")
    assert error["message"] == "The phone number, username or password is wrong."


@requires_zh_catalogs
def test_a_wrong_password_gets_401_in_chinese_by_default(api):
    UserFactory(username="meimei")
    error = assert_error(api.post("/auth/token", {"username": "meimei", "password": "nope"}), 401, "login_failed")
    assert_chinese(error["message"], "The phone number, username or password is wrong.")


def test_too_many_failures_get_429_with_retry_after(api):
    UserFactory(username="meimei")
    english = api.speaking("en")
    for _ in range(5):
        assert english.post("/auth/token", {"username": "meimei", "password": "nope"}).status_code == 401
    response = english.post("/auth/token", {"username": "meimei", "password": PASSWORD})
    error = assert_error(response, 429, "throttled")
    assert error["message"] == "Too many failed logins. Try again in 15 minutes."
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def test_missing_fields_are_named_with_a_message(api):
    error = assert_error(api.speaking("en").post("/auth/token", {"username": "x"}), 400, "invalid")
    assert error["message"] == "Some fields are not valid."
    assert error["fields"] == {"password": ["This field is required."]}


@requires_zh_catalogs
def test_missing_fields_are_named_in_chinese_by_default(api):
    error = assert_error(api.post("/auth/token", {"username": "x"}), 400, "invalid")
    assert_chinese(error["message"], "Some fields are not valid.")
    assert_chinese(error["fields"]["password"][0], "This field is required.")


def test_wrongly_typed_fields_get_messages_people_can_act_on(api):
    error = assert_error(api.speaking("en").post("/volunteers", {
        "name": 5, "id_number": "x", "phone": "1", "password": "p", "home_community": "1",
        "skills": "first_aid", "birth_date": "2020-13-01", "privacy_consent": "maybe",
    }), 400, "invalid")
    assert error["fields"] == {
        "name": ["Enter text here."], "skills": ["Enter a list."],
        "birth_date": ["Enter a date as YYYY-MM-DD."], "privacy_consent": ["Enter true or false."],
    }


def test_a_body_that_is_not_json_gets_a_400_people_can_read(api):
    error = assert_error(api.speaking("en").post("/volunteers", "{not json"), 400, "invalid")
    assert error["message"] == "The request body is not valid JSON."


@requires_zh_catalogs
def test_a_body_that_is_not_json_gets_a_400_in_chinese_by_default(api):
    error = assert_error(api.post("/volunteers", "{not json"), 400, "invalid")
    assert_chinese(error["message"], "The request body is not valid JSON.")


@requires_zh_catalogs
def test_type_errors_and_sign_in_errors_are_in_chinese_by_default(api):
    error = assert_error(api.post("/volunteers", {"name": 5}), 400, "invalid")
    assert_chinese(error["fields"]["name"][0], "Enter text here.")
    assert_chinese(assert_error(api.get("/me"), 401, "unauthenticated")["message"], "Log in first.")


def test_signed_in_endpoints_answer_401_without_a_token(api):
    for path in ("/me", "/me/export", "/volunteers", "/volunteers/1"):
        error = assert_error(api.speaking("en").get(path), 401, "unauthenticated")
        assert error["message"] == "Log in first."


def test_unknown_records_answer_404_in_the_error_format(api, tree):
    client = api.as_user(tree.office_admin)
    assert_error(client.get("/volunteers/999999"), 404, "not_found")
