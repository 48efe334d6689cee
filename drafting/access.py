"""Object-level access: one helper per model that fetches what a member may see, or raises 404/403.

Every document is readable by every active member today; the helpers are the single place to narrow that.
"""
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Clause, Document


def get_document_for(member, slug):
    if member is None or not member.can_read():
        raise PermissionDenied
    return get_object_or_404(Document, slug=slug)


def get_clause_for(member, slug, pk):
    document = get_document_for(member, slug)
    return get_object_or_404(Clause.objects.select_related("document"), document=document, pk=pk)


def get_comment_for(member, slug, pk):
    from .models import Comment

    document = get_document_for(member, slug)
    return get_object_or_404(Comment.objects.select_related("document", "amendment", "clause"), document=document, pk=pk)
