"""Site-wide pages: the home page, about and credits, and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "home.html", {})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "about.html", {})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/400.html", {}, status=400).render()


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/403.html", {}, status=403).render()


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/404.html", {}, status=404).render()


def server_error(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "errors/500.html", {}, status=500).render()
