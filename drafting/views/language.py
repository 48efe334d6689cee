"""The header's language switcher: usable signed out (the sign-in page), during the second step of signing in,
and by a signed-in member, whose choice is stored so their pages and emails follow it on every browser."""
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..forms.members import LanguageForm

# No page of the app has a longer address; a longer one is not worth following.
_LONGEST_NEXT = 2000


@login_not_required
@require_POST
def choose_language(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    language, next_url = form.cleaned_data["language"], request.POST.get("next", "")
    if request.member is not None:
        request.member.choose_language(language)
    if len(next_url) > _LONGEST_NEXT or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
