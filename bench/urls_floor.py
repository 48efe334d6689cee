"""The app's URLs plus the floor: a login-required view answering a few bytes, the least a request can cost
(middleware, session, member). Loaded only by bench/settings_floor.py, never by the app."""
from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as app_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *app_urlpatterns]
