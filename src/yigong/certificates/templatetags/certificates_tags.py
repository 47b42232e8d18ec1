from django import template

from yigong.certificates import numbers
from yigong.certificates.pdf import hours_text

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Whole minutes as hours and minutes in the active language: 270 -> 4小时30分钟 / 4 h 30 min."""
    return hours_text(int(minutes or 0))


@register.filter
def certificate_number(number: str) -> str:
    return numbers.display(number)
