"""The Django admin: every model, with its history, to read. The site (drafting/admin_site.py) makes every
registration read-only and decides who gets in; here each model says what its lists show.

Amendments, their reviews and comments, and notifications are listed through the same visibility rule as
every page of the app (`AmendmentQuerySet.visible_to` and the rules derived from it): an admin reads here
no more than in the app, so another member's draft is not in these lists, nor in their history pages.
"""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Amendment,
    Clause,
    Comment,
    Document,
    Member,
    Milestone,
    Notification,
    Rapporteur,
    Review,
    ReviewRequest,
    SignInEvent,
    Suggestion,
    Tag,
)


class VisibleToMember:
    """Lists only what the signed-in member may read, by the model's own `visible_to` rule."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(getattr(request, "member", None))


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "short_title", "slug", "adopted", "quorum", "numbering")
    # Switched on the document's Settings page only (Document.change_settings), which freezes or renumbers the
    # clauses in the same moment; set here alone, the stored numbers would not follow the policy.
    readonly_fields = ("numbering",)


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "document", "number", "status")
    list_filter = ("document", "status")
    search_fields = ("heading", "body", "number")
    # Kept by applied amendments (Clause.write_texts): the translation status is not set by hand.
    readonly_fields = ("authoritative_version", "translated_from")


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "user", "agency", "position", "role")
    list_filter = ("role",)
    search_fields = ("full_name", "agency", "user__username")


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ("name", "document", "moment", "created_by")
    list_filter = ("document",)


@admin.register(Amendment)
class AmendmentAdmin(VisibleToMember, SimpleHistoryAdmin):
    list_display = ("label", "document", "kind", "clause", "author", "state")
    list_filter = ("document", "kind", "state")
    search_fields = ("rationale", "proposed_heading", "proposed_body")


@admin.register(Review)
class ReviewAdmin(VisibleToMember, SimpleHistoryAdmin):
    list_display = ("amendment", "reviewer", "round", "decision", "updated_at")
    list_filter = ("decision",)


@admin.register(Comment)
class CommentAdmin(VisibleToMember, SimpleHistoryAdmin):
    list_display = ("pk", "document", "author", "created_at")
    list_filter = ("document",)


@admin.register(Suggestion)
class SuggestionAdmin(VisibleToMember, SimpleHistoryAdmin):
    """Read-only like every registration: a suggestion is applied or declined by the amendment's author only."""

    list_display = ("pk", "amendment", "language", "state", "decided_by")
    list_filter = ("state",)


@admin.register(Rapporteur)
class RapporteurAdmin(VisibleToMember, SimpleHistoryAdmin):
    """Assignments are made and ended on the Work page (Rapporteur.assign, .end), which asks for the requests."""

    list_display = ("member", "document", "clause", "due_date", "active", "assigned_by")
    list_filter = ("document", "active")


@admin.register(ReviewRequest)
class ReviewRequestAdmin(VisibleToMember, SimpleHistoryAdmin):
    """Requests on the amendments the admin may read: another member's draft is never asked of anyone."""

    list_display = ("amendment", "member", "due_date", "state")
    list_filter = ("state",)


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    list_display = ("name",)


@admin.register(Notification)
class NotificationAdmin(VisibleToMember, admin.ModelAdmin):
    """A member's own notifications, as in their inbox: others' are private to them."""

    list_display = ("recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address")
    list_filter = ("kind",)


# The job queue's table holds queued emails (their text and addresses), which are no admin's to read; failed
# sends are logged by the worker (drafting/tasks.py). django_tasks_db registers it; its admin module is
# imported before ours (INSTALLED_APPS order).
try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover — the package is a dependency
    DBTaskResult = None
if DBTaskResult is not None and admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

# django-otp's devices hold each member's authenticator secret and backup codes: reading them would let an
# admin sign in as the member. Resetting a member's second factor is the member page's "Reset two-factor
# sign-in" (audited), never an edit here.
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

for _device in (StaticDevice, TOTPDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
