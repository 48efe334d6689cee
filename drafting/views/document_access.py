"""A document's Access page: admins decide who is on the document and in what role (issue 12, need-to-know)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ..access import get_document_for
from ..azerbaijani import sorted_by_name
from ..forms.access import OFF, AccessForm
from ..models import DocumentAccess


def document_access(request, slug):
    document = get_document_for(request.member, slug)
    if not request.member.can_manage_documents():
        raise PermissionDenied(gettext("Only admins decide who is on a document."))
    form = AccessForm()
    if request.method == "POST":
        form = AccessForm(request.POST)
        if form.is_valid():
            member, role = form.cleaned_data["member"], form.cleaned_data["role"]
            try:
                if role == OFF:
                    DocumentAccess.revoke(document, member, by=request.member)
                    messages.success(request, gettext("%(name)s is no longer on %(document)s; their work stays.")
                                     % {"name": member.full_name, "document": document})
                else:
                    row = DocumentAccess.grant(document, member, role, by=request.member)
                    messages.success(request, gettext("%(name)s is on %(document)s as %(role)s.") % {
                        "name": member.full_name, "document": document, "role": row.get_role_display().lower()})
            except ValidationError as refused:
                messages.error(request, " ".join(refused.messages))
            return redirect("document_access", slug=document.slug)
    rows = sorted_by_name(document.access.select_related("member__user"), lambda row: row.member.full_name)
    return render(request, "drafting/documents/access.html", {
        "document": document, "rows": rows, "form": form, "roles": AccessForm.base_fields["role"].choices,
    })
