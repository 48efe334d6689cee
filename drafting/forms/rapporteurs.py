"""The form that names a rapporteur for a section or clause (drafting/models/rapporteurs.py)."""
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import params
from ..models import Clause, DocumentAccess, Member, TransitionError
from ..models.rapporteurs import check_due_date
from .access import MemberChoice
from .base import DayField, InputRules


class RapporteurForm(InputRules, forms.Form):
    """A clause of this document (the Work page offers its sections, a clause's page that clause), one of its
    reviewers (or an admin), and a due date from today to five years ahead."""

    clause = forms.CharField(label=_("Section or clause"))
    member = MemberChoice(queryset=Member.objects.none(), label=_("Rapporteur"),
                          help_text=_("A reviewer of this document: the rapporteur reviews its amendments."))
    due_date = DayField(label=_("Due date"))

    def __init__(self, *args, document, clause=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        reviewers = DocumentAccess.objects.filter(document=document, role=DocumentAccess.Role.REVIEWER)
        self.fields["member"].queryset = Member.objects.active().filter(
            Q(pk__in=reviewers.values("member_id")) | Q(role=Member.Role.ADMIN)).select_related("user")
        # The sections (top-level clauses in force), and the clause whose page the form is on.
        choices = [(str(c.pk), c.label) for c in document.clauses.filter(parent__isnull=True, status=Clause.Status.IN_FORCE)
                   .order_by("position", "pk")]
        if clause is not None and str(clause.pk) not in dict(choices):
            choices.insert(0, (str(clause.pk), clause.label))
        self.clause_choices = choices  # written out by the template (drafting/work/_assign.html)
        if clause is not None:
            self.initial.setdefault("clause", str(clause.pk))

    def clean_clause(self):
        pk = params.integer(self.cleaned_data["clause"])
        clause = self.document.clauses.filter(pk=pk).first() if pk is not None else None
        if clause is None:
            raise ValidationError(gettext("Choose a section or clause of this document."), code="other_document")
        if clause.is_removed:
            raise ValidationError(gettext("That clause has been removed; choose a clause in force."), code="removed")
        clause.document = self.document
        return clause

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        try:
            check_due_date(value)
        except TransitionError as refused:
            raise ValidationError(str(refused), code="due_date") from None
        return value
