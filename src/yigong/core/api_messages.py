"""Texts of API errors that no service raises: the API's own checks, django-ninja and pydantic.

They live in core (not config, which is not an app) so that core's catalog translates them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

HTTP_CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 429: "throttled"}


def fields_not_valid() -> str:
    return _("Some fields are not valid.")


def log_in_first() -> str:
    return _("Log in first.")


def not_found() -> str:
    return _("Not found.")


def validation_message(err: dict) -> str:
    """Pydantic's English messages, replaced by translated ones the user can act on."""
    kind = err.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith("string") or kind == "str_type":
        return _("Enter text here.")
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return _("Enter a number.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("list"):
        return _("Enter a list.")
    if kind == "enum" or kind == "literal_error":
        return _("Choose one of the allowed values.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")


def http_error_message(status: int, text: str) -> str:
    """django-ninja raises a few HttpErrors with English text; people get a translated one."""
    if status == 400 and text.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    if status == 403 and "CSRF" in text:
        return _("The page expired or the request came from another site; reload the page and try again.")
    return text
