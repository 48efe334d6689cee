"""Amendments in the browser: propose (with a live redline preview), edit, submit, withdraw, review, list.

Views stay short: they fetch with an access check, validate a form and call a model method. The rules
live on `Amendment`; a refused transition comes back as a message (or a 403 when it is about who asked).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import params
from ..access import get_amendment_for, get_clause_for, get_document_for
from ..forms.amendments import FORMS, ReviewForm
from ..models import Amendment, Member, NotAllowed, Tag, TransitionError
from ..rebase import RebaseConflict
from ..redline import redline

SHARED_FIELDS = ("rationale",)


def _kind(kind):
    try:
        return Amendment.Kind(kind)
    except ValueError:
        raise Http404("No such kind of amendment.") from None


def _base_from(request, clause):
    """The clause version the drafter saw when the form opened (posted back), else the current one."""
    wanted = params.integer(request.POST.get("base") or request.GET.get("base"))
    if wanted is not None:
        version = clause.history.filter(history_id=wanted).first()
        if version is not None:
            return version
    return clause.history.latest()


def _fields(form):
    names = [n for n in form.Meta.fields if n not in ("tags", "cosponsors")]
    return {name: form.cleaned_data.get(name) or "" for name in names}


def _preview(kind, base, form):
    """Redline pieces for what the drafter typed, against the version they started from; or, when the text
    breaks a rule saving would refuse it for (too long, control characters), those errors and no diff."""
    if kind == Amendment.Kind.REMOVE:
        return {"heading": redline(base.heading, ""), "body": redline(base.body, "")}
    data, errors = form.preview()
    if errors:
        return {"errors": errors}
    old_heading, old_body = ("", "") if kind == Amendment.Kind.INSERT else (base.heading, base.body)
    return {
        "heading": redline(old_heading, data.get("proposed_heading", "")),
        "body": redline(old_body, data.get("proposed_body", "")),
    }


def amendment_new(request, slug, pk, kind):
    clause = get_clause_for(request.member, slug, pk)
    kind = _kind(kind)
    if not request.member.can_propose():
        raise PermissionDenied("Only active members can propose amendments.")
    if clause.is_removed:
        messages.error(request, "That clause has been removed; propose against a clause in force.")
        return redirect(clause)
    base = _base_from(request, clause)
    Form = FORMS[kind]
    preview = None
    if request.method == "POST":
        form = Form(request.POST, author=request.member, base=base)
        if "preview" in request.POST:
            preview = _preview(kind, base, form)
        elif form.is_valid():
            try:
                amendment = Amendment.start(
                    author=request.member, clause=clause, kind=kind, base=base, **_fields(form)
                )
                amendment.tags.set(form.cleaned_data["tags"])
                amendment.cosponsors.set(form.cleaned_data["cosponsors"])
                if "submit" in request.POST:
                    amendment.submit(request.member)
            except NotAllowed as refused:
                raise PermissionDenied(str(refused)) from refused
            except TransitionError as refused:
                messages.error(request, str(refused))
                return redirect(clause)
            messages.success(request, f"{amendment.label} saved as {amendment.get_state_display().lower()}.")
            return redirect(amendment)
    else:
        initial = {}
        if kind == Amendment.Kind.MODIFY:
            initial = {"proposed_heading": base.heading, "proposed_heading_az": base.heading_az, "proposed_body": base.body}
        if kind == Amendment.Kind.INSERT:
            initial = {"placement": request.GET.get("placement", Amendment.Placement.AFTER)}
        form = Form(initial=initial, author=request.member, base=base)
    draft = Amendment(kind=kind, clause=clause, document=clause.document, placement=form["placement"].value() if "placement" in form.fields else "")
    return render(request, "drafting/amendments/form.html", {
        "document": clause.document, "clause": clause, "form": form, "base": base, "kind": kind,
        "preview": preview, "draft": draft, "affected": draft.affected_clauses() if kind == Amendment.Kind.REMOVE else (),
    })


@require_POST
def amendment_preview(request, slug, pk, kind):
    """htmx: the redline of what is being typed, re-rendered in place as the drafter types."""
    clause = get_clause_for(request.member, slug, pk)
    kind = _kind(kind)
    base = _base_from(request, clause)
    preview = _preview(kind, base, FORMS[kind](request.POST, author=request.member, base=base))
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
    rebasing = amendment.state == Amendment.State.NEEDS_REBASE
    base = clause.history.latest() if rebasing else amendment.base
    Form = FORMS[amendment.kind]
    preview = None
    if request.method == "POST":
        form = Form(request.POST, instance=amendment, author=request.member, base=base)
        if request.POST.get("edited_at") != amendment.updated_at.isoformat():
            form.is_valid()
            form.add_error(None, "This amendment was changed in another window or tab since you opened it. "
                                 "Your text is kept below: check the current version, then save again.")
        elif "preview" in request.POST:
            preview = _preview(amendment.kind, base, form)
        elif form.is_valid():
            amendment = form.save(commit=False)
            if rebasing:
                amendment.rebase_onto_current()
            amendment.save()
            form.save_m2m()
            if "submit" in request.POST:
                try:
                    amendment.submit(request.member)
                except TransitionError as refused:
                    messages.error(request, str(refused))
            messages.success(request, f"{amendment.label} saved.")
            return redirect(amendment)
    else:
        form = Form(instance=amendment, author=request.member, base=base)
        if rebasing and amendment.kind == Amendment.Kind.MODIFY:
            form.initial.update({"proposed_heading": clause.heading, "proposed_body": clause.body})
    return render(request, "drafting/amendments/form.html", {
        "document": amendment.document, "clause": clause, "form": form, "base": base, "kind": amendment.kind,
        "preview": preview, "draft": amendment, "amendment": amendment, "rebasing": rebasing,
        "affected": amendment.affected_clauses() if amendment.kind == Amendment.Kind.REMOVE else (),
    })


def amendment_detail(request, slug, number, review_form=None):
    amendment = get_amendment_for(request.member, slug, number)
    member = request.member
    clause = amendment.clause
    current = clause.history.latest()
    stale = amendment.is_open and not amendment.base_is_current
    context = {
        "document": amendment.document, "amendment": amendment, "clause": clause,
        "against_base": amendment.proposed_redline(),
        "against_current": amendment.proposed_redline(current) if stale else None,
        "stale": stale, "current": current,
        "reviews": amendment.reviews.select_related("reviewer__user").order_by("-round", "created_at"),
        "versions": amendment.history.select_related("history_user__member").order_by("-history_date", "-history_id"),
        "can_review": member.can_review(amendment) and amendment.state in Amendment.REVIEWABLE_STATES,
        "is_author": member.pk == amendment.author_id,
        "is_cosponsor": amendment.cosponsors.filter(pk=member.pk).exists(),
        "review_form": review_form or ReviewForm(),
        "affected": amendment.affected_clauses() if amendment.kind == Amendment.Kind.REMOVE and amendment.is_open else (),
    }
    if stale and amendment.kind == Amendment.Kind.MODIFY and not current.status == "removed":
        try:
            heading, body = amendment.rebase_preview(current)
            context["rebase_preview"] = {"heading": redline(current.heading, heading), "body": redline(current.body, body)}
        except RebaseConflict as conflict:
            context["rebase_conflict"] = str(conflict)
    if amendment.state == Amendment.State.NEEDS_REBASE and amendment.kind == Amendment.Kind.MODIFY:
        context["three_way"] = {
            "base": amendment.base, "current": current,
            "theirs": redline(amendment.base.body, current.body),
            "ours": redline(amendment.base.body, amendment.proposed_body),
        }
    if amendment.state == Amendment.State.APPLIED and amendment.kind == Amendment.Kind.MODIFY:
        context["applied_redline"] = redline(amendment.base.body, amendment.applied_body)
        context["was_rebased"] = amendment.applied_body != amendment.proposed_body
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
        messages.success(request, f"{amendment.label} {done}.")
    return redirect(amendment)


@require_POST
def amendment_submit(request, slug, number):
    return _transition(request, slug, number, "submit", "submitted for review")


@require_POST
def amendment_withdraw(request, slug, number):
    return _transition(request, slug, number, "withdraw", "withdrawn")


@require_POST
def amendment_cosponsor(request, slug, number):
    """Sign on as co-sponsor, or (with action=sign_off) take one's name back."""
    if request.POST.get("action") == "sign_off":
        return _transition(request, slug, number, "sign_off", "no longer carries your name")
    return _transition(request, slug, number, "sign_on", "now carries your name as co-sponsor")


