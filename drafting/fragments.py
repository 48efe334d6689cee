"""Rendered fragments cached under immutable keys: nothing here is ever invalidated.

A clause version, a redline between two versions, a comparison and a what-if draft never change once their
inputs are fixed, so each fragment is stored under a key built from those inputs: history ids (history rows
are never edited, and every change to a text writes a new row with a larger id), and for amendments their id,
update time, revision and state. A change anywhere gives a new key; the old entry is simply never asked for
again and falls out of the cache by age (CACHE_SECONDS) or by the cache's own eviction.

A key is built only from what the reader may see: the amendments `visible_to` the member, the counts the
member is shown. Two members who see the same inputs share a fragment; a member never gets a fragment built
from another member's private draft, because that draft's id is not in the inputs of any key they can build.

Django's cache framework holds the fragments: local memory by default, Redis when REDIS_URL is set
(config/settings.py). The database's name is part of every key, so two databases sharing one Redis never
share a fragment.
"""
import functools
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .models import Amendment, Clause, Comment, Document, Member, Tag


@functools.cache
def _history_tables():
    # Each read of a model's `history` builds a manager class (django-simple-history): read the tables once.
    return Document.history.model._meta.db_table, Clause.history.model._meta.db_table


def text_state(document, moment=None):
    """What the document's text is at `moment` (None: now), as history ids: the latest Document row and the
    number and highest id of its clause history rows. Any edit, insertion, removal or renumbering writes a row,
    so the state changes with the text and only with it.

    One small indexed query whatever the size, written as SQL: every cached page asks it (the comparison twice),
    and building it through the ORM, as two aggregate queries, cost several times what the database does."""
    quote = connection.ops.quote_name
    document_table, clause_table = _history_tables()
    at, moments = "", []
    if moment is not None:
        at, moments = " AND history_date <= %s", [connection.ops.adapt_datetimefield_value(moment)]
    sql = (f"SELECT (SELECT MAX(history_id) FROM {quote(document_table)} WHERE id = %s{at}), "
           f"COUNT(history_id), MAX(history_id) FROM {quote(clause_table)} "
           f"WHERE document_id = %s{at}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [document.pk, *moments, document.pk, *moments])
        last_document, clauses, last_clause = cursor.fetchone()
    return f"{document.pk}.{last_document}.{clauses}.{last_clause}"


def code_version(*roots):
    """A digest of every template and Python file under `roots`: what renders a fragment. Part of every key, so a
    deployment that changes a template or a filter never serves HTML rendered by the code before it (Redis keeps
    fragments for CACHE_SECONDS across restarts)."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.suffix in (".html", ".py") and path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# Worked out once per process, when this module is imported: the templates and the app's code.
CODE_VERSION = code_version(Path(__file__).resolve().parent, Path(settings.BASE_DIR) / "templates")


def key_for(name, *parts, language=None, database=None):
    # The active language is part of every key: a fragment holds interface words (a coarse redline's note, dates
    # in the reader's format), so a reader of Azerbaijani never gets the English rendering of the same inputs.
    # (`language`, `database`: when the caller builds many keys and has looked them up once.)
    language, database = language or get_language(), database or connection.settings_dict["NAME"]
    digest = hashlib.sha256("\x1f".join(str(part) for part in (CODE_VERSION, language, *parts)).encode()).hexdigest()
    return f"fragment:{name}:{database}:{digest}"


def cached_fragment(name, parts, template, context):
    """The rendered `template`, from the cache when these `parts` were rendered before.

    `context` may be a callable returning the context, so the work behind a fragment (a comparison, a draft)
    is done only on a miss. The template must not depend on the request: fragments are shared by readers.
    """
    key = key_for(name, *parts)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context() if callable(context) else context)
        cache.set(key, str(html))
    # Our own template's output, its user text already escaped when it was rendered.
    return mark_safe(html)


# A place in a cached fragment where each reader's own part goes (`<!--slot:ID-->`). Only a template can write it:
# user text is escaped, so no `<` of it reaches the output.
SLOT = re.compile(r"<!--slot:(\d+)-->")


def cached_slots(name, parts, template, context):
    """`cached_fragment` for a fragment with slots, as [html, slot id, html, slot id, ..., html]: the slots are
    filled per request by `fill_slots`, so what changes with the reader (badges, counts) is not in the key and
    a reader's change (a new comment) does not render the whole fragment again."""
    key = key_for(name, *parts)
    pieces = cache.get(key)
    if pieces is None:
        html = render_to_string(template, context() if callable(context) else context)
        pieces = SLOT.split(str(html))
        cache.set(key, pieces)
    return pieces


def fill_slots(pieces, fillings):
    """The fragment with each slot's filling (none: nothing) in place."""
    filled = pieces[:]
    filled[1::2] = [fillings.get(int(slot), "") for slot in pieces[1::2]]
    # Our own templates' output, user text escaped when it was rendered.
    return mark_safe("".join(filled))


def cached_fragments(name, parts, template, contexts):
    """{id: html} for many fragments of one template in one cache round trip: `parts` maps id -> key parts, and
    `contexts(ids)` is called once, with the ids of the misses only, and returns {id: context} (one query for all
    the misses rather than one each, and none when every fragment is cached); each miss is rendered on its own and
    all are stored at once."""
    language, database = get_language(), connection.settings_dict["NAME"]
    wanted = {key_for(name, *item_parts, language=language, database=database): item_id
              for item_id, item_parts in parts.items()}
    found = cache.get_many(list(wanted))
    missing = [item_id for key, item_id in wanted.items() if key not in found]
    made = contexts(missing) if missing else {}
    rendered, result = {}, {}
    for key, item_id in wanted.items():
        html = found.get(key)
        if html is None:
            html = rendered[key] = str(render_to_string(template, made[item_id]))
        result[item_id] = mark_safe(html)  # our own template's output, user text escaped when rendered
    if rendered:
        cache.set_many(rendered)
    return result


def cached_fragments_together(name, parts, template, context):
    """`cached_fragments` for thousands of small fragments (the rows of a 10,000-clause draft): the misses are
    rendered together, in one pass of `template` with `context(ids of the misses)`, which writes `<!--slot:ID-->`
    (integer ids) before each one's html. A template render per fragment cost more than the fragments did.
    Returns {id: html} as plain strings (see below)."""
    language, database = get_language(), connection.settings_dict["NAME"]
    keys = {item_id: key_for(name, *item_parts, language=language, database=database)
            for item_id, item_parts in parts.items()}
    found = cache.get_many(list(keys.values()))
    result = {item_id: found[key] for item_id, key in keys.items() if key in found}
    missing = [item_id for item_id in keys if item_id not in result]
    if missing:
        pieces = SLOT.split(str(render_to_string(template, context(missing))))
        made = {int(slot): html for slot, html in zip(pieces[1::2], pieces[2::2])}
        cache.set_many({keys[item_id]: made[item_id] for item_id in missing})
        result.update(made)
    # Plain strings, our own template's output with user text escaped: the caller joins them and marks the whole
    # safe once (mark_safe per fragment was a tenth of a cold 10,000-row draft).
    return result


def change_lines(amendments):
    """{amendment id: the amendment list's one-line redline of its change}, for modifications (an insertion or a
    removal needs no diff). A change line is fixed by the base version and the proposed text, and the proposed
    text changes only with a new revision or update time: those are its key."""
    changes = {a.pk: a for a in amendments if not (a.is_insert or a.is_remove)}
    return cached_fragments("change-line", {
        pk: [pk, a.base_id, a.revision, a.updated_at.timestamp()] for pk, a in changes.items()
    }, "drafting/amendments/_change_line.html", lambda missing: {pk: {"amendment": changes[pk]} for pk in missing})


# What an amendment list row prints, read as plain values in one query (no objects built): with its author's name
# as shown, the tags, the reader's count of open threads, the last activity and the document's text state, the key
# of the row's fragment. Everything the row prints is here or follows from it: the amendment's own texts (an
# insertion's, the change line's) change only with its update time and revision; the clause's label, a removal's
# heading and an insertion's place with the clause's fields or the document's text state (its numbering policy,
# its clauses). The author is not joined here: the page reads its authors anyway (the author filter), and the
# joins cost more than the rest of the query.
LIST_ROW_FIELDS = (
    "pk", "number", "updated_at", "revision", "state", "kind", "placement", "base_id", "result_clause_id", "author_id",
    "clause_id", "clause__number", "clause__heading", "clause__role", "clause__parent_id", "clause__parent__number",
    "clause__parent__heading", "clause__parent__role", "superseded_by_id", "superseded_by__number",
)


def list_rows(rows, document, member, state, authors):
    """The amendment list's rows, rendered, for `rows` (dicts of LIST_ROW_FIELDS, of amendments `member` may read),
    in their order; `authors` is {id: member, with the account} for their authors. Each row is cached under
    everything it prints (see LIST_ROW_FIELDS), the open threads the member is shown on it included; only the rows
    not cached are loaded as objects and rendered.

    A constant number of queries at any number of amendments, tags or clauses: the tags and the reader's counts
    (three queries), and for the rows not cached their amendments (one, two with provisional numbers)."""
    pks = [row["pk"] for row in rows]
    if absent := {row["author_id"] for row in rows} - authors.keys():  # `authors` read before these rows were
        authors = {**authors, **Member.objects.select_related("user").in_bulk(absent)}
    tags = {}
    for amendment_id, tag_id, name in Amendment.tags.through.objects.filter(amendment_id__in=pks).values_list(
            "amendment_id", "tag_id", "tag__name").order_by("tag__name", "tag_id"):
        tags.setdefault(amendment_id, []).append((tag_id, name))
    counts = Comment.objects.open_thread_counts_by_amendment(document, member)
    last_comments = Comment.objects.last_comment_at_by_amendment(document)
    shown = {}
    for row in rows:
        commented = last_comments.get(row["pk"])
        at = max(row["updated_at"], commented) if commented else row["updated_at"]
        shown[row["pk"]] = {"n": counts.get(row["pk"], 0), "at": at}
    # Dates are printed in the active time zone; the language is in every key already. One part per row, its
    # repr, so no text in it (a heading, a tag's name) can be read as the boundary between two parts.
    where = (document.slug, document.numbering, state, timezone.get_current_timezone_name())
    parts = {
        row["pk"]: [repr((tuple(row.values()), authors[row["author_id"]].full_name, authors[row["author_id"]].is_active,
                          tags.get(row["pk"], []), shown[row["pk"]]["n"], shown[row["pk"]]["at"].isoformat(), where))]
        for row in rows
    }

    def contexts(missing):
        # What the rows print of the amendments, in one query; their authors and tags are those of the key.
        amendments = list(Amendment.objects.filter(pk__in=missing).select_related("clause__parent", "base", "superseded_by"))
        for amendment in amendments:
            amendment.document, amendment.author = document, authors[amendment.author_id]
        lines = change_lines(amendments)
        Amendment.number_insertions(amendments)  # under "keep": each insertion's provisional number, one query
        for amendment in amendments:
            amendment.change_line = lines.get(amendment.pk)
        return {a.pk: {"amendment": a, "document": document, **shown[a.pk],
                       "tags": [Tag(pk=pk, name=name) for pk, name in tags.get(a.pk, ())]} for a in amendments}

    html = cached_fragments("amendment-row", parts, "drafting/amendments/_list_row.html", contexts)
    return [html[pk] for pk in pks]


def clause_options(amendments, state, selected):
    """The amendment list's clause filter: an <option> per clause that `amendments` (those the reader may read) are
    on, in reading order, `selected` (a clause id as typed in the address) selected. Cached under those clauses and
    the document's text state (their numbers and headings), so the clauses are loaded and sorted only on a miss."""
    ids = sorted(amendments.order_by().values_list("clause_id", flat=True).distinct())
    selected = selected if selected in {str(pk) for pk in ids} else ""  # anything else selects nothing
    return cached_fragment("clause-options", [state, ",".join(map(str, ids)), selected],
                           "drafting/amendments/_clause_options.html",
                           lambda: {"clauses": amendments.clause_entries(), "selected": selected})
