"""A member's own account: profile and password; and the public pages behind invitation and reset links."""
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ..access import member_passes
from ..forms.members import ChangePasswordForm, ChoosePasswordForm, PasswordLinkRequestForm, ProfileForm, SignInForm
from ..models import Member
from ..models.members import DEACTIVATED, SIGNED_OUT_KEY
from ..password_links import INVITATION, PASSWORD_RESET, email_link, link_problem, user_for


class SignInView(LoginView):
    """Django's sign-in, saying why when this browser was signed out because its membership was deactivated."""

    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "deactivated": _signed_out_by_deactivation(self.request)}


def _signed_out_by_deactivation(request):
    session = request.session
    if session.get(SIGNED_OUT_KEY) == DEACTIVATED:
        return True
    # A session that still names an account deactivated some other way (the Django admin): Django treats the
    # browser as signed out, and it should hear why just the same.
    user_id = session.get(SESSION_KEY)
    return bool(user_id) and get_user_model().objects.filter(pk=user_id, is_active=False).exists()


@member_passes(Member.can_read)
def profile(request):
    """Only ever the signed-in member's own record: there is no id in the URL to change."""
    form = ProfileForm.for_member(request.member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request.member.edit(by=request.member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Your profile was saved."))
            return redirect("profile")
    return render(request, "drafting/account/profile.html", {"form": form})


@member_passes(Member.can_read)
def password_change(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay signed in here; other sessions end
        messages.success(request, gettext("Your password was changed."))
        return redirect("profile")
    return render(request, "drafting/account/password_change.html", {"form": form})


@login_not_required
def password_reset(request):
    """Ask for a reset link. The answer is the same whether or not the address is a member's, and as quick:
    the email is only queued for the worker (drafting/tasks.py), never sent while the request waits."""
    form = PasswordLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        users = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"], is_active=True)
        for user in users:
            email_link(user, PASSWORD_RESET)
        return render(request, "drafting/account/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "drafting/account/password_reset.html", {"form": form})


@login_not_required
def password_reset_confirm(request, uidb64, token):
    return _set_password_from_link(request, uidb64, token, PASSWORD_RESET)


@login_not_required
def invite_accept(request, uidb64, token):
    return _set_password_from_link(request, uidb64, token, INVITATION)


def _set_password_from_link(request, uidb64, token, purpose):
    user = user_for(uidb64)
    problem = link_problem(user, token, purpose)
    template = "drafting/account/set_password.html"
    context = {"invitation": purpose is INVITATION, "problem": problem}
    if problem:
        return render(request, template, context, status=400)
    form = ChoosePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # changes the password hash, so this link stops working
        messages.success(request, gettext("Your password is set. Sign in as %(username)s.") % {"username": user.get_username()})
        return redirect("login")
    return render(request, template, {**context, "form": form, "username": user.get_username()})
