from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yigong.core.errors import ValidationFailed
from yigong.projects.models import Category, ProjectEvaluation, RiskLevel, TargetGroup
from yigong.regions.models import Region


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Put a service's field errors on the form (unknown fields become form-wide errors)."""
    if not exc.fields:
        form.add_error(None, str(exc.message))
    for name, messages in exc.fields.items():
        key = name if name in form.fields else None
        for message in messages:
            form.add_error(key, str(message))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def region_choices_field(required: bool = False, label=None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Region.objects.filter(level__in=[Region.Level.STREET, Region.Level.COMMUNITY], active=True),
        required=required, label=label or _("street or community"), empty_label=_("— whole district —"),
    )


class ProjectForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("owner organization"), empty_label=None)
    title = forms.CharField(label=_("title"), max_length=120)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    target_group = forms.ChoiceField(label=_("target group"), choices=TargetGroup.choices, initial=TargetGroup.PUBLIC)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    region = region_choices_field()
    starts_on = forms.DateField(label=_("start date"), widget=DateInput())
    ends_on = forms.DateField(label=_("end date"), widget=DateInput())
    planned_volunteers = forms.IntegerField(label=_("planned volunteers"), min_value=0, initial=0)
    budget = forms.DecimalField(label=_("budget (yuan)"), min_value=0, decimal_places=2, max_digits=12, initial=0)
    risk_level = forms.ChoiceField(label=_("risk level"), choices=RiskLevel.choices, initial=RiskLevel.LOW)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in ProjectEvaluation.Criterion:
            self.fields[f"score_{criterion.value}"] = forms.TypedChoiceField(
                label=criterion.label, choices=[(i, str(i)) for i in range(1, 6)], coerce=int,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[str, int]:
        return {c.value: self.cleaned_data.get(f"score_{c.value}") for c in ProjectEvaluation.Criterion}

    def score_fields(self):
        return [self[f"score_{c.value}"] for c in ProjectEvaluation.Criterion]


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(label=_("what is needed, and who would benefit"),
                                  widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("category"), choices=Category.choices, initial=Category.OTHER)
    region = region_choices_field()
    contact = forms.CharField(label=_("phone or email"), max_length=100, required=False)


class AdoptForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("owner organization"), empty_label=None)
    starts_on = forms.DateField(label=_("start date"), widget=DateInput())
    ends_on = forms.DateField(label=_("end date"), widget=DateInput())

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class CatalogueFilter(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    street = forms.ModelChoiceField(queryset=Region.objects.filter(level=Region.Level.STREET), required=False,
                                    label=_("street"), empty_label=_("all streets"), to_field_name="code")
    category = forms.ChoiceField(label=_("category"), required=False,
                                 choices=[("", _("all categories")), *Category.choices])
    state = forms.ChoiceField(label=_("state"), required=False)

    def __init__(self, *args, **kwargs):
        from yigong.projects.models import Project

        super().__init__(*args, **kwargs)
        public = [Project.State.APPROVED, Project.State.ACTIVE, Project.State.CLOSED, Project.State.EVALUATED]
        self.fields["state"].choices = [("", _("all states")),
                                        *[(s.value, s.label) for s in Project.State if s in public]]
