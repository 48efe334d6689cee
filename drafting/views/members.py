"""The member list, for admins: search, sort, add (with an invitation), edit, deactivate and reactivate."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..access import get_member_for, member_passes
from ..azerbaijani import sort_key, sorted_by_name
from ..characters import searchable
from ..forms.members import MemberForm
from ..models import Member
from ..password_links import INVITATION, email_link

# Sortable columns: the name in the query string, its heading, and what it sorts by. The group is tens of
# members, so it is sorted in Python: names, agencies and positions in Azerbaijani alphabetical order
# (drafting/azerbaijani.py), which no database collation gives on both SQLite and PostgreSQL.
COLUMNS = [
    ("name", _("Name"), lambda m: sort_key(m.full_name)),
    ("agency", _("Agency"), lambda m: sort_key(m.agency)),
    ("position", _("Position"), lambda m: sort_key(m.position)),
    ("role", _("Role"), lambda m: m.role),
    ("active", _("Active"), lambda m: m.user.is_active),
    ("last_login", _("Last sign-in"), lambda m: m.user.last_login),
]
_SORT_KEYS = {key: sort_by for key, _, sort_by in COLUMNS}


def _sorted(members, sort):
    """Ties in name order; members who never signed in last either way."""
    column = sort.lstrip("-")
    members = sorted_by_name(members, lambda m: m.full_name)
    known = [m for m in members if column != "last_login" or m.user.last_login is not None]
    never = [m for m in members if column == "last_login" and m.user.last_login is None]
    return sorted(known, key=_SORT_KEYS[column], reverse=sort.startswith("-")) + never


@member_passes(Member.can_manage_members)
def member_list(request):
    query = searchable(request.GET.get("q", "")).strip()
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in _SORT_KEYS:
        sort = "name"
    members = _sorted(Member.objects.select_related("user").search(query), sort)
    columns = [{"key": key, "label": label, "current": sort.lstrip("-") == key,
                "descending": sort == f"-{key}", "next": f"-{key}" if sort == key else key}
               for key, label, _ in COLUMNS]
    return render(request, "drafting/members/list.html",
                  {"members": members, "query": query, "sort": sort, "columns": columns})


@member_passes(Member.can_manage_members)
def member_add(request):
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = Member.add(by=request.member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            email_link(added.user, INVITATION)
            messages.success(request, gettext("%(name)s was added; an invitation was sent to %(email)s.")
                             % {"name": added.full_name, "email": added.email})
            return redirect("member_list")
    return render(request, "drafting/members/add.html", {"form": form})


@member_passes(Member.can_manage_members)
def member_edit(request, pk):
    target = get_member_for(request.member, pk)
    form = MemberForm.for_member(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = target.edit(by=request.member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Saved %(name)s.") % {"name": target.full_name} if changed
                             else gettext("Nothing was changed."))
            return redirect("member_list")
    history = target.history.select_related("history_user__member").order_by("-history_date", "-history_id")
    return render(request, "drafting/members/edit.html",
                  {"form": form, "target": target, "history": history[:50]})


@member_passes(Member.can_manage_members)
@require_POST
def member_deactivate(request, pk):
    target = get_member_for(request.member, pk)
    try:
        target.deactivate(by=request.member)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, gettext("%(name)s was deactivated and signed out everywhere.") % {"name": target.full_name})
    return redirect("member_list")


@member_passes(Member.can_manage_members)
@require_POST
def member_reactivate(request, pk):
    target = get_member_for(request.member, pk)
    target.reactivate(by=request.member)
    messages.success(request, gettext("%(name)s was reactivated.") % {"name": target.full_name})
    return redirect("member_list")


@member_passes(Member.can_manage_members)
@require_POST
def member_invite(request, pk):
    """Send the invitation again, for a member who has not chosen a password (the first link expired)."""
    target = get_member_for(request.member, pk)
    if target.user.has_usable_password() or not target.is_active:
        messages.error(request, gettext("%(name)s already has a password; they can use “Forgot password”.")
                       % {"name": target.full_name})
    else:
        email_link(target.user, INVITATION)
        messages.success(request, gettext("A new invitation was sent to %(email)s.") % {"email": target.email})
    return redirect("member_edit", pk=target.pk)
