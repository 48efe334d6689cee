"""Forms for the member list, a member's own profile, and the audit filter.

The forms only shape input; the rules (unique email, known role, one active admin at least) live on Member,
and views attach the ValidationError it raises to the form so the user's input is kept.
"""
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from ..models import Member, SignInEvent
from ..models.members import UNKNOWN_ROLE
from .base import DayField, InputRules


class MemberForm(InputRules, forms.Form):
    """An admin adding or editing a member."""

    full_name = forms.CharField(max_length=200, label=_("Full name"))
    email = forms.EmailField(max_length=150, label=_("Email"))
    agency = forms.CharField(max_length=300, required=False, label=_("Agency"))
    position = forms.CharField(max_length=300, required=False, label=_("Position"))
    role = forms.ChoiceField(choices=Member.Role.choices, error_messages={"invalid_choice": UNKNOWN_ROLE}, label=_("Role"))

    @classmethod
    def for_member(cls, member, data=None):
        initial = {"full_name": member.full_name, "email": member.email, "agency": member.agency,
                   "position": member.position, "role": member.role}
        return cls(data, initial=initial)


class ProfileForm(InputRules, forms.Form):
    """A member editing their own record; the role is not theirs to change."""

    full_name = forms.CharField(max_length=200, label=_("Full name"))
    email = forms.EmailField(max_length=150, label=_("Email"))
    agency = forms.CharField(max_length=300, required=False, label=_("Agency"))
    position = forms.CharField(max_length=300, required=False, label=_("Position"))
    # Not required: a post without it (an older page, a script) keeps the member's choice.
    email_frequency = forms.ChoiceField(choices=Member.EmailFrequency.choices, widget=forms.RadioSelect,
                                        required=False, label=_("Email about activity on your work"))
    # Each language named in itself; blank follows the deployment's default (LANGUAGE_CODE).
    language = forms.ChoiceField(choices=[("", _("The default of this site"))] + list(settings.LANGUAGES),
                                 required=False, label=_("Language of the interface and of your emails"))

    @classmethod
    def for_member(cls, member, data=None):
        initial = {"full_name": member.full_name, "email": member.email, "agency": member.agency,
                   "position": member.position, "email_frequency": member.email_frequency,
                   "language": member.language}
        return cls(data, initial=initial)

    def clean_email_frequency(self):
        return self.cleaned_data["email_frequency"] or self.initial.get("email_frequency", Member.EmailFrequency.IMMEDIATE)


class EmailFrequencyForm(InputRules, forms.Form):
    """The inbox's email choice: each notification at once, a daily or weekly digest, or none."""

    email_frequency = forms.ChoiceField(choices=Member.EmailFrequency.choices, widget=forms.RadioSelect,
                                        label=_("Email about activity on your work"))

    @classmethod
    def for_member(cls, member, data=None):
        return cls(data, initial={"email_frequency": member.email_frequency})


class LanguageForm(InputRules, forms.Form):
    """The header's language switcher: one of the interface languages. (Where to go back to is not a field:
    the view follows it only when it is an address of this site, and otherwise goes home, never refusing.)"""

    language = forms.ChoiceField(choices=settings.LANGUAGES)


class PasswordLinkRequestForm(InputRules, forms.Form):
    email = forms.EmailField(max_length=254, label=_("Email"))


class AuditFilterForm(InputRules, forms.Form):
    MEMBERS = "members"
    KINDS = [("", _("Everything")), (MEMBERS, _("Member changes")), ("access", _("Access to documents")),
             ("exports", _("Exports"))] + list(SignInEvent.Kind.choices)

    kind = forms.ChoiceField(choices=KINDS, required=False, label=_("Kind"))
    who = forms.CharField(required=False, max_length=150, label=_("Name or username"))
    since = DayField(required=False, label=_("Since"))
    until = DayField(required=False, label=_("Until"))


# Django's own account forms, with the same rules on their text as every form of ours.
class SignInForm(InputRules, AuthenticationForm):
    pass


class ChangePasswordForm(InputRules, PasswordChangeForm):
    pass


class ChoosePasswordForm(InputRules, SetPasswordForm):
    pass
