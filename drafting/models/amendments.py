"""Amendments: proposed changes to a document, their review, and how an approved one changes the text.

An amendment is written against an exact clause version (its base, a history row kept forever). Its life
is a small state machine; each transition is a method that checks who may take it and refuses anything
else with a `TransitionError` whose message is shown to the user as it is.
"""
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..rebase import RebaseConflict, rebase
from ..redline import redline
from .clauses import Clause
from .history import attribute


class TransitionError(Exception):
    """A refused transition; the message says why, in words for the user."""


class NotAllowed(TransitionError):
    """Refused because of who asked (not the author, not a reviewer): views answer 403."""


class Tag(models.Model):
    """A topic (artificial intelligence, economy, territorial integrity, ...); admins keep the list."""

    name = models.CharField(max_length=80, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def _public():
    """Every member reads every amendment but another member's draft."""
    return ~Q(state=Amendment.State.DRAFT)


class AmendmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Amendment.OPEN_STATES)

    def public(self):
        """What every active member reads, whoever they are: the part of `visible_to` that does not depend on
        the reader. For what is the same for every reader (a comparison, its Word file)."""
        return self.filter(_public())

    def visible_to(self, member):
        """What `member` may read: THE visibility rule, which every list, count, export, feed, inbox and page
        goes through (comments, reviews and notifications derive theirs from it).

        A draft is its author's and co-sponsors' work in progress; everything else every active member reads.
        Nobody else (signed out, outsider, deactivated) reads anything.
        """
        if member is None or not member.can_read():
            return self.none()
        sponsored = Amendment.cosponsors.through.objects.filter(member_id=member.pk).values("amendment_id")
        return self.filter(_public() | Q(author_id=member.pk) | Q(pk__in=sponsored))

    def open_counts_by_clause(self, document, member):
        """{clause id: open amendments `member` may read}, in one query: the outline's badge agrees with the
        amendment list it links to."""
        rows = (
            self.visible_to(member).open().filter(document=document)
            .values("clause_id").annotate(n=Count("id")).order_by()
        )
        return {row["clause_id"]: row["n"] for row in rows}


