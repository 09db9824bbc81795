"""Permission checks in templates, through ``kyodo.centers.access``.

{% load access %}
{% can_do "manage_staff" center as may_manage_staff %}
{% if may_manage_staff %}…{% endif %}

{% permissions_at center as perms %}
{% if "edit_center" in perms %}…{% endif %}
"""

from __future__ import annotations

from typing import Any

from django import template

from kyodo.centers import access
from kyodo.centers.models import Center

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def can_do(context: template.Context, permission: str, center: Center | int) -> bool:
    """Whether the signed-in person may do ``permission`` at ``center``."""
    return access.can(_user(context), permission, center)


@register.simple_tag(takes_context=True)
def permissions_at(context: template.Context, center: Center | int) -> frozenset[str]:
    """The permission names the signed-in person holds at ``center``."""
    return frozenset(str(p) for p in access.permissions_at(_user(context), center))
