"""Document settings (the quorum, the marking, the languages, the numbering) and the topic-tag list: admins change them, every member reads them."""
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
    setting_names = ("quorum", "marking", *QuorumForm.LANGUAGE_FIELDS, "numbering")
    form = QuorumForm(initial={name: getattr(document, name) for name in setting_names},
                      current_marking=document.marking)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(gettext("Only admins change document settings."))
        form = QuorumForm(request.POST, current_marking=document.marking,
                          current_languages=(document.authoritative_language, document.translation_language),
                          current_numbering=document.numbering)
        if form.is_valid():
            changed = document.change_settings({name: form.cleaned_data[name] for name in setting_names},
                                               user=request.user)
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
            said = [quorum % {"document": document, "count": document.quorum}, marking, languages]
            if "numbering" in changed:
                said.append(gettext("Numbers kept from now on: a removed clause keeps its number, an inserted one "
                                    "takes a derived number.") if document.keeps_numbers
                            else gettext("The document has been renumbered as a new edition."))
            messages.success(request, " ".join(said))
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
