"""Real-name registration through the service (volunteers.services.register_volunteer)."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import override

from tests.conftest import assert_chinese, requires_zh_catalogs
from tests.factories import PASSWORD, UserFactory, mobile, register, registration, resident_id
from yigong.core import settings_store
from yigong.core.errors import ValidationFailed
from yigong.core.models import AuditEvent
from yigong.regions.models import Region
from yigong.volunteers import services
from yigong.volunteers.identity import IdType
from yigong.volunteers.models import RegistrationCounter, Volunteer
from yigong.volunteers.services import AlreadyRegistered

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def birthday(years_ago: int, days_later: int = 0) -> date:
    """The date someone turns `years_ago` on TODAY (+ days_later: they are one year younger)."""
    from datetime import timedelta

    return TODAY.replace(year=TODAY.year - years_ago) + timedelta(days=days_later)


def field_errors(**overrides) -> dict[str, list[str]]:
    """Register with `overrides` on a valid form; return the field errors, in the active language."""
    with pytest.raises(ValidationFailed) as caught:
        register(today=TODAY, **overrides)
    return {field: [str(m) for m in messages] for field, messages in caught.value.fields.items()}


def counts() -> tuple[int, int, int, int]:
    return (
        get_user_model().objects.count(), Volunteer.objects.count(),
        sum(RegistrationCounter.objects.values_list("last", flat=True)), AuditEvent.objects.count(),
    )


# ---------------------------------------------------------------- success


def test_registration_derives_birth_date_and_sex_from_the_resident_id():
    volunteer = register(today=TODAY, id_number="440307199001011232")
    assert volunteer.birth_date == date(1990, 1, 1)
    assert volunteer.sex == "M"
    assert volunteer.id_type == IdType.RESIDENT_ID
    assert volunteer.id_masked == "4403**********1232"


def test_birth_date_and_sex_typed_in_the_form_cannot_override_the_id():
    volunteer = register(today=TODAY, id_number="11010519491231002X", birth_date=date(2000, 1, 1), sex="M")
    assert (volunteer.birth_date, volunteer.sex) == (date(1949, 12, 31), "F")


def test_passport_holder_gives_birth_date_and_sex_in_the_form():
    volunteer = register(today=TODAY, id_type=IdType.PASSPORT, id_number="E12345678",
                         birth_date=date(1985, 3, 2), sex="M")
    assert (volunteer.birth_date, volunteer.sex, volunteer.id_masked) == (date(1985, 3, 2), "M", "E1*****78")


def test_registration_saves_what_the_person_entered():
    volunteer = register(today=TODAY, name="  欧阳   娜娜 ", skills=["tutoring", "tutoring", "it"],
                         languages=["english"], availability=["holidays"], username="nana_oy",
                         preferred_language="en")
    volunteer.refresh_from_db()
    assert volunteer.name == "欧阳 娜娜"
    assert volunteer.skills == ["tutoring", "it"]
    assert (volunteer.languages, volunteer.availability) == (["english"], ["holidays"])
    assert volunteer.user.username == "nana_oy"
    assert volunteer.user.display_name == "欧阳 娜娜"
    assert volunteer.user.preferred_language == "en"
    assert volunteer.user.password.startswith("argon2")
    assert volunteer.user.check_password(PASSWORD)
    assert volunteer.privacy_notice_version == "2026-11"
    assert volunteer.consented_at is not None
    assert volunteer.status == Volunteer.Status.ACTIVE


def test_registration_is_audited():
    volunteer = register(today=TODAY)
    event = AuditEvent.objects.get(action="volunteer.register")
    assert (event.target_type, event.target_id, event.actor_id) == (
        "volunteers.volunteer", str(volunteer.pk), volunteer.user_id,
    )


def test_registration_number_is_district_code_year_and_six_digit_sequence():
    first = register(today=TODAY)
    second = register(today=TODAY)
    assert first.registration_number == "4403072026000001"
    assert second.registration_number == "4403072026000002"
    assert re.fullmatch(r"440307\d{4}\d{6}", first.registration_number)


def test_without_a_username_the_registration_number_is_the_login_name():
    volunteer = register(today=TODAY)
    assert volunteer.user.username == volunteer.registration_number


def test_each_year_starts_a_new_sequence():
    register(today=TODAY)
    assert register(today=date(2027, 1, 1)).registration_number == "4403072027000001"
    assert register(today=TODAY).registration_number == "4403072026000002"


def test_registration_number_is_never_reused_after_withdrawal():
    first = register(today=TODAY)
    services.withdraw(actor=first.user, volunteer=first)
    second = register(today=TODAY)
    assert second.registration_number == "4403072026000002"
    assert Volunteer.objects.get(pk=first.pk).registration_number == "4403072026000001"


# ---------------------------------------------------------------- minors


def test_adult_registration_keeps_no_guardian_data_even_if_given():
    volunteer = register(today=TODAY, guardian_name="王父", guardian_phone=mobile(), guardian_consent=True)
    assert (volunteer.guardian_name, volunteer.guardian_phone, volunteer.guardian_consent_at) == ("", "", None)


def test_eighteen_today_is_an_adult():
    volunteer = register(today=TODAY, id_number=resident_id(birth=birthday(18)))
    assert volunteer.guardian_consent_at is None


def test_under_ten_is_refused_by_default():
    with override("en"):
        errors = field_errors(id_number=resident_id(birth=birthday(10, days_later=1)))
    assert errors == {"id_number": ["Volunteers must be at least 10 years old."]}


def test_the_district_can_change_the_minimum_age():
    settings_store.put(key="minimum_age", value=12)
    with override("en"):
        errors = field_errors(id_number=resident_id(birth=birthday(11)), guardian_name="王父",
                              guardian_phone=mobile(), guardian_consent=True, guardian_data_consent=True)
    assert errors == {"id_number": ["Volunteers must be at least 12 years old."]}
    settings_store.put(key="minimum_age", value=8)
    volunteer = register(today=TODAY, id_number=resident_id(birth=birthday(9)), guardian_name="王父",
                         guardian_phone=mobile(), guardian_consent=True, guardian_data_consent=True)
    assert volunteer.birth_date == birthday(9)


def test_minimum_age_applies_to_the_birth_date_of_other_documents():
    with override("en"):
        errors = field_errors(id_type=IdType.PASSPORT, id_number="E12345678", birth_date=birthday(9), sex="F")
    assert errors == {"birth_date": ["Volunteers must be at least 10 years old."]}


def test_ten_to_thirteen_need_guardian_consent_and_consent_to_data_processing():
    with override("en"):
        errors = field_errors(id_number=resident_id(birth=birthday(10)))
    assert errors == {
        "guardian_name": ["Under 18: enter your guardian's name."],
        "guardian_phone": ["Enter a mobile phone number."],
        "guardian_consent": ["Under 18: your guardian must agree to your volunteering."],
        "guardian_data_consent": [
            "Under 14: your guardian must read the children's privacy notice and agree to it."
        ],
    }


def test_a_registered_child_has_guardian_consents_and_the_childrens_notice_version_on_record():
    guardian_phone = mobile()
    volunteer = register(today=TODAY, id_number=resident_id(birth=birthday(13)), guardian_name=" 王父 ",
                         guardian_phone=guardian_phone, guardian_consent=True, guardian_data_consent=True)
    volunteer.refresh_from_db()
    assert volunteer.guardian_name == "王父"
    assert volunteer.guardian_phone == "+86" + guardian_phone
    assert volunteer.guardian_consent_at is not None
    assert volunteer.guardian_data_consent_at is not None
    assert volunteer.child_privacy_notice_version == "2026-11-child"


def test_fourteen_to_seventeen_need_guardian_consent_only():
    with override("en"):
        errors = field_errors(id_number=resident_id(birth=birthday(14)))
    assert set(errors) == {"guardian_name", "guardian_phone", "guardian_consent"}
    volunteer = register(today=TODAY, id_number=resident_id(birth=birthday(17)), guardian_name="李母",
                         guardian_phone=mobile(), guardian_consent=True)
    assert volunteer.guardian_consent_at is not None
    assert volunteer.guardian_data_consent_at is None
    assert volunteer.child_privacy_notice_version == ""


def test_guardian_phone_must_differ_from_the_minors_own():
    phone = mobile()
    with override("en"):
        errors = field_errors(id_number=resident_id(birth=birthday(15)), phone=phone, guardian_name="李母",
                              guardian_phone=phone, guardian_consent=True)
    assert errors == {"guardian_phone": ["Your guardian's phone must differ from your own."]}


def test_guardian_phone_is_checked_like_any_phone():
    with override("en"):
        errors = field_errors(id_number=resident_id(birth=birthday(15)), guardian_name="李母",
                              guardian_phone="12345678901", guardian_consent=True)
    assert errors == {"guardian_phone": ["This phone number does not exist; check the digits."]}


# ---------------------------------------------------------------- every error path, in both languages


def _community_street_code():
    from tests.factories import street_region

    return street_region(1).code


def _inactive_community_code():
    from tests.factories import community_region

    community = community_region(n=9)
    Region.objects.filter(pk=community.pk).update(active=False)
    return community.code


# (overrides, field, English message). Callables are evaluated inside the test (they need the DB).
ERROR_PATHS = [
    ({"name": "   "}, "name", "Enter your name as it is on your ID document."),
    ({"name": "名" * 61}, "name", "The name is too long (60 characters at most)."),
    ({"id_type": "driving_licence"}, "id_type", "Choose the type of identity document."),
    ({"id_number": ""}, "id_number", "Enter the ID number."),
    ({"id_number": "360426199101010072"}, "id_number",
     "The last character of this ID number does not match the others; check for a typo."),
    ({"id_number": "44030719900230123X"}, "id_number", "The birth date in this ID number is not a real date."),
    ({"id_number": "4403071990"}, "id_number", "A resident ID number has 18 characters; this one has 10."),
    ({"id_type": IdType.PASSPORT, "id_number": "E1", "birth_date": date(1990, 1, 1), "sex": "F"},
     "id_number", "A passport number has 5 to 17 letters and digits."),
    ({"id_type": IdType.PASSPORT, "id_number": "E12345678", "sex": "F"}, "birth_date",
     "Enter your date of birth."),
    ({"id_type": IdType.PASSPORT, "id_number": "E12345678", "sex": "F", "birth_date": date(2026, 6, 16)},
     "birth_date", "The date of birth lies in the future."),
    ({"id_type": IdType.PASSPORT, "id_number": "E12345678", "birth_date": date(1990, 1, 1), "sex": "X"},
     "sex", "Choose your sex as on your document."),
    ({"phone": ""}, "phone", "Enter a mobile phone number."),
    ({"phone": "abc"}, "phone", "This is not a phone number."),
    ({"phone": "12345678901"}, "phone", "This phone number does not exist; check the digits."),
    ({"phone": "0755 8888 8888"}, "phone", "Enter a mobile number that can receive text messages."),
    ({"username": "ab"}, "username", "A username has 3 to 30 letters, digits, dots or underscores."),
    ({"username": "has space"}, "username", "A username has 3 to 30 letters, digits, dots or underscores."),
    ({"username": "13812345678"}, "username",
     "A username cannot be only digits (that looks like a phone number)."),
    ({"password": "x7#kQ2"}, "password", "The password is too short: use at least 8 characters."),
    ({"password": "38172946150"}, "password", "This password is entirely numeric."),
    ({"password": "password123"}, "password", "This password is too common."),
    ({"home_community_code": ""}, "home_community", "Choose the community where you live or work."),
    ({"home_community_code": "440307999999"}, "home_community", "Choose your community from the list."),
    ({"home_community_code": _community_street_code}, "home_community", "Choose your community from the list."),
    ({"home_community_code": _inactive_community_code}, "home_community", "Choose your community from the list."),
    ({"skills": ["first_aid", "juggling"]}, "skills", "Unknown choice: juggling."),
    ({"languages": ["klingon"]}, "languages", "Unknown choice: klingon."),
    ({"availability": ["midnight"]}, "availability", "Unknown choice: midnight."),
    ({"privacy_consent": False}, "privacy_consent", "Read and accept the privacy notice to register."),
    ({"privacy_notice_version": "2020-01"}, "privacy_consent",
     "The privacy notice has changed; read the current one and accept it."),
    ({"id_number": lambda: resident_id(birth=birthday(10, days_later=1))}, "id_number",
     "Volunteers must be at least 10 years old."),
]
ERROR_IDS = [f"{field}-{i}" for i, (_o, field, _m) in enumerate(ERROR_PATHS)]


def _resolve(overrides: dict) -> dict:
    return {k: (v() if callable(v) else v) for k, v in overrides.items()}


@pytest.mark.parametrize(("overrides", "field", "english"), ERROR_PATHS, ids=ERROR_IDS)
def test_each_bad_field_gets_its_own_message_in_english(overrides, field, english):
    before = counts()
    with override("en"):
        errors = field_errors(**_resolve(overrides))
    assert errors == {field: [english]}
    assert counts() == before


@requires_zh_catalogs
@pytest.mark.parametrize(("overrides", "field", "english"), ERROR_PATHS, ids=ERROR_IDS)
def test_each_bad_field_gets_its_own_message_in_chinese_by_default(overrides, field, english):
    errors = field_errors(**_resolve(overrides))
    assert list(errors) == [field]
    assert_chinese(errors[field][0], english)


def test_the_summary_message_is_in_english_when_asked():
    with override("en"), pytest.raises(ValidationFailed) as caught:
        register(today=TODAY, name="")
    assert str(caught.value.message) == "Please correct the marked fields."


@requires_zh_catalogs
def test_the_summary_message_is_in_chinese_by_default():
    with pytest.raises(ValidationFailed) as caught:
        register(today=TODAY, name="")
    assert_chinese(str(caught.value.message), "Please correct the marked fields.")


def test_taken_username_is_refused_whatever_its_case():
    UserFactory(username="Alice_W")
    with override("en"):
        assert field_errors(username="alice_w") == {"username": ["This username is taken; choose another."]}


def test_every_error_is_reported_at_once():
    with override("en"):
        errors = field_errors(name="", id_number="360426199101010072", phone="abc", password="1",
                              home_community_code="", privacy_consent=False, skills=["x"])
    assert set(errors) == {"name", "id_number", "phone", "password", "home_community", "privacy_consent",
                           "skills"}


# ---------------------------------------------------------------- one person, one registration


def test_second_registration_with_the_same_id_is_refused_as_already_registered():
    register(today=TODAY, id_number="440307199001011232")
    before = counts()
    with override("en"), pytest.raises(AlreadyRegistered) as caught:
        register(today=TODAY, id_number="440307199001011232")
    assert caught.value.code == "already_registered"
    assert caught.value.status == 409
    assert str(caught.value.message) == (
        "This ID number is already registered. Log in, or ask your station if you forgot your account."
    )
    assert counts() == before


def test_the_same_id_with_a_lower_case_x_is_the_same_person():
    register(today=TODAY, id_number="11010519491231002X")
    with pytest.raises(AlreadyRegistered):
        register(today=TODAY, id_number="11010519491231002x")


def test_the_same_id_typed_in_full_width_digits_is_the_same_person():
    register(today=TODAY, id_number="440307199001011232")
    with pytest.raises(AlreadyRegistered):
        register(today=TODAY, id_number="４４０３０７１９９００１０１１２３２")


def test_a_residence_permit_number_cannot_be_registered_twice_under_either_type():
    body = "81000019900101123"
    from yigong.volunteers.identity import resident_id_check_char

    number = body + resident_id_check_char(body)
    register(today=TODAY, id_type=IdType.HKMO_RESIDENCE, id_number=number)
    with pytest.raises(AlreadyRegistered):
        register(today=TODAY, id_type=IdType.HKMO_RESIDENCE, id_number=number)


def test_the_same_phone_number_twice_is_refused():
    phone = mobile()
    register(today=TODAY, phone=phone)
    before = counts()
    with override("en"), pytest.raises(AlreadyRegistered) as caught:
        register(today=TODAY, phone="+86 " + phone)
    assert caught.value.code == "phone_taken"
    assert str(caught.value.message) == (
        "This phone number already belongs to an account. Log in, or use another number."
    )
    assert counts() == before


def test_a_phone_number_of_a_staff_account_cannot_be_registered_again():
    staff = UserFactory()
    with pytest.raises(AlreadyRegistered) as caught:
        register(today=TODAY, phone=staff.phone)
    assert caught.value.code == "phone_taken"


# ---------------------------------------------------------------- nothing half-saved


def test_a_refused_registration_consumes_no_registration_number():
    register(today=TODAY, id_number="440307199001011232")
    with pytest.raises(AlreadyRegistered):
        register(today=TODAY, id_number="440307199001011232")
    with pytest.raises(ValidationFailed):
        register(today=TODAY, name="")
    assert register(today=TODAY).registration_number == "4403072026000002"


def test_a_failure_while_saving_leaves_no_account_and_no_number_behind(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "record", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        register(today=TODAY, username="halfsaved")
    assert counts() == before
    assert not get_user_model().objects.filter(username="halfsaved").exists()
    monkeypatch.undo()
    assert register(today=TODAY).registration_number == "4403072026000001"


# ---------------------------------------------------------------- simultaneous registrations


def _register_in_threads(forms, *, workers=6):
    """Run one registration per form in parallel threads (each with its own connection)."""
    barrier = threading.Barrier(len(forms))
    outcomes: list = [None] * len(forms)

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = services.register_volunteer(data=forms[i], today=TODAY)
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(forms))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_with_one_id_let_exactly_one_through():
    number = resident_id()
    forms = [registration(id_number=number) for _ in range(6)]
    outcomes = _register_in_threads(forms)
    winners = [o for o in outcomes if isinstance(o, Volunteer)]
    losers = [o for o in outcomes if not isinstance(o, Volunteer)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, AlreadyRegistered) and o.code == "already_registered" for o in losers), losers
    assert Volunteer.objects.count() == 1
    assert get_user_model().objects.count() == 1
    assert RegistrationCounter.objects.get().last == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_with_one_phone_let_exactly_one_through():
    phone = mobile()
    forms = [registration(phone=phone) for _ in range(6)]
    outcomes = _register_in_threads(forms)
    winners = [o for o in outcomes if isinstance(o, Volunteer)]
    losers = [o for o in outcomes if not isinstance(o, Volunteer)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, AlreadyRegistered) and o.code == "phone_taken" for o in losers), losers
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_different_people_get_distinct_consecutive_numbers():
    outcomes = _register_in_threads([registration() for _ in range(6)])
    assert all(isinstance(o, Volunteer) for o in outcomes), outcomes
    assert sorted(o.registration_number[-6:] for o in outcomes) == [f"{n:06d}" for n in range(1, 7)]
