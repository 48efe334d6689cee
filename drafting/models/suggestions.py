"""Suggested changes: a member proposes, inside a comment thread, a replacement for part of an amendment's
proposed text; the amendment's author applies it with one click or declines it.

A suggestion belongs to one comment (a new thread on an open, submitted amendment) and to one language of the
proposed text (a bilingual amendment has an Azerbaijani and an English text; a suggestion touches its own only).
It records the exact part replaced: the words (`original`) and where they start (`start`, a character offset), so
a phrase that occurs twice is never ambiguous, and the whole proposed text it was made against (`made_against`,
with the amendment's `revision` of the moment), from which its redline is drawn, now and forever.

The strict rule of "outdated": a suggestion is outdated as soon as its language's proposed text differs in any
way from the text it was made against, even if the part it replaces is still there. It is computed on reading,
from the amendment loaded with it, so it can never disagree with the text, and checked again under the
amendment's row lock when the author applies it: an outdated suggestion is never applied silently onto words
its author did not see.

Applying goes through `Amendment.revise`, so every rule of editing an amendment holds (only the author, only in
an editable state, one new revision, co-sponsors kept); the revision's history row is written by the author
with the reason "suggestion by <suggester> applied by <author>", and the suggestion points at that row.
"""
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..excerpts import ELLIPSIS, _head, _tail, excerpt
from ..languages import TEXT_LANGUAGES
from ..languages import field as field_in
from ..redline import redline
from .amendments import Amendment, NotAllowed, TransitionError
from .history import attribute

# The longest text a suggestion may replace or put in: a clause's (drafting/forms/amendments.py MAX_BODY).
TEXT_MAX_LENGTH = 20_000


