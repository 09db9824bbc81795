from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from kyodo.centers.models import Center


@require_GET
def center_list(request: HttpRequest) -> HttpResponse:
    centers = Center.objects.active()
    return TemplateResponse(request, "centers/center_list.html", {"centers": centers})


@require_GET
def center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(Center.objects.active(), slug=slug)
    return TemplateResponse(request, "centers/center_detail.html", {"center": center})
