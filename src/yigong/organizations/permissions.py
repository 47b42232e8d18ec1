"""Scope: staff act only inside their organization's subtree."""

from __future__ import annotations

from yigong.organizations.models import Membership, Organization

_STAFF_ROLES = (Membership.Role.ADMIN, Membership.Role.STAFF)
_CACHE_ATTR = "_yigong_staff_paths"


def staff_paths(user) -> list[str]:
    """Paths of the organizations where `user` is active admin or staff (cached per request user)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, status=Membership.Status.ACTIVE, role__in=_STAFF_ROLES,
                organization__status=Organization.Status.ACTIVE,
            ).values_list("organization__path", flat=True)
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_district_admin(user) -> bool:
    """Superusers and staff of a root organization (the district office) see the whole district."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(path.count("/") == 1 for path in staff_paths(user))


def is_staff_anywhere(user) -> bool:
    return bool(staff_paths(user)) or is_district_admin(user)


def can_manage(user, org: Organization) -> bool:
    """True if `user` is staff of `org` or of one of its ancestors."""
    if is_district_admin(user):
        return True
    return any(org.path.startswith(path) for path in staff_paths(user))


def is_admin_of(user, org: Organization) -> bool:
    """Admin of `org` or of an ancestor: may change roles and see full personal numbers."""
    if getattr(user, "is_superuser", False):
        return True
    admin_paths = Membership.objects.filter(
        user=user, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN,
    ).values_list("organization__path", flat=True)
    return any(org.path.startswith(path) for path in admin_paths)


def managed_organizations(user):
    if is_district_admin(user):
        return Organization.objects.all()
    return Organization.objects.in_subtrees(staff_paths(user))
