"""Per-document capabilities in templates: `{% if member|can_propose_on:document %}`. A template cannot pass an
argument to a method, and `member.can_propose` alone answers for the deployment, not for this document."""
from django import template

register = template.Library()


@register.filter
def can_propose_on(member, document):
    return member is not None and member.can_propose(document)


@register.filter
def can_comment_on(member, document):
    return member is not None and member.can_comment(document)
