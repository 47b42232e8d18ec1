"""The organizer confirms a shift's hours in one step; the ledger gets one entry per volunteer."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection

from tests.attendance.factories import local, make_shift, make_volunteer, make_world, sign_up
from yigong.activities.models import SignUp
from yigong.attendance import services
from yigong.attendance.models import ShiftConfirmation
from yigong.attendance.tokens import make_token
from yigong.core.errors import NotAllowed
from yigong.ledger.models import LedgerEntry
from yigong.ledger.verify import verify_all
from yigong.notifications.models import Notification

START = local(2026, 11, 28, 9, 0)
AFTER = START + timedelta(hours=3, minutes=15)


def _qr(volunteer, shift, check_in, check_out):
    services.check_in(actor=volunteer.user, token=make_token(shift=shift, action="in", now=check_in)[0],
                      now=check_in)
    if check_out:
        services.check_out(actor=volunteer.user, token=make_token(shift=shift, action="out", now=check_out)[0],
                           now=check_out)


@pytest.fixture
def served(world, shift, carol, dave, carol_signup):
    """Carol scanned in and out; Dave's minutes were entered by hand; Erin never came."""
    dave_signup = sign_up(shift, dave)
    erin = make_volunteer("鄂琳")
    erin_signup = sign_up(shift, erin)
    _qr(carol, shift, START + timedelta(minutes=20), START + timedelta(hours=3, minutes=2))
    services.set_minutes(actor=world.staff_a, signup=dave_signup, minutes=90, reason="纸质签到表")
    return carol_signup, dave_signup, erin_signup


def test_confirmation_writes_one_entry_per_served_sign_up(world, shift, carol, dave, served):
    carol_signup, dave_signup, _erin = served
    confirmation = services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    entries = {e.signup_id: e for e in LedgerEntry.objects.all()}
    assert set(entries) == {carol_signup.pk, dave_signup.pk}
    carol_entry, dave_entry = entries[carol_signup.pk], entries[dave_signup.pk]
    assert (carol_entry.minutes, carol_entry.source) == (160, LedgerEntry.Source.CHECKIN)
    assert carol_entry.started_at == START + timedelta(minutes=20)
    assert carol_entry.ended_at == shift.ends_at
    assert (dave_entry.minutes, dave_entry.source, dave_entry.reason) == (90, "manual", "纸质签到表")
    assert carol_entry.position_name == "送餐"
    assert carol_entry.organization == world.station_a
    assert carol_entry.service_date.isoformat() == "2026-11-28"
    assert carol_entry.recorded_by == world.staff_a
    assert (confirmation.entries, confirmation.minutes, confirmation.confirmed_by) == (2, 250, world.staff_a)
    assert verify_all().intact


def test_confirmation_notifies_each_volunteer_in_their_language(world, shift, carol, dave, served):
    services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    carol_note = Notification.objects.get(user=carol.user, kind="hours_confirmed")
    dave_note = Notification.objects.get(user=dave.user, kind="hours_confirmed")
    assert "2小时40分钟" in carol_note.body
    assert dave_note.title == "Your service hours were confirmed"
    assert "1 h 30 min" in dave_note.body


def test_approved_volunteer_who_never_came_gets_no_entry(world, shift, served):
    _c, _d, erin_signup = served
    services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    assert not LedgerEntry.objects.filter(signup=erin_signup).exists()


def test_confirmation_is_refused_while_someone_is_still_checked_in(world, shift, carol, carol_signup):
    _qr(carol, shift, START, None)
    with pytest.raises(services.OpenCheckIns) as exc:
        services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    assert "陈卡罗" in str(exc.value.message)
    assert not LedgerEntry.objects.exists()
    assert not ShiftConfirmation.objects.exists()


def test_confirmation_before_the_shift_starts_is_refused(world, shift, carol_signup):
    with pytest.raises(services.Conflict) as exc:
        services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=START - timedelta(minutes=1))
    assert exc.value.code == "shift_not_started"


def test_second_confirmation_is_a_conflict_and_adds_nothing(world, shift, served):
    services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    with pytest.raises(services.HoursAlreadyConfirmed) as exc:
        services.confirm_shift_hours(actor=world.street_staff, shift=shift, now=AFTER)
    assert exc.value.status == 409
    assert "Alice" in str(exc.value.message)
    assert LedgerEntry.objects.count() == 2


def test_attendance_cannot_change_after_confirmation(world, shift, carol, served):
    _c, dave_signup, erin_signup = served
    services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    with pytest.raises(services.HoursAlreadyConfirmed):
        services.set_minutes(actor=world.staff_a, signup=dave_signup, minutes=100, reason="改")
    with pytest.raises((services.HoursAlreadyConfirmed, services.Conflict)):
        services.check_in_by_hand(actor=world.staff_a, signup=erin_signup, reason="迟到", at=START,
                                  now=START + timedelta(minutes=30))


def test_staff_of_another_station_cannot_confirm(world, shift, served):
    with pytest.raises(NotAllowed):
        services.confirm_shift_hours(actor=world.staff_b, shift=shift, now=AFTER)
    assert not ShiftConfirmation.objects.exists()


def test_shift_with_nobody_served_confirms_with_no_entries(world, shift, carol_signup):
    confirmation = services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    assert (confirmation.entries, confirmation.minutes) == (0, 0)


def test_approved_volunteers_who_never_came_are_marked_as_no_shows(world, shift, served):
    carol_signup, dave_signup, erin_signup = served
    services.confirm_shift_hours(actor=world.staff_a, shift=shift, now=AFTER)
    statuses = dict(SignUp.objects.filter(shift=shift).values_list("pk", "status"))
    assert statuses == {carol_signup.pk: "approved", dave_signup.pk: "approved", erin_signup.pk: "no_show"}
    assert shift.slots.get().approved == 2


@pytest.mark.django_db(transaction=True)
def test_two_organizers_confirming_at_once_one_succeeds_the_other_gets_a_conflict():
    world = make_world()
    shift = make_shift(world, START)
    volunteers = [make_volunteer(f"义工{i}") for i in range(5)]
    for v in volunteers:
        signup = sign_up(shift, v)
        services.set_minutes(actor=world.staff_a, signup=signup, minutes=60, reason="纸质签到表")
    barrier = threading.Barrier(2)
    results = []

    def run(actor):
        try:
            barrier.wait()
            results.append(services.confirm_shift_hours(actor=actor, shift=shift, now=AFTER))
        except Exception as exc:  # collected and asserted
            results.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in (world.staff_a, world.street_staff)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(r).__name__ for r in results) == ["HoursAlreadyConfirmed", "ShiftConfirmation"], results
    assert ShiftConfirmation.objects.count() == 1
    assert LedgerEntry.objects.count() == 5
    assert verify_all().intact
