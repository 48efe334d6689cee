"""Whole pages cached per reader: the outline, the comparison and the what-if page, read most and worked out longest.

The fragments (drafting/fragments.py) make a page's parts cheap to serve, but a page still read the reader's counts
or its amendments' values to build their keys, and rendered its header, on every request: three to five times the
framework's floor. Here the page's HTML is cached whole, per reader, under a key that moves with everything any
part of it shows, read in one small query (`page_state`) and from the request:

- the document's state, as history ids: its own rows and its clauses' (the text), its access list's and the
  members' (names, roles, accounts), and of what the page shows besides (`shows`): its amendments' (with the
  co-sponsor rows, which write no history, and the amendments' latest update time), comments' or milestones'. Every
  change writes a history row with a larger id, and a row committed late still adds to the count, so the state
  moves with any change in any order of commits;
- the reader: who they are, their unread notifications as the header counts them, whether their second step is
  pending, the interface language and time zone, the reading choice (remembered in the session) and the address
  with its query (everything the page reads from the request);
- the browser's CSRF secret (its cookie): a cached page holds a token masked from it, valid for that browser alone.
  Each page is rendered with a fresh mask, as Django masks one per response, so a compressed page tells nothing of
  the secret (BREACH): the same address gives the same bytes, another address another mask. A browser without the
  cookie yet is served a page worked out for it, which sets the cookie.

Nothing is invalidated, as for the fragments: a change gives a new key.

Pages are stored gzipped, compressed once, when cached, and kept PAGE_CACHE_SECONDS (a quarter of an hour: any
change to the document supersedes them). A browser that accepts gzip (every browser) is sent the stored bytes: an
800 KB page is 44 KB, read from the cache and sent in a sixteenth of the time; a client that does not is sent it
unpacked. A request with messages waiting is never served from the cache (they would be neither shown nor used up).
After rendering, the state is read again: a page worked out while something changed is sent but not stored, so
nothing is cached under a key it does not match (the counts only grow, but an update time or the unread count can
come back to a value a key was built from).
"""
import functools
import gzip

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from .context_processors import unread_notifications
from .fragments import key_for
from .languages import reading_choice
from .models import Amendment, Clause, Comment, Document, DocumentAccess, Member, Milestone, Notification

# What a page shows beside the text, the reader and the members: each adds its history (and for the amendments their
# co-sponsors and latest update time) to the page's state, so a page is not worked out again for a change it does not
# show (a comment, for the comparison and the what-if page).
AMENDMENTS, COMMENTS, MILESTONES = "amendments", "comments", "milestones"
EVERYTHING = (AMENDMENTS, COMMENTS, MILESTONES)


@functools.cache
def _state_sql(shows):
    quote = connection.ops.quote_name
    document, member = "%(document)s", "%(member)s"

    def counted(table, key, where=f"document_id = {document}"):
        # Count and highest id in one column: half the subqueries, and planning them was most of the query's time.
        return f"(SELECT COUNT({key}) || '.' || COALESCE(MAX({key}), 0) FROM {quote(table)} WHERE {where})"

    def history(model, where=f"document_id = {document}"):
        return counted(model.history.model._meta.db_table, "history_id", where)

    columns = [
        history(Document, f"id = {document}"), history(Clause), history(DocumentAccess), history(Member, "1 = 1"),
        # An account switched off or on outside the members' pages (the user admin) writes no member history.
        counted(get_user_model()._meta.db_table, "id", "is_active"),
    ]
    if AMENDMENTS in shows:
        columns += [
            history(Amendment),
            # Their latest update time too: a bulk write (a queryset's `update`) writes no history.
            f"(SELECT MAX(updated_at) FROM {quote(Amendment._meta.db_table)} WHERE document_id = {document})",
            # Co-sponsor rows write no history: every document's, by count and highest id (joining them to this
            # document's amendments cost a third of the query).
            counted(Amendment.cosponsors.through._meta.db_table, "id", "1 = 1"),
        ]
    if COMMENTS in shows:
        columns.append(history(Comment))
    if MILESTONES in shows:
        columns.append(history(Milestone))
    # Last, the reader's unread notifications, as `unread_notifications` first looks at them: mostly none.
    columns.append(f"(SELECT COUNT(*) FROM {quote(Notification._meta.db_table)} WHERE recipient_id = {member} "
                   "AND read_at IS NULL)")
    return "SELECT " + ", ".join(columns)


def page_state(document, member, shows=EVERYTHING):
    """What a page of `document` that `shows` these (besides its text, the members and the access list) shows
    `member`, but what the request says, as one string of history ids and counts, and the header's count of unread
    notifications: one query of indexed counts whatever the size (two when the member has unread notifications)."""
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(tuple(sorted(shows))), {"document": document.pk, "member": member.pk})
        *state, unread = cursor.fetchone()
    # The header's count goes through the visibility rules: worked out only when there is anything unread at all.
    return ".".join(map(str, state)), unread_notifications(member) if unread else 0


def serve(request, name, document, render, shows=EVERYTHING):
    """The page `name` of `document`, which `shows` these, for this request: from the cache, or `render()` (a
    response) stored there."""
    from .two_factor import needs_second_step

    secret = request.META.get("CSRF_COOKIE")  # read from the browser's cookie by CsrfViewMiddleware
    if request.method != "GET" or not secret or len(get_messages(request)):
        return render()
    member = request.member
    compressed = bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))

    def key():
        return key_for(f"page-{name}", document.pk, *page_state(document, member, shows), member.pk, secret,
                       needs_second_step(request), timezone.get_current_timezone_name(),
                       reading_choice(request, document), request.headers.get("HX-Request", ""),
                       request.get_full_path())

    before = key()
    body = cache.get(before)
    if body is None:
        response = render()
        if response.status_code != 200 or response.streaming:  # an error page: sent as it is, never stored
            return response
        # Stored compressed whatever this browser accepts: a sixteenth of the room. Level 3, not Django's
        # `compress_string` (6): an 800 KB page in 1.6 ms rather than 3.6, for 44 KB rather than 38.
        body = gzip.compress(response.content, compresslevel=3, mtime=0)
        if key() == before:  # else something changed while the page was worked out: send it, do not store it
            cache.set(before, body, settings.PAGE_CACHE_SECONDS)
        if not compressed:
            patch_vary_headers(response, ["Accept-Encoding"])
            return response
    if compressed:
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:  # a client that does not take gzip (a script): rare, unpacked for it
        response = HttpResponse(gzip.decompress(body), content_type="text/html; charset=utf-8")
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
