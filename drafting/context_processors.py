from django.utils.functional import SimpleLazyObject


def membership(request):
    member = getattr(request, "member", None)
    return {
        "member": member,
        # Counted only when a template shows it (the header does, partials do not): one cheap query.
        "unread_notifications": SimpleLazyObject(lambda: _unread(member)),
        # Signed in with the password, the code not given yet: the header offers only what works, signing out.
        "second_step_pending": SimpleLazyObject(lambda: _second_step_pending(request, member)),
    }


def _second_step_pending(request, member):
    from . import two_factor

    return member is not None and two_factor.needs_second_step(request)


def _unread(member):
    from .models import Notification

    return Notification.objects.visible_to(member).unread().count() if member else 0
