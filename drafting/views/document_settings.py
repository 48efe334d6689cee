"""Document settings (the quorum) and the topic-tag list: admins change them, every member reads them."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from ..access import get_document_for
from ..forms.amendments import QuorumForm, TagForm
from ..models import Tag


def document_settings(request, slug):
    document = get_document_for(request.member, slug)
    can_change = request.member.can_manage_documents()
    form = QuorumForm(initial={"quorum": document.quorum})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only admins change document settings.")
        form = QuorumForm(request.POST)
        if form.is_valid():
            document.quorum = form.cleaned_data["quorum"]
            document._change_reason = "quorum changed"
            document.save()
            messages.success(request, f"Amendments to {document} now need {document.quorum} approval(s).")
            return redirect("document_settings", slug=document.slug)
    return render(request, "drafting/documents/settings.html", {"document": document, "form": form, "can_change": can_change})


def tag_list(request):
    if request.member is None:
        raise PermissionDenied
    can_change = request.member.can_manage_documents()
    form = TagForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only admins manage the topic tags.")
        form = TagForm(request.POST)
        if form.is_valid():
            tag = form.save()
            messages.success(request, f'Tag "{tag}" added.')
            return redirect("tag_list")
    return render(request, "drafting/tags/list.html", {"tags": Tag.objects.all(), "form": form, "can_change": can_change})
