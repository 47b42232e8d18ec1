"""Personal data: encryption at rest, keyed look-up, masking, audited reveals, export, withdrawal."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import override

from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    VolunteerFactory,
    mobile,
    register,
    resident_id,
    staff_of,
)
from yigong.accounts.models import ApiToken
from yigong.accounts.phone import phone_lookup_hash
from yigong.accounts.services import LoginFailed, login_with_password
from yigong.core import crypto
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.core.masking import mask_id_number, mask_name, mask_phone
from yigong.core.models import AuditEvent
from yigong.organizations.models import Membership, Organization
from yigong.volunteers import services
from yigong.volunteers.identity import IdType
from yigong.volunteers.models import Volunteer

TODAY = date(2026, 6, 15)
ID_NUMBER = "440307199001011232"
PHONE = "13812345678"


# ---------------------------------------------------------------- encryption at rest


def _every_row_as_text() -> str:
    """Every row of every table, as the database returns it (no model field decrypts anything)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def _clear_forms(number: str, phone: str) -> list[str]:
    return [number, phone, "+86" + phone, phone[3:]]


@pytest.mark.django_db(transaction=True)
def test_id_and_phone_numbers_are_nowhere_in_the_database_in_clear():
    guardian = "13987654321"
    adult = register(today=TODAY, id_number=ID_NUMBER, phone=PHONE)
    child = register(today=TODAY, id_number=resident_id(birth=date(2014, 1, 1)), guardian_name="王父",
                     guardian_phone=guardian, guardian_consent=True, guardian_data_consent=True)
    with pytest.raises(LoginFailed):  # leaves throttle rows keyed by what was typed
        login_with_password(request=None, identifier="+86" + PHONE, password="wrong password", ip="10.1.1.1")
    with pytest.raises(LoginFailed):
        login_with_password(request=None, identifier="13900009999", password="wrong password", ip="10.1.1.1")

    dump = _every_row_as_text()
    assert adult.registration_number in dump  # the dump really holds the rows
    for secret in [*_clear_forms(ID_NUMBER, PHONE), child.id_number, guardian, "+86" + guardian, "13900009999"]:
        assert secret not in dump, secret

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, guardian_phone FROM volunteers_volunteer WHERE id = %s", [child.pk])
        raw_id, raw_guardian = cursor.fetchone()
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [adult.user_id])
        (raw_phone,) = cursor.fetchone()
    assert raw_id.startswith("v1:")
    assert raw_guardian.startswith("v1:")
    assert raw_phone.startswith("v1:")

    if connection.vendor == "sqlite":
        # The database file and its write-ahead log, byte for byte.
        name = Path(connection.settings_dict["NAME"])
        blob = b"".join(
            p.read_bytes() for p in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if p.exists()
        )
        assert adult.registration_number.encode() in blob
        for secret in [*_clear_forms(ID_NUMBER, PHONE), child.id_number, guardian]:
            assert secret.encode() not in blob, secret
            assert secret.encode("utf-16-le") not in blob, secret


@pytest.mark.django_db
def test_the_keyed_hash_finds_the_volunteer_and_the_account():
    volunteer = register(today=TODAY, id_number="11010519491231002X", phone=PHONE)
    found = Volunteer.objects.get(id_hash=services.id_lookup_hash(IdType.RESIDENT_ID, "11010519491231002X"))
    assert found == volunteer
    assert get_user_model().objects.get(phone_hash=phone_lookup_hash("+86" + PHONE)) == volunteer.user


def test_the_lookup_hash_depends_on_the_secret_key(settings):
    plain_sha = hashlib.sha256(b"cnid:" + ID_NUMBER.encode()).hexdigest()
    first = crypto.lookup_hash("cnid", ID_NUMBER)
    settings.FIELD_HASH_KEY = "another key"
    assert crypto.lookup_hash("cnid", ID_NUMBER) != first
    assert plain_sha not in (first, crypto.lookup_hash("cnid", ID_NUMBER))


def test_encryption_is_randomized_and_tampering_is_detected():
    one, two = crypto.encrypt(ID_NUMBER), crypto.encrypt(ID_NUMBER)
    assert one != two
    assert crypto.decrypt(one) == crypto.decrypt(two) == ID_NUMBER
    tampered = one[:-4] + ("AAAA" if not one.endswith("AAAA") else "BBBB")
    with pytest.raises((InvalidTag, ValueError)):
        crypto.decrypt(tampered)


# ---------------------------------------------------------------- masking


@pytest.mark.parametrize(("number", "masked"), [
    ("440307199001011232", "4403**********1232"),
    ("11010519491231002X", "1101**********002X"),
    ("USA441234567890", "USA4*******7890"),
    ("E12345678", "E1*****78"),
    ("H1234567801", "H1*******01"),
    ("12345678", "12****78"),
    ("E1234", "E***4"),
    ("AB", "**"),
    ("", ""),
])
def test_id_numbers_are_masked_keeping_only_both_ends(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"),
    ("+8613812345678", "138****5678"),
    ("+85291234567", "+852****4567"),
    ("", ""),
])
def test_phone_numbers_are_masked(phone, masked):
    assert mask_phone(phone) == masked


