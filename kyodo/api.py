"""The public and staff API, mounted once under /api/v1/.

Each app contributes a django-ninja router from its own ``api.py``. Errors are JSON:
``{"detail": "...", "errors": {"field": ["message", ...]}}`` with a 4xx status.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kyodo.accounts.api import BearerToken
from kyodo.accounts.api import router as accounts_router
from kyodo.centers.api import router as centers_router
from kyodo.events.api import router as events_router
from kyodo.organizations.api import router as organizations_router
from kyodo.rooms.api import router as rooms_router

api = NinjaAPI(
    title="Kyodo API",
    version="1",
    description=(
        "The API of Kyodo (協働), the shared system of a network of civic-activity support "
        "centers. Public data needs no authentication; staff clients send "
        "`Authorization: Bearer <token>` (tokens come from `manage.py createapitoken`). "
        "Errors are JSON objects with `detail` and, for invalid input, `errors` by field."
    ),
    urls_namespace="api",
    auth=None,
)


def _field_name(loc: list[str | int]) -> str:
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "payload", "form"}]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(list(error.get("loc", []))), []).append(
            str(error.get("msg", _("This value is not valid.")))
        )
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("A valid API token is required.")}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/", accounts_router)
api.add_router("/centers", centers_router)
api.add_router("/organizations", organizations_router)
api.add_router("/events", events_router)
api.add_router("/", rooms_router)

__all__ = ["BearerToken", "api"]
