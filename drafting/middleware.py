"""Membership gate (logged in is not enough, the account must belong to an active member), the second step
of signing in, and the record of where each member is signed in."""
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from .models.members import member_of
from .models.sessions import SessionRecord

# An outsider may still sign out, and static files are served by the dev server before this runs.
_ALLOWED_FOR_OUTSIDERS = ("logout",)


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = member_of(request.user)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.member is not None:
            return None
        if request.resolver_match and request.resolver_match.url_name in _ALLOWED_FOR_OUTSIDERS:
            return None
        return render(request, "403.html", {"reason": gettext("Your account is not a member of the working group.")}, status=403)


# What a member signed in with the password alone may still open: the second step, enrolment, signing out.
_BEFORE_SECOND_STEP = ("two_factor_verify", "two_factor_enrol", "logout")


class TwoFactorMiddleware:
    """Until the session is verified with a code, a member who must give one can do nothing else: every other
    address goes to the code step, or to enrolment for a member of a required role who has not enrolled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from . import two_factor

        if request.member is None or not two_factor.needs_second_step(request):
            return None
        if request.resolver_match and request.resolver_match.url_name in _BEFORE_SECOND_STEP:
            return None
        target = "two_factor_verify" if two_factor.is_enrolled(request.user) else "two_factor_enrol"
        return redirect_to_login(request.get_full_path(), login_url=reverse(target))


class SessionRecordMiddleware:
    """Keeps each signed-in session's browser, address and last activity (drafting/models/sessions.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view: a sign-in has by now given the session its new key, a sign-out has removed it.
        if request.user.is_authenticated and hasattr(request, "session"):
            SessionRecord.seen(request)
        return response
