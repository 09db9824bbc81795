"""Token authentication for API clients, and the ``/me`` endpoint."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from kyodo.accounts.models import ApiToken, User

# Recording every use would turn each API read into a write; a minute is precise enough
# to tell which tokens are still in use.
LAST_USED_PRECISION = timedelta(minutes=1)
_LONGEST_TOKEN = 100


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; sets ``request.user`` to the token's owner.

    Only a digest of each token is stored, and a token is found by its digest, so the
    comparison happens in the database index and leaks nothing through timing. Revoked
    and expired tokens, and tokens of deactivated people, are refused.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token or len(token) > _LONGEST_TOKEN:
            return None
        row = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(key_digest=ApiToken.digest(token))
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    display_name: str


@router.get("/me", response=MeOut, auth=BearerToken(), summary="The person the token acts for")
def me(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]
