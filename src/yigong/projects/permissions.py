"""Who may do what with a project. The owner's staff run it; the parent organization approves."""

from __future__ import annotations

from yigong.organizations import permissions as org_permissions
from yigong.organizations.models import Organization
from yigong.projects.models import Project

# Organizations at district level: their projects are approved by the district office itself.
DISTRICT_LEVEL_KINDS = {Organization.Kind.DISTRICT_OFFICE, Organization.Kind.DISTRICT_FEDERATION}


def approving_organization(project: Project) -> Organization | None:
    """The organization whose staff approve `project`: the owner's parent, or for district-level
    owners the district office (the root). None means only district administrators approve."""
    owner = project.owner
    if owner.kind in DISTRICT_LEVEL_KINDS or owner.parent_id is None:
        return None
    return owner.parent


def can_approve(user, project: Project) -> bool:
    """Staff of the parent organization (or above); district administrators always."""
    if org_permissions.is_district_admin(user):
        return True
    approver = approving_organization(project)
    return approver is not None and org_permissions.can_manage(user, approver)


def can_run(user, project: Project) -> bool:
    """Staff of the owner organization or of one of its ancestors run the project."""
    return org_permissions.can_manage(user, project.owner)


def can_grant_brand(user) -> bool:
    return org_permissions.is_district_admin(user)
