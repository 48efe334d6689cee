"""The Django admin, with history on every model. Changes to the text belong in amendments; the admin is
for operators, and reverting from history is switched off (SIMPLE_HISTORY_REVERT_DISABLED)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Clause, Document, Member, Milestone


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
