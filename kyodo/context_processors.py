"""Values every page template may use."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from kyodo.centers.access import is_staff_user

# The links of the site shell (base.html): name in ``site_urls`` → URL name.
SHELL_LINKS = {
    "home": "home",
    "about": "about",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "signup": "accounts:signup",
    "profile": "accounts:profile",
    "set_language": "set_language",
    "centers": "centers:list",
    "organizations": "organizations:list",
    "rooms": "rooms:index",
    "events": "events:list",
    "staff": "staff:home",
    "api_docs": "api:openapi-view",
}


def site(request: HttpRequest) -> dict[str, Any]:
    """``user_is_staff`` shows the back-office link; anonymous visitors cost no query and
    a signed-in person's roles are read once per request (cached by ``access``).
    ``site_urls`` are the links of the site shell."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": "Kyodo",
        "SITE_URL": settings.SITE_URL,
        "user_is_staff": is_staff_user(user),
        "site_urls": _site_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF),
    }


@functools.lru_cache(maxsize=16)
def _site_urls(prefix: str, urlconf: Any) -> dict[str, str]:
    """The shell's links, reversed once for a script prefix and URLconf (each
    ``{% url %}`` of base.html took about 60 Python calls, a quarter of the shell); ""
    for a view the URLconf does not have, as ``{% url … as name %}`` gives."""
    urls = {}
    for key, name in SHELL_LINKS.items():
        try:
            urls[key] = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            urls[key] = ""
    return urls
