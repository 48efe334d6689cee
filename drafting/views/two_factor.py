"""Two-factor sign-in pages: the code step after the password, enrolment, and replacing backup codes.

The rules (who must enrol, how a code is checked and counted by the throttle) are in drafting/two_factor.py.
"""
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .. import two_factor
from ..access import get_member_for, member_passes
from ..forms.two_factor import CodeForm, ConfirmForm
from ..models import Member


@member_passes(Member.can_read)
def two_factor_verify(request):
    """The second step of signing in. Only reached with a correct password (the session is signed in), and a
    refused code gets one answer whatever the reason."""
    if not two_factor.needs_second_step(request):
        return HttpResponseRedirect(_next(request))
    if not two_factor.is_enrolled(request.user):
        return redirect("two_factor_enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    refused = False
    if request.method == "POST":
        if two_factor.is_locked_out(request):
            return _locked_out(request)
        # A malformed answer is checked (and counted) as a wrong one: the throttle sees every attempt.
        code = form.cleaned_data["code"] if form.is_valid() else ""
        if two_factor.verify(request, code):
            return HttpResponseRedirect(_next(request))
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        form, refused = CodeForm(), True
    return render(request, "drafting/two_factor/verify.html",
                  {"form": form, "refused": two_factor.CODE_REFUSED if refused else "", "next": _next(request)})


@member_passes(Member.can_read)
def two_factor_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code, and receive
    ten backup codes, shown this once."""
    if two_factor.is_enrolled(request.user):
        if not request.user.is_verified():
            return redirect("two_factor_verify")  # enrolled: the code step first, never a second device instead
        return render(request, "drafting/two_factor/enrolled.html",
                      {"backup_codes_left": two_factor.backup_codes_left(request.user)})
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            messages.success(request, gettext("Two-factor sign-in is on. Keep your backup codes somewhere safe."))
            return render(request, "drafting/two_factor/backup_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", two_factor.CODE_REFUSED)
    return render(request, "drafting/two_factor/enrol.html", {
        "form": form, "qr_code": two_factor.qr_code_data_uri(device), "secret": two_factor.secret_for_display(device),
        "required": two_factor.required_for(request.member), "next": _next(request)})


@member_passes(Member.can_read)
def backup_codes(request):
    """Replace the backup codes: the new ten are shown once, and the old ones stop working."""
    if not two_factor.is_enrolled(request.user):
        return redirect("two_factor_enrol")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.replace_backup_codes(request.user)
        return render(request, "drafting/two_factor/backup_codes.html", {"codes": codes, "next": resolve_url("two_factor_enrol")})
    return render(request, "drafting/two_factor/replace_codes.html",
                  {"form": form, "backup_codes_left": two_factor.backup_codes_left(request.user)})


@member_passes(Member.can_manage_members)
@require_POST
def member_two_factor_reset(request, pk):
    target = get_member_for(request.member, pk)
    target.reset_two_factor(by=request.member)
    messages.success(request, gettext("%(name)s's two-factor sign-in was reset and their sessions ended: "
                                      "they set up an authenticator app again at their next sign-in.")
                     % {"name": target.full_name})
    return redirect("member_edit", pk=target.pk)


def _locked_out(request):
    """The same refusal page as the password step, and the half-finished sign-in ends."""
    credentials = {"username": request.user.get_username()}
    logout(request)
    return get_lockout_response(request, None, credentials)


def _next(request):
    """Where to go after the step: a path on this site (as the sign-in page allows), else the documents."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)
