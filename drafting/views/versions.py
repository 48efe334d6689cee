"""Versions of a document: milestones, any version read on its own, two versions compared, and exports.

A point (milestone, date and time, or "now") arrives in the query string as `old` / `new` / `at`; a date typed
in the form's date field (`old_at`, ...) wins over the list. Bad input is answered with the Versions page and
a message saying what to write (status 400), never a traceback; an invalid milestone form is shown again
with its errors, as every form of the app is.
"""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .. import page_cache, params
from ..access import get_document_for
from ..azerbaijani import slugify
from ..comparison import NOW, PointError, compare_versions_at, read_version, resolve_point, resolve_points
from ..exports import disposition, pdf, traced
from ..exports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from ..forms.versions import MilestoneForm, RenameMilestoneForm
from ..fragments import cached_fragment, text_state
from ..languages import BOTH, TEXT_LANGUAGES, reading_choice, reading_languages
from ..line_numbers import LINE_LENGTH, LINES_PER_PAGE, citation, comparison_layout, version_layout
from ..models import Amendment, Milestone


def _raw_point(query, name, default=""):
    return (query.get(f"{name}_at") or "").strip() or query.get(name, default)


def _index(request, document, *, error="", form=None, status=200):
    milestones = list(document.milestones.select_related("created_by"))
    can_set = request.member.can_set_milestones(document)
    return render(request, "drafting/versions/index.html", {
        "document": document, "milestones": milestones, "error": error, "can_set": can_set,
        "form": form or (MilestoneForm(document=document) if can_set else None),
        "old": request.GET.get("old") or (milestones[0].point if milestones else NOW),
        "new": request.GET.get("new") or NOW,
    }, status=status)


def versions(request, slug):
    document = get_document_for(request.member, slug)
    return _index(request, document)


def _document_for_milestones(request, slug):
    # The member's role on this document decides, never their deployment role: a reviewer elsewhere may be a
    # reader here, and a drafter of the deployment may review this document.
    document = get_document_for(request.member, slug)
    if not request.member.can_set_milestones(document):
        raise PermissionDenied(gettext("Only reviewers of this document and admins set milestones."))
    return document


@require_POST
def milestone_create(request, slug):
    document = _document_for_milestones(request, slug)
    form = MilestoneForm(request.POST, document=document)
    if not form.is_valid():
        return _index(request, document, form=form)
    form.instance.created_by = request.member
    milestone = form.save()
    messages.success(request, gettext("Milestone “%(name)s” set.") % {"name": milestone.name})
    return redirect("versions", document.slug)


@require_POST
def milestone_rename(request, slug, pk):
    document = _document_for_milestones(request, slug)
    milestone = get_object_or_404(Milestone, document=document, pk=pk)
    old_name = milestone.name
    form = RenameMilestoneForm(request.POST, instance=milestone)
    if not form.is_valid():
        return _index(request, document, error=gettext("Could not rename “%(name)s”: %(error)s")
                      % {"name": old_name, "error": form.errors["name"][0]})
    form.save()
    messages.success(request, gettext("Milestone “%(old)s” renamed to “%(new)s”.") % {"old": old_name, "new": milestone.name})
    return redirect("versions", document.slug)


def _points(request, document):
    first = document.milestones.order_by("moment", "pk").first()
    old = _raw_point(request.GET, "old", first.point if first else NOW)
    return resolve_points(document, old, _raw_point(request.GET, "new", NOW))


def _comparison(request, document):
    return compare_versions_at(document, *_points(request, document))


def _language_options(request, document, choice):
    """[(choice, name, this page's address with it, chosen?)] for a bilingual document's language switch."""
    if len(document.languages) < 2:
        return []
    names = dict(TEXT_LANGUAGES)
    options = [(code, names[code]) for code in document.languages] + [(BOTH, gettext("Both languages"))]
    links = []
    for code, name in options:
        query = request.GET.copy()
        query["text"] = code
        links.append((code, name, f"?{query.urlencode()}", code == choice))
    return links


def compare(request, slug):
    document = get_document_for(request.member, slug)
    # The text at two points, named by milestones; the applied amendments it names are fixed (their authors'
    # names are the members' state): an open amendment or a comment leaves the page as it was.
    return page_cache.serve(request, "compare", document, lambda: _compare(request, document), [page_cache.MILESTONES])


