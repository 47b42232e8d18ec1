"""API v1: check-in/out by token, the organizer's QR token and confirm-hours, with the error format."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.attendance.factories import make_shift, sign_up
from yigong.accounts.models import ApiToken
from yigong.attendance import services
from yigong.attendance.models import Attendance
from yigong.attendance.tokens import make_token
from yigong.ledger.models import LedgerEntry


@pytest.fixture
def live_shift(world):
    return make_shift(world, timezone.now() - timedelta(minutes=10), hours=2)


@pytest.fixture
def carol_live(live_shift, carol):
    return sign_up(live_shift, carol)


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post(client, path, body, user=None):
    return client.post(f"/api/v1{path}", body, content_type="application/json", **(bearer(user) if user else {}))


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_check_in_by_token_returns_the_attendance(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in")
    response = post(client, "/checkin", {"token": token}, carol.user)
    assert response.status_code == 200
    body = response.json()
    assert body["shift_id"] == live_shift.pk
    assert body["signup_id"] == carol_live.pk
    assert body["check_in_method"] == "qr"
    assert body["checked_in_at"]
    assert body["checked_out_at"] is None


def test_duplicate_check_in_is_409(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in")
    post(client, "/checkin", {"token": token}, carol.user)
    assert_error(post(client, "/checkin", {"token": token}, carol.user), 409, "already_checked_in")
    assert Attendance.objects.count() == 1


def test_check_out_by_token(client, carol, live_shift, carol_live):
    post(client, "/checkin", {"token": make_token(shift=live_shift, action="in")[0]}, carol.user)
    response = post(client, "/checkout", {"token": make_token(shift=live_shift, action="out")[0]}, carol.user)
    assert response.status_code == 200
    assert response.json()["checked_out_at"]


def test_check_out_before_check_in_is_409(client, carol, live_shift, carol_live):
    response = post(client, "/checkout", {"token": make_token(shift=live_shift, action="out")[0]}, carol.user)
    assert_error(response, 409, "not_checked_in")


def test_expired_token_is_410_token_expired(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in", now=timezone.now() - timedelta(minutes=6))
    assert_error(post(client, "/checkin", {"token": token}, carol.user), 410, "token_expired")


def test_token_of_another_shift_is_403_token_invalid(client, world, carol, live_shift, carol_live):
    other = make_shift(world, live_shift.starts_at + timedelta(hours=4))
    token, _ = make_token(shift=other, action="in")
    assert_error(post(client, "/checkin", {"token": token, "shift_id": live_shift.pk}, carol.user), 403,
                 "token_invalid")
    sign_up(other, carol)  # now a token of this shift, scanned by someone signed up for the other shift
    token, _ = make_token(shift=live_shift, action="in")
    live_shift_only = post(client, "/checkin", {"token": token, "shift_id": other.pk}, carol.user)
    assert_error(live_shift_only, 403, "token_invalid")


def test_check_in_token_used_for_check_out_is_403_token_invalid(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in")
    assert_error(post(client, "/checkout", {"token": token}, carol.user), 403, "token_invalid")


def test_tampered_token_is_403_and_empty_token_is_400(client, carol, live_shift, carol_live):
    token, _ = make_token(shift=live_shift, action="in")
    assert_error(post(client, "/checkin", {"token": token[:-3] + "abc"}, carol.user), 403, "token_invalid")
    response = post(client, "/checkin", {"token": "  "}, carol.user)
    assert_error(response, 400, "invalid")
    assert "token" in response.json()["error"]["fields"]
    assert_error(post(client, "/checkin", {}, carol.user), 400, "invalid")


def test_check_in_needs_authentication(client, live_shift):
    token, _ = make_token(shift=live_shift, action="in")
    assert_error(post(client, "/checkin", {"token": token}), 401, "unauthenticated")


def test_volunteer_not_signed_up_is_403(client, dave, live_shift):
    token, _ = make_token(shift=live_shift, action="in")
    assert_error(post(client, "/checkin", {"token": token}, dave.user), 403, "not_signed_up")


def test_organizer_gets_a_qr_token_that_checks_in(client, world, carol, live_shift, carol_live):
    response = client.get(f"/api/v1/shifts/{live_shift.pk}/qr-token?action=in", **bearer(world.staff_a))
    assert response.status_code == 200
    body = response.json()
    assert body["action"] == "in"
    assert body["display"] == "screen"
    assert body["url"].endswith(f"/c/i/{body['token']}/")
    assert post(client, "/checkin", {"token": body["token"]}, carol.user).status_code == 200


def test_printed_qr_token_lasts_until_the_shift_end_plus_margin(client, world, live_shift):
    response = client.get(f"/api/v1/shifts/{live_shift.pk}/qr-token?action=out&display=print",
                          **bearer(world.staff_a))
    body = response.json()
    assert body["url"].split("/c/")[1].startswith("o/")
    expires = timezone.datetime.fromisoformat(body["expires_at"])
    assert abs((expires - (live_shift.ends_at + timedelta(minutes=30))).total_seconds()) < 1


@pytest.mark.parametrize("query", ["", "?action=sideways", "?action=in&display=poster"])
def test_qr_token_with_a_bad_action_is_400(client, world, live_shift, query):
    assert_error(client.get(f"/api/v1/shifts/{live_shift.pk}/qr-token{query}", **bearer(world.staff_a)), 400,
                 "invalid")


@pytest.mark.parametrize("who", ["staff_b", "volunteer"])
def test_qr_token_and_confirm_are_404_outside_the_subtree(client, world, carol, live_shift, who):
    user = world.staff_b if who == "staff_b" else carol.user
    assert_error(client.get(f"/api/v1/shifts/{live_shift.pk}/qr-token?action=in", **bearer(user)), 404,
                 "not_found")
    assert_error(post(client, f"/shifts/{live_shift.pk}/confirm-hours", {}, user), 404, "not_found")


def test_confirm_hours_then_again_is_409(client, world, live_shift, carol_live):
    services.set_minutes(actor=world.staff_a, signup=carol_live, minutes=45, reason="纸质表")
    response = post(client, f"/shifts/{live_shift.pk}/confirm-hours", {}, world.staff_a)
    assert response.status_code == 200
    assert response.json()["entries"] == 1
    assert response.json()["minutes"] == 45
    assert_error(post(client, f"/shifts/{live_shift.pk}/confirm-hours", {}, world.staff_a), 409,
                 "hours_confirmed")
    assert LedgerEntry.objects.count() == 1


def test_confirm_hours_with_open_check_ins_is_409(client, world, live_shift, carol_live):
    services.check_in_by_hand(actor=world.staff_a, signup=carol_live, reason="现场")
    assert_error(post(client, f"/shifts/{live_shift.pk}/confirm-hours", {}, world.staff_a), 409, "open_checkins")


def test_unknown_shift_is_404(client, world):
    assert_error(post(client, "/shifts/999999/confirm-hours", {}, world.staff_a), 404, "not_found")


def test_openapi_documents_the_attendance_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/checkin", "/api/v1/checkout", "/api/v1/shifts/{shift_id}/confirm-hours",
                 "/api/v1/shifts/{shift_id}/qr-token"):
        assert path in paths
    assert "410" in paths["/api/v1/checkin"]["post"]["responses"]
