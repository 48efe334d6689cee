"""What awaits whom on one document: the Work page (issue 15 point 3).

For each member of the document, three kinds of item:
- a review requested of them as rapporteur (drafting/models/rapporteurs.py), open, with its due date;
- a thread waiting for their reply: an open (unresolved) thread whose latest comment is someone else's, where
  the member opened the thread, or writes or co-sponsors the amendment it is on, or was mentioned in it after
  their own latest comment there. On a draft, only its sponsors count (nobody else may read it);
- a clause of their sections (an active assignment's clause and everything under it) whose translation is
  outdated (`Clause.objects.translation_outdated()`), due by the assignment's date.

Items are ordered overdue first, then by due date, then those with no due date (threads), longest waiting first.
Everything is read as the viewer may read it (`visible_to`), so another member's draft never appears, and in a
fixed number of queries whatever the number of members, amendments, requests, threads and clauses: the
per-member grouping is done here, in Python, from flat rows.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from .azerbaijani import sorted_by_name
from .models import Amendment, Clause, Comment, Member, Rapporteur, ReviewRequest
from .models.rapporteurs import ancestors, parents

REVIEW, THREAD, TRANSLATION = "review", "thread", "translation"
# Everyone's page shows each member's first items (the most urgent); `?member=` shows all of one member's.
SHOWN_PER_MEMBER = 10


@dataclass
class WorkItem:
    kind: str
    key: int  # the request's, thread's or clause's id; the object itself is read only for the items shown
    due: date | None = None
    since: datetime | None = None  # for a thread: when its latest comment was written
    assignment: Rapporteur | None = None
    request: ReviewRequest | None = None
    thread: Comment | None = None
    clause: Clause | None = None

    @property
    def is_overdue(self):
        return self.due is not None and self.due < timezone.localdate()

    @property
    def is_review(self):
        return self.kind == REVIEW

    @property
    def is_thread(self):
        return self.kind == THREAD

    @property
    def is_translation(self):
        return self.kind == TRANSLATION

    def order(self, today, now):
        return (not (self.due is not None and self.due < today), self.due is None, self.due or date.max,
                self.since or now)


@dataclass
class MemberWork:
    member: Member
    is_viewer: bool
    items: list = field(default_factory=list)
    limit: int | None = None

    @property
    def shown(self):
        return self.items if self.limit is None else self.items[:self.limit]

    @property
    def more(self):
        return len(self.items) - len(self.shown)

    @property
    def overdue(self):
        return sum(1 for item in self.items if item.is_overdue)


def document_members(document):
    """The active members on `document` (its access rows), for the member filter."""
    return sorted_by_name(
        Member.objects.filter(document_access__document=document, user__is_active=True).select_related("user"),
        lambda member: member.full_name,
    )


def work_on(document, viewer, *, only=None):
    """([MemberWork], the document's active assignments): the viewer's work first, then by name, each showing
    its SHOWN_PER_MEMBER most urgent items; with `only` (a member id), all of that member's alone.

    Every item is first worked out from plain rows (ids, dates); the requests, threads and clauses are read as
    objects only for the items shown, so the cost follows what the page shows, not what is waiting."""
    items = {}  # member id -> [WorkItem]
    requests = (ReviewRequest.objects.open().visible_to(viewer).filter(amendment__document=document)
                .values_list("pk", "member_id", "due_date"))
    for pk, member_id, due in requests:
        items.setdefault(member_id, []).append(WorkItem(REVIEW, pk, due=due))
    assignments = list(Rapporteur.objects.active().filter(document=document)
                       .select_related("clause", "member__user", "assigned_by__user"))
    _outdated_translations(document, assignments, items)
    _waiting_threads(document, viewer, items)

    wanted = set(items) | {viewer.pk}
    if only is not None:
        wanted &= {only}
    people = {m.pk: m for m in Member.objects.filter(pk__in=wanted, user__is_active=True).filter(
        Q(role=Member.Role.ADMIN) | Q(document_access__document=document) | Q(pk=viewer.pk)).select_related("user")}
    today, now = timezone.localdate(), timezone.now()
    result = []
    for pk, member in people.items():
        ordered = sorted(items.get(pk, []), key=lambda item: item.order(today, now))
        result.append(MemberWork(member, pk == viewer.pk, ordered, limit=None if only is not None else SHOWN_PER_MEMBER))
    _read_shown(document, result)
    result = sorted_by_name(result, lambda work: work.member.full_name)
    result.sort(key=lambda work: not work.is_viewer)
    return result, assignments


def _read_shown(document, result):
    """The objects behind the items shown, in one query per kind."""
    shown = [item for work in result for item in work.shown]
    keys = {kind: {item.key for item in shown if item.kind == kind} for kind in (REVIEW, THREAD, TRANSLATION)}
    found = {REVIEW: {}, THREAD: {}, TRANSLATION: {}}
    if keys[REVIEW]:
        found[REVIEW] = ReviewRequest.objects.select_related("amendment__clause").in_bulk(keys[REVIEW])
    if keys[THREAD]:
        found[THREAD] = Comment.objects.select_related("amendment", "clause").in_bulk(keys[THREAD])
    if keys[TRANSLATION]:
        found[TRANSLATION] = Clause.objects.in_bulk(keys[TRANSLATION])
    for item in shown:
        target = found[item.kind][item.key]
        if item.is_review:
            target.amendment.document = document
            item.request = target
        elif item.is_thread:
            target.document = document
            if target.amendment_id:
                target.amendment.document = document
            item.thread = target
        else:
            target.document = document
            item.clause = target


def _outdated_translations(document, assignments, items):
    if not assignments or not document.translation_language:
        return
    outdated = list(Clause.objects.filter(document=document).translation_outdated().values_list("pk", flat=True))
    if not outdated:
        return
    by_clause = {}
    for assignment in assignments:
        by_clause.setdefault(assignment.clause_id, []).append(assignment)
    parent_of = parents(document)
    for clause_id in outdated:
        seen = set()
        for above in ancestors(clause_id, parent_of):
            for assignment in by_clause.get(above, ()):
                if assignment.member_id in seen:
                    continue  # the nearest assignment of a member answers
                seen.add(assignment.member_id)
                items.setdefault(assignment.member_id, []).append(
                    WorkItem(TRANSLATION, clause_id, due=assignment.due_date, assignment=assignment))


def _waiting_threads(document, viewer, items):
    open_threads = Comment.objects.visible_to(viewer).open_threads().filter(document=document)
    threads = list(open_threads.values_list("pk", "author_id", "amendment_id", "amendment__author_id",
                                            "amendment__state"))
    if not threads:
        return
    open_ids = open_threads.values("pk")
    comments = (Comment.objects.filter(Q(pk__in=open_ids) | Q(thread_id__in=open_ids))
                .values_list("pk", "thread_id", "author_id", "created_at").order_by("created_at", "pk"))
    in_thread = {}  # thread id -> [(comment id, author id, created at)] in order
    for pk, thread_id, author_id, created_at in comments:
        in_thread.setdefault(thread_id or pk, []).append((pk, author_id, created_at))
    mentioned = {}
    for comment_id, member_id in Comment.mentioned.through.objects.filter(
            Q(comment__in=open_ids) | Q(comment__thread__in=open_ids)).values_list("comment_id", "member_id"):
        mentioned.setdefault(comment_id, set()).add(member_id)
    cosponsors = {}
    for amendment_id, member_id in Amendment.cosponsors.through.objects.filter(
            amendment_id__in=open_threads.values("amendment_id")).values_list("amendment_id", "member_id"):
        cosponsors.setdefault(amendment_id, set()).add(member_id)

    for thread_id, opener_id, amendment_id, amendment_author_id, amendment_state in threads:
        rows = in_thread.get(thread_id, [])
        if not rows:
            continue
        last_author, last_at = rows[-1][1], rows[-1][2]
        involved = {opener_id}
        sponsors = set()
        if amendment_id:
            sponsors = {amendment_author_id} | cosponsors.get(amendment_id, set())
            involved |= sponsors
        last_own = {}
        for position, (_pk, author_id, _at) in enumerate(rows):
            last_own[author_id] = position
        for position, (pk, _author, _at) in enumerate(rows):
            for member_id in mentioned.get(pk, ()):
                if position > last_own.get(member_id, -1):
                    involved.add(member_id)
        if amendment_id and amendment_state == Amendment.State.DRAFT:
            involved &= sponsors  # a draft's discussion is its sponsors' alone
        for member_id in involved - {last_author}:
            items.setdefault(member_id, []).append(WorkItem(THREAD, thread_id, since=last_at))
