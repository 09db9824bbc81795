"""The public pages of the network: the list of centers and a page per center."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kyodo.centers.forms import CenterFilterForm
from kyodo.centers.models import Center, Partnership
from kyodo.japanese import era


@require_GET
def center_list(request: HttpRequest) -> HttpResponse:
    """Every active center, filtered by area, service, kind and keyword, in 50音順.

    An htmx request (the filter form changed) gets only the results partial."""
    active = Center.objects.active()
    form = CenterFilterForm(request.GET or None, areas=active.areas())
    if form.is_bound:
        form.is_valid()  # invalid filters are shown on their fields and left out
    centers = sorted(form.filter(active).for_listing(), key=lambda c: c.sort_key)
    context = {"form": form, "centers": centers, "count": len(centers)}
    template = "centers/center_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
def center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(
        Center.objects.active().select_related("parent").prefetch_related("services"),
        slug=slug,
    )
    partnerships = [
        (p.other(center), p)
        for p in Partnership.objects.involving(center)
        .filter(first__is_active=True, second__is_active=True)
        .select_related("first", "second")
    ]
    partnerships.sort(key=lambda pair: pair[0].sort_key)
    context = {
        "center": center,
        "parent": center.parent if center.parent and center.parent.is_active else None,
        "children": sorted(center.children.active(), key=lambda c: c.sort_key),
        "partnerships": partnerships,
        "established_wareki": _wareki(center),
        "breadcrumbs": [
            (_("Civic activity support centers"), reverse("centers:list")),
            (center.name, None),
        ],
    }
    return TemplateResponse(request, "centers/center_detail.html", context)


def _wareki(center: Center) -> str:
    """The year and month of establishment in 和暦, e.g. 平成13年6月."""
    if center.established_on is None:
        return ""
    try:
        date = era.to_wareki(center.established_on)
    except era.WarekiError:
        return ""
    return f"{era.EraYear(date.era, date.year)}{date.month}月"
