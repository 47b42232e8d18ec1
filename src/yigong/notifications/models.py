from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user) if getattr(user, "is_authenticated", False) else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)

    def inbox_order(self):
        """Unread first, then newest first."""
        unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=models.BooleanField())
        return self.order_by(unread.desc(), "-created_at", "-id")


class Notification(models.Model):
    """A message in a user's in-app inbox (also sent by email/SMS where configured)."""

    class Kind(models.TextChoices):
        SIGNUP_APPROVED = "signup_approved", _("sign-up approved")
        SIGNUP_WAITLISTED = "signup_waitlisted", _("put on the waiting list")
        SIGNUP_PROMOTED = "signup_promoted", _("moved up from the waiting list")
        SIGNUP_REJECTED = "signup_rejected", _("sign-up not accepted")
        SHIFT_REMINDER = "shift_reminder", _("shift reminder")
        SHIFT_CANCELLED = "shift_cancelled", _("shift cancelled")
        HOURS_CONFIRMED = "hours_confirmed", _("hours confirmed")
        GENERAL = "general", _("message")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Dedupe key, e.g. "reminder:signup:42", so a task run twice sends once.
    key = models.CharField(max_length=100, blank=True)
    # External delivery, one stamp per channel: a task run twice (a retried worker) sends once.
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""),
                                               name="one_notification_per_key")]

    def __str__(self) -> str:
        return self.title
