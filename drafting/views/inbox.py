"""A member's inbox: what concerns them, newest first, with mark read, mark all read and the email choice."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..forms.members import EmailFrequencyForm
from ..models import Member, Notification, ReviewRequest

PER_PAGE = 30
REQUESTS_SHOWN = 50


def inbox(request, email_form=None):
    notifications = Notification.objects.for_inbox(request.member)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    email_form = email_form or EmailFrequencyForm.for_member(request.member)
    # The reviews asked of the member as rapporteur, still open, soonest due first (each document's Work page
    # lists them all).
    requests = (ReviewRequest.objects.open().visible_to(request.member).filter(member=request.member)
                .for_display()[:REQUESTS_SHOWN])
    return render(request, "drafting/inbox/list.html",
                  {"page": page, "notifications": page.object_list, "email_form": email_form, "requests": requests})


def _mine(request, pk):
    # Deny by default: a notification is only ever reachable by its recipient (others get a 404).
    return get_object_or_404(Notification.objects.for_inbox(request.member), pk=pk)


def notification_open(request, pk):
    """Following a notification's link reads it, as opening an email does; it changes nothing others see."""
    notification = _mine(request, pk)
    notification.mark_read()
    return redirect(notification.get_absolute_url())


@require_POST
def notification_read(request, pk):
    notification = _mine(request, pk)
    notification.mark_read()
    if request.htmx:
        return render(request, "drafting/inbox/_item.html", {"notification": notification, "oob_count": True})
    return redirect("inbox")


@require_POST
def notifications_read_all(request):
    Notification.objects.visible_to(request.member).mark_read()
    if request.htmx:
        return inbox(request)
    return redirect("inbox")


_CHOSEN = {
    Member.EmailFrequency.IMMEDIATE: _("You will receive each notification by email at once."),
    Member.EmailFrequency.DAILY: _("You will receive a daily digest by email."),
    Member.EmailFrequency.WEEKLY: _("You will receive a weekly digest by email, on Mondays."),
    Member.EmailFrequency.NONE: _("You will receive no email; notifications stay in your inbox."),
}


@require_POST
def email_preference(request):
    form = EmailFrequencyForm.for_member(request.member, request.POST)
    if not form.is_valid():
        return inbox(request, email_form=form)
    frequency = form.cleaned_data["email_frequency"]
    request.member.edit(by=request.member, email_frequency=frequency)
    messages.success(request, _CHOSEN[frequency])
    return redirect("inbox")
