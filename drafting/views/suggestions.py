"""Suggested changes in comment threads: the amendment's author applies one with one click, or declines it.

Both are plain POSTs that redirect back to the thread (without htmx: applying changes the proposed text at the
top of the page, which a thread's partial would leave stale). The rules are the suggestion's
(`Suggestion.apply`, `Suggestion.decline`): a refusal about who asked is a 403, any other (outdated, already
decided, the amendment not editable now) a message above the thread, and nothing changes.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..access import get_comment_for
from ..forms.comments import DeclineForm
from ..models import NotAllowed, TransitionError


def _suggestion_for(member, slug, pk):
    """The suggestion of a comment `member` may read (so a hidden amendment's, or another document's, is a 404)."""
    comment = get_comment_for(member, slug, pk)
    suggestion = getattr(comment, "suggestion", None)
    if suggestion is None:
        raise Http404("This comment suggests no change.")
    return comment, suggestion


@require_POST
def suggestion_apply(request, slug, pk):
    comment, suggestion = _suggestion_for(request.member, slug, pk)
    try:
        suggestion.apply(request.member)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except TransitionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Suggestion applied: %(label)s has a new revision.")
                         % {"label": suggestion.amendment.label})
    return redirect(comment.get_absolute_url())


@require_POST
def suggestion_decline(request, slug, pk):
    comment, suggestion = _suggestion_for(request.member, slug, pk)
    if request.member.pk != suggestion.amendment.author_id:
        raise PermissionDenied
    form = DeclineForm(request.POST)
    if not form.is_valid():  # the note comes back as typed, the reason beside it
        return render(request, "drafting/comments/decline_page.html", {"comment": comment, "form": form})
    try:
        suggestion.decline(request.member, form.cleaned_data["note"])
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except TransitionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Suggestion declined."))
    return redirect(comment.get_absolute_url())
