"""Helpers for writing attributed history rows outside a request (commands, model methods), and for reading
their reasons in the reader's language.

A reason is part of the record: it is written in English whatever the language of the member who acted ("role
drafter → reviewer; agency changed"), so the record reads the same for everyone and code can match it
(`describe_reason` below, the activity feed's "imported"). Pages show it through `describe_reason`, which words
the known reasons in the active language and leaves any other (an operator's "--reason") as it was written.
"""
import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.signals import pre_create_historical_record


class AmendmentHistory(models.Model):
    """Extra column on clause history rows: the amendment that caused the change, if any."""

    amendment = models.ForeignKey(
        "drafting.Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_removed(self):
        """Whether the clause stood removed in this version."""
        from .clauses import Clause

        return self.status == Clause.Status.REMOVED

    @property
    def is_closing(self):
        """Whether the row is of a parent's closing text (see `Clause.Role`)."""
        from .clauses import Clause

        return self.role == Clause.Role.CLOSING


def _record_amendment(sender, instance, history_instance, **kwargs):
    # Only clause history rows carry this column; other history rows (reviews, comments) have a real
    # `amendment` field of their own that must be left as it is.
    if isinstance(history_instance, AmendmentHistory):
        history_instance.amendment = getattr(instance, "_history_amendment", None)


pre_create_historical_record.connect(_record_amendment, dispatch_uid="drafting.record_amendment")


def _fitted(obj, reason):
    """The reason column holds 100 characters (django-simple-history's default): a longer reason, such as an
    email change between two long addresses, would be a database error on PostgreSQL (SQLite never checks).
    It is cut with an ellipsis; the history row's own columns keep the full values."""
    limit = type(obj).history.model._meta.get_field("history_change_reason").max_length
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def attribute(obj, *, user=None, reason="", date=None, amendment=None):
    """Mark `obj` so its next save() writes a history row with this user, reason and moment.

    django-simple-history takes these from private attributes when there is no request; a batch applied
    "at one moment" passes the same `date` to every row so no half-applied state can be read back.
    """
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = _fitted(obj, reason)
    if date is not None:
        obj._history_date = date
    obj._history_amendment = amendment
    return obj


# The fixed reasons model methods and commands write, in the words a reader sees.
_FIXED_REASONS = {
    "created": _("created"), "changed": _("changed"), "deleted": _("deleted"),
    "put on": _("put on"), "taken off": _("taken off"), "taken off the document": _("taken off the document"),
    "deactivated": _("deactivated"), "reactivated": _("reactivated"),
    "signed out everywhere": _("signed out everywhere"), "two-factor sign-in reset": _("two-factor sign-in reset"),
    "imported": _("imported"), "demo seed": _("demo seed"), "drafted": _("drafted"),
    "submitted": _("submitted"), "withdrawn": _("withdrawn"), "edited": _("edited"), "approved": _("approved"),
    "applied": _("applied"), "needs rebase": _("needs rebase"), "suggested": _("suggested"),
    "declined": _("declined"),
    # Rapporteurs and their review requests (drafting/models/rapporteurs.py).
    "assigned": _("assigned"), "ended": _("ended"), "requested": _("requested"), "reviewed": _("reviewed"),
    "amendment closed": _("amendment closed"), "co-sponsor now": _("co-sponsor now"),
}
# Fields named in "<field> changed", and roles named in "added as <role>" (the roles' stored values are the
# English words themselves).
_FIELDS = {
    "full name": _("full name"), "agency": _("agency"), "position": _("position"),
    "email notifications": _("email notifications"), "quorum": _("quorum"), "marking": _("marking"),
    "authoritative language": _("authoritative language"), "translation language": _("translation language"),
    "numbering": _("numbering"),
}
_ROLES = {
    "drafter": pgettext_lazy("role, in a sentence", "drafter"), "reviewer": pgettext_lazy("role, in a sentence", "reviewer"),
    "admin": pgettext_lazy("role, in a sentence", "admin"), "reader": pgettext_lazy("role, in a sentence", "reader"),
}
_STATES = {
    "submitted": _("submitted"), "changes requested": _("changes requested"), "rejected": _("rejected"),
    "approved": _("approved"),
}
_PATTERNS = [
    (re.compile(r"added as (\w+)"), _("added as %(role)s"), {"role": _ROLES}),
    (re.compile(r"put on as (\w+)"), _("put on as %(role)s"), {"role": _ROLES}),
    (re.compile(r"role (\w+) → (\w+)"), _("role %(old)s → %(new)s"), {"old": _ROLES, "new": _ROLES}),
    (re.compile(r"email (.*) → (.*)"), _("email %(old)s → %(new)s"), {"old": None, "new": None}),
    (re.compile(r"reviewed: (.+)"), _("reviewed: %(state)s"), {"state": _STATES}),
    (re.compile(r"imported from (.+)"), _("imported from %(file)s"), {"file": None}),
    (re.compile(r"amendment (A-\d+)"), _("amendment %(label)s"), {"label": None}),
    (re.compile(r"suggestion by (.+) applied by (.+)"), _("suggestion by %(suggester)s applied by %(author)s"),
     {"suggester": None, "author": None}),
    # A compromise's originals (drafting/models/compromises.py).
    (re.compile(r"superseded by compromise (A-\d+)"), _("superseded by compromise %(label)s"), {"label": None}),
    (re.compile(r"restored: compromise (A-\d+) (\w+)"), _("restored: compromise %(label)s %(state)s"),
     {"label": None, "state": {"withdrawn": _("withdrawn"), "rejected": _("rejected")}}),
    (re.compile(r"closed by compromise (A-\d+), applied"), _("closed by compromise %(label)s, applied"), {"label": None}),
    (re.compile(r"(.+) changed"), _("%(field)s changed"), {"field": _FIELDS}),
]


def describe_reason(reason):
    """A stored reason in the active language: each part ("; " between parts, " and " in a document's
    settings) worded if it is one the app writes, else left as written."""
    separator = "; " if "; " in reason else (" and " if reason.endswith(" changed") and " and " in reason else None)
    parts = reason.split(separator) if separator else [reason]
    joined = "; " if separator else ""
    return joined.join(_describe_part(part) for part in parts)


def _describe_part(part):
    if part in _FIXED_REASONS:
        return str(_FIXED_REASONS[part])
    for pattern, message, words in _PATTERNS:
        found = pattern.fullmatch(part)
        if found is None:
            continue
        values = dict(zip(words, found.groups()))
        if any(table is not None and values[name] not in table for name, table in words.items()):
            continue
        return message % {name: str(table[values[name]]) if table else values[name] for name, table in words.items()}
    return part


def english(label):
    """A choice label as the record keeps it: in English, whatever language the member who acted reads."""
    from django.utils import translation

    with translation.override("en"):
        return str(label)
