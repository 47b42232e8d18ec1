"""POST /api/v1/volunteers: public real-name registration (201 / 400 / 409 / 429)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.api.test_contract import assert_error
from tests.conftest import assert_chinese, requires_zh_catalogs
from tests.factories import PASSWORD, community_region, mobile, resident_id
from yigong.core.models import ThrottleBucket
from yigong.volunteers.models import RegistrationCounter, Volunteer

pytestmark = pytest.mark.django_db


def payload(**overrides) -> dict:
    body = {
        "name": "陈晓明", "id_type": "resident_id", "id_number": "440307199001011232", "phone": "13812345678",
        "password": PASSWORD, "home_community": community_region().code, "privacy_consent": True,
        "privacy_notice_version": "2026-11", "skills": ["first_aid"], "languages": ["cantonese"],
        "availability": ["weekend_morning"],
    }
    body.update(overrides)
    return body


def years_ago(years: int):
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years) - timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28) - timedelta(days=1)


def test_registration_answers_201_with_the_profile_and_masked_numbers(api):
    response = api.post("/volunteers", payload())
    assert response.status_code == 201, response.content
    body = response.json()
    year = timezone.localdate().year
    assert re.fullmatch(rf"440307{year}\d{{6}}", body["registration_number"])
    assert body["id_number_masked"] == "4403**********1232"
    assert body["phone_masked"] == "138****5678"
    assert (body["birth_date"], body["sex"], body["is_minor"]) == ("1990-01-01", "M", False)
    assert body["home_community"]["code"] == community_region().code
    assert body["username"] == body["registration_number"]
    assert "440307199001011232" not in response.content.decode()
    assert "13812345678" not in response.content.decode()


def test_the_account_keeps_the_language_of_the_registration_request(api):
    api.speaking("en").post("/volunteers", payload())
    assert Volunteer.objects.get().user.preferred_language == "en"


def test_the_new_volunteer_can_get_a_token_by_phone(api):
    api.post("/volunteers", payload())
    response = api.post("/auth/token", {"username": "13812345678", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["token"]


def test_invalid_fields_answer_400_with_every_field_named_in_english(api):
    response = api.speaking("en").post("/volunteers", payload(
        name="", id_number="360426199101010072", phone="12345678901", home_community="440307999999",
        privacy_consent=False, password="123",
    ))
    error = assert_error(response, 400, "invalid")
    assert error["message"] == "Please correct the marked fields."
    assert error["fields"]["name"] == ["Enter your name as it is on your ID document."]
    assert error["fields"]["id_number"] == [
        "The last character of this ID number does not match the others; check for a typo."
    ]
    assert error["fields"]["phone"] == ["This phone number does not exist; check the digits."]
    assert error["fields"]["home_community"] == ["Choose your community from the list."]
    assert error["fields"]["privacy_consent"] == ["Read and accept the privacy notice to register."]
    assert "The password is too short: use at least 8 characters." in error["fields"]["password"]
    assert not Volunteer.objects.exists()
    assert not get_user_model().objects.exists()


@requires_zh_catalogs
def test_invalid_fields_are_explained_in_chinese_by_default(api):
    error = assert_error(api.post("/volunteers", payload(name="", phone="12345678901")), 400, "invalid")
    assert_chinese(error["message"], "Please correct the marked fields.")
    assert_chinese(error["fields"]["name"][0], "Enter your name as it is on your ID document.")
    assert_chinese(error["fields"]["phone"][0], "This phone number does not exist; check the digits.")


@requires_zh_catalogs
def test_a_conflict_is_explained_in_chinese_by_default(api):
    api.post("/volunteers", payload())
    error = assert_error(api.post("/volunteers", payload(phone=mobile())), 409, "already_registered")
    assert_chinese(error["message"])


def test_a_minor_registers_with_guardian_consent_and_is_flagged(api):
    body = payload(id_number=resident_id(birth=years_ago(12)), guardian_name="陈父", guardian_phone=mobile(),
                   guardian_consent=True, guardian_data_consent=True)
    response = api.post("/volunteers", body)
    assert response.status_code == 201, response.content
    assert response.json()["is_minor"] is True
    volunteer = Volunteer.objects.get()
    assert volunteer.child_privacy_notice_version == "2026-11-child"


def test_a_minor_without_guardian_consent_is_told_what_is_missing(api):
    error = assert_error(api.speaking("en").post("/volunteers", payload(id_number=resident_id(birth=years_ago(12)))),
                         400, "invalid")
    assert set(error["fields"]) == {"guardian_name", "guardian_phone", "guardian_consent", "guardian_data_consent"}


def test_the_same_id_again_answers_409_already_registered(api):
    assert api.post("/volunteers", payload()).status_code == 201
    response = api.speaking("en").post("/volunteers", payload(phone=mobile(), id_number="440307199001011232"))
    error = assert_error(response, 409, "already_registered")
    assert error["message"] == (
        "This ID number is already registered. Log in, or ask your station if you forgot your account."
    )
    assert error["fields"] == {"id_number": ["already registered"]}
    assert Volunteer.objects.count() == 1
    assert get_user_model().objects.count() == 1
    assert RegistrationCounter.objects.get().last == 1


def test_the_same_phone_again_answers_409_phone_taken(api):
    assert api.post("/volunteers", payload()).status_code == 201
    error = assert_error(api.post("/volunteers", payload(id_number=resident_id())), 409, "phone_taken")
    assert set(error["fields"]) == {"phone"}


def test_too_many_registrations_from_one_address_answer_429(api):
    ThrottleBucket.objects.create(key="register:ip:10.9.9.9", window_start=timezone.now(), count=30)
    response = api.from_ip("10.9.9.9").post("/volunteers", payload())
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert not Volunteer.objects.exists()
    assert api.from_ip("10.9.9.8").post("/volunteers", payload()).status_code == 201
