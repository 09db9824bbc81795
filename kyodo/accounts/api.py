"""Token authentication for API clients, and the ``/me`` endpoint."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from kyodo.accounts.models import ApiToken, User


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; sets ``request.user`` to the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(key_digest=ApiToken.digest(token))
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    display_name: str


@router.get("/me", response=MeOut, auth=BearerToken(), summary="The person the token acts for")
def me(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]
