from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Phone number or username"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


# Django 5.2 changed this validator message (to "%d"), and its Simplified Chinese catalog still has
# only the old wording. Listing it here puts it into our catalog, so registration says it in Chinese.
DJANGO_MESSAGES_MISSING_IN_ZH_HANS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
)
