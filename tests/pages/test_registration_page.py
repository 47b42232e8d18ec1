"""The registration page: every error says what is wrong, next to the field, in the user's language."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from page_world import LIANGANTIAN, SHANXIA, resident_id

from yigong.core.models import ThrottleBucket
from yigong.volunteers.models import Volunteer

URL = "/volunteers/register/"


def form_data(**overrides):
    data = {
        "name": "陈小红", "id_type": "resident_id", "id_number": resident_id(date(1995, 3, 8), 21),
        "phone": "13800138000", "password": "Plum-Blossom-88", "username": "",
        "street": "440307001", "home_community": SHANXIA,
        "skills": ["first_aid", "tutoring"], "languages": ["mandarin", "cantonese"],
        "availability": ["weekend_morning"], "privacy_consent": "on",
        "privacy_notice_version": settings.YIGONG_PRIVACY_NOTICE_VERSION,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def field_errors(html: str, field: str) -> str:
    """The text of one field's block (label, input, errors)."""
    start = html.index(f'id="field-{field}"')
    return html[start:start + 3000].split('id="field-', 2)[1]


def counts():
    return get_user_model().objects.count(), Volunteer.objects.count()


@pytest.mark.django_db
def test_registration_page_shows_every_field_on_a_phone_sized_form(client, world):
    html = client.get(URL).content.decode()
    for name in ["name", "id_type", "id_number", "birth_date", "sex", "phone", "password", "username",
                 "street", "home_community", "skills", "languages", "availability", "guardian_name",
                 "guardian_phone", "guardian_consent", "guardian_data_consent", "privacy_consent"]:
        assert f'name="{name}"' in html, name
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert '<optgroup label="平湖街道">' in html  # communities grouped by street without JS
    assert reverse("core:privacy-children") in html
    assert reverse("core:privacy") in html
    assert "volunteers/js/register.js" in html


@pytest.mark.django_db
def test_successful_registration_logs_in_and_shows_the_registration_number(client, world):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:registered")
    volunteer = Volunteer.objects.get(name="陈小红")
    assert volunteer.home_community.code == SHANXIA
    assert volunteer.skills == ["first_aid", "tutoring"]
    assert volunteer.privacy_notice_version == settings.YIGONG_PRIVACY_NOTICE_VERSION
    assert volunteer.user.preferred_language == "zh-hans"
    page = client.get(response["Location"]).content.decode()
    assert volunteer.registration_number in page
    assert "您已成为注册义工" in page


@pytest.mark.django_db
def test_empty_form_names_each_missing_field_in_chinese_and_saves_nothing(client, world):
    before = counts()
    response = client.post(URL, {"id_type": "resident_id"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请修改标出的内容。" in html
    assert "请填写与身份证件一致的姓名。" in field_errors(html, "name")
    assert "请填写证件号码。" in field_errors(html, "id_number")
    assert "请填写手机号码。" in field_errors(html, "phone")
    assert "请选择您居住或工作的社区。" in field_errors(html, "home_community")
    assert "注册前请阅读并同意《隐私告知书》。" in field_errors(html, "privacy_consent")
    assert 'aria-invalid="true"' in field_errors(html, "password")
    assert counts() == before


@pytest.mark.django_db
def test_errors_are_in_english_when_english_is_chosen(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    bad_id = resident_id(date(1995, 3, 8), 21)[:-1] + ("0" if resident_id(date(1995, 3, 8), 21)[-1] != "0" else "1")
    html = client.post(URL, form_data(id_number=bad_id, phone="12345", privacy_consent=None)).content.decode()
    assert "Please correct the marked fields." in html
    assert "does not match the others; check for a typo" in field_errors(html, "id_number")
    assert "This phone number does not exist; check the digits." in field_errors(html, "phone")
    assert "Read and accept the privacy notice to register." in field_errors(html, "privacy_consent")


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"id_number": "36042619910101007"}, "id_number", "居民身份证号码应为 18 位，您填写了 17 位。"),
    ({"id_number": "360426199101010072"}, "id_number", "证件号码最后一位校验码不符"),
    ({"id_number": "360426199102300075"}, "id_number", "证件号码中的出生日期不是有效日期。"),
    ({"id_number": resident_id(date(1990, 1, 1), 9, area="810000")}, "id_number", "这是居住证号码"),
    ({"phone": "1380013800"}, "phone", "该号码不存在，请核对数字。"),
    ({"phone": "075528888888"}, "phone", "请填写能接收短信的手机号码。"),
    ({"password": "12345678"}, "password", "密码只包含数字。"),
    ({"password": "Ab-1"}, "password", "密码太短，至少需要 8 个字符。"),
    ({"username": "12345"}, "username", "用户名不能全是数字"),
    ({"username": "a!"}, "username", "用户名由 3 至 30 个字母"),
    ({"home_community": "440307009999"}, "home_community", "请从列表中选择社区。"),
    ({"skills": ["juggling"]}, "skills", "juggling"),
    ({"privacy_consent": None}, "privacy_consent", "注册前请阅读并同意《隐私告知书》。"),
    ({"privacy_notice_version": "2001-01"}, "privacy_consent", "《隐私告知书》已更新"),
])
def test_each_bad_field_gets_its_own_message_and_nothing_is_saved(client, world, overrides, field, message):
    before = counts()
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in field_errors(html, field)
    assert f'<a href="#field-{field}">' in html  # the summary links to the field
    assert counts() == before


