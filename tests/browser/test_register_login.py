"""A person registers on a phone, logs out, logs in with their phone number, and sees their page."""

import re
from datetime import date

import pytest

from yigong.core.masking import mask_id_number
from yigong.regions.services import load_regions_csv
from yigong.volunteers.identity import resident_id_check_char
from yigong.volunteers.models import Volunteer

REGIONS = """code,name,parent_code
440307,龙岗区,
440307001,平湖街道,440307
440307002,布吉街道,440307
440307001001,山厦社区,440307001
440307002001,德兴社区,440307002
"""


def resident_id(birth: date, seq: int) -> str:
    first17 = f"440307{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


@pytest.mark.browser
def test_register_on_a_phone_then_log_out_and_in_by_phone_number(live_server, transactional_db, phone_page):
    load_regions_csv(text=REGIONS)
    page = phone_page
    id_number = resident_id(date(1992, 6, 18), 77)

    page.goto(f"{live_server.url}/volunteers/register/")
    assert page.title().startswith("注册成为义工")
    # For an adult with a resident ID, the script hides the birth-date and guardian sections.
    assert page.locator("#document-details").is_hidden()
    page.fill("#id_name", "周晓雨")
    page.fill("#id_id_number", id_number)
    assert page.locator("#guardian").is_hidden()
    page.fill("#id_phone", "138 0013 8111")
    page.fill("#id_password", "Lychee-Summer-26")
    # Choosing the street loads its communities (htmx), then the community is chosen.
    page.select_option("#id_street", "440307002")
    page.wait_for_function(
        "() => document.querySelectorAll('#id_home_community option').length === 2")
    page.select_option("#id_home_community", "440307002001")
    page.get_by_text("急救", exact=True).click()
    page.get_by_text("粤语", exact=True).click()
    page.get_by_text("周末上午", exact=True).click()
    page.locator("#id_privacy_consent").check()
    page.get_by_role("button", name="注册", exact=True).click()

    page.wait_for_url(re.compile(r"/volunteers/register/done/$"))
    number = page.locator("#registration-number").inner_text().strip()
    volunteer = Volunteer.objects.get(registration_number=number)
    assert volunteer.name == "周晓雨"
    assert volunteer.home_community.code == "440307002001"
    assert volunteer.skills == ["first_aid"]
    assert volunteer.languages == ["cantonese"]

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "13800138111")
    page.fill("#id_password", "Lychee-Summer-26")
    page.locator("form.form-card").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/volunteers/me/$"))
    assert page.locator("#id-masked").inner_text() == mask_id_number(id_number)
    assert id_number not in page.content()
    assert "周晓雨" in page.locator("h1").inner_text()
    # The bottom bar is there on a phone, with "me" marked as the current place.
    assert page.locator(".bottombar").is_visible()
    assert page.locator('.bottombar a[aria-current="page"]').inner_text().strip() == "我的"
    assert page.console_errors == []
