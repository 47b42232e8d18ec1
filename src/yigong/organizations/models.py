from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yigong.core.models import TimeStamped


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Organization.Status.ACTIVE)

    def subtree_of(self, org: Organization):
        return self.filter(path__startswith=org.path)

    def in_subtrees(self, paths: list[str]):
        if not paths:
            return self.none()
        q = Q()
        for path in paths:
            q |= Q(path__startswith=path)
        return self.filter(q)


class Organization(TimeStamped):
    """A node of the one district tree (R2, R11, R12)."""

    class Kind(models.TextChoices):
        DISTRICT_OFFICE = "district_office", _("district volunteer-work office")
        DISTRICT_FEDERATION = "district_federation", _("district volunteer federation")
        STREET_FEDERATION = "street_federation", _("street volunteer federation")
        COMMUNITY_STATION = "community_station", _("community service station")
        TEAM = "team", _("volunteer team")
        CITY_STATION = "city_station", _("city volunteer station")
        REQUESTING_UNIT = "requesting_unit", _("requesting unit")

    class TeamType(models.TextChoices):
        NONE = "", _("not a team")
        SOCIETY = "society", _("society team")
        COMPANY = "company", _("company team")
        SCHOOL = "school", _("school team")
        GOVERNMENT = "government", _("government body team")
        ARMY = "army", _("army unit team")
        NGO = "ngo", _("social organization team")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        ACTIVE = "active", _("active")
        REJECTED = "rejected", _("rejected")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    team_type = models.CharField(_("team type"), max_length=16, choices=TeamType.choices, blank=True, default="")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent organization"),
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="organizations",
        verbose_name=_("region"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    # Ids of the ancestors and itself, zero-padded: "00000001/00000004/": subtree by prefix.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="team") | Q(team_type=""), name="org_team_type_only_for_teams"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_ancestor_of(self, other: Organization) -> bool:
        return other.path.startswith(self.path)


class Membership(TimeStamped):
    """A person's place in an organization: admin and staff run it, members serve in it."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        STAFF = "staff", _("staff")
        MEMBER = "member", _("member")

    class Status(models.TextChoices):
        PENDING = "pending", _("application pending")
        ACTIVE = "active", _("active")
        REJECTED = "rejected", _("rejected")
        LEFT = "left", _("left")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(_("message"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(status__in=["pending", "active"]),
                name="one_open_membership_per_org",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"
