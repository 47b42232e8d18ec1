"""Minutes from check-in/out: clipped to the shift, with a grace for small lateness."""

from datetime import timedelta

import pytest

from tests.attendance.factories import local
from yigong.attendance.hours import counted_interval

START, END = local(2026, 11, 28, 9, 0), local(2026, 11, 28, 12, 0)


def minutes(check_in, check_out, grace=10):
    return counted_interval(starts_at=START, ends_at=END, checked_in_at=check_in, checked_out_at=check_out,
                            grace_minutes=grace).minutes


def at(minutes_from_start, seconds=0):
    return START + timedelta(minutes=minutes_from_start, seconds=seconds)


@pytest.mark.parametrize(("check_in", "check_out", "expected"), [
    (at(0), at(180), 180),  # on time
    (at(-45), at(240), 180),  # early arrival and late leave never count beyond the shift
    (at(10), at(180), 180),  # arriving exactly at the grace still counts from the start
    (at(10, 1), at(180), 169),  # one second beyond the grace counts from arrival (whole minutes)
    (at(11), at(180), 169),
    (at(0), at(170), 180),  # leaving exactly at the grace before the end counts to the end
    (at(0), at(169, 59), 169),  # leaving earlier counts to the departure (seconds dropped)
    (at(30), at(90), 60),
    (at(100), at(100), 0),
    (at(190), at(200), 0),  # arrived after the shift ended
    (at(-60), at(-30), 0),  # left before it began
])
def test_counted_minutes_at_the_edges(check_in, check_out, expected):
    assert minutes(check_in, check_out) == expected


def test_zero_grace_counts_from_the_actual_arrival():
    assert minutes(at(1), at(180), grace=0) == 179


def test_counted_interval_reports_the_clipped_times():
    counted = counted_interval(starts_at=START, ends_at=END, checked_in_at=at(-20), checked_out_at=at(150),
                               grace_minutes=10)
    assert (counted.started_at, counted.ended_at, counted.minutes) == (START, at(150), 150)
