from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yigong.activities.models import Activity
from yigong.organizations.models import Organization
from yigong.projects.forms import DateInput, apply_errors, region_choices_field  # noqa: F401 (re-exported)
from yigong.projects.models import Category, RiskLevel
from yigong.regions.models import Region
from yigong.volunteers.models import Language, Skill

WEEKDAYS = [(0, _("Mon")), (1, _("Tue")), (2, _("Wed")), (3, _("Thu")), (4, _("Fri")), (5, _("Sat")), (6, _("Sun"))]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class FinderForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    street = forms.ModelChoiceField(queryset=Region.objects.filter(level=Region.Level.STREET), required=False,
                                    label=_("street"), empty_label=_("all streets"), to_field_name="code")
    category = forms.ChoiceField(label=_("category"), required=False,
                                 choices=[("", _("all categories")), *Category.choices])
    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput())
    open_only = forms.BooleanField(label=_("only with places left"), required=False)


class ActivityForm(forms.Form):
    project = forms.ModelChoiceField(queryset=None, label=_("project"), empty_label=None)
    organization = forms.ModelChoiceField(queryset=None, label=_("organizer"), empty_label=None)
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("place"), max_length=120, help_text=_("e.g. Pinghu metro station, exit A"))
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    region = region_choices_field(label=_("community or street"))
    latitude = forms.DecimalField(label=_("latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("longitude"), required=False, max_digits=9, decimal_places=6)
    risk_level = forms.ChoiceField(label=_("risk level"), choices=RiskLevel.choices)
    recruitment = forms.ChoiceField(label=_("recruitment"), choices=Activity.Recruitment.choices,
                                    widget=forms.RadioSelect, initial=Activity.Recruitment.OPEN)
    invitation_code = forms.CharField(label=_("invitation code"), max_length=32, required=False)
    teams = forms.ModelMultipleChoiceField(queryset=Organization.objects.none(), required=False,
                                           label=_("teams that may sign up"))
    signup_deadline = forms.DateTimeField(label=_("sign-up deadline"), required=False, widget=DateTimeInput(),
                                          help_text=_("Leave empty to accept sign-ups until each shift starts."))
    cancel_deadline_hours = forms.IntegerField(label=_("volunteers may cancel until (hours before the shift)"),
                                               min_value=0, max_value=720, initial=12)
    insurance_required = forms.BooleanField(label=_("accident insurance required"), required=False)
    auto_approve = forms.BooleanField(label=_("approve sign-ups automatically"), required=False, initial=True)
    waitlist_enabled = forms.BooleanField(label=_("keep a waiting list"), required=False, initial=True)
    contact_name = forms.CharField(label=_("contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=32, required=False)

    def __init__(self, *args, projects=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is None:
            del self.fields["project"], self.fields["organization"]
        else:
            self.fields["project"].queryset = projects
            self.fields["organization"].queryset = organizations
        self.fields["teams"].queryset = Organization.objects.active().filter(kind=Organization.Kind.TEAM)
        self.fields["teams"].widget.attrs["size"] = 6


class PositionForm(forms.Form):
    name = forms.CharField(label=_("position name"), max_length=80)
    description = forms.CharField(label=_("duties"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required_skills = forms.MultipleChoiceField(label=_("required skills"), choices=Skill.choices, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    required_languages = forms.MultipleChoiceField(label=_("required languages"), choices=Language.choices,
                                                   required=False, widget=forms.CheckboxSelectMultiple)
    min_age = forms.IntegerField(label=_("minimum age"), required=False, min_value=1, max_value=119)
    max_age = forms.IntegerField(label=_("maximum age"), required=False, min_value=1, max_value=119)
    min_stars = forms.IntegerField(label=_("minimum star level"), min_value=0, max_value=5, initial=0)
    required_training = forms.CharField(label=_("required training"), required=False,
                                        help_text=_("Separate several courses with commas."))
    high_risk = forms.BooleanField(label=_("high-risk duty (no minors)"), required=False)

    def clean_required_training(self):
        raw = self.cleaned_data.get("required_training") or ""
        return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]


class ShiftForm(forms.Form):
    """One shift, or repeating shifts (daily or weekly) between two dates. Local (Shanghai) times."""

    repeat = forms.ChoiceField(label=_("repeat"), widget=forms.RadioSelect, initial="once",
                               choices=[("once", _("once")), ("weekly", _("weekly")), ("daily", _("daily"))])
    first_day = forms.DateField(label=_("date (first day)"), widget=DateInput())
    last_day = forms.DateField(label=_("last day"), required=False, widget=DateInput(),
                               help_text=_("For repeating shifts."))
    weekdays = forms.TypedMultipleChoiceField(label=_("on"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    start_time = forms.TimeField(label=_("start"), widget=TimeInput())
    end_time = forms.TimeField(label=_("end"), widget=TimeInput(),
                               help_text=_("An end before the start means the next day."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, positions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = list(positions)
        for p in self.positions:
            self.fields[f"places_{p.pk}"] = forms.IntegerField(
                label=_("places: %(position)s") % {"position": p.name}, min_value=0, max_value=10000,
                required=False, initial=5)

    def place_fields(self):
        return [self[f"places_{p.pk}"] for p in self.positions]

    def places(self) -> dict[int, int]:
        return {p.pk: self.cleaned_data[f"places_{p.pk}"] for p in self.positions
                if self.cleaned_data.get(f"places_{p.pk}")}

    def clean(self):
        data = super().clean()
        if data.get("repeat") in ("weekly", "daily") and not data.get("last_day"):
            self.add_error("last_day", _("Give the last day of the repeating shifts."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)
