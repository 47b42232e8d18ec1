from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigong.certificates.models import Certificate, CorrectionRequest
from yigong.certificates.pdf import hours_text
from yigong.certificates.services import EVIDENCE_MAX_BYTES, MAX_MINUTES_PER_RECORD


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type=date> reads and sends


class CertificateRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you need?"), choices=Certificate.Kind.choices,
                             widget=forms.RadioSelect, initial=Certificate.Kind.ORGANIZATION)
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
    organization = forms.TypedChoiceField(label=_("Organization"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, recorded=(), memberships=(), staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period_start"].initial = date(today.year, 1, 1)
        self.fields["period_end"].initial = today
        self.fields["kind"].help_text = _(
            "A certificate of each organization that recorded your hours, one district summary, or a "
            "short proof of hours from your school or team (for the Youth League or school credit)."
        )
        choices: list = [("", _("Every recording organization"))]
        if recorded:
            choices.append((_("Organizations that recorded your hours"), [(o.pk, o.name) for o in recorded]))
        if memberships:
            choices.append((_("Your school or team (hours proof)"), [(o.pk, o.name) for o in memberships]))
        self.fields["organization"].choices = choices
        self.fields["organization"].help_text = _(
            "For an hours proof choose your school or team; for a district summary leave this as it is."
        )
        if staff:
            self.fields["person_in_charge"] = forms.CharField(
                label=_("Person in charge"), max_length=60, required=False,
                help_text=_("Left empty: the issuing organization's contact person."))
            self.fields["handler"] = forms.CharField(label=_("Handler"), max_length=60, required=False,
                                                     help_text=_("Left empty: your name."))


class CorrectionRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is wrong?"), choices=CorrectionRequest.Kind.choices,
                             widget=forms.RadioSelect, initial=CorrectionRequest.Kind.DISPUTE)
    entry = forms.TypedChoiceField(label=_("Which record"), required=False, coerce=int, empty_value=None)
    organization = forms.TypedChoiceField(label=_("Organization that ran the service"), required=False,
                                          coerce=int, empty_value=None)
    activity_title = forms.CharField(label=_("Activity"), max_length=120, required=False)
    service_date = forms.DateField(label=_("Date of service"), required=False, widget=DateInput)
    minutes = forms.IntegerField(label=_("Minutes served"), required=False, min_value=1,
                                 max_value=MAX_MINUTES_PER_RECORD,
                                 help_text=_("Whole minutes, e.g. 150 for 2 hours 30 minutes."))
    evidence = forms.CharField(label=_("What happened, and your evidence"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("Who can confirm it, photos, sign-in sheets, messages."))
    evidence_file = forms.FileField(
        label=_("Evidence file (optional)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, entries=(), organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("— choose a record —"))] + [
            (e.pk, f"{e.service_date:%Y-%m-%d} · {e.activity_title} · {e.organization_name} · "
                   f"{hours_text(e.current_minutes)}")
            for e in entries
        ]
        self.fields["organization"].choices = [("", _("— choose the organization —"))] + [
            (o.pk, o.name) for o in organizations
        ]
        self.fields["evidence_file"].help_text = _("PDF, JPEG or PNG, up to %(mb)d MB.") % {
            "mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        self.fields["service_date"].help_text = _(
            "A wrong record: the right date, only if the date is wrong. A missing record: the day you served."
        )
        self.fields["minutes"].help_text = _(
            "A wrong record: the right number of minutes, only if they are wrong. A missing record: the "
            "minutes you served. Whole minutes, e.g. 150 for 2 hours 30 minutes."
        )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))])
    minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1, max_value=MAX_MINUTES_PER_RECORD)
    service_date = forms.DateField(label=_("Date of service"), required=False, widget=DateInput)
    reason = forms.CharField(label=_("Reason or note"), max_length=300, required=False)
