"""Forms for the organization console. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yigong.core.errors import ValidationFailed
from yigong.organizations.models import Organization
from yigong.organizations.services import ALLOWED_PARENTS
from yigong.organizations.validators import validate_credit_code
from yigong.regions.models import Region


class DecisionForm(forms.Form):
    """Approve or reject an application; a rejection needs a reason the applicant will read."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        if not code:
            return code
        try:
            return validate_credit_code(code)
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the rejection; the applicant will see it."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class NewOrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organization"), max_length=120,
                           error_messages={"required": _("Enter the organization's name.")})
    kind = forms.ChoiceField(label=_("Kind"), error_messages={"required": _("Choose a kind of organization.")})
    team_type = forms.ChoiceField(
        label=_("Type of team"), required=False,
        choices=[("", _("Choose (teams only)"))] + [c for c in Organization.TeamType.choices if c[0]],
    )
    region = forms.ModelChoiceField(
        label=_("Area"), queryset=Region.objects.none(), required=False,
        empty_label=_("None (not tied to one street or community)"),
        help_text=_("Its staff will see the volunteers who live in this area."),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False,
        help_text=_("18 characters; leave empty for an unregistered community team."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
                                   min_value=-180, max_value=180)
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        if not code:
            return code
        try:
            return validate_credit_code(code)
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def clean(self):
        data = super().clean()
        # The team type is what tells a company team from a school team: a team must say it.
        if data.get("kind") == Organization.Kind.TEAM and not data.get("team_type"):
            self.add_error("team_type", _("Choose the type of team."))
        return data

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind"))] + [
            (kind, label) for kind, label in Organization.Kind.choices
            if parent.kind in ALLOWED_PARENTS[kind]
        ]
        regions = Region.objects.filter(active=True).exclude(level=Region.Level.DISTRICT)
        if parent.region_id:
            regions = regions.filter(path__startswith=parent.region.path)
        self.fields["region"].queryset = regions.select_related("parent").order_by("code")
        self.fields["region"].label_from_instance = (
            lambda r: f"{r.parent.name} · {r.name}" if r.level == Region.Level.COMMUNITY and r.parent_id
            else r.name
        )
