"""Loading a parsed Markdown document into the database, as a new document or a new version of one.

A new version matches clauses by their place (parent, then number, or heading for unnumbered parts; the
second "Annex" under one parent matches the second), so a clause keeps its identity and gains a history row
only if its text changed; clauses absent from the file are marked removed, never deleted. Every row written
shares one moment and one reason. A new document gets its first milestone ("2007 original") at that moment.

Languages (drafting/markdown_format.py). A file writes the text of the languages it carries and leaves the
others as they are. Two files, one per language (the authoritative text and its translation), become one
bilingual document: `align` pairs their clauses by number, and unnumbered parts by their order among the
unnumbered parts under the same parent (their headings differ by language, so a heading cannot pair them).
A clause in one file and not in the other is refused, every such clause named, and nothing is written:
pairing the rest by number would put a translation under the wrong clause, and the record must never be
wrong. A file in the translation language alone, as a new version of a bilingual document, is paired the same
way with the document as it stands: it updates the translation and cannot add, remove or move a clause.
The document's title and description are taken from the file in the authoritative language only.
"""
from copy import copy

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .languages import TEXT_LANGUAGES
from .languages import field as field_in
from .markdown_format import ParsedClause, ParsedDocument, other_language
from .models import Clause, Document, Milestone
from .models.documents import RESERVED_SLUGS
from .models.history import attribute

TEXT_FIELDS = ("heading", "body")


class ImportRefused(ValueError):
    """The files cannot be imported as they are; `problems` says why, one message each, for the user."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def language_name(code):
    return str(dict(TEXT_LANGUAGES).get(code, code))


def _label(clause, language, name):
    if clause.numbered:
        text = _("clause %(number)s") % {"number": clause.number}
    elif clause.closing:
        text = _("a closing text")
    else:
        heading = clause.text("heading", language) or clause.text("heading", other_language(language))
        text = _("the unnumbered part “%(heading)s”") % {"heading": heading}
    if not clause.line:  # read from the database, not from a file
        return text
    return _("%(clause)s (line %(line)s of %(file)s)") % {"clause": text, "line": clause.line, "file": name}


def _aligned_keys(items):
    """Each clause's place among its siblings: its number, or its rank among the unnumbered parts."""
    keys, unnumbered = [], 0
    for item in items:
        if item.numbered:
            keys.append(("n", item.number))
        elif item.closing:
            keys.append(("c",))
        else:
            keys.append(("u", unnumbered))
            unnumbered += 1
    return keys


def align(main, translation, *, names):
    """One ParsedDocument in both languages from a file in each. Raises ImportRefused naming every clause
    found in one file and not in the other, and every text the two files give differently."""
    main_name, translation_name = names
    language, other = main.language, translation.language
    if other == language:
        raise ImportRefused([_(
            "%(main)s and %(translation)s are both in %(language)s: declare the translation's language on a "
            "line “language: %(other)s” under its title"
        ) % {"main": main_name, "translation": translation_name, "language": language_name(language),
             "other": other_language(language)}])
    problems = []

    def merged_clause(ours, theirs):
        clause = copy(ours)
        clause.children = []
        for name in TEXT_FIELDS:
            # The translation file's text in its own language, and what either file gives in the other one.
            for lang, from_translation in ((other, theirs.text(name, other)), (language, theirs.text(name, language))):
                from_main = ours.text(name, lang)
                if from_translation and from_main and from_translation != from_main:
                    problems.append(_(
                        "%(clause)s: the two files give different %(language)s %(what)s (line %(line)s of %(file)s)"
                    ) % {"clause": _label(ours, language, main_name), "language": language_name(lang),
                         "what": _("headings") if name == "heading" else _("texts"), "line": theirs.line,
                         "file": translation_name})
                setattr(clause, field_in(name, lang), from_main or from_translation)
        return clause

    def pair(ours, theirs):
        mine, yours = dict(zip(_aligned_keys(ours), ours)), dict(zip(_aligned_keys(theirs), theirs))
        for key, item in mine.items():
            if key not in yours:
                problems.append(_("%(clause)s is not in %(file)s") % {
                    "clause": _label(item, language, main_name), "file": translation_name})
        for key, item in yours.items():
            if key not in mine:
                problems.append(_("%(clause)s is not in %(file)s") % {
                    "clause": _label(item, other, translation_name), "file": main_name})
        result = []
        for key, item in mine.items():
            if key in yours:
                clause = merged_clause(item, yours[key])
                clause.children = pair(item.children, yours[key].children)
                result.append(clause)
        return result

    clauses = pair(main.clauses, translation.clauses)
    if problems:
        raise ImportRefused(problems)
    merged = copy(main)
    merged.clauses, merged.translation, merged.carries_other = clauses, other, True
    return merged


