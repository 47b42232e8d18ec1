from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def format_minutes(minutes: int | None) -> str:
    """120 -> "2 h", 150 -> "2 h 30 min", 45 -> "45 min" (in the active language)."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(int(minutes)), 60)
    if hours and rest:
        text = _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
    elif hours:
        text = _("%(h)d h") % {"h": hours}
    else:
        text = _("%(m)d min") % {"m": rest}
    return sign + text


def local_time(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M") if value else ""


def local_window(starts_at: datetime, ends_at: datetime) -> str:
    """"2026-11-28 09:00–12:00" in the platform's time zone."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"
