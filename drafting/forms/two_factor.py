"""Forms of two-factor sign-in: a code from the app (or a backup code), and confirmations of a single action."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .base import InputRules


class CodeForm(InputRules, forms.Form):
    # A backup code is eight letters; an app code six digits (spaces, as apps show them, are ignored).
    code = forms.CharField(max_length=20, label=_("Code"), widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off", "spellcheck": "false",
        "autofocus": True}))


class ConfirmForm(InputRules, forms.Form):
    """A button with nothing to fill in (replace backup codes, sign a session out): the form is the CSRF check."""
