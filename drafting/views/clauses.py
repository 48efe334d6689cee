"""A clause's page: its text, every version with who made it and why, and a redline between any two."""
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format

from .. import params
from ..access import get_clause_for
from ..exports.traced import secondary_language
from ..forms.rapporteurs import RapporteurForm
from ..fragments import cached_fragment
from ..languages import BOTH, OWN_NAMES, field, reading_choice, reading_languages, reading_options
from ..models import Amendment, Rapporteur
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


def changes_between(old, new, languages):
    """The redline of heading and text from one version of a clause to another, per language in `languages`."""
    return [{"language": language, "name": OWN_NAMES[language],
             "heading": redline(getattr(old, field("heading", language)), getattr(new, field("heading", language))),
             "body": redline(getattr(old, field("body", language)), getattr(new, field("body", language)))}
            for language in languages]


def _rapporteurs_of(clause):
    """The active assignments that cover `clause`: on it, or on a clause above it (a few levels, one query each)."""
    above, parent_id = [clause.pk], clause.parent_id
    while parent_id is not None and parent_id not in above:
        above.append(parent_id)
        parent_id = type(clause).objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return Rapporteur.objects.active().filter(clause_id__in=above).select_related("clause", "member__user")


def clause_detail(request, slug, pk):
    clause = get_clause_for(request.member, slug, pk)
    document = clause.document
    choice = reading_choice(request, document)
    languages = reading_languages(choice, document)
    versions = label_moments(list(clause.versions()))
    compare = None
    if len(versions) > 1:
        new = _pick(versions, request.GET.get("new"), versions[0])
        old = _pick(versions, request.GET.get("old"), versions[1])
        compare = {
            "old": old,
            "new": new,
            # Each language the reader reads gets its redline; the languages are part of the key.
            "html": cached_fragment(
                "clause-redline", [old.history_id, new.history_id, *languages], "drafting/clauses/_compare_texts.html",
                lambda: {"changes": changes_between(old, new, languages)},
            ),
        }
    amendments = list(Amendment.objects.visible_to(request.member).filter(clause=clause)
                      .select_related("author__user", "document", "clause").order_by("-number"))
    Amendment.number_insertions(amendments)  # under "keep": the insertions' provisional numbers, one query
    # Reviewers may combine the submitted rewordings competing for this clause into a compromise.
    combinable = [a for a in amendments if a.is_modify and a.is_open and not a.is_draft]
    can_compromise = len(combinable) > 1 and request.member.can_review(document=document)
    return render(
        request,
        "drafting/clauses/detail.html",
        {
            "document": document, "clause": clause, "versions": versions, "compare": compare,
            "languages": languages, "side_by_side": choice == BOTH, "secondary": secondary_language(document),
            "reading_options": reading_options(request, document, choice),
            "amendments": amendments, "combinable": combinable if can_compromise else (),
            "rapporteurs": _rapporteurs_of(clause),
            "rapporteur_form": (RapporteurForm(document=document, clause=clause)
                                if request.member.can_assign_rapporteurs(document) and not clause.is_removed else None),
        },
    )
