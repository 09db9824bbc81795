"""Template helpers of the site shell: ``{% load ui %}``."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.paginator import Page
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    """A ``<script type="application/ld+json">`` element (schema.org) with ``data``,
    escaped so that no text in it (``</script>`` in a title, say) can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def aria_current(context: dict[str, Any], url: str, *, section: bool = False) -> SafeString:
    """``aria-current`` for a navigation link to ``url``: "page" on that very page and,
    with ``section=True``, "true" on the pages below it (``/centers/`` for
    ``/centers/sapporo/``). Empty otherwise, so it can sit inside any <a> tag."""
    request = context.get("request")
    path = getattr(request, "path", None)
    if not url or path is None:
        return mark_safe("")
    if path == url:
        return format_html(' aria-current="{}"', "page")
    if section and url != "/" and path.startswith(url):
        return format_html(' aria-current="{}"', "true")
    return mark_safe("")


@register.filter
def page_range(page: Page) -> list[int | str]:
    """The page numbers to link to, with ``…`` for the gaps (1 2 … 9 10 11 … 30)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
