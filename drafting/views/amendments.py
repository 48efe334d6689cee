"""Amendments in the browser: propose (with a live redline preview), edit, submit, withdraw, review, list.

Views stay short: they fetch with an access check, validate a form and call a model method. The rules
live on `Amendment`; a refused transition comes back as a message (or a 403 when it is about who asked).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import params
from ..access import get_amendment_for, get_clause_for, get_document_for
from ..azerbaijani import sorted_by_name
from ..forms.amendments import FORMS, TEXT_FIELDS, ReviewForm
from ..fragments import LIST_ROW_FIELDS, clause_options, list_rows, text_state
from ..languages import field as field_in
from ..languages import language_label
from ..models import Amendment, NotAllowed, Review, Tag, TransitionError
from ..redo import redo_start, three_way

SHARED_FIELDS = ("rationale",)
# A new amendment is saved as a draft, or submitted at once ("Submit" instead of "Save").
_SAVED_AS = {
    "draft": _("%(label)s saved as draft."),
    "submitted": _("%(label)s saved as submitted."),
}


def _kind(kind, document):
    try:
        kind = Amendment.Kind(kind)
    except ValueError:
        raise Http404("No such kind of amendment.") from None
    if kind == Amendment.Kind.TRANSLATE and not document.translation_language:
        raise Http404("This document has no translation to update.")
    return kind


def _base_from(request, clause):
    """The clause version the drafter saw when the form opened (posted back), else the current one."""
    wanted = params.integer(request.POST.get("base") or request.GET.get("base"))
    if wanted is not None:
        version = clause.history.filter(history_id=wanted).first()
        if version is not None:
            return version
    return clause.history.latest()


def _fields(form):
    # The fields the form has: those of a language the document does not have were taken out, never read.
    names = [n for n in form.fields if n not in ("tags", "cosponsors", "confirm")]
    return {name: form.cleaned_data.get(name) or "" for name in names}


def _choices(form):
    return {"tags": form.cleaned_data.get("tags", ()), "cosponsors": form.cleaned_data.get("cosponsors", ())}


def _render_form(request, form, amendment, clause, base, preview=None, rebasing=False, **extra):
    return render(request, "drafting/amendments/form.html", {
        **extra,
        "document": clause.document, "clause": clause, "form": form, "base": base, "kind": amendment.kind,
        "preview": preview, "draft": amendment, "amendment": amendment if amendment.pk else None,
        "rebasing": rebasing, "affected": amendment.affected_clauses() if amendment.is_remove else (),
    })


def _preview(draft, base, form):
    """Redline pieces for what the drafter typed, against the version they started from; or, when the text
    breaks a rule saving would refuse it for (too long, control characters), those errors and no diff."""
    if draft.is_remove:
        return draft.preview(base)
    data, errors = form.preview()
    if errors:
        return {"errors": errors}
    texts = {language: (data.get(field_in("proposed_heading", language), ""), data.get(field_in("proposed_body", language), ""))
             for language in draft.languages}
    return draft.preview(base, texts=texts)


def _opening_preview(draft, base):
    """On a bilingual document the form opens with a redline per language (the amendment's own text when it is
    edited), so both languages are in view before anything is typed; one language keeps the plain text (in
    English, as it always did), a translation update its translation."""
    if (len(draft.languages) < 2 and not draft.is_translate) or draft.is_insert:
        return None  # a translation update opens on the translation's text, in whichever language it is
    if draft.is_remove:
        return draft.preview(base)
    texts = {language: draft.proposed_in(language) if draft.pk else (
        getattr(base, field_in("heading", language)), getattr(base, field_in("body", language)))
        for language in draft.languages}
    return draft.preview(base, texts=texts)


def _opening_text(base):
    """A rewording or a translation update opens with the clause's text as it reads in `base`."""
    return {name: getattr(base, name.removeprefix("proposed_")) for name in TEXT_FIELDS}


