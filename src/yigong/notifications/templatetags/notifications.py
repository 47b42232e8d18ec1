"""{% load notifications %}

`{% notification_badge %}` renders the inbox link with a bell and the number of unread messages
(nothing for anonymous visitors); `{% unread_notification_count as n %}` gives the number alone.
The count is read once per request, however often the tags are used on a page."""

from django import template

from yigong.notifications.models import Notification

register = template.Library()

_CACHE = "_yigong_unread_notifications"


def _unread(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if request is None:
        return Notification.objects.for_user(user).unread().count()
    if not hasattr(request, _CACHE):
        setattr(request, _CACHE, Notification.objects.for_user(user).unread().count())
    return getattr(request, _CACHE)


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    return _unread(context)


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notification_badge(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"show": bool(user and user.is_authenticated), "count": _unread(context)}
