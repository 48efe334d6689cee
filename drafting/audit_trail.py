"""The audit trail: the query behind the audit page, merging member changes, sign-in events, changes of who is
on which document, and exports, newest first.

Neither a model nor a view: the records live in Member's history table and in SignInEvent
(drafting/models/audit.py); the page that shows them is drafting/views/audit.py.

Member changes are Member history rows (django-simple-history: who, when, and the reason the model method
wrote); sign-ins are SignInEvent rows; access changes are DocumentAccess history rows; exports ExportEvent
rows. Each source is filtered and cut in the database, then the short lists are merged, so a page costs one
query per source however long the history grows.
"""
import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from .azerbaijani import Folded, fold
from .models import DocumentAccess, ExportEvent, Member, SignInEvent
from .models.history import describe_reason
from .params import end_of, start_of

MEMBERS = "members"
ACCESS = "access"
EXPORTS = "exports"


@dataclass
class Entry:
    at: datetime.datetime
    kind: str
    label: str
    actor: str
    subject: str
    detail: str = ""
    ip_address: str = ""


def entries(*, kind="", who="", since=None, until=None, limit=200):
    """Up to `limit` entries, newest first. `kind` is "", MEMBERS, ACCESS, EXPORTS or a SignInEvent.Kind value."""
    window = {}
    if since:
        window["gte"] = start_of(since)
    if until:
        window["lte"] = end_of(until)  # not "before the next day": 31 December 9999 has none
    found = []
    if kind in ("", MEMBERS):
        changes = Member.history.select_related("history_user__member").order_by("-history_date", "-history_id")
        changes = changes.filter(**{f"history_date__{op}": value for op, value in window.items()})
        if who:
            changes = _names_match(changes, who, "full_name", "history_user__username",
                                   "history_user__member__full_name")
        found += [_change_entry(row) for row in changes[:limit]]
    if kind in ("", ACCESS):
        changes = DocumentAccess.history.select_related("history_user__member", "member", "document")
        changes = changes.filter(**{f"history_date__{op}": value for op, value in window.items()})
        if who:
            changes = _names_match(changes, who, "member__full_name", "history_user__username",
                                   "history_user__member__full_name")
        found += [_access_entry(row) for row in changes.order_by("-history_date", "-history_id")[:limit]]
    if kind in ("", EXPORTS):
        exports = ExportEvent.objects.filter(**{f"at__{op}": value for op, value in window.items()})
        if who:
            exports = _names_match(exports, who, "member__full_name")
        found += [_export_entry(event) for event in exports.select_related("member", "document")[:limit]]
    if kind not in (MEMBERS, ACCESS, EXPORTS):
        events = SignInEvent.objects.filter(**{f"at__{op}": value for op, value in window.items()})
        if kind:
            events = events.filter(kind=kind)
        if who:
            events = _names_match(events, who, "username", "user__member__full_name")
        found += [_sign_in_entry(event) for event in events.select_related("user__member")[:limit]]
    return sorted(found, key=lambda entry: entry.at, reverse=True)[:limit]


def _names_match(rows, who, *fields):
    """The rows where any of `fields` holds `who`, with or without the Azerbaijani letters and in any case
    (drafting/azerbaijani.py): "memmedova" finds Məmmədova. Compared in the database, alike on SQLite and
    PostgreSQL."""
    rows = rows.alias(**{f"folded_{n}": Folded(field) for n, field in enumerate(fields)})
    condition = Q()
    for n in range(len(fields)):
        condition |= Q(**{f"folded_{n}__contains": fold(who)})
    return rows.filter(condition)


def _name(user):
    if user is None:
        return gettext("system")
    member = getattr(user, "member", None)
    return member.full_name if member else user.get_username()


def _change_entry(row):
    detail = describe_reason(row.history_change_reason or {"+": "created", "~": "changed", "-": "deleted"}[row.history_type])
    return Entry(at=row.history_date, kind=MEMBERS, label=gettext("Member change"), actor=_name(row.history_user),
                 subject=row.full_name, detail=detail)


def _access_entry(row):
    detail = describe_reason(row.history_change_reason or {"+": "put on", "~": "changed", "-": "taken off"}[row.history_type])
    # The history row keeps the ids even after the member or document is gone: name what is left.
    document = row.document if row.document_id else None
    subject = row.member.full_name if row.member_id and row.member else gettext("(removed member)")
    return Entry(at=row.history_date, kind=ACCESS, label=gettext("Access change"), actor=_name(row.history_user),
                 subject=subject, detail=f"{document}: {detail}" if document else detail)


def _export_entry(event):
    return Entry(at=event.at, kind=EXPORTS, label=gettext("Export"), actor=event.member.full_name, subject=event.member.full_name,
                 detail=f"{event.document}: {event.get_format_display()}, {event.version}")


def _sign_in_entry(event):
    return Entry(at=event.at, kind=event.kind, label=event.get_kind_display(), actor=event.username,
                 subject=_name(event.user) if event.user else event.username, ip_address=event.ip_address or "")
