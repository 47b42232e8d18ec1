"""{% load archive %}: `{{ minutes|hours_minutes }}` shows whole minutes as h:mm (150 → 2:30);
`{{ 4|stars }}` shows a 1–5 rating as ★★★★☆; `{{ entry.source|source_label }}` names a ledger
entry's source briefly."""

from django import template

from yigong.archive.hours import hours_minutes as _hours_minutes
from yigong.archive.labels import source_label as _source_label

register = template.Library()


@register.filter
def hours_minutes(minutes) -> str:
    return _hours_minutes(minutes)


@register.filter
def stars(value) -> str:
    try:
        n = max(0, min(5, int(value)))
    except (TypeError, ValueError):
        return ""
    return "★" * n + "☆" * (5 - n)


@register.filter
def source_label(code) -> str:
    return _source_label(code)
