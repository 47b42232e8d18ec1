from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yigong.archive import selectors
from yigong.archive.hours import hours_minutes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(0, "0:00"), (5, "0:05"), (60, "1:00"), (150, "2:30"), (-45, "-0:45"), (-135, "-2:15"), (60 * 1500 + 7, "1500:07")],
)
def test_minutes_are_shown_as_hours_and_minutes(minutes, shown):
    assert hours_minutes(minutes) == shown


def test_totals_and_years_sum_whole_minutes_including_negative_corrections(district):
    v = district.volunteer()
    a = district.entry(v, 180, started_at=district.at(2025, 3, 1, 9))
    district.entry(v, 150, started_at=district.at(2025, 6, 7, 9))
    district.entry(v, 240, started_at=district.at(2026, 2, 1, 14))
    district.entry(v, -30, corrects=a, reason="到岗晚了半小时", recorded_at=district.at(2025, 3, 3, 10))

    summary = selectors.hours_summary(v)

    assert summary.total_minutes == 180 + 150 + 240 - 30
    assert summary.total_hours == "9:00"
    assert [(y.year, y.minutes, y.services) for y in summary.years] == [(2026, 240, 1), (2025, 300, 2)]


def test_another_volunteers_entries_do_not_count(district):
    v, other = district.volunteer(), district.volunteer(name="王强")
    district.entry(v, 60, started_at=district.at(2025, 3, 1, 9))
    district.entry(other, 600, started_at=district.at(2025, 3, 1, 9))
    assert selectors.hours_summary(v).total_minutes == 60


def test_shift_at_23h_on_31_december_local_counts_for_that_year(district):
    v = district.volunteer()
    # 23:00 in Shanghai is 15:00 UTC the same day; 00:30 on 1 January is still 31 December in UTC.
    new_years_eve = district.entry(v, 60, started_at=district.at(2025, 12, 31, 23))
    district.entry(v, 90, started_at=district.at(2026, 1, 1, 0, 30))
    # Corrected in the new year: the correction belongs to the year the service was done.
    district.entry(v, -15, corrects=new_years_eve, reason="提前离开", recorded_at=district.at(2026, 1, 2, 9),
                   service_date=date(2026, 1, 2))

    years = {y.year: y.minutes for y in selectors.hours_summary(v).years}

    assert years == {2025: 45, 2026: 90}


def test_a_correction_of_a_correction_is_attached_to_the_original_service(district):
    v = district.volunteer()
    service = district.entry(v, 120, started_at=district.at(2025, 5, 1, 9))
    first = district.entry(v, -60, corrects=service, reason="只服务了一小时")
    second = district.entry(v, 30, corrects=first, reason="复核后补回半小时")

    archive = selectors.archive_for(v)

    [record] = archive.records
    assert record.entry == service
    assert record.corrections == [first, second]
    assert record.effective_minutes == 90
    assert archive.summary.total_minutes == 90
    assert [(y.year, y.minutes) for y in archive.summary.years] == [(2025, 90)]


def test_pending_confirmations_are_approved_sign_ups_of_past_unconfirmed_shifts(district):
    v = district.volunteer()
    now = timezone.now()
    activity = district.activity()
    past = district.slot(activity, now - timedelta(days=2))
    confirmed = district.slot(activity, now - timedelta(days=3))
    cancelled_shift = district.slot(activity, now - timedelta(days=4), cancelled=True)
    waitlisted = district.slot(activity, now - timedelta(days=5))
    future = district.slot(activity, now + timedelta(days=2))
    running = district.slot(activity, now - timedelta(hours=1), hours=3)
    pending = district.signup(v, past)
    district.signup(v, confirmed)
    district.confirm(confirmed.shift)
    district.signup(v, cancelled_shift)
    district.signup(v, waitlisted, status="waitlisted")
    district.signup(v, future)
    district.signup(v, running)

    assert list(selectors.pending_confirmations(v, now=now)) == [pending]
    summary = selectors.hours_summary(v, now=now)
    assert summary.pending_confirmations == 1
    assert summary.upcoming_shifts == 2  # the future one and the one under way


def test_ratings_received_are_summarized_with_one_decimal(district):
    v = district.volunteer()
    activity = district.activity()
    now = timezone.now()
    for days, stars in ((3, 5), (4, 4)):
        signup = district.signup(v, district.slot(activity, now - timedelta(days=days)))
        district.rate(signup, stars, "认真负责")
    summary = selectors.rating_summary(v)
    assert (summary.count, str(summary.average)) == (2, "4.5")
    assert selectors.rating_summary(district.volunteer(name="无评分")).average is None


def _fill(district, v, n):
    activity = district.activity()
    now = timezone.now()
    for i in range(n):
        entry = district.entry(v, 60 + i, started_at=district.at(2024 + i % 3, 1 + i % 12, 1 + i % 28, 9))
        if i % 5 == 0:
            district.entry(v, -10, corrects=entry, reason="核减")
        signup = district.signup(v, district.slot(activity, now - timedelta(days=10 + i)))
        if i % 2 == 0:
            district.rate(signup, 4)
        elif i % 4 == 1:
            district.confirm(signup.shift)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_archive_reads_take_the_same_queries_for_5_and_50_entries(district):
    small, large = district.volunteer(), district.volunteer(name="张伟")
    _fill(district, small, 5)
    _fill(district, large, 50)

    def read(v) -> list:
        archive = selectors.archive_for(v)
        # Everything the page and the API touch.
        return [
            *[(r.effective_minutes, r.entry.activity_title) for r in archive.records],
            *[(s.shift.activity.organization.name, s.slot.position.name) for s in archive.pending],
            *[(r.signup.shift.activity.title, r.signup.slot.position.name) for r in archive.ratings],
        ]

    assert _queries(lambda: read(small)) == _queries(lambda: read(large)) == 7
    assert _queries(lambda: selectors.hours_summary(small)) == _queries(lambda: selectors.hours_summary(large)) == 4
    assert _queries(lambda: selectors.export_section(small)) == _queries(lambda: selectors.export_section(large))
