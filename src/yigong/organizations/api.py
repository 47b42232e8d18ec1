from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError

from yigong.config.api import AUTH
from yigong.core.errors import NotAllowed
from yigong.core.schemas import ErrorOut
from yigong.organizations import permissions, services
from yigong.organizations.models import Membership, Organization

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    team_type: str
    parent_id: int | None
    region_code: str | None
    address: str
    latitude: float | None
    longitude: float | None


@router.get("", response=list[OrganizationOut], auth=None)
def list_organizations(request, kind: Organization.Kind | None = None, region: str | None = None,
                       q: str | None = None):
    """Active organizations in the district tree (public directory; no personal data)."""
    qs = Organization.objects.active().select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region__path__contains=f"{region}/")
    if q:
        qs = qs.filter(name__icontains=q)
    return [
        {
            "id": o.pk, "name": o.name, "kind": o.kind, "kind_label": str(o.get_kind_display()),
            "team_type": o.team_type, "parent_id": o.parent_id,
            "region_code": o.region.code if o.region_id else None, "address": o.address,
            "latitude": float(o.latitude) if o.latitude is not None else None,
            "longitude": float(o.longitude) if o.longitude is not None else None,
        }
        for o in qs[:1000]
    ]


class ApplicationIn(Schema):
    message: str = ""


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


class ApplicationOut(Schema):
    id: int
    organization_id: int
    status: str
    role: str
    message: str
    created_at: datetime
    volunteer_name: str | None
    registration_number: str | None


def _application_out(m: Membership) -> dict:
    volunteer = getattr(m.user, "volunteer", None)
    return {
        "id": m.pk, "organization_id": m.organization_id, "status": m.status, "role": m.role,
        "message": m.message, "created_at": m.created_at,
        "volunteer_name": volunteer.name if volunteer else None,
        "registration_number": volunteer.registration_number if volunteer else None,
    }


def _signed_in(request):
    if not getattr(request.user, "is_authenticated", False):
        raise AuthenticationError()
    return request.user


@router.post("/{int:org_id}/applications",
             response={201: ApplicationOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut},
             auth=AUTH)
def apply(request, org_id: int, payload: ApplicationIn):
    """The signed-in volunteer asks to join a team or station; its staff decide. 409 if already applied."""
    user = _signed_in(request)
    organization = get_object_or_404(Organization, pk=org_id)
    membership = services.apply_to_join(actor=user, organization=organization, message=payload.message)
    return Status(201, _application_out(membership))


@router.get("/{int:org_id}/applications",
            response={200: list[ApplicationOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}, auth=AUTH)
def list_applications(request, org_id: int):
    """Pending applications to an organization, for its staff (and staff above it)."""
    user = _signed_in(request)
    organization = get_object_or_404(Organization, pk=org_id)
    if not permissions.can_manage(user, organization):
        raise NotAllowed()
    pending = (
        Membership.objects.filter(organization=organization, status=Membership.Status.PENDING)
        .select_related("user__volunteer").order_by("created_at", "id")
    )
    return [_application_out(m) for m in pending]


@router.post("/{int:org_id}/applications/{int:membership_id}/decision",
             response={200: ApplicationOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut},
             auth=AUTH)
def decide(request, org_id: int, membership_id: int, payload: DecisionIn):
    """Approve or refuse an application (staff of the organization or above it). 409 if already decided."""
    user = _signed_in(request)
    membership = get_object_or_404(Membership, pk=membership_id, organization_id=org_id)
    membership = services.decide_membership(
        actor=user, membership=membership, approve=payload.approve, reason=payload.reason,
    )
    return _application_out(membership)
