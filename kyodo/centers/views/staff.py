from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from kyodo.centers.access import centers_visible_to


@login_required
def back_office(request: HttpRequest) -> HttpResponse:
    centers = centers_visible_to(request.user)
    return TemplateResponse(request, "staff/home.html", {"centers": centers})
