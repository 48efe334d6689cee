"""Reading documents: the list, and a document as a numbered outline with a table of contents."""
from django.core.cache import cache
from django.shortcuts import render

from .. import page_cache
from ..access import get_document_for
from ..azerbaijani import sorted_by_name
from ..exports.traced import secondary_language
from ..fragments import cached_fragments_together, cached_slots, fill_slots, key_for, text_state
from ..languages import BOTH, reading_choice, reading_languages, reading_options
from ..models import Amendment, Comment, Document


def document_list(request):
    documents = sorted_by_name(Document.objects.visible_to(request.member))
    return render(request, "drafting/documents/list.html", {"documents": documents})


def document_detail(request, slug):
    document = get_document_for(request.member, slug)
    # Badges of open amendments and threads: the amendments and the comments.
    return page_cache.serve(request, "outline", document, lambda: _outline(request, document),
                            [page_cache.AMENDMENTS, page_cache.COMMENTS])


def _outline(request, document):
    choice = reading_choice(request, document)

    def outline_context():
        # A document that keeps its numbers shows a removed clause at its place, by its number alone.
        outline = [entry for entry in document.outline() if not entry.clause.is_removed or entry.kept_removed]
        # The reading control's links carry `?text=` alone (the outline takes no other parameter), so the
        # fragment stays the same for every reader who made the same choice.
        return {"document": document, "outline": outline, "clause_count": sum(not e.kept_removed for e in outline),
                "languages": reading_languages(choice, document),
                "side_by_side": choice == BOTH, "secondary": secondary_language(document),
                "reading_options": reading_options(None, document, choice),
                "outdated_translations": document.outdated_translation_count()}

    # The text, the same for every reader, is cached under the text's state and the reading choice. Each clause's
    # badges (the reader's own counts) go into its slot: all of them cached together under the counts, and each
    # clause's on its own under its own, so a review or a comment that moves one clause's counts renders that
    # clause's badges alone (rendering all of a big document's badges again, after each rejection, was most of
    # the page under load), and counts that did not move are one cache read.
    outline = cached_slots("outline", [text_state(document), choice], "drafting/documents/_outline.html",
                           outline_context)
    open_counts = Amendment.objects.open_counts_by_clause(document, request.member)
    thread_counts = Comment.objects.open_thread_counts_by_clause(document, request.member)
    badges = {clause_pk: (open_counts.get(clause_pk, 0), thread_counts.get(clause_pk, 0))
              for clause_pk in sorted(open_counts.keys() | thread_counts.keys())}
    together = key_for("outline-badges", document.pk, document.slug, badges)
    fillings = cache.get(together)
    if fillings is None:
        fillings = cached_fragments_together(
            "outline-badge", {clause_pk: [document.pk, document.slug, clause_pk, *counts]
                              for clause_pk, counts in badges.items()},
            "drafting/documents/_outline_badges.html",
            lambda missing: {"document": document, "badges": [(pk, *badges[pk]) for pk in missing]})
        cache.set(together, fillings)
    return render(request, "drafting/documents/detail.html",
                  {"document": document, "outline_html": fill_slots(outline, fillings), "side_by_side": choice == BOTH})
