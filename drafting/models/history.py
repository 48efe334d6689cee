"""Helpers for writing attributed history rows outside a request (commands, model methods)."""


from django.db import models
from simple_history.signals import pre_create_historical_record


class AmendmentHistory(models.Model):
    """Extra column on clause history rows: the amendment that caused the change, if any."""

    amendment = models.ForeignKey(
        "drafting.Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_removed(self):
        """Whether the clause stood removed in this version."""
        from .clauses import Clause

        return self.status == Clause.Status.REMOVED


def _record_amendment(sender, instance, history_instance, **kwargs):
    # Only clause history rows carry this column; other history rows (reviews, comments) have a real
    # `amendment` field of their own that must be left as it is.
    if isinstance(history_instance, AmendmentHistory):
        history_instance.amendment = getattr(instance, "_history_amendment", None)


pre_create_historical_record.connect(_record_amendment, dispatch_uid="drafting.record_amendment")


def _fitted(obj, reason):
    """The reason column holds 100 characters (django-simple-history's default): a longer reason, such as an
    email change between two long addresses, would be a database error on PostgreSQL (SQLite never checks).
    It is cut with an ellipsis; the history row's own columns keep the full values."""
    limit = type(obj).history.model._meta.get_field("history_change_reason").max_length
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def attribute(obj, *, user=None, reason="", date=None, amendment=None):
    """Mark `obj` so its next save() writes a history row with this user, reason and moment.

    django-simple-history takes these from private attributes when there is no request; a batch applied
    "at one moment" passes the same `date` to every row so no half-applied state can be read back.
    """
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = _fitted(obj, reason)
    if date is not None:
        obj._history_date = date
    obj._history_amendment = amendment
    return obj