def amendment_new(request, slug, pk, kind):
    clause = get_clause_for(request.member, slug, pk)
    kind = _kind(kind, clause.document)
    if not request.member.can_propose(clause.document):
        raise PermissionDenied(gettext("Only drafters and reviewers of this document can propose amendments."))
    if clause.is_removed:
        messages.error(request, gettext("That clause has been removed; propose against a clause in force."))
        return redirect(clause)
    base = _base_from(request, clause)
    Form = FORMS[kind]
    draft = Amendment(kind=kind, clause=clause, document=clause.document)
    preview = None
    if request.method == "POST":
        form = Form(request.POST, author=request.member, base=base, document=clause.document)
        draft.placement = request.POST.get("placement", "")
        if "preview" in request.POST:
            preview = _preview(draft, base, form)
        elif form.is_valid():
            try:
                amendment = Amendment.start(
                    author=request.member, clause=clause, kind=kind, base=base, submit="submit" in request.POST,
                    **_choices(form), **_fields(form),
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused)) from refused
            except TransitionError as refused:
                form.add_error(None, str(refused))  # nothing was saved; the text stays in the form
            else:
                messages.success(request, _SAVED_AS.get(amendment.state, _SAVED_AS["draft"]) % {"label": amendment.label})
                return redirect(amendment)
    else:
        initial = {}
        if kind in (Amendment.Kind.MODIFY, Amendment.Kind.TRANSLATE):
            initial = _opening_text(base)
        if kind == Amendment.Kind.INSERT:
            initial = {"placement": request.GET.get("placement", Amendment.Placement.AFTER)}
        form = Form(initial=initial, author=request.member, base=base, document=clause.document)
        draft.placement = initial.get("placement", "")
        preview = _opening_preview(draft, base)
    return _render_form(request, form, draft, clause, base, preview)


@require_POST
def amendment_preview(request, slug, pk, kind):
    """htmx: the redline of what is being typed, re-rendered in place as the drafter types."""
    clause = get_clause_for(request.member, slug, pk)
    draft = Amendment(kind=_kind(kind, clause.document), clause=clause, document=clause.document)
    base = _base_from(request, clause)
    form = FORMS[draft.kind](request.POST, author=request.member, base=base, document=clause.document)
    preview = _preview(draft, base, form)
    return render(request, "drafting/amendments/_preview.html", {"preview": preview})


def amendment_edit(request, slug, number):
    amendment = get_amendment_for(request.member, slug, number)
    try:
        amendment.check_editable_by(request.member)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except TransitionError as refused:
        messages.error(request, str(refused))
        return redirect(amendment)
    clause = amendment.clause
    rebasing = amendment.needs_rebase
    base = clause.history.latest() if rebasing else amendment.base
    Form = FORMS[amendment.kind]
    preview = None
    # Read before a posted form writes its values onto the instance: the three-way view shows what was saved.
    rewords = amendment.is_modify or amendment.is_translate
    redo = redo_start(amendment, base) if rebasing and rewords else None
    three = three_way(amendment, base) if redo else None
    three_ways = ([{"language": language, "label": language_label(language), "view": three_way(amendment, base, language)}
                   for language in amendment.languages] if redo and len(amendment.languages) > 1 else None)
    if request.method == "POST":
        form = Form(request.POST, instance=amendment, author=request.member, base=base, document=amendment.document)
        if "preview" in request.POST:
            preview = _preview(amendment, base, form)
        elif form.is_valid():
            try:
                amendment.revise(
                    request.member, fields=_fields(form), edited_at=request.POST.get("edited_at", ""),
                    submit="submit" in request.POST, **_choices(form),
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused)) from refused
            except TransitionError as refused:
                form.add_error(None, str(refused))  # stale, or the submission refused: the text is kept
            else:
                messages.success(request, gettext("%(label)s saved.") % {"label": amendment.label})
                return redirect(amendment)
        # The form's instance now holds the typed values; the page must show the stored amendment's stamp.
        amendment = Amendment.objects.get(pk=amendment.pk)
    else:
        form = Form(instance=amendment, author=request.member, base=base, document=amendment.document)
        preview = None if redo else _opening_preview(amendment, base)
        if redo:
            for language, (heading, body) in redo.texts.items():
                form.initial.update({field_in("proposed_heading", language): heading,
                                     field_in("proposed_body", language): body})
    return _render_form(request, form, amendment, clause, base, preview, rebasing, redo=redo, three_way=three,
                        three_ways=three_ways)


