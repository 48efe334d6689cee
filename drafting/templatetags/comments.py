"""The discussion section of a clause or amendment page, fetched where it is shown so each page includes it
with one line: `{% include "drafting/comments/_threads.html" with target=amendment %}`."""
from dataclasses import dataclass, field

from django import template
from django.db.models import Q
from django.urls import reverse

from ..forms.comments import CommentForm
from ..models import Amendment, Comment
from ..models.comments import arrange_threads

register = template.Library()


@dataclass
class Section:
    target: object
    threads: list
    post_url: str
    form: object
    folded: list = field(default_factory=list)  # [(amendment, threads)] on a clause page

    @property
    def open_count(self):
        return sum(1 for thread in self.threads if not thread.is_resolved)


@register.simple_tag(takes_context=True)
def comment_section(context, target):
    """Threads on `target` (a Clause or an Amendment); on a clause also, grouped, those on its amendments.

    Three queries whatever the number of comments: the comments with everything they show, their mentions,
    and the mentioned members' accounts."""
    member = context.get("member")
    slug = target.document.slug
    visible = Comment.objects.visible_to(member)
    if isinstance(target, Amendment):
        comments = visible.filter(amendment=target)
        post_url = reverse("amendment_comment", args=[slug, target.number])
    else:
        comments = visible.filter(Q(clause=target) | Q(amendment__clause=target))
        post_url = reverse("clause_comment", args=[slug, target.pk])
    threads = arrange_threads(list(comments.for_display()), member)
    on_target = isinstance(target, Amendment)
    own = [thread for thread in threads if on_target or thread.amendment_id is None]
    groups = {}
    for thread in threads:
        if not on_target and thread.amendment_id is not None:
            groups.setdefault(thread.amendment_id, (thread.amendment, []))[1].append(thread)
    folded = sorted(groups.values(), key=lambda group: group[0].number)
    form = context.get("comment_form") or CommentForm(amendment=target if on_target else None)
    return Section(target=target, threads=own, post_url=post_url, form=form, folded=folded)


@register.simple_tag(takes_context=True)
def open_thread_counts_by_clause(context, document):
    """{clause id: open threads on it or its amendments, that the member may read} for the outline, in one query."""
    return Comment.objects.open_thread_counts_by_clause(document, context.get("member"))


@register.filter
def open_threads(threads):
    return sum(1 for thread in threads if not thread.is_resolved)
