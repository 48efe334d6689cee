"""Loading a parsed Markdown document into the database, as a new document or a new version of one.

A new version matches clauses by their place (parent, then number, or heading for unnumbered parts; the
second "Annex" under one parent matches the second), so a clause keeps its identity and gains a history row
only if its text changed; clauses absent from the file are marked removed, never deleted. Every row written
shares one moment and one reason. A new document gets its first milestone ("2007 original") at that moment.
"""
from django.db import connection, transaction
from django.utils import timezone

from .models import Clause, Document, Milestone
from .models.history import attribute


def _key(parent_key, number, heading, numbered):
    return (parent_key, "n", number) if numbered else (parent_key, "h", heading.strip().lower())


def _keys(items, parent_key, key_of):
    """Each sibling's key, counting repeats: two unnumbered parts with one heading are two places."""
    seen = {}
    for item in items:
        key = key_of(item, parent_key)
        seen[key] = seen.get(key, -1) + 1
        yield item, (*key, seen[key])


def slug_for(parsed):
    """The slug a new document gets unless one is given: from its short title, else its title."""
    return Document.slug_from(parsed.short_title or parsed.title)


@transaction.atomic
def import_document(parsed, *, user=None, reason="imported", slug=None, document=None):
    """Create or update a document from a ParsedDocument. Returns (document, counts)."""
    moment = timezone.now()
    counts = {"created": 0, "changed": 0, "removed": 0, "unchanged": 0}
    is_new = document is None
    if is_new:
        document = Document(slug=slug or slug_for(parsed))
    fields = ("title", "short_title", "adopted", "description")
    dirty = any(getattr(document, name) != getattr(parsed, name) for name in fields)
    for name in fields:
        setattr(document, name, getattr(parsed, name))
    if document.pk is None or dirty:
        attribute(document, user=user, reason=reason, date=moment)
        document.save()

    existing = {}
    for entry in document.outline():
        clause = entry.clause
        if not clause.is_removed:
            existing[clause.pk] = clause
    keyed = {}

    def key_of(clause, parent_key):
        return _key(parent_key, clause.number, clause.heading, clause.numbered)

    def index_existing(parent_id, parent_key):
        siblings = sorted((c for c in existing.values() if c.parent_id == parent_id), key=lambda c: (c.position, c.pk))
        for clause, key in _keys(siblings, parent_key, key_of):
            keyed[key] = clause
            index_existing(clause.pk, key)

    index_existing(None, None)
    seen = set()

    def write(items, parent, parent_key):
        for position, (item, key) in enumerate(_keys(items, parent_key, key_of)):
            clause = keyed.get(key)
            values = {
                "parent": parent, "position": position, "numbered": item.numbered, "number": item.number,
                "heading": item.heading, "heading_az": item.heading_az, "body": item.body,
            }
            if clause is None:
                clause = Clause(document=document, **values)
                counts["created"] += 1
                dirty = True
            else:
                seen.add(clause.pk)
                dirty = any(getattr(clause, name) != value for name, value in values.items())
                for name, value in values.items():
                    setattr(clause, name, value)
                counts["changed" if dirty else "unchanged"] += 1
            if dirty:  # every save() writes a history row: save only what changed
                attribute(clause, user=user, reason=reason, date=moment)
                clause.save()
            write(item.children, clause, key)

    write(parsed.clauses, None, None)
    for clause in existing.values():
        if clause.pk not in seen:
            clause.status = Clause.Status.REMOVED
            attribute(clause, user=user, reason=reason, date=moment)
            clause.save()
            counts["removed"] += 1
    document.renumber(user=user, reason=reason, date=moment)
    if is_new:
        # The text as imported is the baseline every later version is compared with ("2007 original").
        Milestone.objects.create(
            document=document, name=Milestone.original_name(document), moment=moment,
            note="Set by the import.", created_at=moment,
        )
    refresh_planner_statistics()
    return document, counts


def refresh_planner_statistics():
    """Tell PostgreSQL's planner how big the clause tables now are. Autovacuum (which would) is off on some
    hosts, and right after a bulk import the compare query took a quadratic plan: 5.6 s of SQL at 10,000
    clauses, 44 ms after ANALYZE. ANALYZE may run inside the import's transaction and sees its rows."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Clause, Clause.history.model):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
