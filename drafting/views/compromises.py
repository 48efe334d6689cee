"""Starting a compromise: a reviewer chooses competing amendments on one clause (from the what-if page or the
clause's page), starts from the text with all of them applied or from any one, edits it and submits it.

The rules are `Amendment.start_compromise`'s (drafting/models/compromises.py); this view reads the choice, offers
the starting texts and shows a refusal beside the text, which is kept.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from .. import params
from ..access import get_clause_for
from ..forms.amendments import CompromiseForm
from ..languages import field as field_in
from ..models import Amendment, NotAllowed, StaleEdit, TransitionError
from ..models.compromises import combined_texts
from .amendments import _base_from, _preview

ALL = "all"


def _originals(request, member):
    """The chosen amendments the member may read, in number order; ids of others are simply not found."""
    data = request.POST if request.method == "POST" else request.GET
    ids = {n for n in (params.integer(raw) for raw in data.getlist("original")[:50]) if n is not None}
    found = list(Amendment.objects.visible_to(member).filter(pk__in=ids)
                 .select_related("clause", "base", "document", "author__user").order_by("number"))
    return found, len(found) == len(ids)


def _seen(request):
    """{original id: revision} the form showed (posted back as "id:revision"); unreadable pairs are left out, so
    they count as changed."""
    seen = {}
    for raw in request.POST.getlist("seen")[:50]:
        pk, _colon, revision = raw.partition(":")
        pk, revision = params.integer(pk), params.integer(revision)
        if pk is not None and revision is not None:
            seen[pk] = revision
    return seen


def _starting_texts(originals, source, clause):
    """The form's opening text: all of them applied (or, when they conflict, the first one, and why), or one."""
    chosen = next((o for o in originals if str(o.pk) == source), None)
    conflict = None
    if chosen is None:
        try:
            texts = combined_texts(originals)
        except TransitionError as refused:
            conflict, chosen = str(refused), originals[0]
        else:
            initial = {field_in("proposed_" + name, language): value for language, pair in texts.items()
                       for name, value in zip(("heading", "body"), pair)}
            initial.setdefault("proposed_heading_az", clause.heading_az)
            return initial, ALL, conflict
    initial = {name: getattr(chosen, name) for name in ("proposed_heading", "proposed_heading_az", "proposed_body",
                                                        "proposed_body_az")}
    return initial, str(chosen.pk), conflict


def _refusal(originals, all_found, clause, member):
    """Why these amendments cannot be combined on this clause now (the model's words), or None."""
    try:
        if not all_found:
            raise TransitionError(gettext("One of the chosen amendments cannot be found."))
        Amendment._combinable(originals, member)
        if originals[0].clause_id != clause.pk:
            raise TransitionError(gettext("%(label)s is not on %(clause)s: a compromise combines amendments on one "
                                          "clause.") % {"label": originals[0].label, "clause": clause.label})
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except TransitionError as refused:
        return str(refused)
    return None


def compromise_new(request, slug, pk):
    clause = get_clause_for(request.member, slug, pk)
    document = clause.document
    if not request.member.can_review(document=document):
        raise PermissionDenied(gettext("Only reviewers of this document can start a compromise."))
    originals, all_found = _originals(request, request.member)
    refusal = _refusal(originals, all_found, clause, request.member)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect(clause)
    base = _base_from(request, clause)
    draft = Amendment(kind=Amendment.Kind.MODIFY, clause=clause, document=document)
    preview, conflict = None, None
    source = request.GET.get("from", ALL)
    if request.method == "POST":
        form = CompromiseForm(request.POST, author=request.member, base=base, document=document)
        if refusal:
            form.add_error(None, refusal)  # e.g. another reviewer's compromise took one meanwhile: the text is kept
        elif "preview" in request.POST:
            preview = _preview(draft, base, form)
        elif form.is_valid():
            try:
                compromise = Amendment.start_compromise(
                    starter=request.member, originals=originals, base=base, seen=_seen(request),
                    rationale=form.cleaned_data["rationale"], **form.text_values(),
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused)) from refused
            except (StaleEdit, TransitionError) as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, gettext("%(label)s submitted: it supersedes %(originals)s.") % {
                    "label": compromise.label, "originals": ", ".join(o.label for o in originals)})
                return redirect(compromise)
    else:
        initial, source, conflict = _starting_texts(originals, source, clause)
        form = CompromiseForm(initial=initial, author=request.member, base=base, document=document)
        preview = draft.preview(base, texts={
            language: (initial.get(field_in("proposed_heading", language), ""),
                       initial.get(field_in("proposed_body", language), ""))
            for language in draft.languages})
    return render(request, "drafting/amendments/compromise_form.html", {
        "document": document, "clause": clause, "form": form, "base": base, "originals": originals,
        "source": source, "conflict": conflict, "preview": preview, "draft": draft, "ALL": ALL,
    })
