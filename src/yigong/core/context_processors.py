from django.conf import settings
from django.utils.functional import SimpleLazyObject

# Which place of the volunteer's bar (or the staff console) a page belongs to.
_PLACES = {
    "activities:finder": "find",
    "activities:detail": "find",
    "activities:my-shifts": "shifts",
    "core:check-in": "checkin",
    "volunteers:me": "me",
    "volunteers:registered": "me",
    "volunteers:withdraw": "me",
    "volunteers:join": "me",
}


def _place(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.namespace == "organizations":
        return "console"
    return _PLACES.get(match.view_name, "")


def _staff_anywhere(request) -> bool:
    from yigong.organizations import permissions

    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and permissions.is_staff_anywhere(user))


def platform(request):
    return {
        "YIGONG_VERSION": __import__("yigong").__version__,
        "LANGUAGE_COOKIE_NAME": settings.LANGUAGE_COOKIE_NAME,
        "current_place": _place(request),
        "is_staff_anywhere": SimpleLazyObject(lambda: _staff_anywhere(request)),
    }
