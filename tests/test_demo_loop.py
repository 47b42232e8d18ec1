"""The demo district carries the service loop: projects, activities, shifts and sign-ups that let
the printed logins try sign-up, check-in and confirmation at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from yigong.activities.models import Activity, Shift, ShiftSlot, SignUp
from yigong.demo.builder import build_demo
from yigong.organizations.models import Membership
from yigong.projects.models import Category, Project
from yigong.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return build_demo(seed=11, volunteers=120)


def _organization_of(username):
    return Membership.objects.get(user__username=username, status=Membership.Status.ACTIVE).organization


def test_demo_has_projects_in_every_category_and_state_and_shifts_over_four_months(demo):
    assert set(Project.objects.values_list("category", flat=True)) == set(Category.values)
    states = set(Project.objects.values_list("state", flat=True))
    assert {Project.State.ACTIVE, Project.State.APPROVED, Project.State.SUBMITTED, Project.State.RETURNED,
            Project.State.CLOSED, Project.State.EVALUATED} <= states
    assert Project.objects.filter(is_brand=True).count() == 1
    # Shifts span the past three months and the next month; the city station serves every weekend.
    today = demo.context.today
    city_station = _organization_of("citystation")
    weekend = Shift.objects.filter(activity__organization=city_station)
    days = {timezone.localtime(s.starts_at).date() for s in weekend}
    assert min(days) <= today - timedelta(days=84)
    assert max(days) >= today + timedelta(days=23)
    assert {d.weekday() for d in days} == {5, 6}
    assert len({s.series for s in weekend}) == 2  # morning and afternoon series
    event = Activity.objects.get(category=Category.LARGE_EVENT)
    assert event.positions.count() >= 8
    assert sum(ShiftSlot.objects.filter(shift__activity=event).values_list("places", flat=True)) >= 500


def test_demo_volunteer_and_staff_can_try_the_loop_at_once(demo):
    volunteer = Volunteer.objects.get(user__username="volunteer")
    now = timezone.now()
    mine = SignUp.objects.filter(volunteer=volunteer, status=SignUp.Status.APPROVED)
    assert mine.filter(starts_at__gt=now).count() >= 3
    running = mine.filter(starts_at__lte=now + timedelta(hours=1), ends_at__gt=now).get()
    assert timezone.localtime(running.starts_at).date() == demo.context.today
    assert mine.filter(ends_at__lt=now).count() >= 5  # past shifts whose hours are confirmed
    # The staff logins' organizations run activities people signed up for.
    for username in ("station", "citystation"):
        organization = _organization_of(username)
        activities = Activity.objects.filter(organization=organization, status=Activity.Status.PUBLISHED)
        assert activities.exists()
        assert SignUp.objects.filter(shift__activity__in=activities, status=SignUp.Status.APPROVED).count() >= 10


def test_demo_signups_keep_the_places_consistent_and_keep_a_waiting_list(demo):
    slots = ShiftSlot.objects.annotate(n=Count("signups", filter=Q(signups__status=SignUp.Status.APPROVED)))
    assert slots.exists()
    for slot in slots:
        assert slot.approved == slot.n <= slot.places
    waiting = SignUp.objects.filter(status=SignUp.Status.WAITLISTED)
    assert waiting.count() >= 3
    assert all(w.slot.approved == w.slot.places for w in waiting.select_related("slot"))
    # Nobody holds two overlapping shifts.
    for volunteer_id in SignUp.objects.values_list("volunteer_id", flat=True).distinct():
        held = sorted(SignUp.objects.filter(volunteer_id=volunteer_id, status__in=SignUp.ACTIVE_STATUSES)
                      .values_list("starts_at", "ends_at"))
        assert all(a[1] <= b[0] for a, b in zip(held, held[1:], strict=False))


def test_demo_activity_detail_in_the_api_shows_shifts_and_places_left(demo, client):
    activity = Activity.objects.get(category=Category.LARGE_EVENT)
    body = client.get(f"/api/v1/activities/{activity.pk}").json()
    assert body["shifts"]
    shift = body["shifts"][0]
    assert {"id", "starts_at", "ends_at", "slots"} <= set(shift)
    slots = {s["position_id"]: s for s in shift["slots"]}
    for slot in ShiftSlot.objects.filter(shift_id=shift["id"]):
        assert slots[slot.position_id]["places_left"] == slot.places - slot.approved
    assert any(s["places_left"] < s["places"] for s in shift["slots"])


def test_demo_past_shifts_are_confirmed_into_a_ledger_that_verifies(demo):
    from yigong.attendance.models import Attendance, ShiftConfirmation
    from yigong.ledger.models import LedgerEntry
    from yigong.ledger.verify import verify_all

    now = timezone.now()
    volunteer = Volunteer.objects.get(user__username="volunteer")
    mine = LedgerEntry.objects.filter(volunteer=volunteer)
    assert mine.count() >= 5
    assert Attendance.objects.filter(volunteer=volunteer, check_in_method="qr", check_out_method="qr").count() == mine.count()
    past = Shift.objects.filter(ends_at__lt=now - timedelta(hours=1), signups__status__in=[
        SignUp.Status.APPROVED, SignUp.Status.NO_SHOW]).distinct()
    assert ShiftConfirmation.objects.filter(shift__in=past).count() == past.count()
    assert SignUp.objects.filter(status=SignUp.Status.NO_SHOW).exists()
    # Today's shift is still open for check-in: nothing confirmed yet.
    running = SignUp.objects.get(volunteer=volunteer, starts_at__lte=now + timedelta(hours=1), ends_at__gt=now)
    assert not ShiftConfirmation.objects.filter(shift=running.shift).exists()
    report = verify_all()
    assert report.chains
    assert all(chain.intact for chain in report.chains)
    assert sum(chain.entries for chain in report.chains) == LedgerEntry.objects.count()
