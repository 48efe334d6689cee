"""Error pages: a plain message in the site's layout, never a traceback."""
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import get_template

from ..forms.amendments import MAX_BODY
from ..models.comments import BODY_MAX_LENGTH


def bad_request(request, exception=None):
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent)):
        return too_large(request)
    return render(request, "400.html", status=400)


def too_large(request):
    """A post over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before any of it is read, so no form can be shown
    again with the text: say the limit, that nothing was saved, and that the browser's Back keeps the text."""
    context = {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), "comment_limit": BODY_MAX_LENGTH,
               "clause_limit": MAX_BODY}
    return render(request, "413.html", context, status=413)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the failure may be in one of them.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("500.html").render())
