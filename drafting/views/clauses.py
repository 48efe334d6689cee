"""A clause's page: its text, every version with who made it and why, and a redline between any two."""
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format

from .. import params
from ..access import get_clause_for
from ..fragments import cached_fragment
from ..models import Amendment
from ..redline import redline


def _pick(versions, raw, default):
    """The version named in the query string, or `default` if absent or not one of this clause's."""
    wanted = params.integer(raw)
    return next((v for v in versions if v.history_id == wanted), default)


# From coarse to fine: versions are told apart by the coarsest format that gives each its own label; the date
# and minute in the reader's language (DATETIME_FORMAT, drafting/formats/), then seconds and microseconds.
_PRECISIONS = ("", ":s", ":s.u")


def label_moments(versions):
    """Give each version a `when` label, distinct from the others' (two versions made in one minute show seconds)."""
    moments = [timezone.localtime(v.history_date) for v in versions]
    for precision in _PRECISIONS:
        labels = [date_format(moment, "DATETIME_FORMAT") + (precision and format_date(moment, precision))
                  for moment in moments]
        if len(set(labels)) == len(labels):
            break
    for version, label in zip(versions, labels):
        version.when = label
    return versions


def clause_detail(request, slug, pk):
    clause = get_clause_for(request.member, slug, pk)
    versions = label_moments(list(clause.versions()))
    compare = None
    if len(versions) > 1:
        new = _pick(versions, request.GET.get("new"), versions[0])
        old = _pick(versions, request.GET.get("old"), versions[1])
        compare = {
            "old": old,
            "new": new,
            "html": cached_fragment(
                "clause-redline", [old.history_id, new.history_id], "drafting/clauses/_compare.html",
                lambda: {"redline": {"heading": redline(old.heading, new.heading), "body": redline(old.body, new.body)}},
            ),
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
