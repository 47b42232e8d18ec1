"""Corrections are new entries pointing at the original; totals are sums of whole minutes."""

from datetime import date

import pytest

from tests.ledger.helpers import add_entry
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.core.models import AuditEvent
from yigong.ledger import selectors
from yigong.ledger.models import LedgerEntry
from yigong.ledger.services import correct_entry
from yigong.notifications.models import Notification


def test_correction_by_new_minutes_appends_the_difference_and_keeps_the_original(world, carol):
    entry = add_entry(world, carol, 180)
    correction = correct_entry(actor=world.staff_a, entry=entry, new_minutes=150, reason="提前离开未签退")
    assert correction.minutes == -30
    assert correction.kind == LedgerEntry.Kind.CORRECTION
    assert correction.source == LedgerEntry.Source.CORRECTION
    assert correction.corrects_id == entry.pk
    assert correction.recorded_by == world.staff_a
    assert correction.reason == "提前离开未签退"
    assert correction.service_date == entry.service_date
    assert LedgerEntry.objects.get(pk=entry.pk).minutes == 180
    assert selectors.total_minutes(volunteer=carol) == 150


def test_correction_by_delta_and_a_correction_of_a_correction_point_at_the_original(world, carol):
    entry = add_entry(world, carol, 60)
    first = correct_entry(actor=world.staff_a, entry=entry, minutes_delta=30, reason="补录")
    second = correct_entry(actor=world.staff_a, entry=first, new_minutes=100, reason="核对签到表")
    assert second.corrects_id == entry.pk
    assert second.minutes == 10
    record = selectors.service_records(volunteer=carol).get()
    assert (record.current_minutes, record.correction_count) == (100, 2)


def test_correction_is_audited_and_the_volunteer_told(world, carol):
    entry = add_entry(world, carol, 60)
    correction = correct_entry(actor=world.staff_a, entry=entry, new_minutes=90, reason="补录")
    event = AuditEvent.objects.get(action="ledger.correct")
    assert event.target_id == str(correction.pk)
    assert event.data["minutes_before"] == 60
    assert event.data["minutes_after"] == 90
    assert Notification.objects.filter(user=carol.user, kind="general").exists()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"new_minutes": 90, "reason": "  "}, "reason"),
    ({"new_minutes": 90, "reason": "x" * 301}, "reason"),
    ({"reason": "补录"}, "minutes"),
    ({"new_minutes": 90, "minutes_delta": 30, "reason": "补录"}, "minutes"),
    ({"new_minutes": -1, "reason": "补录"}, "new_minutes"),
    ({"minutes_delta": -61, "reason": "补录"}, "minutes_delta"),
    ({"minutes_delta": 1.5, "reason": "补录"}, "minutes_delta"),
])
def test_invalid_correction_is_refused_naming_the_field_and_nothing_is_appended(world, carol, kwargs, field):
    entry = add_entry(world, carol, 60)
    with pytest.raises(ValidationFailed) as exc:
        correct_entry(actor=world.staff_a, entry=entry, **kwargs)
    assert field in exc.value.fields
    assert LedgerEntry.objects.count() == 1


def test_correction_to_the_same_value_is_refused(world, carol):
    entry = add_entry(world, carol, 60)
    with pytest.raises(Conflict) as exc:
        correct_entry(actor=world.staff_a, entry=entry, new_minutes=60, reason="核对")
    assert exc.value.code == "no_change"


def test_staff_of_another_organization_cannot_correct(world, carol):
    entry = add_entry(world, carol, 60)
    with pytest.raises(NotAllowed):
        correct_entry(actor=world.staff_b, entry=entry, new_minutes=30, reason="我觉得不对")
    assert LedgerEntry.objects.count() == 1


def test_staff_above_the_recording_organization_may_correct(world, carol):
    entry = add_entry(world, carol, 60)
    correct_entry(actor=world.street_staff, entry=entry, new_minutes=30, reason="街道核查")
    assert selectors.total_minutes(volunteer=carol) == 30


def test_totals_by_year_are_whole_minute_sums_including_corrections(world, carol):
    a = add_entry(world, carol, 95, day=date(2025, 12, 31))
    add_entry(world, carol, 50, day=date(2026, 1, 1))
    correct_entry(actor=world.staff_a, entry=a, minutes_delta=-5, reason="核对")
    assert selectors.minutes_by_year(volunteer=carol) == {2025: 90, 2026: 50}
    assert selectors.total_minutes(volunteer=carol, year=2025) == 90
    total = selectors.total_minutes(volunteer=carol)
    assert total == 140
    assert isinstance(total, int)


def test_total_of_a_volunteer_without_entries_is_zero(carol):
    assert selectors.total_minutes(volunteer=carol) == 0
