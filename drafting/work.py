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
    due: date | None = None
    since: datetime | None = None  # for a thread: when its latest comment was written
    request: ReviewRequest | None = None
    thread: Comment | None = None
    clause: Clause | None = None
    assignment: Rapporteur | None = None

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

    def order(self):
        return (not self.is_overdue, self.due is None, self.due or date.max, self.since or timezone.now())


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
    its SHOWN_PER_MEMBER most urgent items; with `only` (a member id), all of that member's alone."""
    items = {}  # member id -> [WorkItem]
    people = {}  # member id -> Member, where already loaded

    requests = (ReviewRequest.objects.open().visible_to(viewer).filter(amendment__document=document)
                .select_related("amendment__clause", "amendment__document", "member__user"))
    for request in requests:
        request.amendment.document = document
        people[request.member_id] = request.member
        items.setdefault(request.member_id, []).append(WorkItem(REVIEW, due=request.due_date, request=request))

    assignments = list(Rapporteur.objects.active().filter(document=document)
                       .select_related("clause", "member__user", "assigned_by__user"))
    for assignment in assignments:
        people[assignment.member_id] = assignment.member
    _outdated_translations(document, assignments, items)
    _waiting_threads(document, viewer, items)

    wanted = set(items) | {viewer.pk}
    if only is not None:
        wanted &= {only}
    missing = wanted - people.keys()
    if missing:
        people.update((m.pk, m) for m in Member.objects.filter(pk__in=missing).select_related("user"))
    on_document = _on_document(document, wanted)
    result = []
    for pk in wanted:
        member = people.get(pk)
        if member is None or not member.is_active or (pk not in on_document and pk != viewer.pk):
            continue
        result.append(MemberWork(member, pk == viewer.pk, sorted(items.get(pk, []), key=WorkItem.order),
                                 limit=None if only is not None else SHOWN_PER_MEMBER))
    result = sorted_by_name(result, lambda work: work.member.full_name)
    result.sort(key=lambda work: not work.is_viewer)
    return result, assignments


def _on_document(document, member_ids):
    """Of `member_ids`, those who may read the document (an access row, or a deployment admin)."""
    return set(Member.objects.filter(pk__in=member_ids).filter(
        Q(role=Member.Role.ADMIN) | Q(document_access__document=document)).values_list("pk", flat=True))


def _outdated_translations(document, assignments, items):
    if not assignments or not document.translation_language:
        return
    outdated = list(Clause.objects.filter(document=document).translation_outdated())
    if not outdated:
        return
    by_clause = {}
    for assignment in assignments:
        by_clause.setdefault(assignment.clause_id, []).append(assignment)
    parent_of = parents(document)
    for clause in outdated:
        clause.document = document
        seen = set()
        for above in ancestors(clause.pk, parent_of):
            for assignment in by_clause.get(above, ()):
                if assignment.member_id in seen:
                    continue  # the nearest assignment of a member answers
                seen.add(assignment.member_id)
                items.setdefault(assignment.member_id, []).append(
                    WorkItem(TRANSLATION, due=assignment.due_date, clause=clause, assignment=assignment))


def _waiting_threads(document, viewer, items):
    threads = list(Comment.objects.visible_to(viewer).open_threads().filter(document=document)
                   .select_related("amendment", "clause", "author__user", "document"))
    if not threads:
        return
    open_ids = Comment.objects.visible_to(viewer).open_threads().filter(document=document).values("pk")
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
            amendment_id__in=open_ids.values("amendment_id")).values_list("amendment_id", "member_id"):
        cosponsors.setdefault(amendment_id, set()).add(member_id)

    for thread in threads:
        rows = in_thread.get(thread.pk, [])
        if not rows:
            continue
        last_author, last_at = rows[-1][1], rows[-1][2]
        involved = {thread.author_id}
        sponsors = set()
        if thread.amendment_id:
            sponsors = {thread.amendment.author_id} | cosponsors.get(thread.amendment_id, set())
            involved |= sponsors
        last_own = {}
        for position, (_pk, author_id, _at) in enumerate(rows):
            last_own[author_id] = position
        for position, (pk, _author, _at) in enumerate(rows):
            for member_id in mentioned.get(pk, ()):
                if position > last_own.get(member_id, -1):
                    involved.add(member_id)
        if thread.amendment_id and thread.amendment.is_draft:
            involved &= sponsors  # a draft's discussion is its sponsors' alone
        for member_id in involved - {last_author}:
            items.setdefault(member_id, []).append(WorkItem(THREAD, since=last_at, thread=thread))
