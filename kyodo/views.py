"""Site-wide pages: the home page, about and credits, and the error pages."""

from __future__ import annotations

import logging

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from kyodo.centers.models import Center, Partnership

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What Kyodo is, the way to the centers, and a few numbers about the network."""
    numbers = Center.objects.active().aggregate(
        centers=Count("pk"),
        municipalities=Count("municipality", distinct=True, filter=~Q(municipality="")),
    )
    numbers["partnerships"] = Partnership.objects.filter(
        first__is_active=True, second__is_active=True
    ).count()
    return TemplateResponse(request, "home.html", {"numbers": numbers})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """About Kyodo, the accessibility statement and the credits for the data we use."""
    return TemplateResponse(request, "about.html", {})


# Error pages. 400, 403 and 404 are full pages of the site (header, navigation, language
# switch). 500 is rendered without the request's context processors, which may need the
# database that has just failed: a self-contained template with static files only.


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/400.html", {}, status=400).render()


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/403.html", {}, status=403).render()


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/404.html", {}, status=404).render()


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = loader.get_template("errors/500.html").render()
    except Exception:  # the error page itself must never fail
        logger.exception("The 500 page could not be rendered.")
        body = "<!doctype html><title>Server Error (500)</title><h1>Server Error (500)</h1>"
    return HttpResponseServerError(body)