@require_POST
def amendment_review(request, slug, number):
    amendment = get_amendment_for(request.member, slug, number)
    if not request.member.can_review(amendment):
        raise PermissionDenied("Only reviewers who are not its author or co-sponsor can review this amendment.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return amendment_detail(request, slug, number, review_form=form)
    try:
        state = amendment.review(request.member, form.cleaned_data["decision"], form.cleaned_data["note"])
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except TransitionError as refused:
        messages.error(request, str(refused))
        return redirect(amendment)
    outcome = {
        Amendment.State.APPLIED: f"{amendment.label} approved and applied: the document now reads as amended.",
        Amendment.State.NEEDS_REBASE: f"{amendment.label} approved, but the clause changed in an overlapping way "
                                      "since it was written: it needs a rebase by its author.",
    }.get(state, f"Decision recorded: {amendment.label} is {amendment.get_state_display().lower()}.")
    (messages.warning if state == Amendment.State.NEEDS_REBASE else messages.success)(request, outcome)
    return redirect(amendment)


def amendment_list(request, slug):
    document = get_document_for(request.member, slug)
    amendments = (
        Amendment.objects.visible_to(request.member).filter(document=document)
        .select_related("author__user", "clause", "document")
        .prefetch_related("tags").order_by("-number")
    )
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
    page = Paginator(amendments, 50).get_page(request.GET.get("page"))
    return render(request, "drafting/amendments/list.html", {
        "document": document, "page": page, "filters": filters, "states": Amendment.State.choices,
        "clauses": [e for e in document.outline() if not e.clause.is_removed],
        "tags": Tag.objects.all(), "authors": Member.objects.filter(amendments__document=document).distinct(),
        "query": request.GET.copy(),
    })
