"""Search: keeping the index (`SearchEntry`) in step with the text, and finding text in it.

Writing. Every save of a clause, an amendment or a comment writes a history row (django-simple-history), inside
the save's transaction; `post_create_historical_record` (the mechanism `models/history.py` already uses to stamp
clause rows) rewrites that object's search rows there too, so the index can never hold text the database does not.
A clause's rows are its text now, plus one "past version" row for each earlier text it had (a save that changed
only its number or place adds none). A withdrawn comment has no row. Bulk writes (`bulk_create`, `.update()`) write
no history and so no search rows: after one, run `manage.py rebuild_search_index`.

Finding. What was typed is cut at `MAX_QUERY_LENGTH` characters, folded as the stored text was, and split into
words of letters and digits: nothing else reaches the engine, so quotes, `*`, `NEAR`, `AND`, `-`, `:` and
parentheses are spaces, never operators (and never a syntax error). Each word matches as a prefix ("təhlükə" finds
"təhlükəsizlik"), and a row must hold all of them.
"""
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models.expressions import RawSQL
from django.urls import reverse
from simple_history.signals import post_create_historical_record

from .azerbaijani import fold
from .languages import AZ, EN

MAX_QUERY_LENGTH = 200  # characters of a query; the page says when it cut one
MAX_WORDS = 12
MAX_WORD_LENGTH = 60
EXCERPT_LENGTH = 240  # characters shown around the first match
_WORDS = re.compile(r"[^\W_]+")
LANGUAGES = (EN, AZ)


# --- writing -----------------------------------------------------------------------------------------------------
def _texts(row, heading, body):
    """{language: (title, text)} of one clause or history row, for the languages that have any text."""
    texts = {}
    for language in LANGUAGES:
        suffix = "_az" if language == AZ else ""
        head, text = getattr(row, heading + suffix), getattr(row, body + suffix)
        if head or text:
            texts[language] = (head, "\n".join(part for part in (head, text) if part))
    return texts


def folded(text):
    """What is matched: the folded words of `text`, one space apart. Only letters and digits, so both engines cut
    it into the same words as the query (PostgreSQL's parser would otherwise read "4.1.1" as one number and
    "e-mail" as three words; FTS5 as "4", "1", "1" and two)."""
    return " ".join(_WORDS.findall(fold(text)))


def _entry(kind, language, text, moment, *, document_id, title="", **links):
    """One search row's fields (a dict, so migration 0011 can make rows of its own historical model)."""
    return dict(kind=kind, language=language, text=text, folded=folded(text), moment=moment,
                document_id=document_id, title=title[:600], **links)


def clause_entries(clause_row, *, kind, history_id=None):
    """The rows of a clause (or of one of its history rows) as they read in `clause_row`."""
    number = clause_row.number
    return [
        _entry(kind, language, text, clause_row.history_date, document_id=clause_row.document_id,
               clause_id=clause_row.id, history_id=history_id, title=" ".join(part for part in (number, head) if part))
        for language, (head, text) in _texts(clause_row, "heading", "body").items()
    ]


def amendment_entries(amendment, moment):
    entries = [
        _entry("amendment", language, text, moment, document_id=amendment.document_id, clause_id=amendment.clause_id,
               amendment_id=amendment.pk, title=f"A-{amendment.number}")
        for language, (head, text) in _texts(amendment, "proposed_heading", "proposed_body").items()
    ]
    if amendment.rationale:
        entries.append(_entry("amendment", "", amendment.rationale, moment, document_id=amendment.document_id,
                              clause_id=amendment.clause_id, amendment_id=amendment.pk, title=f"A-{amendment.number}"))
    return entries


def comment_entries(comment):
    if comment.withdrawn_at is not None or not comment.body:
        return []
    if comment.amendment_id:
        title = f"A-{comment.amendment.number}"
    else:
        title = " ".join(part for part in (comment.clause.number, comment.clause.heading) if part)
    # A suggested change is found by the words it proposes, as the comment that carries it. (A comment of a
    # migration's historical model, before suggestions existed, has none: getattr's default.)
    suggestion = getattr(comment, "suggestion", None)
    text = "\n\n".join(part for part in (comment.body, getattr(suggestion, "replacement", "")) if part)
    return [_entry("comment", "", text, comment.edited_at or comment.created_at,
                   document_id=comment.document_id, clause_id=comment.clause_id, amendment_id=comment.amendment_id,
                   comment_id=comment.pk, title=title)]


