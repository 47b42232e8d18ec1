"""Service time is kept in whole minutes and shown as hours:minutes, never as a float."""

from __future__ import annotations


def hours_minutes(minutes: int | None) -> str:
    """150 → "2:30", -45 → "-0:45", 0 → "0:00"."""
    minutes = int(minutes or 0)
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"
