from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attendance(models.Model):
    """Check-in and check-out of one sign-up, by QR token or by an organizer's hand with a reason."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        MANUAL = "manual", _("entered by organizer")

    signup = models.OneToOneField("activities.SignUp", on_delete=models.PROTECT, related_name="attendance")
    shift = models.ForeignKey("activities.Shift", on_delete=models.PROTECT, related_name="attendances")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT,
                                  related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    check_in_method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    check_in_reason = models.CharField(_("reason"), max_length=300, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    check_out_method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    check_out_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Minutes an organizer entered instead of check-in/out (with a reason), before confirmation.
    manual_minutes = models.PositiveIntegerField(_("minutes entered by organizer"), null=True, blank=True)
    manual_reason = models.CharField(_("reason for entered minutes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [models.Index(fields=["shift", "volunteer"])]

    def __str__(self) -> str:
        return f"attendance {self.signup_id}"


class ShiftConfirmation(models.Model):
    """The organizer's one-step confirmation of a shift's hours; one per shift, ever."""

    shift = models.OneToOneField("activities.Shift", on_delete=models.PROTECT, related_name="confirmation")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)
    entries = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"confirmation of shift {self.shift_id}"


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class ServiceRating(models.Model):
    """The organizer's rating of a volunteer's service in one sign-up (1–5)."""

    signup = models.OneToOneField("activities.SignUp", on_delete=models.CASCADE, related_name="rating")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE,
                                  related_name="ratings_received")
    stars = models.PositiveSmallIntegerField(_("rating"), validators=RATING)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5),
                                              name="service_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.stars}★ for {self.signup_id}"


class ActivityRating(models.Model):
    """A volunteer's rating of an activity they served in (1–5)."""

    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="ratings")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(_("rating"), validators=RATING)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="one_rating_per_activity"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5),
                                   name="activity_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ for activity {self.activity_id}"