@pytest.mark.django_db
def test_entered_values_are_kept_after_an_error_except_the_password(client, world):
    html = client.post(URL, form_data(phone="123", username="xiaohong_88", password="Secret-Plum-77",
                                      street="440307001", home_community=LIANGANTIAN)).content.decode()
    assert 'value="陈小红"' in html
    assert 'value="xiaohong_88"' in html
    assert "Secret-Plum-77" not in html
    assert f'<option value="{LIANGANTIAN}" selected>' in html
    assert re.search(r'name="skills" value="first_aid"[^>]*checked', html)
    assert not re.search(r'name="skills" value="driving"[^>]*checked', html)


@pytest.mark.django_db
def test_passport_holder_must_give_birth_date_and_sex(client, world):
    html = client.post(URL, form_data(id_type="passport", id_number="E12345678")).content.decode()
    assert "请填写出生日期。" in field_errors(html, "birth_date")
    assert "请按证件选择性别。" in field_errors(html, "sex")


@pytest.mark.django_db
def test_unreadable_birth_date_is_reported_together_with_the_other_errors(client, world):
    html = client.post(URL, form_data(id_type="passport", id_number="E12345678", birth_date="30/02/2001",
                                      phone="")).content.decode()
    assert "请按“年-月-日”填写出生日期" in field_errors(html, "birth_date")
    assert "请填写手机号码。" in field_errors(html, "phone")
    assert "请按证件选择性别。" in field_errors(html, "sex")


@pytest.mark.django_db
def test_passport_holder_with_birth_date_and_sex_registers(client, world):
    response = client.post(URL, form_data(id_type="passport", id_number="e1234 5678", birth_date="1988-07-01",
                                          sex="F"))
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(name="陈小红")
    assert volunteer.birth_date == date(1988, 7, 1)
    assert volunteer.sex == "F"


@pytest.mark.django_db
def test_minor_needs_guardian_name_phone_and_consent(client, world):
    today = date.today()
    teen = resident_id(date(today.year - 16, 1, 1), 31)
    before = counts()
    html = client.post(URL, form_data(id_number=teen)).content.decode()
    assert "未满 18 周岁：请填写监护人姓名。" in field_errors(html, "guardian_name")
    assert "请填写手机号码。" in field_errors(html, "guardian_phone")
    assert "须经监护人同意" in field_errors(html, "guardian_consent")
    assert "guardian_data_consent" not in html.split('class="error-summary"')[1].split("</div>")[0]
    assert counts() == before
    response = client.post(URL, form_data(id_number=teen, guardian_name="陈大明", guardian_phone="13900001111",
                                          guardian_consent="on"))
    assert response.status_code == 302
    assert Volunteer.objects.get(name="陈小红").guardian_consent_at is not None


@pytest.mark.django_db
def test_child_under_14_needs_the_guardians_data_consent_and_sees_the_childrens_notice(client, world):
    child = resident_id(date(date.today().year - 12, 1, 1), 41)
    data = form_data(id_number=child, guardian_name="陈大明", guardian_phone="13900001111", guardian_consent="on")
    html = client.post(URL, data).content.decode()
    block = field_errors(html, "guardian_data_consent")
    assert "未满 14 周岁：监护人须阅读并同意《儿童个人信息保护告知书》。" in block
    assert reverse("core:privacy-children") in html
    response = client.post(URL, {**data, "guardian_data_consent": "on"})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(name="陈小红")
    assert volunteer.child_privacy_notice_version == settings.YIGONG_CHILD_PRIVACY_NOTICE_VERSION


@pytest.mark.django_db
def test_child_under_the_minimum_age_is_refused(client, world):
    html = client.post(URL, form_data(id_number=resident_id(date(date.today().year - 8, 1, 1), 51))).content.decode()
    assert "义工须年满 10 周岁。" in field_errors(html, "id_number")


@pytest.mark.django_db
def test_second_registration_with_the_same_id_is_a_clear_409_and_saves_nothing(client, world):
    existing = world.volunteers["shanxia"]
    before = counts()
    response = client.post(URL, form_data(id_number=existing.id_number))
    assert response.status_code == 409
    html = response.content.decode()
    assert "该证件号码已注册。请直接登录" in html
    assert "已注册" in field_errors(html, "id_number")
    assert f'href="{reverse("accounts:login")}"' in html
    assert counts() == before


@pytest.mark.django_db
def test_phone_already_in_use_is_a_409_on_the_phone_field(client, world):
    phone = world.volunteers["shanxia"].user.phone
    before = counts()
    response = client.post(URL, form_data(phone=phone[3:]))
    assert response.status_code == 409
    assert "已被使用" in field_errors(response.content.decode(), "phone")
    assert counts() == before


@pytest.mark.django_db
def test_registration_is_throttled_per_address_with_a_message(client, world):
    from django.utils import timezone

    ThrottleBucket.objects.create(key="register:ip:127.0.0.1", window_start=timezone.now(), count=30)
    before = counts()
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "尝试次数过多，请稍后再试。" in response.content.decode()
    assert counts() == before


@pytest.mark.django_db
def test_a_registered_volunteer_opening_the_page_goes_to_their_own_page(client, world):
    client.force_login(world.volunteers["shanxia"].user)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:me")
