"""Membership gate (logged in is not enough, the account must belong to an active member), the second step
of signing in, the interface language, and the record of where each member is signed in."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .models.members import member_of
from .models.sessions import SessionRecord

# An outsider may still sign out, and static files are served by the dev server before this runs.
# The language switcher too: the "not a member" page must be readable in either language.
_ALLOWED_FOR_OUTSIDERS = ("logout", "choose_language")


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
_BEFORE_SECOND_STEP = ("two_factor_verify", "two_factor_enrol", "logout", "choose_language")


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


def interface_language(request):
    """The language of this request's pages: the signed-in member's stored choice, else the language cookie (a
    visitor's choice before signing in), else the deployment's LANGUAGE_CODE. Never the browser's Accept-Language:
    the deployment decides, so a shared office computer set to English still opens in Azerbaijani."""
    member = getattr(request, "member", None)
    if member is not None and member.language in dict(settings.LANGUAGES):
        return member.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in dict(settings.LANGUAGES):
        return cookie
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the interface language for the whole request (error pages included) and says it in the
    Content-Language header; base.html's <html lang> reads `request.LANGUAGE_CODE`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = interface_language(request)
        request.LANGUAGE_CODE = language
        # Restored afterwards, so a language chosen for one request never leaks into the next one on this thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


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
