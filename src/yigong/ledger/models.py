"""The service-hour ledger (志愿服务记录): append-only, hash-chained, whole minutes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("ledger entries are never updated; append a correction")

    def delete(self):
        raise AppendOnlyError("ledger entries are never deleted; append a correction")


class LedgerEntry(models.Model):
    """One confirmed service record. Never updated or deleted: a correction is a new entry."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("service")
        CORRECTION = "correction", _("correction")

    class Source(models.TextChoices):
        CHECKIN = "checkin", _("check-in and check-out")
        MANUAL = "manual", _("entered by organizer")
        IMPORT = "import", _("imported")
        CORRECTION = "correction", _("correction")

    district_code = models.CharField(max_length=6)  # the chain (and shard) this entry belongs to
    # 1, 2, 3 … per district chain, set by ledger.services.append_entry (hashed; an entry without it was
    # not appended by the application and fails `ledger_verify`).
    seq = models.PositiveBigIntegerField(_("position in the chain"), null=True, editable=False)
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT,
                                  related_name="ledger_entries")
    registration_number = models.CharField(max_length=20)  # kept after withdrawal (pseudonymized)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="ledger_entries", verbose_name=_("recording organization"))
    activity = models.ForeignKey("activities.Activity", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="ledger_entries")
    shift = models.ForeignKey("activities.Shift", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ledger_entries")
    signup = models.ForeignKey("activities.SignUp", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="ledger_entries")
    # What the record says, as it was when recorded (names may change later).
    activity_title = models.CharField(_("activity"), max_length=120)
    position_name = models.CharField(_("position"), max_length=80, blank=True)
    organization_name = models.CharField(_("organization"), max_length=120)
    service_date = models.DateField(_("date"), db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    minutes = models.IntegerField(_("minutes"))  # negative only in corrections
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SERVICE)
    source = models.CharField(max_length=12, choices=Source.choices)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # PROTECT: the recorder's id is hashed, so a user who recorded hours is deactivated, never deleted.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["volunteer", "service_date"]),
            models.Index(fields=["organization", "service_date"]),
            models.Index(fields=["district_code", "id"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["district_code", "seq"], name="one_entry_per_chain_position"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.registration_number} {self.minutes} min"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("ledger entries are never updated; append a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("ledger entries are never deleted; append a correction")


class LedgerHead(models.Model):
    """The tip of one chain: locked while appending, so entries are chained in one order."""

    district_code = models.CharField(max_length=6, unique=True)
    last_entry_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.district_code}: {self.count}"
