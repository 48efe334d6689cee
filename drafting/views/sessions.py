"""Your sessions: where a member is signed in, signing out one of them; and an admin's "sign out everywhere"."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
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
        messages.info(request, "This is the browser you are using: sign out with “Sign out” instead.")
    else:
        record.sign_out()
        messages.success(request, f"Signed out {record.browser}.")
    return redirect("session_list")


@member_passes(Member.can_manage_members)
@require_POST
def member_sign_out(request, pk):
    target = get_member_for(request.member, pk)
    ended = target.sign_out_everywhere(by=request.member)
    messages.success(request, f"{target.full_name} was signed out everywhere ({ended} session{'s' if ended != 1 else ''}).")
    return redirect("member_edit", pk=target.pk)
