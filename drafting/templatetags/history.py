"""A history row's reason, recorded in English (drafting/models/history.py), read in the reader's language."""
from django import template

from ..models.history import describe_reason

register = template.Library()


@register.filter
def described(reason):
    return describe_reason(reason) if reason else reason
