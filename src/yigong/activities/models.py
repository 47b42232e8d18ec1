from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yigong.core.models import TimeStamped
from yigong.projects.models import RiskLevel


class Activity(TimeStamped):
    """A concrete service activity of an approved project: where, which positions, which shifts."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("activity status", "draft")
        PUBLISHED = "published", pgettext_lazy("activity status", "published")
        CANCELLED = "cancelled", pgettext_lazy("activity status", "cancelled")
        FINISHED = "finished", pgettext_lazy("activity status", "finished")

    class Recruitment(models.TextChoices):
        OPEN = "open", _("open to all volunteers")
        TEAMS = "teams", _("members of named teams")
        INVITATION = "invitation", _("by invitation code")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="activities",
                                verbose_name=_("project"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="activities", verbose_name=_("organizer"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=24)  # copied from the project for filters
    place = models.CharField(_("place"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="activities", verbose_name=_("community or street"))
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices,
                                  default=RiskLevel.LOW)
    recruitment = models.CharField(_("recruitment"), max_length=12, choices=Recruitment.choices,
                                   default=Recruitment.OPEN)
    invitation_code = models.CharField(_("invitation code"), max_length=32, blank=True)
    teams = models.ManyToManyField("organizations.Organization", blank=True, related_name="+",
                                   verbose_name=_("teams that may sign up"))
    signup_deadline = models.DateTimeField(_("sign-up deadline"), null=True, blank=True)
    cancel_deadline_hours = models.PositiveIntegerField(
        _("cancellation allowed until (hours before the shift)"), default=12)
    insurance_required = models.BooleanField(_("accident insurance required"), default=False)
    auto_approve = models.BooleanField(_("approve sign-ups automatically"), default=True)
    waitlist_enabled = models.BooleanField(_("keep a waiting list"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "category"]), models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return self.title


class Position(models.Model):
    """A post (岗位) in an activity, with the requirements a volunteer must meet."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="positions")
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("duties"), blank=True)
    required_skills = models.JSONField(_("required skills"), default=list, blank=True)
    required_languages = models.JSONField(_("required languages"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    min_stars = models.PositiveSmallIntegerField(_("minimum star level"), default=0)
    required_training = models.JSONField(_("required training"), default=list, blank=True)
    high_risk = models.BooleanField(_("high-risk duty (no minors)"), default=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ShiftQuerySet(models.QuerySet):
    def upcoming(self, now):
        return self.filter(ends_at__gt=now)


class Shift(models.Model):
    """A time window of an activity (班次). Places are per position, in ShiftSlot."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("start"), db_index=True)
    ends_at = models.DateTimeField(_("end"))
    series = models.CharField(max_length=36, blank=True, db_index=True)  # repeating shifts made together
    note = models.CharField(_("note"), max_length=200, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                              name="shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.starts_at:%Y-%m-%d %H:%M}"


class ShiftSlot(models.Model):
    """The places of one position in one shift; `approved` counts approved sign-ups (kept under lock)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="slots")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="slots")
    places = models.PositiveIntegerField(_("places"))
    approved = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "position"], name="one_slot_per_position_and_shift"),
            models.CheckConstraint(condition=Q(approved__lte=F("places")), name="slot_never_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.shift_id}/{self.position_id}: {self.approved}/{self.places}"

    @property
    def places_left(self) -> int:
        return max(0, self.places - self.approved)


class SignUp(TimeStamped):
    """A volunteer's sign-up (报名) for one position in one shift. Nobody is assigned by force."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("sign-up status", "awaiting review")
        APPROVED = "approved", pgettext_lazy("sign-up status", "approved")
        WAITLISTED = "waitlisted", pgettext_lazy("sign-up status", "on the waiting list")
        REJECTED = "rejected", pgettext_lazy("sign-up status", "not accepted")
        CANCELLED = "cancelled", pgettext_lazy("sign-up status", "cancelled")
        NO_SHOW = "no_show", pgettext_lazy("sign-up status", "did not come")

    ACTIVE_STATUSES = (Status.PENDING, Status.APPROVED, Status.WAITLISTED)

    slot = models.ForeignKey(ShiftSlot, on_delete=models.PROTECT, related_name="signups")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    # Copies of the shift window, so overlap checks are one indexed query.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=["pending", "approved", "waitlisted"]),
                name="one_active_signup_per_shift",
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status", "starts_at"]),
            models.Index(fields=["slot", "status", "waitlisted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.slot_id} ({self.status})"


class InsuranceCoverQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day, valid_until__gte=day)


class InsuranceCover(TimeStamped):
    """Accident insurance on record for a volunteer (R15; 志愿服务条例 art. 17).

    An activity that requires insurance refuses sign-ups without a cover valid on the shift's date.
    """

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE,
                                  related_name="insurance_covers", verbose_name=_("volunteer"))
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("arranged by"))
    insurer = models.CharField(_("insurer"), max_length=120, blank=True)
    policy_number = models.CharField(_("policy number"), max_length=64)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = InsuranceCoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("accident insurance cover")
        verbose_name_plural = _("accident insurance covers")
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")),
                                   name="insurance_ends_after_start"),
        ]
        indexes = [models.Index(fields=["volunteer", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.policy_number} ({self.valid_from} – {self.valid_until})"
