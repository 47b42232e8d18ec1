"""Login, logout, the volunteer's own page, data download, withdrawal, and joining a team."""

import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from page_world import PASSWORD, SHANXIA, make_volunteer

from yigong.organizations.models import Membership
from yigong.volunteers.models import Volunteer


@pytest.mark.django_db
def test_login_by_phone_number_goes_to_my_page(client, world):
    volunteer = world.volunteers["shanxia"]
    response = client.post(reverse("accounts:login"), {"username": volunteer.user.phone[3:], "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:me")


@pytest.mark.django_db
def test_staff_login_by_username_goes_to_the_console(client, world):
    response = client.post(reverse("accounts:login"), {"username": "shanxia-staff", "password": PASSWORD})
    assert response["Location"] == reverse("organizations:console")


@pytest.mark.django_db
def test_login_follows_a_safe_next_and_ignores_another_site(client, world):
    data = {"username": "shanxia-staff", "password": PASSWORD}
    ok = client.post(reverse("accounts:login") + "?next=/console/volunteers/", data)
    assert ok["Location"] == "/console/volunteers/"
    client.logout()
    evil = client.post(reverse("accounts:login"), {**data, "next": "https://evil.example/"})
    assert evil["Location"] == reverse("organizations:console")


@pytest.mark.django_db
def test_wrong_password_says_so_without_telling_which_part_was_wrong(client, world):
    response = client.post(reverse("accounts:login"), {"username": "shanxia-staff", "password": "nope"})
    assert response.status_code == 401
    assert "手机号码、用户名或密码错误。" in response.content.decode()


@pytest.mark.django_db
def test_empty_login_form_names_the_missing_fields(client):
    response = client.post(reverse("accounts:login"), {})
    assert response.status_code == 400
    assert "此项为必填项。" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_are_throttled_with_the_waiting_time(client, world):
    for _ in range(settings.YIGONG_LOGIN_MAX_FAILURES):
        client.post(reverse("accounts:login"), {"username": "shanxia-staff", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "shanxia-staff", "password": PASSWORD})
    assert response.status_code == 429
    assert re.search(r"登录失败次数过多，请 1[45] 分钟后再试。", response.content.decode())


@pytest.mark.django_db
def test_logout_is_a_post_button(client, world):
    client.force_login(world.shanxia_staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    html = client.get(reverse("organizations:console")).content.decode()
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in html
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("volunteers:me")).status_code == 302  # back to the login page


@pytest.mark.django_db
def test_my_page_needs_login(client):
    response = client.get(reverse("volunteers:me"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_my_page_shows_masked_numbers_and_never_the_full_ones(client, world):
    volunteer = world.volunteers["shanxia"]
    client.force_login(volunteer.user)
    html = client.get(reverse("volunteers:me")).content.decode()
    assert volunteer.registration_number in html
    assert volunteer.id_masked in html
    assert volunteer.id_number not in html
    assert volunteer.phone_masked in html
    assert volunteer.user.phone[3:] not in html
    assert "平湖街道 · 山厦社区" in html
    assert reverse("volunteers:export") in html
    assert reverse("volunteers:withdraw") in html


@pytest.mark.django_db
def test_my_page_lists_memberships_and_pending_applications(client, world):
    volunteer = world.volunteers["shanxia"]
    from yigong.organizations.services import apply_to_join, decide_membership

    pending = apply_to_join(actor=volunteer.user, organization=world.team)
    joined = apply_to_join(actor=volunteer.user, organization=world.shanxia)
    decide_membership(actor=world.shanxia_staff, membership=joined, approve=True)
    client.force_login(volunteer.user)
    html = client.get(reverse("volunteers:me")).content.decode()
    assert world.team.name in html
    assert "申请待审核" in html
    assert world.shanxia.name in html
    assert "有效" in html
    assert pending.pk


@pytest.mark.django_db
def test_minor_sees_guardian_details_masked(client, world):
    child = make_volunteer(name="陈小宝", community=SHANXIA, birth=date(date.today().year - 12, 2, 2), seq=61,
                           guardian_name="陈大宝", guardian_phone="13900002222", guardian_consent=True,
                           guardian_data_consent=True)
    client.force_login(child.user)
    html = client.get(reverse("volunteers:me")).content.decode()
    assert "陈大宝" in html
    assert "139****2222" in html
    assert "13900002222" not in html
    assert settings.YIGONG_CHILD_PRIVACY_NOTICE_VERSION in html


@pytest.mark.django_db
def test_staff_without_a_registration_is_sent_from_my_page_to_the_console(client, world):
    client.force_login(world.shanxia_staff)
    assert client.get(reverse("volunteers:me"))["Location"] == reverse("organizations:console")


@pytest.mark.django_db
def test_download_my_data_gives_everything_as_json(client, world):
    volunteer = world.volunteers["shanxia"]
    client.force_login(volunteer.user)
    response = client.get(reverse("volunteers:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["volunteer"]["id_number"] == volunteer.id_number
    assert data["account"]["phone"] == volunteer.user.phone


@pytest.mark.django_db
def test_withdraw_page_explains_what_is_kept_and_removed(client, world):
    client.force_login(world.volunteers["shanxia"].user)
    html = client.get(reverse("volunteers:withdraw")).content.decode()
    assert "将删除的信息" in html
    assert "将保留的信息" in html
    assert world.volunteers["shanxia"].registration_number in html


@pytest.mark.django_db
def test_withdraw_with_a_wrong_password_or_without_confirming_changes_nothing(client, world):
    volunteer = world.volunteers["shanxia"]
    client.force_login(volunteer.user)
    wrong = client.post(reverse("volunteers:withdraw"), {"password": "wrong-one", "understood": "on"})
    assert wrong.status_code == 400
    assert "密码错误。" in wrong.content.decode()
    unconfirmed = client.post(reverse("volunteers:withdraw"), {"password": PASSWORD})
    assert "请勾选此项，确认您要注销。" in unconfirmed.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACTIVE
    assert volunteer.id_number


@pytest.mark.django_db
def test_withdraw_removes_personal_data_and_logs_out(client, world):
    volunteer = world.volunteers["shanxia"]
    number = volunteer.registration_number
    client.force_login(volunteer.user)
    response = client.post(reverse("volunteers:withdraw"), {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 200
    assert number in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.WITHDRAWN
    assert volunteer.id_number == ""
    assert volunteer.user is None
    assert client.get(reverse("volunteers:me")).status_code == 302


@pytest.mark.django_db
def test_join_page_lists_teams_and_stations_but_not_federations(client, world):
    html = client.get(reverse("volunteers:join")).content.decode()
    assert world.team.name in html
    assert world.shanxia.name in html
    assert f"<strong>{world.pinghu.name}</strong>" not in html
    assert "注册或登录后即可申请。" in html
    filtered = client.get(reverse("volunteers:join"), {"street": "440307002"}).content.decode()
    assert world.dexing.name in filtered
    assert world.shanxia.name not in filtered


@pytest.mark.django_db
def test_volunteer_applies_to_join_a_team(client, world):
    volunteer = world.volunteers["liangantian"]
    client.force_login(volunteer.user)
    response = client.post(reverse("volunteers:apply", args=[world.team.pk]), {"next": "/volunteers/join/"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=volunteer.user, organization=world.team)
    assert membership.status == Membership.Status.PENDING
    page = client.get(reverse("volunteers:join")).content.decode()
    assert "申请待审核" in page


@pytest.mark.django_db
def test_applying_twice_with_htmx_shows_the_conflict_in_place(client, world):
    volunteer = world.volunteers["liangantian"]
    client.force_login(volunteer.user)
    url = reverse("volunteers:apply", args=[world.team.pk])
    first = client.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert "申请待审核" in first.content.decode()
    assert "<html" not in first.content.decode()
    second = client.post(url, HTTP_HX_REQUEST="true")
    assert second.status_code == 409
    assert "您已申请或已加入该组织。" in second.content.decode()
    assert Membership.objects.filter(user=volunteer.user, organization=world.team).count() == 1


@pytest.mark.django_db
def test_a_federation_cannot_be_joined(client, world):
    client.force_login(world.volunteers["shanxia"].user)
    client.post(reverse("volunteers:apply", args=[world.pinghu.pk]))
    assert not Membership.objects.filter(organization=world.pinghu, user=world.volunteers["shanxia"].user).exists()


@pytest.mark.django_db
def test_applying_needs_login(client, world):
    response = client.post(reverse("volunteers:apply", args=[world.team.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
