from __future__ import annotations

from ninja import Router, Schema

from yigong.organizations.models import Organization

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
