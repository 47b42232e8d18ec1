"""Certificates of volunteer service (志愿服务证明) and volunteers' correction requests (Order No. 67)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yigong.certificates import numbers


class CertificateQuerySet(models.QuerySet):
    def of_volunteer(self, volunteer):
        return self.filter(volunteer=volunteer)

    def listing(self):
        return self.select_related("issuer").order_by("-issued_at", "-id")


class Certificate(models.Model):
    """One signed statement by an issuing organization about a volunteer's confirmed hours.

    `content` is the canonical JSON that was signed (what the certificate certifies); the other
    columns repeat some of it for queries and must agree with it, or verification refuses the
    certificate. `document` holds what only the PDF needs (full name, service lines, sections).
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("certificate of the recording organization")
        DISTRICT = "district", _("district summary certificate")
        HOURS_PROOF = "hours_proof", _("proof of volunteer hours")

    number = models.CharField(_("certificate number"), max_length=numbers.LENGTH, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT,
                                  related_name="certificates", verbose_name=_("volunteer"))
    issuer = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                               related_name="issued_certificates", verbose_name=_("issuing organization"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    minutes = models.IntegerField(_("minutes"))
    issued_on = models.DateField(_("issue date"))
    issued_at = models.DateTimeField(_("issued"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    person_in_charge = models.CharField(_("person in charge"), max_length=60, blank=True)
    handler = models.CharField(_("handler"), max_length=60, blank=True)
    coverage = models.CharField(max_length=64)  # sha256 of the covered entries and minutes
    content = models.TextField()  # canonical JSON, exactly as signed
    signature = models.CharField(max_length=100)  # base64 Ed25519
    key_id = models.CharField(max_length=16)
    document = models.JSONField(default=dict)
    entries = models.ManyToManyField("ledger.LedgerEntry", through="CertificateEntry", related_name="+")

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["volunteer", "issued_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="certificate_period_in_order"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return numbers.display(self.number)


class CertificateEntry(models.Model):
    """Which ledger entries a certificate covers (for finding the certificates a correction affects)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="covered")
    entry = models.ForeignKey("ledger.LedgerEntry", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certificate", "entry"], name="certificate_entry_once")]
        indexes = [models.Index(fields=["entry"])]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.entry_id}"


def _evidence_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"corrections/{instance.volunteer_id}/{uuid.uuid4().hex}{suffix}"


class CorrectionRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=CorrectionRequest.Status.PENDING)

    def for_staff(self, user):
        from yigong.organizations import permissions

        return self.filter(organization__in=permissions.managed_organizations(user))


class CorrectionRequest(models.Model):
    """A volunteer's dispute of a record, or request for a missing one, with evidence.

    The recording organization answers: accepted (a correcting or new ledger entry) or refused with
    a reason. The request is kept either way; it is part of the volunteer's archive.
    """

    class Kind(models.TextChoices):
        DISPUTE = "dispute", _("a record is wrong")
        MISSING = "missing", _("a record is missing")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the organization")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT,
                                  related_name="correction_requests", verbose_name=_("volunteer"))
    kind = models.CharField(_("request"), max_length=8, choices=Kind.choices)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="correction_requests",
                                     verbose_name=_("recording organization"))
    entry = models.ForeignKey("ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("disputed record"))
    activity_title = models.CharField(_("activity"), max_length=120, blank=True)
    service_date = models.DateField(_("date of service"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes served"), null=True, blank=True)
    evidence = models.TextField(_("what happened, and your evidence"))
    evidence_file = models.FileField(_("evidence file"), upload_to=_evidence_path, blank=True)
    evidence_file_name = models.CharField(max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    result_entries = models.ManyToManyField("ledger.LedgerEntry", blank=True, related_name="+",
                                            verbose_name=_("ledger entries made"))

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="missing", entry__isnull=True) | Q(kind="dispute", entry__isnull=False),
                name="correction_entry_only_for_disputes",
            ),
            models.UniqueConstraint(fields=["entry"], condition=Q(status="pending"),
                                    name="one_pending_request_per_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