def _same_text(a, b):
    return all(getattr(a, name) == getattr(b, name) for name in ("heading", "body", "heading_az", "body_az"))


def index_clause_row(clause, history_row):
    """A clause was saved (`history_row` its new version): its rows now, and its previous text as a past version
    when this save changed the text."""
    from .models.search import SearchEntry

    previous = (clause.history.filter(id=clause.pk, history_date__lte=history_row.history_date)
                .exclude(history_id=history_row.history_id).order_by("-history_date", "-history_id").first())
    if previous is not None and _same_text(previous, history_row):
        # A new number or place: the text, and so its rows, are as they were; only the label follows the number.
        if previous.number != history_row.number:
            for entry in clause_entries(history_row, kind=SearchEntry.Kind.CLAUSE):
                SearchEntry.objects.filter(kind=SearchEntry.Kind.CLAUSE, clause_id=clause.pk,
                                           language=entry["language"]).update(title=entry["title"])
        return
    SearchEntry.objects.filter(kind=SearchEntry.Kind.CLAUSE, clause_id=clause.pk).delete()
    entries = clause_entries(history_row, kind=SearchEntry.Kind.CLAUSE)
    if previous is not None:
        entries += clause_entries(previous, kind=SearchEntry.Kind.VERSION, history_id=previous.history_id)
    SearchEntry.objects.bulk_create(SearchEntry(**fields) for fields in entries)


def index_amendment(amendment, moment):
    from .models.search import SearchEntry

    SearchEntry.objects.filter(kind=SearchEntry.Kind.AMENDMENT, amendment_id=amendment.pk).delete()
    SearchEntry.objects.bulk_create(SearchEntry(**fields) for fields in amendment_entries(amendment, moment))


def index_comment(comment):
    from .models.search import SearchEntry

    SearchEntry.objects.filter(kind=SearchEntry.Kind.COMMENT, comment_id=comment.pk).delete()
    SearchEntry.objects.bulk_create(SearchEntry(**fields) for fields in comment_entries(comment))


def _history_written(sender, instance, history_instance, **kwargs):
    from .models import Amendment, Clause, Comment, Suggestion

    if isinstance(instance, Suggestion):  # saved after its comment: the comment's row takes its words
        index_comment(instance.comment)
    elif isinstance(instance, Clause):
        index_clause_row(instance, history_instance)
    elif isinstance(instance, Amendment):
        index_amendment(instance, history_instance.history_date)
    elif isinstance(instance, Comment):
        index_comment(instance)


post_create_historical_record.connect(_history_written, dispatch_uid="drafting.search_index")


def rebuild(*, ClauseHistory, Amendment, Comment, SearchEntry, batch=2000):
    """Write the whole index again from the text and its history (the command, and migration 0011 with its own
    historical models). Returns the number of rows written."""
    SearchEntry.objects.all().delete()
    pending, written = [], 0

    def flush(force=False):
        nonlocal pending, written
        if pending and (force or len(pending) >= batch):
            SearchEntry.objects.bulk_create(SearchEntry(**fields) for fields in pending)
            written += len(pending)
            pending = []

    rows = ClauseHistory.objects.order_by("id", "history_date", "history_id").iterator(chunk_size=batch)
    last = None
    for row in rows:
        if last is not None and last.id == row.id and not _same_text(last, row):
            pending += clause_entries(last, kind="version", history_id=last.history_id)
        if last is not None and last.id != row.id:
            pending += clause_entries(last, kind="clause")
        last = row
        flush()
    if last is not None:
        pending += clause_entries(last, kind="clause")
    for amendment in Amendment.objects.order_by("pk").iterator(chunk_size=batch):
        pending += amendment_entries(amendment, amendment_moment(amendment))
        flush()
    related = ["clause", "amendment"]
    if any(field.name == "suggestion" for field in Comment._meta.get_fields()):  # not in migration 0013's models
        related.append("suggestion")
    for comment in Comment.objects.select_related(*related).order_by("pk").iterator(chunk_size=batch):
        pending += comment_entries(comment)
        flush()
    flush(force=True)
    return written


def amendment_moment(amendment):
    return amendment.updated_at or amendment.created_at


