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
import hashlib
import re

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .models import Clause, Document


def text_state(document, moment=None):
    """What the document's text is at `moment` (None: now), as history ids: the latest Document row and the
    number and highest id of its clause history rows. Any edit, insertion, removal or renumbering writes a row,
    so the state changes with the text and only with it.

    One small indexed query whatever the size, written as SQL: every cached page asks it (the comparison twice),
    and building it through the ORM, as two aggregate queries, cost several times what the database does."""
    quote = connection.ops.quote_name
    at, moments = "", []
    if moment is not None:
        at, moments = " AND history_date <= %s", [connection.ops.adapt_datetimefield_value(moment)]
    sql = (f"SELECT (SELECT MAX(history_id) FROM {quote(Document.history.model._meta.db_table)} WHERE id = %s{at}), "
           f"COUNT(history_id), MAX(history_id) FROM {quote(Clause.history.model._meta.db_table)} "
           f"WHERE document_id = %s{at}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [document.pk, *moments, document.pk, *moments])
        last_document, clauses, last_clause = cursor.fetchone()
    return f"{document.pk}.{last_document}.{clauses}.{last_clause}"


def amendments_state(amendments):
    """The amendments a fragment shows, each as id, update time, revision and state (all change on any edit),
    and the author's name as shown (a member renamed or deactivated). Load them with `author__user`."""
    return ",".join(
        f"{a.pk}.{a.updated_at.timestamp()}.{a.revision}.{a.state}.{a.author.display_name}"
        for a in sorted(amendments, key=lambda a: a.pk)
    )


def counts_state(counts):
    """A {clause id: n} dict the fragment prints (badges), in a stable order."""
    return ",".join(f"{key}:{value}" for key, value in sorted(counts.items()))


def key_for(name, *parts, language=None):
    # The active language is part of every key: a fragment holds interface words (a coarse redline's note, dates
    # in the reader's format), so a reader of Azerbaijani never gets the English rendering of the same inputs.
    # (`language`: the active language, when the caller builds many keys and has looked it up once.)
    language = language or get_language()
    digest = hashlib.sha256("\x1f".join(str(part) for part in (language, *parts)).encode()).hexdigest()
    return f"fragment:{name}:{connection.settings_dict['NAME']}:{digest}"


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


def cached_slot_fillings(name, parts, template, context):
    """{slot id: html}, rendered in one pass of `template`, which writes `<!--slot:ID-->` before each slot's
    html; cached under `parts` like any fragment."""
    pieces = cached_slots(name, parts, template, context)
    return {int(slot): html for slot, html in zip(pieces[1::2], pieces[2::2])}


def fill_slots(pieces, fillings):
    """The fragment with each slot's filling (none: nothing) in place."""
    filled = pieces[:]
    filled[1::2] = [fillings.get(int(slot), "") for slot in pieces[1::2]]
    # Our own templates' output, user text escaped when it was rendered.
    return mark_safe("".join(filled))


def cached_fragments(name, items, template, prepare=None):
    """{id: html} for many fragments of one template in one cache round trip; each miss is rendered with its own
    context and all misses stored at once. `items` maps id -> (key parts, context callable); `prepare`, when
    given, is called once with the ids of the misses before any is rendered (to read their objects together)."""
    language = get_language()
    wanted = {key_for(name, *parts, language=language): (item_id, context) for item_id, (parts, context) in items.items()}
    found = cache.get_many(list(wanted))
    if prepare is not None:
        prepare([item_id for key, (item_id, _context) in wanted.items() if key not in found])
    rendered, result = {}, {}
    for key, (item_id, context) in wanted.items():
        html = found.get(key)
        if html is None:
            html = rendered[key] = str(render_to_string(template, context()))
        result[item_id] = mark_safe(html)  # our own template's output, user text escaped when rendered
    if rendered:
        cache.set_many(rendered)
    return result


def change_lines(amendments):
    """{amendment id: the amendment list's one-line redline of its change}, for modifications (an insertion or a
    removal needs no diff). A change line is fixed by the base version and the proposed text, and the proposed
    text changes only with a new revision or update time: those are its key."""
    return cached_fragments("change-line", {
        a.pk: ([a.pk, a.base_id, a.revision, a.updated_at.timestamp()], lambda a=a: {"amendment": a})
        for a in amendments if not (a.is_insert or a.is_remove)
    }, "drafting/amendments/_change_line.html")
