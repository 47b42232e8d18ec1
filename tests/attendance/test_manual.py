"""Organizers check people in and out by hand, and enter minutes, always with a reason."""

from datetime import timedelta

import pytest

from tests.attendance.factories import local
from yigong.attendance import services
from yigong.attendance.models import Attendance
from yigong.core.errors import NotAllowed, ValidationFailed
from yigong.core.models import AuditEvent

START = local(2026, 11, 28, 9, 0)
NOW = START + timedelta(minutes=40)


def test_manual_check_in_needs_a_reason(world, carol_signup):
    for reason in ("", "   ", None):
        with pytest.raises(ValidationFailed) as exc:
            services.check_in_by_hand(actor=world.staff_a, signup=carol_signup, reason=reason, now=NOW)
        assert "reason" in exc.value.fields
    assert not Attendance.objects.exists()


def test_manual_check_in_with_reason_and_time_is_recorded_and_audited(world, carol_signup):
    attendance = services.check_in_by_hand(actor=world.staff_a, signup=carol_signup, reason="手机没电",
                                           at=START + timedelta(minutes=5), now=NOW)
    assert attendance.checked_in_at == START + timedelta(minutes=5)
    assert attendance.check_in_method == Attendance.Method.MANUAL
    assert attendance.check_in_reason == "手机没电"
    assert attendance.recorded_by == world.staff_a
    event = AuditEvent.objects.get(action="attendance.check_in")
    assert event.actor == world.staff_a
    assert event.data["reason"] == "手机没电"


def test_manual_check_in_time_in_the_future_or_outside_the_window_is_refused(world, carol_signup):
    for at in (NOW + timedelta(minutes=1), START - timedelta(minutes=31)):
        with pytest.raises(ValidationFailed) as exc:
            services.check_in_by_hand(actor=world.staff_a, signup=carol_signup, reason="补签", at=at, now=NOW)
        assert "at" in exc.value.fields


def test_manual_check_out_after_qr_check_in(world, carol, carol_signup, shift):
    from yigong.attendance.tokens import make_token

    services.check_in(actor=carol.user, token=make_token(shift=shift, action="in", now=START)[0], now=START)
    end = START + timedelta(hours=3)
    attendance = services.check_out_by_hand(actor=world.staff_a, signup=carol_signup, reason="忘记签退",
                                            at=end, now=end + timedelta(minutes=20))
    assert attendance.checked_out_at == end
    assert attendance.check_out_method == Attendance.Method.MANUAL


def test_manual_check_out_before_check_in_time_is_refused(world, carol_signup):
    services.check_in_by_hand(actor=world.staff_a, signup=carol_signup, reason="补签", at=START, now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        services.check_out_by_hand(actor=world.staff_a, signup=carol_signup, reason="补签",
                                   at=START - timedelta(minutes=5), now=NOW)
    assert "at" in exc.value.fields


def test_staff_of_another_station_cannot_check_in_by_hand(world, carol_signup):
    with pytest.raises(NotAllowed):
        services.check_in_by_hand(actor=world.staff_b, signup=carol_signup, reason="帮忙", now=NOW)
    assert not Attendance.objects.exists()


def test_staff_of_the_street_above_can_check_in_by_hand(world, carol_signup):
    services.check_in_by_hand(actor=world.street_staff, signup=carol_signup, reason="现场登记", now=NOW)


def test_a_volunteer_cannot_check_someone_in_by_hand(world, carol, dave, shift):
    from tests.attendance.factories import sign_up

    signup = sign_up(shift, dave)
    with pytest.raises(NotAllowed):
        services.check_in_by_hand(actor=carol.user, signup=signup, reason="朋友", now=NOW)


def test_entered_minutes_need_a_reason_and_stay_within_the_shift(world, carol_signup):
    with pytest.raises(ValidationFailed) as exc:
        services.set_minutes(actor=world.staff_a, signup=carol_signup, minutes=120, reason="")
    assert "reason" in exc.value.fields
    for bad in (-1, 181, 2.5, True):
        with pytest.raises(ValidationFailed) as exc:
            services.set_minutes(actor=world.staff_a, signup=carol_signup, minutes=bad, reason="纸质表")
        assert "minutes" in exc.value.fields
    assert not Attendance.objects.exists()


def test_entered_minutes_are_kept_with_reason_and_can_be_removed(world, carol_signup):
    attendance = services.set_minutes(actor=world.staff_a, signup=carol_signup, minutes=150, reason="纸质表")
    assert (attendance.manual_minutes, attendance.manual_reason) == (150, "纸质表")
    attendance = services.set_minutes(actor=world.staff_a, signup=carol_signup, minutes=None, reason="录错了")
    assert attendance.manual_minutes is None
    assert attendance.manual_reason == ""
    assert AuditEvent.objects.filter(action="attendance.set_minutes").count() == 2


def test_check_out_everyone_still_present_at_the_shift_end(world, carol, dave, shift, carol_signup):
    from tests.attendance.factories import sign_up

    dave_signup = sign_up(shift, dave)
    for signup in (carol_signup, dave_signup):
        services.check_in_by_hand(actor=world.staff_a, signup=signup, reason="现场", at=START, now=NOW)
    later = START + timedelta(hours=3, minutes=10)
    done = services.check_out_everyone(actor=world.staff_a, shift=shift, reason="活动结束统一签退", now=later)
    assert done == 2
    assert set(Attendance.objects.values_list("checked_out_at", flat=True)) == {shift.ends_at}
