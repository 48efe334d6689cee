"""Compromise amendments (issue 15): a reviewer reconciles competing rewordings of one clause into one amendment.

A compromise is an ordinary amendment, a rewording of the clause reviewed and applied like any other, that
`combines` the amendments it was made from (its originals). The rules:

- Only a reviewer of the document starts one, from at least two submitted rewordings of one clause of one
  document that are still open and written on the clause's current text (a stale one is redone by its author
  first: the reviewer is told which one is in the way). Drafts are their authors' unfinished work: never combined.
- A compromise has no draft stage: it is submitted when it is made, and in that same transaction its originals
  become superseded (a state of their own: not open, not editable, not reviewable, never deleted), each
  remembering the state it had. Their sponsors are told, and may sign on to the compromise or object in its
  thread.
- Nobody reviews a compromise they started (they are its author) or one that combines an amendment they wrote or
  co-sponsored.
- Withdrawn or rejected, the compromise gives its originals back in the state they had (a rejected compromise is
  then final: a changed decision cannot take them again). Applied, it closes them in the same transaction: they
  stay superseded, now for good.

Lock order, as everywhere (drafting/models/amendments.py): amendment rows first (a compromise's own row, then its
originals by ascending id), then the document, then the clause.
"""
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from .. import notify
from ..languages import field as field_in
from ..rebase import RebaseConflict, rebase
from .rapporteurs import ReviewRequest

MIN_ORIGINALS = 2


def _text(version, language):
    return getattr(version, field_in("heading", language)), getattr(version, field_in("body", language))


def combined_texts(originals):
    """What the clause would read with every one of `originals` applied, in their order: {language: (heading,
    body)}, each change carried onto the text the earlier ones left by the rebase machinery. Raises
    `TransitionError` naming the amendment in the way when one overlaps an earlier one."""
    from .amendments import TransitionError

    clause = originals[0].clause
    texts = {language: _text(clause, language) for language in originals[0].languages}
    for index, original in enumerate(originals):
        for language, (heading, body) in texts.items():
            (base_heading, base_body), (new_heading, new_body) = _text(original.base, language), original.proposed_in(language)
            try:
                texts[language] = (rebase(base_heading, new_heading, heading), rebase(base_body, new_body, body))
            except RebaseConflict as conflict:
                raise TransitionError(gettext(
                    "%(label)s changes the same words as %(earlier)s, so they cannot all be applied together: "
                    "start from one of them and bring in the others by hand."
                ) % {"label": original.label, "earlier": ", ".join(o.label for o in originals[:index])}) from conflict
    return texts


