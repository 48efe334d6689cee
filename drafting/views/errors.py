"""Error pages: a plain message in the site's layout, never a traceback."""
from django.shortcuts import render
from django.template.loader import get_template


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the failure may be in one of them.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("500.html").render())
