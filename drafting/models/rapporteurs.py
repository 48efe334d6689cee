"""Rapporteurs and review requests (issue 15 point 3): who answers for which part of a document, by when.

A `Rapporteur` row names a member who answers for a clause of a document and everything under it (a section
and its sub-clauses), with a due date. Only the document's reviewers (and deployment admins, who review
everywhere) may be rapporteurs: the job is to review the amendments of the section, which a drafter or a reader
may not do. Only its reviewers and admins assign them. An assignment is ended, never deleted: the row stays
with who assigned it, who ended it and when, and its history.

While an assignment is active, the rapporteur is asked to review every amendment of the section that is open and
submitted: one `ReviewRequest` per amendment and member (never for an amendment they wrote or co-sponsor). The
requests are made when the assignment is made (for what is already submitted) and when an amendment is submitted
into the section later, in the submission's own transaction (`ReviewRequest.for_submitted`). A request is done
when its member records a review of the amendment, and cancelled when the amendment closes (applied, rejected,
withdrawn), when its member signs on as a co-sponsor, or when the assignment that made it ends. A resubmitted
amendment (a new round) asks again: a done request stays done, and a new one is opened.

Locks, in the order of drafting/models/amendments.py (amendment, then document): assigning locks the open
amendments of the section, then the document; a submission holds its amendment and then locks the document. So an
assignment made while an amendment of its section is being submitted gives exactly one request, whichever
commits first. Ending locks the amendments it asked about, the document, the assignment, then its open requests;
a review or a closing amendment locks its amendment, then its open requests, each re-read under the lock, so a
request is done or cancelled once (tests/test_rapporteurs_races.py; an ending that locked the document first
deadlocked with a review).
"""
from datetime import timedelta

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import notify
from .history import attribute

# A due date further away than this is a typing mistake (year 9999), not a plan.
LONGEST_DUE = timedelta(days=5 * 366)


def _today():
    return timezone.localdate()


def check_due_date(value):
    """The due date rule, with a message for the person: from today up to five years ahead."""
    from .amendments import TransitionError

    if value is None:
        raise TransitionError(gettext("Give a due date."))
    if value < _today():
        raise TransitionError(gettext("The due date %(date)s has passed: choose today or a later day.")
                              % {"date": date_format(value, "DATE_FORMAT")})
    if value > _today() + LONGEST_DUE:
        raise TransitionError(gettext("The due date %(date)s is more than five years away: choose a nearer day.")
                              % {"date": date_format(value, "DATE_FORMAT")})


def parents(document):
    """{clause id: parent id} of every clause of `document`, in one query (a document is read as a tree)."""
    from .clauses import Clause

    return dict(Clause.objects.filter(document=document).values_list("id", "parent_id"))


def descendants(document, clause_id):
    """The ids of `clause_id` and of every clause under it."""
    children = {}
    for pk, parent_id in parents(document).items():
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [clause_id]
    while stack:
        pk = stack.pop()
        found.add(pk)
        stack.extend(children.get(pk, ()))
    return found


def ancestors(clause_id, parent_of):
    """`clause_id` and the clauses above it, nearest first."""
    chain = []
    while clause_id is not None and clause_id not in chain:
        chain.append(clause_id)
        clause_id = parent_of.get(clause_id)
    return chain


class RapporteurQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, member):
        """Assignments on the documents `member` is on."""
        from .documents import Document

        return self.filter(document__in=Document.objects.visible_to(member))