def test_names_are_masked_after_the_first_character():
    assert (mask_name("张三"), mask_name("欧阳娜娜")) == ("张*", "欧***")


@pytest.mark.django_db
def test_a_registered_volunteer_carries_masked_numbers():
    volunteer = register(today=TODAY, id_number=ID_NUMBER, phone=PHONE)
    assert volunteer.id_masked == "4403**********1232"
    assert volunteer.phone_masked == "138****5678"


# ---------------------------------------------------------------- audited reveals


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["self", "office_admin", "station_a1_admin", "superuser"])
def test_roles_that_need_them_see_the_full_numbers_and_each_reveal_is_audited(tree, who):
    volunteer = tree.vol_a1
    actor = {
        "self": volunteer.user, "office_admin": tree.office_admin, "station_a1_admin": tree.station_a1_admin,
        "superuser": get_user_model().objects.create_superuser("root", password="Root-pass-2026"),
    }[who]
    numbers = services.reveal_personal_numbers(actor=actor, volunteer=volunteer, reason="insurance form")
    assert numbers["id_number"] == volunteer.id_number
    assert numbers["phone"] == volunteer.user.phone
    event = AuditEvent.objects.get(action="volunteer.reveal")
    assert (event.actor_id, event.target_id, event.data["reason"]) == (actor.pk, str(volunteer.pk), "insurance form")
    assert volunteer.id_number not in repr(event.data)


@pytest.mark.django_db
@pytest.mark.parametrize("who", [
    "station_a1_staff",  # staff, not an administrator
    "street_a_staff",
    "team_a1_staff",
    "station_a2_staff",
    "station_a2_admin",  # an administrator, but of the sibling community
    "other_volunteer",
    "anonymous",
    "nobody",
])
def test_other_roles_are_refused_the_full_numbers_and_nothing_is_logged(tree, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "station_a1_staff": tree.station_a1_staff, "street_a_staff": tree.street_a_staff,
        "team_a1_staff": tree.team_a1_staff, "station_a2_staff": tree.station_a2_staff,
        "station_a2_admin": staff_of(tree.station_a2, Membership.Role.ADMIN),
        "other_volunteer": tree.vol_a2.user, "anonymous": AnonymousUser(), "nobody": None,
    }[who]
    with override("en"), pytest.raises(NotAllowed) as caught:
        services.reveal_personal_numbers(actor=actor, volunteer=tree.vol_a1)
    assert str(caught.value.message) == "You may not see this volunteer's full personal numbers."
    assert not AuditEvent.objects.filter(action="volunteer.reveal").exists()


@pytest.mark.django_db
def test_an_admin_of_an_organization_still_awaiting_approval_sees_no_full_numbers(tree):
    pending = OrganizationFactory(kind=Organization.Kind.TEAM, parent=tree.station_a1,
                                  status=Organization.Status.PENDING)
    admin = staff_of(pending, Membership.Role.ADMIN)
    MembershipFactory(user=tree.vol_a1.user, organization=pending)
    with pytest.raises(NotAllowed):
        services.reveal_personal_numbers(actor=admin, volunteer=tree.vol_a1)


@pytest.mark.django_db
def test_admin_of_one_place_and_staff_of_another_reveals_only_in_the_first(tree):
    """Being staff somewhere does not lend the administrator's right to that other place."""
    actor = tree.station_a1_admin
    MembershipFactory(user=actor, organization=tree.station_b1, role=Membership.Role.STAFF)
    assert services.reveal_personal_numbers(actor=actor, volunteer=tree.vol_a1)["id_number"]
    with pytest.raises(NotAllowed):
        services.reveal_personal_numbers(actor=actor, volunteer=tree.vol_b1)


# ---------------------------------------------------------------- export


@pytest.mark.django_db
def test_the_export_holds_everything_on_record_including_memberships(tree):
    volunteer = register(today=TODAY, id_number=ID_NUMBER, phone=PHONE,
                         home_community_code=tree.community_a1.code)
    from yigong.organizations import services as org_services

    application = org_services.apply_to_join(actor=volunteer.user, organization=tree.team_a1, message="想帮忙")
    org_services.decide_membership(actor=tree.team_a1_staff, membership=application, approve=True)

    data = services.export_personal_data(volunteer=volunteer)
    assert data["volunteer"]["id_number"] == ID_NUMBER
    assert data["volunteer"]["registration_number"] == volunteer.registration_number
    assert data["volunteer"]["birth_date"] == "1990-01-01"
    assert data["volunteer"]["home_community_code"] == tree.community_a1.code
    assert data["account"]["phone"] == "+86" + PHONE
    assert data["memberships"] == [{
        "organization": tree.team_a1.name, "organization_kind": "team", "role": "member", "status": "active",
        "message": "想帮忙", "since": application.created_at.isoformat(),
        "decided_at": data["memberships"][0]["decided_at"], "decision_reason": "",
    }]
    assert data["memberships"][0]["decided_at"]
    actions = [e["action"] for e in data["audit"]]
    assert "volunteer.register" in actions
    assert "membership.apply" in actions


