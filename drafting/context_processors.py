from django.utils.functional import SimpleLazyObject


def membership(request):
    member = getattr(request, "member", None)
    return {
        "member": member,
        # Counted only when a template shows it (the header does, partials do not): one cheap query.
        "unread_notifications": SimpleLazyObject(lambda: unread_notifications(member)),
        # Signed in with the password, the code not given yet: the header offers only what works, signing out.
        "second_step_pending": SimpleLazyObject(lambda: _second_step_pending(request, member)),
    }


def _second_step_pending(request, member):
    from . import two_factor

    return member is not None and two_factor.needs_second_step(request)


def unread_notifications(member):
    from .models import Notification

    if not member:
        return 0
    # Every page's header asks this, and most are read with nothing unread: one indexed look at the member's own
    # unread rows answers that. Only when there is something does the count go through the visibility rule
    # (building that query costs more than the page's other queries together).
    if not Notification.objects.for_member(member).unread().exists():
        return 0
    return Notification.objects.visible_to(member).unread().count()
