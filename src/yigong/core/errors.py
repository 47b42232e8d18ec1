"""Domain errors: a stable code for machines, a translated message for people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Raised by services. The API maps `status` and `code`; pages show `message`."""

    code = "invalid"
    status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, fields: dict[str, list[str]] | None = None, code=None):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400
    default_message = _("Some fields are not valid.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with data already on record.")


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Throttled(DomainError):
    code = "throttled"
    status = 429
    default_message = _("Too many attempts. Please wait and try again.")

    def __init__(self, message=None, *, retry_after: int = 60, **kwargs):
        self.retry_after = retry_after
        super().__init__(message, **kwargs)
