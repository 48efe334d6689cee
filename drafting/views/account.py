"""A member's own account: profile and password; and the public pages behind invitation and reset links."""
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ..access import member_passes
from ..forms.members import ChangePasswordForm, ChoosePasswordForm, PasswordLinkRequestForm, ProfileForm
from ..models import Member
from ..password_links import INVITATION, PASSWORD_RESET, email_link, link_problem, user_for


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
            messages.success(request, "Your profile was saved.")
            return redirect("profile")
    return render(request, "drafting/account/profile.html", {"form": form})


@member_passes(Member.can_read)
def password_change(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay signed in here; other sessions end
        messages.success(request, "Your password was changed.")
        return redirect("profile")
    return render(request, "drafting/account/password_change.html", {"form": form})


@login_not_required
def password_reset(request):
    """Ask for a reset link. The answer is the same whether or not the address is a member's, and as quick:
    the email goes out on a background thread after the response."""
    form = PasswordLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        users = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"], is_active=True)
        for user in users:
            email_link(user, PASSWORD_RESET, request.build_absolute_uri("/"), in_background=True)
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
        messages.success(request, f"Your password is set. Sign in as {user.get_username()}.")
        return redirect("login")
    return render(request, template, {**context, "form": form, "username": user.get_username()})
