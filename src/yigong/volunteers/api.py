from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError

from yigong.accounts.api import client_ip
from yigong.config.api import AUTH
from yigong.core import throttle
from yigong.core.errors import NotFound
from yigong.core.schemas import ErrorOut
from yigong.volunteers import services
from yigong.volunteers.models import Volunteer

router = Router(tags=["volunteers"])


class RegistrationIn(Schema):
    name: str
    id_type: str = "resident_id"
    id_number: str
    phone: str
    password: str
    home_community: str  # community region code
    username: str = ""
    birth_date: date | None = None
    sex: str = ""
    skills: list[str] = []
    languages: list[str] = []
    availability: list[str] = []
    privacy_consent: bool = False
    privacy_notice_version: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_consent: bool = False
    guardian_data_consent: bool = False


class CommunityOut(Schema):
    code: str
    name: str


class VolunteerOut(Schema):
    registration_number: str
    username: str | None
    name: str
    id_type: str
    id_number_masked: str
    phone_masked: str
    birth_date: date | None
    sex: str
    home_community: CommunityOut | None
    skills: list[str]
    languages: list[str]
    availability: list[str]
    status: str
    registered_at: str
    privacy_notice_version: str
    is_minor: bool


def volunteer_out(v: Volunteer) -> dict:
    return {
        "registration_number": v.registration_number,
        "username": v.user.username if v.user_id else None,
        "name": v.name,
        "id_type": v.id_type,
        "id_number_masked": v.id_masked,
        "phone_masked": v.phone_masked,
        "birth_date": v.birth_date,
        "sex": v.sex,
        "home_community": (
            {"code": v.home_community.code, "name": v.home_community.name} if v.home_community_id else None
        ),
        "skills": v.skills,
        "languages": v.languages,
        "availability": v.availability,
        "status": v.status,
        "registered_at": v.registered_at.isoformat(),
        "privacy_notice_version": v.privacy_notice_version,
        "is_minor": bool(v.guardian_consent_at),
    }


def current_volunteer(request) -> Volunteer:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    volunteer = Volunteer.objects.select_related("user", "home_community").filter(user=user).first()
    if volunteer is None:
        raise NotFound(code="not_a_volunteer")
    return volunteer


@router.post(
    "/volunteers", response={201: VolunteerOut, 400: ErrorOut, 409: ErrorOut, 429: ErrorOut}, auth=None,
)
def register(request, payload: RegistrationIn):
    """Public real-name registration. 409 when the ID or phone is already registered."""
    throttle.limit(f"register:ip:{client_ip(request)}", limit=30, window=3600)
    data = services.Registration(
        **payload.dict(exclude={"home_community"}), home_community_code=payload.home_community,
        preferred_language=getattr(request, "LANGUAGE_CODE", ""),
    )
    volunteer = services.register_volunteer(data=data)
    return Status(201, volunteer_out(volunteer))


@router.get("/me", response={200: VolunteerOut, 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def me(request):
    """The signed-in volunteer's own profile, personal numbers masked."""
    return volunteer_out(current_volunteer(request))


@router.get("/me/export", response={200: dict, 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def export(request):
    """Everything the platform holds on the signed-in volunteer, as a JSON download."""
    import json

    volunteer = current_volunteer(request)
    body = json.dumps(services.export_personal_data(volunteer=volunteer), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="yigong-{volunteer.registration_number}.json"'
    return response


class WithdrawIn(Schema):
    password: str


class WithdrawOut(Schema):
    registration_number: str
    status: str


@router.post("/me/withdraw", response={200: WithdrawOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
             auth=AUTH)
def withdraw(request, payload: WithdrawIn):
    """Withdraw: the account is closed and personal data removed; the registration number stays on
    record (never reused). Needs the password."""
    volunteer = current_volunteer(request)
    volunteer = services.withdraw(actor=request.user, volunteer=volunteer, password=payload.password)
    return {"registration_number": volunteer.registration_number, "status": volunteer.status}


class VolunteerListItem(Schema):
    id: int
    registration_number: str
    name: str
    id_number_masked: str
    home_community: str | None
    status: str


@router.get("/volunteers", response={200: list[VolunteerListItem], 401: ErrorOut}, auth=AUTH)
def list_volunteers(request, q: str | None = None, community: str | None = None, limit: int = 50,
                    offset: int = 0):
    """Volunteers in the caller's scope (staff: their organization's subtree; others: none)."""
    if not request.user.is_authenticated:
        raise AuthenticationError()
    qs = Volunteer.objects.visible_to(request.user).select_related("home_community").order_by("id")
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(registration_number=q)
    if community:
        qs = qs.filter(home_community__code=community)
    limit = max(1, min(limit, 200))
    return [
        {"id": v.pk, "registration_number": v.registration_number, "name": v.name,
         "id_number_masked": v.id_masked,
         "home_community": v.home_community.name if v.home_community_id else None, "status": v.status}
        for v in qs[max(0, offset): max(0, offset) + limit]
    ]


@router.get("/volunteers/{volunteer_id}", response={200: VolunteerOut, 401: ErrorOut, 404: ErrorOut},
            auth=AUTH)
def get_volunteer(request, volunteer_id: int):
    """One volunteer in the caller's scope; outside it, 404."""
    if not request.user.is_authenticated:
        raise AuthenticationError()
    qs = Volunteer.objects.visible_to(request.user).select_related("user", "home_community")
    return volunteer_out(get_object_or_404(qs, pk=volunteer_id))