def occurrences(text, part):
    """Where `part` starts in `text`, every time, in order (overlapping ones too: "aa" twice in "aaa")."""
    found, at = [], (text or "").find(part) if part else -1
    while at != -1:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def in_context(text, start, length, words=4):
    """`text[start:start + length]` with a few words either side, "…" where the text goes on: how a member tells
    one occurrence of a repeated phrase from another."""
    before, cut_before = _tail(text[:start], words)
    after, cut_after = _head(text[start + length:], words)
    return f"{ELLIPSIS + ' ' if cut_before else ''}{before}{text[start:start + length]}{after}{' ' + ELLIPSIS if cut_after else ''}"


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Suggestions in the comments `member` may read (so on the amendments they may read)."""
        from .comments import Comment

        return self.filter(comment__in=Comment.objects.visible_to(member))


class Suggestion(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        APPLIED = "applied", _("Applied")
        DECLINED = "declined", _("Declined")

    # States in which an amendment takes suggestions: open and in front of the group (a draft is its
    # sponsors' work in progress, and a closed amendment changes no more).
    TAKES_SUGGESTIONS = tuple(state for state in Amendment.OPEN_STATES if state != Amendment.State.DRAFT)

    comment = models.OneToOneField("drafting.Comment", on_delete=models.PROTECT, related_name="suggestion", verbose_name=_("comment"))
    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("amendment"))
    language = models.CharField(max_length=2, choices=TEXT_LANGUAGES, verbose_name=_("language"))
    original = models.TextField(verbose_name=_("replaced part"))
    start = models.PositiveIntegerField(help_text=_("Where the replaced part starts in the proposed text (a character offset)."),
                                        verbose_name=_("start"))
    replacement = models.TextField(blank=True, verbose_name=_("replacement"))
    made_against = models.TextField(help_text=_("The proposed text the suggestion was made against."), verbose_name=_("made against"))
    made_against_revision = models.PositiveIntegerField(verbose_name=_("made against revision"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, verbose_name=_("state"))
    decided_by = models.ForeignKey("drafting.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("applied or declined by"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("applied or declined at"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    applied_revision = models.ForeignKey(
        Amendment.history.model, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The amendment's history row of the revision that applied the suggestion."),
        verbose_name=_("applied revision"),
    )
    history = HistoricalRecords()

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(original=""), name="suggestion_replaces_something"),
            models.CheckConstraint(
                condition=Q(state="open", decided_by__isnull=True) | Q(~Q(state="open"), decided_by__isnull=False),
                name="suggestion_decided_by_someone",
            ),
        ]
        verbose_name = _("suggested change")
        verbose_name_plural = _("suggested changes")

    def __str__(self):
        return f"Suggestion {self.pk} on {self.amendment.label}"

    # --- reading -------------------------------------------------------------------------------------------
    @property
    def end(self):
        return self.start + len(self.original)

    @property
    def suggested_text(self):
        """The proposed text as the suggestion would make it."""
        return self.made_against[: self.start] + self.replacement + self.made_against[self.end:]

    def current_text(self, amendment=None):
        return getattr(amendment or self.amendment, field_in("proposed_body", self.language))

    def is_outdated_on(self, amendment):
        return self.current_text(amendment) != self.made_against

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def is_applied(self):
        return self.state == self.State.APPLIED

    @property
    def is_declined(self):
        return self.state == self.State.DECLINED

    @property
    def is_outdated(self):
        """Open, but the proposed text it was made against has changed since (the strict rule, above)."""
        return self.is_open and self.is_outdated_on(self.amendment)

    def redline(self):
        """The change in its place, against the text it was made against, with a few words either side."""
        return excerpt(redline(self.made_against, self.suggested_text))

    @property
    def language_label(self):
        return self.get_language_display()

    # --- who may do what -----------------------------------------------------------------------------------
    def can_be_applied_by(self, member):
        """What the Apply button asks: the author, on an amendment they may edit now, a suggestion still open and
        made against the text as it reads."""
        amendment = self.amendment
        return (member is not None and member.is_active and member.pk == amendment.author_id
                and amendment.is_editable and self.is_open and not self.is_outdated and not self.comment.is_withdrawn)

    def can_be_declined_by(self, member):
        return (member is not None and member.is_active and member.pk == self.amendment.author_id
                and self.amendment.is_open and self.is_open and not self.comment.is_withdrawn)

    # --- changes -------------------------------------------------------------------------------------------
    @classmethod
    def check_new(cls, amendment, language, original, start, replacement):
        """Refuse (TransitionError, a message for the person) a suggestion that could not be applied as made."""
        if amendment.state not in cls.TAKES_SUGGESTIONS:
            raise TransitionError(gettext("%(label)s is %(state)s: changes can be suggested only while it is open "
                                          "and submitted.") % {"label": amendment.label,
                                                               "state": amendment.get_state_display().lower()})
        if language not in amendment.languages:
            raise TransitionError(gettext("%(label)s has no proposed text in that language.") % {"label": amendment.label})
        text = getattr(amendment, field_in("proposed_body", language))
        if not original:
            raise TransitionError(gettext("Copy the words to replace from the proposed text."))
        if start is None or text[start: start + len(original)] != original:
            raise TransitionError(gettext("Those words are not in the proposed text (it may have changed since you "
                                          "opened the page); copy them exactly."))
        if replacement == original:
            raise TransitionError(gettext("The replacement is the same as the words it replaces."))
        if len(text) - len(original) + len(replacement) > TEXT_MAX_LENGTH:
            raise TransitionError(gettext("The proposed text would be longer than a clause may be."))
        return text

    @classmethod
    def make(cls, comment, *, language, original, start, replacement):
        """The suggestion of a new thread, checked on the amendment's locked row (call inside the comment's
        transaction)."""
        amendment = Amendment.objects.select_for_update().get(pk=comment.amendment_id)
        text = cls.check_new(amendment, language, original, start, replacement)
        suggestion = cls(comment=comment, amendment=amendment, language=language, original=original, start=start,
                         replacement=replacement, made_against=text, made_against_revision=amendment.revision)
        attribute(suggestion, user=comment.author.user, reason="suggested")
        suggestion.save()
        return suggestion

    def _locked(self):
        """The amendment, then this suggestion, locked in that order (the amendment is locked first everywhere)."""
        amendment = Amendment.objects.select_for_update().get(pk=self.amendment_id)
        suggestion = Suggestion.objects.select_for_update().select_related("comment__author").get(pk=self.pk)
        suggestion.amendment = amendment
        return amendment, suggestion

    def _require_open(self):
        if self.comment.is_withdrawn:
            raise TransitionError(gettext("This suggestion was withdrawn with its comment."))
        if not self.is_open:
            raise TransitionError(gettext("This suggestion was already %(state)s.") % {"state": self.get_state_display().lower()})

    def apply(self, member):
        """A new revision of the amendment with the suggested text, written by its author and recorded as the
        suggester's; refused if the proposed text changed since the suggestion was made."""
        from .. import notify

        with transaction.atomic():
            amendment, locked = self._locked()
            amendment.check_editable_by(member)
            locked._require_open()
            if locked.is_outdated_on(amendment):
                raise TransitionError(gettext(
                    "This suggestion is outdated: the proposed text has changed since it was made, so it cannot be "
                    "applied. Suggest the change again on the current text if it still stands."))
            suggester = locked.comment.author
            reason = f"suggestion by {suggester.full_name} applied by {member.full_name}"
            amendment.revise(member, fields={field_in("proposed_body", locked.language): locked.suggested_text},
                             reason=reason)
            locked.state, locked.decided_by, locked.decided_at = self.State.APPLIED, member, timezone.now()
            locked.applied_revision = amendment.history.order_by("-history_date", "-history_id").first()
            attribute(locked, user=member.user, reason="applied")
            locked.save()
            notify.after_commit(notify.suggestion_decided, locked, member)
        self._adopt(locked, amendment)

    def decline(self, member, note=""):
        from .. import notify

        with transaction.atomic():
            amendment, locked = self._locked()
            if member is None or not member.is_active or member.pk != amendment.author_id:
                raise NotAllowed(gettext("Only the author of %(label)s can apply or decline suggestions.")
                                 % {"label": amendment.label})
            if not amendment.is_open:
                raise TransitionError(gettext("%(label)s is closed; its suggestions stay as they are.")
                                      % {"label": amendment.label})
            locked._require_open()
            locked.state, locked.decided_by, locked.decided_at, locked.note = (
                self.State.DECLINED, member, timezone.now(), note)
            attribute(locked, user=member.user, reason="declined")
            locked.save()
            notify.after_commit(notify.suggestion_decided, locked, member)
        self._adopt(locked, amendment)

    def _adopt(self, fresh, amendment):
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))
        self.amendment = amendment
