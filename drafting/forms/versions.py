"""Forms for the Versions page: setting and renaming milestones.

A milestone marks a moment that has happened, after the document existed, under a name unique within the
document (compared without regard to case).
"""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..azerbaijani import casefold
from ..models import Milestone
from .base import InputRules


class MilestoneForm(InputRules, forms.ModelForm):
    moment = forms.DateTimeField(
        required=False, label=_("Moment"), help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Milestone
        fields = ["name", "moment", "note"]
        labels = {"name": _("Name"), "note": _("Note")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.document = document

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        # Compared in Python: the database's case-insensitive match ignores İ/i and I/ı (and, on SQLite, every
        # letter outside ASCII), so "İlkin layihə" and "ilkin LAYİHƏ" would both be allowed.
        others = Milestone.objects.filter(document=self.instance.document).exclude(pk=self.instance.pk)
        if any(casefold(other) == casefold(name) for other in others.values_list("name", flat=True)):
            raise forms.ValidationError(_("This document already has a milestone with that name."))
        return name

    def clean_moment(self):
        moment = self.cleaned_data.get("moment") or timezone.now()
        if moment > timezone.now():
            raise forms.ValidationError(_("A milestone marks a moment that has happened; choose a past moment or now."))
        if moment < self.instance.document.created_at:
            raise forms.ValidationError(_("The document did not exist yet at that moment."))
        return moment


class RenameMilestoneForm(InputRules, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name"]
        labels = {"name": _("Name")}

    clean_name = MilestoneForm.clean_name
