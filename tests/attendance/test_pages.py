"""Pages: the shift board (staff of the subtree only), QR screen and print-out, the check-in page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.attendance.factories import make_shift, make_user, make_volunteer, sign_up
from yigong.attendance import services
from yigong.attendance.models import Attendance, ShiftConfirmation
from yigong.attendance.tokens import make_token
from yigong.ledger.models import LedgerEntry

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def live_shift(world):
    """A shift that started ten minutes ago."""
    return make_shift(world, timezone.now() - timedelta(minutes=10), hours=2)


@pytest.fixture
def carol_live(live_shift, carol):
    return sign_up(live_shift, carol)


def board_url(shift):
    return reverse("attendance:shift-board", args=[shift.pk])


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("volunteer", 404), ("other_station", 404), ("station", 200), ("street", 200),
    ("superuser", 200),
])
def test_shift_board_is_only_for_staff_of_the_activitys_subtree(client, world, live_shift, carol, who, status):
    users = {"volunteer": carol.user, "other_station": world.staff_b, "station": world.staff_a,
             "street": world.street_staff, "superuser": make_user("root", superuser=True)}
    if who != "anonymous":
        client.force_login(users[who])
    for url in (board_url(live_shift), reverse("attendance:shift-qr", args=[live_shift.pk]),
                reverse("attendance:shift-print", args=[live_shift.pk])):
        assert client.get(url).status_code == status


def test_actions_of_staff_outside_the_subtree_are_404_and_change_nothing(client, world, live_shift, carol_live):
    client.force_login(world.staff_b)
    url = reverse("attendance:signup-action", args=[live_shift.pk, carol_live.pk, "check-in"])
    assert client.post(url, {"reason": "试试"}).status_code == 404
    assert client.post(reverse("attendance:shift-confirm", args=[live_shift.pk])).status_code == 404
    assert not Attendance.objects.exists()
    assert not ShiftConfirmation.objects.exists()


def test_board_shows_who_is_coming_with_masked_phones(client, world, live_shift, carol, carol_live):
    client.force_login(world.staff_a)
    html = client.get(board_url(live_shift)).content.decode()
    assert "陈卡罗" in html
    assert carol.phone_masked in html
    assert "****" in carol.phone_masked
    assert carol.user.phone[3:] not in html


def test_board_queries_do_not_grow_with_the_number_of_volunteers(client, world, live_shift):
    client.force_login(world.staff_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(board_url(live_shift)).status_code == 200
        return len(ctx)

    for i in range(2):
        signup = sign_up(live_shift, make_volunteer(f"甲{i}"))
        services.check_in_by_hand(actor=world.staff_a, signup=signup, reason="现场")
    few = count()
    for i in range(6):
        signup = sign_up(live_shift, make_volunteer(f"乙{i}"))
        services.set_minutes(actor=world.staff_a, signup=signup, minutes=30, reason="纸质表")
        services.rate_service(actor=world.staff_a, signup=signup, stars=5)
    assert count() == few


def test_manual_check_in_without_reason_rerenders_the_row_with_the_error(client, world, live_shift, carol_live):
    client.force_login(world.staff_a)
    url = reverse("attendance:signup-action", args=[live_shift.pk, carol_live.pk, "check-in"])
    response = client.post(url, {"reason": ""}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="signup-{carol_live.pk}"')
    assert "请填写原因" in html
    assert not Attendance.objects.exists()


def test_manual_check_in_with_reason_returns_the_updated_row_and_summary(client, world, live_shift, carol_live):
    client.force_login(world.staff_a)
    url = reverse("attendance:signup-action", args=[live_shift.pk, carol_live.pk, "check-in"])
    response = client.post(url, {"reason": "手机没电"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="signup-{carol_live.pk}"' in html
    assert 'id="board-summary"' in html
    assert "hx-swap-oob" in html
    # Out-of-band parts travel in a <template>: after a <tr> the HTML parser would drop their forms.
    assert html.index("<template>") < html.index('id="board-summary"') < html.index('id="confirm"')
    assert Attendance.objects.get().check_in_reason == "手机没电"


def test_row_action_without_htmx_redirects_back_with_a_message(client, world, live_shift, carol_live):
    client.force_login(world.staff_a)
    url = reverse("attendance:signup-action", args=[live_shift.pk, carol_live.pk, "minutes"])
    response = client.post(url, {"minutes": "999", "reason": "纸质表"}, follow=True)
    assert response.redirect_chain[-1][0] == board_url(live_shift)
    shown = [str(m) for m in response.context["messages"]]
    assert any("120" in m for m in shown), shown  # "between 0 and 120 minutes"
    response = client.post(url, {"minutes": "100", "reason": "纸质表"}, follow=True)
    assert Attendance.objects.get().manual_minutes == 100


def test_unknown_row_action_is_404(client, world, live_shift, carol_live):
    client.force_login(world.staff_a)
    url = reverse("attendance:signup-action", args=[live_shift.pk, carol_live.pk, "delete"])
    assert client.post(url).status_code == 404


def test_confirm_from_the_board_writes_the_ledger(client, world, live_shift, carol_live):
    services.set_minutes(actor=world.staff_a, signup=carol_live, minutes=60, reason="纸质表")
    client.force_login(world.staff_a)
    response = client.post(reverse("attendance:shift-confirm", args=[live_shift.pk]), follow=True)
    assert LedgerEntry.objects.get().minutes == 60
    assert any("时长已确认" in str(m) for m in response.context["messages"])
    again = client.post(reverse("attendance:shift-confirm", args=[live_shift.pk]), follow=True)
    assert LedgerEntry.objects.count() == 1
    assert again.status_code == 200


def test_qr_screen_carries_a_working_check_in_url_and_refreshes_by_htmx(client, world, live_shift, carol, carol_live):
    client.force_login(world.staff_a)
    response = client.get(reverse("attendance:shift-qr", args=[live_shift.pk]) + "?action=in")
    html = response.content.decode()
    assert "<svg" in html
    assert 'hx-trigger="every 60s"' in html
    assert response["Cache-Control"] == "no-store"
    fragment = client.get(reverse("attendance:shift-qr", args=[live_shift.pk]) + "?action=in", **HTMX)
    assert fragment.content.decode().lstrip().startswith('<div id="qr-code"')
    assert client.get(reverse("attendance:shift-qr", args=[live_shift.pk]) + "?action=sideways").status_code == 404


def test_printed_page_shows_both_codes(client, world, live_shift):
    client.force_login(world.staff_a)
    html = client.get(reverse("attendance:shift-print", args=[live_shift.pk])).content.decode()
    assert html.count('class="qr"') == 2
    assert "签到" in html
    assert "签退" in html


def test_scan_page_sends_anonymous_visitors_to_log_in_and_back(client, live_shift):
    token, _ = make_token(shift=live_shift, action="in")
    url = reverse("checkin:in", args=[token])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert "next=" in response["Location"]


def test_scan_then_one_tap_checks_the_volunteer_in(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in")
    url = reverse("checkin:in", args=[token])
    client.force_login(carol.user)
    page = client.get(url)
    assert page.status_code == 200
    assert "立即签到" in page.content.decode()
    assert not Attendance.objects.exists()
    done = client.post(url)
    assert done.status_code == 200
    assert Attendance.objects.get().check_in_method == "qr"
    again = client.get(url)
    assert again.status_code == 409
    assert "已经签到" in again.content.decode()
    assert Attendance.objects.count() == 1


def test_scan_with_an_expired_token_says_so(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in", now=timezone.now() - timedelta(minutes=6))
    client.force_login(carol.user)
    response = client.get(reverse("checkin:in", args=[token]))
    assert response.status_code == 410
    assert "已过期" in response.content.decode()


def test_scan_with_a_tampered_token_is_refused(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in")
    client.force_login(carol.user)
    response = client.post(reverse("checkin:in", args=[token[:-2] + "xx"]))
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_check_out_page_offers_to_rate_the_activity(client, world, carol, live_shift, carol_live):
    services.check_in_by_hand(actor=world.staff_a, signup=carol_live, reason="现场")
    token, _ = make_token(shift=live_shift, action="out")
    client.force_login(carol.user)
    html = client.post(reverse("checkin:out", args=[token])).content.decode()
    assert "签退成功" in html
    assert reverse("attendance:activity-rate", args=[world.activity.pk]) in html
    rate = client.post(reverse("attendance:activity-rate", args=[world.activity.pk]),
                       {"stars": "5", "comment": "很好"})
    assert rate.status_code == 302
    assert world.activity.ratings.get().stars == 5


def test_rating_an_activity_before_serving_is_refused_on_the_page(client, world, carol):
    client.force_login(carol.user)
    response = client.get(reverse("attendance:activity-rate", args=[world.activity.pk]))
    assert response.status_code == 403
    bad = client.post(reverse("attendance:activity-rate", args=[world.activity.pk]), {"stars": "9"})
    assert bad.status_code == 400
    assert re.search(r"1.{0,5}5", bad.content.decode())


def test_shift_list_shows_only_shifts_in_scope(client, world, live_shift):
    client.force_login(world.staff_b)
    assert world.activity.title not in client.get(reverse("attendance:shift-list")).content.decode()
    client.force_login(world.staff_a)
    assert world.activity.title in client.get(reverse("attendance:shift-list")).content.decode()


def test_english_pages_are_in_english(client, carol, live_shift, carol_live):
    from django.conf import settings

    token, _ = make_token(shift=live_shift, action="in")
    client.force_login(carol.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("checkin:in", args=[token])).content.decode()
    assert "Check in now" in html
