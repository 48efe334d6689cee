from django.utils.functional import SimpleLazyObject


def membership(request):
    member = getattr(request, "member", None)
    return {
        "member": member,
        # Counted only when a template shows it (the header does, partials do not): one cheap query.
        "unread_notifications": SimpleLazyObject(lambda: _unread(member)),
    }


def _unread(member):
    from .models import Notification

    return Notification.objects.visible_to(member).unread().count() if member else 0
