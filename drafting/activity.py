"""A document's activity feed, read from the records that already exist: no second copy of the truth.

Amendments proposed (Amendment.created_at) and applied (applied_at), review decisions (the review history:
every decision a reviewer recorded), comments, and imports (clause history rows written without an amendment,
grouped by the moment and reason they share). One UNION query orders and pages them all, then one query per kind
fetches the page's objects, so a page costs the same number of queries however long the feed is.
"""
from dataclasses import dataclass

from django.db.models import CharField, Count, F, IntegerField, Min, Value

from .models import Amendment, Clause, Comment, Member, Review


@dataclass
class Event:
    kind: str  # proposed, applied, reviewed, commented, imported
    at: object
    actor: object = None  # Member, or None for the system
    amendment: object = None
    review: object = None
    comment: object = None
    reason: str = ""
    clauses: int = 0


def _rows(document):
    text, number = CharField(), IntegerField()
    # Drafts are their sponsors' work in progress: they enter the feed once submitted.
    proposed = Amendment.objects.filter(document=document).exclude(state=Amendment.State.DRAFT).values(
        kind=Value("proposed", output_field=text), at=F("created_at"), ref=F("id"), user=F("author__user_id"),
        reason=Value("", output_field=text), n=Value(1, output_field=number),
    )
    applied = Amendment.objects.filter(document=document, applied_at__isnull=False).values(
        kind=Value("applied", output_field=text), at=F("applied_at"), ref=F("id"), user=F("applied_by__user_id"),
        reason=Value("", output_field=text), n=Value(1, output_field=number),
    )
    reviewed = Review.history.filter(amendment__document=document, history_type__in=["+", "~"]).values(
        kind=Value("reviewed", output_field=text), at=F("history_date"), ref=F("history_id"),
        user=F("reviewer__user_id"), reason=Value("", output_field=text), n=Value(1, output_field=number),
    )
    commented = Comment.objects.filter(document=document).not_on_drafts().values(
        kind=Value("commented", output_field=text), at=F("created_at"), ref=F("id"), user=F("author__user_id"),
        reason=Value("", output_field=text), n=Value(1, output_field=number),
    )
    imported = (
        Clause.history.filter(document_id=document.pk, amendment__isnull=True)
        .exclude(history_change_reason__startswith="amendment ")
        .values("history_date", "history_change_reason", "history_user_id")
        .annotate(
            kind=Value("imported", output_field=text), at=F("history_date"), ref=Min("history_id"),
            user=F("history_user_id"), reason=F("history_change_reason"), n=Count("history_id"),
        )
        .values("kind", "at", "ref", "user", "reason", "n")
    )
    parts = [q.order_by() for q in (proposed, applied, reviewed, commented, imported)]
    return parts[0].union(*parts[1:], all=True)


class ActivityFeed:
    """A sequence a Paginator can page: `count()` and slicing, each slice hydrated in a few queries."""

    def __init__(self, document):
        self.document = document
        self.rows = _rows(document)

    def count(self):
        return self.rows.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        rows = list(self.rows.order_by("-at", "-ref")[window])
        return self._hydrate(rows)

    def _hydrate(self, rows):
        ids = {}
        for row in rows:
            ids.setdefault(row["kind"], set()).add(row["ref"])
        amendments = Amendment.objects.in_bulk(ids.get("proposed", set()) | ids.get("applied", set()))
        reviews = {
            r.history_id: r
            for r in Review.history.filter(history_id__in=ids.get("reviewed", ())).select_related("amendment")
        } if ids.get("reviewed") else {}
        comments = Comment.objects.select_related("document", "clause", "amendment").in_bulk(ids.get("commented", ()))
        users = {row["user"] for row in rows if row["user"]}
        members = {m.user_id: m for m in Member.objects.filter(user_id__in=users).select_related("user")} if users else {}
        events = []
        for row in rows:
            kind = row["kind"]
            event = Event(kind=kind, at=row["at"], actor=members.get(row["user"]), reason=row["reason"] or "", clauses=row["n"])
            if kind in ("proposed", "applied"):
                event.amendment = amendments.get(row["ref"])
            elif kind == "reviewed":
                event.review = reviews.get(row["ref"])
                event.amendment = event.review.amendment if event.review else None
            elif kind == "commented":
                event.comment = comments.get(row["ref"])
            events.append(event)
        return events