def _as_parsed(document):
    """The document's structure and authoritative text as they stand, as a file in that language alone would
    read: what a file in the translation language is paired with (its translation replaces the one stored)."""
    language = document.authoritative_language
    parsed = ParsedDocument(title=document.title, short_title=document.short_title, adopted=document.adopted,
                            description=document.description, language=language)
    made = {}
    for entry in document.outline():
        clause = entry.clause
        if clause.is_removed or (clause.parent_id is not None and clause.parent_id not in made):
            continue
        item = ParsedClause(line=0, depth=entry.depth, number=entry.number, numbered=clause.numbered,
                            closing=clause.is_closing)
        for name in TEXT_FIELDS:
            setattr(item, field_in(name, language), getattr(clause, field_in(name, language)))
        made[clause.pk] = item
        (made[clause.parent_id].children if clause.parent_id else parsed.clauses).append(item)
    return parsed


def _languages_for(parsed, document, translation, names):
    """The parsed text to import into `document` (None: a new one), checked against its languages."""
    if translation is not None:
        parsed = align(parsed, translation, names=names)
    if document is None:
        return parsed
    if parsed.language != document.authoritative_language:
        if parsed.language == document.translation_language:
            return align(_as_parsed(document), parsed, names=(str(document), names[0]))
        raise ImportRefused([_(
            "the file is in %(language)s; %(document)s is kept in %(languages)s"
        ) % {"language": language_name(parsed.language), "document": document,
             "languages": _(" and ").join(language_name(code) for code in document.languages)}])
    return parsed


