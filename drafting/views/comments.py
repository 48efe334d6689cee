"""Comment threads: start one on a clause or an amendment, reply, edit, withdraw, resolve, reopen.

Every change is a POST. With htmx the answer is the part of the page that changed (the thread; for a new
thread the whole discussion section); without JavaScript it redirects back to the comment. An invalid comment
comes back with its text and the reason beside the field: in place with htmx, otherwise on a small page that
posts again. Who may do what is asked of the comment (`comment.can_be_edited_by(member)`, ...).
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import get_amendment_for, get_clause_for, get_comment_for
from ..forms.comments import CommentForm, EditForm, ReplyForm
from ..models import Amendment, Comment, TransitionError
from ..models.comments import arrange_threads, quotable_text


@require_POST
def clause_comment(request, slug, pk):
    return _start_thread(request, get_clause_for(request.member, slug, pk))


@require_POST
def amendment_comment(request, slug, number):
    return _start_thread(request, get_amendment_for(request.member, slug, number))


def _start_thread(request, target):
    if not request.member.can_comment(target.document):
        raise PermissionDenied
    amendment = target if isinstance(target, Amendment) else None
    form = CommentForm(request.POST, quotable_text=quotable_text(target), amendment=amendment)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = Comment.post(author=request.member, target=target, body=data["body"], quote=data["quote"],
                                   suggestion=data.get("suggestion"))
        except TransitionError as refused:  # the text changed between the form's check and the post
            form.add_error("suggest_original", str(refused))
        else:
            if request.htmx:
                return render(request, "drafting/comments/_threads.html", {"target": target})
            return redirect(comment.get_absolute_url())
    if request.htmx:
        return render(request, "drafting/comments/_threads.html", {"target": target, "comment_form": form})
    return render(request, "drafting/comments/form_page.html", {"target": target, "form": form, "action": request.path})


@require_POST
def comment_reply(request, slug, pk):
    parent = get_comment_for(request.member, slug, pk)
    if not parent.can_be_replied_to_by(request.member):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        reply = Comment.post(author=request.member, parent=parent, body=form.cleaned_data["body"])
        return _done(request, reply)
    return _invalid(request, parent, "reply_form", form)


@require_POST
def comment_edit(request, slug, pk):
    comment = get_comment_for(request.member, slug, pk)
    if not comment.can_be_edited_by(request.member):
        raise PermissionDenied
    form = EditForm(request.POST)
    if form.is_valid():
        comment.edit(request.member, form.cleaned_data["body"])
        return _done(request, comment)
    return _invalid(request, comment, "edit_form", form)


@require_POST
def comment_withdraw(request, slug, pk):
    comment = get_comment_for(request.member, slug, pk)
    if not comment.can_be_withdrawn_by(request.member):
        raise PermissionDenied
    comment.withdraw(request.member)
    return _done(request, comment)


@require_POST
def comment_resolve(request, slug, pk):
    thread = get_comment_for(request.member, slug, pk)
    if not thread.can_be_resolved_by(request.member):
        raise PermissionDenied
    thread.resolve(request.member)
    return _done(request, thread)


@require_POST
def comment_reopen(request, slug, pk):
    thread = get_comment_for(request.member, slug, pk)
    if not thread.can_be_resolved_by(request.member):
        raise PermissionDenied
    thread.reopen(request.member)
    return _done(request, thread)


def comment_versions(request, slug, pk):
    """The texts a comment has had, with when each was written: an edit never loses what was said."""
    comment = get_comment_for(request.member, slug, pk)
    versions = [] if comment.is_withdrawn else comment.versions()
    return render(request, "drafting/comments/versions.html", {"comment": comment, "versions": versions})


def _done(request, comment):
    if request.htmx:
        return _thread_partial(request, comment)
    return redirect(comment.get_absolute_url())


def _invalid(request, comment, slot, form):
    if request.htmx:
        return _thread_partial(request, comment, {comment.pk: (slot, form)})
    context = {"target": comment.target, "form": form, "action": request.path, "about": comment, "slot": slot}
    return render(request, "drafting/comments/form_page.html", context)


def _thread_partial(request, comment, failed=None):
    """The whole thread `comment` belongs to, read in one query, with a failed form put back in its place."""
    root = comment.thread_id_or_own
    comments = list(Comment.objects.visible_to(request.member).filter(Q(pk=root) | Q(thread_id=root)).for_display())
    for each in comments:
        slot, form = (failed or {}).get(each.pk, (None, None))
        if slot:
            setattr(each, slot, form)
    [thread] = arrange_threads(comments, request.member)
    return render(request, "drafting/comments/_thread.html", {"thread": thread})
