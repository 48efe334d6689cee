"""The Django admin as a read-only window for operators, which no rule of the app can be walked around through.

Who opens it: an active member with the admin role whose account is marked staff (`create_member --staff`,
or the seeded demo admin); nobody else, whatever their account's flags (a superuser that is not an active
admin member included). Everyone signs in on the app's own sign-in page (throttled and audited); the admin's
login form is never shown.

What they can do there: read. Every model registered by any app (ours, django.contrib.auth, django-axes) is
made read-only as it is registered, so a model added later is read-only too: no add, no change, no delete,
no "delete selected", no revert from history. Changes go through the app's pages and the models' methods,
which check who may act, keep the last admin, renumber clauses and record history.
"""
from functools import wraps

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

REFUSED = _("The records pages (/admin/) are for admins whose account is marked staff.")


class ReadOnly:
    """Mixed into every ModelAdmin of the site: view only, and only for those the site lets in.

    The view permission comes from the site (an admin member who is staff) rather than Django's per-model
    permissions, and `is_superuser` counts for nothing: no account can be given more here than reading.
    """

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}  # an action changes records in bulk (django-axes offers one that deletes): none here

    # django-simple-history's views fetch the history rows directly: without these, a POST to a version's
    # page would save that version back over the current row ("revert") whatever the permissions say, and a
    # record the admin's list does not show (another member's draft) could be read through its history.
    def history_view(self, request, object_id, extra_context=None):
        self._require_listed(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied(_("Records change through the app, never from the admin's history."))
        self._require_listed(request, object_id)
        if not str(version_id).isdigit():
            raise Http404  # simple-history would look "abc" up as a number and fail with a 500
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_listed(self, request, object_id):
        if self.get_object(request, object_id) is None:
            raise Http404


class DraftingAdminSite(AdminSite):
    site_header = _("Drafting: records (read-only)")
    site_title = _("Drafting records")
    index_title = _("Records, read-only: changes are made in the app")

    def __init__(self, name="admin"):
        super().__init__(name)
        self.disable_action("delete_selected")  # nothing is deleted from the admin

    def has_permission(self, request):
        member = getattr(request, "member", None)
        return bool(request.user.is_active and request.user.is_staff and member and member.can_manage_members())

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, ReadOnly):
            admin_class = type(admin_class.__name__, (ReadOnly, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        """A signed-in account the site does not let in is refused (403), not sent to another sign-in form.
        Signed-out visitors never get here: the login-required middleware sends them to the app's sign-in."""
        wrapped = super().admin_view(view, cacheable)

        @wraps(wrapped)
        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(REFUSED)
            return wrapped(request, *args, **kwargs)

        return guarded

    def password_change(self, request, extra_context=None):
        """One place to change one's password: the profile, with the app's rules."""
        return redirect("password_change")

    def password_change_done(self, request, extra_context=None):
        return redirect("profile")

    @login_not_required
    def login(self, request, extra_context=None):
        """One sign-in page for the whole site: the app's, which throttles and audits every attempt."""
        from django.contrib.auth.views import redirect_to_login  # not at import: this module loads with the apps

        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
        if self.has_permission(request):
            return redirect("admin:index")
        raise PermissionDenied(REFUSED)


class DraftingAdminConfig(AdminConfig):
    """`django.contrib.admin` with the read-only site as the default `admin.site`."""

    default_site = "drafting.admin_site.DraftingAdminSite"
