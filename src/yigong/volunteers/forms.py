"""Forms for volunteers' pages. They parse what the browser sends; the services judge it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yigong.regions.forms import community_choices, street_choices
from yigong.volunteers.identity import IdType
from yigong.volunteers.models import Availability, Language, Sex, Skill
from yigong.volunteers.services import Registration


class RegistrationForm(forms.Form):
    """Every field is optional here: `validate_registration` gives the specific message for each."""

    name = forms.CharField(
        label=_("Full name"), max_length=60, required=False,
        help_text=_("Exactly as on your ID document."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(
        label=_("ID document"), choices=IdType.choices, initial=IdType.RESIDENT_ID, required=False,
    )
    id_number = forms.CharField(
        label=_("ID number"), max_length=32, required=False,
        help_text=_("A resident ID has 18 characters; your date of birth and sex are read from it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date of birth as year-month-day, e.g. 2001-09-30.")},
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, required=False, widget=forms.RadioSelect,
        help_text=_("As on your document."),
    )
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20, required=False,
        help_text=_("You log in with this number. Others see it only masked."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=128, required=False, strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    username = forms.CharField(
        label=_("Username"), max_length=30, required=False,
        help_text=_("Optional: a name to log in with besides your phone number."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )
    street = forms.CharField(label=_("Street"), required=False, widget=forms.Select)
    home_community = forms.CharField(
        label=_("Community"), required=False, widget=forms.Select,
        help_text=_("Where you live or work. Its service station will be your first contact."),
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When you can serve"), choices=Availability.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    guardian_phone = forms.CharField(
        label=_("Guardian's mobile phone"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    guardian_consent = forms.BooleanField(
        label=_("My guardian agrees to my volunteering."), required=False,
    )
    guardian_data_consent = forms.BooleanField(
        label=_("My guardian has read the children's privacy notice and agrees to the processing of my personal information."),
        required=False,
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to the processing of my personal information, including my ID number."),
        required=False,
    )
    privacy_notice_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        street = (self.data.get("street") or "")[:12] if self.is_bound else ""
        self.fields["street"].widget.choices = street_choices()
        # With htmx, choosing a street loads its communities; without it, all are listed by street.
        self.fields["street"].widget.attrs.update({
            "hx-get": reverse("regions:community-options"), "hx-target": "#id_home_community",
            "hx-swap": "innerHTML", "hx-trigger": "change",
        })
        self.fields["home_community"].widget.choices = community_choices(street)
        self.initial.setdefault("privacy_notice_version", settings.YIGONG_PRIVACY_NOTICE_VERSION)

    def registration(self, *, language: str) -> Registration:
        """What the person entered, as the service expects it (fields that failed to parse are empty)."""
        data = getattr(self, "cleaned_data", {})
        text = {name: data.get(name) or "" for name in (
            "name", "id_type", "id_number", "phone", "username", "sex", "guardian_name", "guardian_phone",
        )}
        return Registration(
            **text,
            password=self.data.get("password", ""),
            home_community_code=data.get("home_community") or "",
            birth_date=data.get("birth_date"),
            skills=data.get("skills") or [],
            languages=data.get("languages") or [],
            availability=data.get("availability") or [],
            privacy_consent=bool(data.get("privacy_consent")),
            privacy_notice_version=data.get("privacy_notice_version") or "",
            guardian_consent=bool(data.get("guardian_consent")),
            guardian_data_consent=bool(data.get("guardian_data_consent")),
            preferred_language=language,
        )


class WithdrawForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), max_length=128, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=_("I understand that my account is closed and my personal data removed, and that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want to withdraw.")},
    )


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the staff"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Optional: why you would like to join")}),
    )
