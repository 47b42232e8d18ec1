"""Capacity under real concurrency: threads, each with its own database connection."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from tests.activities import builders as b
from yigong.activities import services
from yigong.activities.models import ShiftSlot, SignUp
from yigong.core.errors import DomainError

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SIGNUPS = 110
PLACES = 10


def _connection_budget() -> int:
    """How many connections the test may open at once. PostgreSQL servers often allow only 100;
    SQLite has no limit. The threads all start together; beyond the budget they queue for a
    connection, which still has every sign-up racing for the same slot row."""
    if connection.vendor != "postgresql":
        return SIGNUPS
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections')::int - "
                       "current_setting('superuser_reserved_connections')::int - "
                       "(SELECT count(*) FROM pg_stat_activity)")
        free = cursor.fetchone()[0]
    return max(8, min(SIGNUPS, free - 10))


def _run_all(jobs) -> list:
    """Start one thread per job, release them together, and return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    budget = threading.BoundedSemaphore(_connection_budget())
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait(timeout=60)
            with budget:
                try:
                    results[i] = job()
                except DomainError as exc:
                    results[i] = exc
                finally:
                    connections.close_all()
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    close_old_connections()
    return results


def _open_activity(**fields):
    d = b.district()
    act = b.activity(d.station, **fields)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3), places=PLACES)
    return d, act, slot


def test_110_simultaneous_sign_ups_fill_10_places_and_waitlist_the_rest():
    _d, _act, slot = _open_activity()
    volunteers = [b.volunteer(f"V{i}") for i in range(SIGNUPS)]

    jobs = [lambda v=v: services.sign_up(actor=v.user, volunteer=v, slot=slot).status for v in volunteers]
    results = _run_all(jobs)

    errors = [r for r in results if not isinstance(r, str)]
    assert errors == []
    assert results.count(SignUp.Status.APPROVED) == PLACES
    assert results.count(SignUp.Status.WAITLISTED) == SIGNUPS - PLACES
    slot.refresh_from_db()
    assert slot.approved == PLACES
    assert SignUp.objects.filter(slot=slot, status=SignUp.Status.APPROVED).count() == PLACES
    waitlist = list(SignUp.objects.filter(slot=slot, status=SignUp.Status.WAITLISTED)
                    .order_by("waitlisted_at", "pk").values_list("waitlisted_at", flat=True))
    assert len(waitlist) == SIGNUPS - PLACES
    assert waitlist == sorted(waitlist)


def test_without_waiting_list_simultaneous_sign_ups_beyond_places_are_refused_as_full():
    _d, _act, slot = _open_activity(waitlist_enabled=False)
    volunteers = [b.volunteer(f"W{i}") for i in range(40)]

    results = _run_all([lambda v=v: services.sign_up(actor=v.user, volunteer=v, slot=slot).status
                        for v in volunteers])

    assert results.count(SignUp.Status.APPROVED) == PLACES
    assert [getattr(r, "code", r) for r in results if r != SignUp.Status.APPROVED] == ["shift_full"] * 30
    slot.refresh_from_db()
    assert slot.approved == PLACES


def test_simultaneous_cancellations_and_sign_ups_keep_the_counter_equal_to_the_approved_count():
    _d, _act, slot = _open_activity()
    first = [b.volunteer(f"A{i}") for i in range(PLACES + 15)]
    for v in first:
        services.sign_up(actor=v.user, volunteer=v, slot=slot)
    approved = list(SignUp.objects.filter(slot=slot, status=SignUp.Status.APPROVED).select_related("volunteer__user"))
    newcomers = [b.volunteer(f"N{i}") for i in range(30)]

    jobs = [lambda s=s: services.cancel_sign_up(actor=s.volunteer.user, signup=s).status for s in approved[:8]]
    jobs += [lambda v=v: services.sign_up(actor=v.user, volunteer=v, slot=slot).status for v in newcomers]
    results = _run_all(jobs)

    assert [r for r in results if not isinstance(r, str)] == []
    slot.refresh_from_db()
    real = SignUp.objects.filter(slot=slot, status=SignUp.Status.APPROVED).count()
    assert slot.approved == real == PLACES
    # The places freed by cancellations went to the waiting list in order (the earliest first).
    promoted_from_first = SignUp.objects.filter(slot=slot, status=SignUp.Status.APPROVED,
                                                volunteer__in=first[PLACES:PLACES + 8]).count()
    assert promoted_from_first == 8


def test_one_volunteer_signing_up_for_overlapping_shifts_at_once_gets_only_one():
    d, act, slot = _open_activity()
    start = slot.shift.starts_at
    others = [b.shift_with_slot(act, starts_at=start + timedelta(minutes=30 * i), places=5, position=slot.position)
              for i in range(1, 6)]
    v = b.volunteer("Solo")

    results = _run_all([lambda s=s: services.sign_up(actor=v.user, volunteer=v, slot=s).status
                        for s in [slot, *others]])

    assert sum(1 for r in results if r == SignUp.Status.APPROVED) == 1
    assert {getattr(r, "code", None) for r in results if r != SignUp.Status.APPROVED} == {"overlapping_shift"}
    assert sum(ShiftSlot.objects.filter(shift__activity=act).values_list("approved", flat=True)) == 1
    assert SignUp.objects.filter(volunteer=v).count() == 1