@pytest.mark.django_db
def test_the_export_has_a_place_for_every_field_held_on_a_volunteer():
    """A field added to Volunteer later must be added to the export too (PIPL: access to one's data)."""
    internal = {"id", "user", "id_hash", "id_masked", "created_at", "updated_at"}
    data = services.export_personal_data(volunteer=VolunteerFactory())
    held = {f.name for f in Volunteer._meta.concrete_fields} - internal
    assert held <= set(data["volunteer"]), held - set(data["volunteer"])


# ---------------------------------------------------------------- withdrawal


@pytest.mark.django_db
def test_withdrawal_removes_personal_data_and_keeps_the_registration_number(tree):
    guardian = mobile()
    volunteer = register(today=TODAY, id_number=resident_id(birth=date(2010, 3, 4)), phone=PHONE,
                         guardian_name="王父", guardian_phone=guardian, guardian_consent=True,
                         home_community_code=tree.community_a1.code)
    MembershipFactory(user=volunteer.user, organization=tree.team_a1)
    rejected = MembershipFactory(user=volunteer.user, organization=tree.station_a1,
                                 status=Membership.Status.REJECTED)
    ApiToken.issue(volunteer.user)
    number, user_pk = volunteer.registration_number, volunteer.user_id

    with override("en"):
        services.withdraw(actor=volunteer.user, volunteer=volunteer)

    v = Volunteer.objects.get(pk=volunteer.pk)
    assert v.registration_number == number
    assert v.name == f"Withdrawn volunteer {number}"
    assert (v.id_number, v.id_hash, v.id_masked) == ("", None, "")
    assert (v.guardian_name, v.guardian_phone) == ("", "")
    assert (v.skills, v.languages, v.availability) == ([], [], [])
    assert v.birth_date == date(2010, 1, 1)  # the year stays for statistics
    assert v.status == Volunteer.Status.WITHDRAWN
    assert v.withdrawn_at is not None
    assert v.user is None

    user = get_user_model().objects.get(pk=user_pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert (user.phone, user.phone_hash, user.display_name) == ("", None, "")
    assert user.username == f"withdrawn-{number}"
    assert not ApiToken.objects.filter(user_id=user_pk).exists()
    assert set(Membership.objects.filter(user_id=user_pk).values_list("status", flat=True)) == {"left", "rejected"}
    assert Membership.objects.get(pk=rejected.pk).status == Membership.Status.REJECTED
    assert AuditEvent.objects.filter(action="volunteer.withdraw", target_id=str(v.pk)).exists()

    for identifier in (PHONE, number):
        with pytest.raises(LoginFailed):
            login_with_password(request=None, identifier=identifier, password="Yigong-test-2026", ip="10.0.0.7")


@pytest.mark.django_db
def test_after_withdrawal_the_same_person_can_register_again_with_a_new_number():
    first = register(today=TODAY, id_number=ID_NUMBER, phone=PHONE)
    services.withdraw(actor=first.user, volunteer=first)
    again = register(today=TODAY, id_number=ID_NUMBER, phone=PHONE)
    assert again.registration_number != first.registration_number
    assert again.registration_number > first.registration_number
    assert Volunteer.objects.get(id_hash=services.id_lookup_hash(IdType.RESIDENT_ID, ID_NUMBER)) == again


@pytest.mark.django_db
def test_withdrawing_twice_is_a_conflict():
    volunteer = register(today=TODAY)
    user = volunteer.user
    services.withdraw(actor=user, volunteer=volunteer)
    with pytest.raises(Conflict) as caught:
        services.withdraw(actor=user, volunteer=volunteer)
    assert caught.value.code == "already_withdrawn"


@pytest.mark.django_db
def test_nobody_else_can_withdraw_a_volunteer(tree):
    for actor in (tree.office_admin, tree.vol_a2.user, None):
        with pytest.raises(NotAllowed):
            services.withdraw(actor=actor, volunteer=tree.vol_a1)
    assert Volunteer.objects.get(pk=tree.vol_a1.pk).status == Volunteer.Status.ACTIVE


@pytest.mark.django_db
def test_withdrawal_with_a_wrong_password_changes_nothing():
    volunteer = register(today=TODAY)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.withdraw(actor=volunteer.user, volunteer=volunteer, password="not my password")
    assert caught.value.fields == {"password": ["The password is wrong."]}
    assert Volunteer.objects.get(pk=volunteer.pk).status == Volunteer.Status.ACTIVE
