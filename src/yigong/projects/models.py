from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yigong.core.models import TimeStamped


class Category(models.TextChoices):
    """National-system service categories (rules.md), plus the local tags of the 2010 guidance."""

    COMMUNITY = "community", _("community service")
    POVERTY = "poverty", _("poverty relief")
    EDUCATION = "education", _("teaching and study support")
    HEALTH = "health", _("health and medical")
    LEGAL = "legal", _("legal services")
    ENVIRONMENT = "environment", _("environmental protection")
    SCIENCE = "science", _("science outreach")
    CULTURE = "culture", _("culture and arts")
    PUBLIC_SAFETY = "public_safety", _("public safety and order")
    CIVILITY = "civility", _("civic virtue")
    TRAFFIC = "traffic", _("traffic guidance")
    FIRE = "fire", _("volunteer fire service")
    EMERGENCY = "emergency", _("emergency rescue")
    ANTI_DRUG = "anti_drug", _("anti-drug outreach")
    SPORTS = "sports", _("sports and fitness")
    TOURISM = "tourism", _("tourism services")
    SPECIAL_GROUPS = "special_groups", _("care for special groups")
    LARGE_EVENT = "large_event", _("large-event service")
    OVERSEAS = "overseas", _("overseas volunteering")
    ELDERLY_DISABLED = "elderly_disabled", _("help for the elderly and disabled")
    YOUTH_COUNSELLING = "youth_counselling", _("counselling for troubled youth")
    PSYCHOLOGICAL = "psychological", _("psychological support")
    YOUNG_WORKERS = "young_workers", _("care for young workers")
    COMMUNITY_CORRECTION = "community_correction", _("community correction")
    OPINION = "opinion", _("public-opinion and information collection")
    OTHER = "other", _("other")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("children")
    WOMEN = "women", _("women")
    ELDERLY = "elderly", _("the elderly")
    DISABLED = "disabled", _("people with disabilities")
    ENTITLED = "entitled", _("entitled groups (veterans' families)")
    POOR_FAMILIES = "poor_families", _("families in hardship")
    SPECIAL = "special", _("special groups")
    PATIENTS = "patients", _("patients")
    RURAL = "rural", _("rural residents")
    URBAN = "urban", _("urban residents")
    PUBLIC = "public", _("the general public")
    OTHER = "other", _("other")


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state__in=[Project.State.APPROVED, Project.State.ACTIVE,
                                      Project.State.CLOSED, Project.State.EVALUATED])


class Project(TimeStamped):
    """A project in the multi-level project library (项目库, R7)."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("project state", "draft")
        SUBMITTED = "submitted", pgettext_lazy("project state", "submitted for approval")
        RETURNED = "returned", pgettext_lazy("project state", "returned for changes")
        APPROVED = "approved", pgettext_lazy("project state", "approved")
        ACTIVE = "active", pgettext_lazy("project state", "running")
        CLOSED = "closed", pgettext_lazy("project state", "closed")
        EVALUATED = "evaluated", pgettext_lazy("project state", "evaluated")

    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    owner = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="projects",
        verbose_name=_("owner organization"),
    )
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=16, choices=TargetGroup.choices,
                                    default=TargetGroup.PUBLIC)
    place = models.CharField(_("place"), max_length=200, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="projects", verbose_name=_("region"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    planned_volunteers = models.PositiveIntegerField(_("planned volunteers"), default=0)
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices,
                                  default=RiskLevel.LOW)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT,
                             db_index=True)
    is_brand = models.BooleanField(_("brand project"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    from_idea = models.ForeignKey("ProjectIdea", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="projects", verbose_name=_("adopted idea"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="project_ends_after_start"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
        ]
        indexes = [models.Index(fields=["category", "state"])]

    def __str__(self) -> str:
        return self.title


class ProjectTransition(models.Model):
    """Every change of a project's state: who, when, why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=Project.State.choices)
    to_state = models.CharField(max_length=12, choices=Project.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_state} → {self.to_state}"


class ProjectEvaluation(models.Model):
    """The evaluation after a project closes: scores on set criteria and a summary."""

    class Criterion(models.TextChoices):
        GOALS = "goals", _("goals achieved")
        BENEFICIARIES = "beneficiaries", _("benefit to the people served")
        VOLUNTEERS = "volunteers", _("volunteer experience and safety")
        MANAGEMENT = "management", _("organization and management")
        SUSTAINABILITY = "sustainability", _("sustainability and influence")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="evaluation")
    scores = models.JSONField(_("scores"))  # {criterion: 1..5}
    summary = models.TextField(_("summary"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    evaluated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"evaluation of {self.project_id}"


class ProjectIdea(TimeStamped):
    """A project idea from a volunteer or a citizen, which an organization may adopt."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        ADOPTED = "adopted", _("adopted")
        DECLINED = "declined", _("declined")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=24, choices=Category.choices,
                                default=Category.OTHER)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("region"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="project_ideas")
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    adopted_by = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
