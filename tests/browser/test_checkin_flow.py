"""A volunteer checks in on a phone from the QR code's link; the organizer checks her out by hand
and confirms the shift's hours on the board (two browser contexts)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.attendance.factories import make_shift, make_volunteer, make_world, sign_up
from yigong.attendance.models import Attendance
from yigong.ledger.models import LedgerEntry

PASSWORD = "correct horse battery"


def log_in(page, base: str, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()


@pytest.mark.browser
def test_qr_check_in_on_a_phone_then_organizer_confirms_hours(live_server, transactional_db, browser, phone_page):
    world = make_world()
    shift = make_shift(world, timezone.now() - timedelta(minutes=5), hours=2)
    carol = make_volunteer("陈卡罗", username="carol")
    signup = sign_up(shift, carol)

    organizer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    organizer.goto(f"{live_server.url}/accounts/login/?next=/attendance/shifts/{shift.pk}/qr/%3Faction%3Din")
    log_in(organizer, live_server.url, "alice")
    organizer.wait_for_url(re.compile(r"/qr/\?action=in$"))
    assert organizer.locator("#qr-code svg.qr").count() == 1
    # What the code on the screen carries (the organizer's app would show the same).
    qr = organizer.request.get(f"{live_server.url}/api/v1/shifts/{shift.pk}/qr-token?action=in").json()
    assert "/c/i/" in qr["url"]

    volunteer = phone_page
    volunteer.goto(qr["url"].replace("http://testserver", live_server.url))
    volunteer.wait_for_url(re.compile(r"/accounts/login/"))
    log_in(volunteer, live_server.url, "carol")
    volunteer.wait_for_url(re.compile(r"/c/i/"))
    volunteer.get_by_role("button", name="立即签到").click()
    volunteer.wait_for_selector(".scan-ok")
    assert "签到成功" in volunteer.locator(".scan-ok").inner_text()
    assert Attendance.objects.get(signup=signup).check_in_method == "qr"
    assert volunteer.console_errors == []

    organizer.goto(f"{live_server.url}/attendance/shifts/{shift.pk}/")
    row = organizer.locator(f"#signup-{signup.pk}")
    row.locator("summary", has_text="手工签退").click()
    row.locator("details[open] input[name=reason]").fill("提前离开，手机没电")
    row.locator("details[open] button[type=submit]").click()
    organizer.locator(f"#signup-{signup.pk} .badge-ok").nth(1).wait_for()  # htmx swapped the row
    assert re.search(r"1\s*已签退", organizer.locator("#board-summary").inner_text())  # out-of-band swap
    organizer.get_by_role("button", name="确认时长").click()
    organizer.wait_for_selector(".notice-success")
    entry = LedgerEntry.objects.get(signup=signup)
    assert entry.source == "checkin"
    assert entry.minutes >= 4  # from the shift start (arrived within the grace) until now