def _key(parent_key, number, heading, numbered, closing=False):
    if closing:
        return (parent_key, "c", "")
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
def import_document(parsed, *, translation=None, names=None, user=None, reason="imported", slug=None,
                    document=None):
    """Create or update a document from a ParsedDocument, with `translation` (another ParsedDocument, in the
    other language) paired with it clause by clause; `names` names the two files in messages. Returns
    (document, counts); raises ImportRefused."""
    if document is not None:
        # Under the document's row lock, as an amendment being applied and a change of settings hold it: two
        # imports at once write one after the other, the second reading the numbering policy the first left.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        document.refresh_from_db()
    parsed = _languages_for(parsed, document, translation, names or (_("the main file"), _("the translation file")))
    moment = timezone.now()
    counts = {"created": 0, "changed": 0, "removed": 0, "unchanged": 0}
    is_new = document is None
    if is_new:
        if slug in RESERVED_SLUGS:
            raise ImportRefused([_("“%(slug)s” names a page of its own; choose another slug.") % {"slug": slug}])
        document = Document(slug=slug or slug_for(parsed), authoritative_language=parsed.language)
    fields = ("title", "short_title", "adopted", "description")
    dirty = any(getattr(document, name) != getattr(parsed, name) for name in fields)
    if parsed.translation and not document.translation_language:
        document.translation_language, dirty = parsed.translation, True
    switched = bool(parsed.numbering) and parsed.numbering != document.numbering
    if switched:
        # A file declaring "numbering: keep" carries its numbers as they stand (derived ones included); they are
        # stored as they are, and `renumber` below numbers only what has none.
        document.numbering, dirty = parsed.numbering, True
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

    heading_field = field_in("heading", parsed.language)
    text_fields = [field_in(name, language) for language in parsed.languages for name in TEXT_FIELDS]

    def key_of(clause, parent_key):
        closing = clause.closing if isinstance(clause, ParsedClause) else clause.is_closing
        return _key(parent_key, clause.number, getattr(clause, heading_field), clause.numbered, closing)

    def index_existing(parent_id, parent_key):
        siblings = sorted((c for c in existing.values() if c.parent_id == parent_id), key=lambda c: (c.position, c.pk))
        for clause, key in _keys(siblings, parent_key, key_of):
            keyed[key] = clause
            index_existing(clause.pk, key)

    index_existing(None, None)
    seen = set()
    # Under "keep" a removed clause keeps its number, and a number is never given twice: a new clause in the file
    # may not take one (a document switched to "keep" by this file has no such numbers yet).
    given = set()
    if document.keeps_numbers and not switched and not is_new:
        given = set(document.clauses.filter(status=Clause.Status.REMOVED).exclude(number="")
                    .values_list("parent_id", "number"))
    reused = []

    def write(items, parent, parent_key):
        for position, (item, key) in enumerate(_keys(items, parent_key, key_of)):
            clause = keyed.get(key)
            values = {"parent": parent, "position": position, "numbered": item.numbered, "number": item.number,
                      "role": Clause.Role.CLOSING if item.closing else Clause.Role.CLAUSE}
            values.update((name, getattr(item, name)) for name in text_fields)
            if clause is None:
                if item.number and (parent.pk if parent else None, item.number) in given:
                    reused.append(item.number)
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
    if reused:
        raise ImportRefused([_("The number %(number)s is that of a removed clause, and this document keeps its "
                               "numbers: a number is never given twice. Give the new clause a derived number "
                               "(such as %(number)s-1) or leave it out.") % {"number": number} for number in reused])
    removed_now = set()
    for clause in existing.values():
        if clause.pk not in seen:
            clause.status = Clause.Status.REMOVED
            attribute(clause, user=user, reason=reason, date=moment)
            clause.save()
            counts["removed"] += 1
            removed_now.add(clause.pk)
    if switched and not is_new:
        # What this file removes is removed under the policy it declares: under "keep" it keeps its number.
        document.numbering_switched(user=user, reason=reason, date=moment, removed_now=removed_now)
    else:
        document.renumber(user=user, reason=reason, date=moment)
    if is_new:
        # The text as imported is the baseline every later version is compared with ("2007 original").
        Milestone.objects.create(
            document=document, name=Milestone.original_name(document), moment=moment,
            note="Set by the import.", created_at=moment,
        )
    refresh_planner_statistics()
    return document, counts


class _Rehearsed(Exception):
    def __init__(self, result):
        self.result = result


def rehearse(parsed, *, document, user=None, then):
    """What importing `parsed` into `document` would change, without changing anything: the import runs in a
    transaction that is rolled back, after `then(comparison)` (the current text against the imported one, from
    drafting/comparison.py) has made what the preview shows. The same code as the real import, so the preview
    cannot differ from what the confirmation writes. Returns what `then` returns; raises ImportRefused."""
    from .comparison import NOW, Point, compare_versions_at

    before = timezone.now()
    try:
        with transaction.atomic():
            import_document(parsed, document=document, user=user, reason="preview")
            after = timezone.now()
            comparison = compare_versions_at(document, Point("before", _("the current text"), before),
                                             Point(NOW, _("the file"), after))
            raise _Rehearsed(then(comparison))
    except _Rehearsed as rehearsed:
        document.refresh_from_db()  # the import set the file's title on this very object
        return rehearsed.result


def refresh_planner_statistics():
    """Tell PostgreSQL's planner how big the clause tables now are. Autovacuum (which would) is off on some
    hosts, and right after a bulk import the compare query took a quadratic plan: 5.6 s of SQL at 10,000
    clauses, 44 ms after ANALYZE. ANALYZE may run inside the import's transaction and sees its rows."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Clause, Clause.history.model):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
