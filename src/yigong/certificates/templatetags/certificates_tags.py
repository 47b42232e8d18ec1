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


@register.inclusion_tag("certificates/_archive_section.html")
def certificates_in_archive(volunteer, staff_view=False):
    """The archive's part about certificates and correction requests (Order No. 67: both outcomes of a
    request are kept in the volunteer's archive). Three queries, whatever the numbers."""
    from yigong.certificates import selectors

    return {
        "volunteer": volunteer, "staff_view": staff_view,
        "certificates": selectors.certificates_for_volunteer(volunteer)[:5],
        "corrections": list(selectors.corrections_for_volunteer(volunteer)[:20]),
    }
