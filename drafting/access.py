"""Object-level access: one helper per model that fetches what a member may see, or raises 404/403.

A member reads only the documents they are on (`DocumentQuerySet.visible_to`, issue 12): any other
document answers 404 here, for every URL under it, so its existence is not revealed. Amendments in draft are visible only to their author and co-sponsors: an id typed into a URL finds
nothing else (404, so a draft's existence is not revealed either). Views that need a capability rather than
an object state it with `@member_passes(Member.can_...)`.
"""
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Amendment, Clause, Document, Member


def member_passes(capability):
    """View decorator: 403 unless the signed-in member has `capability`, a Member method such as
    `Member.can_manage_members` (a reference, never a string, so a typo fails at import)."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.member is None or not capability(request.member):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        checked.capability = capability
        return checked

    return decorator


def get_document_for(member, slug):
    if member is None or not member.can_read():
        raise PermissionDenied
    return get_object_or_404(Document.objects.visible_to(member), slug=slug)


def get_clause_for(member, slug, pk):
    document = get_document_for(member, slug)
    return get_object_or_404(Clause.objects.select_related("document"), document=document, pk=pk)


def get_amendment_for(member, slug, number):
    document = get_document_for(member, slug)
    amendments = Amendment.objects.visible_to(member).select_related(
        "document", "clause", "base", "author__user", "applied_by__user", "result_clause"
    )
    return get_object_or_404(amendments, document=document, number=number)


def get_member_for(member, pk):
    """Another member's record, for admins only; members see and edit themselves through their profile."""
    if member is None or not member.can_manage_members():
        raise PermissionDenied
    return get_object_or_404(Member.objects.select_related("user"), pk=pk)


def get_comment_for(member, slug, pk):
    """A comment the member may see: on a clause, or on an amendment they may see (drafts are their sponsors')."""
    from .models import Comment

    document = get_document_for(member, slug)
    comments = Comment.objects.visible_to(member).select_related("document", "amendment", "clause")
    return get_object_or_404(comments, document=document, pk=pk)
