"""How many minutes a check-in and check-out count for: clipped to the shift, with a grace.

The grace forgives small lateness: arriving at most `grace` minutes after the start counts from the
start, leaving at most `grace` minutes before the end counts to the end. Time before the start or
after the end never counts, so hours from check-in/out never exceed the shift. Minutes are whole
(seconds are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Counted:
    started_at: datetime
    ended_at: datetime
    minutes: int


def counted_interval(*, starts_at: datetime, ends_at: datetime, checked_in_at: datetime,
                     checked_out_at: datetime, grace_minutes: int) -> Counted:
    grace = timedelta(minutes=max(0, grace_minutes))
    start = starts_at if checked_in_at <= starts_at + grace else checked_in_at
    end = ends_at if checked_out_at >= ends_at - grace else checked_out_at
    start, end = max(start, starts_at), min(end, ends_at)
    if end <= start:
        return Counted(start, start, 0)
    return Counted(start, end, int((end - start).total_seconds()) // 60)


def shift_minutes(shift) -> int:
    return int((shift.ends_at - shift.starts_at).total_seconds()) // 60
