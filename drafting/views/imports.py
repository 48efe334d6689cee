"""Word files in: official texts imported by admins, and agencies' tracked changes as draft amendments.

Official texts, admins only: upload a .docx, read the preview (the outline as read, every warning
beside its clause and, for an existing document, the comparison with its current text), then confirm. Nothing is
written before the confirmation; the file waits on the server in between (drafting/held_files.py)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext

from .. import held_files
from ..access import get_document_for, member_passes
from ..forms.imports import ConfirmForm, WordFileForm
from ..importer import ImportRefused, import_document, rehearse, slug_for
from ..languages import AZ, EN
from ..models import Document, Member
from ..models.amendments import NotAllowed, TransitionError
from ..odt_import import read_office_file
from ..tracked_changes import read_tracked_changes, start_amendments
from ..word_import import WordRefused

NEW_DOCUMENT_LANGUAGES = [AZ, EN]


@member_passes(Member.can_manage_documents)
def word_import_new(request):
    return _word_import(request, None)


def word_import(request, slug):
    document = get_document_for(request.member, slug)
    if not request.member.can_manage_documents():
        raise PermissionDenied(gettext("Only admins import official texts."))
    return _word_import(request, document)


def _languages(document):
    return NEW_DOCUMENT_LANGUAGES if document is None else document.languages


def _numbering(document):
    """The policy a file is read under: the document's (a new document is numbered by place)."""
    return document.numbering if document is not None else ""


def _page(request, document, form, **context):
    return render(request, "drafting/imports/word.html", {
        "document": document, "form": form, "limit_mb": round(held_files.read_limit() / (1024 * 1024), 1), **context})


def _word_import(request, document):
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, document)
    form = WordFileForm(request.POST or None, request.FILES or None, languages=_languages(document))
    if request.method != "POST" or not form.is_valid():
        return _page(request, document, form)
    upload = form.cleaned_data["file"]
    language = form.cleaned_data.get("language") or _languages(document)[0]
    data = upload.read(held_files.read_limit() + 1)
    try:
        read = read_office_file(data, language=language, name=upload.name, numbering=_numbering(document))
    except WordRefused as refused:
        form.add_error("file", str(refused))
        return _page(request, document, form)
    comparison_html = ""
    if document is not None:
        try:
            comparison_html = rehearse(read.parsed, document=document, user=request.user, then=lambda comparison: (
                render_to_string("drafting/versions/_comparison.html", _comparison_context(document, comparison))))
        except ImportRefused as refused:
            form.add_error("file", " ".join(refused.problems))
            return _page(request, document, form)
    token = held_files.hold(request, data, name=upload.name, language=language,
                            document=document.pk if document else None)
    return _page(request, document, form, read=read, outline=read.outline(), name=upload.name,
                 comparison_html=comparison_html, confirm=ConfirmForm(initial={"token": token}))


def _comparison_context(document, comparison):
    return {"document": document, "comparison": comparison, "rows": comparison.rows, "old": comparison.old.point,
            "new": comparison.new.point, "languages": [document.authoritative_language], "side_by_side": False,
            "changes_only": False, "secondary": ""}


def _confirm(request, document):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _page(request, document, WordFileForm(languages=_languages(document)),
                     refusal=" ".join(form.errors.get("token", [])))
    held = held_files.take(request, form.cleaned_data["token"])
    if held is None or held[1]["document"] != (document.pk if document else None):
        return _page(request, document, WordFileForm(languages=_languages(document)), refusal=gettext(
            "This preview has expired or was not made in this session: upload the file again. Nothing was imported."))
    data, about = held
    try:
        read = read_office_file(data, language=about["language"], name=about["name"],
                                numbering=_numbering(document))
        document, counts = import_document(
            read.parsed, user=request.user, reason=f"imported from {about['name']}", document=document,
            slug=None if document else _free_slug(read.parsed))
    except (WordRefused, ImportRefused, IntegrityError) as refused:
        problems = getattr(refused, "problems", None) or [str(refused)]
        return _page(request, document, WordFileForm(languages=_languages(document)), refusal=" ".join(problems))
    held_files.release(request, form.cleaned_data["token"])
    messages.success(request, gettext("%(file)s imported into %(document)s: %(created)s clauses added, %(changed)s "
                                      "changed, %(removed)s removed.") % {
        "file": about["name"], "document": document, **counts})
    return redirect(document.get_absolute_url())


def _free_slug(parsed):
    """The new document's slug from its title; a number after it when that slug is taken."""
    base = slug_for(parsed)[:95] or "document"
    slug, n = base, 1
    while slug == "import" or Document.objects.filter(slug=slug).exists():  # /d/import/ is this page
        n += 1
        slug = f"{base}-{n}"
    return slug


def tracked_changes(request, slug):
    """An edited Word export of a version, uploaded by a member who may propose: its changes shown as the draft
    amendments they would become, then created with one confirmation."""
    document = get_document_for(request.member, slug)
    if not request.member.can_propose(document):
        raise PermissionDenied(gettext("Only drafters and reviewers of this document can propose amendments."))
    if request.method == "POST" and "token" in request.POST:
        return _confirm_tracked(request, document)
    form = WordFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _tracked_page(request, document, form)
    upload = form.cleaned_data["file"]
    data = upload.read(held_files.read_limit() + 1)
    try:
        proposals = read_tracked_changes(data, document, file_name=upload.name)
    except WordRefused as refused:
        form.add_error("file", str(refused))
        return _tracked_page(request, document, form)
    token = held_files.hold(request, data, name=upload.name, tracked=document.pk) if proposals else ""
    return _tracked_page(request, document, form, proposals=proposals, name=upload.name,
                         confirm=ConfirmForm(initial={"token": token}) if token else None,
                         can_start=any(not p.problem for p in proposals))


def _tracked_page(request, document, form, **context):
    return render(request, "drafting/imports/tracked_changes.html", {
        "document": document, "form": form, "limit_mb": round(held_files.read_limit() / (1024 * 1024), 1),
        **context})


def _confirm_tracked(request, document):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _tracked_page(request, document, WordFileForm(), refusal=" ".join(form.errors.get("token", [])))
    held = held_files.take(request, form.cleaned_data["token"])
    if held is None or held[1].get("tracked") != document.pk:
        return _tracked_page(request, document, WordFileForm(), refusal=gettext(
            "This preview has expired or was not made in this session: upload the file again. No amendment was "
            "created."))
    data, about = held
    try:
        proposals = read_tracked_changes(data, document, file_name=about["name"])
        made = start_amendments(proposals, author=request.member, document=document)
    except NotAllowed as refused:  # before TransitionError, of which it is a kind
        raise PermissionDenied(str(refused)) from refused
    except (WordRefused, TransitionError) as refused:
        return _tracked_page(request, document, WordFileForm(), refusal=str(refused))
    held_files.release(request, form.cleaned_data["token"])
    messages.success(request, ngettext("%(count)s draft amendment created from %(file)s.",
                                       "%(count)s draft amendments created from %(file)s.", len(made))
                     % {"count": len(made), "file": about["name"]})
    return redirect("amendment_list", document.slug)