class Amendment(models.Model):
    class Kind(models.TextChoices):
        MODIFY = "modify", "Modify"
        REMOVE = "remove", "Remove"
        INSERT = "insert", "Insert"

    class Placement(models.TextChoices):
        AFTER = "after", "after the clause"
        FIRST_CHILD = "first_child", "as the first sub-clause of"
        LAST_CHILD = "last_child", "as the last sub-clause of"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        NEEDS_REBASE = "needs_rebase", "Needs rebase"

    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.APPROVED, State.NEEDS_REBASE)
    EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED, State.NEEDS_REBASE)
    REVIEWABLE_STATES = (State.SUBMITTED, State.CHANGES_REQUESTED, State.REJECTED)

    document = models.ForeignKey("drafting.Document", on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The clause changed or removed, or for an insertion the clause the new one is placed against.
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="amendments")
    placement = models.CharField(max_length=12, choices=Placement.choices, blank=True)
    base = models.ForeignKey(
        Clause.history.model, on_delete=models.PROTECT, related_name="+",
        help_text="The exact clause version the amendment was written against.",
    )
    proposed_heading = models.CharField(max_length=500, blank=True)
    proposed_heading_az = models.CharField(max_length=500, blank=True)
    proposed_body = models.TextField(blank=True)
    rationale = models.TextField()
    tags = models.ManyToManyField(Tag, blank=True, related_name="amendments")
    author = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="amendments")
    cosponsors = models.ManyToManyField("drafting.Member", blank=True, related_name="cosponsored_amendments")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    round = models.PositiveIntegerField(default=0, help_text="Incremented on each submission; reviews belong to a round.")
    conflict = models.TextField(blank=True, help_text="Why the last attempt to apply needed a person.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        "drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the amendment wrote: the rebased text when the clause had moved on, the new clause for an insertion.
    applied_heading = models.CharField(max_length=500, blank=True)
    applied_body = models.TextField(blank=True)
    result_clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="amendment_number_per_document")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"A-{self.number}"

    def get_absolute_url(self):
        return reverse("amendment_detail", args=[self.document.slug, self.number])

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    @property
    def is_editable(self):
        return self.state in self.EDITABLE_STATES

    # State and kind as properties, so templates and callers never compare raw strings.
    @property
    def is_draft(self):
        return self.state == self.State.DRAFT

    @property
    def is_submitted(self):
        return self.state == self.State.SUBMITTED

    @property
    def is_applied(self):
        return self.state == self.State.APPLIED

    @property
    def is_rejected(self):
        return self.state == self.State.REJECTED

    @property
    def is_withdrawn(self):
        return self.state == self.State.WITHDRAWN

    @property
    def needs_rebase(self):
        return self.state == self.State.NEEDS_REBASE

    @property
    def changes_requested(self):
        return self.state == self.State.CHANGES_REQUESTED

    @property
    def is_reviewable(self):
        return self.state in self.REVIEWABLE_STATES

    @property
    def is_modify(self):
        return self.kind == self.Kind.MODIFY

    @property
    def is_remove(self):
        return self.kind == self.Kind.REMOVE

    @property
    def is_insert(self):
        return self.kind == self.Kind.INSERT

    def is_sponsored_by(self, member):
        if member is None:
            return False
        return self.author_id == member.pk or self.cosponsors.filter(pk=member.pk).exists()

    # --- reading -------------------------------------------------------------------------------------------
    @property
    def base_is_current(self):
        """Whether the clause still reads as it did when the amendment was written (numbering aside)."""
        clause = self.clause
        return (clause.heading, clause.body, clause.status) == (self.base.heading, self.base.body, self.base.status)

    def provisional_label(self):
        """Where an insertion will land, in words: "new, after 3.1"."""
        anchor = self.clause.number or self.clause.heading
        return {
            self.Placement.AFTER: f"new, after {anchor}",
            self.Placement.FIRST_CHILD: f"new, first under {anchor}",
            self.Placement.LAST_CHILD: f"new, last under {anchor}",
        }.get(self.placement, "new")

    def affected_clauses(self):
        """For a removal: the clause and every sub-clause still in force, in reading order."""
        entries = self.document.outline()
        ids = {self.clause_id}
        affected = []
        for entry in entries:
            if entry.clause.id in ids or entry.clause.parent_id in ids:
                ids.add(entry.clause.id)
                if not entry.clause.is_removed:
                    affected.append(entry)
        return affected

    def proposed_redline(self, against=None):
        """The change as redline pieces: against its base by default, or against another clause version.

        A removal strikes the whole text; an insertion is all new.
        """
        old = against or self.base
        if self.kind == self.Kind.INSERT:
            return {"heading": redline("", self.proposed_heading), "body": redline("", self.proposed_body)}
        if self.kind == self.Kind.REMOVE:
            return {"heading": redline(old.heading, ""), "body": redline(old.body, "")}
        return {"heading": redline(old.heading, self.proposed_heading), "body": redline(old.body, self.proposed_body)}

    def rebase_preview(self, current):
        """What approving now would write into a clause that moved on: (heading, body), or RebaseConflict."""
        return (rebase(self.base.heading, self.proposed_heading, current.heading),
                rebase(self.base.body, self.proposed_body, current.body))

    def current_reviews(self):
        return self.reviews.filter(round=self.round)

    # --- transitions ---------------------------------------------------------------------------------------
    def _save_as(self, member, reason):
        """Save with the acting member on the history row, in a request or not (commands, seeds)."""
        attribute(self, user=member.user, reason=reason)
        self.save()

    def _require(self, condition, message):
        if not condition:
            raise TransitionError(message)

    def _require_state(self, states, action):
        self._require(
            self.state in states,
            f"{self.label} is {self.get_state_display().lower()}; it cannot be {action} now.",
        )

    def _require_author(self, member, action):
        if member is None or not member.is_active:
            raise NotAllowed("Only active members can do this.")
        if member.pk != self.author_id:
            raise NotAllowed(f"Only the author of {self.label} can {action} it.")

    def check_editable_by(self, member):
        self._require_author(member, "edit")
        self._require_state(self.EDITABLE_STATES, "edited")

    def submit(self, member):
        self._require_author(member, "submit")
        self._require_state(self.EDITABLE_STATES, "submitted")
        self._require(self.rationale.strip(), "A rationale is required before submitting.")
        if self.kind == self.Kind.MODIFY:
            self._require(not self.clause.is_removed, "The clause has been removed; this amendment cannot apply.")
        if self.state == self.State.NEEDS_REBASE:
            self._require(self.base_is_current, "Redo the amendment on the current text before submitting again.")
        self.state = self.State.SUBMITTED
        self.round += 1
        self.conflict = ""
        self._save_as(member, "submitted")

    def sign_on(self, member):
        """A member co-sponsors an open amendment (and so can no longer review it)."""
        if member is None or not member.can_propose():
            raise NotAllowed("Only active members can co-sponsor amendments.")
        self._require(member.pk != self.author_id, "The author already sponsors this amendment.")
        self._require_state(self.OPEN_STATES, "co-sponsored")
        self.cosponsors.add(member)

    def sign_off(self, member):
        """A co-sponsor takes their name back while the amendment is open."""
        if member is None or not member.is_active:
            raise NotAllowed("Only active members can do this.")
        self._require_state(self.OPEN_STATES, "changed")
        self.cosponsors.remove(member)

    def withdraw(self, member):
        self._require_author(member, "withdraw")
        self._require_state(self.OPEN_STATES, "withdrawn")
        self.state = self.State.WITHDRAWN
        self._save_as(member, "withdrawn")

    @transaction.atomic
    def review(self, member, decision, note=""):
        """Record (or change) a reviewer's decision for this round; reaching the quorum applies it."""
        if member is None or not member.is_active:
            raise NotAllowed("Only active members can review.")
        if self.is_sponsored_by(member):
            raise NotAllowed("Authors and co-sponsors cannot review their own amendment.")
        if not member.can_review(self):
            raise NotAllowed("Only reviewers can review amendments.")
        self._require_state(self.REVIEWABLE_STATES, "reviewed")
        from .reviews import Review

        Review.objects.update_or_create(
            amendment=self, reviewer=member, round=self.round, defaults={"decision": decision, "note": note}
        )
        return self._settle(member)

    def _settle(self, member):
        decisions = list(self.current_reviews().values_list("decision", flat=True))
        from .reviews import Review

        if Review.Decision.REJECT in decisions:
            self.state = self.State.REJECTED
        elif Review.Decision.REQUEST_CHANGES in decisions:
            self.state = self.State.CHANGES_REQUESTED
        elif decisions.count(Review.Decision.APPROVE) >= self.document.quorum:
            self.state = self.State.APPROVED
            self._save_as(member, "approved")
            return self.apply(member)
        else:
            self.state = self.State.SUBMITTED
        self._save_as(member, f"reviewed: {self.get_state_display().lower()}")
        return self.state

    def apply(self, approver):
        """Write the approved change into the document, in one transaction with the rows locked.

        Lock order everywhere: amendment, then document, then clause (deadlock-free on PostgreSQL).
        Returns the new state: applied, or needs rebase when the text moved on in a way that overlaps.
        """
        with transaction.atomic():
            locked = Amendment.objects.select_for_update().get(pk=self.pk)
            self._require(locked.state == self.State.APPROVED, f"{self.label} is not approved.")
            type(self.document).objects.select_for_update().get(pk=self.document_id)
            clause = Clause.objects.select_for_update().get(pk=self.clause_id)
            self.clause = clause
            moment = timezone.now()
            reason = f"amendment {self.label}"
            stamp = {"user": approver.user, "reason": reason, "date": moment, "amendment": self}
            try:
                {
                    self.Kind.MODIFY: self._apply_modify,
                    self.Kind.REMOVE: self._apply_remove,
                    self.Kind.INSERT: self._apply_insert,
                }[self.kind](clause, stamp)
            except RebaseConflict as conflict:
                self.state = self.State.NEEDS_REBASE
                self.conflict = str(conflict)
                self._save_as(approver, "needs rebase")
                return self.state
            self.document.renumber(user=approver.user, reason=reason, date=moment)
            self.state = self.State.APPLIED
            self.applied_at = moment
            self.applied_by = approver
            self.conflict = ""
            self._save_as(approver, "applied")
        return self.state

    def _apply_modify(self, clause, stamp):
        if clause.is_removed:
            raise RebaseConflict("the clause has been removed since the amendment was written")
        heading = rebase(self.base.heading, self.proposed_heading, clause.heading)
        body = rebase(self.base.body, self.proposed_body, clause.body)
        heading_az = clause.heading_az if self.proposed_heading_az == self.base.heading_az else self.proposed_heading_az
        self.applied_heading, self.applied_body = heading, body
        if (heading, body, heading_az) != (clause.heading, clause.body, clause.heading_az):
            clause.heading, clause.body, clause.heading_az = heading, body, heading_az
            attribute(clause, **stamp)
            clause.save()

    def _apply_remove(self, clause, stamp):
        if clause.is_removed:
            raise RebaseConflict("the clause has already been removed")
        for entry in self.affected_clauses():
            target = entry.clause
            target.status = Clause.Status.REMOVED
            attribute(target, **stamp)
            target.save()

    def _apply_insert(self, anchor, stamp):
        if anchor.is_removed:
            raise RebaseConflict("the clause this insertion was placed against has been removed")
        if self.placement == self.Placement.AFTER:
            parent_id, position = anchor.parent_id, anchor.position + 1
        elif self.placement == self.Placement.FIRST_CHILD:
            parent_id, position = anchor.pk, 0
        else:
            last = anchor.children.aggregate(models.Max("position"))["position__max"]
            parent_id, position = anchor.pk, 0 if last is None else last + 1
        later = Clause.objects.select_for_update().filter(
            document_id=self.document_id, parent_id=parent_id, position__gte=position
        )
        for sibling in later.order_by("-position"):
            sibling.position += 1
            attribute(sibling, **stamp)
            sibling.save(update_fields=["position"])
        new = Clause(
            document_id=self.document_id, parent_id=parent_id, position=position, numbered=True,
            heading=self.proposed_heading, heading_az=self.proposed_heading_az, body=self.proposed_body,
        )
        attribute(new, **stamp)
        new.save()
        self.result_clause = new
        self.applied_heading, self.applied_body = new.heading, new.body

    # --- creation ------------------------------------------------------------------------------------------
    @classmethod
    def start(cls, *, author, clause, kind, placement="", base=None, **fields):
        """A new draft, numbered in its document, written against `base` (default: the current version).

        A form passes the version the drafter saw, so a change made meanwhile is rebased, never overwritten.
        """
        if author is None or not author.can_propose():
            raise NotAllowed("Only active members can propose amendments.")
        if clause.is_removed:
            raise TransitionError("That clause has been removed; propose against a clause in force.")
        if base is not None and base.id != clause.pk:
            raise TransitionError("That version belongs to another clause.")
        with transaction.atomic():
            type(clause.document).objects.select_for_update().get(pk=clause.document_id)
            last = cls.objects.filter(document_id=clause.document_id).aggregate(models.Max("number"))
            amendment = cls(
                document_id=clause.document_id, number=(last["number__max"] or 0) + 1, kind=kind,
                clause=clause, placement=placement, base=base or clause.history.latest(), author=author, **fields,
            )
            amendment._save_as(author, "drafted")
        return amendment

    def rebase_onto_current(self):
        """Take the clause's current version as the new base (the author redid the amendment on it)."""
        self.base = self.clause.history.latest()


def open_amendment_filter():
    return Q(state__in=Amendment.OPEN_STATES)