def _compare(request, document):
    side_by_side = request.GET.get("view") == "side"
    changes_only = request.GET.get("show") == "changes"
    choice = reading_choice(request, document)
    languages = reading_languages(choice, document)
    secondary = traced.secondary_language(document)
    names = dict(TEXT_LANGUAGES)
    worked_out = {}
    try:
        old, new = _points(request, document)

        def context():
            if "comparison" not in worked_out:
                comparison = compare_versions_at(document, old, new)
                worked_out["comparison"] = {
                    "document": document, "comparison": comparison, "side_by_side": side_by_side,
                    "changes_only": changes_only, "rows": comparison.changes if changes_only else comparison.rows,
                    "old": old, "new": new, "languages": languages, "secondary": secondary,
                    "language_names": [(code, names[code]) for code in languages],
                }
            return worked_out["comparison"]

        # The comparison reads the same for every member (it names only applied amendments): its key is the
        # text at both points, the points as named on the page, and the view's options; not the moment of
        # "now", which the fragments do not show. Worked out only on a miss.
        points = [text_state(document, old.moment), text_state(document, new.moment),
                  old.raw, old.label, new.raw, new.label]
        title_html = cached_fragment("compare-title", points, "drafting/versions/_comparison_title.html", context)
        # The languages shown are part of the key: each choice is its own fragment, none ever invalidated.
        comparison_html = cached_fragment("compare", [*points, side_by_side, changes_only, *languages, secondary],
                                          "drafting/versions/_comparison.html", context)
    except PointError as error:
        return _index(request, document, error=str(error), status=400)
    with_lines = request.GET.get("lines") == "on"
    lines_language = _lines_language(request, document)
    return render(request, "drafting/versions/compare.html", {
        "with_lines": with_lines, "lines_language": lines_language, "line_length": LINE_LENGTH,
        "lines_per_page": LINES_PER_PAGE,
        # The same lines as the PDF's: laid out from the same comparison (the fragments above hold HTML).
        "layout": comparison_layout(_comparison(request, document), lines_language, gettext("Text not yet entered."))
        if with_lines else None,
        "document": document, "old": old, "new": new, "side_by_side": side_by_side, "changes_only": changes_only,
        "title_html": title_html, "comparison_html": comparison_html, "choice": choice,
        "language_options": _language_options(request, document, choice),
        "word_languages": [(code, names[code]) for code in document.languages] if len(document.languages) > 1 else [],
    })


def _version(request, document):
    point = resolve_point(document, _raw_point(request.GET, "at", NOW))
    return read_version(document, point)


def _lines_language(request, document):
    """The one language a text with line numbers is laid out in: `?text=az|en`, else the reader's choice when
    it is one language, else the authoritative one (lines differ from language to language)."""
    asked = request.GET.get("text")
    if asked in document.languages:
        return asked
    choice = reading_choice(request, document)
    return choice if choice in document.languages else document.authoritative_language


def read(request, slug):
    document = get_document_for(request.member, slug)
    try:
        version = _version(request, document)
    except PointError as error:
        return _index(request, document, error=str(error), status=400)
    with_lines = request.GET.get("lines") == "on"
    language = _lines_language(request, document)
    return render(request, "drafting/versions/read.html", {
        "document": document, "version": version, "with_lines": with_lines, "language": language,
        "layout": version_layout(version, language, gettext("Text not yet entered.")) if with_lines else None,
        "line_length": LINE_LENGTH, "lines_per_page": LINES_PER_PAGE,
    })


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_languages(request, document):
    """The text languages an export holds: `?text=az|en` one of the document's languages, `?text=both` all of
    them (a bilingual document), anything else the authoritative one. Returns (languages, name suffix)."""
    asked = request.GET.get("text")
    if len(document.languages) < 2:
        return [document.authoritative_language], ""
    if asked == BOTH:
        return document.languages, f"-{BOTH}"
    language = asked if asked in document.languages else document.authoritative_language
    return [language], f"-{language}"


def _described(languages):
    """How the audit names an export of some of a document's languages: "Azerbaijani, English: {what}"."""
    names = dict(TEXT_LANGUAGES)
    return f"{', '.join(str(names[code]) for code in languages)}: {{what}}"


def export_docx(request, slug):
    document = get_document_for(request.member, slug)
    try:
        comparison = _comparison(request, document)
    except PointError as error:
        return _index(request, document, error=str(error), status=400)
    languages, suffix = _export_languages(request, document)
    name = f"{document.slug}-{slugify(comparison.old.point.label)}-to-{slugify(comparison.new.point.label)}{suffix}"
    content = traced.word_comparison(
        request.member, document, comparison, languages=languages,
        described=_described(languages) if suffix else None,
    )
    return _attachment(content, DOCX_CONTENT_TYPE, f"{name}.docx")


def export_markdown(request, slug):
    document = get_document_for(request.member, slug)
    try:
        version = _version(request, document)
    except PointError as error:
        return _index(request, document, error=str(error), status=400)
    # A bilingual document's file holds both languages unless one is asked for (?text=az): the importer reads
    # either back (a file in the translation language alone updates the translation).
    languages, suffix = _export_languages(request, document)
    if request.GET.get("text") not in document.languages or len(document.languages) < 2:
        languages, suffix = None, ""
    filename = f"{document.slug}-{slugify(version.point.label)}{suffix}.md"
    content = traced.markdown(request.member, document, version, languages=languages,
                              described=_described(languages) if suffix else None)
    return _attachment(content, "text/markdown; charset=utf-8", filename)


