"""Reads on the project library: the public catalogue and the staff queues (N+1-free)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from yigong.organizations import permissions as org_permissions
from yigong.organizations.models import Organization
from yigong.projects.models import Project, ProjectIdea
from yigong.projects.permissions import DISTRICT_LEVEL_KINDS


def catalogue(*, q: str = "", street: str = "", category: str = "", state: str = "",
              brand: bool = False) -> QuerySet[Project]:
    """Public projects (approved and later) with search and filters; street is a region code."""
    qs = Project.objects.public().select_related("owner", "region")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(owner__name__icontains=q))
    if street:
        qs = qs.filter(Q(region__path__contains=f"{street}/") | Q(owner__region__path__contains=f"{street}/"))
    if category:
        qs = qs.filter(category=category)
    if state:
        qs = qs.filter(state=state)
    if brand:
        qs = qs.filter(is_brand=True)
    return qs.annotate(activity_count=Count("activities", distinct=True)).order_by("-is_brand", "-starts_on", "-id")


def project_detail(pk: int) -> Project:
    return (
        Project.objects.select_related("owner", "region", "from_idea")
        .prefetch_related("transitions__actor")
        .get(pk=pk)
    )


def run_by(user) -> QuerySet[Project]:
    """Projects whose owner is in the user's subtrees (every state)."""
    orgs = org_permissions.managed_organizations(user)
    return Project.objects.filter(owner__in=orgs).select_related("owner", "region").order_by("-updated_at", "-id")


def approval_queue(user) -> QuerySet[Project]:
    """Submitted projects this user may approve or return: owners whose parent is in the user's
    subtrees; district-level owners only for district administrators."""
    qs = Project.objects.filter(state=Project.State.SUBMITTED).select_related("owner", "region")
    if org_permissions.is_district_admin(user):
        return qs.order_by("updated_at", "id")
    paths = org_permissions.staff_paths(user)
    if not paths:
        return qs.none()
    parents = Organization.objects.in_subtrees(paths)
    return qs.filter(owner__parent__in=parents).exclude(owner__kind__in=DISTRICT_LEVEL_KINDS).order_by("updated_at", "id")


def evaluation_queue(user) -> QuerySet[Project]:
    qs = Project.objects.filter(state=Project.State.CLOSED).select_related("owner", "region")
    if org_permissions.is_district_admin(user):
        return qs.order_by("ends_on", "id")
    paths = org_permissions.staff_paths(user)
    if not paths:
        return qs.none()
    parents = Organization.objects.in_subtrees(paths)
    return qs.filter(owner__parent__in=parents).exclude(owner__kind__in=DISTRICT_LEVEL_KINDS).order_by("ends_on", "id")


def open_ideas() -> QuerySet[ProjectIdea]:
    return ProjectIdea.objects.filter(state=ProjectIdea.State.OPEN).select_related("region")
