"""Membership gate: logged in is not enough, the account must belong to an active member."""
from django.shortcuts import render

from .models.members import member_of

# An outsider may still sign out, and static files are served by the dev server before this runs.
_ALLOWED_FOR_OUTSIDERS = ("logout",)


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = member_of(request.user)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.member is not None:
            return None
        if request.resolver_match and request.resolver_match.url_name in _ALLOWED_FOR_OUTSIDERS:
            return None
        return render(request, "403.html", {"reason": "Your account is not a member of the working group."}, status=403)
