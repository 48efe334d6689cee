"""A member's inbox: what concerns them, newest first, with mark read, mark all read and the email switch."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..models import Notification

PER_PAGE = 30


def inbox(request):
    notifications = Notification.objects.for_inbox(request.member)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "drafting/inbox/list.html", {"page": page, "notifications": page.object_list})


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


@require_POST
def email_preference(request):
    member = request.member
    member.email_notifications = request.POST.get("email") == "on"
    member.save(update_fields=["email_notifications"])
    messages.success(request, gettext("Email notifications are on.") if member.email_notifications
                     else gettext("Email notifications are off."))
    return redirect("inbox")
