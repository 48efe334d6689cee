"""Your sessions: where a member is signed in, signing out one of them; and an admin's "sign out everywhere"."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from ..access import get_member_for, member_passes
from ..models import Member, SessionRecord


@member_passes(Member.can_read)
def session_list(request):
    SessionRecord.seen(request)  # this browser is listed even on its first page after signing in
    sessions = SessionRecord.objects.live().filter(user=request.user)
    return render(request, "drafting/account/sessions.html",
                  {"sessions": sessions, "current_key": request.session.session_key})


@member_passes(Member.can_read)
@require_POST
def session_sign_out(request, pk):
    """Sign out one of one's own other sessions; another member's session is not found."""
    record = get_object_or_404(SessionRecord.objects.filter(user=request.user), pk=pk)
    if record.session_key == request.session.session_key:
        messages.info(request, gettext("This is the browser you are using: sign out with “Sign out” instead."))
    else:
        record.sign_out()
        messages.success(request, gettext("Signed out %(browser)s.") % {"browser": record.browser})
    return redirect("session_list")


@member_passes(Member.can_manage_members)
@require_POST
def member_sign_out(request, pk):
    target = get_member_for(request.member, pk)
    ended = target.sign_out_everywhere(by=request.member)
    messages.success(request, ngettext(
        "%(name)s was signed out everywhere (%(count)d session).",
        "%(name)s was signed out everywhere (%(count)d sessions).", ended) % {"name": target.full_name, "count": ended})
    return redirect("member_edit", pk=target.pk)
