"""Amendments: proposed changes to a document, their review, and how an approved one changes the text.

An amendment is written against an exact clause version (its base, a history row kept forever). Its life
is a small state machine; each transition is a method that checks who may take it and refuses anything
else with a `TransitionError` whose message is shown to the user as it is.
"""
from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import notify
from ..languages import AZ, EN, language_label
from ..languages import field as field_in
from ..rebase import RebaseConflict, rebase
from ..redline import redline
from .clauses import Clause, Numbering, OutlineEntry, PlannedClause, number_key, provisional_numbers
from .compromises import Compromises
from .history import attribute, english
from .members import Member
from .rapporteurs import ReviewRequest
from .sponsorships import SponsorshipEvent


class TransitionError(Exception):
    """A refused transition; the message says why, in words for the user."""


class NotAllowed(TransitionError):
    """Refused because of who asked (not the author, not a reviewer): views answer 403."""


class StaleEdit(TransitionError):
    """The amendment changed after the form was opened: the person's text is kept and they are told."""


# Whole sentences per action, so each language words them its own way.
_CANNOT_NOW = {
    "submitted": _("%(label)s is %(state)s; it cannot be submitted now."),
    "co-sponsored": _("%(label)s is %(state)s; it cannot be co-sponsored now."),
    "changed": _("%(label)s is %(state)s; it cannot be changed now."),
    "withdrawn": _("%(label)s is %(state)s; it cannot be withdrawn now."),
    "edited": _("%(label)s is %(state)s; it cannot be edited now."),
    "reviewed": _("%(label)s is %(state)s; it cannot be reviewed now."),
}
_ONLY_THE_AUTHOR = {
    "submit": _("Only the author of %(label)s can submit it."),
    "withdraw": _("Only the author of %(label)s can withdraw it."),
    "edit": _("Only the author of %(label)s can edit it."),
}


# A conflict in one language of a bilingual amendment names the language, in a whole sentence per language.
_IN_LANGUAGE = {
    "az": _("in the Azerbaijani text: %(reason)s"),
    "en": _("in the English text: %(reason)s"),
}


