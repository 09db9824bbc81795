"""Staff sessions expire after a period without activity; citizens' sessions do not."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

from kyodo.centers.access import is_staff_user


class SessionExpiryMiddleware:
    """Give staff (and operators) a short idle timeout, renewed on every request.

    A staff member who leaves a counter PC unattended is signed out after
    ``KYODO_STAFF_SESSION_IDLE_MINUTES`` without a request. Everyone else keeps
    Django's ``SESSION_COOKIE_AGE``.

    The expiry is set after the view, so it also covers the response that signs a
    person in; ``SessionMiddleware`` (outside this one) saves it. Requests that are not
    signed in through the session (API clients with a token) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and session is not None
            and SESSION_KEY in session
            and user.is_authenticated
            and (user.is_staff or is_staff_user(user))
        ):
            request.session.set_expiry(settings.KYODO_STAFF_SESSION_IDLE_MINUTES * 60)
        return response
