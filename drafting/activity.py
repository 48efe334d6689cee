"""A document's activity, read from the records that already exist: no second copy of the truth.

Amendments proposed (Amendment.created_at) and applied (applied_at), review decisions (the review history:
every decision a reviewer recorded), comments, and imports (clause history rows written without an amendment,
grouped by the moment and reason they share). One UNION query orders and pages them all, then one query per kind
fetches the page's objects, so a page costs the same number of queries however long the activity is.

Each member reads the feed through the visibility rule (`AmendmentQuerySet.visible_to` and the comment and
review rules derived from it): another member's draft, its discussion and its history never enter their activity.
"""
from dataclasses import dataclass

from django.db.models import CharField, Count, F, IntegerField, Min, Value
from django.utils.translation import pgettext

from .models import Amendment, Clause, Comment, Member, Review
from .models.history import describe_reason


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

    # Kinds as properties, so the template never compares raw strings.
    @property
    def is_proposal(self):
        return self.kind == "proposed"

    @property
    def is_application(self):
        return self.kind == "applied"

    @property
    def is_review(self):
        return self.kind == "reviewed"

    @property
    def is_comment(self):
        return self.kind == "commented"

    @property
    def is_import(self):
        return self.kind == "imported"

    @property
    def is_plain_import(self):
        """An import as such, rather than another change recorded without an amendment."""
        return self.is_import and self.reason == "imported"

    @property
    def review_verb(self):
        """What the reviewer did, as the feed says it ("approved", "requested changes to", "rejected")."""
        decision = getattr(self.review, "decision", "")
        return {
            Review.Decision.APPROVE: pgettext("activity, a reviewer did", "approved"),
            Review.Decision.REJECT: pgettext("activity, a reviewer did", "rejected"),
        }.get(decision, pgettext("activity, a reviewer did", "requested changes to"))

    @property
    def reason_text(self):
        """The recorded reason of an import or another change made without an amendment, in the reader's
        language (drafting/models/history.py)."""
        return describe_reason(self.reason)


def _columns(kind, at, ref, user, reason=None, n=None):
    """The common row shape of every kind of event; names carry a prefix so they never clash with a model's own fields."""
    return {
        "ev_kind": Value(kind, output_field=CharField()), "ev_at": F(at), "ev_ref": ref if not isinstance(ref, str) else F(ref),
        "ev_user": F(user), "ev_reason": reason if reason is not None else Value("", output_field=CharField()),
        "ev_n": n if n is not None else Value(1, output_field=IntegerField()),
    }


def _rows(document, member):
    amendments = Amendment.objects.visible_to(member).filter(document=document)
    proposed = amendments.values(**_columns("proposed", "created_at", "id", "author__user_id"))
    applied = amendments.filter(applied_at__isnull=False).values(
        **_columns("applied", "applied_at", "id", "applied_by__user_id")
    )
    reviewed = Review.history.filter(
        amendment__in=amendments, history_type__in=["+", "~"]
    ).values(**_columns("reviewed", "history_date", "history_id", "reviewer__user_id"))
    commented = Comment.objects.visible_to(member).filter(document=document).values(
        **_columns("commented", "created_at", "id", "author__user_id")
    )
    imported = (
        Clause.history.filter(document_id=document.pk, amendment__isnull=True)
        .exclude(history_change_reason__startswith="amendment ")
        .values("history_date", "history_change_reason", "history_user_id")
        .annotate(**_columns(
            "imported", "history_date", Min("history_id"), "history_user_id",
            reason=F("history_change_reason"), n=Count("history_id"),
        ))
        .values("ev_kind", "ev_at", "ev_ref", "ev_user", "ev_reason", "ev_n")
    )
    parts = [q.order_by() for q in (proposed, applied, reviewed, commented, imported)]
    return parts[0].union(*parts[1:], all=True)


class DocumentActivity:
    """A sequence a Paginator can page: `count()` and slicing, each slice hydrated in a few queries."""

    def __init__(self, document, member):
        self.document = document
        self.member = member
        self.rows = _rows(document, member)

    def count(self):
        return self.rows.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        rows = list(self.rows.order_by("-ev_at", "-ev_ref")[window])
        return self._hydrate(rows)

    def _hydrate(self, rows):
        ids = {}
        for row in rows:
            ids.setdefault(row["ev_kind"], set()).add(row["ev_ref"])
        amendments = Amendment.objects.visible_to(self.member).in_bulk(ids.get("proposed", set()) | ids.get("applied", set()))
        reviews = {
            r.history_id: r
            for r in Review.history.filter(history_id__in=ids.get("reviewed", ()))
            .filter(amendment__in=Amendment.objects.visible_to(self.member)).select_related("amendment")
        } if ids.get("reviewed") else {}
        comments = Comment.objects.visible_to(self.member).select_related("document", "clause", "amendment").in_bulk(
            ids.get("commented", ())
        )
        users = {row["ev_user"] for row in rows if row["ev_user"]}
        members = {m.user_id: m for m in Member.objects.filter(user_id__in=users).select_related("user")} if users else {}
        events = []
        for row in rows:
            kind = row["ev_kind"]
            event = Event(
                kind=kind, at=row["ev_at"], actor=members.get(row["ev_user"]), reason=row["ev_reason"] or "",
                clauses=row["ev_n"],
            )
            if kind in ("proposed", "applied"):
                event.amendment = amendments.get(row["ev_ref"])
            elif kind == "reviewed":
                event.review = reviews.get(row["ev_ref"])
                event.amendment = event.review.amendment if event.review else None
            elif kind == "commented":
                event.comment = comments.get(row["ev_ref"])
            events.append(event)
        return events
