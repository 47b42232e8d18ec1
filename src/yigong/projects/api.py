"""API v1: the public project catalogue (项目库)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Router, Schema

from yigong.core.errors import NotFound, ValidationFailed
from yigong.core.schemas import ErrorOut
from yigong.projects import selectors
from yigong.projects.models import Project

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    title: str
    category: str
    category_label: str
    state: str
    owner: str
    owner_id: int
    region_code: str | None
    starts_on: date
    ends_on: date
    planned_volunteers: int
    risk_level: str
    is_brand: bool
    description: str


class ProjectPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProjectOut]


def _out(p: Project) -> dict:
    return {
        "id": p.pk, "title": p.title, "category": p.category, "category_label": str(p.get_category_display()),
        "state": p.state, "owner": p.owner.name, "owner_id": p.owner_id,
        "region_code": p.region.code if p.region_id else None, "starts_on": p.starts_on, "ends_on": p.ends_on,
        "planned_volunteers": p.planned_volunteers, "risk_level": p.risk_level, "is_brand": p.is_brand,
        "description": p.description,
    }


@router.get("", response={200: ProjectPage, 400: ErrorOut}, auth=None)
def list_projects(request, q: str = "", street: str = "", category: str = "", state: str = "",
                  brand: bool = False, page: int = 1, page_size: int = 20):
    """Approved, running, closed and evaluated projects. Filters: street (region code), category, state."""
    if page < 1 or not 1 <= page_size <= 100:
        raise ValidationFailed(fields={"page": [_("Pages start at 1 and hold 1 to 100 items.")]})
    qs = selectors.catalogue(q=q, street=street, category=category, state=state, brand=brand)
    return {"count": qs.count(), "page": page, "page_size": page_size,
            "items": [_out(p) for p in qs[(page - 1) * page_size: page * page_size]]}


@router.get("/{project_id}", response={200: ProjectOut, 404: ErrorOut}, auth=None)
def get_project(request, project_id: int):
    project = Project.objects.public().select_related("owner", "region").filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    return _out(project)