def amendment_detail(request, slug, number, review_form=None):
    amendment = get_amendment_for(request.member, slug, number)
    member = request.member
    context = {
        "document": amendment.document, "amendment": amendment, "clause": amendment.clause,
        **amendment.redlines(),
        "reviews": Review.objects.visible_to(member).filter(amendment=amendment)
        .select_related("reviewer__user").order_by("-round", "created_at"),
        "versions": amendment.history.select_related("history_user__member").order_by("-history_date", "-history_id"),
        "can_review": member.can_review(amendment) and amendment.is_reviewable,
        "is_author": member.pk == amendment.author_id,
        "is_cosponsor": amendment.cosponsors.filter(pk=member.pk).exists(),
        "sponsorship_events": amendment.sponsorship_events.select_related("member__user", "by__user"),
        "review_form": review_form or ReviewForm(initial={"revision": amendment.revision}),
        "affected": amendment.affected_clauses() if amendment.is_remove and amendment.is_open else (),
        "combines": Amendment.objects.visible_to(member).filter(combined_into=amendment)
        .select_related("author__user", "document").order_by("number") if amendment.is_compromise else (),
    }
    return render(request, "drafting/amendments/detail.html", context)


def _transition(request, slug, number, action, done):
    amendment = get_amendment_for(request.member, slug, number)
    try:
        getattr(amendment, action)(request.member)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except TransitionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done % {"label": amendment.label})
    return redirect(amendment)


@require_POST
def amendment_submit(request, slug, number):
    return _transition(request, slug, number, "submit", _("%(label)s submitted for review."))


@require_POST
def amendment_withdraw(request, slug, number):
    return _transition(request, slug, number, "withdraw", _("%(label)s withdrawn."))


@require_POST
def amendment_cosponsor(request, slug, number):
    """Sign on as co-sponsor, or (with action=sign_off) take one's name back."""
    if request.POST.get("action") == "sign_off":
        return _transition(request, slug, number, "sign_off", _("%(label)s no longer carries your name."))
    return _transition(request, slug, number, "sign_on", _("%(label)s now carries your name as co-sponsor."))


@require_POST
def amendment_review(request, slug, number):
    amendment = get_amendment_for(request.member, slug, number)
    if not request.member.can_review(amendment):
        raise PermissionDenied(gettext("Only reviewers who are not its author or co-sponsor can review this amendment."))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return amendment_detail(request, slug, number, review_form=form)
    try:
        state = amendment.review(request.member, form.cleaned_data["decision"], form.cleaned_data["note"],
                                 revision=form.cleaned_data.get("revision"))
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except TransitionError as refused:
        messages.error(request, str(refused))
        return redirect(amendment)
    outcome = {
        Amendment.State.APPLIED: gettext("%(label)s approved and applied: the document now reads as amended."),
        Amendment.State.NEEDS_REBASE: gettext("%(label)s approved, but the clause changed in an overlapping way "
                                              "since it was written: it needs a rebase by its author."),
    }.get(state, gettext("Decision recorded: %(label)s is %(state)s.")) % {
        "label": amendment.label, "state": amendment.get_state_display().lower()}
    (messages.warning if state == Amendment.State.NEEDS_REBASE else messages.success)(request, outcome)
    return redirect(amendment)


def amendment_list(request, slug):
    document = get_document_for(request.member, slug)
    visible = Amendment.objects.visible_to(request.member).filter(document=document)
    amendments = visible.order_by("-number")
    filters = {"state": request.GET.get("state", ""), "clause": request.GET.get("clause", ""),
               "tag": request.GET.get("tag", ""), "author": request.GET.get("author", "")}
    if filters["state"] == "open":
        amendments = amendments.open()
    elif filters["state"] in Amendment.State.values:
        amendments = amendments.filter(state=filters["state"])
    if (clause := params.integer(filters["clause"])) is not None:
        amendments = amendments.filter(clause_id=clause)
    if (tag := params.integer(filters["tag"])) is not None:
        amendments = amendments.filter(tags__id=tag)
    if (author := params.integer(filters["author"])) is not None:
        amendments = amendments.filter(author_id=author)
    # The page's rows as plain values, the keys of their cached fragments; objects only for rows not cached.
    page = Paginator(amendments.values(*LIST_ROW_FIELDS), 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    state = text_state(document)
    authors = sorted_by_name(visible.authors(), lambda m: m.full_name)  # the author filter's, and the rows' names
    rows = list_rows(page.object_list, document, request.member, state, {a.pk: a for a in authors})
    return render(request, "drafting/amendments/list.html", {
        "document": document, "page": page, "rows": rows, "filters": filters, "states": [("open", gettext("open")), *Amendment.State.choices],
        "clause_options": clause_options(visible, state, filters["clause"]),
        "tags": sorted_by_name(Tag.objects.all()), "authors": authors,
        "query": request.GET.copy(),
    })
