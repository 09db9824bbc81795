"""Signed links that confirm a person's e-mail address.

A link carries the person's id and a fingerprint of the state it confirms (the address
and whether it is already confirmed), signed with a timestamp. It is valid for
``MAX_AGE``; it stops working once the address is confirmed or changed, so a used
link cannot confirm anything again.
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from kyodo.accounts.models import User

MAX_AGE = timedelta(days=3)
_SALT = "kyodo.accounts.verify-email"


class LinkProblem(Enum):
    EXPIRED = "expired"
    INVALID = "invalid"


def _fingerprint(user: User) -> str:
    verified = user.email_verified_at.isoformat() if user.email_verified_at else ""
    value = f"{user.pk}|{user.email.lower()}|{verified}|{user.is_active}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:20]


def make_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=_SALT)


def check_token(token: str) -> User | LinkProblem:
    """The person the link confirms, or why it does not work. A link that was used
    already (the address is confirmed) or whose address has changed is invalid."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return LinkProblem.EXPIRED
    except signing.BadSignature:
        return LinkProblem.INVALID
    user_id = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user_id, int):
        return LinkProblem.INVALID
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("f", "")), _fingerprint(user)):
        return LinkProblem.INVALID
    return user
