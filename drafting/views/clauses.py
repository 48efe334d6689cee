"""A clause's page: its text, every version with who made it and why, and a redline between any two."""
from django.shortcuts import render

from .. import params
from ..access import get_clause_for
from ..models import Amendment
from ..redline import redline


def _pick(versions, raw, default):
    """The version named in the query string, or `default` if absent or not one of this clause's."""
    wanted = params.integer(raw)
    return next((v for v in versions if v.history_id == wanted), default)


def clause_detail(request, slug, pk):
    clause = get_clause_for(request.member, slug, pk)
    versions = list(clause.versions())
    compare = None
    if len(versions) > 1:
        new = _pick(versions, request.GET.get("new"), versions[0])
        old = _pick(versions, request.GET.get("old"), versions[1])
        compare = {
            "old": old,
            "new": new,
            "heading": redline(old.heading, new.heading),
            "body": redline(old.body, new.body),
        }
    return render(
        request,
        "drafting/clauses/detail.html",
        {
            "document": clause.document, "clause": clause, "versions": versions, "compare": compare,
            "amendments": Amendment.objects.visible_to(request.member).filter(clause=clause)
            .select_related("author__user", "document").order_by("-number"),
        },
    )
