"""The audit page, for admins: member changes and sign-ins, filtered by AuditFilterForm.

The entries come from drafting/audit_trail.py; this module only checks access, reads the filters and renders.
"""
from django.shortcuts import render

from .. import audit_trail
from ..access import member_passes
from ..forms.members import AuditFilterForm
from ..models import Member


@member_passes(Member.can_see_audit)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_trail.entries(**{key: value for key, value in filters.items() if value})
    return render(request, "drafting/audit/list.html", {"form": form, "entries": entries})
