from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yigong.core import audit
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.organizations import permissions
from yigong.organizations.models import Membership, Organization
from yigong.regions.models import Region

# Which kinds may sit under which: the one district tree.
ALLOWED_PARENTS: dict[str, set[str]] = {
    Organization.Kind.DISTRICT_OFFICE: set(),
    Organization.Kind.DISTRICT_FEDERATION: {Organization.Kind.DISTRICT_OFFICE},
    Organization.Kind.STREET_FEDERATION: {Organization.Kind.DISTRICT_FEDERATION},
    Organization.Kind.COMMUNITY_STATION: {Organization.Kind.STREET_FEDERATION},
    Organization.Kind.TEAM: {
        Organization.Kind.DISTRICT_FEDERATION, Organization.Kind.STREET_FEDERATION,
        Organization.Kind.COMMUNITY_STATION, Organization.Kind.TEAM,
    },
    Organization.Kind.CITY_STATION: {
        Organization.Kind.DISTRICT_FEDERATION, Organization.Kind.STREET_FEDERATION,
    },
    Organization.Kind.REQUESTING_UNIT: {
        Organization.Kind.DISTRICT_FEDERATION, Organization.Kind.STREET_FEDERATION,
        Organization.Kind.COMMUNITY_STATION,
    },
}
# The region an organization serves, by kind (scope follows it: a station sees its community).
REGION_LEVEL: dict[str, str] = {
    Organization.Kind.DISTRICT_OFFICE: Region.Level.DISTRICT,
    Organization.Kind.DISTRICT_FEDERATION: Region.Level.DISTRICT,
    Organization.Kind.STREET_FEDERATION: Region.Level.STREET,
    Organization.Kind.COMMUNITY_STATION: Region.Level.COMMUNITY,
}
JOINABLE_KINDS = {
    Organization.Kind.TEAM, Organization.Kind.COMMUNITY_STATION, Organization.Kind.CITY_STATION,
}


def _set_path(org: Organization) -> None:
    org.path = (org.parent.path if org.parent_id else "") + f"{org.pk:08d}/"
    org.save(update_fields=["path"])


@transaction.atomic
def create_organization(
    *, actor, name: str, kind: str, parent: Organization | None, region=None,
    team_type: str = "", credit_code: str = "", address: str = "", latitude=None, longitude=None,
    description: str = "", contact_name: str = "", contact_phone: str = "",
) -> Organization:
    """Propose a new organization. It waits for the district office, unless the office creates it."""
    from yigong.organizations.validators import validate_credit_code

    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Enter the organization's name.")]
    if kind not in Organization.Kind.values:
        errors["kind"] = [_("Choose a kind of organization.")]
    elif parent is None and ALLOWED_PARENTS[kind]:
        errors["parent"] = [_("Choose the organization this one belongs to.")]
    elif parent is not None and parent.kind not in ALLOWED_PARENTS[kind]:
        errors["parent"] = [
            _("A %(kind)s cannot sit under a %(parent)s.")
            % {"kind": Organization.Kind(kind).label, "parent": parent.get_kind_display()}
        ]
    if kind == Organization.Kind.TEAM and (not team_type or team_type not in Organization.TeamType.values):
        errors["team_type"] = [_("Choose the type of team.")]
    if kind != Organization.Kind.TEAM:
        team_type = ""
    if kind == Organization.Kind.CITY_STATION and (latitude is None or longitude is None):
        errors["location"] = [_("A city station needs its location (latitude and longitude).")]
    if region is not None:
        level = REGION_LEVEL.get(kind)
        if level and region.level != level:
            errors["region"] = [
                _("A %(kind)s serves a %(level)s; choose a region of that level.")
                % {"kind": Organization.Kind(kind).label, "level": Region.Level(level).label}
            ]
        elif parent is not None and parent.region_id and not region.path.startswith(parent.region.path):
            errors["region"] = [_("The region must lie within the region of the parent organization.")]
    if credit_code:
        try:
            credit_code = validate_credit_code(credit_code)
        except ValidationFailed as exc:
            errors["credit_code"] = [str(exc.message)]
    if errors:
        raise ValidationFailed(fields=errors)
    if parent is not None and parent.status != Organization.Status.ACTIVE:
        raise ValidationFailed(fields={"parent": [_("The parent organization is not active.")]})
    if parent is None and not getattr(actor, "is_superuser", False):
        raise NotAllowed(_("Only a superuser can create the district office."))

    district = permissions.is_district_admin(actor)
    org = Organization.objects.create(
        name=name, kind=kind, team_type=team_type or "", parent=parent, region=region,
        credit_code=credit_code, address=address, latitude=latitude, longitude=longitude,
        description=description, contact_name=contact_name, contact_phone=contact_phone,
        status=Organization.Status.ACTIVE if district else Organization.Status.PENDING,
        approved_at=timezone.now() if district else None,
        approved_by=actor if district and getattr(actor, "pk", None) else None,
    )
    _set_path(org)
    if not district and getattr(actor, "pk", None):
        # The proposer runs the new organization once it is approved.
        Membership.objects.create(
            user=actor, organization=org, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE,
            decided_at=timezone.now(),
        )
    audit.record(actor=actor, action="organization.create", target=org, organization=org, kind=kind)
    return org


