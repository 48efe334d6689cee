"""Translation status: which clauses' translations are outdated, and what changed in the authoritative text since
each was made, for the document's Translations page.

The rule itself lives on the clause (`Clause.write_texts`, `Clause.is_translation_outdated`): a change of the
authoritative heading or text counts a new version; the translation remembers the version it was made from. Here
the outdated clauses are read with, for each, the authoritative text as it stood at that version (a history row of
the clause) as a redline to the text now, beside the current translation: in two queries whatever their number.
"""
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from .languages import field, language_label
from .models import Clause
from .models.clauses import number_key
from .redline import redline


@dataclass
class OutdatedTranslation:
    clause: Clause
    since: dict  # the authoritative heading and text, redline from the version translated to the text now
    made_from: object  # the history row of that version; None when the clause was inserted without a translation
    translation: tuple  # (heading, text) of the translation as it reads now

    @property
    def authoritative_language(self):
        return self.clause.document.authoritative_language

    @property
    def translation_language(self):
        return self.clause.document.translation_language

    @property
    def authoritative_label(self):
        return language_label(self.authoritative_language)

    @property
    def translation_label(self):
        return language_label(self.translation_language)


def outdated_translations(document):
    """The document's clauses whose translation is outdated, in reading order, each an `OutdatedTranslation`."""
    if not document.translation_language:
        return []
    clauses = sorted(Clause.objects.filter(document=document).translation_outdated(), key=_reading_key)
    made_from = {}
    translated_version = Clause.objects.filter(pk=OuterRef("id")).values("translated_from")
    rows = (Clause.history.filter(id__in=[clause.pk for clause in clauses])
            .filter(authoritative_version=Subquery(translated_version))
            .order_by("id", "-history_date", "-history_id"))
    for row in rows:
        made_from.setdefault(row.id, row)  # the latest row at that version: the text as it last read then
    authoritative, translation = document.authoritative_language, document.translation_language
    result = []
    for clause in clauses:
        clause.document = document
        old = made_from.get(clause.pk)
        old_heading, old_body = (getattr(old, field("heading", authoritative)), getattr(old, field("body", authoritative))) if old else ("", "")
        heading, body = clause.text_in(authoritative)
        result.append(OutdatedTranslation(
            clause=clause, made_from=old,
            since={"heading": redline(old_heading, heading), "body": redline(old_body, body)},
            translation=clause.text_in(translation),
        ))
    return result


def _reading_key(clause):
    return number_key(clause.number), clause.position, clause.pk
