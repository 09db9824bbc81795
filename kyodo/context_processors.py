"""Values every page template may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kyodo.centers.access import is_staff_user


def site(request: HttpRequest) -> dict[str, Any]:
    """``user_is_staff`` shows the back-office link; anonymous visitors cost no query and
    a signed-in person's roles are read once per request (cached by ``access``)."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": "Kyodo",
        "SITE_URL": settings.SITE_URL,
        "user_is_staff": is_staff_user(user),
    }