class Rapporteur(models.Model):
    """A member answering for a clause and its sub-clauses, by a due date (see the module's docstring)."""

    document = models.ForeignKey("drafting.Document", on_delete=models.PROTECT, related_name="rapporteurs", verbose_name=_("document"))
    clause = models.ForeignKey("drafting.Clause", on_delete=models.PROTECT, related_name="rapporteurs", verbose_name=_("clause"))
    member = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="rapporteur_of", verbose_name=_("member"))
    due_date = models.DateField(verbose_name=_("due date"))
    assigned_by = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("assigned at"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    ended_by = models.ForeignKey("drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("ended by"))
    history = HistoricalRecords()

    objects = RapporteurQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "member"], condition=Q(active=True),
                                    name="one_active_rapporteur_per_clause_and_member"),
        ]
        verbose_name = _("rapporteur")
        verbose_name_plural = _("rapporteurs")

    def __str__(self):
        return f"{self.member.full_name}: {self.clause.label} by {self.due_date:%Y-%m-%d}"

    @property
    def is_overdue(self):
        return self.active and self.due_date < _today()

    @classmethod
    def assign(cls, *, clause, member, due_date, by):
        """Make `member` rapporteur for `clause` (and its sub-clauses) until `due_date`, and ask them to review
        every submitted amendment there. Raises NotAllowed (who asks) or TransitionError (what was asked)."""
        from .amendments import Amendment, NotAllowed, TransitionError
        from .documents import Document

        document = clause.document
        if by is None or not by.can_assign_rapporteurs(document):
            raise NotAllowed(gettext("Only reviewers of this document and admins assign rapporteurs."))
        if member is None or not member.can_review(document=document):
            raise TransitionError(gettext("A rapporteur reviews: choose a reviewer of this document."))
        if clause.is_removed:
            raise TransitionError(gettext("That clause has been removed; choose a clause in force."))
        check_due_date(due_date)
        with transaction.atomic():
            sections = descendants(document, clause.pk)
            # Lock order: the section's open amendments, then the document (as a submission does).
            list(Amendment.objects.select_for_update().open().filter(clause_id__in=sections).order_by("pk")
                 .values_list("pk", flat=True))
            Document.objects.select_for_update().get(pk=document.pk)
            if cls.objects.active().filter(clause=clause, member=member).exists():
                raise TransitionError(gettext("%(member)s is already rapporteur for %(clause)s.")
                                      % {"member": member.full_name, "clause": clause.label})
            assignment = cls(document=document, clause=clause, member=member, due_date=due_date, assigned_by=by)
            attribute(assignment, user=by.user, reason="assigned")
            assignment.save()
            submitted = (Amendment.objects.open().exclude(state=Amendment.State.DRAFT)
                         .filter(document=document, clause_id__in=sections).order_by("number"))
            ReviewRequest._ask(assignment, submitted, by)
        return assignment

    def end(self, by):
        """End the assignment (kept, with who ended it): its open requests are cancelled."""
        from .amendments import NotAllowed, TransitionError

        if by is None or not by.can_assign_rapporteurs(self.document_id):
            raise NotAllowed(gettext("Only reviewers of this document and admins end rapporteurs' assignments."))
        if not self._end(by, "ended"):
            raise TransitionError(gettext("This assignment has already ended."))

    @classmethod
    def end_all_of(cls, member, document_id, by, reason):
        """End `member`'s active assignments on a document: called when they are taken off it or stop being its
        reviewer (drafting/models/document_access.py), since only its reviewers may be rapporteurs."""
        for assignment in cls.objects.active().filter(member=member, document_id=document_id).order_by("pk"):
            assignment._end(by, reason)

    def _end(self, by, reason):
        """End the assignment unless it already has; whether it did."""
        from .amendments import Amendment
        from .documents import Document

        with transaction.atomic():
            # Lock order: the amendments asked about, the document, the assignment, its requests (a review holds
            # its amendment, then settles its request; a submission holds its amendment, then the document).
            asked = ReviewRequest.objects.open().filter(rapporteur_id=self.pk).values("amendment_id")
            list(Amendment.objects.select_for_update().filter(pk__in=asked).order_by("pk").values_list("pk", flat=True))
            Document.objects.select_for_update().get(pk=self.document_id)
            locked = Rapporteur.objects.select_for_update().get(pk=self.pk)
            if not locked.active:
                return False
            locked.active, locked.ended_at, locked.ended_by = False, timezone.now(), by
            attribute(locked, user=getattr(by, "user", None), reason=reason)
            locked.save(update_fields=["active", "ended_at", "ended_by"])
            ReviewRequest._settle(ReviewRequest.objects.filter(rapporteur=locked), ReviewRequest.State.CANCELLED, by,
                                  "assignment ended")
        self.active, self.ended_at, self.ended_by = locked.active, locked.ended_at, locked.ended_by
        return True


class ReviewRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=ReviewRequest.State.OPEN)

    def visible_to(self, member):
        """Requests about the amendments `member` may read (derived from `AmendmentQuerySet.visible_to`)."""
        from .amendments import Amendment

        return self.filter(amendment__in=Amendment.objects.visible_to(member))

    def for_display(self):
        return self.select_related("amendment__document", "amendment__clause", "member__user").order_by(
            "due_date", "amendment__number", "pk")


class ReviewRequest(models.Model):
    """A member asked to review an amendment by a due date, because they are rapporteur for its clause."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    amendment = models.ForeignKey("drafting.Amendment", on_delete=models.PROTECT, related_name="review_requests", verbose_name=_("amendment"))
    member = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="review_requests", verbose_name=_("member"))
    rapporteur = models.ForeignKey(Rapporteur, on_delete=models.PROTECT, related_name="requests", verbose_name=_("rapporteur"))
    requested_by = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    due_date = models.DateField(verbose_name=_("due date"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, verbose_name=_("state"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    settled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done or cancelled at"))
    history = HistoricalRecords()

    objects = ReviewRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            # The last line behind the locks: one open request per amendment and member.
            models.UniqueConstraint(fields=["amendment", "member"], condition=Q(state="open"),
                                    name="one_open_review_request_per_member"),
        ]
        indexes = [models.Index(fields=["member", "state"])]
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")

    def __str__(self):
        return f"{self.member.full_name} to review {self.amendment.label} by {self.due_date:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def is_overdue(self):
        return self.is_open and self.due_date < _today()

    # --- made and settled by the amendment's and the assignment's transitions -----------------------------
    @classmethod
    def _ask(cls, assignment, amendments, by):
        """Open a request for `assignment`'s member on each of `amendments` they neither wrote nor co-sponsor
        and have no open request for; the notifications follow the commit."""
        member = assignment.member
        amendments = list(amendments.exclude(author=member).exclude(cosponsors=member)
                          .exclude(review_requests__member=member, review_requests__state=cls.State.OPEN))
        made = []
        for amendment in amendments:
            request = cls(amendment=amendment, member=member, rapporteur=assignment, requested_by=by,
                          due_date=assignment.due_date)
            attribute(request, user=by.user, reason="requested")
            request.save()
            made.append(request.pk)
        if made:
            notify.after_commit(notify.review_requested, made)
        return made

    @classmethod
    def for_submitted(cls, amendment, by):
        """Called by a submission, its amendment locked: the active rapporteurs of the amendment's clause (or of
        a clause above it) are asked to review it. Locks the document (the order is amendment, document)."""
        from .amendments import Amendment
        from .clauses import Clause
        from .documents import Document

        Document.objects.select_for_update().get(pk=amendment.document_id)
        above, parent_id = [amendment.clause_id], Clause.objects.filter(pk=amendment.clause_id).values_list(
            "parent_id", flat=True).first()
        while parent_id is not None and parent_id not in above:  # a document is a few levels deep
            above.append(parent_id)
            parent_id = Clause.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        for assignment in (Rapporteur.objects.active().filter(clause_id__in=above, member__user__is_active=True)
                           .select_related("member__user").order_by("pk")):
            # A rapporteur taken off the document, or no longer a reviewer there, is not asked (their
            # assignment stays until someone ends it).
            if assignment.member.can_review(document=amendment.document_id):
                cls._ask(assignment, Amendment.objects.filter(pk=amendment.pk), by)

    @classmethod
    def _settle(cls, requests, state, by, reason):
        """Mark the open ones of `requests` done or cancelled, each re-read under its row lock (so a review and
        an ending at the same moment settle it once)."""
        now = timezone.now()
        for request in requests.open().select_for_update().order_by("pk"):
            request.state, request.settled_at = state, now
            attribute(request, user=getattr(by, "user", None), reason=reason)
            request.save(update_fields=["state", "settled_at"])

    @classmethod
    def reviewed(cls, amendment, member):
        cls._settle(cls.objects.filter(amendment=amendment, member=member), cls.State.DONE, member, "reviewed")

    @classmethod
    def amendment_closed(cls, amendment, by):
        cls._settle(cls.objects.filter(amendment=amendment), cls.State.CANCELLED, by, "amendment closed")

    @classmethod
    def signed_on(cls, amendment, member):
        cls._settle(cls.objects.filter(amendment=amendment, member=member), cls.State.CANCELLED, member,
                    "co-sponsor now")