def export_version_docx(request, slug):
    document = get_document_for(request.member, slug)
    try:
        version = _version(request, document)
    except PointError as error:
        return _index(request, document, error=str(error), status=400)
    languages, suffix = _export_languages(request, document)
    language = languages[0] if len(languages) == 1 else document.authoritative_language
    filename = f"{document.slug}-{slugify(version.point.label)}{suffix if len(languages) == 1 else ''}.docx"
    return _attachment(traced.word_version(request.member, document, version, language), DOCX_CONTENT_TYPE, filename)


def disposition_csv(request, slug):
    document = get_document_for(request.member, slug)
    return _attachment(traced.disposition_csv(request.member, document), disposition.CSV_CONTENT_TYPE,
                       f"{document.slug}-disposition.csv")


def disposition_xlsx(request, slug):
    document = get_document_for(request.member, slug)
    return _attachment(traced.disposition_xlsx(request.member, document), disposition.XLSX_CONTENT_TYPE,
                       f"{document.slug}-disposition.xlsx")


def _pdf(content, filename):
    return _attachment(content, pdf.CONTENT_TYPE, filename)


def _lines_pdf(request, document, layout, title, filename, language):
    """The PDF of a text with line numbers; one longer than PDF_MAX_PAGES is offered in parts (`?part=N`), each
    numbered as the whole, so a request's work stays bounded."""
    parts = layout.parts(settings.PDF_MAX_PAGES)
    if len(parts) == 1:
        part = parts[0]
    elif (number := params.integer(request.GET.get("part", ""), maximum=len(parts))) and number >= 1:
        part = parts[number - 1]
        filename += f"-pages-{part[0]}-{part[1]}"
    else:
        query = request.GET.copy()
        links = []
        for number, (first, last, _pages) in enumerate(parts, start=1):
            query["part"] = number
            links.append((first, last, f"?{query.urlencode()}"))
        return render(request, "drafting/versions/pdf_parts.html", {
            "document": document, "title": title, "links": links, "pages": len(layout.pages),
            "max_pages": settings.PDF_MAX_PAGES})
    return _pdf(traced.lines_pdf(request.member, document, title, language, part), f"{filename}.pdf")


def read_pdf(request, slug):
    document = get_document_for(request.member, slug)
    try:
        version = _version(request, document)
    except PointError as error:
        return _index(request, document, error=str(error), status=400)
    language = _lines_language(request, document)
    layout = version_layout(version, language, gettext("Text not yet entered."))
    return _lines_pdf(request, document, layout, version.point.label,
                      f"{document.slug}-{slugify(version.point.label)}-{language}", language)


def compare_pdf(request, slug):
    document = get_document_for(request.member, slug)
    try:
        comparison = _comparison(request, document)
    except PointError as error:
        return _index(request, document, error=str(error), status=400)
    language = _lines_language(request, document)
    layout = comparison_layout(comparison, language, gettext("Text not yet entered."))
    title = f"{comparison.old.point.label} → {comparison.new.point.label} · {comparison.numbering_statement}"
    name = f"{document.slug}-{slugify(comparison.old.point.label)}-to-{slugify(comparison.new.point.label)}-{language}"
    return _lines_pdf(request, document, layout, title, name, language)


def amendments_pdf(request, slug):
    """The amendments the member may read, each open one with the page and lines it changes in the current
    text as the current text's PDF numbers them."""
    document = get_document_for(request.member, slug)
    language = _lines_language(request, document)
    layout = version_layout(read_version(document, resolve_point(document, NOW)), language,
                            gettext("Text not yet entered."))
    amendments = (Amendment.objects.visible_to(request.member).filter(document=document)
                  .select_related("author", "clause", "result_clause").order_by("number"))
    amendments = list(amendments)
    for amendment in amendments:
        amendment.document = document  # read by each provisional label: no query per row
    Amendment.number_insertions(amendments)
    rows = [(amendment, disposition.clause_label(amendment),
             citation(amendment, layout, language) if amendment.is_open else None) for amendment in amendments]
    content = traced.amendments_pdf(request.member, document, rows, language, gettext("Amendments"))
    return _pdf(content, f"{document.slug}-amendments-{language}.pdf")


def disposition_pdf(request, slug):
    document = get_document_for(request.member, slug)
    content = traced.disposition_pdf(request.member, document, gettext("Disposition of amendments"))
    return _pdf(content, f"{document.slug}-disposition.pdf")
