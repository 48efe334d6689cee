"""A document's Work page: what awaits each member (drafting/work.py), and its rapporteurs, assigned and ended
here by the document's reviewers and admins (drafting/models/rapporteurs.py)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from .. import params
from ..access import get_document_for
from ..forms.rapporteurs import RapporteurForm
from ..models import NotAllowed, Rapporteur, TransitionError
from ..work import document_members, work_on


def _page(request, document, *, form=None, status=200):
    members = document_members(document)
    chosen = params.integer(request.GET.get("member"))
    if chosen is not None and chosen not in {m.pk for m in members} and chosen != request.member.pk:
        messages.info(request, gettext("That member is not on this document: everyone's work is shown."))
        chosen = None
    work, assignments = work_on(document, request.member, only=chosen)
    can_assign = request.member.can_assign_rapporteurs(document)
    return render(request, "drafting/work/index.html", {
        "document": document, "work": work, "assignments": assignments, "members": members, "chosen": chosen,
        "can_assign": can_assign, "form": form or (RapporteurForm(document=document) if can_assign else None),
    }, status=status)


@require_safe
def document_work(request, slug):
    return _page(request, get_document_for(request.member, slug))


def _for_assigning(request, slug):
    document = get_document_for(request.member, slug)
    if not request.member.can_assign_rapporteurs(document):
        raise PermissionDenied(gettext("Only reviewers of this document and admins assign rapporteurs."))
    return document


@require_POST
def rapporteur_assign(request, slug):
    document = _for_assigning(request, slug)
    posted = params.integer(request.POST.get("clause"))
    shown = document.clauses.filter(pk=posted).first() if posted is not None else None
    form = RapporteurForm(request.POST, document=document, clause=shown)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = Rapporteur.assign(clause=data["clause"], member=data["member"], due_date=data["due_date"],
                                           by=request.member)
        except NotAllowed as refused:
            raise PermissionDenied(str(refused)) from None
        except TransitionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, gettext("%(member)s is rapporteur for %(clause)s, due %(date)s.") % {
                "member": assignment.member.full_name, "clause": assignment.clause.label,
                "date": date_format(assignment.due_date, "DATE_FORMAT")})
            return redirect("document_work", document.slug)
    return _page(request, document, form=form)


@require_POST
def rapporteur_end(request, slug, pk):
    document = _for_assigning(request, slug)
    assignment = get_object_or_404(Rapporteur.objects.select_related("clause", "member"), document=document, pk=pk)
    try:
        assignment.end(request.member)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from None
    except TransitionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("%(member)s is no longer rapporteur for %(clause)s; their open review "
                                          "requests there are cancelled.")
                         % {"member": assignment.member.full_name, "clause": assignment.clause.label})
    return redirect("document_work", document.slug)
