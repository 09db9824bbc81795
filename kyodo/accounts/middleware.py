"""Staff sessions expire after a period without activity; citizens' sessions do not."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kyodo.centers.access import is_staff_user


class SessionExpiryMiddleware:
    """Give staff (and operators) a short idle timeout, renewed on every request.

    A staff member who leaves a counter PC unattended is signed out after
    ``KYODO_STAFF_SESSION_IDLE_MINUTES``; the session is also ended when the browser
    closes. Everyone else keeps Django's ``SESSION_COOKIE_AGE``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and (
            user.is_staff or is_staff_user(user)
        ):
            request.session.set_expiry(settings.KYODO_STAFF_SESSION_IDLE_MINUTES * 60)
        return self.get_response(request)
