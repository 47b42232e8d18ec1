"""Forms of the attendance pages: they check types; the services check the rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigong.attendance.services import COMMENT_MAX, REASON_MAX

STAR_CHOICES = [(n, "★" * n) for n in range(1, 6)]


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason"))
        kwargs.setdefault("max_length", REASON_MAX)
        kwargs.setdefault("error_messages", {
            "required": _("Give a reason; it is kept with the record."),
            "max_length": _("The reason is too long (%(limit_value)d characters at most)."),
        })
        super().__init__(**kwargs)


class HandCheckForm(forms.Form):
    """Check a volunteer in or out by hand: a reason, and the time if it was not just now."""

    reason = ReasonField(widget=forms.TextInput(attrs={"placeholder": _("e.g. phone battery empty")}))
    time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for now."),
        error_messages={"invalid": _("Enter a time as HH:MM.")},
    )

    def at(self, shift) -> datetime | None:
        """The time on the shift's day (the next day for a shift past midnight)."""
        value = self.cleaned_data.get("time")
        if value is None:
            return None
        start = timezone.localtime(shift.starts_at)
        at = timezone.make_aware(datetime.combine(start.date(), value))
        if at < shift.starts_at - timedelta(hours=12):
            at += timedelta(days=1)
        return at


class MinutesForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Enter the minutes served."), "invalid": _("Enter a whole number of minutes."),
                        "min_value": _("Minutes cannot be negative.")},
    )
    reason = ReasonField(widget=forms.TextInput(attrs={"placeholder": _("e.g. paper sign-in sheet")}))


class CheckOutEveryoneForm(forms.Form):
    reason = ReasonField(initial="", widget=forms.TextInput(attrs={"placeholder": _("e.g. the service ended")}))


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"), choices=STAR_CHOICES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5 stars."),
                        "invalid_choice": _("A rating is a whole number from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("The comment is too long (%(limit_value)d characters at most).")},
    )
