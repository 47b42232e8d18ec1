"""API v1: django-ninja, OpenAPI at /api/v1/openapi.json. Errors are {"error": {code, message, fields}}."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from yigong.accounts.models import ApiToken
from yigong.core import api_messages as messages
from yigong.core.errors import DomainError, Throttled


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.digest(token), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


bearer = BearerToken()
# Pages' own scripts may call the API with the session cookie (CSRF-checked).
AUTH = [bearer, django_auth]

api = NinjaAPI(
    title="Yigong API",
    version="1",
    description="Volunteer-service platform API. Authenticate with POST /api/v1/auth/token, then "
    "send `Authorization: Bearer <token>`.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    response = api.create_response(
        request, error_body(exc.code, exc.message, {k: [str(m) for m in v] for k, v in exc.fields.items()}),
        status=exc.status,
    )
    if isinstance(exc, Throttled):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "data")]
        fields.setdefault(".".join(loc) or "request", []).append(messages.validation_message(err))
    return api.create_response(request, error_body("invalid", messages.fields_not_valid(), fields), status=400)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return api.create_response(request, error_body("unauthenticated", messages.log_in_first()), status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, error_body("not_found", messages.not_found()), status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(
        request,
        error_body(messages.HTTP_CODES.get(exc.status_code, "error"),
                   messages.http_error_message(exc.status_code, str(exc.message))),
        status=exc.status_code,
    )


def _register_routers() -> None:
    from yigong.accounts.api import router as accounts_router
    from yigong.archive.api import router as archive_router
    from yigong.certificates.api import router as certificates_router
    from yigong.organizations.api import router as organizations_router
    from yigong.regions.api import router as regions_router
    from yigong.volunteers.api import router as volunteers_router

    api.add_router("/auth", accounts_router)
    api.add_router("/regions", regions_router)
    api.add_router("/organizations", organizations_router)
    api.add_router("", volunteers_router)
    api.add_router("/me", archive_router)
    api.add_router("", certificates_router)

    from yigong.activities.api import router as activities_router
    from yigong.projects.api import router as projects_router

    api.add_router("", activities_router)
    api.add_router("/projects", projects_router)

    from yigong.attendance.api import router as attendance_router

    api.add_router("", attendance_router)


_register_routers()
