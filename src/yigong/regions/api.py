from __future__ import annotations

from ninja import Router, Schema

from yigong.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


@router.get("", response=list[RegionOut], auth=None)
def list_regions(request, level: Region.Level | None = None, parent: str | None = None):
    """The district's streets and communities (public: registration needs them)."""
    qs = Region.objects.filter(active=True).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return [
        {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent.code if r.parent_id else None}
        for r in qs
    ]
