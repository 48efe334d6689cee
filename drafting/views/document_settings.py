"""Document settings (the quorum, the marking) and the topic-tag list: admins change them, every member reads them."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext

from ..access import get_document_for
from ..azerbaijani import sorted_by_name
from ..forms.amendments import QuorumForm, TagForm
from ..models import Tag


def document_settings(request, slug):
    document = get_document_for(request.member, slug)
    can_change = request.member.can_manage_documents()
    form = QuorumForm(initial={"quorum": document.quorum, "marking": document.marking},
                      current_marking=document.marking)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(gettext("Only admins change document settings."))
        form = QuorumForm(request.POST, current_marking=document.marking)
        if form.is_valid():
            changed = [name for name in ("quorum", "marking") if form.cleaned_data[name] != getattr(document, name)]
            if changed:  # every save writes a history row
                document.quorum, document.marking = form.cleaned_data["quorum"], form.cleaned_data["marking"]
                document._change_reason = " and ".join(f"{name} changed" for name in changed)
                document.save()
            quorum = ngettext("Amendments to %(document)s now need %(count)d approval.",
                              "Amendments to %(document)s now need %(count)d approvals.", document.quorum)
            marking = (gettext("Marking: %(marking)s.") % {"marking": gettext(document.marking)} if document.marking
                       else gettext("No marking."))
            messages.success(request, " ".join([quorum % {"document": document, "count": document.quorum}, marking]))
            return redirect("document_settings", slug=document.slug)
    return render(request, "drafting/documents/settings.html", {"document": document, "form": form, "can_change": can_change})


def tag_list(request):
    if request.member is None:
        raise PermissionDenied
    can_change = request.member.can_manage_documents()
    form = TagForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(gettext("Only admins manage the topic tags."))
        form = TagForm(request.POST)
        if form.is_valid():
            tag = form.save()
            messages.success(request, gettext('Tag "%(tag)s" added.') % {"tag": tag})
            return redirect("tag_list")
    return render(request, "drafting/tags/list.html",
                  {"tags": sorted_by_name(Tag.objects.all()), "form": form, "can_change": can_change})
