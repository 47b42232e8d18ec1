from django import forms
from django.utils.translation import gettext_lazy as _


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

