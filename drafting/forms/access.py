"""The Access page's form: who is on a document, and in what role there."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DocumentAccess, Member
from .base import InAzerbaijaniOrder, InputRules

OFF = "off"


class MemberChoice(forms.ModelChoiceField):
    iterator = InAzerbaijaniOrder  # names in Azerbaijani alphabetical order


class AccessForm(InputRules, forms.Form):
    """One member's place on a document: a role there, or "off" (taken off; their past work stays theirs)."""

    member = MemberChoice(queryset=Member.objects.active().select_related("user"), label=_("Member"))
    role = forms.ChoiceField(
        choices=[*DocumentAccess.Role.choices, (OFF, _("Not on this document"))], label=_("Role on this document")
    )
