"""Helpers for writing attributed history rows outside a request (commands, model methods)."""


def attribute(obj, *, user=None, reason="", date=None):
    """Mark `obj` so its next save() writes a history row with this user, reason and moment.

    django-simple-history takes these from private attributes when there is no request; a batch applied
    "at one moment" passes the same `date` to every row so no half-applied state can be read back.
    """
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    if date is not None:
        obj._history_date = date
    return obj
