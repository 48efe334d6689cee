"""Document settings (the quorum, the marking) and the topic-tag list: admins change them, every member reads them."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext

from ..access import get_document_for
from ..azerbaijani import sorted_by_name
from ..forms.amendments import QuorumForm, TagForm
from ..languages import TEXT_LANGUAGES
from ..models import Tag


def document_settings(request, slug):
    document = get_document_for(request.member, slug)
    can_change = request.member.can_manage_documents()
    setting_names = ("quorum", "marking", *QuorumForm.LANGUAGE_FIELDS)
    form = QuorumForm(initial={name: getattr(document, name) for name in setting_names},
                      current_marking=document.marking)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(gettext("Only admins change document settings."))
        form = QuorumForm(request.POST, current_marking=document.marking,
                          current_languages=(document.authoritative_language, document.translation_language))
        if form.is_valid():
            changed = [name for name in setting_names if form.cleaned_data[name] != getattr(document, name)]
            if changed:  # every save writes a history row
                for name in changed:
                    setattr(document, name, form.cleaned_data[name])
                # "authoritative language changed": the history names fields as people say them.
                document._change_reason = " and ".join(f"{name.replace('_', ' ')} changed" for name in changed)
                document.save()
            quorum = ngettext("Amendments to %(document)s now need %(count)d approval.",
                              "Amendments to %(document)s now need %(count)d approvals.", document.quorum)
            marking = (gettext("Marking: %(marking)s.") % {"marking": gettext(document.marking)} if document.marking
                       else gettext("No marking."))
            names = dict(TEXT_LANGUAGES)
            languages = (gettext("Text: %(language)s; translation: %(translation)s.") % {
                "language": names[document.authoritative_language],
                "translation": names[document.translation_language]} if document.translation_language
                else gettext("Text: %(language)s; no translation.") % {
                    "language": names[document.authoritative_language]})
            messages.success(request, " ".join([quorum % {"document": document, "count": document.quorum}, marking,
                                                languages]))
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
