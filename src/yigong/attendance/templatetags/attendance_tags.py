from django import template
from django.utils import timezone

from yigong.attendance.formatting import format_minutes, local_window

register = template.Library()


@register.filter
def hm(minutes):
    """Whole minutes as "2 h 30 min" in the active language."""
    return format_minutes(minutes)


@register.filter
def stars(value):
    """4 -> ★★★★☆"""
    try:
        n = max(0, min(5, int(value)))
    except (TypeError, ValueError):
        return ""
    return "★" * n + "☆" * (5 - n)


@register.filter
def hhmm(value):
    return timezone.localtime(value).strftime("%H:%M") if value else ""


@register.simple_tag
def shift_window(shift):
    return local_window(shift.starts_at, shift.ends_at)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
