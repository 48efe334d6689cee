"""Builders for amendments in a given state."""
from drafting.models import Amendment

REMOVED_SENTENCE = (
    " The Republic of Azerbaijan continues to advocate for the peaceful settlement of the conflict within the"
    " framework of the OSCE Minsk Group to eliminate the consequences of aggression against it and the occupation"
    " of a part of its territory."
)


def modify(author, clause, body=None, heading=None, rationale="Because.", submit=False, **extra):
    amendment = Amendment.start(
        author=author, clause=clause, kind=Amendment.Kind.MODIFY,
        proposed_heading=clause.heading if heading is None else heading,
        proposed_heading_az=clause.heading_az,
        proposed_body=clause.body if body is None else body, rationale=rationale, **extra,
    )
    if submit:
        amendment.submit(author)
    return amendment


def remove(author, clause, rationale="Obsolete.", submit=False):
    amendment = Amendment.start(author=author, clause=clause, kind=Amendment.Kind.REMOVE, rationale=rationale)
    if submit:
        amendment.submit(author)
    return amendment


def insert(author, anchor, placement, heading, body, rationale="New challenge.", submit=False):
    amendment = Amendment.start(
        author=author, clause=anchor, kind=Amendment.Kind.INSERT, placement=placement,
        proposed_heading=heading, proposed_body=body, rationale=rationale,
    )
    if submit:
        amendment.submit(author)
    return amendment


def modify_texts(author, clause, texts, rationale="Because.", submit=False, kind=Amendment.Kind.MODIFY):
    """A rewording (or translation update) of a bilingual clause: `texts` is {"az": (heading, body), "en": ...};
    a language left out is proposed as the clause reads."""
    from drafting.languages import field

    fields = {}
    for language, (heading, body) in texts.items():
        fields[field("proposed_heading", language)] = heading
        fields[field("proposed_body", language)] = body
    amendment = Amendment.start(author=author, clause=clause, kind=kind, rationale=rationale, **fields)
    if submit:
        amendment.submit(author)
    return amendment


def translate(author, clause, heading, body, rationale="The translation follows the text.", submit=False):
    language = clause.document.translation_language
    return modify_texts(author, clause, {language: (heading, body)}, rationale, submit, kind=Amendment.Kind.TRANSLATE)