class Compromises:
    """The compromise rules, mixed into `Amendment` (kept here so amendments.py stays about one amendment)."""

    # --- reading -------------------------------------------------------------------------------------------
    @property
    def is_closed_by_compromise(self):
        """Superseded by a compromise that has been applied: final."""
        return self.is_superseded and self.superseded_by_id is not None and self.superseded_by.is_applied

    def supersedes_work_of(self, member):
        """Whether `member` wrote, co-sponsors or ever co-sponsored an amendment this compromise combines."""
        if member is None:
            return False
        return self.combines.filter(
            Q(author_id=member.pk) | Q(cosponsors=member.pk) | Q(sponsorship_events__member_id=member.pk)
        ).exists()

    # --- starting ------------------------------------------------------------------------------------------
    @classmethod
    def _combinable(cls, originals, starter):
        """Check, on locked rows, that `originals` may be combined by `starter`; the first refusal is raised."""
        from .amendments import TransitionError

        if len(originals) < MIN_ORIGINALS:
            raise TransitionError(gettext("Choose at least two amendments to combine."))
        visible = set(cls.objects.visible_to(starter).filter(pk__in=[o.pk for o in originals]).values_list("pk", flat=True))
        if len(visible) != len(originals):
            raise TransitionError(gettext("One of the chosen amendments cannot be found."))
        first = originals[0]
        for original in originals:
            values = {"label": original.label, "clause": first.clause.label}
            if original.document_id != first.document_id:
                raise TransitionError(gettext(
                    "%(label)s belongs to another document: a compromise combines amendments of one document.") % values)
            if original.clause_id != first.clause_id:
                raise TransitionError(gettext(
                    "%(label)s is not on %(clause)s: a compromise combines amendments on one clause.") % values)
            if original.is_draft:
                raise TransitionError(gettext(
                    "%(label)s is a draft: only submitted amendments can be combined.") % values)
            if not original.is_open:
                raise TransitionError(gettext("%(label)s is %(state)s; it cannot be combined now.")
                                      % {**values, "state": original.get_state_display().lower()})
            if not original.is_modify:
                raise TransitionError(gettext(
                    "%(label)s does not reword the clause: only rewordings can be combined.") % values)
            if not original.base_is_current:
                raise TransitionError(gettext("%(label)s is based on an older text: rebase it first.") % values)
        if not starter.can_review(document=first.document_id):
            from .amendments import NotAllowed

            raise NotAllowed(gettext("Only reviewers of this document can start a compromise."))

    @classmethod
    def start_compromise(cls, *, starter, originals, base=None, seen=None, **fields):
        """A compromise of `originals` (amendments, any order) written by `starter`, submitted at once; the
        originals superseded in the same transaction. `base` and `seen` ({original id: revision}) are what the
        form showed: a clause or an original changed since is a `StaleEdit`, the reviewer's text kept."""
        from .amendments import NotAllowed, StaleEdit

        if starter is None or not starter.is_active:
            raise NotAllowed(gettext("Only active members can do this."))
        with transaction.atomic():
            ids = sorted({original.pk for original in originals})
            locked = list(cls.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            if len(locked) != len(ids):
                from .amendments import TransitionError

                raise TransitionError(gettext("One of the chosen amendments cannot be found."))
            cls._combinable(locked, starter)
            for original in locked:
                if seen is not None and seen.get(original.pk) != original.revision:
                    raise StaleEdit(gettext(
                        "%(label)s was changed since you opened this form. Your text is kept below: read the "
                        "amendments again, then submit.") % {"label": original.label})
            clause = locked[0].clause
            current = clause.history.latest()
            if base is not None and base.history_id != current.history_id:
                raise StaleEdit(gettext(
                    "The clause was changed since you opened this form. Your text is kept below: check the "
                    "current text, then submit."))
            compromise = cls.start(author=starter, clause=clause, kind=cls.Kind.MODIFY, base=current, submit=True,
                                   is_compromise=True, **fields)
            compromise.combines.set(locked)
            for original in locked:
                original.state_before_superseded = original.state
                original.state = cls.State.SUPERSEDED
                original.superseded_by = compromise
                original._write(starter, f"superseded by compromise {compromise.label}",
                                ["state", "state_before_superseded", "superseded_by"])
                # Nobody is asked to review what is superseded: the rapporteurs are asked about the compromise.
                ReviewRequest.amendment_closed(original, starter)
            notify.after_commit(notify.compromise_news, compromise, locked, "superseded", starter)
        return compromise

    # --- the compromise's own transitions reach its originals ---------------------------------------------
    def _lock_originals(self):
        """The originals this compromise supersedes now, locked by ascending id."""
        return list(type(self).objects.select_for_update().filter(superseded_by=self).order_by("pk"))

    def _restore_originals_locked(self, member):
        """The compromise was withdrawn or rejected: each original goes back to the state it had."""
        originals = self._lock_originals()
        for original in originals:
            original.state = original.state_before_superseded or self.State.SUBMITTED
            original.state_before_superseded = ""
            original.superseded_by = None
            original._write(member, f"restored: compromise {self.label} {self.state}",
                            ["state", "state_before_superseded", "superseded_by"])
            if original.state == self.State.SUBMITTED:  # under review again: its rapporteurs are asked again
                ReviewRequest.for_submitted(original, member)
        notify.after_commit(notify.compromise_news, self, originals, "restored", member)

    def _close_originals_locked(self, originals, approver):
        """The compromise was applied: its originals stay superseded, now final, and their record says so."""
        for original in originals:
            original._write(approver, f"closed by compromise {self.label}, applied", ["state"])
        notify.after_commit(notify.compromise_news, self, originals, "closed", approver)

    def _check_compromise_review(self, member):
        """Asked before the reviewer's role, so the refusal says why: a compromise of one's own amendment."""
        from .amendments import NotAllowed

        if self.is_compromise and self.supersedes_work_of(member):
            raise NotAllowed(gettext("You wrote or co-sponsor an amendment that %(label)s combines: you cannot "
                                     "review it.") % {"label": self.label})

    def _check_compromise_reopened(self):
        """A rejected compromise gave its originals back: a changed decision cannot take them again."""
        from .amendments import TransitionError

        if self.is_compromise and self.is_rejected:
            raise TransitionError(gettext("%(label)s was rejected and its amendments are open again: start a new "
                                          "compromise to combine them.") % {"label": self.label})