@transaction.atomic
def decide_organization(*, actor, organization: Organization, approve: bool, reason: str = "") -> Organization:
    if not permissions.is_district_admin(actor):
        raise NotAllowed(_("Only the district office approves new organizations."))
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.status != Organization.Status.PENDING:
        raise Conflict(_("This organization has already been decided."), code="already_decided")
    if not approve and not reason.strip():
        raise ValidationFailed(fields={"reason": [_("Give a reason for the refusal.")]})
    org.status = Organization.Status.ACTIVE if approve else Organization.Status.REJECTED
    org.approved_at = timezone.now() if approve else None
    org.approved_by = actor if approve else None
    org.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit.record(
        actor=actor, action="organization.approve" if approve else "organization.reject",
        target=org, organization=org, reason=reason,
    )
    return org


@transaction.atomic
def apply_to_join(*, actor, organization: Organization, message: str = "") -> Membership:
    """A volunteer asks to join a team or station; its staff decide."""
    if not hasattr(actor, "volunteer"):
        raise NotAllowed(_("Register as a volunteer before joining a team."), code="not_a_volunteer")
    if actor.volunteer.status != actor.volunteer.Status.ACTIVE:
        raise NotAllowed(_("Your registration is not active, so you cannot join a team."),
                         code="volunteer_not_active")
    if organization.kind not in JOINABLE_KINDS or organization.status != Organization.Status.ACTIVE:
        raise ValidationFailed(
            _("This organization does not take members."), code="not_joinable",
        )
    if Membership.objects.filter(
        user=actor, organization=organization,
        status__in=[Membership.Status.PENDING, Membership.Status.ACTIVE],
    ).exists():
        raise Conflict(_("You have already applied to or joined this organization."), code="already_member")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=actor, organization=organization, role=Membership.Role.MEMBER,
                status=Membership.Status.PENDING, message=(message or "")[:300],
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already applied to or joined this organization."), code="already_member") from exc
    audit.record(actor=actor, action="membership.apply", target=membership, organization=organization)
    return membership


@transaction.atomic
def decide_membership(*, actor, membership: Membership, approve: bool, reason: str = "") -> Membership:
    m = Membership.objects.select_for_update(of=("self",)).select_related("organization").get(pk=membership.pk)
    if not permissions.can_manage(actor, m.organization):
        raise NotAllowed()
    if m.status != Membership.Status.PENDING:
        raise Conflict(_("This application has already been decided."), code="already_decided")
    m.status = Membership.Status.ACTIVE if approve else Membership.Status.REJECTED
    m.decided_at, m.decided_by, m.decision_reason = timezone.now(), actor, reason[:300]
    m.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "updated_at"])
    audit.record(
        actor=actor, action="membership.approve" if approve else "membership.reject",
        target=m, organization=m.organization, reason=reason,
    )
    return m


@transaction.atomic
def add_member(*, actor, organization: Organization, user, role: str = Membership.Role.MEMBER) -> Membership:
    """Staff add a person directly (e.g. appoint staff). Changing roles needs an admin."""
    if role in (Membership.Role.ADMIN, Membership.Role.STAFF):
        if not permissions.is_admin_of(actor, organization) and not permissions.is_district_admin(actor):
            raise NotAllowed(_("Only an administrator can appoint staff."))
    elif not permissions.can_manage(actor, organization):
        raise NotAllowed()
    membership, _created = Membership.objects.update_or_create(
        user=user, organization=organization,
        status__in=[Membership.Status.PENDING, Membership.Status.ACTIVE],
        defaults={"role": role, "status": Membership.Status.ACTIVE, "decided_at": timezone.now(),
                  "decided_by": actor if getattr(actor, "pk", None) else None},
        create_defaults={"role": role, "status": Membership.Status.ACTIVE, "decided_at": timezone.now(),
                         "decided_by": actor if getattr(actor, "pk", None) else None},
    )
    permissions.forget(user)
    audit.record(actor=actor, action="membership.add", target=membership, organization=organization, role=role)
    return membership
