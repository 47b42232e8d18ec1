"""Organizers create activities, positions and (repeating) shifts, then publish."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest
from django.utils import timezone

from tests.activities import builders as b
from yigong.activities import services
from yigong.activities.models import Activity, Shift
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def d():
    return b.district()


@pytest.fixture
def draft(d):
    p = b.project(d.station, state=Project.State.APPROVED, risk_level="medium")
    act = services.create_activity(actor=d.station_staff, project=p, organization=d.station, title="周末驿站",
                                   place="平湖地铁站", latitude="22.6851", longitude="114.1178")
    pos = services.add_position(actor=d.station_staff, activity=act, name="问询", required_skills=["first_aid"])
    return act, pos


def test_activity_copies_category_and_risk_from_the_project(draft):
    act, _pos = draft
    assert (act.status, act.category, act.risk_level) == (Activity.Status.DRAFT, "community", "medium")
    assert str(act.latitude) == "22.685100"


def test_activities_only_for_approved_or_running_projects(d):
    p = b.project(d.station, state=Project.State.SUBMITTED)
    with pytest.raises(Conflict) as exc:
        services.create_activity(actor=d.station_staff, project=p, organization=d.station, title="x", place="y")
    assert exc.value.code == "project_not_approved"


def test_an_organization_in_the_owners_subtree_may_run_an_activity_but_not_a_sibling(d):
    p = b.project(d.station)
    team_staff = b.staff("Tina", d.team)
    act = services.create_activity(actor=team_staff, project=p, organization=d.team, title="x", place="y")
    assert act.organization == d.team
    with pytest.raises(NotAllowed):
        services.create_activity(actor=d.sibling_staff, project=p, organization=d.sibling_station, title="x",
                                 place="y")
    with pytest.raises(NotAllowed):
        services.create_activity(actor=d.sibling_staff, project=p, organization=d.station, title="x", place="y")


def test_invitation_and_team_recruitment_need_their_code_or_teams(d):
    p = b.project(d.station)
    with pytest.raises(ValidationFailed) as exc:
        services.create_activity(actor=d.station_staff, project=p, organization=d.station, title="x", place="y",
                                 recruitment="invitation")
    assert "invitation_code" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.create_activity(actor=d.station_staff, project=p, organization=d.station, title="x", place="y",
                                 recruitment="teams")
    assert "teams" in exc.value.fields
    assert not Activity.objects.exists()


def test_position_age_range_must_make_sense(draft, d):
    act, _pos = draft
    with pytest.raises(ValidationFailed) as exc:
        services.add_position(actor=d.station_staff, activity=act, name="x", min_age=30, max_age=20,
                              required_skills=["juggling"])
    assert set(exc.value.fields) == {"max_age", "required_skills"}


def test_every_saturday_morning_for_three_months_in_one_step(draft, d):
    act, pos = draft
    shifts = services.add_shift_series(
        actor=d.station_staff, activity=act, first_day=date(2026, 12, 1), last_day=date(2027, 2, 28),
        weekdays=[5], start_time=time(9), end_time=time(12), places={pos.pk: 4})
    assert len(shifts) == 13  # Saturdays from 5 Dec 2026 to 27 Feb 2027
    assert len({s.series for s in shifts}) == 1
    assert shifts[0].series
    zone = timezone.get_default_timezone()
    for s in Shift.objects.filter(series=shifts[0].series).prefetch_related("slots"):
        start, end = timezone.localtime(s.starts_at, zone), timezone.localtime(s.ends_at, zone)
        assert start.weekday() == 5
        assert (start.time(), end.time()) == (time(9), time(12))
        assert [(slot.position_id, slot.places) for slot in s.slots.all()] == [(pos.pk, 4)]
    first = Shift.objects.filter(series=shifts[0].series).order_by("starts_at").first()
    assert first.starts_at.astimezone(UTC).hour == 1  # stored UTC: 09:00 in Shanghai is 01:00 UTC
    assert timezone.localtime(first.starts_at, zone).date() == date(2026, 12, 5)


def test_daily_series_and_several_weekdays(draft, d):
    act, pos = draft
    daily = services.add_shift_series(actor=d.station_staff, activity=act, frequency="daily",
                                      first_day=date(2027, 1, 1), last_day=date(2027, 1, 10),
                                      start_time=time(18), end_time=time(20, 30), places={str(pos.pk): 2})
    assert len(daily) == 10
    weekend = services.add_shift_series(actor=d.station_staff, activity=act, first_day=date(2027, 1, 1),
                                        last_day=date(2027, 1, 31), weekdays=[5, 6], start_time=time(9),
                                        end_time=time(12), places={pos.pk: 2})
    assert len(weekend) == 10  # five Saturdays and five Sundays in January 2027
    assert daily[0].series != weekend[0].series


def test_overnight_series_ends_the_next_morning(draft, d):
    act, pos = draft
    (shift,) = services.add_shift_series(actor=d.station_staff, activity=act, first_day=date(2027, 1, 2),
                                         last_day=date(2027, 1, 2), weekdays=[5], start_time=time(22),
                                         end_time=time(6), places={pos.pk: 2})
    assert shift.ends_at - shift.starts_at == timedelta(hours=8)


def test_series_refuses_bad_input_and_too_many_shifts(draft, d):
    act, pos = draft
    with pytest.raises(ValidationFailed) as exc:
        services.add_shift_series(actor=d.station_staff, activity=act, first_day=date(2027, 2, 1),
                                  last_day=date(2027, 1, 1), weekdays=[9], start_time=time(9), end_time=time(12),
                                  places={999999: 2}, frequency="hourly")
    assert {"places", "weekdays", "frequency"} <= set(exc.value.fields)
    with pytest.raises(ValidationFailed) as exc:
        services.add_shift_series(actor=d.station_staff, activity=act, frequency="daily",
                                  first_day=date(2027, 1, 1), last_day=date(2027, 12, 31),
                                  start_time=time(9), end_time=time(12), places={pos.pk: 2})
    assert "last_day" in exc.value.fields
    assert not Shift.objects.exists()


def test_single_shift_takes_local_times_and_must_end_after_it_starts(draft, d):
    act, pos = draft
    from datetime import datetime

    shift = services.add_shift(actor=d.station_staff, activity=act, starts_at=datetime(2027, 1, 2, 9),
                               ends_at=datetime(2027, 1, 2, 12), places={pos.pk: 3})
    assert shift.starts_at == b.local(2027, 1, 2, 9)
    with pytest.raises(ValidationFailed) as exc:
        services.add_shift(actor=d.station_staff, activity=act, starts_at=datetime(2027, 1, 2, 9),
                           ends_at=datetime(2027, 1, 2, 8), places={pos.pk: 3})
    assert "ends_at" in exc.value.fields


def test_staff_of_a_sibling_organization_cannot_add_shifts_or_publish(draft, d):
    act, pos = draft
    with pytest.raises(NotAllowed):
        services.add_shift_series(actor=d.sibling_staff, activity=act, first_day=date(2027, 1, 1),
                                  last_day=date(2027, 1, 8), start_time=time(9), end_time=time(10),
                                  places={pos.pk: 1})
    with pytest.raises(NotAllowed):
        services.publish_activity(actor=d.sibling_staff, activity=act)


def test_publishing_needs_positions_and_shifts(d, draft):
    act, pos = draft
    with pytest.raises(ValidationFailed) as exc:
        services.publish_activity(actor=d.station_staff, activity=act)
    assert exc.value.code == "no_shifts"
    services.add_shift_series(actor=d.station_staff, activity=act, first_day=date(2027, 1, 1),
                              last_day=date(2027, 1, 8), start_time=time(9), end_time=time(10), places={pos.pk: 1})
    services.publish_activity(actor=d.station_staff, activity=act)
    act.refresh_from_db()
    assert act.status == Activity.Status.PUBLISHED
    with pytest.raises(Conflict):
        services.publish_activity(actor=d.station_staff, activity=act)
