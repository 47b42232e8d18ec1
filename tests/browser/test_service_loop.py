"""The whole service loop in two browsers: a volunteer on a phone finds an activity and signs up
with one tap; the organizer opens the shift board and shows the check-in QR code; the volunteer
opens the code's link, checks in, later checks out with the check-out code; the organizer confirms
the hours; the volunteer finds them in the service archive and its export."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.activities import builders as b
from yigong.activities.models import Activity, SignUp
from yigong.attendance.models import Attendance
from yigong.ledger.models import LedgerEntry
from yigong.ledger.verify import verify_chain

PASSWORD = "Lychee-Summer-26"
ZBARIMG = shutil.which("zbarimg")


def _with_password(user, username: str):
    user.username = username
    user.set_password(PASSWORD)
    user.save()
    return user


def _log_in(page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()


def _url_in_qr(page, tmp_path) -> str:
    """The link the QR code on the organizer's screen carries, read from the code as shown."""
    if ZBARIMG is None:
        pytest.fail("zbarimg (Debian package zbar-tools) is needed to read the QR code on the page")
    image = tmp_path / "qr.png"
    page.locator("#qr-code .qr-image").screenshot(path=str(image))
    out = subprocess.run([ZBARIMG, "--quiet", "--raw", str(image)],  # noqa: S603 - a fixed program on our own file
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.browser
def test_sign_up_check_in_out_confirm_and_see_the_hours(live_server, transactional_db, browser, phone_page,
                                                        tmp_path):
    world = b.district()
    organizer_user = _with_password(world.station_staff, "organizer")
    project = b.project(world.station, title="长者探访")
    activity = b.activity(world.station, project_=project, title="周末长者陪伴", place="平湖社区长者服务中心")
    # A short shift about to start: check-in opens before it, and leaving within the grace
    # (10 minutes) of its end counts the whole shift, so the hours do not depend on the test's pace.
    start = timezone.now() + timedelta(seconds=40)
    slot = b.shift_with_slot(activity, starts_at=start, hours=0.15, places=5)
    volunteer = b.volunteer("周晓雨", home=world.community)
    _with_password(volunteer.user, "xiaoyu")
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.PUBLISHED

    # The volunteer finds the activity and signs up with one tap.
    phone = phone_page
    phone.goto(f"{live_server.url}/accounts/login/?next=/activities/")
    _log_in(phone, "xiaoyu")
    phone.wait_for_url(re.compile(r"/activities/$"))
    card = phone.locator("article, .card", has_text="周末长者陪伴").first
    card.get_by_role("link", name="查看班次并报名").click()
    phone.wait_for_url(re.compile(rf"/activities/{activity.pk}/$"))
    phone.get_by_role("button", name="报名", exact=True).click()
    phone.wait_for_selector(".signup-result.ok")
    signup = SignUp.objects.get(volunteer=volunteer, slot=slot)
    assert signup.status == SignUp.Status.APPROVED

    # The organizer opens the shift board and shows the check-in code.
    organizer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    organizer.goto(f"{live_server.url}/accounts/login/?next=/attendance/shifts/{slot.shift_id}/")
    _log_in(organizer, organizer_user.username)
    organizer.wait_for_url(re.compile(rf"/attendance/shifts/{slot.shift_id}/$"))
    assert "周晓雨" in organizer.locator(f"#signup-{signup.pk}").inner_text()
    organizer.get_by_role("link", name="显示签到二维码").click()
    organizer.wait_for_selector("#qr-code svg")

    # The volunteer opens the code's link and checks in.
    check_in_url = _url_in_qr(organizer, tmp_path)
    assert "/c/i/" in check_in_url
    phone.goto(check_in_url)
    phone.get_by_role("button", name="立即签到").click()
    phone.wait_for_selector(".scan-ok")
    assert Attendance.objects.get(signup=signup).check_in_method == "qr"

    # Later, the check-out code.
    organizer.get_by_role("link", name="签退", exact=True).click()
    organizer.wait_for_url(re.compile(r"action=out"))
    organizer.wait_for_selector("#qr-code svg")
    check_out_url = _url_in_qr(organizer, tmp_path)
    assert "/c/o/" in check_out_url
    phone.goto(check_out_url)
    phone.get_by_role("button", name="立即签退").click()
    phone.wait_for_selector(".scan-ok")
    assert Attendance.objects.get(signup=signup).checked_out_at is not None

    # The organizer confirms the hours once the shift has begun.
    time.sleep(max(0.0, (start - timezone.now()).total_seconds()) + 1)
    organizer.goto(f"{live_server.url}/attendance/shifts/{slot.shift_id}/")
    organizer.get_by_role("button", name="确认时长").click()
    organizer.wait_for_selector(".notice-success")
    entry = LedgerEntry.objects.get(signup=signup)
    assert entry.minutes == 9  # arrived before the start, left within the grace: the whole shift
    assert verify_chain(entry.district_code).intact

    # The volunteer sees the hours in the archive and in its export.
    phone.goto(f"{live_server.url}/archive/")
    archive = phone.locator("main").inner_text()
    assert "周末长者陪伴" in archive
    assert "0:09" in archive
    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载 CSV").click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert "周末长者陪伴" in exported
    assert phone.console_errors == []
