"""The Django admin, with history on every model that has it. Changes to the text belong in amendments; the admin is
for operators, and reverting from history is switched off (SIMPLE_HISTORY_REVERT_DISABLED)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Amendment, Clause, Comment, Document, Member, Milestone, Notification, Review, SignInEvent, Tag


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "short_title", "slug", "adopted", "quorum")
    prepopulated_fields = {"slug": ("short_title",)}


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "document", "number", "status")
    list_filter = ("document", "status")
    search_fields = ("heading", "body", "number")
    raw_id_fields = ("parent",)

    def has_delete_permission(self, request, obj=None):
        return False  # removal is recorded, never deleted


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "user", "agency", "position", "role")
    list_filter = ("role",)
    search_fields = ("full_name", "agency", "user__username")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: their work stays attributed


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ("name", "document", "moment", "created_by")
    list_filter = ("document",)
    raw_id_fields = ("created_by",)


class WorkflowOnly:
    """Read-only in the admin: these change through the app's rules (review, apply, comment), which check who
    may act and keep history; the admin shows them and their history for operators."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Amendment)
class AmendmentAdmin(WorkflowOnly, SimpleHistoryAdmin):
    list_display = ("label", "document", "kind", "clause", "author", "state")
    list_filter = ("document", "kind", "state")
    search_fields = ("rationale", "proposed_heading", "proposed_body")


@admin.register(Review)
class ReviewAdmin(WorkflowOnly, SimpleHistoryAdmin):
    list_display = ("amendment", "reviewer", "round", "decision", "updated_at")
    list_filter = ("decision",)


@admin.register(Comment)
class CommentAdmin(WorkflowOnly, SimpleHistoryAdmin):
    list_display = ("pk", "document", "author", "created_at")
    list_filter = ("document",)


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    list_display = ("name",)

    def has_delete_permission(self, request, obj=None):
        return False  # amendments keep their tags


@admin.register(Notification)
class NotificationAdmin(WorkflowOnly, admin.ModelAdmin):
    list_display = ("recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)


@admin.register(SignInEvent)
class SignInEventAdmin(WorkflowOnly, admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address")
    list_filter = ("kind",)