class Tag(models.Model):
    """A topic (artificial intelligence, economy, territorial integrity, ...); admins keep the list."""

    name = models.CharField(max_length=80, unique=True, verbose_name=_("name"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

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

        Only on the documents `member` is on (`DocumentQuerySet.visible_to`): there, a draft is its author's and
        co-sponsors' work in progress and everything else every member of the document reads. Nobody else
        (signed out, outsider, deactivated) reads anything.
        """
        from .documents import Document

        if member is None or not member.can_read():
            return self.none()
        sponsored = Amendment.cosponsors.through.objects.filter(member_id=member.pk).values("amendment_id")
        on_documents = self if member.is_admin else self.filter(document__in=Document.objects.visible_to(member))
        return on_documents.filter(_public() | Q(author_id=member.pk) | Q(pk__in=sponsored))

    def open_counts_by_clause(self, document, member):
        """{clause id: open amendments `member` may read}, in one query: the outline's badge agrees with the
        amendment list it links to."""
        rows = (
            self.visible_to(member).open().filter(document=document)
            .values("clause_id").annotate(n=Count("id")).order_by()
        )
        return {row["clause_id"]: row["n"] for row in rows}

    # The amendment list: a constant number of queries whatever the number of amendments, authors or clauses.
    def for_list(self):
        """Each amendment with what a list row shows of it: author (and account, for "former member"), clause,
        document (for its URL), base (for the one-line summary of the change), the compromise superseding it, tags
        and co-sponsors, in one query plus one per many-to-many."""
        # The clause's parent too: a closing text is labelled by it ("Closing text of 3").
        return self.select_related("author__user", "clause__parent", "document", "base", "superseded_by").prefetch_related(
            "tags", Prefetch("cosponsors", queryset=Member.objects.select_related("user")),
        )

    def clause_entries(self):
        """The clauses these amendments are on, as outline entries in reading order, in one query: the list's
        clause filter offers these, not one option per clause of a document that may hold ten thousand."""
        clauses = sorted(Clause.objects.filter(pk__in=self.values("clause_id")).select_related("parent"),
                         key=_reading_key)
        return [OutlineEntry(clause, clause.number.count("."), clause.number) for clause in clauses]

    def authors(self):
        """The members who wrote these amendments, with their accounts, in one query."""
        return Member.objects.filter(pk__in=self.values("author_id")).select_related("user")


def _reading_key(clause):
    """Numbers sort as numbers (4.2 before 4.10, 4.1.1-1 before 4.1.2); unnumbered parts (Introduction) first; a
    closing text after its parent's sub-clauses (its parent read with it)."""
    if clause.is_closing:
        return (*number_key(clause.parent.number), (float("inf"),)), 0, clause.pk
    return number_key(clause.number), clause.position, clause.pk


class Amendment(Compromises, models.Model):
    class Kind(models.TextChoices):
        MODIFY = "modify", _("Modify")
        REMOVE = "remove", _("Remove")
        INSERT = "insert", _("Insert")
        # Changes only the translation of a clause (issue 13): brings an outdated translation up to date.
        TRANSLATE = "translate", _("Translation update")

    class Placement(models.TextChoices):
        AFTER = "after", _("after the clause")
        FIRST_CHILD = "first_child", _("as the first sub-clause of")
        LAST_CHILD = "last_child", _("as the last sub-clause of")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NEEDS_REBASE = "needs_rebase", _("Needs rebase")
        # Combined into a compromise (drafting/models/compromises.py): closed while the compromise is open, back to
        # `state_before_superseded` if it is withdrawn or rejected, final once it is applied.
        SUPERSEDED = "superseded", _("Superseded")

    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.APPROVED, State.NEEDS_REBASE)
    EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED, State.NEEDS_REBASE)
    REVIEWABLE_STATES = (State.SUBMITTED, State.CHANGES_REQUESTED, State.REJECTED)

    document = models.ForeignKey("drafting.Document", on_delete=models.PROTECT, related_name="amendments", verbose_name=_("document"))
    number = models.PositiveIntegerField(editable=False, verbose_name=_("number"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    # The clause changed or removed, or for an insertion the clause the new one is placed against.
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("clause"))
    placement = models.CharField(max_length=12, choices=Placement.choices, blank=True, verbose_name=_("placement"))
    base = models.ForeignKey(
        Clause.history.model, on_delete=models.PROTECT, related_name="+",
        help_text=_("The exact clause version the amendment was written against."),
        verbose_name=_("base"),
    )
    proposed_heading = models.CharField(max_length=500, blank=True, verbose_name=_("proposed heading"))
    proposed_heading_az = models.CharField(max_length=500, blank=True, verbose_name=_("proposed Azerbaijani heading"))
    proposed_body = models.TextField(blank=True, verbose_name=_("proposed text"))
    proposed_body_az = models.TextField(blank=True, verbose_name=_("proposed Azerbaijani text"))
    rationale = models.TextField(verbose_name=_("rationale"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="amendments", verbose_name=_("tags"))
    author = models.ForeignKey("drafting.Member", on_delete=models.PROTECT, related_name="amendments", verbose_name=_("author"))
    cosponsors = models.ManyToManyField("drafting.Member", blank=True, related_name="cosponsored_amendments", verbose_name=_("co-sponsors"))
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, verbose_name=_("state"))
    round = models.PositiveIntegerField(default=0, help_text=_("Incremented on each submission; reviews belong to a round."), verbose_name=_("round"))
    revision = models.PositiveIntegerField(
        default=1, help_text=_("Incremented on each edit of the text; a review names the revision it read."),
        verbose_name=_("revision"),
    )
    conflict = models.TextField(blank=True, help_text=_("Why the last attempt to apply needed a person."), verbose_name=_("conflict"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    applied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("applied at"))
    applied_by = models.ForeignKey(
        "drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("applied by"),
    )
    # What the amendment wrote: the rebased text when the clause had moved on, the new clause for an insertion.
    applied_heading = models.CharField(max_length=500, blank=True, verbose_name=_("applied heading"))
    applied_body = models.TextField(blank=True, verbose_name=_("applied text"))
    applied_heading_az = models.CharField(max_length=500, blank=True, verbose_name=_("applied Azerbaijani heading"))
    applied_body_az = models.TextField(blank=True, verbose_name=_("applied Azerbaijani text"))
    result_clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("result clause"))
    # Compromises (drafting/models/compromises.py). On a compromise, the amendments it combines, written once when it
    # is submitted and never changed (the record of what it was made from). On an original, the compromise that
    # supersedes it now, and the state it goes back to if that compromise is withdrawn or rejected; both recorded in
    # its history.
    combines = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="combined_into", verbose_name=_("combines"))
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseding",
        verbose_name=_("superseded by"))
    is_compromise = models.BooleanField(default=False, editable=False, verbose_name=_("compromise"))
    state_before_superseded = models.CharField(
        max_length=20, choices=State.choices, blank=True, verbose_name=_("state before it was superseded"))
    history = HistoricalRecords()

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="amendment_number_per_document")]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

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
    def is_approved(self):
        return self.state == self.State.APPROVED

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
        # A rejected compromise has given its originals back: it cannot be reopened by a changed decision.
        return self.state in self.REVIEWABLE_STATES and not (self.is_rejected and self.is_compromise)

    @property
    def is_superseded(self):
        return self.state == self.State.SUPERSEDED

    @property
    def is_modify(self):
        return self.kind == self.Kind.MODIFY

    @property
    def is_remove(self):
        return self.kind == self.Kind.REMOVE

    @property
    def is_insert(self):
        return self.kind == self.Kind.INSERT

    @property
    def is_translate(self):
        return self.kind == self.Kind.TRANSLATE

    # --- languages -----------------------------------------------------------------------------------------
    # A document in one language keeps its amendments as they always were (the English fields, and beside them
    # the Azerbaijani heading of an English document). On a bilingual document an amendment proposes the
    # authoritative heading and text and, optionally, the translation; a translation update the translation only.
    @property
    def is_bilingual(self):
        return len(self.document.languages) > 1

    @property
    def languages(self):
        """The languages whose text this amendment writes, the first one the text its lists show."""
        if self.is_translate:
            return [self.document.translation_language]
        return self.document.languages

    def proposed_in(self, language):
        """(heading, text) proposed in `language`."""
        return getattr(self, field_in("proposed_heading", language)), getattr(self, field_in("proposed_body", language))

    @property
    def shown_language(self):
        """The language a one-line summary shows: the first the amendment changes (a rewording of the translation
        alone shows the translation), else the first it writes."""
        for language in self.languages:
            if self.is_remove:
                break
            proposed = self.proposed_in(language)
            if (any(proposed) if self.is_insert else proposed != _text(self.base, language)):
                return language
        return self.languages[0]

    def changes_translation(self):
        """Whether this amendment writes the translation (always, for a translation update)."""
        language = self.document.translation_language
        if not language:
            return False
        return self.is_translate or self.is_insert or self.proposed_in(language) != _text(self.base, language)

    def is_sponsored_by(self, member):
        if member is None:
            return False
        return self.author_id == member.pk or self.cosponsors.filter(pk=member.pk).exists()

    # --- reading -------------------------------------------------------------------------------------------
    @property
    def base_is_current(self):
        """Whether the clause still reads as it did when the amendment was written (numbering aside), in every
        language of the document."""
        clause = self.clause
        return clause.status == self.base.status and all(
            _text(clause, language) == _text(self.base, language) for language in self.document.languages)

    def planned_clause(self, step=0):
        """The clause this insertion would write, at its place among the siblings it would land between
        (`step` orders several insertions at one place, in the order they are given)."""
        anchor = self.clause
        if self.placement == self.Placement.FIRST_CHILD:
            return PlannedClause(self.pk, anchor.pk, -1 + step / 1000)
        if self.placement == self.Placement.LAST_CHILD:
            return PlannedClause(self.pk, anchor.pk, 10**9 + step)
        return PlannedClause(self.pk, anchor.parent_id, anchor.position + 0.5 + step / 1000)

    @staticmethod
    def number_insertions(insertions, *, together=False):
        """Under "keep" (drafting/models/clauses.py), set on each open insertion the number it would take:
        each as if applied alone now, or all of them `together` (the what-if draft). One query for the
        document's clauses whatever the number of insertions; insertions of one document."""
        insertions = [a for a in insertions if a.kind == Amendment.Kind.INSERT and a.result_clause_id is None]
        if not insertions or not insertions[0].document.keeps_numbers:
            return
        clauses = list(Clause.objects.filter(document_id=insertions[0].document_id))
        if together:
            steps = {}
            planned = []
            for amendment in insertions:
                place = (amendment.clause_id, amendment.placement)
                steps[place] = steps.get(place, -1) + 1
                planned.append(amendment.planned_clause(steps[place]))
            groups = [planned]
        else:
            groups = [[amendment.planned_clause()] for amendment in insertions]
        numbers = provisional_numbers(clauses, groups, Numbering.KEEP)
        for amendment in insertions:
            amendment._provisional_number = numbers.get(amendment.pk, "")

    def provisional_label(self):
        """Where an insertion will land: in words ("new, after 3.1"), or under "keep" the number it would take
        if applied now ("4.1.1-1 (provisional)")."""
        if self.document.keeps_numbers and self.result_clause_id is None:
            if not hasattr(self, "_provisional_number"):
                Amendment.number_insertions([self])
            if getattr(self, "_provisional_number", ""):
                return gettext("%(number)s (provisional)") % {"number": self._provisional_number}
        anchor = self.clause.number or self.clause.heading
        label = {
            self.Placement.AFTER: _("new, after %(clause)s"),
            self.Placement.FIRST_CHILD: _("new, first under %(clause)s"),
            self.Placement.LAST_CHILD: _("new, last under %(clause)s"),
        }.get(self.placement)
        return label % {"clause": anchor} if label else gettext("new")

    @property
    def title(self):
        """What the amendment does, in a few words, for lists and choosers: "Reword 4.1.1 The restoration ..."."""
        if self.kind == self.Kind.INSERT:
            heading, body = self.proposed_in(self.shown_language)
            words = heading or " ".join(body.split()[:8]) or gettext("untitled")
            return gettext("New clause: %(words)s") % {"words": words}
        if self.kind == self.Kind.REMOVE:
            return gettext("Remove %(clause)s") % {"clause": self.clause.label}
        if self.kind == self.Kind.TRANSLATE:
            return gettext("Update the translation of %(clause)s") % {"clause": self.clause.label}
        return gettext("Reword %(clause)s") % {"clause": self.clause.label}

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

    def proposed_redline(self, against=None, language=None):
        """The change as redline pieces: against its base by default, or against another clause version; in
        `language` (default: the first it changes, `shown_language`).

        A removal strikes the whole text; an insertion is all new.
        """
        old = against or self.base
        language = language or self.shown_language
        heading, body = self.proposed_in(language)
        if self.kind == self.Kind.INSERT:
            return {"heading": redline("", heading), "body": redline("", body)}
        old_heading, old_body = _text(old, language)
        if self.kind == self.Kind.REMOVE:
            return {"heading": redline(old_heading, ""), "body": redline(old_body, "")}
        return {"heading": redline(old_heading, heading), "body": redline(old_body, body)}

    def proposed_redlines(self, against=None):
        """`proposed_redline` in each language the amendment writes, labelled: [{language, label, heading, body}]."""
        return [{"language": language, "label": language_label(language), **self.proposed_redline(against, language)}
                for language in self.languages]

    def rebased_texts(self, current):
        """What approving now would write into a clause that moved on: {language: (heading, body)}, or
        RebaseConflict naming the language it met (on a bilingual document)."""
        texts = {}
        for language in self.languages:
            (base_heading, base_body), (heading, body) = _text(self.base, language), self.proposed_in(language)
            current_heading, current_body = _text(current, language)
            try:
                texts[language] = (rebase(base_heading, heading, current_heading), rebase(base_body, body, current_body))
            except RebaseConflict as conflict:
                if not self.is_bilingual:
                    raise
                raise RebaseConflict(_IN_LANGUAGE[language], reason=conflict) from conflict
        return texts

    def rebase_preview(self, current):
        """What approving now would write into a clause that moved on: (heading, body) in the amendment's first
        language, or RebaseConflict."""
        return self.rebased_texts(current)[self.languages[0]]

    def preview(self, base, heading="", body="", texts=None):
        """The redline of a text being typed (not saved) for an amendment of this kind, against `base`: the
        first language's `heading` and `body` (or `texts`, {language: (heading, body)}); with more than one
        language, also `languages`, a labelled redline per language."""
        texts = texts or {self.languages[0]: (heading, body)}
        by_language = []
        for language in self.languages:
            old_heading, old_body = _text(base, language)
            if self.kind == self.Kind.REMOVE:
                new_heading = new_body = ""
            else:
                new_heading, new_body = texts.get(language, ("", ""))
                if self.kind == self.Kind.INSERT:
                    old_heading = old_body = ""
            by_language.append({"language": language, "label": language_label(language),
                                "heading": redline(old_heading, new_heading), "body": redline(old_body, new_body)})
        result = {"heading": by_language[0]["heading"], "body": by_language[0]["body"]}
        if len(by_language) > 1:
            result["languages"] = by_language
        return result

    def redlines(self):
        """Everything the amendment page shows of the change, worked out here so a page, an export or a
        command reads the same thing: against the base; against the current text when the clause moved on,
        with what approving now would write (or the conflict it would meet); the three-way view of a needs-
        rebase amendment; and for an applied one what was actually written."""
        current = self.clause.history.latest()
        stale = self.is_open and not self.base_is_current
        rewords = self.is_modify or self.is_translate
        result = {
            "current": current, "stale": stale,
            "against_base": self.proposed_redline(),
        }
        if len(self.languages) > 1 or self.is_translate:
            result["against_base_by_language"] = self.proposed_redlines()
        if stale and rewords and current.status != Clause.Status.REMOVED:
            try:
                texts = self.rebased_texts(current)
                by_language = [{"language": language, "label": language_label(language),
                                "heading": redline(_text(current, language)[0], heading),
                                "body": redline(_text(current, language)[1], body)}
                               for language, (heading, body) in texts.items()]
                result["rebase_preview"] = by_language[0]
                if len(by_language) > 1:
                    result["rebase_preview_by_language"] = by_language
            except RebaseConflict as conflict:
                result["rebase_conflict"] = str(conflict)
        if self.needs_rebase and rewords:
            from ..redo import three_way

            result["three_way"] = three_way(self, current)
            if len(self.languages) > 1:
                result["three_ways"] = [{"language": language, "label": language_label(language),
                                         "view": three_way(self, current, language)} for language in self.languages]
        if self.is_applied and rewords:
            first = self.languages[0]
            applied_body = getattr(self, field_in("applied_body", first))
            result["applied_redline"] = redline(_text(self.base, first)[1], applied_body)
            result["was_rebased"] = applied_body != self.proposed_in(first)[1]
            if len(self.languages) > 1:
                result["applied_by_language"] = [
                    {"language": language, "label": language_label(language),
                     "body": redline(_text(self.base, language)[1], getattr(self, field_in("applied_body", language)))}
                    for language in self.languages]
        return result

    def current_reviews(self):
        return self.reviews.filter(round=self.round)

    # --- transitions ---------------------------------------------------------------------------------------
    # Each transition is one method that, inside a transaction, locks this amendment's row and re-reads it
    # (`_locked`), checks its rule on that fresh row, writes only the fields it changes, and asks for the
    # notifications after the commit. Nothing is decided on the instance a view or a command loaded earlier:
    # two reviewers approving at the same moment are serialised by the row lock, and the second sees the
    # first's review and the state it left. Lock order everywhere: amendment, then document, then clause.
    # SQLite has no row locks; there `transaction_mode = IMMEDIATE` makes every transaction take the write
    # lock up front, which serialises the same code.

    def _locked(self):
        return Amendment.objects.select_for_update().get(pk=self.pk)

    def _adopt(self, fresh):
        """Take the committed values of `fresh` (the locked copy) so the caller's instance tells the truth."""
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))

    def _write(self, member, reason, fields):
        """Save the changed fields only, with the acting member on the history row (request or not)."""
        attribute(self, user=member.user, reason=reason)
        self.save(update_fields=[*fields, "updated_at"])

    def _require(self, condition, message):
        if not condition:
            raise TransitionError(message)

    def _require_state(self, states, action):
        if self.state not in states:
            # The state in lower case inside a sentence; no state's label begins with I or İ, whose lower case
            # str.lower() would get wrong in Azerbaijani.
            state = self.get_state_display().lower()
            raise TransitionError(_CANNOT_NOW[action] % {"label": self.label, "state": state})

    def _require_author(self, member, action):
        if member is None or not member.is_active:
            raise NotAllowed(gettext("Only active members can do this."))
        if member.pk != self.author_id:
            raise NotAllowed(_ONLY_THE_AUTHOR[action] % {"label": self.label})

    def was_cosponsor_this_round(self, member):
        """Whether `member` co-sponsors this amendment now or did at any time during its current round."""
        if member is None:
            return False
        return self.cosponsors.filter(pk=member.pk).exists() or self.sponsorship_events.filter(
            member_id=member.pk, round=self.round
        ).exists()

    def has_reviewed_this_round(self, member):
        return member is not None and self.reviews.filter(reviewer_id=member.pk, round=self.round).exists()

    def check_editable_by(self, member):
        self._require_author(member, "edit")
        self._require_state(self.EDITABLE_STATES, "edited")

    def _submit_locked(self, member):
        self._require_state(self.EDITABLE_STATES, "submitted")
        self._require(self.rationale.strip(), gettext("A rationale is required before submitting."))
        clause = Clause.objects.get(pk=self.clause_id)
        if self.kind in (self.Kind.MODIFY, self.Kind.TRANSLATE):
            self._require(not clause.is_removed, gettext("The clause has been removed; this amendment cannot apply."))
        if self.state == self.State.NEEDS_REBASE:
            self._require(self.base_is_current, gettext("Redo the amendment on the current text before submitting again."))
        self.state = self.State.SUBMITTED
        self.round += 1
        self.conflict = ""
        self._write(member, "submitted", ["state", "round", "conflict"])
        ReviewRequest.for_submitted(self, member)
        notify.after_commit(notify.amendment_state_changed, self, self.State.SUBMITTED, member)

    def submit(self, member):
        with transaction.atomic():
            locked = self._locked()
            locked._require_author(member, "submit")
            locked._submit_locked(member)
        self._adopt(locked)

    def _sign_on_locked(self, member, by):
        if member is None or not member.can_propose(self.document_id):
            raise NotAllowed(gettext("Only drafters and reviewers of this document can co-sponsor amendments."))
        self._require(member.pk != self.author_id, gettext("The author already sponsors this amendment."))
        self._require_state(self.OPEN_STATES, "co-sponsored")
        if self.cosponsors.filter(pk=member.pk).exists():
            return False
        self._require(
            not self.has_reviewed_this_round(member),
            gettext("%(member)s has reviewed %(label)s in this round; a reviewer cannot also sponsor it.")
            % {"member": member.display_name, "label": self.label},
        )
        self.cosponsors.add(member)
        ReviewRequest.signed_on(self, member)
        SponsorshipEvent.objects.create(
            amendment=self, member=member, by=by, round=self.round, action=SponsorshipEvent.Action.SIGNED_ON
        )
        return True

    def _sign_off_locked(self, member, by):
        self._require_state(self.OPEN_STATES, "changed")
        if not self.cosponsors.filter(pk=member.pk).exists():
            return False
        self.cosponsors.remove(member)
        SponsorshipEvent.objects.create(
            amendment=self, member=member, by=by, round=self.round, action=SponsorshipEvent.Action.SIGNED_OFF
        )
        return True

    def sign_on(self, member):
        """A member co-sponsors an open amendment (and so can no longer review it, this round)."""
        with transaction.atomic():
            locked = self._locked()
            locked._sign_on_locked(member, by=member)
        self._adopt(locked)

    def sign_off(self, member):
        """A co-sponsor takes their name back while the amendment is open (they still cannot review it
        this round: signing off to approve one's own text is what the rule is for)."""
        if member is None or not member.is_active:
            raise NotAllowed(gettext("Only active members can do this."))
        with transaction.atomic():
            locked = self._locked()
            locked._require(locked.cosponsors.filter(pk=member.pk).exists(),
                            gettext("You are not a co-sponsor of %(label)s.") % {"label": locked.label})
            locked._sign_off_locked(member, by=member)
        self._adopt(locked)

    def _set_cosponsors_locked(self, members, by):
        """The author names the co-sponsors in the form: each one added or dropped is recorded."""
        wanted = {m.pk: m for m in members}
        current = set(self.cosponsors.values_list("pk", flat=True))
        for pk in current - wanted.keys():
            self._sign_off_locked(self.cosponsors.get(pk=pk), by=by)
        for pk in wanted.keys() - current:
            self._sign_on_locked(wanted[pk], by=by)

    def withdraw(self, member):
        with transaction.atomic():
            locked = self._locked()
            locked._require_author(member, "withdraw")
            locked._require_state(self.OPEN_STATES, "withdrawn")
            locked.state = self.State.WITHDRAWN
            locked._write(member, "withdrawn", ["state"])
            if locked.is_compromise:
                locked._restore_originals_locked(member)
            ReviewRequest.amendment_closed(locked, member)
            notify.after_commit(notify.amendment_state_changed, locked, self.State.WITHDRAWN, member)
        self._adopt(locked)

    def revise(self, member, *, fields, edited_at=None, tags=None, cosponsors=None, submit=False, reason="edited"):
        """The author's new text (and tags, co-sponsors), written only if nobody changed the amendment since
        the form was opened (`edited_at`, the `updated_at` it showed). On a needs-rebase amendment the new text
        is written against the clause's current version. With `submit`, it is submitted in the same step.
        `reason` is the history row's (a suggestion applied names its suggester there)."""
        with transaction.atomic():
            locked = self._locked()
            locked._require_author(member, "edit")
            locked._require_state(self.EDITABLE_STATES, "edited")
            if edited_at is not None and edited_at != locked.updated_at.isoformat():
                raise StaleEdit(gettext(
                    "This amendment was changed in another window or tab since you opened it. Your text is kept "
                    "below: check the current version, then save again."
                ))
            changed = [name for name, value in fields.items() if getattr(locked, name) != value]
            for name in changed:
                setattr(locked, name, fields[name])
            if locked.state == self.State.NEEDS_REBASE:
                locked.base = Clause.objects.get(pk=locked.clause_id).history.latest()
                changed.append("base")
            if changed:
                locked.revision += 1
                locked._write(member, reason, [*changed, "revision"])
            if tags is not None:
                locked.tags.set(tags)
            if cosponsors is not None:
                locked._set_cosponsors_locked(cosponsors, by=member)
            if submit:
                locked._submit_locked(member)
        self._adopt(locked)

    def review(self, member, decision, note="", revision=None):
        """Record (or change) a reviewer's decision for this round; reaching the quorum applies it.

        `revision` is the amendment revision the reviewer read (the review form carries it): a decision on a
        text that was edited since is refused, so nobody approves words they have not seen.
        """
        from .reviews import Review

        if member is None or not member.is_active:
            raise NotAllowed(gettext("Only active members can review."))
        with transaction.atomic():
            locked = self._locked()
            if locked.author_id == member.pk or locked.was_cosponsor_this_round(member):
                raise NotAllowed(gettext("Authors and co-sponsors cannot review their own amendment."))
            locked._check_compromise_review(member)  # before the role check, so the refusal says why
            if not member.can_review(locked):
                raise NotAllowed(gettext("Only reviewers can review amendments."))
            locked._require_state(self.REVIEWABLE_STATES, "reviewed")
            locked._check_compromise_reopened()
            if revision is not None and int(revision) != locked.revision:
                raise StaleEdit(gettext("%(label)s was edited since you opened it: read the new text, then decide.")
                                % {"label": locked.label})
            review, created = Review.objects.get_or_create(
                amendment=locked, reviewer=member, round=locked.round, defaults={"decision": decision, "note": note}
            )
            if not created and (review.decision, review.note) != (decision, note):
                changed_decision = review.decision != decision
                review.decision, review.note = decision, note
                review.save(update_fields=["decision", "note", "updated_at"])
                if changed_decision:
                    notify.after_commit(notify.review_recorded, review)
            elif created:
                notify.after_commit(notify.review_recorded, review)
            ReviewRequest.reviewed(locked, member)
            state = locked._settle(member)
        self._adopt(locked)
        return state

    def _settle(self, member):
        """The state this round's reviews call for, decided on the locked row; reaching the quorum applies."""
        from .reviews import Review

        decisions = list(self.current_reviews().values_list("decision", flat=True))
        if Review.Decision.REJECT in decisions:
            state = self.State.REJECTED
            if self.is_compromise and self.state != state:
                self._restore_originals_locked(member)
        elif Review.Decision.REQUEST_CHANGES in decisions:
            state = self.State.CHANGES_REQUESTED
        elif decisions.count(Review.Decision.APPROVE) >= self.document.quorum:
            self.state = self.State.APPROVED
            self._write(member, "approved", ["state"])
            return self._apply_locked(member)
        else:
            state = self.State.SUBMITTED
        if state != self.state:
            self.state = state
            self._write(member, f"reviewed: {english(self.State(state).label).lower()}", ["state"])
            if state == self.State.REJECTED:
                ReviewRequest.amendment_closed(self, member)
        return self.state

    def apply(self, approver):
        """Write an approved amendment into the document (normally reached through the quorum)."""
        with transaction.atomic():
            locked = self._locked()
            locked._require(locked.state == self.State.APPROVED,
                            gettext("%(label)s is not approved.") % {"label": locked.label})
            state = locked._apply_locked(approver)
        self._adopt(locked)
        return state

    def _apply_locked(self, approver):
        """Write the change into the document, this row already locked and just checked to be approved.

        Returns the new state: applied, or needs rebase when the text moved on in a way that overlaps.
        """
        # A compromise's originals are amendment rows: locked before the document and the clause (the lock order).
        originals = self._lock_originals() if self.is_compromise else []
        # The document as locked, not as read before: its numbering policy may have been switched meanwhile
        # (Document.change_settings holds this lock too), and the numbers are stored under the policy it has now.
        self.document = type(self.document).objects.select_for_update().get(pk=self.document_id)
        clause = Clause.objects.select_for_update().get(pk=self.clause_id)
        self.clause = clause
        moment = timezone.now()
        reason = f"amendment {self.label}"
        stamp = {"user": approver.user, "reason": reason, "date": moment, "amendment": self}
        try:
            with transaction.atomic():  # a conflict found half way leaves no clause written
                {
                    self.Kind.MODIFY: self._apply_modify,
                    self.Kind.REMOVE: self._apply_remove,
                    self.Kind.INSERT: self._apply_insert,
                    self.Kind.TRANSLATE: self._apply_modify,
                }[self.kind](clause, stamp)
        except RebaseConflict as conflict:
            self.state = self.State.NEEDS_REBASE
            with translation.override(settings.LANGUAGE_CODE):  # the record is kept in the deployment's language
                self.conflict = str(conflict)
            self._write(approver, "needs rebase", ["state", "conflict"])
            notify.after_commit(notify.amendment_state_changed, self, self.State.NEEDS_REBASE, None)
            return self.state
        self.document.renumber(user=approver.user, reason=reason, date=moment)
        self.state = self.State.APPLIED
        self.applied_at = moment
        self.applied_by = approver
        self.conflict = ""
        self._write(approver, "applied", [
            "state", "applied_at", "applied_by", "conflict", "applied_heading", "applied_body", "result_clause",
            "applied_heading_az", "applied_body_az",
        ])
        ReviewRequest.amendment_closed(self, approver)
        notify.after_commit(notify.amendment_state_changed, self, self.State.APPLIED, approver)
        if originals:
            self._close_originals_locked(originals, approver)
        return self.state

    def _apply_modify(self, clause, stamp):
        """A rewording or a translation update: every language it writes rebased onto the clause as it reads now,
        in one history row, the translation status kept by `Clause.write_texts`."""
        if clause.is_removed:
            raise RebaseConflict(_("the clause has been removed since the amendment was written"))
        texts = self.rebased_texts(clause)
        # A translation update was made from the authoritative text of its base; a rewording's translation covers
        # its own change and what the base's translation already covered.
        made_from = self.base.authoritative_version if self.is_translate else self.base.translated_from
        changed = clause.write_texts(self.document, texts, translated=self.changes_translation(), made_from=made_from)
        if self.document.languages == [EN]:
            # An English document keeps the Azerbaijani heading beside it, changed when the amendment changed it.
            if self.proposed_heading_az != self.base.heading_az and self.proposed_heading_az != clause.heading_az:
                clause.heading_az = self.proposed_heading_az
                changed = True
        for language in self.document.languages:
            heading, body = clause.text_in(language)
            setattr(self, field_in("applied_heading", language), heading)
            setattr(self, field_in("applied_body", language), body)
        if changed:
            attribute(clause, **stamp)
            clause.save()

    def _apply_remove(self, clause, stamp):
        if clause.is_removed:
            raise RebaseConflict(_("the clause has already been removed"))
        for entry in self.affected_clauses():
            target = entry.clause
            target.status = Clause.Status.REMOVED
            attribute(target, **stamp)
            target.save()

    def _apply_insert(self, anchor, stamp):
        if anchor.is_removed:
            raise RebaseConflict(_("the clause this insertion was placed against has been removed"))
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
            body_az=self.proposed_body_az if AZ in self.document.languages else "",
        )
        translation = self.document.translation_language
        if translation and not any(self.proposed_in(translation)) and any(self.proposed_in(self.languages[0])):
            new.translated_from = 0  # inserted without a translation: one is owed for the whole text
        attribute(new, **stamp)
        new.save()
        self.result_clause = new
        self.applied_heading, self.applied_body = new.heading, new.body
        if AZ in self.document.languages:
            self.applied_heading_az, self.applied_body_az = new.heading_az, new.body_az

    # --- creation ------------------------------------------------------------------------------------------
    @classmethod
    def start(cls, *, author, clause, kind, placement="", base=None, tags=(), cosponsors=(), submit=False, **fields):
        """A new draft, numbered in its document, written against `base` (default: the current version).

        A form passes the version the drafter saw, so a change made meanwhile is rebased, never overwritten.
        Tags and co-sponsors named in the form are set in the same transaction (each sign-on recorded); with
        `submit` the draft is submitted at once.
        """
        if author is None or not author.can_propose(clause.document_id):
            raise NotAllowed(gettext("Only drafters and reviewers of this document can propose amendments."))
        if clause.is_removed:
            raise TransitionError(gettext("That clause has been removed; propose against a clause in force."))
        if base is not None and base.id != clause.pk:
            raise TransitionError(gettext("That version belongs to another clause."))
        if clause.is_closing and kind == cls.Kind.INSERT and placement != cls.Placement.AFTER:
            raise TransitionError(gettext("A closing text has no sub-clauses; insert the new clause under its "
                                          "parent instead."))
        document = clause.document
        if kind == cls.Kind.TRANSLATE and not document.translation_language:
            raise TransitionError(gettext("This document has no translation: there is no translation to update."))
        if len(document.languages) > 1 and kind in (cls.Kind.MODIFY, cls.Kind.TRANSLATE):
            # A language the proposal does not mention is left as the base has it (a change of it alone would
            # otherwise erase it); a translation update proposes nothing in the authoritative language.
            seen = base or clause.history.latest()
            for language in document.languages:
                if kind == cls.Kind.TRANSLATE and language == document.authoritative_language:
                    fields.pop(field_in("proposed_heading", language), None)
                    fields.pop(field_in("proposed_body", language), None)
                    continue
                for name in ("heading", "body"):
                    fields.setdefault(field_in("proposed_" + name, language), getattr(seen, field_in(name, language)))
        with transaction.atomic():
            type(clause.document).objects.select_for_update().get(pk=clause.document_id)
            last = cls.objects.filter(document_id=clause.document_id).aggregate(models.Max("number"))
            amendment = cls(
                document_id=clause.document_id, number=(last["number__max"] or 0) + 1, kind=kind,
                clause=clause, placement=placement, base=base or clause.history.latest(), author=author, **fields,
            )
            attribute(amendment, user=author.user, reason="drafted")
            amendment.save()
            if tags:
                amendment.tags.set(tags)
            for member in cosponsors:
                amendment._sign_on_locked(member, by=author)
            if submit:
                amendment._submit_locked(author)
        return amendment


def open_amendment_filter():
    return Q(state__in=Amendment.OPEN_STATES)


def _text(version, language):
    """(heading, text) of a clause or a history row of one in `language`."""
    return getattr(version, field_in("heading", language)), getattr(version, field_in("body", language))