# --- finding -----------------------------------------------------------------------------------------------------
@dataclass
class Query:
    typed: str  # as typed, cut at MAX_QUERY_LENGTH
    cut: bool  # whether it was cut
    words: list  # folded words, each matched as a prefix


def read_query(raw):
    """What was typed, made safe: control characters become spaces, the whole is cut at MAX_QUERY_LENGTH
    characters, and only words of letters and digits (folded) are kept, at most MAX_WORDS of them."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in raw or "")
    cut = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    words = []
    for word in _WORDS.findall(fold(text)):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return Query(text.strip(), cut, words[:MAX_WORDS])


def matching(entries, words):
    """`entries` narrowed to the rows holding every word (as a prefix), through the database's full-text index."""
    if not words:
        return entries.none()
    if connection.vendor == "postgresql":
        # Words are letters and digits only, so quoting them is enough to keep to_tsquery from reading operators.
        tsquery = " & ".join(f"'{word}':*" for word in words)
        return entries.filter(id__in=RawSQL(
            "SELECT id FROM drafting_searchentry WHERE to_tsvector('simple'::regconfig, drafting_unaccent(folded)) "
            "@@ to_tsquery('simple'::regconfig, drafting_unaccent(%s))", [tsquery]))
    match = " ".join(f'"{word}"*' for word in words)
    return entries.filter(id__in=RawSQL(
        "SELECT rowid FROM drafting_searchentry_fts WHERE drafting_searchentry_fts MATCH %s", [match]))


# --- showing ------------------------------------------------------------------------------------------------------
@dataclass
class Piece:
    text: str
    match: bool


def _folded_with_positions(text):
    """The folded text and, for each of its characters, the position in `text` it came from."""
    folded, origin = [], []
    for position, character in enumerate(text):
        for folded_character in _plain(fold(character)):
            folded.append(folded_character)
            origin.append(position)
    return "".join(folded), origin


def _plain(text):
    # What unaccent (PostgreSQL) and remove_diacritics (SQLite) do after `fold`: é→e, the accents dropped.
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn") or text


def excerpt(text, words, length=EXCERPT_LENGTH):
    """A short passage of `text` around the first match, as pieces: matched words (at a word's start) apart
    from the text around them. Plain data: the template escapes it and marks the matches."""
    folded, origin = _folded_with_positions(text)
    spans = []
    for word in words:
        for found in re.finditer(r"(?<![^\W_])" + re.escape(_fold_plain(word)), folded):
            spans.append((origin[found.start()], origin[found.end() - 1] + 1))
    spans.sort()
    first = spans[0][0] if spans else 0
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):  # end at a word's end, not inside one
        space = text.rfind(" ", max(start, spans[0][1] if spans else start), end)
        end = space if space != -1 else end
    pieces, at = [], start
    for low, high in spans:
        low, high = max(low, at), min(high, end)
        if low >= high:
            continue
        if low > at:
            pieces.append(Piece(text[at:low], False))
        pieces.append(Piece(text[low:high], True))
        at = high
    if at < end:
        pieces.append(Piece(text[at:end], False))
    return pieces, start > 0, end < len(text)


def _fold_plain(word):
    return _plain(word)


class Result:
    """One row found, as the page shows it: what it is, where it lives, a link to the place, and an excerpt
    with the matched words apart (`excerpt`). Reads only the row and the document and amendment loaded with it."""

    def __init__(self, entry, words):
        self.entry = entry
        self.kind = entry.kind
        self.kind_label = entry.get_kind_display()
        self.document = entry.document
        self.language = entry.language
        self.title = entry.title
        self.moment = entry.moment
        self.pieces, self.cut_before, self.cut_after = excerpt(entry.text, words)
        self.url = self._url()

    def _url(self):
        entry, slug = self.entry, self.entry.document.slug
        if entry.kind == "version":
            return (reverse("versions_read", args=[slug]) + "?" + urlencode({"at": entry.moment.isoformat()})
                    + f"#clause-{entry.clause_id}")
        if entry.kind == "amendment":
            return reverse("amendment_detail", args=[slug, entry.amendment.number])
        if entry.kind == "comment":
            page = (reverse("amendment_detail", args=[slug, entry.amendment.number]) if entry.amendment_id
                    else reverse("clause_detail", args=[slug, entry.clause_id]))
            return f"{page}#comment-{entry.comment_id}"
        return reverse("clause_detail", args=[slug, entry.clause_id])
