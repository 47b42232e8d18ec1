"""Check-in and check-out by QR token: one tap, inside the window, once."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection

from tests.attendance.factories import local, make_shift, make_volunteer, sign_up
from yigong.activities.models import SignUp
from yigong.attendance import services
from yigong.attendance.models import Attendance
from yigong.attendance.tokens import TokenExpired, TokenInvalid, make_token
from yigong.core import settings_store
from yigong.core.models import AuditEvent

START = local(2026, 11, 28, 9, 0)


def _token(shift, action="in", now=START):
    return make_token(shift=shift, action=action, now=now)[0]


def test_volunteer_checks_in_with_the_token_and_it_is_audited(carol, carol_signup, shift):
    now = START + timedelta(minutes=2)
    attendance = services.check_in(actor=carol.user, token=_token(shift, now=now), now=now)
    assert attendance.signup == carol_signup
    assert attendance.checked_in_at == now
    assert attendance.check_in_method == Attendance.Method.QR
    assert AuditEvent.objects.filter(action="attendance.check_in", target_id=str(attendance.pk)).exists()


def test_check_out_after_check_in_records_the_time(carol, carol_signup, shift):
    services.check_in(actor=carol.user, token=_token(shift), now=START)
    later = START + timedelta(hours=3, minutes=5)
    attendance = services.check_out(actor=carol.user, token=_token(shift, "out", later), now=later)
    assert attendance.checked_out_at == later
    assert attendance.check_out_method == Attendance.Method.QR


def test_second_check_in_is_refused_and_keeps_one_row(carol, carol_signup, shift):
    token = _token(shift)
    services.check_in(actor=carol.user, token=token, now=START)
    for again in (token, _token(shift, now=START + timedelta(minutes=1))):
        with pytest.raises(services.AlreadyCheckedIn) as exc:
            services.check_in(actor=carol.user, token=again, now=START + timedelta(minutes=1))
        assert exc.value.status == 409
        assert "09:00" in str(exc.value.message)
    assert Attendance.objects.filter(signup=carol_signup).count() == 1


def test_second_check_out_is_refused(carol, carol_signup, shift):
    services.check_in(actor=carol.user, token=_token(shift), now=START)
    end = START + timedelta(hours=3)
    services.check_out(actor=carol.user, token=_token(shift, "out", end), now=end)
    with pytest.raises(services.AlreadyCheckedOut):
        services.check_out(actor=carol.user, token=_token(shift, "out", end), now=end + timedelta(minutes=1))


def test_check_out_without_check_in_is_refused(carol, carol_signup, shift):
    with pytest.raises(services.NotCheckedIn) as exc:
        services.check_out(actor=carol.user, token=_token(shift, "out"), now=START)
    assert exc.value.code == "not_checked_in"
    assert not Attendance.objects.exists()


def test_volunteer_without_approved_sign_up_is_refused(world, shift, dave):
    sign_up(shift, dave, status=SignUp.Status.WAITLISTED)
    with pytest.raises(services.NotSignedUp) as exc:
        services.check_in(actor=dave.user, token=_token(shift), now=START)
    assert exc.value.code == "not_signed_up"
    assert exc.value.status == 403


def test_staff_without_volunteer_registration_cannot_check_in(world, shift):
    with pytest.raises(services.NotAllowed) as exc:
        services.check_in(actor=world.staff_a, token=_token(shift), now=START)
    assert exc.value.code == "not_a_volunteer"


def test_token_of_another_shift_is_refused_naming_the_volunteers_own_shift(world, shift, carol):
    afternoon = make_shift(world, local(2026, 11, 28, 14, 0))
    sign_up(afternoon, carol)
    with pytest.raises(TokenInvalid) as exc:
        services.check_in(actor=carol.user, token=_token(shift), now=START)
    assert "14:00" in str(exc.value.message)
    assert not Attendance.objects.exists()


def test_token_checked_against_the_expected_shift_id(world, shift, carol, carol_signup):
    other = make_shift(world, local(2026, 11, 28, 14, 0))
    with pytest.raises(TokenInvalid):
        services.check_in(actor=carol.user, token=_token(shift), shift_id=other.pk, now=START)


def test_yesterdays_printed_token_cannot_be_replayed_today(world, carol):
    saturday = make_shift(world, local(2026, 11, 28, 9, 0))
    sunday = make_shift(world, local(2026, 11, 29, 9, 0))
    sign_up(saturday, carol)
    sign_up(sunday, carol)
    printed, _ = make_token(shift=saturday, action="in", display="print", now=local(2026, 11, 27, 20, 0))
    with pytest.raises(TokenExpired):
        services.check_in(actor=carol.user, token=printed, now=local(2026, 11, 29, 9, 0))


@pytest.mark.parametrize(("minutes_from_start", "allowed"), [
    (-31, False), (-30, True), (0, True), (180 + 30, True), (180 + 31, False),
])
def test_check_in_is_open_from_early_margin_before_to_late_margin_after(
    carol, carol_signup, shift, minutes_from_start, allowed,
):
    now = START + timedelta(minutes=minutes_from_start)
    token = _token(shift, now=now)
    if allowed:
        services.check_in(actor=carol.user, token=token, now=now)
    else:
        with pytest.raises(services.OutsideWindow) as exc:
            services.check_in(actor=carol.user, token=token, now=now)
        assert "08:30" in str(exc.value.message)
        assert "12:30" in str(exc.value.message)
        assert not Attendance.objects.exists()


def test_check_in_margins_are_district_settings(carol, carol_signup, shift):
    settings_store.put(key="checkin_early_minutes", value=60)
    now = START - timedelta(minutes=59)
    services.check_in(actor=carol.user, token=_token(shift, now=now), now=now)


def test_check_in_to_a_cancelled_shift_is_refused(carol, carol_signup, shift):
    shift.cancelled = True
    shift.save(update_fields=["cancelled"])
    with pytest.raises(services.Conflict) as exc:
        services.check_in(actor=carol.user, token=_token(shift), now=START)
    assert exc.value.code == "shift_cancelled"


def _race(n, work):
    barrier = threading.Barrier(n)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # collected and asserted by the test
            results.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_check_ins_with_the_same_token_make_one_row():
    from tests.attendance.factories import make_world

    world = make_world()
    shift = make_shift(world, START)
    carol = make_volunteer("陈卡罗")
    signup = sign_up(shift, carol)
    token = _token(shift)
    results = _race(8, lambda: services.check_in(actor=carol.user, token=token, now=START))
    successes = [r for r in results if isinstance(r, Attendance)]
    refusals = [r for r in results if isinstance(r, services.AlreadyCheckedIn)]
    assert len(successes) == 1, results
    assert len(refusals) == 7, results
    assert Attendance.objects.filter(signup=signup).count() == 1
